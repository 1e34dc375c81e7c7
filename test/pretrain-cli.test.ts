/**
 * `npm run pretrain:mini`'s arguments (scripts/pretrain-mini.ts). A file of its own: run beside the
 * in-process pretraining of test/pretrain-run.test.ts, the child processes here left that file's
 * tests pending until ava's timeout (measured 2026-12-07, 3 of 3 runs; not understood).
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import test from 'ava';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'toolrl-pretrain-cli-'));
test.after.always(() => fs.rmSync(root, { recursive: true, force: true }));

test('npm run pretrain:mini refuses unknown arguments and training flags given with --describe, before any work', async (t) => {
  const run = (...args: string[]) =>
    new Promise<{ status: number | null; stderr: string }>((resolve) => {
      execFile(process.execPath, ['--import', 'tsx', 'scripts/pretrain-mini.ts', ...args], { cwd: path.join(__dirname, '..') }, (err, _out, stderr) =>
        resolve({ status: err ? (typeof err.code === 'number' ? err.code : null) : 0, stderr }),
      );
    });
  const typo = await run('--step', '5', '--out', path.join(root, 'never'));
  t.is(typo.status, 1);
  t.regex(typo.stderr, /unknown argument --step/);
  const describe = await run('--describe', '--resume', '--out', path.join(root, 'never'));
  t.is(describe.status, 1);
  t.regex(describe.stderr, /--describe takes only --out and --work.*--resume/);
  t.false(fs.existsSync(path.join(root, 'never')));
});
