/**
 * The fused GRPO loss (native/loss/grpo_loss.cc) against its eager reference (grpo_loss_ref.cc):
 * loss, per-token log-probs, metrics and both gradients (hidden, lm_head) after a C++ autograd
 * backward with a non-unit upstream gradient, on ragged "weird shapes" (5 sequences of lengths
 * 1..123 flattened, vocab 1000+7, hidden 64+1), for every aggregation, with and without KL and
 * entropy, with masked tokens, advantages of both signs, ratios inside and outside the clip range,
 * and chunk sizes from 1 to > N. Then: finite differences for the reference, a float64 gold
 * comparison, the aggregation weights, and bad input. Run: npx ava test/grpo-loss.test.ts
 */
import test from 'ava';

import { native } from '../lib/native';
import { AGGREGATIONS, lossCheck, tokenWeights, type Aggregation, type LossInputs } from '../lib/ops/loss';
import {
  caseAdvantages,
  caseWeights,
  closeMessage,
  makeLossCase,
  maxAbs,
  maxAbsDiff,
  perturb,
  type LossCase,
} from './helpers/loss-cases';

// Tolerances (fp32, fused vs reference). Gradients: |a − b| <= atol·max|ref| + rtol·|b|, i.e. the
// absolute part is relative to the tensor's scale (token weights make gradients ~1e-3..1e-6, where
// a fixed atol of 1e-5 would test nothing). Observed differences are ~1e-6 of the scale.
const FP32 = { atol: 1e-5, rtol: 1e-4 };
// Different chunk sizes only change BLAS blocking and summation order.
const CHUNK_NOISE = { atol: 2e-6, rtol: 1e-5 };

function grpoInputs(c: LossCase, weight: Float32Array, extra: Partial<LossInputs> = {}): LossInputs {
  return { hidden: c.hidden, lmHead: c.lmHead, hiddenSize: c.H, targets: c.targets, weight, adv: caseAdvantages(c), ...extra };
}

/** Aggregation settings as a trainer with gradient accumulation would pass them (step > micro-batch). */
function weightsFor(c: LossCase, kind: Aggregation): Float32Array {
  let tokens = 0;
  for (const m of c.mask) tokens += m;
  const opts = {
    'token-mean': {},
    'sequence-mean': { numSeqsTotal: c.B + 3 },
    dr_grpo: { numSeqsTotal: c.B + 3, maxCompletionLen: 128 },
    dapo: { tokensTotal: tokens * 1.5 },
  }[kind];
  return caseWeights(c, kind, opts);
}

/** Adds old/ref log-probs around the policy's own (ratios up to e^±0.5: many outside [0.8, 1.2]). */
async function withOldAndRef(c: LossCase, inputs: LossInputs): Promise<LossInputs> {
  const { logp } = await lossCheck('grpo', 'reference', inputs);
  return { ...inputs, oldLogp: perturb(logp, c.r, 0.5), refLogp: perturb(logp, c.r, 0.3) };
}

function expectClose(t: { true(v: boolean, m?: string): void }, label: string, a: ArrayLike<number>, b: ArrayLike<number>, tol: { atol: number; rtol: number }): void {
  const msg = closeMessage(label, a, b, tol.atol * Math.max(maxAbs(b), 1e-30), tol.rtol);
  t.true(msg === null, msg ?? '');
}

for (const kind of AGGREGATIONS) {
  test(`fused matches reference: ${kind}, beta 0/0.04, entropy 0/0.001, chunk sizes 1..>N`, async (t) => {
    const c = makeLossCase(11 + AGGREGATIONS.indexOf(kind));
    const inputs = await withOldAndRef(c, grpoInputs(c, weightsFor(c, kind)));
    let masked = 0;
    for (const w of inputs.weight) masked += w === 0 ? 1 : 0;
    t.true(masked > 0, 'the case has masked tokens');
    for (const beta of [0, 0.04]) {
      for (const entropyCoef of [0, 0.001]) {
        const opts = { beta, entropyCoef, gradOutput: 1.7 };
        const ref = await lossCheck('grpo', 'reference', inputs, opts);
        for (const chunkRows of [1, 7, 64, 0, c.N + 5]) {
          const fused = await lossCheck('grpo', 'fused', inputs, { ...opts, chunkRows });
          const label = `${kind} beta=${beta} entropy=${entropyCoef} chunk=${chunkRows}`;
          const dl = Math.abs(fused.loss - ref.loss);
          t.true(dl <= 1e-6 + 1e-4 * Math.abs(ref.loss), `${label} loss: ${fused.loss} vs ${ref.loss} (abs diff ${dl.toExponential(3)})`);
          expectClose(t, `${label} logp`, fused.logp, ref.logp, FP32);
          expectClose(t, `${label} gradHidden`, fused.gradHidden, ref.gradHidden, FP32);
          expectClose(t, `${label} gradLmHead`, fused.gradLmHead, ref.gradLmHead, FP32);
          t.true(Math.abs(fused.kl! - ref.kl!) <= 1e-6, `${label} kl ${fused.kl} vs ${ref.kl}`);
          t.true(Math.abs(fused.entropy! - ref.entropy!) <= 1e-4 * ref.entropy!, `${label} entropy ${fused.entropy} vs ${ref.entropy}`);
          t.is(fused.clipFraction, ref.clipFraction, `${label} clipFraction`);
          t.is(fused.tokens, ref.tokens);
          t.is(fused.tokens, c.N - masked);
        }
      }
    }
  });
}

test('the chunk size does not change the fused result beyond float noise', async (t) => {
  const c = makeLossCase(21, { lengths: [33, 2, 99, 7], vocab: 3001, hidden: 48 });
  const inputs = await withOldAndRef(c, grpoInputs(c, weightsFor(c, 'token-mean')));
  const opts = { beta: 0.04, entropyCoef: 0.001, gradOutput: -0.6 };
  const base = await lossCheck('grpo', 'fused', inputs, { ...opts, chunkRows: 0 });
  for (const chunkRows of [1, 2, 5, 31, 100, c.N - 1, c.N, 10 * c.N]) {
    const r = await lossCheck('grpo', 'fused', inputs, { ...opts, chunkRows });
    t.true(Math.abs(r.loss - base.loss) <= 1e-7 + 1e-5 * Math.abs(base.loss), `chunk ${chunkRows}: loss ${r.loss} vs ${base.loss}`);
    expectClose(t, `chunk ${chunkRows} gradHidden`, r.gradHidden, base.gradHidden, CHUNK_NOISE);
    expectClose(t, `chunk ${chunkRows} gradLmHead`, r.gradLmHead, base.gradLmHead, CHUNK_NOISE);
  }
});

test('clipping is exercised on both sides and clipFraction counts exactly those tokens', async (t) => {
  const c = makeLossCase(31);
  const inputs = await withOldAndRef(c, grpoInputs(c, weightsFor(c, 'token-mean')));
  const opts = { epsLow: 0.2, epsHigh: 0.28 }; // DAPO's clip-higher: asymmetric on purpose
  const fused = await lossCheck('grpo', 'fused', inputs, opts);
  let low = 0;
  let high = 0;
  let active = 0;
  for (let i = 0; i < c.N; i++) {
    if (!(inputs.weight[i]! > 0)) continue;
    active++;
    const ratio = Math.exp(fused.logp[i]! - inputs.oldLogp![i]!);
    const A = inputs.adv![i]!;
    if (A > 0 && ratio > 1 + opts.epsHigh) high++;
    if (A < 0 && ratio < 1 - opts.epsLow) low++;
  }
  t.true(low > 0 && high > 0, `clipped tokens: ${low} below, ${high} above`);
  t.is(fused.tokens, active);
  t.true(Math.abs(fused.clipFraction! - (low + high) / active) < 1e-12, `clipFraction ${fused.clipFraction} vs ${(low + high) / active}`);
});

test('on-policy (no oldLogp): ratio 1, loss = −Σ w·A, no clipping, no KL without refLogp', async (t) => {
  const c = makeLossCase(41);
  const inputs = grpoInputs(c, weightsFor(c, 'sequence-mean'));
  let expected = 0;
  for (let i = 0; i < c.N; i++) expected -= inputs.weight[i]! * inputs.adv![i]!;
  for (const impl of ['fused', 'reference'] as const) {
    const r = await lossCheck('grpo', impl, inputs);
    t.true(Math.abs(r.loss - expected) <= 1e-6 * Math.max(1, Math.abs(expected)), `${impl}: ${r.loss} vs ${expected}`);
    t.is(r.clipFraction, 0);
    t.is(r.kl, 0);
    t.true(r.entropy! > 0 && r.entropy! <= Math.log(c.V) + 1e-5, `entropy ${r.entropy} in (0, log V]`);
  }
});

test('gradients scale with the upstream gradient', async (t) => {
  const c = makeLossCase(51, { lengths: [20, 9], vocab: 301, hidden: 17 });
  const inputs = await withOldAndRef(c, grpoInputs(c, weightsFor(c, 'dr_grpo')));
  const one = await lossCheck('grpo', 'fused', inputs, { beta: 0.04, entropyCoef: 0.01, gradOutput: 1 });
  const k = await lossCheck('grpo', 'fused', inputs, { beta: 0.04, entropyCoef: 0.01, gradOutput: -2.5 });
  expectClose(t, 'gradHidden', k.gradHidden, one.gradHidden.map((x) => -2.5 * x), CHUNK_NOISE);
  expectClose(t, 'gradLmHead', k.gradLmHead, one.gradLmHead.map((x) => -2.5 * x), CHUNK_NOISE);
  t.is(k.loss, one.loss);
});

test('three-way: fused fp32 is no further from the float64 reference than the fp32 reference is', async (t) => {
  const c = makeLossCase(61);
  const inputs = await withOldAndRef(c, grpoInputs(c, weightsFor(c, 'token-mean')));
  const opts = { beta: 0.04, entropyCoef: 0.001, gradOutput: 1.3 };
  const gold = await lossCheck('grpo', 'reference', inputs, { ...opts, float64: true });
  const ref = await lossCheck('grpo', 'reference', inputs, opts);
  const fused = await lossCheck('grpo', 'fused', inputs, opts);
  for (const key of ['gradHidden', 'gradLmHead', 'logp'] as const) {
    const scale = maxAbs(gold[key]);
    const eRef = maxAbsDiff(ref[key], gold[key]) / scale;
    const eFused = maxAbsDiff(fused[key], gold[key]) / scale;
    t.true(eFused <= Math.max(1e-6, 4 * eRef), `${key}: fused error ${eFused.toExponential(3)} vs reference fp32 error ${eRef.toExponential(3)} (relative to max|gold| ${scale.toExponential(3)})`);
  }
  // In float64 both implement the same math exactly, up to summation order.
  const fused64 = await lossCheck('grpo', 'fused', inputs, { ...opts, float64: true, chunkRows: 13 });
  t.true(Math.abs(fused64.loss - gold.loss) <= 1e-12 * Math.max(1, Math.abs(gold.loss)), `float64 loss ${fused64.loss} vs ${gold.loss}`);
  for (const key of ['gradHidden', 'gradLmHead'] as const) {
    // Results come back as float32, so float64 agreement shows up as float32 rounding (~6e-8).
    expectClose(t, `float64 ${key}`, fused64[key], gold[key], { atol: 1e-7, rtol: 1e-6 });
  }
});

test('reference gradients match central finite differences (float64, tiny case)', async (t) => {
  const c = makeLossCase(71, { lengths: [3, 4], vocab: 13, hidden: 5, maskFrac: 0.2, wStd: 0.5 });
  const inputs = await withOldAndRef(c, grpoInputs(c, weightsFor(c, 'sequence-mean')));
  const opts = { beta: 0.1, entropyCoef: 0.05, float64: true, gradOutput: 1 };
  const base = await lossCheck('grpo', 'reference', inputs, opts);
  const delta = 2 ** -10; // h ± delta is exact in float32 for |h| < 2^13, so the step is exact
  const loss = async (patch: Partial<LossInputs>) => (await lossCheck('grpo', 'reference', { ...inputs, ...patch }, opts)).loss;
  for (const [name, key, grad] of [
    ['hidden', 'hidden', base.gradHidden],
    ['lmHead', 'lmHead', base.gradLmHead],
  ] as const) {
    const x = inputs[key];
    for (let k = 0; k < 8; k++) {
      const i = Math.floor(c.r() * x.length);
      const plus = Float32Array.from(x);
      const minus = Float32Array.from(x);
      plus[i]! += delta;
      minus[i]! -= delta;
      const fd = ((await loss({ [key]: plus })) - (await loss({ [key]: minus }))) / (plus[i]! - minus[i]!);
      t.true(Math.abs(fd - grad[i]!) <= 1e-7 + 1e-4 * Math.abs(fd), `${name}[${i}]: autograd ${grad[i]} vs finite difference ${fd} (abs diff ${Math.abs(fd - grad[i]!).toExponential(3)})`);
    }
  }
});

test('tokenWeights: each aggregation follows its formula', (t) => {
  // 3 sequences, width 4: lengths 4, 2, 1 (the second has a masked token inside).
  const mask = Float32Array.from([1, 1, 1, 1, 1, 0, 1, 0, 1, 0, 0, 0]);
  const close = (a: Float32Array, b: number[]) => t.true(maxAbsDiff(a, b) < 1e-7, `${Array.from(a)} vs ${b}`);
  close(tokenWeights('token-mean', mask, 3), Array.from(mask, (m) => m / 7));
  close(tokenWeights('token-mean', mask, 3, { tokensTotal: 20 }), Array.from(mask, (m) => m / 20));
  const lens = [4, 2, 1];
  close(tokenWeights('sequence-mean', mask, 3, { numSeqsTotal: 5 }), Array.from(mask, (m, i) => m / (lens[Math.floor(i / 4)]! * 5)));
  close(tokenWeights('dr_grpo', mask, 3, { numSeqsTotal: 6, maxCompletionLen: 10 }), Array.from(mask, (m) => m / 60));
  close(tokenWeights('dapo', mask, 3, { tokensTotal: 21 }), Array.from(mask, (m) => m / 21));
  // A sequence with no tokens gets weight 0, not NaN.
  close(tokenWeights('sequence-mean', new Float32Array([1, 1, 0, 0]), 2), [0.25, 0.25, 0, 0]);
  t.throws(() => tokenWeights('dapo', mask, 3), { instanceOf: RangeError, message: /tokensTotal/ });
  t.throws(() => tokenWeights('dr_grpo', mask, 3, { maxCompletionLen: 3 }), { instanceOf: RangeError, message: /max_completion_len/ });
  t.throws(() => tokenWeights('sequence-mean', mask, 3, { numSeqsTotal: 2 }), { instanceOf: RangeError });
  t.throws(() => tokenWeights('mean' as Aggregation, mask, 3), { instanceOf: RangeError, message: /token-mean/ });
  t.throws(() => tokenWeights('token-mean', Float32Array.from([0.5, 1]), 1), { instanceOf: RangeError, message: /0 or 1/ });
  t.throws(() => tokenWeights('token-mean', mask, 5), { instanceOf: RangeError, message: /multiple of rows/ });
  t.throws(() => tokenWeights('token-mean', [1, 0] as never, 1), { instanceOf: TypeError });
});

test('bad input: clear TypeError / RangeError from the TS layer', async (t) => {
  const c = makeLossCase(81, { lengths: [5, 3], vocab: 50, hidden: 8 });
  const ok = grpoInputs(c, weightsFor(c, 'token-mean'));
  const nanAdv = Float32Array.from(ok.adv!);
  nanAdv[3] = Number.NaN;
  await t.throwsAsync(lossCheck('grpo', 'fused', { ...ok, adv: nanAdv }), { instanceOf: RangeError, message: /inputs\.adv\[3\] is NaN/ });
  await t.throwsAsync(lossCheck('grpo', 'fused', { ...ok, weight: ok.weight.subarray(1) }), { instanceOf: RangeError, message: /one value per completion token \(8\)/ });
  await t.throwsAsync(lossCheck('grpo', 'fused', { ...ok, oldLogp: new Float32Array(7) }), { instanceOf: RangeError, message: /oldLogp/ });
  await t.throwsAsync(lossCheck('grpo', 'fused', { ...ok, hidden: ok.hidden.subarray(8) }), { instanceOf: RangeError, message: /hidden/ });
  await t.throwsAsync(lossCheck('grpo', 'fused', { ...ok, targets: Int32Array.from(ok.targets, () => 50) }), { instanceOf: RangeError, message: /\[0, 50\)/ });
  await t.throwsAsync(lossCheck('grpo', 'fused', ok, { beta: 0.04 }), { instanceOf: RangeError, message: /refLogp/ });
  await t.throwsAsync(lossCheck('grpo', 'fused', { ...ok, targets: new Int32Array(0), hidden: new Float32Array(0), weight: new Float32Array(0), adv: new Float32Array(0) }), { instanceOf: RangeError, message: /at least one completion token/ });
  await t.throwsAsync(lossCheck('grpo', 'fused', { ...ok, adv: Array.from(ok.adv!) as never }), { instanceOf: TypeError, message: /Float32Array/ });
  await t.throwsAsync(lossCheck('grpo', 'fused', ok, { epsLow: 1 }), { instanceOf: RangeError, message: /epsLow/ });
  await t.throwsAsync(lossCheck('grpo', 'fused', ok, { chunkRows: -1 }), { instanceOf: RangeError, message: /chunkRows/ });
  await t.throwsAsync(lossCheck('grpo', 'fused', ok, { epsilon: 0.2 } as never), { instanceOf: TypeError, message: /Unknown option "epsilon"/ });
  await t.throwsAsync(lossCheck('grpo', 'fast' as never, ok), { instanceOf: RangeError, message: /impl/ });
});

test('bad input: the C++ checks catch what reaches the addon directly (RangeError, no crash)', async (t) => {
  const c = makeLossCase(91, { lengths: [5, 3], vocab: 50, hidden: 8 });
  const ok = grpoInputs(c, weightsFor(c, 'token-mean'));
  // Shape and type errors surface synchronously, value errors from the worker: accept both.
  const raw = native() as unknown as { lossCheck(...args: unknown[]): Promise<unknown> };
  const opts = { epsLow: 0.2, epsHigh: 0.2, beta: 0, entropyCoef: 0, chunkRows: 0, gradOutput: 1, float64: false };
  const nanAdv = Float32Array.from(ok.adv!);
  nanAdv[0] = Number.NaN;
  const infOld = new Float32Array(c.N).fill(Number.NEGATIVE_INFINITY);
  for (const impl of ['fused', 'reference']) {
    await t.throwsAsync(async () => raw.lossCheck('grpo', impl, { ...ok, adv: nanAdv }, opts), { instanceOf: RangeError, message: /adv .*NaN or infinite/ });
    await t.throwsAsync(async () => raw.lossCheck('grpo', impl, { ...ok, oldLogp: infOld }, opts), { instanceOf: RangeError, message: /old_logp/ });
    await t.throwsAsync(async () => raw.lossCheck('grpo', impl, { ...ok, weight: ok.weight.subarray(2) }, opts), { instanceOf: RangeError, message: /one value per completion token \(8\)/ });
    await t.throwsAsync(async () => raw.lossCheck('grpo', impl, { ...ok, targets: ok.targets.subarray(1) }, opts), { instanceOf: RangeError, message: /targets must be \(N\)/ });
    await t.throwsAsync(async () => raw.lossCheck('grpo', impl, { ...ok, targets: Int32Array.from(ok.targets, () => -1) }, opts), { instanceOf: RangeError, message: /target ids/ });
    await t.throwsAsync(async () => raw.lossCheck('grpo', impl, ok, { ...opts, beta: 0.1 }), { instanceOf: RangeError, message: /needs ref_logp/ });
    await t.throwsAsync(async () => raw.lossCheck('grpo', impl, { ...ok, targets: new Int32Array(0), hidden: new Float32Array(0), weight: new Float32Array(0), adv: new Float32Array(0) }, opts), { instanceOf: RangeError, message: /empty batch/ });
    await t.throwsAsync(async () => raw.lossCheck('grpo', impl, { ...ok, lmHead: ok.lmHead.subarray(1) }, opts), { instanceOf: RangeError, message: /multiple of hiddenSize/ });
  }
  t.throws(() => raw.lossCheck('grpo', 'fused', { ...ok, adv: 3 }, opts), { instanceOf: TypeError, message: /adv must be a Float32Array/ });
});
