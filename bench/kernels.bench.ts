/**
 * CPU decode kernels vs their eager references: `npm run bench -- kernels [--config NAME]
 * [--m 1,4,16,32,64] [--iters 30] [--rounds 3] [--threads 0] [--cold 1] [--isa avx512|avx2|scalar]`.
 * For each workload of bench/configs.json: every projection shape of its model (q/o, k/v,
 * gate/up, down, lm_head) at each M (decode rows), skinny_linear ('kernel') vs at::linear
 * ('reference', OpenBLAS sgemm); then one decode-attention step at the workload's decode batch
 * (B = prompts * group rows, S = prompt_len + completion_len / 2) vs the eager matmul/softmax
 * path, once with ragged row starts and once as generate() runs it (groups of `group` rows
 * sharing the prompt's slots, read once per group by the kernel).
 * --cold 1 (default) cycles through ~96 MB of weight / cache copies so every call reads them
 * from DRAM, as a decode step does (each weight is used once per step); --cold 0 times hot,
 * L2/L3-resident operands. --threads: kernel threads (0 = matmulThreads, which follows
 * TOOLRL_BLAS_THREADS); the reference always uses the BLAS pool. --isa forces a SIMD level.
 * Correctness of every path is checked by test/kernels.test.ts against the same references.
 * Inputs are seeded and stay native (no JS copies). The two impls alternate for `rounds` rounds
 * of `iters` timed calls (shared machine: A/B in the same run); median_ms is the median of the
 * round medians, min_ms the best single call.
 * Prints per shape {"bench":"kernels","config","op","M","K","N","impl","median_ms","min_ms",
 * "gflops","gflops_best",...} and {"bench":"kernels",...,"speedup","speedup_best"}; GFLOP/s =
 * 2 M N K / t (attention: 4 * NH * D * total keys / t).
 */
import { runtimeInfo } from '../lib';
import { kernelBench, kernelInfo, setKernelIsa, type KernelImpl, type KernelIsa } from '../lib/ops/kernels';
import { loadConfigs, median, parseArgs } from './common';

const IMPLS: KernelImpl[] = ['kernel', 'reference'];
const r4 = (x: number) => Math.round(x * 1e4) / 1e4;
const r2 = (x: number) => Math.round(x * 100) / 100;

async function timeBoth(
  kind: 'linear' | 'attention', shape: Parameters<typeof kernelBench>[1], iters: number, rounds: number, threads: number,
): Promise<{ med: Record<KernelImpl, number>; min: Record<KernelImpl, number> }> {
  const ms: Record<KernelImpl, number[]> = { kernel: [], reference: [] };
  const min: Record<KernelImpl, number> = { kernel: Infinity, reference: Infinity };
  for (let r = 0; r < rounds; r++)
    for (const impl of IMPLS) {
      const res = await kernelBench(kind, shape, { impl, iters, threads });
      ms[impl].push(res.medianMs);
      min[impl] = Math.min(min[impl], res.minMs);
    }
  return { med: { kernel: median(ms.kernel), reference: median(ms.reference) }, min };
}

export async function main(args: string[]): Promise<void> {
  const { configs, flags } = parseArgs(args);
  const Ms = (flags.get('m') ?? '1,4,16,32,64').split(',').map(Number);
  const iters = Number(flags.get('iters') ?? 30);
  const rounds = Number(flags.get('rounds') ?? 3);
  const threads = Number(flags.get('threads') ?? 0);
  const cold = (flags.get('cold') ?? '1') !== '0';
  const info = runtimeInfo();
  if (flags.has('isa')) setKernelIsa(flags.get('isa') as KernelIsa);
  const ki = kernelInfo();
  process.stderr.write(`kernels: isa ${ki.isa}, kernel threads ${ki.matmulThreads}, blas threads ${info.blasThreads}\n`);
  const all = loadConfigs();
  for (const config of configs) {
    const m = all[config]!.model;
    const bt = all[config]!.batch;
    const D = m.hidden / m.heads;
    const ops: [string, number, number][] = [  // [op, K, N]
      ['q_proj/o_proj', m.hidden, m.heads * D],
      ['k_proj/v_proj', m.hidden, m.kv_heads * D],
      ['gate_proj/up_proj', m.hidden, m.ffn],
      ['down_proj', m.ffn, m.hidden],
      ['lm_head', m.hidden, m.vocab],
    ];
    const common = { bench: 'kernels', config, isa: ki.isa, threads: threads || ki.matmulThreads, cold };
    for (const [op, K, N] of ops) {
      for (const M of Ms) {
        // big weights: fewer calls (lm_head of bigvocab is 311 MB per call)
        const it = Math.max(3, Math.min(iters, Math.round((iters * 2e6) / (N * K))));
        const { med: t, min } = await timeBoth('linear', { M, K, N, bias: false, cold }, it, rounds, threads);
        const gf = (ms: number) => Math.round(((2 * M * N * K) / (ms * 1e6)) * 10) / 10;
        for (const impl of IMPLS) {
          process.stdout.write(`${JSON.stringify({ ...common, op, M, K, N, impl, median_ms: r4(t[impl]), min_ms: r4(min[impl]), gflops: gf(t[impl]), gflops_best: gf(min[impl]) })}\n`);
        }
        process.stdout.write(`${JSON.stringify({ ...common, op, M, K, N, speedup: r2(t.reference / t.kernel), speedup_best: r2(min.reference / min.kernel) })}\n`);
      }
    }
    const B = bt.prompts * bt.group, S = bt.prompt_len + Math.floor(bt.completion_len / 2);
    const dims = { B, NH: m.heads, NKV: m.kv_heads, D, S, sMax: bt.prompt_len + bt.completion_len };
    const { med: t, min } = await timeBoth('attention', { ...dims, cold }, iters, rounds, threads);
    // kernelBench's ragged starts: row b starts at (b * 7) % (S / 4)
    let keys = 0;
    for (let b = 0; b < B; b++) keys += S - ((b * 7) % Math.max(1, Math.floor(S / 4)));
    const gf = (ms: number) => Math.round(((4 * keys * m.heads * D) / (ms * 1e6)) * 10) / 10;
    for (const impl of IMPLS) {
      process.stdout.write(`${JSON.stringify({ ...common, op: 'decode_attention', ...dims, impl, median_ms: r4(t[impl]), min_ms: r4(min[impl]), gflops: gf(t[impl]), gflops_best: gf(min[impl]) })}\n`);
    }
    process.stdout.write(`${JSON.stringify({ ...common, op: 'decode_attention', ...dims, speedup: r2(t.reference / t.kernel), speedup_best: r2(min.reference / min.kernel) })}\n`);
    // The same step as generate() runs it: all rows start at 0, each group of `group` samples
    // shares the prompt's prompt_len slots (read once per group by the kernel).
    const grouped = { ...dims, group: bt.group, prefix: bt.prompt_len };
    const tg = await timeBoth('attention', { ...grouped, cold }, iters, rounds, threads);
    const gfg = (ms: number) => Math.round(((4 * B * S * m.heads * D) / (ms * 1e6)) * 10) / 10;
    for (const impl of IMPLS) {
      process.stdout.write(`${JSON.stringify({ ...common, op: 'decode_attention_shared_prefix', ...grouped, impl, median_ms: r4(tg.med[impl]), min_ms: r4(tg.min[impl]), gflops: gfg(tg.med[impl]), gflops_best: gfg(tg.min[impl]) })}\n`);
    }
    process.stdout.write(`${JSON.stringify({ ...common, op: 'decode_attention_shared_prefix', ...grouped, speedup: r2(tg.med.reference / tg.med.kernel), speedup_best: r2(tg.min.reference / tg.min.kernel) })}\n`);
  }
}
