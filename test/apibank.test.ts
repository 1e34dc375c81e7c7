/**
 * API-Bank scoring (issue 7): correct when some call in the model's last `<tool_call>` block has
 * the gold name and parameters equal to the gold (Python equality). Real items from the paper's
 * processed files, copied to test/fixtures/bfcl/api-bank.
 */
import test from 'ava';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { apiBankOracle, apiBankScore, loadApiBank, runApiBank, type TextGenerator } from '../lib/eval';
import { APIBANK_FIXTURE_DIR } from './fixtures/bfcl/entries';
import { tmpDir } from './helpers/tmp';

/** The raw `answer` field of a fixture item, as JSON text. */
function answer(level: number, index: number): string {
  const items = JSON.parse(fs.readFileSync(path.join(APIBANK_FIXTURE_DIR, `api-bank-level-${level}.json`), 'utf8')) as { answer: unknown }[];
  return JSON.stringify(items[index].answer);
}

const block = (...lines: string[]) => `<think>ok</think>\n<tool_call>\n${lines.join('\n')}\n</tool_call>`;

test('list gold (level 1): the gold call anywhere in the last block; key order is irrelevant', (t) => {
  const gold = answer(1, 0); // [{"name": "ModifyRegistration", "parameters": {...3 strings}}]
  t.true(gold.startsWith('['));
  const call = '{"name": "ModifyRegistration", "parameters": {"new_appointment_doctor": "Dr. Lee", "appointment_id": "34567890", "new_appointment_date": "2023-03-26"}}';
  t.true(apiBankScore(gold, block(call)).correct);
  t.true(apiBankScore(gold, block('{"name": "QueryHealthData", "parameters": {}}', call)).correct);
  t.true(apiBankScore(gold, block('garbage line', call)).correct);
});

test('single gold (level 2): a dict answer scores the same way', (t) => {
  const gold = answer(2, 1); // {"name": "SymptomSearch", "parameters": {"symptom": "rash"}}
  t.true(gold.startsWith('{'));
  t.true(apiBankScore(gold, block('{"name": "SymptomSearch", "parameters": {"symptom": "rash"}}')).correct);
  t.is(apiBankScore(gold, block('{"name": "SymptomSearch", "parameters": {"symptom": "Rash"}}')).errorType, 'wrong_parameters');
  t.true(apiBankScore(answer(2, 0), block('{"name": "GetToday", "parameters": {}}')).correct);
  t.true(apiBankScore(answer(1, 1), block('{"name": "GetToday", "parameters": {}}')).correct);
});

test('Python equality, strictly: "2" != 2, no string normalising, no extra or missing parameters', (t) => {
  const gold = answer(3, 0); // [{"name": "UserPosts", "parameters": {"user_id": "2"}}]
  t.true(apiBankScore(gold, block('{"name": "UserPosts", "parameters": {"user_id": "2"}}')).correct);
  t.is(apiBankScore(gold, block('{"name": "UserPosts", "parameters": {"user_id": 2}}')).errorType, 'wrong_parameters');
  t.is(apiBankScore(gold, block('{"name": "UserPosts", "parameters": {"user_id": "2 "}}')).errorType, 'wrong_parameters');
  t.is(apiBankScore(gold, block('{"name": "UserPosts", "parameters": {"user_id": "2", "limit": "5"}}')).errorType, 'wrong_parameters');
  t.is(apiBankScore(gold, block('{"name": "UserPosts", "parameters": {}}')).errorType, 'wrong_parameters');
  t.is(apiBankScore(gold, block('{"name": "userposts", "parameters": {"user_id": "2"}}')).errorType, 'wrong_name');
});

test('only the last <tool_call> block counts; no block, or no parsable call, is wrong', (t) => {
  const gold = answer(3, 0);
  const good = '<tool_call>\n{"name": "UserPosts", "parameters": {"user_id": "2"}}\n</tool_call>';
  const bad = '<tool_call>\n{"name": "UserPosts", "parameters": {"user_id": "3"}}\n</tool_call>';
  t.true(apiBankScore(gold, `${bad}\n${good}`).correct);
  t.false(apiBankScore(gold, `${good}\n${bad}`).correct);
  t.is(apiBankScore(gold, '<response>The posts are ...</response>').errorType, 'no_tool_call');
  t.is(apiBankScore(gold, '<tool_call>\n{\n "name": "UserPosts"\n}\n</tool_call>').errorType, 'no_call_parsed');
});

test('bad arguments: malformed gold or non-text output → TypeError', (t) => {
  t.throws(() => apiBankScore('{"parameters": {}}', block()), { instanceOf: TypeError, message: /gold calls of the form \{name, parameters\}/ });
  t.throws(() => apiBankScore('[]', block()), { instanceOf: RangeError });
  t.throws(() => apiBankScore(answer(3, 0), undefined as never), { instanceOf: TypeError, message: /Expected a string \(the model output\) for text/ });
});

test('loads levels 1-3 through the shared loader: ids, levels, the files\' own messages, gold calls', async (t) => {
  const items = await loadApiBank(APIBANK_FIXTURE_DIR);
  t.deepEqual(items.map((i) => [i.id, i.level]), [
    ['api-bank-level-1.json#0', 1],
    ['api-bank-level-1.json#1', 1],
    ['api-bank-level-2.json#0', 2],
    ['api-bank-level-2.json#1', 2],
    ['api-bank-level-3.json#0', 3],
  ]);
  const [system, user] = items[0].messages;
  t.is(system.role, 'system');
  t.regex(system.content, /^You are a helpful multi-turn dialogue assistant/);
  t.regex(user.content, /please only make one tool call to solve my need\.<\/user>\n$/);
  t.is(items[3].gold.length, 1);
  t.deepEqual([...(items[3].gold[0] as Map<string, unknown>).keys()], ['name', 'parameters']);
  const one = await loadApiBank(path.join(APIBANK_FIXTURE_DIR, 'api-bank-level-2.json'), { limit: 1 });
  t.deepEqual(one.map((i) => i.id), ['api-bank-level-2.json#0']);
});

test('missing data is a clear error', async (t) => {
  const dir = tmpDir('toolrl-apibank-');
  fs.copyFileSync(path.join(APIBANK_FIXTURE_DIR, 'api-bank-level-1.json'), path.join(dir, 'api-bank-level-1.json'));
  const err = await t.throwsAsync(loadApiBank(dir));
  t.regex(err.message, /api-bank-level-2\.json/);
  t.regex(err.message, /api-bank-level-3\.json/);
  await t.throwsAsync(loadApiBank(path.join(dir, 'nope')), { message: /API-Bank data not found/ });
});

test('oracle run: 100% per level and overall', async (t) => {
  const items = await loadApiBank(APIBANK_FIXTURE_DIR);
  const r = await runApiBank(items, apiBankOracle(items));
  t.deepEqual(r.levels.map((l) => [l.level, l.correct, l.total]), [[1, 2, 2], [2, 2, 2], [3, 1, 1]]);
  t.deepEqual(r.overall, { total: 5, correct: 5, accuracy: 1 });
});

test('a model run: per-level accuracy, overall over all items, bad outputs scored not thrown', async (t) => {
  const items = await loadApiBank(APIBANK_FIXTURE_DIR);
  const oracle = apiBankOracle(items);
  const model: TextGenerator = async (prompts, ids) => {
    const gold = await oracle(prompts, ids);
    return ids.map((id, i) => (id.endsWith('level-1.json#0') ? 'I cannot help.' : id.endsWith('level-3.json#0') ? null : gold[i]));
  };
  const r = await runApiBank(items, model, { batchSize: 2 });
  t.deepEqual(r.levels.map((l) => [l.level, l.correct, l.total]), [[1, 1, 2], [2, 2, 2], [3, 0, 1]]);
  t.is(r.overall.correct, 3);
  t.is(r.overall.accuracy, 3 / 5);
  t.is(r.items[0].errorType, 'no_tool_call');
  t.is(r.items[4].errorType, 'eval_harness:no_model_text');
  t.regex(r.items[4].error!, /not text: received null/);
});
