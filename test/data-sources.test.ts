/**
 * loadDataset on the paper's real files (test/fixtures/toolrl, copied from ../shared/data/toolrl)
 * and on small hand-made files (test/fixtures/data): counts, ground truths, RL rejections, format
 * detection, and the errors for bad input (issue 4, Acceptance).
 */
import test from 'ava';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { parquetReadObjects, asyncBufferFromFile } from 'hyparquet';
import { loadDataset, DatasetError, TOOL_CALL_THINK } from '../lib/data';
import { tmpDir } from './helpers/tmp';

const TOOLRL = path.join(__dirname, 'fixtures', 'toolrl');
const DATA = path.join(__dirname, 'fixtures', 'data');

// ---------------------------------------------------------------------------------------------
// ToolRL raw JSON

test('rlla_sft.json: 400 rows for SFT, with system = instruction, user = input, ground truth = output', async (t) => {
  const file = path.join(TOOLRL, 'rlla_sft.json');
  const raw = JSON.parse(await fs.readFile(file, 'utf8')) as { instruction: string; input: string; output: string }[];
  const { rows, rejected } = await loadDataset(file, { purpose: 'sft' });
  t.is(rows.length, 400);
  t.deepEqual(rejected, []);
  rows.forEach((r, i) => {
    t.is(r.id, `rlla_sft.json#${i}`);
    t.deepEqual(r.messages, [
      { role: 'system', content: raw[i].instruction },
      { role: 'user', content: raw[i].input },
    ]);
    t.is(r.groundTruth, raw[i].output);
  });
});

test('rlla_sft.json for RL: the 17 rows whose <think> mentions <tool_call> are rejected with row and reason', async (t) => {
  const file = path.join(TOOLRL, 'rlla_sft.json');
  const raw = JSON.parse(await fs.readFile(file, 'utf8')) as { output: string }[];
  const expected = raw.flatMap((r, i) => (r.output.split('</think>')[0].includes('<tool_call>') ? [i] : []));
  t.is(expected.length, 17);
  const { rows, rejected } = await loadDataset(file, { purpose: 'rl' });
  t.is(rows.length, 383);
  t.deepEqual(
    rejected.map((r) => r.row),
    expected,
  );
  for (const r of rejected) t.regex(r.reason, /<tool_call>/);
  // The default purpose is 'rl': a GRPO run never meets a ground truth the reward cannot score.
  const byDefault = await loadDataset(file);
  t.is(byDefault.rows.length, 383);
  t.is(byDefault.rejected.length, 17);
});

// ---------------------------------------------------------------------------------------------
// veRL parquet

test("test.parquet: 80 rows whose ground truths equal the file's reward_model.ground_truth", async (t) => {
  const file = path.join(TOOLRL, 'test.parquet');
  const direct = await parquetReadObjects({ file: await asyncBufferFromFile(file), columns: ['prompt', 'reward_model'] });
  const { rows, rejected } = await loadDataset(file);
  t.is(rows.length, 80);
  t.deepEqual(rejected, []);
  rows.forEach((r, i) => {
    t.is(r.groundTruth, (direct[i].reward_model as { ground_truth: string }).ground_truth);
    t.deepEqual(
      r.messages,
      (direct[i].prompt as { role: string; content: string }[]).map((m) => ({ role: m.role, content: m.content })),
    );
    t.is(r.id, `test.parquet#${i}`);
  });
  t.is(rows.filter((r) => r.groundTruth.includes('<tool_call>')).length, 71);
  t.deepEqual((await loadDataset(file, { format: 'verl', purpose: 'sft' })).rows, rows);
});

test('a truncated parquet file is an Error naming the file', async (t) => {
  const dir = tmpDir('toolrl-data-');
  const bytes = await fs.readFile(path.join(TOOLRL, 'test.parquet'));
  for (const [name, cut] of [
    ['head.parquet', bytes.subarray(0, bytes.length >> 1)],
    ['tiny.parquet', bytes.subarray(0, 6)],
  ] as const) {
    const file = path.join(dir, name);
    await fs.writeFile(file, cut);
    const err = await t.throwsAsync(loadDataset(file), { instanceOf: DatasetError });
    t.true(err!.message.startsWith(`${file}: `));
    t.regex(err!.message, /parquet|truncated/);
  }
  // The data pages cut, the footer intact: the row group cannot be decoded.
  const file = path.join(dir, 'holes.parquet');
  const holed = Buffer.from(bytes);
  holed.fill(0, 4, holed.length >> 1);
  await fs.writeFile(file, holed);
  await t.throwsAsync(loadDataset(file), { instanceOf: DatasetError, message: /holes\.parquet: row 0: cannot decode rows 0\.\.79/ });
  await fs.rm(dir, { recursive: true });
});

// ---------------------------------------------------------------------------------------------
// API-Bank

test('API-Bank level files: 399 / 67 / 131 rows, gold calls rendered in the ToolRL format', async (t) => {
  for (const [level, n] of [
    [1, 399],
    [2, 67],
    [3, 131],
  ] as const) {
    const file = path.join(TOOLRL, `api-bank-level-${level}.json`);
    const raw = JSON.parse(await fs.readFile(file, 'utf8')) as { system: string; user: string; answer: unknown }[];
    const { rows, rejected } = await loadDataset(file, { format: 'apibank' });
    t.is(rows.length, n, `level ${level}`);
    t.deepEqual(rejected, []);
    t.deepEqual((await loadDataset(file)).rows, rows, 'auto-detected');
    rows.forEach((r, i) => {
      t.deepEqual(r.messages, [
        { role: 'system', content: raw[i].system },
        { role: 'user', content: raw[i].user },
      ]);
      const m = /^<think> (.*) <\/think>\n<tool_call>\n([^]*)\n<\/tool_call>$/.exec(r.groundTruth);
      t.truthy(m, r.groundTruth);
      t.is(m![1], TOOL_CALL_THINK);
      const calls = m![2].split('\n').map((l) => JSON.parse(l) as unknown);
      t.deepEqual(calls, Array.isArray(raw[i].answer) ? raw[i].answer : [raw[i].answer]);
    });
  }
  const { rows } = await loadDataset(path.join(TOOLRL, 'api-bank-level-2.json'));
  t.is(
    rows[0].groundTruth,
    "<think> I should use the appropriate tool with proper parameters to respond to the user's need. </think>\n" +
      '<tool_call>\n{"name": "SymptomSearch", "parameters": {"symptom": "rash"}}\n</tool_call>',
  );
});

// ---------------------------------------------------------------------------------------------
// OpenAI-style JSONL

test('JSONL in the OpenAI tool-calling shape is rendered into the ToolRL prompt and output format', async (t) => {
  const { rows, rejected } = await loadDataset(path.join(DATA, 'sample.jsonl'));
  t.is(rows.length, 4);
  t.deepEqual(rejected, []);
  const [a, b, c, d] = rows;

  // Tools become the paper's numbered list in its system prompt.
  const template = await fs.readFile(path.join(TOOLRL, 'system_prompt_template.txt'), 'utf8');
  t.is(
    a.messages[0].content,
    template.replace(
      '{tools}',
      '1. Name: get_weather\nDescription: Current weather for a city.\n' +
        'Parameters: {"city": {"type": "string", "description": "City name"}, "unit": {"type": "string", "enum": ["celsius", "fahrenheit"]}}\n' +
        'Required: ["city"]',
    ),
  );
  t.is(a.messages[1].content, "**Dialogue Records History**\n<user> What's the weather in Paris, in celsius? </user>");
  // Arguments are written as Python's json.dumps: 1.0 stays a float, big ints stay exact.
  t.is(
    a.groundTruth,
    `<think> ${TOOL_CALL_THINK} </think>\n<tool_call>\n` +
      '{"name": "get_weather", "parameters": {"city": "Paris", "unit": "celsius", "days": 1, "ratio": 1.0, "big": 12345678901234567890}}\n</tool_call>',
  );

  // History is inlined as the paper's data does; a system message goes first; non-ASCII is escaped.
  t.true(b.messages[0].content.startsWith('Be brief.\n\nYou are a helpful multi-turn dialogue assistant'));
  t.is(
    b.messages[1].content,
    [
      '**Dialogue Records History**',
      '<user> Find a flight to Rome. </user>',
      '',
      `<think> ${TOOL_CALL_THINK} </think>`,
      '<tool_call>',
      '{"name": "search_flights", "parameters": {"to": "FCO"}}',
      '</tool_call>',
      '<obs> [{"flight": "AZ1"}] </obs>',
      '',
      "<think> I should directly respond to the user's need. </think>",
      '<response> Flight AZ1 goes to Rome. </response>',
      '',
      '<user> Book it and tell Ana. </user>',
    ].join('\n'),
  );
  t.is(
    b.groundTruth,
    `<think> ${TOOL_CALL_THINK} </think>\n<tool_call>\n` +
      '{"name": "book_flight", "parameters": {"flight": "AZ1"}}\n' +
      '{"name": "send_message", "parameters": {"to": "Ana", "text": "Booked AZ1 \\u00e9"}}\n</tool_call>',
  );
  t.is(c.groundTruth, "<think> I should directly respond to the user's need. </think>\n<response> You're welcome. </response>");
  t.is(d.groundTruth, `<think> ${TOOL_CALL_THINK} </think>\n<tool_call>\n{"name": "get_weather", "parameters": {"city": "Oslo"}}\n</tool_call>`);
  t.is(d.id, 'sample.jsonl#3');
});

// ---------------------------------------------------------------------------------------------
// Bad input: an Error naming file and row, before any training starts.

test('a missing file is an Error naming it', async (t) => {
  const file = path.join(DATA, 'does-not-exist.json');
  await t.throwsAsync(loadDataset(file), { instanceOf: DatasetError, message: `${file}: cannot read dataset file (no such file)` });
  await t.throwsAsync(loadDataset(DATA), { instanceOf: DatasetError, message: /is a directory/ });
});

test('a row without ground truth is an Error with file and row', async (t) => {
  const cases: [string, RegExp][] = [
    ['bad-no-ground-truth.json', /bad-no-ground-truth\.json: row 2: has no ground truth/],
    ['bad-apibank-no-answer.json', /bad-apibank-no-answer\.json: row 1: has no ground truth/],
    ['bad-jsonl-no-gold.jsonl', /bad-jsonl-no-gold\.jsonl: row 1: has no ground truth .*\(line 2\)$/],
  ];
  for (const [name, message] of cases) {
    const err = await t.throwsAsync(loadDataset(path.join(DATA, name), { purpose: 'sft' }), { instanceOf: DatasetError, message });
    t.is(err!.file, path.join(DATA, name));
    t.is(typeof err!.row, 'number');
  }
});

test('a wrong or unknown format is an Error naming the file', async (t) => {
  await t.throwsAsync(loadDataset(path.join(DATA, 'bad-unknown-format.json')), { instanceOf: DatasetError, message: /unknown dataset format.*HINT/ });
  await t.throwsAsync(loadDataset(path.join(DATA, 'bad-not-json.txt')), { instanceOf: DatasetError, message: /bad-not-json\.txt: not a JSON array or JSONL file/ });
  await t.throwsAsync(loadDataset(path.join(TOOLRL, 'rlla_sft.json'), { format: 'apibank' }), {
    instanceOf: DatasetError,
    message: /rlla_sft\.json: row 0: not in the 'apibank' format.*looks like 'toolrl'/,
  });
  await t.throwsAsync(loadDataset(path.join(TOOLRL, 'rlla_sft.json'), { format: 'verl' }), { instanceOf: DatasetError, message: /not a parquet file/ });
  await t.throwsAsync(loadDataset(path.join(TOOLRL, 'test.parquet'), { format: 'jsonl' }), { instanceOf: DatasetError, message: /test\.parquet: / });
});

test('malformed JSON is an Error with file and position or row', async (t) => {
  await t.throwsAsync(loadDataset(path.join(DATA, 'bad-truncated.json')), {
    instanceOf: DatasetError,
    message: /bad-truncated\.json: invalid JSON at line 3, column \d+: .*truncated/,
  });
  await t.throwsAsync(loadDataset(path.join(DATA, 'bad-line.jsonl')), { instanceOf: DatasetError, message: /bad-line\.jsonl: row 1: line 2 is not valid JSON/ });
});

test('options are validated: unknown keys, bad values, bad path', async (t) => {
  const file = path.join(TOOLRL, 'api-bank-level-2.json');
  await t.throwsAsync(loadDataset(file, { porpose: 'rl' } as never), { instanceOf: TypeError, message: /Unknown option "porpose"/ });
  await t.throwsAsync(loadDataset(file, { purpose: 'train' } as never), {
    instanceOf: RangeError,
    message: `Expected one of 'rl', 'sft' for purpose but received "train" of type string`,
  });
  await t.throwsAsync(loadDataset(file, { format: 'csv' } as never), { instanceOf: RangeError, message: /for format but received "csv"/ });
  await t.throwsAsync(loadDataset(42 as never), { instanceOf: TypeError, message: 'Expected a string for path but received 42 of type number' });
});
