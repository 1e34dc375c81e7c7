/**
 * The toolrl-mini world (issue 4 §5): a catalogue of typed tools, gold answers that score the
 * ToolRL reward's maximum, a held-out split that never leaks into train, determinism from the
 * seed, and examples that fit the token limit with the mini tokenizer.
 */
import test from 'ava';
import { toolrlReward, rewardBounds } from '../lib/rewards';
import {
  miniWorld,
  miniModelConfig,
  miniSequenceLength,
  MINI_CATALOGUE,
  MINI_TRAIN_TOOLS,
  MINI_HELD_OUT_TOOLS,
  MINI_RESERVED_NAMES,
  MINI_KINDS,
  type ToolUseExample,
} from '../lib/data';
import { DEFAULT_MINI_MODEL_SHAPE, DEFAULT_MINI_WORLD } from '../lib/config';

const world = miniWorld({ seed: 0 });
const TRAIN = world.train(1500);
const HELD_OUT = world.heldOut(600);
const RENAMED = world.train(400, { renamed: true });

const textOf = (e: ToolUseExample): string => `${e.messages.map((m) => m.content).join('\n')}\n${e.groundTruth}`;

test('the catalogue: >= 40 typed tools over several domains, every type, required and optional', (t) => {
  t.true(MINI_CATALOGUE.length >= 40);
  t.true(new Set(MINI_CATALOGUE.map((d) => d.domain)).size >= 8);
  t.is(new Set(MINI_CATALOGUE.map((d) => d.name)).size, MINI_CATALOGUE.length);
  const params = MINI_CATALOGUE.flatMap((d) => d.params);
  for (const type of ['string', 'integer', 'number', 'boolean', 'enum', 'list'] as const) {
    t.true(params.some((p) => p.type === type && p.required), `required ${type}`);
    t.true(params.some((p) => p.type === type && !p.required), `optional ${type}`);
  }
  t.true(MINI_HELD_OUT_TOOLS.length >= 10);
  t.is(MINI_TRAIN_TOOLS.length + MINI_HELD_OUT_TOOLS.length, MINI_CATALOGUE.length);
  // Every domain has train tools and a held-out one.
  for (const d of new Set(MINI_CATALOGUE.map((x) => x.domain))) {
    t.true(MINI_TRAIN_TOOLS.some((x) => x.domain === d) && MINI_HELD_OUT_TOOLS.some((x) => x.domain === d), d);
  }
});

test('request templates name every parameter once: {required} and [optional]', (t) => {
  for (const tool of MINI_CATALOGUE) {
    t.true(tool.requests.length >= 2, tool.name);
    for (const r of tool.requests) {
      t.regex(r, /^[A-Z]/, `${tool.name}: starts with a plain word`);
      const slots = [...r.matchAll(/\{([a-z_0-9]+)\}|\[([a-z_0-9]+)\]/g)].map((m) => (m[1] !== undefined ? `{${m[1]}}` : `[${m[2]}]`));
      const expected = tool.params.map((p) => (p.required ? `{${p.name}}` : `[${p.name}]`));
      t.deepEqual([...slots].sort(), [...expected].sort(), `${tool.name}: ${r}`);
    }
  }
});

test('every gold answer scores the ToolRL maximum (4 with calls, 1 response-only)', (t) => {
  t.deepEqual(rewardBounds(), { min: -3, max: 4 });
  for (const e of [...TRAIN, ...HELD_OUT, ...RENAMED]) {
    const r = toolrlReward(e.groundTruth, e.groundTruth);
    const calls = e.groundTruth.includes('<tool_call>');
    if (r.score !== (calls ? 4 : 1)) t.fail(`${e.id}: ${JSON.stringify(r)}\n${e.groundTruth}`);
    // The reward's own format check passes for the gold turn.
    if (r.format !== 1) t.fail(`${e.id}: format ${r.format}`);
  }
  t.pass();
});

test('examples cover single calls, several calls (same and different tools) and no-tool answers', (t) => {
  const kinds = new Map<string, number>();
  for (const ep of world.episodes('train', 1500)) kinds.set(ep.kind, (kinds.get(ep.kind) ?? 0) + 1);
  for (const k of MINI_KINDS) t.true((kinds.get(k) ?? 0) > 0, k);
  const withTwo = TRAIN.filter((e) => (e.groundTruth.match(/\n\{"name"/g) ?? []).length === 2);
  t.true(withTwo.length > 100);
  t.true(TRAIN.some((e) => /^<think> [^<]* <\/think>\n<response> [^<]* <\/response>$/.test(e.groundTruth)));
  // Optional parameters are sometimes given, sometimes not.
  const weather = TRAIN.filter((e) => e.groundTruth.includes('"name": "get_weather"'));
  t.true(weather.some((e) => e.groundTruth.includes('"unit"')) && weather.some((e) => !e.groundTruth.includes('"unit"')));
  // Typed values: ints, floats, booleans and lists appear in gold JSON.
  const gold = TRAIN.map((e) => e.groundTruth).join('\n');
  t.regex(gold, /": \d+[,}]/);
  t.regex(gold, /": \d+\.\d+[,}]/);
  t.regex(gold, /": (true|false)[,}]/);
  t.regex(gold, /": \["/);
});

test('held-out tools (names, parameter names, templates) never occur in train', (t) => {
  const trainText = [...TRAIN, ...world.train(300, { renamed: true }), ...RENAMED].map(textOf).join('\n');
  for (const name of MINI_RESERVED_NAMES) t.false(trainText.includes(name), name);
  // Nor in anything a train example can be made of: train tools' text and the fixed prompt text.
  const trainCatalogue = JSON.stringify(MINI_TRAIN_TOOLS);
  for (const name of MINI_RESERVED_NAMES) t.false(trainCatalogue.includes(name), `catalogue: ${name}`);
  const heldRequests = new Set(MINI_HELD_OUT_TOOLS.flatMap((d) => d.requests));
  for (const d of MINI_TRAIN_TOOLS) for (const r of d.requests) t.false(heldRequests.has(r));
  // And held-out examples are really about held-out tools.
  const heldNames = new Set(MINI_HELD_OUT_TOOLS.map((d) => d.name));
  for (const ep of world.episodes('heldOut', 600)) for (const c of ep.calls) t.true(heldNames.has(c.name));
  const trainNames = new Set(MINI_TRAIN_TOOLS.map((d) => d.name));
  for (const ep of world.episodes('train', 600)) for (const v of ep.tools) t.true(trainNames.has(v.def.name));
});

test('the same seed gives the same world; another seed another; train(n) is a prefix of train(n + k)', (t) => {
  t.deepEqual(miniWorld({ seed: 0 }).train(200), TRAIN.slice(0, 200));
  t.deepEqual(miniWorld().heldOut(100), HELD_OUT.slice(0, 100));
  t.deepEqual(miniWorld({ seed: 0 }).train(50, { renamed: true }), RENAMED.slice(0, 50));
  const other = miniWorld({ seed: 1 }).train(200);
  t.true(other.filter((e, i) => e.groundTruth === TRAIN[i].groundTruth).length < 20);
  t.is(TRAIN[3].id, 'mini/train/0/3');
  t.is(HELD_OUT[3].id, 'mini/heldOut/0/3');
  t.is(RENAMED[3].id, 'mini/train-renamed/0/3');
});

test('prompt + answer fit in 384 tokens with the mini tokenizer', async (t) => {
  const tok = await world.tokenizer();
  t.is(DEFAULT_MINI_WORLD.maxTokens, 384);
  for (const [name, set] of [
    ['train', TRAIN],
    ['heldOut', HELD_OUT],
    ['renamed', RENAMED],
  ] as const) {
    const lengths = set.map((e) => miniSequenceLength(e, tok));
    const max = Math.max(...lengths);
    const mean = lengths.reduce((a, b) => a + b, 0) / lengths.length;
    t.true(max <= 384, `${name}: max ${max}`);
    t.true(mean < 345, `${name}: mean ${mean}`);
    t.log(`${name}: mean ${mean.toFixed(1)} max ${max} tokens`);
  }
});

test('prompts follow the paper structure, compacted', (t) => {
  const [system, user] = TRAIN[0].messages;
  t.is(system.role, 'system');
  t.regex(system.content, /^You are a helpful assistant that can call tools\.\n\n\*\*Available Tools\*\*\n/);
  t.regex(system.content, /\n\*\*Output Format\*\*\n<think> reasoning <\/think>\n<tool_call>\n/);
  t.regex(system.content, /\n\*\*Notes\*\*\n/);
  t.is(user.role, 'user');
  t.regex(user.content, /^<user> .+ <\/user>$/);
  const lines = system.content.split('\n').filter((l) => /^[a-z_]+\(.*\) - /.test(l));
  t.true(lines.length >= 3 && lines.length <= 4);
});

test('renamed examples list fresh names and the gold uses them', (t) => {
  const eps = world.episodes('train', 200, { renamed: true });
  const catalogueNames = new Set(MINI_CATALOGUE.map((d) => d.name));
  let fresh = 0;
  for (const ep of eps) {
    for (const v of ep.tools) {
      if (!catalogueNames.has(v.name)) fresh++;
      t.regex(v.name, /^[a-z]+(_[a-z]+)?$/);
    }
    for (const c of ep.calls) t.true(ep.tools.some((v) => v.name === c.name));
  }
  t.true(fresh > 0.95 * eps.reduce((n, ep) => n + ep.tools.length, 0));
});

test('renamed as a share: lists mix fresh and catalogue names, gold calls name the listed tools', (t) => {
  const eps = world.episodes('train', 300, { renamed: 0.5 });
  const catalogueNames = new Set(MINI_CATALOGUE.map((d) => d.name));
  let fresh = 0;
  let total = 0;
  let mixed = 0;
  for (const ep of eps) {
    const f = ep.tools.filter((v) => !catalogueNames.has(v.name)).length;
    fresh += f;
    total += ep.tools.length;
    if (f > 0 && f < ep.tools.length) mixed++;
    for (const v of ep.tools) if (catalogueNames.has(v.name)) t.is(v.name, v.def.name);
    for (const c of ep.calls) t.true(ep.tools.some((v) => v.name === c.name));
  }
  t.true(fresh > 0.4 * total && fresh < 0.6 * total, `${fresh} of ${total} renamed`);
  t.true(mixed > 0.5 * eps.length, `${mixed} mixed lists`);
  // Its own stream, deterministic; the fully renamed stream is unchanged by it.
  t.deepEqual(world.train(20, { renamed: 0.5 }), miniWorld({ seed: 0 }).train(20, { renamed: 0.5 }));
  t.is(world.train(1, { renamed: 0.5 })[0].id, 'mini/train-renamed@0.5/0/0');
  t.deepEqual(world.train(20, { renamed: 1 }), RENAMED.slice(0, 20));
  t.deepEqual(world.train(20, { renamed: 0 }), TRAIN.slice(0, 20));
  t.throws(() => world.train(2, { renamed: 1.5 }), { instanceOf: RangeError });
  t.throws(() => world.train(2, { renamed: Number.NaN }), { instanceOf: RangeError });
  t.throws(() => world.train(2, { renamed: 'yes' as never }), { instanceOf: TypeError });
});

test('keyword swap: the words a request shares with its tool become one made-up word everywhere', (t) => {
  // Every word of the catalogue's own text: a swapped example must use words outside it.
  const known = new Set(JSON.stringify(MINI_CATALOGUE).toLowerCase().split(/[^a-z]+/));
  const eps = world.episodes('train', 300, { keywordSwap: 1 });
  let swapped = 0;
  for (const ep of eps) {
    for (const c of ep.calls) {
      const v = ep.tools.find((x) => x.name === c.name);
      t.truthy(v, `${c.name} is listed`);
      // Values stay said in the request (a swapped word inside a value is swapped in both).
      for (const val of Object.values(c.parameters)) for (const s of [val].flat()) if (typeof s === 'string') t.true(ep.request.includes(s), `${s} in ${ep.request}`);
    }
    if (!ep.id.endsWith('+swap')) continue;
    swapped++;
    const requestWords = ep.request.toLowerCase().split(/[^a-z]+/);
    const fresh = requestWords.filter((w) => w.length > 0 && !known.has(w));
    t.true(fresh.length > 0, `a made-up word in "${ep.request}"`);
    // ... and a called tool carries it in its description or name, so the request can be matched.
    const called = ep.tools.filter((x) => ep.calls.some((c) => c.name === x.name));
    const toolWords = called.flatMap((v) => `${v.def.description} ${v.name}`.toLowerCase().split(/[^a-z]+/));
    t.true(fresh.some((w) => toolWords.includes(w)), `${toolWords.join(' ')} / ${ep.request}`);
  }
  // Requests that share no word with their tool ("Is it cold in Oslo today?") stay as they are.
  t.true(swapped > 0.4 * eps.length && swapped < eps.length, `${swapped} of ${eps.length} swapped`);
  const text = eps.map((ep) => `${ep.request}\n${ep.tools.map((v) => `${v.name} ${v.def.description}`).join('\n')}`).join('\n');
  for (const name of MINI_RESERVED_NAMES) t.false(new RegExp(`\\b${name}\\b`).test(text), name);
  // Its own stream: deterministic, and 0 is the plain world.
  t.deepEqual(world.train(30, { keywordSwap: 1 }), miniWorld({ seed: 0 }).train(30, { keywordSwap: 1 }));
  t.deepEqual(world.train(30, { keywordSwap: 0 }), TRAIN.slice(0, 30));
  // With renaming, made-up tool names stay (only catalogue names take the swapped words).
  for (const ep of world.episodes('train', 100, { renamed: true, keywordSwap: 1 })) {
    for (const v of ep.tools) t.false(MINI_CATALOGUE.some((d) => d.name === v.name), v.name);
  }
  t.throws(() => world.train(2, { keywordSwap: 2 }), { instanceOf: RangeError });
  t.throws(() => world.train(2, { keywordSwap: '1' as never }), { instanceOf: TypeError });
});

test('novel tool: one new synthetic tool among the train tools, asked for in about half of the rows', async (t) => {
  const tok = await world.tokenizer();
  const eps = world.episodes('train', 300, { novelTool: 1 });
  const catalogue = new Set(MINI_CATALOGUE.map((d) => d.name));
  let gold = 0;
  for (const ep of eps) {
    const fresh = ep.tools.filter((v) => v.def.domain === 'synthetic');
    t.false(catalogue.has(fresh[0]?.name ?? ''), `${fresh[0]?.name} is a catalogue name`);
    t.is(fresh.length, 1, ep.id);
    const novel = fresh[0]!;
    t.is(new Set(ep.tools.map((v) => v.name)).size, ep.tools.length, `distinct names in ${ep.id}`);
    for (const c of ep.calls) t.truthy(ep.tools.find((v) => v.name === c.name), c.name);
    if (ep.id.endsWith('+novel-gold')) {
      gold++;
      t.deepEqual(ep.calls.map((c) => c.name), [novel.name]);
      // The request names the new tool by its topic, a word no other listed tool has in its name
      // or description: the one clue to choosing it.
      const others = new Set(ep.tools.filter((v) => v !== novel).flatMap((v) => `${v.name} ${v.def.description}`.toLowerCase().split(/[^a-z]+/)));
      const requestWords = ep.request.toLowerCase().split(/[^a-z]+/);
      t.true(novel.name.split('_').some((w) => requestWords.includes(w) && !others.has(w)), `${novel.name} / ${ep.request}`);
    } else {
      t.true(ep.id.endsWith('+novel'), ep.id);
      t.false(ep.calls.some((c) => c.name === novel.name));
    }
  }
  t.true(gold > 0.35 * eps.length && gold < 0.65 * eps.length, `${gold} of ${eps.length} ask for the new tool`);
  for (const ex of world.train(300, { novelTool: 1 })) {
    // Gold answers still score the reward's maximum, and every row fits the token limit.
    t.is(toolrlReward(ex.groundTruth, ex.groundTruth).score, ex.groundTruth.includes('<tool_call>') ? rewardBounds().max : 1, ex.id);
    t.true(miniSequenceLength(ex, tok) <= DEFAULT_MINI_WORLD.maxTokens, ex.id);
    for (const name of MINI_RESERVED_NAMES) t.false(new RegExp(`\\b${name}\\b`).test(textOf(ex)), `${name} in ${ex.id}`);
  }
  t.deepEqual(world.train(30, { novelTool: 0.5 }), miniWorld({ seed: 0 }).train(30, { novelTool: 0.5 }));
  t.deepEqual(world.train(30, { novelTool: 0 }), TRAIN.slice(0, 30));
  t.throws(() => world.train(2, { novelTool: -0.1 }), { instanceOf: RangeError });
  t.throws(() => world.train(2, { novelTool: null as never }), { instanceOf: TypeError });
});

test('rename pieces: fresh names spelled in vocabulary pieces use far more of the vocabulary than syllables', async (t) => {
  const tok = await world.tokenizer();
  const names = (share: number): string[] =>
    world.episodes('train', 200, { renamed: true, renamePieces: share }).flatMap((ep) => ep.tools.flatMap((v) => [v.name, ...v.paramNames.values()]));
  const tokensOf = (ns: string[]): Set<number> => new Set(ns.flatMap((n) => [...tok.encode(` ${n.replace(/_/g, ' ')}`)]));
  const syllables = tokensOf(names(0));
  const pieces = tokensOf(names(1));
  t.true(pieces.size > 2 * syllables.size, `${pieces.size} distinct tokens in piece names, ${syllables.size} in syllable names`);
  for (const n of names(1)) {
    t.regex(n, /^[a-z]+(_[a-z]+)?$/);
    for (const r of MINI_RESERVED_NAMES) t.false(n.includes(r), `${n} holds ${r}`);
  }
  // 0 draws nothing extra: the renamed world is the one before the option.
  t.deepEqual(world.train(30, { renamed: true, renamePieces: 0 }), RENAMED.slice(0, 30));
  t.deepEqual(world.train(30, { renamed: true, renamePieces: 0.5 }), miniWorld({ seed: 0 }).train(30, { renamed: true, renamePieces: 0.5 }));
  // Plain rows have no fresh names to spell.
  t.deepEqual(world.train(30, { renamePieces: 1 }), TRAIN.slice(0, 30));
  t.throws(() => world.train(2, { renamePieces: 1.5 }), { instanceOf: RangeError });
});

test('miniWorld validates its options', (t) => {
  t.throws(() => miniWorld({ seed: -1 }), { instanceOf: RangeError });
  t.throws(() => miniWorld({ seed: 1.5 }), { instanceOf: RangeError });
  t.throws(() => miniWorld({ sed: 1 } as never), { instanceOf: TypeError, message: /Unknown option "sed"/ });
  t.throws(() => world.train(-1), { instanceOf: RangeError });
  t.throws(() => world.train(1, { rename: true } as never), { instanceOf: TypeError });
  t.throws(() => world.episodes('test' as never, 1), { instanceOf: TypeError });
});

test('miniModelConfig: Qwen2-shaped, as the feasibility notes size it', (t) => {
  const cfg = miniModelConfig(1024);
  t.like(cfg, { modelType: 'qwen2', vocabSize: 1024, hiddenSize: 128, numHiddenLayers: 4, numAttentionHeads: 8, numKeyValueHeads: 4, tieWordEmbeddings: true, attentionBias: true, eosTokenId: 2 });
  t.true(cfg.maxPositionEmbeddings >= 384);
  t.is(cfg.hiddenSize % cfg.numAttentionHeads, 0);
  t.throws(() => miniModelConfig(0), { instanceOf: RangeError });
  t.throws(() => miniModelConfig('512' as never), { instanceOf: TypeError });
  // Other shapes (the pretraining run's `model` setting), checked before they reach the addon.
  const wide = miniModelConfig(1024, { hiddenSize: 192, numHiddenLayers: 4, numAttentionHeads: 6, numKeyValueHeads: 3, intermediateSize: 768 });
  t.like(wide, { hiddenSize: 192, numAttentionHeads: 6, numKeyValueHeads: 3, intermediateSize: 768, tieWordEmbeddings: true });
  const base = { ...DEFAULT_MINI_MODEL_SHAPE };
  t.throws(() => miniModelConfig(1024, { ...base, numAttentionHeads: 5 }), { instanceOf: RangeError, message: /heads of an even size/ });
  t.throws(() => miniModelConfig(1024, { ...base, hiddenSize: 120, numAttentionHeads: 8 }), { instanceOf: RangeError, message: /even size/ }); // head dim 15
  t.throws(() => miniModelConfig(1024, { ...base, numKeyValueHeads: 3 }), { instanceOf: RangeError, message: /multiple of model.numKeyValueHeads/ });
  t.throws(() => miniModelConfig(1024, { ...base, numHiddenLayers: 0 }), { instanceOf: RangeError });
  t.throws(() => miniModelConfig(1024, { ...base, hiddenSize: 12.5 }), { instanceOf: RangeError });
  t.throws(() => miniModelConfig(1024, { ...base, hiddenSize: '128' as never }), { instanceOf: TypeError });
  t.throws(() => miniModelConfig(1024, { ...base, hidden: 64 } as never), { instanceOf: TypeError, message: /unknown setting hidden/ });
  t.throws(() => miniModelConfig(1024, null as never), { instanceOf: TypeError });
});
