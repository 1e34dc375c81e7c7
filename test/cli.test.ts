/** `node train.js` argument handling: --help, unknown and malformed options, config files. */
import test from 'ava';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { Policy } from '../lib/policy';
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
  r = cli(['--sft-piece-dropout', '-0.1', '--out', path.join(dir, 'pieces')]);
  t.is(r.status, 2);
  t.regex(r.stderr, /--sft-piece-dropout: expected a number in \[0, 1\], got -0.1/);
  r = cli(['--grpo-piece-dropout', '2', '--out', path.join(dir, 'grpo-pieces')]);
  t.is(r.status, 2);
  t.regex(r.stderr, /--grpo-piece-dropout: expected a number in \[0, 1\], got 2/);
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

test('with --beta > 0 the KL reference is the model GRPO starts from, kept in <out>/reference across --resume', async (t) => {
  const small = ['--stages', 'grpo', '--grpo-steps', '2', '--checkpoint-every', '1', '--prompts-per-step', '2', '--group-size', '2', '--held-out', '4', '--max-new-tokens', '12'];
  const base = path.join(__dirname, '..', 'assets', 'toolrl-mini-base');
  // Only the GRPO stage, from --model: there is no SFT checkpoint to take the reference from.
  const out = path.join(tmpDir(), 'ref');
  let r = cli([...small, '--model', base, '--beta', '0.04', '--out', out]);
  t.is(r.status, 0, r.stderr);
  const refFile = path.join(out, 'reference', 'model.safetensors');
  const written = fs.readFileSync(refFile);
  const seq = Int32Array.from({ length: 24 }, (_, i) => 10 + ((i * 37) % 900));
  const [ref, start] = await Promise.all([Policy.load(path.join(out, 'reference')), Policy.load(base)]);
  t.deepEqual(await ref.logprobs([seq], { start: [1] }), await start.logprobs([seq], { start: [1] }), 'the reference is the starting model');
  ref.dispose();
  start.dispose();
  // Resumed from GRPO's own checkpoint (step 2), the reference stays the starting model.
  r = cli([...small, '--grpo-steps', '3', '--model', base, '--beta', '0.04', '--out', out, '--resume']);
  t.is(r.status, 0, r.stderr);
  t.regex(r.stderr, /phase grpo, step 2/);
  t.true(fs.readFileSync(refFile).equals(written), 'resume rewrote the reference');
  // A run started with beta 0 has no reference to resume against with beta > 0: a clear error.
  const out2 = path.join(tmpDir(), 'noref');
  r = cli([...small, '--model', base, '--out', out2]);
  t.is(r.status, 0, r.stderr);
  r = cli([...small, '--grpo-steps', '3', '--model', base, '--beta', '0.04', '--out', out2, '--resume']);
  t.not(r.status, 0);
  t.regex(r.stderr, /no reference model to resume GRPO with beta > 0/);
});
