/**
 * `node train.js eval` (lib/cli/eval.ts): arguments, exit codes, the printed table and the JSON
 * report, with the oracle on the fixture data (no model needed).
 */
import test from 'ava';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { evalCommand } from '../lib/cli/eval';
import { APIBANK_FIXTURE_DIR, BFCL_FIXTURE_DIR } from './fixtures/bfcl/entries';
import { tmpDir } from './helpers/tmp';

/** Runs the command with stdout/stderr captured (serial tests only: it swaps the globals). */
async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const o = process.stdout.write.bind(process.stdout);
  const e = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((s: string) => ((out += s), true)) as typeof process.stdout.write;
  process.stderr.write = ((s: string) => ((err += s), true)) as typeof process.stderr.write;
  try {
    const code = await evalCommand(argv);
    return { code, out, err };
  } finally {
    process.stdout.write = o;
    process.stderr.write = e;
  }
}

const tmp = () => tmpDir('toolrl-eval-cli-');

test.serial('--help prints the usage and exits 0', async (t) => {
  const r = await run(['--help']);
  t.is(r.code, 0);
  t.regex(r.out, /Usage: node train\.js eval --bench bfcl\|apibank --data PATH \(--model DIR \| --oracle\)/);
  t.regex(r.out, /--limit N/);
  t.regex(r.out, /live_parallel_multiple/);
});

test.serial('bad arguments: a clear message and exit code 2', async (t) => {
  const cases: [string[], RegExp][] = [
    [[], /--bench is required/],
    [['--bench', 'gsm8k', '--data', BFCL_FIXTURE_DIR, '--oracle'], /--bench must be bfcl or apibank, not "gsm8k"/],
    [['--bench', 'bfcl', '--oracle'], /--data is required/],
    [['--bench', 'bfcl', '--data', '/no/such/dir', '--oracle'], /--data \/no\/such\/dir: no such file or directory/],
    [['--bench', 'bfcl', '--data', BFCL_FIXTURE_DIR], /give --model DIR, or --oracle/],
    [['--bench', 'bfcl', '--data', BFCL_FIXTURE_DIR, '--oracle', '--model', BFCL_FIXTURE_DIR], /exclude each other/],
    [['--bench', 'bfcl', '--data', BFCL_FIXTURE_DIR, '--model', '/no/model'], /--model \/no\/model: not a directory/],
    [['--bench', 'bfcl', '--data', BFCL_FIXTURE_DIR, '--oracle', '--limit', '0'], /--limit expects a positive integer but received "0"/],
    [['--bench', 'bfcl', '--data', BFCL_FIXTURE_DIR, '--oracle', '--limit', 'ten'], /--limit expects a positive integer/],
    [['--bench', 'bfcl', '--data', BFCL_FIXTURE_DIR, '--oracle', '--limit'], /--limit needs a value/],
    [['--bench', 'bfcl', '--data', BFCL_FIXTURE_DIR, '--oracle', '--verbose'], /unknown option --verbose/],
    [['--bench', 'bfcl', '--data', BFCL_FIXTURE_DIR, '--oracle', '--categories', 'simple,java'], /--categories: unknown java/],
    [['--bench', 'apibank', '--data', APIBANK_FIXTURE_DIR, '--oracle', '--categories', 'simple'], /--categories applies to --bench bfcl only/],
    [['--bench', 'bfcl', '--bench', 'bfcl', '--data', BFCL_FIXTURE_DIR, '--oracle'], /--bench given twice/],
  ];
  for (const [argv, message] of cases) {
    const r = await run(argv);
    t.is(r.code, 2, argv.join(' '));
    t.regex(r.err, message, argv.join(' '));
    t.regex(r.err, /--help/);
  }
});

test.serial('BFCL oracle: table on stdout, a JSON report with every item, exit 0', async (t) => {
  const out = path.join(tmp(), 'report.json');
  const r = await run(['--bench=bfcl', '--data', BFCL_FIXTURE_DIR, '--oracle', '--out', out, '--quiet']);
  t.is(r.code, 0, r.err);
  t.regex(r.out, /live_simple\s+8\s+6\s+75\.00%/);
  t.regex(r.out, /Summary — BFCL v3 aggregation/);
  t.regex(r.out, /Unsatisfiable entries \(5; spec\/BFCL\.md §9 names 5 in v3\)/);
  for (const id of ['live_simple_106-63-0', 'live_simple_112-68-0', 'live_multiple_507-149-4', 'live_multiple_862-181-3', 'live_multiple_964-207-0']) {
    t.true(r.out.includes(id), id);
  }
  const report = JSON.parse(fs.readFileSync(out, 'utf8'));
  t.is(report.bench, 'bfcl');
  t.is(report.mode, 'oracle');
  t.deepEqual(report.oracle.unexpectedFailures, []);
  t.is(report.items.length, 45);
  const item = report.items.find((i: { id: string }) => i.id === 'live_parallel_multiple_14-12-0');
  t.is(item.prompt[0].role, 'system');
  t.regex(item.raw, /<tool_call>/);
  // decoded calls are kept as Python's json.dumps text: 5.0 stays a float
  t.regex(item.decoded, /"x": 5\.0/);
  t.true(item.valid);
  t.is(item.errorType, null);
  const bad = report.items.find((i: { id: string }) => i.id === 'live_simple_112-68-0');
  t.false(bad.valid);
  t.is(bad.errorType, 'simple_function_checker:missing_required');
  t.regex(bad.unsatisfiable, /empty list/);
});

test.serial('API-Bank oracle with --limit: per-level table, exit 0', async (t) => {
  const out = path.join(tmp(), 'ab.json');
  const r = await run(['--bench', 'apibank', '--data', APIBANK_FIXTURE_DIR, '--oracle', '--limit', '1', '--out', out, '--quiet']);
  t.is(r.code, 0, r.err);
  t.regex(r.out, /overall\s+3\s+3\s+100\.00%/);
  const report = JSON.parse(fs.readFileSync(out, 'utf8'));
  t.is(report.items.length, 3);
  t.is(report.items[0].gold, '[{"name": "ModifyRegistration", "parameters": {"appointment_id": "34567890", "new_appointment_date": "2023-03-26", "new_appointment_doctor": "Dr. Lee"}}]');
});

test.serial('incomplete data: exit 1 with the missing files named', async (t) => {
  const dir = tmp();
  fs.cpSync(BFCL_FIXTURE_DIR, dir, { recursive: true });
  fs.rmSync(path.join(dir, 'BFCL_v3_multiple.json'));
  const r = await run(['--bench', 'bfcl', '--data', dir, '--oracle', '--out', path.join(dir, 'r.json'), '--quiet']);
  t.is(r.code, 1);
  t.regex(r.err, /BFCL_v3_multiple\.json/);
  const ok = await run(['--bench', 'bfcl', '--data', dir, '--oracle', '--categories', 'simple,parallel', '--out', path.join(dir, 'r.json'), '--quiet']);
  t.is(ok.code, 0, ok.err);
});
