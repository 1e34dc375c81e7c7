/** `node train.js` argument handling: --help, unknown and malformed options, config files. */
import test from 'ava';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { tmpDir } from './helpers/tmp';

function cli(args: string[]) {
  return spawnSync(process.execPath, ['--import', 'tsx', '-e', "require('./lib/cli/main').main(process.argv.slice(1)).then(c=>process.exit(c))", '--', ...args], {
    encoding: 'utf8',
    cwd: path.join(__dirname, '..'),
  });
}

test('--help lists the options and exits 0', (t) => {
  const r = cli(['--help']);
  t.is(r.status, 0);
  for (const opt of ['--model', '--data', '--length', '--scale', '--granularity', '--group-size', '--out', '--seed', '--threads', 'resume', '--config']) {
    t.true(r.stdout.includes(opt), opt);
  }
});

test('unknown, misspelled and malformed options exit 2 with a clear message', (t) => {
  let r = cli(['--grop-size', '4']);
  t.is(r.status, 2);
  t.regex(r.stderr, /unknown option --grop-size \(did you mean --group-size\?\)/);
  r = cli(['--group-size', 'four']);
  t.is(r.status, 2);
  t.regex(r.stderr, /--group-size must be a number/);
  r = cli(['--granularity', 'medium']);
  t.is(r.status, 2);
  t.regex(r.stderr, /--granularity must be one of default, finegrained, intermediate, coarse/);
  r = cli(['--seed']);
  t.is(r.status, 2);
  const dir = tmpDir();
  const bad = path.join(dir, 'bad.yaml');
  fs.writeFileSync(bad, 'grpo-stepz: 3\n');
  r = cli(['--config', bad]);
  t.is(r.status, 2);
  t.regex(r.stderr, /unknown option "grpo-stepz"/);
  r = cli(['eval', '--bench', 'nope']);
  t.is(r.status, 2);
  r = cli(['--rename-share', '0', '--out', path.join(dir, 'share')]);
  t.is(r.status, 2);
  t.regex(r.stderr, /--rename-share: expected a number in \(0, 1\], got 0/);
  r = cli(['--renamed-fraction', '1.5', '--out', path.join(dir, 'fraction')]);
  t.is(r.status, 2);
  t.regex(r.stderr, /--renamed-fraction: expected a number in \[0, 1\], got 1.5/);
});

test('a small toolrl-mini run end to end: base, SFT and GRPO rows in summary.json; --model takes a toolrl-mini checkpoint', (t) => {
  const small = ['--sft-examples', '8', '--sft-epochs', '1', '--grpo-steps', '1', '--prompts-per-step', '2', '--group-size', '2', '--held-out', '4', '--max-new-tokens', '12'];
  const out = path.join(tmpDir(), 'run');
  let r = cli([...small, '--out', out]);
  t.is(r.status, 0, r.stderr);
  const summary = JSON.parse(fs.readFileSync(path.join(out, 'summary.json'), 'utf8')) as Record<string, { accuracy: number; reward: number }>;
  for (const stage of ['base', 'sft', 'grpo']) {
    t.true(Number.isFinite(summary[stage]!.accuracy) && Number.isFinite(summary[stage]!.reward), stage);
  }
  // The run's checkpoint is a toolrl-mini model: --model keeps the toolrl-mini settings and data.
  const out2 = path.join(tmpDir(), 'run2');
  r = cli([...small, '--stages', 'sft', '--model', path.join(out, 'checkpoint', 'model'), '--out', out2]);
  t.is(r.status, 0, r.stderr);
  t.regex(r.stderr, /checkpoint[/\\]model \(toolrl-mini\)/);
  t.regex(r.stdout, /tools unseen in training/);
});
