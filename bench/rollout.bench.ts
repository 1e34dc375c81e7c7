/**
 * Rollout throughput: `npm run bench -- rollout [--config NAME] [--impls fast,no-prefix-sharing,reference]`.
 * For each named workload of bench/configs.json: a random model of that shape, `prompts` random
 * prompts of `prompt_len`, `group` samples each, `completion_len` new tokens at temperature 1 with
 * no early stop. One warm-up, median of 3. Impls, each in its own process (own peak RSS):
 *   fast               generate(): one prefill per prompt shared by its samples, preallocated cache
 *   no-prefix-sharing  generate() with every sample prefilled on its own
 *   reference          the eager baseline (every sample prefilled, cache grown by concatenation)
 * Prints {"bench":"rollout","config","impl","threads","aten_threads","blas_threads","median_ms",
 * "tokens_per_s","peak_rss_mb"} per run, then {"bench":"rollout","config","speedup_vs_reference",...}.
 */
import { Policy, runtimeInfo } from '../lib';
import { loadConfigs, median, modelConfig, parseArgs, peakRssMb, rng, runChild, serveChild } from './common';

type Impl = 'fast' | 'no-prefix-sharing' | 'reference';
interface Payload { config: string; impl: Impl; reps: number }

async function measure(p: Payload): Promise<Record<string, unknown>> {
  const c = loadConfigs()[p.config]!;
  const policy = await Policy.create(modelConfig(c), { seed: 1 });
  const r = rng(42);
  const prompts = Array.from({ length: c.batch.prompts }, () =>
    Int32Array.from({ length: c.batch.prompt_len }, () => Math.floor(r() * c.model.vocab)));
  const opts = { n: c.batch.group, maxNewTokens: c.batch.completion_len, temperature: 1, seed: 1, stopTokenIds: [] as number[] };
  const run = () =>
    p.impl === 'reference'
      ? policy.generateReference(prompts, opts)
      : policy.generate(prompts, { ...opts, sharePrefix: p.impl === 'fast' });
  await run(); // warm-up
  const times: number[] = [];
  let tokens = 0;
  for (let i = 0; i < p.reps; i++) {
    const t0 = performance.now();
    const out = await run();
    times.push(performance.now() - t0);
    tokens = out.ids.reduce((s, x) => s + x.length, 0);
  }
  const info = runtimeInfo();
  const ms = median(times);
  return {
    bench: 'rollout', config: p.config, impl: p.impl, threads: Math.max(info.atenThreads, info.blasThreads),
    aten_threads: info.atenThreads, blas_threads: info.blasThreads, median_ms: Math.round(ms * 10) / 10,
    tokens_per_s: Math.round((tokens / ms) * 1000 * 10) / 10, peak_rss_mb: Math.round(peakRssMb()),
  };
}

export async function main(args: string[]): Promise<void> {
  const { configs, flags } = parseArgs(args);
  const impls = (flags.get('impls') ?? 'fast,no-prefix-sharing,reference').split(',') as Impl[];
  const reps = Number(flags.get('reps') ?? 3);
  for (const config of configs) {
    const rows: Record<string, Record<string, unknown>> = {};
    for (const impl of impls) {
      process.stderr.write(`rollout: ${config} / ${impl} ...\n`);
      rows[impl] = runChild('rollout.bench.ts', { config, impl, reps } satisfies Payload);
      process.stdout.write(`${JSON.stringify(rows[impl])}\n`);
    }
    const fast = rows.fast?.tokens_per_s as number | undefined;
    const summary: Record<string, unknown> = { bench: 'rollout', config, summary: true };
    if (fast && rows.reference) summary.speedup_vs_reference = Math.round((fast / (rows.reference.tokens_per_s as number)) * 100) / 100;
    if (fast && rows['no-prefix-sharing']) summary.speedup_vs_no_prefix_sharing = Math.round((fast / (rows['no-prefix-sharing'].tokens_per_s as number)) * 100) / 100;
    if (Object.keys(summary).length > 3) process.stdout.write(`${JSON.stringify(summary)}\n`);
  }
}

serveChild<Payload>(measure);
