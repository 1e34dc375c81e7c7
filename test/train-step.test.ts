/**
 * The optimisation step (issue 6): parameters change after a step, SFT overfits 8 examples, fused
 * and reference steps agree, shared-prompt rows match one row per sequence, micro-batching matches one batch, optimizer state round-trips, a
 * non-finite step is skipped, and bad batches are rejected before native work.
 */
import test from 'ava';
import * as path from 'node:path';

import { Policy } from '../lib';
import { tmpDir } from './helpers/tmp';
import { readSafetensorsF32 } from './helpers/safetensors-writer';
import { randomIds, rng, tinyQwen } from './helpers/tiny-models';

function batch(seed: number, n = 6) {
  const r = rng(seed);
  const prompts = Array.from({ length: n }, (_, i) => randomIds(r, 3 + (i % 4), 256));
  const completions = Array.from({ length: n }, (_, i) => randomIds(r, 1 + ((i * 5) % 9), 256));
  const advantages = Array.from({ length: n }, (_, i) => (i % 3) - 1 + 0.25);
  return { prompts, completions, advantages };
}

async function probe(p: Policy, seed = 99): Promise<number[]> {
  const r = rng(seed);
  const seqs = [randomIds(r, 12, 256), randomIds(r, 7, 256)];
  return (await p.logprobs(seqs, { start: [1, 1] })).flatMap((x) => Array.from(x));
}

test('every parameter group changes after one GRPO step', async (t) => {
  const p = await Policy.create(tinyQwen, { seed: 1 });
  const dir0 = tmpDir();
  await p.save(dir0);
  const m = await p.trainStep(batch(1), { lr: 1e-3 });
  t.false(m.skipped);
  t.true(m.gradNorm > 0 && Number.isFinite(m.loss));
  t.is(m.tokens, batch(1).completions.reduce((a, c) => a + c.length, 0));
  const dir1 = tmpDir();
  await p.save(dir1);
  const before = readSafetensorsF32(path.join(dir0, 'model.safetensors'));
  const after = readSafetensorsF32(path.join(dir1, 'model.safetensors'));
  for (const [name, v] of before) {
    const w = after.get(name)!;
    t.true(v.some((x, i) => x !== w[i]), `parameter ${name} has not changed`);
  }
  t.is(p.optimizerSteps(), 1);
  p.dispose();
});

test('SFT on 8 examples drives the loss near 0 (overfit)', async (t) => {
  const p = await Policy.create(tinyQwen, { seed: 2 });
  const r = rng(3);
  const prompts = Array.from({ length: 8 }, () => randomIds(r, 5, 256));
  const completions = Array.from({ length: 8 }, () => randomIds(r, 6, 256));
  let loss = Infinity;
  for (let i = 0; i < 80; i++) loss = (await p.sftStep({ prompts, completions }, { lr: 1e-2, weightDecay: 0 })).loss;
  t.true(loss < 0.05, `final SFT loss ${loss}`);
  p.dispose();
});

for (const aggregation of ['token-mean', 'sequence-mean', 'dr_grpo', 'dapo'] as const) {
  test(`fused and reference steps give the same update (${aggregation}, KL and entropy on)`, async (t) => {
    const b = batch(4);
    const a = await Policy.create(tinyQwen, { seed: 5 });
    const c = await Policy.create(tinyQwen, { seed: 5 });
    const seqs = b.prompts.map((pp, i) => Int32Array.from([...pp, ...b.completions[i]!]));
    const starts = b.prompts.map((pp) => pp.length);
    const old = (await a.logprobs(seqs, { start: starts })).map((x) => x.map((v, j) => v - 0.3 * ((j % 3) - 1)));
    const ref = old.map((x) => x.map((v) => v - 0.1));
    const full = { ...b, oldLogprobs: old, refLogprobs: ref };
    const opts = { lr: 1e-3, beta: 0.04, entropyCoef: 0.01, aggregation, maxCompletionLength: 10 };
    const ma = await a.trainStep(full, { ...opts, impl: 'fused' });
    const mc = await c.trainStep(full, { ...opts, impl: 'reference' });
    t.true(Math.abs(ma.loss - mc.loss) < 1e-5, `loss ${ma.loss} vs ${mc.loss}`);
    t.true(Math.abs(ma.gradNorm - mc.gradNorm) < 1e-5 * Math.max(1, mc.gradNorm));
    t.true(Math.abs(ma.clipFraction - mc.clipFraction) < 1e-9);
    t.true(ma.clipFraction > 0, 'the perturbed old log-probs should activate the clip');
    const pa = await probe(a), pc = await probe(c);
    t.true(pa.every((v, i) => Math.abs(v - pc[i]!) < 1e-5));
    a.dispose();
    c.dispose();
  });
}

test('omitted oldLogprobs (on-policy) give the same update as the policy\'s own rescored log-probs', async (t) => {
  // The GRPO loop leaves oldLogprobs out when each rollout gets one update (lib/train/grpo.ts).
  const b = batch(12, 7);
  const a = await Policy.create(tinyQwen, { seed: 13 });
  const c = await Policy.create(tinyQwen, { seed: 13 });
  const seqs = b.prompts.map((pp, i) => Int32Array.from([...pp, ...b.completions[i]!]));
  const old = await c.logprobs(seqs, { start: b.prompts.map((pp) => pp.length) });
  const opts = { lr: 1e-3, entropyCoef: 0.01, microBatchSize: 3 };
  const ma = await a.trainStep(b, { ...opts, releaseMemory: false }); // keeping the step's memory changes nothing
  const mc = await c.trainStep({ ...b, oldLogprobs: old }, opts);
  t.true(Math.abs(ma.loss - mc.loss) < 1e-5, `loss ${ma.loss} vs ${mc.loss}`);
  t.is(ma.clipFraction, 0);
  t.is(mc.clipFraction, 0);
  const pa = await probe(a), pc = await probe(c);
  t.true(pa.every((v, i) => Math.abs(v - pc[i]!) < 1e-5));
  a.dispose();
  c.dispose();
});

test('micro-batching gives the same update as one batch (dapo and sequence-mean)', async (t) => {
  for (const aggregation of ['dapo', 'sequence-mean'] as const) {
    const b = batch(6, 7);
    const a = await Policy.create(tinyQwen, { seed: 8 });
    const c = await Policy.create(tinyQwen, { seed: 8 });
    const ma = await a.trainStep(b, { lr: 1e-3, aggregation });
    const mc = await c.trainStep(b, { lr: 1e-3, aggregation, microBatchSize: 3 });
    t.true(Math.abs(ma.loss - mc.loss) < 1e-5);
    const pa = await probe(a), pc = await probe(c);
    t.true(pa.every((v, i) => Math.abs(v - pc[i]!) < 1e-5), aggregation);
    a.dispose();
    c.dispose();
  }
});

/** GRPO-shaped: prompts of odd lengths, each repeated for an odd-sized group, ragged completions. */
function groupedBatch(seed: number) {
  const r = rng(seed);
  const prompts: Int32Array[] = [], completions: Int32Array[] = [], advantages: number[] = [];
  [[5, 3], [7, 4], [2, 1], [5, 2]].forEach(([len, group], g) => {
    const prompt = randomIds(r, len!, 256);
    for (let k = 0; k < group!; k++) {
      prompts.push(prompt);
      completions.push(randomIds(r, 1 + ((g * 3 + k * 5) % 7), 256));
      advantages.push(((g + k) % 3) - 1 + 0.3);
    }
  });
  return { prompts, completions, advantages };
}

test('shared prompts (one row per distinct prompt, tree mask) give the same loss, gradients and update as one row per sequence', async (t) => {
  // sharePrompts false is the reference layout; micro-batches of 4 and 5 cut groups apart.
  for (const [kind, microBatchSize, aggregation] of [['grpo', 0, 'token-mean'], ['grpo', 4, 'sequence-mean'], ['grpo', 5, 'dapo'], ['sft', 4, 'token-mean']] as const) {
    const b = groupedBatch(21);
    const a = await Policy.create(tinyQwen, { seed: 17 });
    const c = await Policy.create(tinyQwen, { seed: 17 });
    const seqs = b.prompts.map((pp, i) => Int32Array.from([...pp, ...b.completions[i]!]));
    const old = (await a.logprobs(seqs, { start: b.prompts.map((pp) => pp.length) })).map((x) => x.map((v, j) => v - 0.2 * ((j % 3) - 1)));
    const opts = { lr: 1e-3, entropyCoef: 0.01, aggregation, microBatchSize };
    const step = (p: Policy, sharePrompts: boolean) =>
      kind === 'grpo'
        ? p.trainStep({ ...b, oldLogprobs: old }, { ...opts, sharePrompts })
        : p.sftStep({ prompts: b.prompts, completions: b.completions }, { ...opts, sharePrompts });
    const ma = await step(a, true);
    const mc = await step(c, false);
    const what = `${kind} micro ${microBatchSize} ${aggregation}`;
    t.true(Math.abs(ma.loss - mc.loss) < 1e-5 * Math.max(1, Math.abs(mc.loss)), `${what}: loss ${ma.loss} vs ${mc.loss}`);
    t.true(Math.abs(ma.gradNorm - mc.gradNorm) < 1e-5 * Math.max(1, mc.gradNorm), `${what}: grad norm ${ma.gradNorm} vs ${mc.gradNorm}`);
    t.true(Math.abs(ma.entropy - mc.entropy) < 1e-5, what);
    if (kind === 'grpo') t.true(Math.abs(ma.clipFraction - mc.clipFraction) < 1e-9 && mc.clipFraction > 0, what);
    const pa = await probe(a), pc = await probe(c);
    t.true(pa.every((v, i) => Math.abs(v - pc[i]!) < 1e-5), what);
    if (kind === 'sft') await t.throwsAsync(a.trainStep(b, { sharePrompts: 1 as never }), { instanceOf: TypeError, message: /sharePrompts/ });
    a.dispose();
    c.dispose();
  }
});

test('a prompt shorter than its completion is not shared: pretraining-shaped batches compute exactly as one row per sequence', async (t) => {
  // Pretraining's "prompt" is one header line under a whole example; packing those would lengthen
  // rows (attention grows with the square) to save a few tokens, so they keep their own rows.
  const r = rng(31);
  const header = randomIds(r, 2, 256);
  const b = { prompts: Array.from({ length: 5 }, () => header), completions: Array.from({ length: 5 }, (_, i) => randomIds(r, 4 + i, 256)) };
  const a = await Policy.create(tinyQwen, { seed: 19 });
  const c = await Policy.create(tinyQwen, { seed: 19 });
  const ma = await a.sftStep(b, { lr: 1e-3, microBatchSize: 3, sharePrompts: true });
  const mc = await c.sftStep(b, { lr: 1e-3, microBatchSize: 3, sharePrompts: false });
  t.is(ma.loss, mc.loss);
  t.is(ma.gradNorm, mc.gradNorm);
  t.deepEqual(await probe(a), await probe(c));
  a.dispose();
  c.dispose();
});

test('optimizer state saves and restores: continuing gives identical parameters', async (t) => {
  const a = await Policy.create(tinyQwen, { seed: 9 });
  await a.trainStep(batch(10), { lr: 1e-3 });
  const dir = tmpDir();
  await a.save(dir);
  await a.saveOptimizer(path.join(dir, 'optimizer.safetensors'));
  const b = await Policy.load(dir);
  await b.loadOptimizer(path.join(dir, 'optimizer.safetensors'));
  t.is(b.optimizerSteps(), 1);
  await a.trainStep(batch(11), { lr: 1e-3 });
  await b.trainStep(batch(11), { lr: 1e-3 });
  t.deepEqual(await probe(a), await probe(b));
  await t.throwsAsync(b.loadOptimizer(path.join(dir, 'model.safetensors')), { message: /not a toolrl optimizer state/ });
  a.dispose();
  b.dispose();
});

test('a step whose loss is not finite is skipped and reported, never applied', async (t) => {
  const p = await Policy.create(tinyQwen, { seed: 12 });
  const before = await probe(p);
  const b = batch(13);
  // Old log-probs of -1e30 make the ratio infinite; with a negative advantage the loss is +inf.
  const m = await p.trainStep(
    { ...b, advantages: b.advantages.map(() => -1), oldLogprobs: b.completions.map((c) => new Float32Array(c.length).fill(-1e30)) },
    { lr: 1e-3 },
  );
  t.true(m.skipped);
  t.regex(m.skipReason ?? '', /not finite/);
  t.deepEqual(await probe(p), before);
  t.is(p.optimizerSteps(), 0);
  p.dispose();
});

test('bad batches are rejected with TypeError/RangeError before native work', async (t) => {
  const p = await Policy.create(tinyQwen);
  const b = batch(14);
  await t.throwsAsync(p.trainStep({ ...b, prompts: [] , completions: [], advantages: [] }), { instanceOf: RangeError, message: /non-empty batch/ });
  await t.throwsAsync(p.trainStep({ ...b, completions: b.completions.slice(1) }), { instanceOf: RangeError, message: /one entry per prompt/ });
  await t.throwsAsync(p.trainStep({ ...b, advantages: b.advantages.slice(1) }), { instanceOf: RangeError, message: /advantages/ });
  await t.throwsAsync(p.trainStep({ ...b, advantages: b.advantages.map((_, i) => (i ? 1 : NaN)) }), { instanceOf: RangeError, message: /finite/ });
  await t.throwsAsync(p.trainStep({ ...b, advantages: undefined }), { instanceOf: TypeError });
  await t.throwsAsync(p.trainStep({ ...b, completions: b.completions.map((c, i) => (i ? c : new Int32Array(0))) }), { instanceOf: RangeError, message: /empty/ });
  await t.throwsAsync(p.trainStep({ ...b, oldLogprobs: b.completions.map((c) => new Float32Array(c.length + 1)) }), { instanceOf: RangeError, message: /one value per completion token/ });
  await t.throwsAsync(p.trainStep({ ...b, oldLogprobs: b.completions.map((c) => new Float32Array(c.length).fill(NaN)) }), { instanceOf: RangeError });
  await t.throwsAsync(p.trainStep(b, { beta: 0.1 }), { instanceOf: RangeError, message: /refLogprobs/ });
  await t.throwsAsync(p.trainStep(b, { aggregation: 'mean' } as never), { instanceOf: RangeError, message: /token-mean/ });
  await t.throwsAsync(p.trainStep(b, { lr: -1 }), { instanceOf: RangeError });
  await t.throwsAsync(p.trainStep(b, { learningRate: 1 } as never), { instanceOf: TypeError, message: /Unknown option/ });
  await t.throwsAsync(p.trainStep(b, { releaseMemory: 'no' } as never), { instanceOf: TypeError, message: /releaseMemory/ });
  await t.throwsAsync(p.sftStep({ prompts: b.prompts, completions: b.completions, advantages: [] } as never), { instanceOf: TypeError });
  t.is(p.optimizerSteps(), 0);
  p.dispose();
});
