/**
 * Scoring a GRPO rollout batch: `npm run bench -- logprobs [--config NAME] [--reps N]`.
 * policy.logprobs over prompts x group sequences (prompt_len + completion_len random tokens, each
 * group behind one prompt), as GRPO's old-policy rescoring (temperature != 1 with several updates
 * per rollout) and the reference policy (beta > 0) call it: with each prompt computed once per
 * group (sharePrompts, the default) and with one row per sequence (the reference layout).
 * The two run alternately in one process, after one warm-up call each; median of `reps` (5).
 * Prints {"bench":"logprobs","config","impl","median_ms","tokens_per_s"} per impl, then a summary
 * line with the shared/unshared time ratio and the largest difference between their log-probs.
 */
import { Policy } from '../lib';
import { loadConfigs, median, modelConfig, parseArgs, rng } from './common';

export async function main(args: string[]): Promise<void> {
  const { configs, flags } = parseArgs(args);
  const reps = Number(flags.get('reps') ?? 5);
  for (const config of configs) {
    const c = loadConfigs()[config]!;
    const { prompts: P, group: G, prompt_len: PL, completion_len: CL } = c.batch;
    const policy = await Policy.create(modelConfig(c), { seed: 1 });
    const r = rng(7);
    const ids = (n: number) => Int32Array.from({ length: n }, () => Math.floor(r() * c.model.vocab));
    const seqs = Array.from({ length: P }, () => ids(PL)).flatMap((p) =>
      Array.from({ length: G }, () => Int32Array.from([...p, ...ids(CL)])),
    );
    const start = seqs.map(() => PL);
    const impls = { shared: true, unshared: false } as const;
    const times: Record<keyof typeof impls, number[]> = { shared: [], unshared: [] };
    const out: Partial<Record<keyof typeof impls, Float32Array[]>> = {};
    process.stderr.write(`logprobs: ${config} ...\n`);
    for (let i = -1; i < reps; i++) {
      for (const impl of Object.keys(impls) as (keyof typeof impls)[]) {
        const t0 = performance.now();
        out[impl] = await policy.logprobs(seqs, { start, sharePrompts: impls[impl] });
        if (i >= 0) times[impl].push(performance.now() - t0); // i = -1: warm-up
      }
    }
    let maxDiff = 0;
    out.shared!.forEach((a, k) => a.forEach((v, j) => (maxDiff = Math.max(maxDiff, Math.abs(v - out.unshared![k]![j]!)))));
    const tokens = P * G * (PL + CL);
    const ms = { shared: median(times.shared), unshared: median(times.unshared) };
    for (const impl of Object.keys(impls) as (keyof typeof impls)[]) {
      process.stdout.write(`${JSON.stringify({
        bench: 'logprobs', config, impl, median_ms: Math.round(ms[impl] * 10) / 10, tokens_per_s: Math.round((tokens / ms[impl]) * 1000),
      })}\n`);
    }
    process.stdout.write(`${JSON.stringify({
      bench: 'logprobs', config, summary: true, time_ratio_shared_over_unshared_prompts: Math.round((ms.shared / ms.unshared) * 1000) / 1000,
      max_abs_diff: maxDiff,
    })}\n`);
    policy.dispose();
  }
}
