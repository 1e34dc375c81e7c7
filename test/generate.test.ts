/**
 * The rollout engine (issue 5): greedy = step-by-step argmax of full forwards, sampled log-probs =
 * policy.logprobs at temperature 1, stop tokens, determinism, batch-composition independence and
 * bad input.
 */
import test from 'ava';
import * as path from 'node:path';

import { Policy } from '../lib';
import { referenceLogits } from './helpers/reference-model';
import { readSafetensorsF32 } from './helpers/safetensors-writer';
import { writeHfDir } from './helpers/hf-dir';
import { tmpDir } from './helpers/tmp';
import { randomIds, rng, tinyQwen } from './helpers/tiny-models';

async function loaded(seed = 21) {
  const dir = tmpDir();
  writeHfDir(dir, tinyQwen, seed);
  return { policy: await Policy.load(dir), weights: readSafetensorsF32(path.join(dir, 'model.safetensors')) };
}

function argmax(row: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < row.length; i++) if (row[i]! > row[best]!) best = i;
  return best;
}

test('greedy generation equals step-by-step argmax of full forwards, ragged prompts in one batch', async (t) => {
  const { policy, weights } = await loaded();
  const r = rng(1);
  const prompts = [randomIds(r, 7, 256), randomIds(r, 19, 256), randomIds(r, 1, 256), randomIds(r, 12, 256)];
  const steps = 12;
  const out = await policy.generate(prompts, { temperature: 0, maxNewTokens: steps });
  t.is(out.ids.length, prompts.length);
  prompts.forEach((prompt, i) => {
    const seq = Array.from(prompt);
    for (let s = 0; s < steps; s++) {
      const rows = referenceLogits(tinyQwen, weights, seq);
      const next = argmax(rows[rows.length - 1]!);
      t.is(out.ids[i]![s], next, `prompt ${i}, step ${s}`);
      seq.push(next);
    }
    t.is(out.finish[i], 'length');
  });
  policy.dispose();
});

test('with temperature 1, generate log-probs equal policy.logprobs within 1e-4 (old-policy log-probs)', async (t) => {
  const { policy } = await loaded();
  const r = rng(2);
  const prompts = [randomIds(r, 5, 256), randomIds(r, 23, 256), randomIds(r, 11, 256)];
  const out = await policy.generate(prompts, { temperature: 1, n: 3, maxNewTokens: 16, seed: 9 });
  t.is(out.ids.length, 9);
  const full = out.ids.map((ids, k) => Int32Array.from([...prompts[Math.floor(k / 3)]!, ...ids]));
  const starts = out.ids.map((_, k) => prompts[Math.floor(k / 3)]!.length);
  const lps = await policy.logprobs(full, { start: starts });
  let maxDiff = 0;
  lps.forEach((lp, k) => lp.forEach((v, j) => (maxDiff = Math.max(maxDiff, Math.abs(v - out.logprobs[k]![j]!)))));
  t.true(maxDiff < 1e-4, `max diff ${maxDiff}`);
  // The n samples of a prompt differ (independent streams), not copies of one another.
  t.notDeepEqual(Array.from(out.ids[0]!), Array.from(out.ids[1]!));
  policy.dispose();
});

test('temperature scales the distribution the log-probs are reported under', async (t) => {
  const { policy } = await loaded();
  const prompt = randomIds(rng(3), 6, 256);
  const out = await policy.generate([prompt], { temperature: 0.5, maxNewTokens: 1, seed: 4 });
  // log softmax(z / 0.5)[y] computed from full log-probs at temperature 1 (which are z - logsumexp z).
  const all = await policy.logprobs(
    Array.from({ length: 256 }, (_, v) => Int32Array.from([...prompt, v])),
    { start: new Array(256).fill(prompt.length) },
  );
  const z = all.map((a) => a[0]! / 0.5);
  const m = Math.max(...z);
  const lse = m + Math.log(z.reduce((s, v) => s + Math.exp(v - m), 0));
  t.true(Math.abs(out.logprobs[0]![0]! - (z[out.ids[0]![0]!]! - lse)) < 1e-4);
  policy.dispose();
});

test('stop tokens end a sample, are kept as its last token, and finish says why', async (t) => {
  const { policy } = await loaded();
  const prompts = [randomIds(rng(4), 8, 256), randomIds(rng(5), 3, 256)];
  // Half the vocabulary stops: every sample stops within a few tokens with overwhelming probability.
  const stopTokenIds = Array.from({ length: 128 }, (_, i) => i * 2);
  const out = await policy.generate(prompts, { n: 4, maxNewTokens: 40, seed: 1, stopTokenIds });
  out.ids.forEach((ids, k) => {
    t.is(out.finish[k], 'stop');
    t.true(stopTokenIds.includes(ids[ids.length - 1]!));
    for (let j = 0; j < ids.length - 1; j++) t.false(stopTokenIds.includes(ids[j]!));
    t.is(out.logprobs[k]!.length, ids.length);
  });
  const lengths = await policy.generate(prompts, { n: 2, maxNewTokens: 5, seed: 1, stopTokenIds: [] });
  lengths.ids.forEach((ids, k) => {
    t.is(ids.length, 5);
    t.is(lengths.finish[k], 'length');
  });
  policy.dispose();
});

test('same seed gives the same output; results do not depend on batch composition', async (t) => {
  const { policy } = await loaded();
  const r = rng(6);
  const prompts = [randomIds(r, 9, 256), randomIds(r, 4, 256), randomIds(r, 15, 256)];
  const opts = { n: 3, maxNewTokens: 10, seed: 77, temperature: 1, stopTokenIds: [3, 5, 7, 11] };
  const a = await policy.generate(prompts, opts);
  const b = await policy.generate(prompts, opts);
  t.deepEqual(a.ids.map((x) => Array.from(x)), b.ids.map((x) => Array.from(x)));
  t.deepEqual(a.logprobs.map((x) => Array.from(x)), b.logprobs.map((x) => Array.from(x)));
  // A batch-size cap (rows decoded in several chunks) gives the same tokens.
  const capped = await policy.generate(prompts, { ...opts, batchSize: 2 });
  t.deepEqual(capped.ids.map((x) => Array.from(x)), a.ids.map((x) => Array.from(x)));
  // Without prefix sharing (each sample prefilled alone) the same tokens come out.
  const unshared = await policy.generate(prompts, { ...opts, sharePrefix: false });
  t.deepEqual(unshared.ids.map((x) => Array.from(x)), a.ids.map((x) => Array.from(x)));
  const other = await policy.generate(prompts, { ...opts, seed: 78 });
  t.notDeepEqual(other.ids.map((x) => Array.from(x)), a.ids.map((x) => Array.from(x)));
  policy.dispose();
});

test('topK 1 is greedy; topP keeps the most likely tokens', async (t) => {
  const { policy } = await loaded();
  const prompts = [randomIds(rng(7), 10, 256)];
  const greedy = await policy.generate(prompts, { temperature: 0, maxNewTokens: 8 });
  const k1 = await policy.generate(prompts, { temperature: 1, topK: 1, maxNewTokens: 8, seed: 3 });
  t.deepEqual(Array.from(k1.ids[0]!), Array.from(greedy.ids[0]!));
  const tiny = await policy.generate(prompts, { temperature: 1, topP: 1e-6, maxNewTokens: 8, seed: 3 });
  t.deepEqual(Array.from(tiny.ids[0]!), Array.from(greedy.ids[0]!));
  policy.dispose();
});

test('generate rejects bad input before any native work', async (t) => {
  const { policy } = await loaded();
  const ok = [Int32Array.from([1, 2])];
  await t.throwsAsync(policy.generate([new Int32Array(0)]), { instanceOf: RangeError, message: /empty/ });
  await t.throwsAsync(policy.generate([Int32Array.from([1, 999])]), { instanceOf: RangeError });
  await t.throwsAsync(policy.generate([[1, 2]] as never), { instanceOf: TypeError });
  await t.throwsAsync(policy.generate(ok, { n: 0 }), { instanceOf: RangeError, message: /opts\.n/ });
  await t.throwsAsync(policy.generate(ok, { n: 1.5 }), { instanceOf: RangeError });
  await t.throwsAsync(policy.generate(ok, { maxNewTokens: 0 }), { instanceOf: RangeError });
  await t.throwsAsync(policy.generate(ok, { temperature: -0.1 }), { instanceOf: RangeError });
  await t.throwsAsync(policy.generate(ok, { temperature: NaN }), { instanceOf: RangeError });
  await t.throwsAsync(policy.generate(ok, { topP: 0 }), { instanceOf: RangeError });
  await t.throwsAsync(policy.generate(ok, { topP: 1.01 }), { instanceOf: RangeError });
  await t.throwsAsync(policy.generate(ok, { topK: -1 }), { instanceOf: RangeError });
  await t.throwsAsync(policy.generate(ok, { seed: -1 }), { instanceOf: RangeError });
  await t.throwsAsync(policy.generate(ok, { stopTokenIds: [256] }), { instanceOf: RangeError });
  await t.throwsAsync(policy.generate(ok, { stopTokenIds: 5 } as never), { instanceOf: TypeError });
  await t.throwsAsync(policy.generate(ok, { temperature: '1' } as never), { instanceOf: TypeError });
  await t.throwsAsync(policy.generate(ok, { maxTokens: 5 } as never), { instanceOf: TypeError, message: /Unknown option "maxTokens"/ });
  t.deepEqual(await policy.generate([], { maxNewTokens: 3 }), { ids: [], logprobs: [], finish: [] });
  policy.dispose();
});

test('the eager concat-cache reference generator produces the same tokens and log-probs', async (t) => {
  const { policy } = await loaded();
  const r = rng(8);
  const prompts = [randomIds(r, 10, 256), randomIds(r, 10, 256)];
  const opts = { n: 3, maxNewTokens: 12, seed: 5, stopTokenIds: [1, 2, 3] };
  const fast = await policy.generate(prompts, opts);
  const ref = await policy.generateReference(prompts, opts);
  t.deepEqual(ref.ids.map((x) => Array.from(x)), fast.ids.map((x) => Array.from(x)));
  t.deepEqual(ref.finish, fast.finish);
  let d = 0;
  ref.logprobs.forEach((lp, k) => lp.forEach((v, j) => (d = Math.max(d, Math.abs(v - fast.logprobs[k]![j]!)))));
  t.true(d < 1e-4, `max diff ${d}`);
  await t.throwsAsync(policy.generateReference([randomIds(r, 3, 256), randomIds(r, 4, 256)]), { instanceOf: RangeError });
  policy.dispose();
});
