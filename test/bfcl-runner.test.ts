/**
 * The BFCL runner end to end on the fixture subset (test/fixtures/bfcl, laid out as BFCL's data
 * folder): loading, the ToolRL harness prompt, the oracle, bad input, aggregation.
 */
import test from 'ava';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  BFCL_V3_CATEGORIES, bfclOracle, bfclPrompt, bfclSortKey, loadBfcl, runBfcl, summarizeBfcl, toolrlChatml, type TextGenerator,
} from '../lib/eval';
import { BFCL_FIXTURE_DIR } from './fixtures/bfcl/entries';
import { tmpDir } from './helpers/tmp';

function tempCopy(): string {
  const dir = tmpDir('toolrl-bfcl-');
  fs.cpSync(BFCL_FIXTURE_DIR, dir, { recursive: true });
  return dir;
}

// ---------------------------------------------------------------------------------------------
// Loading

test('loads all 11 categories, sorted by BFCL sort_key, paired with their answers', (t) => {
  const ds = loadBfcl(BFCL_FIXTURE_DIR);
  t.deepEqual(ds.categories.map((c) => c.category), [...BFCL_V3_CATEGORIES]);
  const simple = ds.categories[0].entries.map((e) => e.id);
  t.deepEqual(simple.slice(0, 4), ['simple_17', 'simple_82', 'simple_83', 'simple_94']);
  const live = ds.categories.find((c) => c.category === 'live_simple')!;
  t.deepEqual(live.entries.map((e) => bfclSortKey(e.id)![1]), [90, 106, 112, 116, 117, 132, 165, 256]);
  for (const c of ds.categories) {
    for (const e of c.entries) {
      t.is(e.problem, undefined, e.id);
      t.is(e.possibleAnswer === null, c.category.includes('relevance'), e.id);
    }
  }
  t.deepEqual(bfclSortKey('live_multiple_507-149-4'), ['live_multiple', 507]);
  t.is(bfclSortKey('noindex'), null);
});

test('--limit keeps the first N entries of each category after sorting', (t) => {
  const ds = loadBfcl(BFCL_FIXTURE_DIR, { categories: ['simple', 'parallel'], limit: 2 });
  t.deepEqual(ds.categories.map((c) => c.entries.map((e) => e.id)), [['simple_17', 'simple_82'], ['parallel_52', 'parallel_116']]);
  t.is(ds.categories[0].totalInFile, 13);
});

test('a missing category file is a clear error naming every missing path', (t) => {
  const dir = tempCopy();
  fs.rmSync(path.join(dir, 'BFCL_v3_live_simple.json'));
  fs.rmSync(path.join(dir, 'possible_answer', 'BFCL_v3_parallel.json'));
  const err = t.throws(() => loadBfcl(dir));
  t.regex(err.message, /BFCL_v3_live_simple\.json/);
  t.regex(err.message, /possible_answer.BFCL_v3_parallel\.json/);
  t.regex(err.message, /HINT: choose the categories you have with --categories/);
  t.notThrows(() => loadBfcl(dir, { categories: ['simple', 'irrelevance'] }));
  t.throws(() => loadBfcl(path.join(dir, 'nope')), { message: /BFCL data directory not found/ });
  t.throws(() => loadBfcl(dir, { categories: ['java'] }), { instanceOf: RangeError });
  t.throws(() => loadBfcl(dir, { limit: 0 }), { instanceOf: RangeError, message: /positive integer for opts\.limit/ });
});

// ---------------------------------------------------------------------------------------------
// Prompt (spec §7)

test('the prompt is byte-identical to the ToolRL harness (rendered in Python)', (t) => {
  const ds = loadBfcl(BFCL_FIXTURE_DIR);
  const entries = new Map(ds.categories.flatMap((c) => c.entries).map((e) => [e.id, e]));
  const expected = fs
    .readFileSync(path.join(BFCL_FIXTURE_DIR, 'harness_prompts.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { id: string; chatml: string });
  t.is(expected.length, 5);
  for (const { id, chatml } of expected) {
    const e = entries.get(id)!;
    t.is(toolrlChatml(bfclPrompt(e.messages, e.functions)), chatml, id);
  }
});

test('prompt details: Python hint, properties only, system turns dropped, user turns wrapped, assistant raw', (t) => {
  const ds = loadBfcl(BFCL_FIXTURE_DIR, { categories: ['simple', 'live_irrelevance'] });
  const s363 = ds.categories[0].entries.find((e) => e.id === 'simple_363')!;
  const [system, user] = bfclPrompt(s363.messages, s363.functions);
  t.is(system.role, 'system');
  t.regex(system.content, /1\. Name: restaurant_search\.find_closest\nDescription: .* Note that the provided function is in Python 3 syntax\.\nParameters: \{"location": \{"type": "string"/);
  t.false(system.content.includes('"required"'));
  t.true(system.content.endsWith('(if exists).\n'));
  t.true(user.content.startsWith('**Dialogue Records History**\n<user> Find the closest sushi restaurant'));
  t.true(user.content.endsWith("call the tool with the name as 'None'. Otherwise, you should use one or more necessary tool calls to complete the given task in this turn. </user>"));
  const withSystem = ds.categories[1].entries.find((e) => e.id === 'live_irrelevance_159-19-1')!;
  const u2 = bfclPrompt(withSystem.messages, withSystem.functions)[1].content;
  t.false(u2.includes('<system>'));
  t.is(u2.split('<user>').length - 1, 1);
  const withAssistant = ds.categories[1].entries.find((e) => e.id === 'live_irrelevance_292-72-1')!;
  t.regex(bfclPrompt(withAssistant.messages, withAssistant.functions)[1].content, /<\/user>\n\n[^<]/);
});

// ---------------------------------------------------------------------------------------------
// Oracle

test('oracle over the fixture subset: every satisfiable entry valid, the unsatisfiable ones named', async (t) => {
  const ds = loadBfcl(BFCL_FIXTURE_DIR);
  const oracle = bfclOracle(ds.categories.flatMap((c) => c.entries));
  const r = await runBfcl(ds, oracle.generate, { oracleAnswers: oracle.answers, batchSize: 4 });
  t.truthy(r.oracle);
  t.deepEqual(r.oracle!.unexpectedFailures, []);
  t.is(r.oracle!.satisfiableValid, r.oracle!.satisfiable);
  t.deepEqual(r.oracle!.unsatisfiable.map((u) => u.id).sort(), ['live_multiple_862-181-3', 'live_multiple_964-207-0', 'live_simple_106-63-0', 'live_simple_112-68-0']);
  t.true(r.oracle!.unsatisfiable.every((u) => !u.valid));
  t.regex(r.oracle!.unsatisfiable.find((u) => u.id === 'live_simple_112-68-0')!.reason, /empty list of allowed values/);
  t.regex(r.oracle!.unsatisfiable.find((u) => u.id === 'live_multiple_862-181-3')!.reason, /not in the function's schema/);
  // spec §9's fifth: no real value passes, an explicit "" does (§2)
  t.deepEqual(r.oracle!.emptyStringOnly.map((u) => [u.id, u.valid]), [['live_multiple_507-149-4', true]]);
  const live = r.categories.find((c) => c.category === 'live_simple')!;
  t.is(live.total - live.correct, 2);
  // every item has prompt, raw text, decoded calls
  for (const item of r.items) {
    t.truthy(item.prompt);
    t.is(typeof item.raw, 'string');
    t.true(Array.isArray(item.decoded));
  }
});

// ---------------------------------------------------------------------------------------------
// Bad items never abort a run

test('a malformed line is one invalid item with its reason; the rest of the category is scored', async (t) => {
  const dir = tempCopy();
  const file = path.join(dir, 'BFCL_v3_simple.json');
  fs.writeFileSync(file, `${fs.readFileSync(file, 'utf8')}\n{"id": "simple_999", "question": [[{"role": "user", "content": "x"}]], "function": [`);
  const ds = loadBfcl(dir, { categories: ['simple'] });
  const bad = ds.categories[0].entries.find((e) => e.problem !== undefined)!;
  t.regex(bad.problem!, /BFCL_v3_simple\.json line 14: malformed JSON/);
  const oracle = bfclOracle(ds.categories[0].entries);
  const r = await runBfcl(ds, oracle.generate, { oracleAnswers: oracle.answers });
  t.is(r.categories[0].total, 14);
  t.is(r.categories[0].correct, 13);
  const item = r.items.find((i) => i.id === bad.id)!;
  t.is(item.errorType, 'eval_harness:bad_entry');
  t.regex(item.error!, /malformed JSON/);
});

test('an entry without a possible answer is scored invalid with its reason', async (t) => {
  const dir = tempCopy();
  const file = path.join(dir, 'possible_answer', 'BFCL_v3_parallel.json');
  fs.writeFileSync(file, fs.readFileSync(file, 'utf8').split('\n').filter((l) => !l.includes('"parallel_116"')).join('\n'));
  const ds = loadBfcl(dir, { categories: ['parallel'] });
  t.regex(ds.categories[0].warnings[0], /paired by id/);
  const r = await runBfcl(ds, bfclOracle(ds.categories[0].entries).generate);
  const item = r.items.find((i) => i.id === 'parallel_116')!;
  t.is(item.errorType, 'eval_harness:bad_entry');
  t.regex(item.error!, /no possible answer/);
  t.is(r.categories[0].correct, 4);
});

test('a model output that is not text, a failing batch, a wrong-sized batch: invalid items, never a crash', async (t) => {
  const ds = loadBfcl(BFCL_FIXTURE_DIR, { categories: ['simple'] });
  const oracle = bfclOracle(ds.categories[0].entries);
  let call = 0;
  const flaky: TextGenerator = async (prompts, ids) => {
    call++;
    if (call === 2) throw new Error('CUDA out of memory');
    if (call === 3) return ['only one'];
    const texts = await oracle.generate(prompts, ids);
    return texts.map((x, i) => (i === 0 && call === 1 ? undefined : i === 1 && call === 1 ? 42 : x));
  };
  const r = await runBfcl(ds, flaky, { batchSize: 3 });
  const items = r.items;
  t.is(items.length, 13);
  t.is(items[0].errorType, 'eval_harness:no_model_text');
  t.regex(items[0].error!, /not text: received undefined/);
  t.regex(items[1].error!, /not text: received number 42/);
  t.true(items[2].valid);
  for (const i of items.slice(3, 6)) t.regex(i.error!, /generation failed for this batch: CUDA out of memory/);
  for (const i of items.slice(6, 9)) t.regex(i.error!, /returned 1 outputs for a batch of 3/);
  t.true(items.slice(9).every((i) => i.valid));
  t.is(r.categories[0].correct, 5);
});

// ---------------------------------------------------------------------------------------------
// Aggregation (spec §8, v3)

test('summary: non-live unweighted, live weighted, categories not run count 0 with their v3 size', (t) => {
  const all = BFCL_V3_CATEGORIES.map((c) => ({ category: c, correct: 0, total: 10 }));
  const score = (c: string, correct: number, total: number) => Object.assign(all.find((x) => x.category === c)!, { correct, total });
  score('simple', 8, 10);
  score('multiple', 6, 10);
  score('parallel', 4, 10);
  score('parallel_multiple', 2, 10);
  score('irrelevance', 10, 10);
  score('live_simple', 1, 1);
  score('live_multiple', 0, 3);
  score('live_parallel', 1, 2);
  score('live_parallel_multiple', 1, 2);
  score('live_irrelevance', 2, 2);
  score('live_relevance', 0, 2);
  const s = summarizeBfcl(all);
  t.regex(s.version, /cd9429cc/);
  // official simple_ast = mean(0.8, java 0, js 0)
  t.is(s.official.nonLiveAst.accuracy, (0.8 / 3 + 0.6 + 0.4 + 0.2) / 4);
  t.true(s.official.nonLiveAst.na);
  t.is(s.python.nonLiveAst.accuracy, (0.8 + 0.6 + 0.4 + 0.2) / 4);
  t.false(s.python.nonLiveAst.na);
  t.is(s.python.nonLiveOverall.accuracy, (0.8 + 0.6 + 0.4 + 0.2 + 1) / 5);
  t.is(s.official.liveAst.accuracy, 3 / 8); // weighted: (1 + 0 + 1 + 1) / (1 + 3 + 2 + 2)
  t.is(s.official.liveOverall.accuracy, 5 / 12);
  t.is(s.official.irrelevance.accuracy, 1);
  t.is(s.official.relevance.accuracy, 0);
  t.is(s.official.overall.accuracy, (5 / 12 + s.official.nonLiveOverall.accuracy + 0) / 3);

  // live_multiple not run: 0 over its 1053 v3 entries in the weighted mean, displayed N/A
  const partial = summarizeBfcl(all.filter((c) => c.category !== 'live_multiple'));
  t.is(partial.official.liveAst.accuracy, 3 / (1 + 1053 + 2 + 2));
  t.true(partial.official.liveAst.na);
  t.false(partial.official.liveOverall.na); // "overall" columns never show N/A
});
