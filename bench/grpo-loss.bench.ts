/**
 * Microbenchmark of the loss alone (lm_head + log-softmax + GRPO/SFT loss, forward + backward):
 * fused chunked vs eager reference, on the completion tokens of bench/configs.json workloads
 * (N = prompts x group x completion_len, V = vocab, H = hidden).
 *
 *   npm run bench -- grpo-loss [--config small|bigvocab|tiny|all] [--kind grpo|sft] [--iters 5] [--chunk-rows 0]
 *
 * Correctness first (llm.c dev/cuda habit): fused vs reference on the test suite's weird shape
 * (test/helpers/loss-cases.ts), printed as max abs diffs. Then each impl runs in its own child
 * process, so the peak RSS growth it reports is its own. One JSON line per measurement on stdout:
 *   {"bench":"grpo-loss","config","kind","impl","n","vocab","hidden","chunk_rows","median_ms","min_ms",
 *    "forward_ms","tokens_per_s","gflops","peak_rss_growth_mb"}
 * gflops counts the three (N x V x H) matmuls (logits, dz W, dzᵀ h): 6·N·V·H flops per step.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { lossBench, lossCheck, type LossImpl, type LossKind } from '../lib/ops/loss';
import { caseAdvantages, caseWeights, makeLossCase, maxAbs, maxAbsDiff, perturb } from '../test/helpers/loss-cases';

interface BenchConfig {
  model: { vocab: number; hidden: number };
  batch: { prompts: number; group: number; completion_len: number };
  grpo: { beta: number; epsilon: number };
}

function readConfigs(): Record<string, BenchConfig> {
  return (JSON.parse(fs.readFileSync(path.join(__dirname, 'configs.json'), 'utf8')) as { configs: Record<string, BenchConfig> }).configs;
}

function flag(args: string[], name: string, fallback: string): string {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && i + 1 < args.length ? args[i + 1]! : fallback;
}

/** Fused vs reference on the tests' shape: max abs diff relative to max |ref| per output. */
async function checkCorrectness(kind: LossKind): Promise<void> {
  const c = makeLossCase(7);
  const weight = caseWeights(c, 'token-mean');
  let inputs = { hidden: c.hidden, lmHead: c.lmHead, hiddenSize: c.H, targets: c.targets, weight, ...(kind === 'grpo' ? { adv: caseAdvantages(c) } : {}) };
  const opts = kind === 'grpo' ? { beta: 0.04, entropyCoef: 0.001 } : {};
  if (kind === 'grpo') {
    const { logp } = await lossCheck(kind, 'reference', inputs);
    inputs = { ...inputs, oldLogp: perturb(logp, c.r, 0.5), refLogp: perturb(logp, c.r, 0.3) } as typeof inputs;
  }
  const ref = await lossCheck(kind, 'reference', inputs, opts);
  const fused = await lossCheck(kind, 'fused', inputs, { ...opts, chunkRows: 37 }); // several chunks, a ragged last one
  const rel = (a: Float32Array, b: Float32Array) => maxAbsDiff(a, b) / maxAbs(b);
  const report = { loss: Math.abs(fused.loss - ref.loss), gradHidden: rel(fused.gradHidden, ref.gradHidden), gradLmHead: rel(fused.gradLmHead, ref.gradLmHead) };
  process.stderr.write(`correctness (${kind}, N=${c.N} V=${c.V} H=${c.H}): |dloss| ${report.loss.toExponential(2)}, ` +
    `grad hidden ${report.gradHidden.toExponential(2)}, grad lm_head ${report.gradLmHead.toExponential(2)} (max abs diff / max |ref|)\n`);
  if (!(report.loss < 1e-5 && report.gradHidden < 1e-4 && report.gradLmHead < 1e-4)) throw new Error('fused and reference disagree; not timing');
}

/** Child: one impl, one config; prints one JSON line. */
async function child(kind: LossKind, impl: LossImpl, name: string, iters: number, chunkRows: number): Promise<void> {
  const cfg = readConfigs()[name]!;
  const n = cfg.batch.prompts * cfg.batch.group * cfg.batch.completion_len;
  const { vocab, hidden } = cfg.model;
  const opts = kind === 'grpo' ? { beta: cfg.grpo.beta, epsLow: cfg.grpo.epsilon, epsHigh: cfg.grpo.epsilon, entropyCoef: 0.001, chunkRows } : { chunkRows };
  const r = await lossBench(kind, impl, { n, vocab, hidden, seed: 1 }, opts, iters);
  const flops = 6 * n * vocab * hidden;
  process.stdout.write(`${JSON.stringify({
    bench: 'grpo-loss',
    config: name,
    kind,
    impl,
    n,
    vocab,
    hidden,
    chunk_rows: chunkRows,
    median_ms: +r.medianMs.toFixed(1),
    min_ms: +r.minMs.toFixed(1),
    forward_ms: +r.forwardMedianMs.toFixed(1),
    tokens_per_s: Math.round(n / (r.medianMs / 1000)),
    gflops: +(flops / (r.minMs / 1000) / 1e9).toFixed(1),
    peak_rss_growth_mb: Math.round(r.peakRssGrowthMb),
  })}\n`);
}

export async function main(args: string[]): Promise<void> {
  const kind = flag(args, 'kind', 'grpo') as LossKind;
  const iters = Number(flag(args, 'iters', '5'));
  const chunkRows = Number(flag(args, 'chunk-rows', '0'));
  if (args[0] === '--child') {
    await child(kind, args[1] as LossImpl, args[2]!, iters, chunkRows);
    return;
  }
  const configs = readConfigs();
  const which = flag(args, 'config', 'small');
  const names = which === 'all' ? Object.keys(configs) : [which];
  for (const name of names) if (!configs[name]) throw new RangeError(`unknown config '${name}'; available: ${Object.keys(configs).join(', ')}, all`);
  await checkCorrectness(kind);
  for (const name of names) {
    for (const impl of ['reference', 'fused'] as const) {
      const res = spawnSync(
        process.execPath,
        ['--import', 'tsx', path.join(__dirname, 'run.ts'), 'grpo-loss', '--child', impl, name, '--kind', kind, '--iters', String(iters), '--chunk-rows', String(chunkRows)],
        { stdio: ['ignore', 'inherit', 'inherit'] },
      );
      if (res.status !== 0) throw new Error(`${impl} on ${name} exited with ${res.status ?? res.signal}`);
    }
  }
}
