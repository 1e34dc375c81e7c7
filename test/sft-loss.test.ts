/**
 * The fused SFT cross-entropy (native/loss/sft_loss.cc) against its eager reference
 * (sft_loss_ref.cc): loss, log-probs and both gradients after a C++ autograd backward, on ragged
 * shapes with masked tokens and chunk sizes from 1 to > N; finite differences for the reference;
 * bad input. Run: npx ava test/sft-loss.test.ts
 */
import test from 'ava';

import { native } from '../lib/native';
import { lossCheck, type Aggregation, type LossInputs } from '../lib/ops/loss';
import { caseWeights, closeMessage, makeLossCase, maxAbs, type LossCase } from './helpers/loss-cases';

// fp32 fused vs reference; atol is relative to the tensor's max |value| (see grpo-loss.test.ts).
const FP32 = { atol: 1e-5, rtol: 1e-4 };

function sftInputs(c: LossCase, weight: Float32Array): LossInputs {
  return { hidden: c.hidden, lmHead: c.lmHead, hiddenSize: c.H, targets: c.targets, weight };
}

function expectClose(t: { true(v: boolean, m?: string): void }, label: string, a: ArrayLike<number>, b: ArrayLike<number>, tol: { atol: number; rtol: number }): void {
  const msg = closeMessage(label, a, b, tol.atol * Math.max(maxAbs(b), 1e-30), tol.rtol);
  t.true(msg === null, msg ?? '');
}

for (const kind of ['token-mean', 'sequence-mean'] as Aggregation[]) {
  test(`fused matches reference: ${kind} weights, masked tokens, chunk sizes 1..>N`, async (t) => {
    const c = makeLossCase(101 + (kind === 'token-mean' ? 0 : 1));
    const inputs = sftInputs(c, caseWeights(c, kind));
    const ref = await lossCheck('sft', 'reference', inputs, { gradOutput: 0.8 });
    // loss = −Σ w·logp and nll = mean −logp over tokens with weight > 0, from the returned logp.
    let expected = 0;
    let nll = 0;
    let tokens = 0;
    for (let i = 0; i < c.N; i++) {
      expected -= inputs.weight[i]! * ref.logp[i]!;
      if (inputs.weight[i]! > 0) {
        nll -= ref.logp[i]!;
        tokens++;
      }
    }
    t.true(tokens < c.N, 'the case has masked tokens');
    t.true(Math.abs(ref.loss - expected) <= 1e-5 * Math.abs(expected), `reference loss ${ref.loss} vs −Σ w·logp ${expected}`);
    t.true(Math.abs(ref.nll! - nll / tokens) <= 1e-5 * ref.nll!, `nll ${ref.nll} vs ${nll / tokens}`);
    t.is(ref.tokens, tokens);
    for (const chunkRows of [1, 7, 64, 0, c.N + 5]) {
      const fused = await lossCheck('sft', 'fused', inputs, { chunkRows, gradOutput: 0.8 });
      const label = `${kind} chunk=${chunkRows}`;
      const dl = Math.abs(fused.loss - ref.loss);
      t.true(dl <= 1e-6 + 1e-4 * Math.abs(ref.loss), `${label} loss: ${fused.loss} vs ${ref.loss} (abs diff ${dl.toExponential(3)})`);
      expectClose(t, `${label} logp`, fused.logp, ref.logp, FP32);
      expectClose(t, `${label} gradHidden`, fused.gradHidden, ref.gradHidden, FP32);
      expectClose(t, `${label} gradLmHead`, fused.gradLmHead, ref.gradLmHead, FP32);
      t.true(Math.abs(fused.nll! - ref.nll!) <= 1e-5 * ref.nll!, `${label} nll ${fused.nll} vs ${ref.nll}`);
      t.is(fused.tokens, ref.tokens);
    }
  });
}

test('float64: fused and reference agree to float32 rounding of the results', async (t) => {
  const c = makeLossCase(111, { lengths: [50, 3, 77], vocab: 2003, hidden: 31 });
  const inputs = sftInputs(c, caseWeights(c, 'token-mean'));
  const gold = await lossCheck('sft', 'reference', inputs, { float64: true });
  const fused = await lossCheck('sft', 'fused', inputs, { float64: true, chunkRows: 9 });
  t.true(Math.abs(fused.loss - gold.loss) <= 1e-12 * Math.abs(gold.loss), `loss ${fused.loss} vs ${gold.loss}`);
  expectClose(t, 'gradHidden', fused.gradHidden, gold.gradHidden, { atol: 1e-7, rtol: 1e-6 });
  expectClose(t, 'gradLmHead', fused.gradLmHead, gold.gradLmHead, { atol: 1e-7, rtol: 1e-6 });
});

test('reference gradients match central finite differences (float64, tiny case)', async (t) => {
  const c = makeLossCase(121, { lengths: [4, 2], vocab: 11, hidden: 6, maskFrac: 0.3, wStd: 0.5 });
  const inputs = sftInputs(c, caseWeights(c, 'sequence-mean'));
  const opts = { float64: true };
  const base = await lossCheck('sft', 'reference', inputs, opts);
  const delta = 2 ** -10; // exact in float32 for these magnitudes
  for (const [key, grad] of [
    ['hidden', base.gradHidden],
    ['lmHead', base.gradLmHead],
  ] as const) {
    const x = inputs[key];
    for (let k = 0; k < 8; k++) {
      const i = Math.floor(c.r() * x.length);
      const plus = Float32Array.from(x);
      const minus = Float32Array.from(x);
      plus[i]! += delta;
      minus[i]! -= delta;
      const lp = (await lossCheck('sft', 'reference', { ...inputs, [key]: plus }, opts)).loss;
      const lm = (await lossCheck('sft', 'reference', { ...inputs, [key]: minus }, opts)).loss;
      const fd = (lp - lm) / (plus[i]! - minus[i]!);
      t.true(Math.abs(fd - grad[i]!) <= 1e-7 + 1e-4 * Math.abs(fd), `${key}[${i}]: autograd ${grad[i]} vs finite difference ${fd}`);
    }
  }
});

test('bad input: TypeError / RangeError, from TS and from the C++ checks', async (t) => {
  const c = makeLossCase(131, { lengths: [5, 3], vocab: 50, hidden: 8 });
  const ok = sftInputs(c, caseWeights(c, 'token-mean'));
  await t.throwsAsync(lossCheck('sft', 'fused', { ...ok, weight: ok.weight.subarray(1) }), { instanceOf: RangeError, message: /one value per completion token \(8\)/ });
  const nan = Float32Array.from(ok.weight);
  nan[2] = Number.NaN;
  await t.throwsAsync(lossCheck('sft', 'fused', { ...ok, weight: nan }), { instanceOf: RangeError, message: /inputs\.weight\[2\] is NaN/ });
  await t.throwsAsync(lossCheck('sft', 'fused', { ...ok, weight: ok.weight.map((w) => -w) }), { instanceOf: RangeError, message: />= 0/ });
  await t.throwsAsync(lossCheck('sft', 'fused', { ...ok, adv: new Float32Array(c.N) }), { instanceOf: TypeError, message: /GRPO input/ });
  await t.throwsAsync(lossCheck('sft', 'fused', { ...ok, hidden: new Float64Array(ok.hidden) as never }), { instanceOf: TypeError });
  const raw = native() as unknown as { lossCheck(...args: unknown[]): Promise<unknown> };
  const opts = { chunkRows: 0, gradOutput: 1, float64: false };
  for (const impl of ['fused', 'reference']) {
    await t.throwsAsync(async () => raw.lossCheck('sft', impl, { ...ok, weight: nan }, opts), { instanceOf: RangeError, message: /weight .*NaN or infinite/ });
    await t.throwsAsync(async () => raw.lossCheck('sft', impl, { ...ok, weight: ok.weight.subarray(3) }, opts), { instanceOf: RangeError, message: /one value per completion token/ });
    await t.throwsAsync(async () => raw.lossCheck('sft', impl, { ...ok, targets: Int32Array.from(ok.targets, () => 99) }, opts), { instanceOf: RangeError, message: /target ids must be in \[0, 50\)/ });
  }
});
