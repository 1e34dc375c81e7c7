/**
 * Typed, validated access to the CPU decode kernels (native/kernels via
 * native/napi/kernels_api.cc) and their eager references, for tests and benchmarks. The model
 * calls the same C++ kernels directly on its decode path (native/model/qwen2.cc: autograd off and
 * at most 64 tokens per call); nothing here is on that path.
 *
 *   skinnyLinear:    y (M, N) = x (M, K) W (N, K)^T + b (N)        (W in Hugging Face (out, in) layout)
 *   decodeAttention: out[b, h] = sum_s softmax_s(q[b, h] . k[b, h / G, s] / sqrt(D)) v[b, h / G, s]
 *                    over slots s in [starts[b], S) of a (B, NKV, sMax, D) cache, G = NH / NKV;
 *                    optionally with rows grouped by a shared prefix read from the group's leader.
 *   decodeOp:        the fused element-wise ops of a decode step (RMSNorm, silu*up, rope into the cache).
 * impl 'kernel' runs the hand-written kernel, 'reference' the eager ATen version (at::linear;
 * matmul + -inf mask + softmax + matmul; the model's eager element-wise expressions).
 *
 * Each function: apply defaults -> validate (TypeError / RangeError) -> call.
 */
import { withCallerStack } from '../util/stack';
import { native } from '../native';
import { expectBoolean, expectInteger, expectNumber, expectObject, expectOneOf, rejectUnknownKeys, typeMessage } from '../util/validate';

export type KernelImpl = 'kernel' | 'reference';
/** SIMD level of the kernels: the best the CPU has unless forced lower with setKernelIsa. */
export type KernelIsa = 'scalar' | 'avx2' | 'avx512';
export const KERNEL_ISAS: readonly KernelIsa[] = Object.freeze(['scalar', 'avx2', 'avx512']);

export interface KernelInfo {
  /** Level in effect. */
  isa: KernelIsa;
  /** Best level the CPU supports. */
  detectedIsa: KernelIsa;
  /** Threads the kernels use (follows the BLAS pool setting: setThreads({blas})). */
  matmulThreads: number;
  /** Whether the model's decode fast path is on (TOOLRL_DECODE_KERNELS=0 turns it off). */
  decodeKernels: boolean;
}

export interface LinearDims { M: number; K: number; N: number }
export interface AttentionDims { B: number; NH: number; NKV: number; D: number; S: number; sMax: number }
export interface KernelCallOptions {
  impl: KernelImpl;
  /** Kernel threads, 0 = the kernels' own choice (matmulThreads, capped by the work size). */
  threads: number;
}
export const DEFAULT_KERNEL_CALL: Readonly<KernelCallOptions> = Object.freeze({ impl: 'kernel', threads: 0 });

/** cold: cycle through ~96 MB of weight (cache) copies so each call streams them from DRAM, as in decode. */
export type LinearBenchShape = LinearDims & { bias: boolean; cold?: boolean };
/** group/prefix: rows in groups of `group` sharing slots [0, prefix) (the shared-prefix path). */
export type AttentionBenchShape = AttentionDims & { cold?: boolean; group?: number; prefix?: number };
export interface KernelBenchResult { medianMs: number; minMs: number }

/** The addon's kernel exports (declared here so lib/native.ts stays the core seam). */
interface KernelsAddon {
  kernelInfo(): KernelInfo;
  setKernelIsa(isa: KernelIsa): KernelIsa;
  setDecodeKernels(on: boolean): boolean;
  skinnyLinear(impl: KernelImpl, x: Float32Array, w: Float32Array, b: Float32Array | null, dims: LinearDims, threads: number): Promise<Float32Array>;
  decodeAttention(
    impl: KernelImpl, q: Float32Array, k: Float32Array, v: Float32Array, starts: Int32Array, dims: AttentionDims, threads: number,
    shared: SharedPrefix | null,
  ): Promise<Float32Array>;
  kernelBench(kind: 'linear' | 'attention', impl: KernelImpl, shape: LinearBenchShape | AttentionBenchShape, iters: number, threads: number): Promise<KernelBenchResult>;
  decodeOp(op: DecodeOp, impl: KernelImpl, inputs: Record<string, Float32Array>, dims: Record<string, number>): Promise<Record<string, Float32Array>>;
}

/**
 * The fused element-wise ops of a decode step (native/kernels/decode_ops.h), with their inputs
 * (row-major Float32Arrays) and dims:
 *   'rmsNorm'  {x (R*H), w (H)}, {R, H, eps}                 -> {y}: x * rsqrt(mean(x^2) + eps) * w per row
 *   'siluMul'  {gate (n), up (n)}, {n}                        -> {y}: silu(gate) * up
 *   'ropeQkv'  {q (B*NH*D), k, v (B*NKV*D), cos, sin (B*D), kCache, vCache (B*NKV*sMax*D)},
 *              {B, NH, NKV, D, sMax, slot}                    -> {q, kCache, vCache}: rotary q/k, k and v
 *                                                                written into cache slot `slot`
 */
export type DecodeOp = 'rmsNorm' | 'siluMul' | 'ropeQkv';
const DECODE_OP_INPUTS: Record<DecodeOp, readonly string[]> = {
  rmsNorm: ['x', 'w'],
  siluMul: ['gate', 'up'],
  ropeQkv: ['q', 'k', 'v', 'cos', 'sin', 'kCache', 'vCache'],
};
const DECODE_OP_DIMS: Record<DecodeOp, readonly string[]> = {
  rmsNorm: ['R', 'H', 'eps'],
  siluMul: ['n'],
  ropeQkv: ['B', 'NH', 'NKV', 'D', 'sMax', 'slot'],
};

function addon(): KernelsAddon {
  return native() as unknown as KernelsAddon;
}

function resolveCall(opts: unknown): KernelCallOptions {
  // Apply defaults
  const o = { ...DEFAULT_KERNEL_CALL, ...expectObject(opts, 'opts') } as Record<string, unknown>;
  // Validate arguments
  rejectUnknownKeys(o, ['impl', 'threads'], 'kernel options');
  return {
    impl: expectOneOf(o.impl, ['kernel', 'reference'] as const, 'opts.impl'),
    threads: expectInteger(o.threads, 'opts.threads', { min: 0, max: 1024 }),
  };
}

function expectFloats(value: unknown, name: string, length: number, what: string): Float32Array {
  if (!(value instanceof Float32Array)) throw new TypeError(typeMessage('a Float32Array', name, value));
  if (value.length !== length) throw new RangeError(`Expected ${name} to be ${what} = ${length} values but it has ${value.length}`);
  return value;
}

function expectRowInts(value: unknown, name: string, B: number): Int32Array {
  if (!(value instanceof Int32Array)) throw new TypeError(typeMessage('an Int32Array', name, value));
  if (value.length !== B) throw new RangeError(`Expected one entry per row (${B}) in ${name} but it has ${value.length}`);
  return value;
}

function linearDims(dims: unknown): LinearDims {
  const d = expectObject(dims, 'dims');
  rejectUnknownKeys(d, ['M', 'K', 'N'], 'dims');
  return {
    M: expectInteger(d.M, 'dims.M', { min: 1 }),
    K: expectInteger(d.K, 'dims.K', { min: 1 }),
    N: expectInteger(d.N, 'dims.N', { min: 1 }),
  };
}

function attentionDims(dims: unknown): AttentionDims {
  const d = expectObject(dims, 'dims');
  rejectUnknownKeys(d, ['B', 'NH', 'NKV', 'D', 'S', 'sMax'], 'dims');
  const r: AttentionDims = {
    B: expectInteger(d.B, 'dims.B', { min: 1 }),
    NH: expectInteger(d.NH, 'dims.NH', { min: 1 }),
    NKV: expectInteger(d.NKV, 'dims.NKV', { min: 1 }),
    D: expectInteger(d.D, 'dims.D', { min: 1 }),
    S: expectInteger(d.S, 'dims.S', { min: 1 }),
    sMax: expectInteger(d.sMax, 'dims.sMax', { min: 1 }),
  };
  if (r.NH % r.NKV !== 0) throw new RangeError(`Expected dims.NH (${r.NH}) to be a multiple of dims.NKV (${r.NKV})`);
  if (r.S > r.sMax) throw new RangeError(`Expected dims.S (${r.S}) <= dims.sMax (${r.sMax})`);
  return r;
}

/** SIMD level, thread count and decode-path switch of the kernels. */
export function kernelInfo(): KernelInfo {
  return addon().kernelInfo();
}

/**
 * Forces the kernels' SIMD level for the whole process (tests run every path on one machine);
 * a level above the CPU's is clamped to it. Returns the level now in effect.
 */
export function setKernelIsa(isa: KernelIsa): KernelIsa {
  expectOneOf(isa, KERNEL_ISAS, 'isa');
  return addon().setKernelIsa(isa);
}

/**
 * Turns the model's decode fast path (skinny_linear + decode_attention inside forward() and for
 * the lm_head) on or off for the whole process, e.g. to compare it with the eager path. Returns
 * the new setting. The environment variable TOOLRL_DECODE_KERNELS=0 sets it off at load.
 */
export function setDecodeKernels(on: boolean): boolean {
  expectBoolean(on, 'on');
  return addon().setDecodeKernels(on);
}

/** y (M, N) = x (M, K) W (N, K)^T + b (N); all row-major. `b` may be null. */
export async function skinnyLinear(
  x: Float32Array, w: Float32Array, b: Float32Array | null, dims: LinearDims, opts: Partial<KernelCallOptions> = {},
): Promise<Float32Array> {
  const o = resolveCall(opts);
  const d = linearDims(dims);
  expectFloats(x, 'x', d.M * d.K, '(M, K)');
  expectFloats(w, 'w', d.N * d.K, '(N, K)');
  if (b !== null) expectFloats(b, 'b', d.N, '(N)');
  return withCallerStack(() => addon().skinnyLinear(o.impl, x, w, b, d, o.threads));
}

/** Rows sharing a prompt: row b's slots [starts[b], end[b]) equal row leader[b]'s (decode_attention.h). */
export interface SharedPrefix { leader: Int32Array; end: Int32Array }

/** Inputs of one decode-attention call; shapes in `dims`. */
export interface AttentionInputs {
  /** (B, NH, D) queries. */
  q: Float32Array;
  /** (B, NKV, sMax, D) key cache. */
  k: Float32Array;
  /** (B, NKV, sMax, D) value cache. */
  v: Float32Array;
  /** (B) first valid slot per row, in [0, S). */
  starts: Int32Array;
  /** Optional grouping: the kernel reads shared slots from the leader row (the reference ignores it). */
  shared?: SharedPrefix | null;
}

/** Decode attention over slots [starts[b], S) of each row; returns out (B, NH, D). */
export async function decodeAttention(inputs: AttentionInputs, dims: AttentionDims, opts: Partial<KernelCallOptions> = {}): Promise<Float32Array> {
  const o = resolveCall(opts);
  const d = attentionDims(dims);
  const inp = expectObject(inputs, 'inputs');
  rejectUnknownKeys(inp, ['q', 'k', 'v', 'starts', 'shared'], 'attention inputs');
  const q = expectFloats(inp.q, 'inputs.q', d.B * d.NH * d.D, '(B, NH, D)');
  const k = expectFloats(inp.k, 'inputs.k', d.B * d.NKV * d.sMax * d.D, '(B, NKV, sMax, D)');
  const v = expectFloats(inp.v, 'inputs.v', d.B * d.NKV * d.sMax * d.D, '(B, NKV, sMax, D)');
  const starts = expectRowInts(inp.starts, 'inputs.starts', d.B);
  starts.forEach((s, i) => {
    if (s < 0 || s >= d.S) throw new RangeError(`Expected inputs.starts[${i}] in [0, S = ${d.S}) but received ${s}`);
  });
  let shared: SharedPrefix | null = null;
  if (inp.shared !== undefined && inp.shared !== null) {
    const sh = expectObject(inp.shared, 'inputs.shared');
    rejectUnknownKeys(sh, ['leader', 'end'], 'inputs.shared');
    shared = { leader: expectRowInts(sh.leader, 'inputs.shared.leader', d.B), end: expectRowInts(sh.end, 'inputs.shared.end', d.B) };
    // Grouping rules (a leader leads itself, same start and end) are checked natively (RangeError).
  }
  return withCallerStack(() => addon().decodeAttention(o.impl, q, k, v, starts, d, o.threads, shared));
}

/** Runs one fused decode op ('kernel') or its eager ATen reference ('reference'); sizes are checked natively (RangeError). */
export async function decodeOp(
  op: DecodeOp, inputs: Record<string, Float32Array>, dims: Record<string, number>, opts: { impl?: KernelImpl } = {},
): Promise<Record<string, Float32Array>> {
  expectOneOf(op, ['rmsNorm', 'siluMul', 'ropeQkv'] as const, 'op');
  const impl = expectOneOf(expectObject(opts, 'opts').impl ?? 'kernel', ['kernel', 'reference'] as const, 'opts.impl');
  const inp = expectObject(inputs, 'inputs');
  rejectUnknownKeys(inp, DECODE_OP_INPUTS[op], `${op} inputs`);
  for (const k of DECODE_OP_INPUTS[op]) if (!(inp[k] instanceof Float32Array)) throw new TypeError(typeMessage('a Float32Array', `inputs.${k}`, inp[k]));
  const d = expectObject(dims, 'dims');
  rejectUnknownKeys(d, DECODE_OP_DIMS[op], `${op} dims`);
  for (const k of DECODE_OP_DIMS[op]) expectNumber(d[k], `dims.${k}`);
  return withCallerStack(() => addon().decodeOp(op, impl, inp as Record<string, Float32Array>, d as Record<string, number>));
}

/** Times `iters` calls (after one warm-up) on seeded native inputs of `shape`; no JS copies. */
export async function kernelBench(
  kind: 'linear' | 'attention', shape: LinearBenchShape | AttentionBenchShape, opts: Partial<KernelCallOptions> & { iters?: number } = {},
): Promise<KernelBenchResult> {
  expectOneOf(kind, ['linear', 'attention'] as const, 'kind');
  const { iters = 20, ...rest } = expectObject(opts, 'opts') as Partial<KernelCallOptions> & { iters?: number };
  expectInteger(iters, 'opts.iters', { min: 1, max: 100000 });
  const o = resolveCall(rest);
  let s: LinearBenchShape | AttentionBenchShape;
  const { cold = false, ...rest2 } = expectObject(shape, 'shape') as Partial<LinearBenchShape & AttentionBenchShape>;
  if (kind === 'linear') {
    const { bias = false, ...dims } = rest2;
    s = { ...linearDims(dims), bias: Boolean(bias), cold: Boolean(cold) };
  } else {
    const { group, prefix, ...dims } = rest2;
    const a: AttentionBenchShape = { ...attentionDims(dims), cold: Boolean(cold) };
    if (group !== undefined) {
      a.group = expectInteger(group, 'shape.group', { min: 1 });
      a.prefix = expectInteger(prefix, 'shape.prefix', { min: 1, max: a.S });
    }
    s = a;
  }
  return withCallerStack(() => addon().kernelBench(kind, o.impl, s, iters, o.threads));
}
