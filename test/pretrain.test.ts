/**
 * The toolrl-mini pretraining corpus (issue 8): renamed train tools only, never the held-out tools,
 * never the ToolRL answer format, deterministic; and the lr schedule.
 */
import test from 'ava';

import { DEFAULT_PRETRAIN_MINI } from '../lib/config';
import { MINI_RESERVED_NAMES, MINI_TRAIN_TOOLS, miniWorld } from '../lib/data/mini';
import { ChatTemplate } from '../lib/data/template';
import { pretrainExamples, pretrainTokens } from '../lib/pretrain/corpus';
import { pretrainLr } from '../lib/pretrain/run';

// The drill (first examples), the warm-up and the main mix.
const examples = [...pretrainExamples(0, 0, 150), ...pretrainExamples(0, 40000, 150), ...pretrainExamples(0, 50000, 500)];

test('answers never use the ToolRL format; prompts are not the ToolRL system prompt', (t) => {
  for (const e of examples) {
    for (const m of e.messages.filter((x) => x.role === 'assistant')) {
      t.false(/<think>|<\/think>|<tool_call>|<\/tool_call>|<response>|<\/response>/.test(m.content), m.content);
    }
    t.false(e.messages[0]!.content.includes('**Output Format**'));
  }
});

test('held-out tool and parameter names never appear; train tool names are renamed away', (t) => {
  const text = examples.map((e) => e.messages.map((m) => m.content).join('\n')).join('\n');
  for (const name of MINI_RESERVED_NAMES) t.false(new RegExp(`\\b${name}\\b`).test(text), `held-out name ${name} leaked`);
  for (const tool of MINI_TRAIN_TOOLS) t.false(new RegExp(`\\b${tool.name}\\(`).test(text), `tool ${tool.name} listed under its real name`);
});

test('every task kind occurs; call answers are JSON call lines; the corpus is deterministic', (t) => {
  const kinds = new Set(examples.map((e) => e.task));
  t.deepEqual([...kinds].sort(), ['call', 'listTools', 'params', 'repeat', 'synthCall', 'whichTool']);
  t.true(examples.slice(0, 150).every((e) => e.task === 'repeat'), 'the drill comes first');
  const call = examples.find((e) => e.task === 'call' && e.answer.startsWith('{'))!;
  for (const line of call.answer.split('\n')) t.regex(line, /^\{"name": "[A-Za-z0-9_]+", "parameters": \{.*\}\}$/);
  t.deepEqual(pretrainExamples(0, 100, 20), examples.slice(100, 120));
  t.deepEqual(pretrainExamples(0, 50100, 20), examples.slice(400, 420));
  t.notDeepEqual(pretrainExamples(1, 0, 20), examples.slice(0, 20));
});

test('learning rate: linear warm-up, cosine decay to minLr', (t) => {
  const c = DEFAULT_PRETRAIN_MINI;
  t.true(Math.abs(pretrainLr(c, c.warmupSteps - 1) - c.lr) < 1e-12);
  t.true(pretrainLr(c, 0) < c.lr / 10);
  t.true(Math.abs(pretrainLr(c, c.steps) - c.minLr) < 1e-12);
  t.true(pretrainLr(c, Math.floor(c.steps / 2)) < c.lr && pretrainLr(c, Math.floor(c.steps / 2)) > c.minLr);
});

test('every called name is listed in the prompt and every string value is said in the request', (t) => {
  let checked = 0;
  for (const e of examples.filter((x) => x.task === 'call' || x.task === 'synthCall')) {
    if (!e.answer.startsWith('{')) continue;
    for (const line of e.answer.split('\n')) {
      const call = JSON.parse(line) as { name: string; parameters: Record<string, unknown> };
      t.true(e.messages[0]!.content.includes(`\n${call.name}(`), `${call.name} not listed`);
      for (const [k, v] of Object.entries(call.parameters)) {
        t.true(e.messages[0]!.content.includes(k), `parameter ${k} not listed`);
        if (typeof v === 'string') t.true(e.messages[1]!.content.includes(v), `value ${v} not in the request`);
      }
      checked++;
    }
  }
  t.true(checked > 300);
});

test('the loss covers the answers: the prompt is the tool list and the first request', async (t) => {
  const world = miniWorld({ seed: 0 });
  const tokenizer = await world.tokenizer();
  const template = ChatTemplate.chatml();
  for (const e of examples.slice(0, 50)) {
    const { prompt, completion } = pretrainTokens(e, tokenizer, template);
    const head = tokenizer.decode(prompt);
    const firstUser = e.messages.findIndex((m) => m.role === 'user');
    t.is(head, template.render(e.messages.slice(0, firstUser + 1), { addGenerationPrompt: true }));
    const rest = tokenizer.decode(completion);
    t.true(rest.startsWith(e.answer));
    t.true(rest.endsWith('<|im_end|>'));
    t.is(head + rest, template.render(e.messages).replace(/\n$/, ''));
  }
  const turns = examples.map((e) => Math.floor(e.messages.length / 2));
  t.true(turns.every((n) => n >= 1 && n <= 3 && Number.isInteger(n)));
  t.true(turns.some((n) => n > 1));
});
