/**
 * Seeded inputs for the loss tests (test/grpo-loss.test.ts, test/sft-loss.test.ts) and the loss
 * benchmark: "weird shapes" in Liger's sense — ragged sequences flattened to N completion tokens,
 * vocab and hidden sizes that are not powers of two, masked tokens — plus the comparison helpers.
 */
import { tokenWeights, type Aggregation } from '../../lib/ops/loss';
import { rng } from './tiny-models';

/** Standard normal from a uniform PRNG (Box-Muller). */
export function gaussian(r: () => number): () => number {
  return () => {
    const u = Math.max(r(), 1e-12);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * r());
  };
}

export interface LossCase {
  N: number;
  V: number;
  H: number;
  hidden: Float32Array; // (N, H)
  lmHead: Float32Array; // (V, H)
  targets: Int32Array; // (N)
  /** (B, T) completion mask, 0 on padding and on masked tokens. */
  mask: Float32Array;
  B: number;
  T: number;
  /** For each of the N flattened tokens, its position b * T + t in the mask. */
  position: Int32Array;
  /** For each token, its sequence. */
  seq: Int32Array;
  /** Per-sequence advantage, both signs and one exact 0. */
  seqAdv: Float32Array;
  r: () => number;
}

/**
 * B sequences of the given lengths flattened to N = Σ lengths tokens; maskFrac of them masked
 * (mask 0 inside a sequence, e.g. tool output that is not the model's). hidden ~ N(0, 1) like
 * final-normed states, lmHead ~ N(0, wStd) (logit spread about wStd * sqrt(H)).
 */
export function makeLossCase(
  seed: number,
  { lengths = [1, 17, 123, 64, 40], vocab = 1007, hidden = 65, maskFrac = 0.1, wStd = 0.2 } = {},
): LossCase {
  const r = rng(seed);
  const g = gaussian(r);
  const B = lengths.length;
  const T = Math.max(...lengths);
  const N = lengths.reduce((a, b) => a + b, 0);
  const H = hidden;
  const V = vocab;
  const mask = new Float32Array(B * T);
  const position = new Int32Array(N);
  const seq = new Int32Array(N);
  let k = 0;
  lengths.forEach((len, b) => {
    for (let t = 0; t < len; t++) {
      mask[b * T + t] = t > 0 && r() < maskFrac ? 0 : 1; // every sequence keeps its first token
      position[k] = b * T + t;
      seq[k++] = b;
    }
  });
  const seqAdv = Float32Array.from({ length: B }, (_, b) => (b === 0 && B > 2 ? 0 : (b % 2 ? -1 : 1) * (0.3 + r())));
  return {
    N,
    V,
    H,
    B,
    T,
    hidden: Float32Array.from({ length: N * H }, g),
    lmHead: Float32Array.from({ length: V * H }, () => wStd * g()),
    targets: Int32Array.from({ length: N }, () => Math.floor(r() * V)),
    mask,
    position,
    seq,
    seqAdv,
    r,
  };
}

/** Per-token weights (N) for an aggregation, through tokenWeights on the (B, T) mask. */
export function caseWeights(c: LossCase, kind: Aggregation, opts: { numSeqsTotal?: number; tokensTotal?: number; maxCompletionLen?: number } = {}): Float32Array {
  const w = tokenWeights(kind, c.mask, c.B, opts);
  return Float32Array.from(c.position, (p) => w[p]!);
}

/** Per-token advantages: each sequence's advantage repeated. */
export function caseAdvantages(c: LossCase): Float32Array {
  return Float32Array.from(c.seq, (b) => c.seqAdv[b]!);
}

/** logp plus uniform noise in [-amp, amp): ratios spread both inside and outside the clip range. */
export function perturb(logp: Float32Array, r: () => number, amp: number): Float32Array {
  return Float32Array.from(logp, (x) => x + amp * (2 * r() - 1));
}

export function maxAbs(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]!));
  return m;
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i]! - b[i]!);
    if (!(d <= m)) m = Number.isNaN(d) ? Infinity : d; // NaN/inf count as mismatches
  }
  return m;
}

/**
 * torch.allclose-style check |a - b| <= atol + rtol |b| elementwise (NaN/inf are mismatches).
 * Returns null when close, else a message with the max abs diff and the worst index.
 */
export function closeMessage(name: string, a: ArrayLike<number>, b: ArrayLike<number>, atol: number, rtol: number): string | null {
  if (a.length !== b.length) return `${name}: length ${a.length} vs ${b.length}`;
  let worst = -1;
  let worstExcess = 0;
  for (let i = 0; i < a.length; i++) {
    const excess = Math.abs(a[i]! - b[i]!) - (atol + rtol * Math.abs(b[i]!));
    if (!(excess <= 0) && (worst < 0 || !(excess <= worstExcess))) {
      worst = i;
      worstExcess = excess;
    }
  }
  if (worst < 0) return null;
  return `${name}: max abs diff ${maxAbsDiff(a, b).toExponential(3)} (max |ref| ${maxAbs(b).toExponential(3)}), worst at [${worst}]: ${a[worst]} vs ${b[worst]} (atol ${atol}, rtol ${rtol})`;
}
