/**
 * The toolrl-mini pretraining corpus (issue 8): renamed train tools only, never the held-out tools,
 * never the ToolRL answer format, deterministic; and the lr schedule.
 */
import test from 'ava';

import { DEFAULT_PRETRAIN_MINI } from '../lib/config';
import { MINI_RESERVED_NAMES, MINI_TRAIN_TOOLS, miniWorld } from '../lib/data/mini';
import { ChatTemplate } from '../lib/data/template';
import { pretrainExamples, pretrainTokens } from '../lib/pretrain/corpus';
import { pieceWord } from '../lib/data/mini/rename';
import { pretrainLr } from '../lib/pretrain/run';
import { syntheticCall, syntheticTool } from '../lib/data/mini/synthetic';
import { Rng } from '../lib/data/rng';

// The warm-up (short lists, first examples) and the main mix.
const C = DEFAULT_PRETRAIN_MINI.corpus;
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
  // Drills throughout (drillShare), and first of all when a config asks for a drill phase.
  const drills = examples.filter((e) => e.task === 'repeat').length / examples.length;
  t.true(Math.abs(drills - C.drillShare) < 0.06, `drill share ${drills}`);
  t.true(pretrainExamples(0, 0, 40, undefined, { ...C, drillExamples: 40 }).every((e) => e.task === 'repeat'));
  // Later drills copy identifiers too (pieces repeat inside them, as in tool names).
  t.true(examples.some((e) => e.task === 'repeat' && e.answer.includes('_')));
  const call = examples.find((e) => e.task === 'call' && e.answer.startsWith('{'))!;
  for (const line of call.answer.split('\n')) t.regex(line, /^\{"name": "[A-Za-z0-9_]+", "parameters": \{.*\}\}$/);
  t.deepEqual(pretrainExamples(0, 100, 20), examples.slice(100, 120));
  t.deepEqual(pretrainExamples(0, 50100, 20), examples.slice(400, 420));
  t.notDeepEqual(pretrainExamples(1, 0, 20), examples.slice(0, 20));
});

test('learning rate: linear warm-up, held, cosine decay to minLr over the last decayFraction', (t) => {
  const c = DEFAULT_PRETRAIN_MINI;
  t.true(Math.abs(pretrainLr(c, c.warmupSteps - 1) - c.lr) < 1e-12);
  t.true(pretrainLr(c, 0) < c.lr / 10);
  const decayStart = Math.round(c.steps * (1 - c.decayFraction));
  t.is(pretrainLr(c, Math.floor(c.steps / 2)), c.lr);
  t.is(pretrainLr(c, decayStart - 1), c.lr);
  const mid = pretrainLr(c, Math.round((decayStart + c.steps) / 2));
  t.true(mid < c.lr && mid > c.minLr);
  t.true(Math.abs(pretrainLr(c, c.steps) - c.minLr) < 1e-12);
  // A longer run keeps the same schedule up to the decay (so a run can be extended by resuming).
  t.is(pretrainLr({ ...c, steps: 2 * c.steps }, decayStart - 1), pretrainLr(c, decayStart - 1));
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

test('the loss covers the answers (lossOn answers) or everything after the first header (lossOn all)', async (t) => {
  const world = miniWorld({ seed: 0 });
  const tokenizer = await world.tokenizer();
  const template = ChatTemplate.chatml();
  for (const e of examples.slice(0, 50)) {
    const full = template.render(e.messages).replace(/\n$/, '');
    const a = pretrainTokens(e, tokenizer, template, 'answers');
    const head = tokenizer.decode(a.prompt);
    const firstUser = e.messages.findIndex((m) => m.role === 'user');
    t.is(head, template.render(e.messages.slice(0, firstUser + 1), { addGenerationPrompt: true }));
    const rest = tokenizer.decode(a.completion);
    t.true(rest.startsWith(e.answer));
    t.true(rest.endsWith('<|im_end|>'));
    t.is(head + rest, full);
    const all = pretrainTokens(e, tokenizer, template, 'all');
    t.is(tokenizer.decode(all.prompt), `<|im_start|>${e.messages[0]!.role}\n`);
    // Split at a line break, so the two parts tokenize exactly as the whole does.
    t.deepEqual([...all.prompt, ...all.completion], [...tokenizer.encode(full)]);
  }
  t.is(pretrainTokens(examples[0]!, tokenizer, template).prompt.length, pretrainTokens(examples[0]!, tokenizer, template, C.lossOn).prompt.length);
  const turns = examples.map((e) => Math.floor(e.messages.length / 2));
  t.true(turns.every((n) => n >= 1 && n <= 3 && Number.isInteger(n)));
  t.true(turns.some((n) => n > 1));
});

test('made-up topics: fresh words, in the tool name and (in some spelling) in the request', (t) => {
  const rng = new Rng(5);
  const topics = (p: number) => Array.from({ length: 300 }, () => syntheticTool(rng, new Set(), 0, p));
  const bank = new Set(topics(0).map((x) => x.topic)).size;
  const madeUp = topics(1);
  const fresh = new Set(madeUp.map((x) => x.topic)).size;
  t.true(fresh > 280 && fresh > bank + 50, `made-up topics are fresh: ${fresh} distinct of 300 (word bank: ${bank})`);
  for (const tool of madeUp.slice(0, 50)) {
    t.regex(tool.topic, /^[a-z]{4,}$/);
    t.true(tool.view.name.split('_').includes(tool.topic), tool.view.name);
    t.true(syntheticCall(rng, tool).request.toLowerCase().includes(tool.topic));
  }
});

test('piece words and keyword swaps: fresh spellings; calls still listed and said; held-out names never', (t) => {
  const rng = new Rng(11);
  const words = Array.from({ length: 300 }, () => pieceWord(rng));
  for (const w of words) t.regex(w, /^[a-z]{4,}$/);
  t.true(new Set(words).size > 280, 'piece words are fresh');
  // The pieces a held-out name is spelled with (`we` of `weight`) become common in the corpus.
  const c = { ...C, pieceWords: 0.8, madeUpTopics: 0.5, keywordSwap: 0.7 };
  const mixed = [...pretrainExamples(0, 0, 150, undefined, c), ...pretrainExamples(0, 50000, 600, undefined, c)];
  const text = mixed.map((e) => e.messages.map((m) => m.content).join('\n')).join('\n');
  for (const name of MINI_RESERVED_NAMES) t.false(new RegExp(`\\b${name}\\b`).test(text), `held-out name ${name} leaked`);
  let checked = 0;
  for (const e of mixed.filter((x) => (x.task === 'call' || x.task === 'synthCall') && x.answer.startsWith('{'))) {
    for (const line of e.answer.split('\n')) {
      const call = JSON.parse(line) as { name: string; parameters: Record<string, unknown> };
      t.true(e.messages[0]!.content.includes(`\n${call.name}(`), `${call.name} not listed`);
      for (const v of Object.values(call.parameters)) for (const s of [v].flat()) if (typeof s === 'string') t.true(e.messages[1]!.content.includes(s), `value ${s} not in the request`);
      checked++;
    }
  }
  t.true(checked > 300);
  // Settings at 0 draw nothing extra: the corpus of a config written before they existed.
  const before = { ...C, pieceWords: undefined, keywordSwap: undefined } as unknown as typeof C;
  t.deepEqual(pretrainExamples(0, 50000, 40, undefined, { ...C, pieceWords: 0, keywordSwap: 0 }), pretrainExamples(0, 50000, 40, undefined, before));
  t.notDeepEqual(pretrainExamples(0, 50000, 40, undefined, c), pretrainExamples(0, 50000, 40, undefined, { ...C, pieceWords: 0, keywordSwap: 0 }));
});

test('shared-verb lists: after the warm-up, the synthetic tools of a list share one verb (only the topic tells them apart)', (t) => {
  // A list's tools share a name word (the verb) when sharedVerbLists is 1; rarely when 0.
  const sharedShare = (share: number) => {
    const exs = pretrainExamples(0, 40000, 400, undefined, { ...C, sharedVerbLists: share }).filter((e) => e.task === 'synthCall');
    let lists = 0;
    let shared = 0;
    for (const e of exs) {
      const names = e.messages[0]!.content.split('\n').slice(1).map((l) => l.slice(0, l.indexOf('('))).filter((n) => n.includes('_'));
      if (names.length < 2) continue;
      lists++;
      const words = names.map((n) => new Set(n.split('_')));
      if ([...words[0]!].some((w) => words.every((s) => s.has(w)))) shared++;
    }
    return { lists, share: shared / lists };
  };
  const on = sharedShare(1);
  const off = sharedShare(0);
  t.true(on.lists > 30 && off.lists > 30);
  t.is(on.share, 1, `every list shares a verb at 1 (${on.lists} lists)`);
  t.true(off.share < 0.3, `few lists share a word at 0: ${off.share}`);
  // Off by default, and the warm-up never has it: the shipped corpus is unchanged.
  t.is(C.sharedVerbLists, 0);
  t.deepEqual(pretrainExamples(0, 0, 50, undefined, { ...C, sharedVerbLists: 1 }), pretrainExamples(0, 0, 50));
});

test('unguessable-name lists: the request says the topic, never the rest of the name, which only the list holds', (t) => {
  const exs = pretrainExamples(0, 40000, 300, undefined, { ...C, unguessableNames: 1 });
  let checked = 0;
  for (const e of exs) {
    const lines = e.messages[0]!.content.split('\n').slice(1);
    const answer = JSON.parse(e.messages[2]!.content.split('\n')[0]!) as { name: string };
    const request = e.messages[1]!.content.toLowerCase();
    t.true(lines.length >= 2 && lines.length <= 4, e.messages[0]!.content);
    t.true(lines.some((l) => l.startsWith(`${answer.name}(`)), 'the answer is a listed tool');
    // Two words: the topic (in the request) and a made-up word (not in it).
    const words = answer.name.split('_');
    t.is(words.length, 2, answer.name);
    t.is(words.filter((w) => request.includes(w)).length, 1, `${answer.name} / ${request}`);
    checked++;
  }
  t.is(checked, 300);
  // Off by default, and the warm-up never has it: the shipped corpus is unchanged.
  t.is(C.unguessableNames ?? 0, 0);
  t.deepEqual(pretrainExamples(0, 0, 50, undefined, { ...C, unguessableNames: 1 }), pretrainExamples(0, 0, 50));
  t.deepEqual(pretrainExamples(0, 50000, 40, undefined, { ...C, unguessableNames: 0 }), pretrainExamples(0, 50000, 40));
});
