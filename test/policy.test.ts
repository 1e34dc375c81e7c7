/**
 * The policy (issue 2): save/load round trip, log-probs against an independent eager reference,
 * ragged batches, Hugging Face checkpoints written by another program (F32/F16/BF16, sharded), the
 * Llama variant, and bad input for every entry point.
 */
import test from 'ava';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { Policy } from '../lib';
import { referenceLogprobs } from './helpers/reference-model';
import { readSafetensorsF32 } from './helpers/safetensors-writer';
import { writeHfDir } from './helpers/hf-dir';
import { tmpDir } from './helpers/tmp';
import { randomIds, rng, tinyLlama, tinyQwen } from './helpers/tiny-models';

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return a.length === b.length ? m : Infinity;
}

test('save then load gives bit-identical log-probs, config and parameter count', async (t) => {
  const p = await Policy.create(tinyQwen, { seed: 7 });
  const dir = tmpDir();
  await p.save(dir);
  const q = await Policy.load(dir);
  const r = rng(1);
  const seqs = [randomIds(r, 17, 256), randomIds(r, 5, 256), randomIds(r, 30, 256)];
  const a = await p.logprobs(seqs, { start: [1, 2, 10] });
  const b = await q.logprobs(seqs, { start: [1, 2, 10] });
  t.deepEqual(a.map((x) => Array.from(x)), b.map((x) => Array.from(x)));
  t.is(q.numParameters(), p.numParameters());
  t.deepEqual({ ...q.config }, { ...p.config });
  // Every file the save wrote is in place, no temporary file left behind.
  t.deepEqual(fs.readdirSync(dir).sort(), ['config.json', 'model.safetensors']);
  p.dispose();
  q.dispose();
});

test('numParameters matches the architecture', async (t) => {
  const c = tinyQwen;
  const D = c.hiddenSize / c.numAttentionHeads;
  const perLayer =
    2 * c.hiddenSize + // norms
    c.hiddenSize * c.numAttentionHeads * D + c.numAttentionHeads * D + // q
    2 * (c.hiddenSize * c.numKeyValueHeads * D + c.numKeyValueHeads * D) + // k, v
    c.numAttentionHeads * D * c.hiddenSize + // o
    3 * c.hiddenSize * c.intermediateSize; // mlp
  const expected = c.vocabSize * c.hiddenSize + c.numHiddenLayers * perLayer + c.hiddenSize;
  const p = await Policy.create(c);
  t.is(p.numParameters(), expected);
  p.dispose();
});

for (const [label, cfg] of [['qwen2', tinyQwen], ['llama3 (no bias, untied, rope scaling)', tinyLlama]] as const) {
  test(`log-probs match an independent eager reference within 1e-5: ${label}, ragged batch`, async (t) => {
    const dir = tmpDir();
    writeHfDir(dir, cfg, 11);
    const weights = readSafetensorsF32(path.join(dir, 'model.safetensors'));
    const p = await Policy.load(dir);
    const r = rng(2);
    // Long enough (90) that llama3 scaling's low-frequency band (original context 64) is exercised.
    const seqs = [randomIds(r, 9, cfg.vocabSize), randomIds(r, 90, cfg.vocabSize), randomIds(r, 2, cfg.vocabSize), randomIds(r, 33, cfg.vocabSize)];
    const starts = [1, 40, 1, 5];
    const batched = await p.logprobs(seqs, { start: starts });
    for (let i = 0; i < seqs.length; i++) {
      const ref = referenceLogprobs(cfg, weights, seqs[i]!, starts[i]!);
      const d = maxAbsDiff(batched[i]!, ref);
      t.true(d < 1e-5, `sequence ${i}: max |native - reference| = ${d}`);
      // Alone, without padding: padding must not change any value.
      const [alone] = await p.logprobs([seqs[i]!], { start: [starts[i]!] });
      const dp = maxAbsDiff(alone!, batched[i]!);
      // Not bit-exact: BLAS may sum in a different order for a (B, T) batch than for one row.
      t.true(dp < 1e-5, `sequence ${i}: batched vs alone differ by ${dp}`);
    }
    p.dispose();
  });
}

test('loads F16 and BF16 tensors and sharded checkpoints (index.json), converting to float32', async (t) => {
  const dtypes = ['F32', 'F16', 'BF16'] as const;
  const dir = tmpDir();
  const weights = writeHfDir(dir, tinyQwen, 5, { dtypeOf: (_n, i) => dtypes[i % 3]!, sharded: true });
  t.true(fs.existsSync(path.join(dir, 'model.safetensors.index.json')));
  const p = await Policy.load(dir);
  const seq = randomIds(rng(3), 20, 256);
  const [lp] = await p.logprobs([seq], { start: [1] });
  const ref = referenceLogprobs(tinyQwen, weights, seq, 1);
  t.true(maxAbsDiff(lp!, ref) < 1e-5);
  p.dispose();
});

test('a saved bf16 checkpoint loads and is close to the float32 model', async (t) => {
  const p = await Policy.create(tinyQwen, { seed: 3 });
  const dir = tmpDir();
  await p.save(dir, { dtype: 'bfloat16' });
  const cfg = JSON.parse(fs.readFileSync(path.join(dir, 'config.json'), 'utf8'));
  t.is(cfg.torch_dtype, 'bfloat16');
  t.deepEqual(cfg.architectures, ['Qwen2ForCausalLM']);
  const q = await Policy.load(dir);
  const seq = randomIds(rng(4), 12, 256);
  const [a] = await p.logprobs([seq], { start: [1] });
  const [b] = await q.logprobs([seq], { start: [1] });
  t.true(maxAbsDiff(a!, b!) < 1e-2);
  p.dispose();
  q.dispose();
});

test('create is deterministic for a seed and differs across seeds', async (t) => {
  const seq = randomIds(rng(5), 10, 256);
  const run = async (seed: number) => {
    const p = await Policy.create(tinyQwen, { seed });
    const [lp] = await p.logprobs([seq], { start: [1] });
    p.dispose();
    return Array.from(lp!);
  };
  t.deepEqual(await run(1), await run(1));
  t.notDeepEqual(await run(1), await run(2));
});

test('calls made concurrently are queued and all succeed', async (t) => {
  const p = await Policy.create(tinyQwen, { seed: 1 });
  const seq = randomIds(rng(6), 10, 256);
  const results = await Promise.all([1, 2, 3, 4].map((s) => p.logprobs([seq], { start: [s] })));
  results.forEach((r, i) => t.is(r[0]!.length, 10 - (i + 1)));
  t.is(results[3]![0]![0], results[0]![0]![3]);
  p.dispose();
});

// ---- bad input -------------------------------------------------------------------------------

test('create rejects bad configs and options', async (t) => {
  await t.throwsAsync(Policy.create(null as never), { instanceOf: TypeError });
  await t.throwsAsync(Policy.create({ ...tinyQwen, vocabSize: '256' } as never), { instanceOf: TypeError, message: /vocabSize/ });
  await t.throwsAsync(Policy.create({ ...tinyQwen, vocabSize: 0 }), { instanceOf: RangeError });
  await t.throwsAsync(Policy.create({ ...tinyQwen, hiddenSize: 60, numAttentionHeads: 8 }), { instanceOf: RangeError });
  await t.throwsAsync(Policy.create({ ...tinyQwen, numKeyValueHeads: 3 }), { instanceOf: RangeError, message: /numKeyValueHeads/ });
  await t.throwsAsync(Policy.create({ ...tinyQwen, hiddenSz: 64 } as never), { instanceOf: TypeError, message: /Unknown option "hiddenSz"/ });
  await t.throwsAsync(Policy.create(tinyQwen, { seed: -1 }), { instanceOf: RangeError });
  await t.throwsAsync(Policy.create(tinyQwen, { seed: 1.5 }), { instanceOf: RangeError });
  await t.throwsAsync(Policy.create(tinyQwen, { threads: 0 }), { instanceOf: RangeError });
  await t.throwsAsync(Policy.create(tinyQwen, { sed: 1 } as never), { instanceOf: TypeError });
});

test('logprobs with shared prompt rows equal one row per sequence and the eager reference (odd shapes, groups interleaved, split across forwards)', async (t) => {
  const dir = tmpDir();
  writeHfDir(dir, tinyQwen, 13);
  const weights = readSafetensorsF32(path.join(dir, 'model.safetensors'));
  const p = await Policy.load(dir);
  const r = rng(5);
  const V = tinyQwen.vocabSize;
  const cat = (a: Int32Array, b: Int32Array) => Int32Array.from([...a, ...b]);
  const A = randomIds(r, 37, V), B = randomIds(r, 11, V);
  const A2 = Int32Array.from(A);
  A2[36] = (A2[36]! + 1) % V; // the same length as A, one token different: must not share with A
  const seqs: Int32Array[] = [], starts: number[] = [];
  const add = (prefix: Int32Array, completionLen: number) => {
    seqs.push(cat(prefix, randomIds(r, completionLen, V)));
    starts.push(prefix.length);
  };
  // Group A's samples interleaved with B's, completions of 1..23 tokens, one of B's longer than its
  // prompt (keeps a row of its own), A2 next to A, and a sequence scored from inside A's prompt.
  add(A, 5); add(B, 3); add(A, 1); add(A2, 9); add(B, 23); add(A, 17); add(B, 11); add(A2, 2);
  seqs.push(cat(A, randomIds(r, 4, V))); starts.push(20);
  const shared = await p.logprobs(seqs, { start: starts });
  const unshared = await p.logprobs(seqs, { start: starts, sharePrompts: false });
  t.deepEqual(shared.map((x) => x.length), seqs.map((s, i) => s.length - starts[i]!));
  for (let i = 0; i < seqs.length; i++) {
    const d = maxAbsDiff(shared[i]!, unshared[i]!);
    t.true(d < 1e-5, `sequence ${i}: shared vs unshared differ by ${d}`);
    const dr = maxAbsDiff(shared[i]!, referenceLogprobs(tinyQwen, weights, seqs[i]!, starts[i]!));
    t.true(dr < 1e-5, `sequence ${i}: shared vs eager reference differ by ${dr}`);
  }
  // More than one forward's worth (8,192 slots): 12 prompts x 8 samples of 200 + 60..99 tokens.
  const many: Int32Array[] = [], manyStarts: number[] = [];
  for (let k = 0; k < 12; k++) {
    const prompt = randomIds(r, 200, V);
    for (let j = 0; j < 8; j++) {
      many.push(cat(prompt, randomIds(r, 60 + Math.floor(r() * 40), V)));
      manyStarts.push(200);
    }
  }
  const ms = await p.logprobs(many, { start: manyStarts });
  const mu = await p.logprobs(many, { start: manyStarts, sharePrompts: false });
  let worst = 0;
  for (let i = 0; i < many.length; i++) worst = Math.max(worst, maxAbsDiff(ms[i]!, mu[i]!));
  t.true(worst < 1e-5, `96 sequences: shared vs unshared differ by up to ${worst}`);
  p.dispose();
});

test('logprobs rejects bad arguments before native work', async (t) => {
  const p = await Policy.create(tinyQwen);
  const ok = Int32Array.from([1, 2, 3]);
  await t.throwsAsync(p.logprobs('x' as never, { start: [1] }), { instanceOf: TypeError });
  await t.throwsAsync(p.logprobs([[1, 2, 3]] as never, { start: [1] }), { instanceOf: TypeError, message: /Int32Array/ });
  await t.throwsAsync(p.logprobs([ok], undefined as never), { instanceOf: TypeError });
  await t.throwsAsync(p.logprobs([ok], { start: 1 } as never), { instanceOf: TypeError });
  await t.throwsAsync(p.logprobs([ok], { start: ['1'] } as never), { instanceOf: TypeError });
  await t.throwsAsync(p.logprobs([Int32Array.from([1, 256])], { start: [1] }), { instanceOf: RangeError, message: /256/ });
  await t.throwsAsync(p.logprobs([Int32Array.from([1, -1])], { start: [1] }), { instanceOf: RangeError });
  await t.throwsAsync(p.logprobs([new Int32Array(0)], { start: [0] }), { instanceOf: RangeError, message: /empty/ });
  await t.throwsAsync(p.logprobs([ok], { start: [-1] }), { instanceOf: RangeError });
  await t.throwsAsync(p.logprobs([ok], { start: [0] }), { instanceOf: RangeError });
  await t.throwsAsync(p.logprobs([ok], { start: [3] }), { instanceOf: RangeError });
  await t.throwsAsync(p.logprobs([ok], { start: [1, 1] }), { instanceOf: RangeError, message: /one entry per sequence/ });
  await t.throwsAsync(p.logprobs([ok, ok], { start: [1] }), { instanceOf: RangeError });
  await t.throwsAsync(p.logprobs([ok], { start: [1], sharePrompts: 1 } as never), { instanceOf: TypeError, message: /sharePrompts/ });
  await t.throwsAsync(p.logprobs([ok], { start: [1], share: true } as never), { instanceOf: TypeError, message: /share/ });
  t.deepEqual(await p.logprobs([], { start: [] }), []);
  p.dispose();
});

test('after dispose every call throws a clear Error; dispose twice is harmless', async (t) => {
  const p = await Policy.create(tinyQwen);
  const pending = p.logprobs([Int32Array.from([1, 2, 3])], { start: [1] });
  p.dispose(); // waits for the running operation
  t.is((await pending)[0]!.length, 2);
  p.dispose();
  t.throws(() => p.numParameters(), { message: /disposed/ });
  await t.throwsAsync(p.logprobs([Int32Array.from([1, 2])], { start: [1] }), { message: /disposed/ });
  await t.throwsAsync(p.generate([Int32Array.from([1, 2])], { maxNewTokens: 1 }), { message: /disposed/ });
  await t.throwsAsync(p.save(tmpDir()), { message: /disposed/ });
});

test('save rejects bad arguments', async (t) => {
  const p = await Policy.create(tinyQwen);
  await t.throwsAsync(p.save(42 as never), { instanceOf: TypeError });
  await t.throwsAsync(p.save(tmpDir(), { dtype: 'int8' } as never), { instanceOf: RangeError });
  const file = path.join(tmpDir(), 'a-file');
  fs.writeFileSync(file, 'x');
  await t.throwsAsync(p.save(file), { instanceOf: Error }); // a file where a directory should be
  p.dispose();
});

test('load reports missing and corrupt files naming the file and the tensor', async (t) => {
  await t.throwsAsync(Policy.load(42 as never), { instanceOf: TypeError });
  await t.throwsAsync(Policy.load('/nonexistent/model'), { message: /config\.json.*cannot read/ });

  const base = tmpDir();
  writeHfDir(base, tinyQwen, 1);
  const st = path.join(base, 'model.safetensors');
  const good = fs.readFileSync(st);
  const variant = (name: string, mutate: (dir: string) => void) => {
    const dir = path.join(tmpDir(), name);
    fs.cpSync(base, dir, { recursive: true });
    mutate(dir);
    return dir;
  };

  const noWeights = variant('noweights', (d) => fs.rmSync(path.join(d, 'model.safetensors')));
  await t.throwsAsync(Policy.load(noWeights), { message: /no model\.safetensors/ });

  const badJson = variant('badjson', (d) => fs.writeFileSync(path.join(d, 'config.json'), '{"vocab_size": '));
  await t.throwsAsync(Policy.load(badJson), { message: /config\.json: not valid JSON/ });

  const badCfg = variant('badcfg', (d) => {
    const c = JSON.parse(fs.readFileSync(path.join(d, 'config.json'), 'utf8'));
    c.hidden_size = 'big';
    fs.writeFileSync(path.join(d, 'config.json'), JSON.stringify(c));
  });
  await t.throwsAsync(Policy.load(badCfg), { message: /config\.json.*hiddenSize/ });

  const truncated = variant('truncated', (d) => fs.writeFileSync(path.join(d, 'model.safetensors'), good.subarray(0, good.length - 100)));
  await t.throwsAsync(Policy.load(truncated), { message: /model\.safetensors: tensor '[^']+' ends at byte/ });

  const tiny = variant('tiny', (d) => fs.writeFileSync(path.join(d, 'model.safetensors'), good.subarray(0, 5)));
  await t.throwsAsync(Policy.load(tiny), { message: /truncated/ });

  const headerLen = Number(good.readBigUInt64LE(0));
  const header = JSON.parse(good.subarray(8, 8 + headerLen).toString('utf8'));
  const rewrite = (h: unknown) => (d: string) => {
    const json = Buffer.from(JSON.stringify(h));
    const len = Buffer.alloc(8);
    len.writeBigUInt64LE(BigInt(json.length));
    fs.writeFileSync(path.join(d, 'model.safetensors'), Buffer.concat([len, json, good.subarray(8 + headerLen)]));
  };
  const name = 'model.layers.1.mlp.up_proj.weight';
  const lying = variant('lying', rewrite({ ...header, [name]: { ...header[name], shape: [112, 65] } }));
  await t.throwsAsync(Policy.load(lying), { message: new RegExp(`tensor '${name.replace(/\./g, '\\.')}' claims`) });
  const missing = variant('missing', rewrite(Object.fromEntries(Object.entries(header).filter(([k]) => k !== name))));
  await t.throwsAsync(Policy.load(missing), { message: new RegExp(`missing tensor.*${name.replace(/\./g, '\\.')}`) });
  const shape = variant('shape', (d) => {
    const c = JSON.parse(fs.readFileSync(path.join(d, 'config.json'), 'utf8'));
    c.intermediate_size = 96;
    fs.writeFileSync(path.join(d, 'config.json'), JSON.stringify(c));
  });
  await t.throwsAsync(Policy.load(shape), { message: /model\.safetensors: tensor 'model\.layers\.0\.mlp\.gate_proj\.weight' has shape \[112, 64\] but config\.json implies \[96, 64\]/ });
  const renamed = Object.fromEntries(Object.entries(header).map(([k, v]) => [k === name ? 'model.layers.9.mlp.up_proj.weight' : k, v]));
  const extra = variant('extra', rewrite(renamed));
  await t.throwsAsync(Policy.load(extra), { message: /tensor 'model\.layers\.9\.mlp\.up_proj\.weight' is not a parameter/ });
  const garbage = variant('garbage', (d) => {
    const buf = Buffer.from(good);
    buf.write('@@@@', 8, 'latin1'); // clobber the opening brace
    fs.writeFileSync(path.join(d, 'model.safetensors'), buf);
  });
  await t.throwsAsync(Policy.load(garbage), { message: /model\.safetensors: header is not valid JSON/ });
  const nan = variant('nan', (d) => {
    const buf = Buffer.from(good);
    buf.writeFloatLE(NaN, buf.length - 4);
    fs.writeFileSync(path.join(d, 'model.safetensors'), buf);
  });
  await t.throwsAsync(Policy.load(nan), { message: /NaN or infinite/ });
});
