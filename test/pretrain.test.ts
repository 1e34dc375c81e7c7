/**
 * The toolrl-mini pretraining corpus (issue 8): renamed train tools only, never the held-out tools,
 * never the ToolRL answer format, deterministic; and the lr schedule.
 */
import test from 'ava';

import { DEFAULT_PRETRAIN_MINI } from '../lib/config';
import { MINI_RESERVED_NAMES, MINI_TRAIN_TOOLS } from '../lib/data/mini';
import { pretrainExamples } from '../lib/pretrain/corpus';
import { pretrainLr } from '../lib/pretrain/run';

const examples = pretrainExamples(0, 0, 600);

test('answers never use the ToolRL format; prompts are not the ToolRL system prompt', (t) => {
  for (const e of examples) {
    t.false(/<think>|<\/think>|<tool_call>|<\/tool_call>|<response>|<\/response>/.test(e.answer), e.answer);
    t.false(e.messages[0]!.content.includes('**Output Format**'));
  }
});

test('held-out tool and parameter names never appear; train tool names are renamed away', (t) => {
  const text = examples.map((e) => `${e.messages.map((m) => m.content).join('\n')}\n${e.answer}`).join('\n');
  for (const name of MINI_RESERVED_NAMES) t.false(new RegExp(`\\b${name}\\b`).test(text), `held-out name ${name} leaked`);
  for (const tool of MINI_TRAIN_TOOLS) t.false(new RegExp(`\\b${tool.name}\\(`).test(text), `tool ${tool.name} listed under its real name`);
});

test('every task kind occurs; call answers are JSON call lines; the corpus is deterministic', (t) => {
  const kinds = new Set(examples.map((e) => e.task));
  t.deepEqual([...kinds].sort(), ['call', 'listTools', 'params', 'whichTool']);
  const call = examples.find((e) => e.task === 'call' && e.answer.startsWith('{'))!;
  for (const line of call.answer.split('\n')) t.regex(line, /^\{"name": "[a-z_]+", "parameters": \{.*\}\}$/);
  t.deepEqual(pretrainExamples(0, 100, 20), examples.slice(100, 120));
  t.notDeepEqual(pretrainExamples(1, 0, 20), examples.slice(0, 20));
});

test('learning rate: linear warm-up, cosine decay to minLr', (t) => {
  const c = DEFAULT_PRETRAIN_MINI;
  t.true(Math.abs(pretrainLr(c, c.warmupSteps - 1) - c.lr) < 1e-12);
  t.true(pretrainLr(c, 0) < c.lr / 10);
  t.true(Math.abs(pretrainLr(c, c.steps) - c.minLr) < 1e-12);
  t.true(pretrainLr(c, Math.floor(c.steps / 2)) < c.lr && pretrainLr(c, Math.floor(c.steps / 2)) > c.minLr);
});
