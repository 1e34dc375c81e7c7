/**
 * One full GRPO optimisation step: `npm run bench -- grpo-step [--config NAME]`.
 * For each workload of bench/configs.json: a random model of that shape, prompts x group
 * sequences of prompt_len + completion_len random tokens, random advantages, old and reference
 * log-probs (beta and epsilon from the config), then forward, loss, backward, clipping and AdamW —
 * with the fused loss and with the eager reference loss, and with the fused loss but one row per
 * sequence instead of one per group's shared prompt (sharePrompts off), each in its own child
 * process so that peak RSS is its own. One warm-up step, median of 3.
 * Prints {"bench":"grpo-step","config","impl","median_ms","tokens_per_s","rss_after_init_mb",
 * "peak_rss_mb","peak_growth_mb"} per impl, then a summary line with the fused/reference and
 * shared/unshared-prompt ratios.
 */
import { Policy } from '../lib';
import { loadConfigs, median, modelConfig, parseArgs, peakRssMb, rng, rssMb, runChild, serveChild } from './common';

// 'fused-unshared': the fused loss with one row per sequence (sharePrompts off), to show what
// computing each group's prompt once saves.
type Impl = 'fused' | 'reference' | 'fused-unshared';
interface Payload { config: string; impl: Impl; reps: number }

async function measure(p: Payload): Promise<Record<string, unknown>> {
  const c = loadConfigs()[p.config]!;
  const { prompts: P, group: G, prompt_len: PL, completion_len: CL } = c.batch;
  const policy = await Policy.create(modelConfig(c), { seed: 1 });
  const r = rng(7);
  const ids = (n: number) => Int32Array.from({ length: n }, () => Math.floor(r() * c.model.vocab));
  const promptList = Array.from({ length: P }, () => ids(PL));
  const prompts = promptList.flatMap((x) => Array.from({ length: G }, () => x));
  const completions = prompts.map(() => ids(CL));
  const advantages = prompts.map(() => r() * 2 - 1);
  const seqs = prompts.map((x, i) => Int32Array.from([...x, ...completions[i]!]));
  const lp = await policy.logprobs(seqs, { start: prompts.map(() => PL) });
  const oldLogprobs = lp.map((x) => x.map((v) => v - 0.05 * (r() - 0.5)));
  const refLogprobs = lp.map((x) => x.map((v) => v - 0.05 * r()));
  await policy.initOptimizer();
  const rssAfterInit = rssMb();
  const opts = {
    lr: c.grpo.lr, beta: c.grpo.beta, epsLow: c.grpo.epsilon, epsHigh: c.grpo.epsilon,
    impl: p.impl === 'reference' ? ('reference' as const) : ('fused' as const), sharePrompts: p.impl !== 'fused-unshared',
  };
  const batch = { prompts, completions, advantages, oldLogprobs, refLogprobs };
  await policy.trainStep(batch, opts); // warm-up
  const times: number[] = [];
  for (let i = 0; i < p.reps; i++) {
    const t0 = performance.now();
    const m = await policy.trainStep(batch, opts);
    times.push(performance.now() - t0);
    if (m.skipped) throw new Error(`step skipped: ${m.skipReason}`);
  }
  const ms = median(times);
  const tokens = P * G * (PL + CL);
  const peak = peakRssMb();
  return {
    bench: 'grpo-step', config: p.config, impl: p.impl, median_ms: Math.round(ms * 10) / 10,
    tokens_per_s: Math.round((tokens / ms) * 1000), rss_after_init_mb: Math.round(rssAfterInit), peak_rss_mb: Math.round(peak),
    peak_growth_mb: Math.round(peak - rssAfterInit),
  };
}

export async function main(args: string[]): Promise<void> {
  const { configs, flags } = parseArgs(args);
  const reps = Number(flags.get('reps') ?? 3);
  for (const config of configs) {
    const rows: Partial<Record<Impl, Record<string, unknown>>> = {};
    for (const impl of ['fused', 'reference', 'fused-unshared'] as const) {
      process.stderr.write(`grpo-step: ${config} / ${impl} ...\n`);
      rows[impl] = runChild('grpo-step.bench.ts', { config, impl, reps } satisfies Payload);
      process.stdout.write(`${JSON.stringify(rows[impl])}\n`);
    }
    const f = rows.fused!, ref = rows.reference!, un = rows['fused-unshared']!;
    process.stdout.write(`${JSON.stringify({
      bench: 'grpo-step', config, summary: true,
      time_ratio_fused_over_reference: Math.round(((f.median_ms as number) / (ref.median_ms as number)) * 1000) / 1000,
      peak_growth_ratio_fused_over_reference: Math.round(((f.peak_growth_mb as number) / Math.max(1, ref.peak_growth_mb as number)) * 1000) / 1000,
      time_ratio_shared_over_unshared_prompts: Math.round(((f.median_ms as number) / (un.median_ms as number)) * 1000) / 1000,
    })}\n`);
  }
}

serveChild<Payload>(measure);
