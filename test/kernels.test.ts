/**
 * The CPU decode kernels (native/kernels: skinny_linear, decode_attention) against their eager
 * ATen references and an fp64 gold computed here, at every SIMD level the CPU has (scalar, avx2,
 * avx512; forced with setKernelIsa), on odd shapes; then the model's decode fast path against
 * its eager path, and bad input. Run: `npx ava test/kernels.test.ts`.
 *
 * Tolerance (fp32): the kernels sum in another order than BLAS / ATen, so neither matches the
 * other bit for bit; both are compared with an fp64 gold and the kernel's max error must be at
 * most 4x the reference's, or below 1e-6 x (1 + max |gold|) when the reference happens to be
 * nearly exact (tiny K). NaN or inf anywhere counts as a mismatch (llm.c's validate_result, Liger's
 * three-way check).
 */
import test from 'ava';

import { Policy } from '../lib';
import {
  KERNEL_ISAS,
  decodeAttention,
  decodeOp,
  kernelBench,
  kernelInfo,
  setDecodeKernels,
  setKernelIsa,
  skinnyLinear,
  type KernelIsa,
} from '../lib/ops/kernels';
import { randomIds, rng, tinyLlama, tinyQwen } from './helpers/tiny-models';

const TOL = { ratio: 4, floor: 1e-6 }; // fp32, see the header

function uniform(r: () => number, n: number): Float32Array {
  return Float32Array.from({ length: n }, () => r() * 2 - 1);
}

/** Max |a - gold| with NaN/inf counted as Infinity. */
function maxErr(a: Float32Array, gold: Float64Array): number {
  let m = 0;
  for (let i = 0; i < gold.length; i++) {
    const d = Math.abs(a[i]! - gold[i]!);
    if (!Number.isFinite(a[i]!) || Number.isNaN(d)) return Infinity;
    m = Math.max(m, d);
  }
  return a.length === gold.length ? m : Infinity;
}

function maxAbs(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]!));
  return m;
}

/** Levels this CPU can run (a level above it is clamped by setKernelIsa). */
const ISAS: KernelIsa[] = KERNEL_ISAS.slice(0, KERNEL_ISAS.indexOf(kernelInfo().detectedIsa) + 1);

// ---------------------------------------------------------------------------------------------
// skinny_linear

function linearGold(x: Float32Array, w: Float32Array, b: Float32Array | null, M: number, K: number, N: number): Float64Array {
  const y = new Float64Array(M * N);
  for (let m = 0; m < M; m++)
    for (let n = 0; n < N; n++) {
      let s = b ? b[n]! : 0;
      for (let k = 0; k < K; k++) s += x[m * K + k]! * w[n * K + k]!;
      y[m * N + n] = s;
    }
  return y;
}

// [M, K, N]: every micro-kernel tail (M mod 3/4, N mod 4, K mod 8/16), K = 1, the small config's
// decode shapes and the brief's upper corners (M 33, K 1031, N 1409).
const LINEAR_SHAPES: [number, number, number][] = [
  [1, 1, 1], [1, 7, 3], [2, 8, 4], [3, 15, 5], [4, 16, 6], [5, 17, 7], [6, 31, 8], [7, 33, 9],
  [8, 64, 63], [9, 100, 65], [13, 129, 127], [16, 512, 128], [16, 512, 1408], [16, 1408, 512],
  [17, 1031, 33], [31, 255, 250], [32, 72, 1409], [33, 1031, 1409], [1, 1031, 1409], [33, 1, 17],
];

test.serial('skinnyLinear matches at::linear and an fp64 gold on odd shapes, at every SIMD level, with and without bias', async (t) => {
  const r = rng(11);
  const before = kernelInfo().isa;
  try {
    for (const [M, K, N] of LINEAR_SHAPES) {
      const x = uniform(r, M * K);
      const w = uniform(r, N * K);
      const bias = uniform(r, N);
      for (const b of [null, bias]) {
        const gold = linearGold(x, w, b, M, K, N);
        const ref = await skinnyLinear(x, w, b, { M, K, N }, { impl: 'reference' });
        const refErr = maxErr(ref, gold);
        const tol = Math.max(TOL.ratio * refErr, TOL.floor * (1 + maxAbs(gold)));
        for (const isa of ISAS) {
          setKernelIsa(isa);
          for (const threads of [1, 2]) {
            const y = await skinnyLinear(x, w, b, { M, K, N }, { threads });
            const err = maxErr(y, gold);
            t.true(err <= tol, `${isa} M=${M} K=${K} N=${N} bias=${b !== null} threads=${threads}: err ${err} > tol ${tol} (at::linear err ${refErr})`);
          }
        }
      }
    }
  } finally {
    setKernelIsa(before);
  }
});

test.serial('skinnyLinear rows do not depend on the batch they are computed in (determinism)', async (t) => {
  // Row m's arithmetic is the same whichever micro-kernel block (MR 1..4) it falls in.
  const r = rng(12);
  const [K, N] = [77, 45];
  const x = uniform(r, 9 * K);
  const w = uniform(r, N * K);
  const all = await skinnyLinear(x, w, null, { M: 9, K, N });
  for (const M of [1, 2, 3, 4, 5]) {
    const part = await skinnyLinear(x.subarray(0, M * K), w, null, { M, K, N });
    t.deepEqual(Array.from(part), Array.from(all.subarray(0, M * N)), `first ${M} rows`);
  }
});

// ---------------------------------------------------------------------------------------------
// decode_attention

interface AttnCase { B: number; NH: number; NKV: number; D: number; S: number; sMax: number }

function attentionGold(q: Float32Array, k: Float32Array, v: Float32Array, starts: Int32Array, c: AttnCase): Float64Array {
  const { B, NH, NKV, D, S, sMax } = c;
  const G = NH / NKV;
  const out = new Float64Array(B * NH * D);
  for (let b = 0; b < B; b++)
    for (let h = 0; h < NH; h++) {
      const kv = Math.floor(h / G);
      const base = (b * NKV + kv) * sMax * D;
      const scores: number[] = [];
      for (let s = starts[b]!; s < S; s++) {
        let dot = 0;
        for (let d = 0; d < D; d++) dot += q[(b * NH + h) * D + d]! * k[base + s * D + d]!;
        scores.push(dot / Math.sqrt(D));
      }
      const m = Math.max(...scores);
      const p = scores.map((x) => Math.exp(x - m));
      const z = p.reduce((a, x) => a + x, 0);
      for (let d = 0; d < D; d++) {
        let acc = 0;
        p.forEach((pi, i) => (acc += pi * v[base + (starts[b]! + i) * D + d]!));
        out[(b * NH + h) * D + d] = acc / z;
      }
    }
  return out;
}

// GQA ratios 1, 2, 4 (and 3), head dims 64 / 72 / odd, S from 1 (a single key) to 300.
const ATTN_CASES: AttnCase[] = [
  { B: 1, NH: 1, NKV: 1, D: 1, S: 1, sMax: 1 },
  { B: 3, NH: 4, NKV: 4, D: 64, S: 1, sMax: 5 },
  { B: 2, NH: 4, NKV: 2, D: 72, S: 2, sMax: 9 },
  { B: 4, NH: 8, NKV: 2, D: 64, S: 37, sMax: 40 },
  { B: 5, NH: 8, NKV: 2, D: 17, S: 64, sMax: 70 },
  { B: 3, NH: 6, NKV: 2, D: 24, S: 129, sMax: 129 },
  { B: 2, NH: 12, NKV: 3, D: 72, S: 300, sMax: 301 },
  { B: 16, NH: 8, NKV: 2, D: 64, S: 300, sMax: 384 }, // the small config's decode step
];

test.serial('decodeAttention matches the eager ATen attention and an fp64 gold (GQA, odd D, ragged starts), at every SIMD level', async (t) => {
  const r = rng(21);
  const before = kernelInfo().isa;
  try {
    for (const c of ATTN_CASES) {
      const q = uniform(r, c.B * c.NH * c.D).map((x) => 3 * x); // peaky enough for max-subtraction to matter
      const k = uniform(r, c.B * c.NKV * c.sMax * c.D);
      const v = uniform(r, c.B * c.NKV * c.sMax * c.D);
      // Row starts: 0, the last slot (one key), and random slots in between.
      const starts = Int32Array.from({ length: c.B }, (_, b) => (b === 0 ? 0 : b === 1 ? c.S - 1 : Math.floor(r() * c.S)));
      const gold = attentionGold(q, k, v, starts, c);
      const ref = await decodeAttention({ q, k, v, starts }, c, { impl: 'reference' });
      const refErr = maxErr(ref, gold);
      const tol = Math.max(TOL.ratio * refErr, TOL.floor * (1 + maxAbs(gold)));
      for (const isa of ISAS) {
        setKernelIsa(isa);
        for (const threads of [1, 2]) {
          const out = await decodeAttention({ q, k, v, starts }, c, { threads });
          const err = maxErr(out, gold);
          t.true(err <= tol, `${isa} ${JSON.stringify(c)} threads=${threads}: err ${err} > tol ${tol} (eager err ${refErr})`);
        }
      }
    }
  } finally {
    setKernelIsa(before);
  }
});

test.serial('decodeAttention never reads the unused slots before a row start', async (t) => {
  // NaN in the masked slots: the kernel must skip them (the eager path needs finite values there).
  const c: AttnCase = { B: 2, NH: 4, NKV: 2, D: 16, S: 10, sMax: 12 };
  const r = rng(22);
  const q = uniform(r, c.B * c.NH * c.D);
  const k = uniform(r, c.B * c.NKV * c.sMax * c.D);
  const v = uniform(r, c.B * c.NKV * c.sMax * c.D);
  const starts = Int32Array.from([3, 6]);
  const gold = attentionGold(q, k, v, starts, c);
  for (let b = 0; b < c.B; b++)
    for (let kv = 0; kv < c.NKV; kv++)
      for (let s = 0; s < starts[b]!; s++)
        for (let d = 0; d < c.D; d++) {
          k[((b * c.NKV + kv) * c.sMax + s) * c.D + d] = NaN;
          v[((b * c.NKV + kv) * c.sMax + s) * c.D + d] = NaN;
        }
  for (const isa of ISAS) {
    setKernelIsa(isa);
    t.true(maxErr(await decodeAttention({ q, k, v, starts }, c), gold) < 1e-5, isa);
  }
  setKernelIsa(kernelInfo().detectedIsa);
});

test.serial('decodeAttention with a shared prefix reads the prompt from the group leader only and matches the gold', async (t) => {
  // Groups of rows (GRPO samples of one prompt) hold the same keys/values in slots [start, end);
  // the kernel must give the per-row result while reading those slots from the leader alone: the
  // other rows' copies are overwritten with NaN here. Ragged starts across groups, a group of one,
  // and an end at S (nothing generated yet).
  const r = rng(23);
  const cases: [AttnCase, number[], number[], number[]][] = [
    // [dims, leader, start, end] per row
    [{ B: 6, NH: 8, NKV: 2, D: 64, S: 40, sMax: 48 }, [0, 0, 0, 3, 3, 5], [5, 5, 5, 0, 0, 9], [30, 30, 30, 30, 30, 9]],
    [{ B: 4, NH: 6, NKV: 3, D: 72, S: 17, sMax: 17 }, [0, 0, 0, 0], [2, 2, 2, 2], [17, 17, 17, 17]],
    [{ B: 5, NH: 4, NKV: 4, D: 9, S: 300, sMax: 301 }, [0, 1, 1, 1, 1], [0, 44, 44, 44, 44], [0, 256, 256, 256, 256]],
  ];
  for (const [c, leaderA, startA, endA] of cases) {
    const q = uniform(r, c.B * c.NH * c.D).map((x) => 3 * x);
    const k = uniform(r, c.B * c.NKV * c.sMax * c.D);
    const v = uniform(r, c.B * c.NKV * c.sMax * c.D);
    const at = (b: number, kv: number, s: number) => ((b * c.NKV + kv) * c.sMax + s) * c.D;
    for (let b = 0; b < c.B; b++) // copy the leader's shared slots into its rows (as the prefill does)
      for (let kv = 0; kv < c.NKV; kv++)
        for (let s = startA[b]!; s < endA[b]!; s++) {
          k.copyWithin(at(b, kv, s), at(leaderA[b]!, kv, s), at(leaderA[b]!, kv, s) + c.D);
          v.copyWithin(at(b, kv, s), at(leaderA[b]!, kv, s), at(leaderA[b]!, kv, s) + c.D);
        }
    const starts = Int32Array.from(startA);
    const gold = attentionGold(q, k, v, starts, c);
    for (let b = 0; b < c.B; b++)
      if (leaderA[b] !== b)
        for (let kv = 0; kv < c.NKV; kv++) {
          k.fill(NaN, at(b, kv, startA[b]!), at(b, kv, endA[b]!));
          v.fill(NaN, at(b, kv, startA[b]!), at(b, kv, endA[b]!));
        }
    const shared = { leader: Int32Array.from(leaderA), end: Int32Array.from(endA) };
    for (const isa of ISAS) {
      setKernelIsa(isa);
      for (const threads of [1, 2]) {
        const err = maxErr(await decodeAttention({ q, k, v, starts, shared }, c, { threads }), gold);
        t.true(err < 1e-5 * (1 + maxAbs(gold)), `${isa} ${JSON.stringify(c)} threads=${threads}: err ${err}`);
      }
    }
  }
  setKernelIsa(kernelInfo().detectedIsa);
});

// ---------------------------------------------------------------------------------------------
// decode_ops: RMSNorm, silu * up, rope + cache write

test.serial('fused decode ops match their eager ATen references (RMSNorm, silu*up, rope into the cache), at every SIMD level', async (t) => {
  const r = rng(41);
  const close = (a: Float32Array, b: Float32Array, tol: number, what: string) => {
    let m = a.length === b.length ? 0 : Infinity;
    for (let i = 0; i < b.length; i++) {
      const d = Math.abs(a[i]! - b[i]!);
      m = Number.isFinite(a[i]!) && !Number.isNaN(d) ? Math.max(m, d) : Infinity;
    }
    t.true(m <= tol * (1 + maxAbs(b)), `${what}: max diff ${m}`);
  };
  try {
    for (const isa of ISAS) {
      setKernelIsa(isa);
      for (const [R, H] of [[1, 1], [3, 7], [16, 512], [5, 100], [33, 1031]] as const) {
        const x = uniform(r, R * H).map((v) => 4 * v);
        const w = uniform(r, H);
        const [a, b] = await Promise.all(['kernel', 'reference'].map((impl) => decodeOp('rmsNorm', { x, w }, { R, H, eps: 1e-6 }, { impl: impl as never })));
        close(a!.y!, b!.y!, 1e-6, `${isa} rmsNorm ${R}x${H}`);
      }
      for (const n of [1, 7, 8, 9, 22528]) {
        const gate = uniform(r, n).map((v) => 30 * v); // covers exp's large-|x| range
        const up = uniform(r, n);
        const [a, b] = await Promise.all(['kernel', 'reference'].map((impl) => decodeOp('siluMul', { gate, up }, { n }, { impl: impl as never })));
        close(a!.y!, b!.y!, 1e-6, `${isa} siluMul n=${n}`);
      }
      for (const dims of [{ B: 3, NH: 4, NKV: 2, D: 16, sMax: 9, slot: 4 }, { B: 16, NH: 8, NKV: 2, D: 64, sMax: 384, slot: 300 }, { B: 2, NH: 3, NKV: 3, D: 2, sMax: 1, slot: 0 }]) {
        const { B, NH, NKV, D, sMax } = dims;
        const angle = Float32Array.from({ length: B * D }, () => r() * 100);
        const inputs = {
          q: uniform(r, B * NH * D), k: uniform(r, B * NKV * D), v: uniform(r, B * NKV * D),
          cos: angle.map(Math.cos), sin: angle.map(Math.sin),
          kCache: uniform(r, B * NKV * sMax * D), vCache: uniform(r, B * NKV * sMax * D),
        };
        const a = await decodeOp('ropeQkv', inputs, dims);
        const b = await decodeOp('ropeQkv', inputs, dims, { impl: 'reference' });
        for (const key of ['q', 'kCache', 'vCache']) close(a[key]!, b[key]!, 1e-6, `${isa} ropeQkv ${JSON.stringify(dims)} ${key}`);
        // Only the slot changed in the caches.
        let untouched = true;
        for (let i = 0; i < inputs.kCache.length; i++) if (Math.floor(i / D) % sMax !== dims.slot && a.kCache![i] !== inputs.kCache[i]) untouched = false;
        t.true(untouched, 'ropeQkv writes only its slot');
      }
    }
  } finally {
    setKernelIsa(kernelInfo().detectedIsa);
  }
  await t.throwsAsync(decodeOp('gelu' as never, {}, {}), { instanceOf: RangeError, message: /'rmsNorm', 'siluMul', 'ropeQkv'/ });
  await t.throwsAsync(decodeOp('rmsNorm', { x: new Float32Array(4), w: new Float32Array(3) }, { R: 2, H: 2, eps: 1e-6 }), { instanceOf: RangeError, message: /w has 3 elements, expected 2/ });
  await t.throwsAsync(decodeOp('siluMul', { gate: [1] as never, up: new Float32Array(1) }, { n: 1 }), { instanceOf: TypeError });
});

// ---------------------------------------------------------------------------------------------
// The model's decode fast path (qwen2.cc / generate.cc) against its eager path

test.serial('generation with the decode kernels equals the eager path: same tokens, log-probs within 1e-5', async (t) => {
  for (const cfg of [tinyQwen, tinyLlama]) {
    const policy = await Policy.create(cfg, { seed: 3 });
    const r = rng(31);
    const prompts = [randomIds(r, 9, 256), randomIds(r, 3, 256), randomIds(r, 17, 256)];
    // n = 4 samples share each prompt (the shared-prefix attention path); 20 stop ids make rows
    // finish at different steps, so finished rows are dropped and groups lose their leaders.
    const opts = { n: 4, maxNewTokens: 16, seed: 5, temperature: 1, stopTokenIds: Array.from({ length: 20 }, (_, i) => 7 * i) };
    try {
      setDecodeKernels(false);
      const eager = await policy.generate(prompts, opts);
      const eagerGreedy = await policy.generate(prompts, { ...opts, temperature: 0 });
      t.true(eager.finish.includes('stop') && eager.finish.includes('length'), 'some rows stop early, others run to the end');
      setDecodeKernels(true);
      for (const isa of ISAS) {
        setKernelIsa(isa);
        const fast = await policy.generate(prompts, opts);
        t.deepEqual(fast.ids.map((x) => Array.from(x)), eager.ids.map((x) => Array.from(x)), `${cfg.modelType} ${isa}`);
        let d = 0;
        fast.logprobs.forEach((lp, i) => lp.forEach((x, j) => (d = Math.max(d, Math.abs(x - eager.logprobs[i]![j]!)))));
        t.true(d < 1e-5, `${cfg.modelType} ${isa}: max log-prob diff ${d}`);
        const greedy = await policy.generate(prompts, { ...opts, temperature: 0 });
        t.deepEqual(greedy.ids.map((x) => Array.from(x)), eagerGreedy.ids.map((x) => Array.from(x)), `${cfg.modelType} ${isa} greedy`);
      }
    } finally {
      setDecodeKernels(true);
      setKernelIsa(kernelInfo().detectedIsa);
      policy.dispose();
    }
  }
});

// ---------------------------------------------------------------------------------------------
// Bad input

test('kernel wrappers reject bad input with TypeError / RangeError before the native call', async (t) => {
  const x = new Float32Array(6);
  const w = new Float32Array(6);
  await t.throwsAsync(skinnyLinear(x, w, null, { M: 2, K: 3, N: 3 }), { instanceOf: RangeError, message: /w to be \(N, K\)/ });
  await t.throwsAsync(skinnyLinear([1] as never, w, null, { M: 2, K: 3, N: 2 }), { instanceOf: TypeError, message: /Float32Array for x/ });
  await t.throwsAsync(skinnyLinear(x, w, new Float32Array(3), { M: 2, K: 3, N: 2 }), { instanceOf: RangeError, message: /b to be/ });
  await t.throwsAsync(skinnyLinear(x, w, null, { M: 0, K: 3, N: 2 }), { instanceOf: RangeError, message: /dims\.M/ });
  await t.throwsAsync(skinnyLinear(x, w, null, { M: 2, K: 3, N: 2, P: 1 } as never), { instanceOf: TypeError, message: /Unknown option "P"/ });
  await t.throwsAsync(skinnyLinear(x, w, null, { M: 2, K: 3, N: 2 }, { impl: 'fast' as never }), { instanceOf: RangeError, message: /opts\.impl/ });
  await t.throwsAsync(skinnyLinear(x, w, null, { M: 2, K: 3, N: 2 }, { threads: -1 }), { instanceOf: RangeError, message: /opts\.threads/ });
  const c = { B: 1, NH: 2, NKV: 1, D: 2, S: 3, sMax: 3 };
  const q = new Float32Array(4);
  const kv = new Float32Array(6);
  const ok = { q, k: kv, v: kv, starts: Int32Array.from([0]) };
  await t.throwsAsync(decodeAttention({ ...ok, starts: Int32Array.from([3]) }, c), { instanceOf: RangeError, message: /starts\[0\] in \[0, S = 3\)/ });
  await t.throwsAsync(decodeAttention({ ...ok, starts: [0] as never }, c), { instanceOf: TypeError, message: /Int32Array for inputs\.starts/ });
  await t.throwsAsync(decodeAttention(ok, { ...c, NKV: 3 }), { instanceOf: RangeError, message: /multiple of dims\.NKV/ });
  await t.throwsAsync(decodeAttention(ok, { ...c, S: 4 }), { instanceOf: RangeError, message: /dims\.S \(4\) <= dims\.sMax/ });
  await t.throwsAsync(decodeAttention({ ...ok, k: new Float32Array(5) }, c), { instanceOf: RangeError, message: /inputs\.k to be/ });
  await t.throwsAsync(decodeAttention({ ...ok, kk: kv } as never, c), { instanceOf: TypeError, message: /Unknown option "kk"/ });
  await t.throwsAsync(decodeAttention({ ...ok, shared: { leader: Int32Array.from([0, 0]), end: Int32Array.from([1]) } }, c), { instanceOf: RangeError, message: /one entry per row/ });
  // A leader must lead itself and share its rows' start and end (checked natively -> RangeError).
  const c2 = { ...c, B: 2 };
  const ok2 = { q: new Float32Array(8), k: new Float32Array(12), v: new Float32Array(12), starts: Int32Array.from([0, 0]) };
  await t.throwsAsync(decodeAttention({ ...ok2, shared: { leader: Int32Array.from([1, 0]), end: Int32Array.from([2, 2]) } }, c2), { instanceOf: RangeError, message: /lead itself/ });
  await t.throwsAsync(decodeAttention({ ...ok2, shared: { leader: Int32Array.from([0, 0]), end: Int32Array.from([2, 1]) } }, c2), { instanceOf: RangeError, message: /lead itself/ });
  t.throws(() => setKernelIsa('sse' as never), { instanceOf: RangeError, message: /'scalar', 'avx2', 'avx512'/ });
  t.throws(() => setDecodeKernels(1 as never), { instanceOf: TypeError });
  await t.throwsAsync(kernelBench('conv' as never, { M: 1, K: 1, N: 1, bias: false }), { instanceOf: RangeError });
  const info = kernelInfo();
  t.true(KERNEL_ISAS.includes(info.isa) && info.matmulThreads >= 1);
});
