/**
 * Typed, validated access to the native losses (native/loss, via native/napi/loss_api.cc) for
 * tests and benchmarks: the fused chunked GRPO / SFT losses and their eager references, one
 * forward + backward per call, plus the aggregation weights. The trainer calls the same C++
 * functions directly (native/train); nothing here is on the training path.
 *
 * Math (native/loss/grpo_loss.h): per completion token t,
 *   logp_t = log_softmax(h_t W^T)[y_t], ratio_t = exp(logp_t - old_t),
 *   l_t = -min(ratio_t A_t, clamp(ratio_t, 1 - epsLow, 1 + epsHigh) A_t)
 *         + beta (exp(ref_t - logp_t) - (ref_t - logp_t) - 1) - entropyCoef H_t,
 *   loss = sum_t weight_t l_t;   SFT: loss = -sum_t weight_t logp_t.
 *
 * Each function: apply defaults -> validate (TypeError / RangeError) -> call.
 */
import { withCallerStack } from '../util/stack';
import { native } from '../native';
import {
  expectBoolean,
  expectInteger,
  expectNumber,
  expectObject,
  expectOneOf,
  rejectUnknownKeys,
  typeMessage,
} from '../util/validate';

export type LossKind = 'grpo' | 'sft';
export type LossImpl = 'fused' | 'reference';
/** Loss aggregations (native/loss/aggregation.h has the formulas and their sources). */
export type Aggregation = 'token-mean' | 'sequence-mean' | 'dr_grpo' | 'dapo';
export const AGGREGATIONS: readonly Aggregation[] = Object.freeze(['token-mean', 'sequence-mean', 'dr_grpo', 'dapo']);

/** Flattened inputs; N = targets.length completion tokens, H = hiddenSize, V = lmHead.length / H. */
export interface LossInputs {
  /** (N, H) row-major final-normed hidden states. */
  hidden: Float32Array;
  /** (V, H) row-major lm_head weight. */
  lmHead: Float32Array;
  hiddenSize: number;
  /** (N) target ids in [0, V). */
  targets: Int32Array;
  /** (N) per-token aggregation weight >= 0 (0 masks a token). */
  weight: Float32Array;
  /** (N) per-token advantages (GRPO only, required there). */
  adv?: Float32Array;
  /** (N) log-probs of the sampling policy (GRPO only); absent: on-policy, ratio 1. */
  oldLogp?: Float32Array | null;
  /** (N) reference-policy log-probs (GRPO only); required when beta > 0. */
  refLogp?: Float32Array | null;
}

export interface LossOptions {
  /** Lower clip range: ratio is clipped below at 1 - epsLow. In [0, 1). */
  epsLow: number;
  /** Upper clip range: ratio is clipped above at 1 + epsHigh. >= 0. */
  epsHigh: number;
  /** k3 KL coefficient, >= 0. */
  beta: number;
  /** Entropy bonus coefficient. */
  entropyCoef: number;
  /** Fused only: rows per chunk; 0 picks about 16 MB of logits per chunk. */
  chunkRows: number;
  /** Upstream gradient d(objective)/d(loss) used for backward. */
  gradOutput: number;
  /** Run in float64 (gradient checks); results still come back as Float32Array. */
  float64: boolean;
}

/**
 * Defaults of this test/bench helper only (the trainer's GRPO defaults live in lib/config.ts):
 * the DESIGN.md clip range, everything else off.
 */
export const DEFAULT_LOSS_OPTIONS: Readonly<LossOptions> = Object.freeze({
  epsLow: 0.2,
  epsHigh: 0.2,
  beta: 0,
  entropyCoef: 0,
  chunkRows: 0,
  gradOutput: 1,
  float64: false,
});

export interface LossCheckResult {
  loss: number;
  /** (N) per-token log-probs. */
  logp: Float32Array;
  /** (N, H) gradOutput * d loss / d hidden. */
  gradHidden: Float32Array;
  /** (V, H) gradOutput * d loss / d lmHead. */
  gradLmHead: Float32Array;
  /** GRPO: mean k3 KL over tokens with weight > 0 (0 without refLogp). */
  kl?: number;
  /** GRPO: mean entropy over tokens with weight > 0. */
  entropy?: number;
  /** GRPO: fraction of tokens with weight > 0 whose clipped branch is active. */
  clipFraction?: number;
  /** SFT: mean negative log-likelihood over tokens with weight > 0. */
  nll?: number;
  /** Tokens with weight > 0. */
  tokens: number;
  weightSum: number;
  forwardMs: number;
  backwardMs: number;
}

export interface LossBenchShape {
  n: number;
  vocab: number;
  hidden: number;
  seed: number;
}

export interface LossBenchResult {
  medianMs: number;
  minMs: number;
  forwardMedianMs: number;
  loss: number;
  /** RSS after the inputs exist, before the first iteration (MiB; -1 off Linux). */
  rssMb: number;
  /** Peak RSS during the iterations minus rssMb (MiB; -1 where it cannot be measured). */
  peakRssGrowthMb: number;
}

export interface TokenWeightOptions {
  /** Sequences in the whole step (>= rows): sequence-mean, dr_grpo. Default: rows. */
  numSeqsTotal: number;
  /** Completion tokens of the normalising batch: token-mean (0 = this mask's), dapo (required). */
  tokensTotal: number;
  /** Generation limit: dr_grpo. Default: the mask's width. */
  maxCompletionLen: number;
}

/** The addon's loss exports (declared here so lib/native.ts stays the core seam). */
interface LossAddon {
  lossCheck(kind: LossKind, impl: LossImpl, inputs: LossInputs, opts: LossOptions): Promise<LossCheckResult>;
  lossBench(kind: LossKind, impl: LossImpl, shape: LossBenchShape, opts: LossOptions, iters: number): Promise<LossBenchResult>;
  tokenWeights(kind: Aggregation, mask: Float32Array, rows: number, opts: TokenWeightOptions): Float32Array;
}

function addon(): LossAddon {
  return native() as unknown as LossAddon;
}

const INPUT_KEYS = ['hidden', 'lmHead', 'hiddenSize', 'targets', 'weight', 'adv', 'oldLogp', 'refLogp'] as const;
const OPTION_KEYS = Object.keys(DEFAULT_LOSS_OPTIONS) as (keyof LossOptions)[];

/** Applies defaults to loss options and validates them. */
export function resolveLossOptions(opts: unknown = {}): LossOptions {
  // Apply defaults
  const o = { ...DEFAULT_LOSS_OPTIONS, ...expectObject(opts, 'opts') } as Record<string, unknown>;
  // Validate arguments
  rejectUnknownKeys(o, OPTION_KEYS, 'loss options');
  const r: LossOptions = {
    epsLow: expectNumber(o.epsLow, 'opts.epsLow', { min: 0, max: 0.999999 }),
    epsHigh: expectNumber(o.epsHigh, 'opts.epsHigh', { min: 0 }),
    beta: expectNumber(o.beta, 'opts.beta', { min: 0 }),
    entropyCoef: expectNumber(o.entropyCoef, 'opts.entropyCoef'),
    chunkRows: expectInteger(o.chunkRows, 'opts.chunkRows', { min: 0 }),
    gradOutput: expectNumber(o.gradOutput, 'opts.gradOutput'),
    float64: expectBoolean(o.float64, 'opts.float64'),
  };
  return r;
}

function expectFloat32Array(value: unknown, name: string, length?: number): Float32Array {
  if (!(value instanceof Float32Array)) throw new TypeError(typeMessage('a Float32Array', name, value));
  if (length !== undefined && value.length !== length) {
    throw new RangeError(`Expected ${name} to have one value per completion token (${length}) but it has ${value.length}`);
  }
  return value;
}

function expectFiniteValues(a: Float32Array, name: string, nonneg = false): void {
  for (let i = 0; i < a.length; i++) {
    const v = a[i]!;
    if (!Number.isFinite(v)) throw new RangeError(`Expected finite values in ${name} but ${name}[${i}] is ${v}`);
    if (nonneg && v < 0) throw new RangeError(`Expected values >= 0 in ${name} but ${name}[${i}] is ${v}`);
  }
}

/** Validates loss inputs for `kind`; returns them (no copies). */
export function validateLossInputs(kind: LossKind, inputs: unknown, opts: LossOptions): LossInputs {
  const o = expectObject(inputs, 'inputs');
  rejectUnknownKeys(o, INPUT_KEYS, 'loss inputs');
  const H = expectInteger(o.hiddenSize, 'inputs.hiddenSize', { min: 1 });
  const targets = o.targets;
  if (!(targets instanceof Int32Array)) throw new TypeError(typeMessage('an Int32Array', 'inputs.targets', targets));
  const N = targets.length;
  if (N === 0) throw new RangeError('Expected at least one completion token (inputs.targets is empty)');
  const hidden = expectFloat32Array(o.hidden, 'inputs.hidden');
  if (hidden.length !== N * H) {
    throw new RangeError(`Expected inputs.hidden to be (N=${N}) x (hiddenSize=${H}) = ${N * H} values but it has ${hidden.length}`);
  }
  const lmHead = expectFloat32Array(o.lmHead, 'inputs.lmHead');
  if (lmHead.length === 0 || lmHead.length % H !== 0) {
    throw new RangeError(`Expected inputs.lmHead to be (V) x (hiddenSize=${H}) values but it has ${lmHead.length}`);
  }
  const V = lmHead.length / H;
  for (let i = 0; i < N; i++) {
    const y = targets[i]!;
    if (y < 0 || y >= V) throw new RangeError(`Expected target ids in [0, ${V}) but inputs.targets[${i}] is ${y}`);
  }
  const weight = expectFloat32Array(o.weight, 'inputs.weight', N);
  expectFiniteValues(weight, 'inputs.weight', true);
  const out: LossInputs = { hidden, lmHead, hiddenSize: H, targets, weight };
  if (kind === 'sft') {
    for (const k of ['adv', 'oldLogp', 'refLogp'] as const) {
      if (o[k] !== undefined && o[k] !== null) throw new TypeError(`inputs.${k} is a GRPO input; the SFT loss takes hidden, lmHead, hiddenSize, targets, weight`);
    }
    return out;
  }
  out.adv = expectFloat32Array(o.adv, 'inputs.adv', N);
  expectFiniteValues(out.adv, 'inputs.adv');
  for (const k of ['oldLogp', 'refLogp'] as const) {
    if (o[k] === undefined || o[k] === null) continue;
    const a = expectFloat32Array(o[k], `inputs.${k}`, N);
    expectFiniteValues(a, `inputs.${k}`);
    out[k] = a;
  }
  if (opts.beta > 0 && !out.refLogp) {
    throw new RangeError(`Expected inputs.refLogp when opts.beta > 0 (beta = ${opts.beta}); pass the reference log-probs or set beta to 0`);
  }
  return out;
}

/**
 * One forward + backward of a loss in C++ (autograd): `kind` 'grpo' | 'sft', `impl` 'fused' |
 * 'reference'. Returns the loss, per-token log-probs, both gradients scaled by opts.gradOutput,
 * the metrics and timings.
 */
export async function lossCheck(kind: LossKind, impl: LossImpl, inputs: LossInputs, opts: Partial<LossOptions> = {}): Promise<LossCheckResult> {
  expectOneOf(kind, ['grpo', 'sft'] as const, 'kind');
  expectOneOf(impl, ['fused', 'reference'] as const, 'impl');
  const o = resolveLossOptions(opts);
  const inp = validateLossInputs(kind, inputs, o);
  return withCallerStack(() => addon().lossCheck(kind, impl, inp, o));
}

/**
 * Times `iters` forward + backward passes on seeded native inputs of `shape` (no JS copies), and
 * the peak RSS growth over the inputs. Run one impl per process for a peak that is its own.
 */
export async function lossBench(
  kind: LossKind,
  impl: LossImpl,
  shape: LossBenchShape,
  opts: Partial<LossOptions> = {},
  iters = 5,
): Promise<LossBenchResult> {
  expectOneOf(kind, ['grpo', 'sft'] as const, 'kind');
  expectOneOf(impl, ['fused', 'reference'] as const, 'impl');
  const s = expectObject(shape, 'shape');
  rejectUnknownKeys(s, ['n', 'vocab', 'hidden', 'seed'], 'bench shape');
  const sh: LossBenchShape = {
    n: expectInteger(s.n, 'shape.n', { min: 1 }),
    vocab: expectInteger(s.vocab, 'shape.vocab', { min: 1 }),
    hidden: expectInteger(s.hidden, 'shape.hidden', { min: 1 }),
    seed: expectInteger(s.seed, 'shape.seed', { min: 0 }),
  };
  const o = resolveLossOptions(opts);
  expectInteger(iters, 'iters', { min: 1 });
  return withCallerStack(() => addon().lossBench(kind, impl, sh, o, iters));
}

/**
 * Per-token aggregation weights for a (rows, cols) 0/1 mask (row-major), so that
 * loss = sum(weight * l) realises `kind` (native/loss/aggregation.h).
 */
export function tokenWeights(kind: Aggregation, mask: Float32Array, rows: number, opts: Partial<TokenWeightOptions> = {}): Float32Array {
  // Validate arguments
  expectOneOf(kind, AGGREGATIONS, 'kind');
  if (!(mask instanceof Float32Array)) throw new TypeError(typeMessage('a Float32Array', 'mask', mask));
  expectInteger(rows, 'rows', { min: 1 });
  if (mask.length % rows !== 0) throw new RangeError(`Expected mask length (${mask.length}) to be a multiple of rows (${rows})`);
  for (let i = 0; i < mask.length; i++) {
    if (mask[i] !== 0 && mask[i] !== 1) throw new RangeError(`Expected mask values 0 or 1 but mask[${i}] is ${mask[i]}`);
  }
  const given = expectObject(opts, 'opts');
  rejectUnknownKeys(given, ['numSeqsTotal', 'tokensTotal', 'maxCompletionLen'], 'token weight options');
  // Apply defaults
  const o: TokenWeightOptions = { numSeqsTotal: rows, tokensTotal: 0, maxCompletionLen: mask.length / rows, ...given };
  expectInteger(o.numSeqsTotal, 'opts.numSeqsTotal', { min: rows });
  expectNumber(o.tokensTotal, 'opts.tokensTotal', { min: 0 });
  expectInteger(o.maxCompletionLen, 'opts.maxCompletionLen', { min: 1 });
  // Interpret options
  if (kind === 'dapo' && !(o.tokensTotal > 0)) {
    throw new RangeError(`Expected opts.tokensTotal > 0 (the completion tokens of the whole step) for the dapo aggregation but received ${o.tokensTotal}`);
  }
  return addon().tokenWeights(kind, mask, rows, o);
}
