/**
 * The pretraining run itself (issue 8: "seeded; all settings in one config; resumable"), on a tiny
 * model shape (hidden 64, 2 layers; the shipped base: hidden 128+, 4 layers) for a few steps: what
 * it writes, and that a run stopped and resumed ends exactly where one uninterrupted run ends.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import test from 'ava';

import { DEFAULT_PRETRAIN_MINI, type PretrainMiniConfig } from '../lib/config';
import { Policy } from '../lib/policy';
import { runPretrain } from '../lib/pretrain/run';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'toolrl-pretrain-'));
test.after.always(() => fs.rmSync(root, { recursive: true, force: true }));

function tiny(name: string): PretrainMiniConfig {
  return {
    ...DEFAULT_PRETRAIN_MINI,
    steps: 4,
    batchSize: 4,
    microBatchSize: 2,
    warmupSteps: 1,
    evalEvery: 2,
    evalExamples: 2,
    finalEvalExamples: 2,
    checkpointEvery: 2,
    model: { hiddenSize: 64, numHiddenLayers: 2, numAttentionHeads: 4, numKeyValueHeads: 2, intermediateSize: 128 },
    outDir: path.join(root, name, 'base'),
    workDir: path.join(root, name, 'work'),
  };
}

function records(c: PretrainMiniConfig): { step: number; loss: number; probe?: unknown }[] {
  return fs.readFileSync(path.join(c.workDir, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
}

// Run once, shared by the tests (ava runs a file's tests concurrently).
const whole = tiny('whole');
const wholeRun = runPretrain(whole);

test('a run writes the model in the Hugging Face layout with its record and card; Policy.load loads it', async (t) => {
  const probe = await wholeRun;
  t.truthy(probe);
  t.is(probe!.n, 2);
  for (const f of ['config.json', 'model.safetensors', 'tokenizer.json', 'tokenizer_config.json', 'pretrain.json', 'MODEL_CARD.md']) {
    t.true(fs.existsSync(path.join(whole.outDir, f)), f);
  }
  const config = JSON.parse(fs.readFileSync(path.join(whole.outDir, 'config.json'), 'utf8')) as Record<string, unknown>;
  t.like(config, { hidden_size: 64, num_hidden_layers: 2, num_attention_heads: 4, num_key_value_heads: 2, intermediate_size: 128, torch_dtype: 'bfloat16' });
  const made = JSON.parse(fs.readFileSync(path.join(whole.outDir, 'pretrain.json'), 'utf8')) as { config: PretrainMiniConfig; probe: unknown; parameters: number };
  t.deepEqual(made.config.model, whole.model);
  t.deepEqual(made.probe, probe);
  for (const k of ['corpusProbe', 'sharedVerbProbe'] as const) t.is((made as unknown as Record<string, { n: number }>)[k]!.n, 2, k);
  const topics = (made as unknown as { topicProbes: Record<string, { n: number; nameAccuracy: number }> }).topicProbes;
  t.deepEqual(Object.keys(topics).sort(), ['known', 'madeUp', 'pieces']);
  for (const [k, p] of Object.entries(topics)) t.true(p.n === 2 && p.nameAccuracy >= 0 && p.nameAccuracy <= 1, k);
  const card = fs.readFileSync(path.join(whole.outDir, 'MODEL_CARD.md'), 'utf8');
  t.true(card.includes('hidden 64, 2 layers, 4 heads / 2 KV heads'));
  t.true(card.includes('a made-up word in random vocabulary pieces'));
  const recs = records(whole);
  t.deepEqual(recs.map((r) => r.step), [1, 2, 3, 4]);
  t.true(recs.every((r) => Number.isFinite(r.loss) && r.loss > 0));
  t.deepEqual(recs.filter((r) => r.probe !== undefined).map((r) => r.step), [2, 4]);
  const policy = await Policy.load(whole.outDir);
  t.is(policy.numParameters(), made.parameters);
  policy.dispose();
});

test('stopped after a step and resumed, it ends where one uninterrupted run ends', async (t) => {
  const split = tiny('split');
  t.is(await runPretrain(split, { stopAfter: 2 }), undefined);
  t.false(fs.existsSync(path.join(split.outDir, 'model.safetensors')), 'nothing shipped before the last step');
  t.deepEqual(records(split).map((r) => r.step), [1, 2]);
  const probe = await runPretrain(split, { resume: true });
  await wholeRun;
  t.deepEqual(probe, (JSON.parse(fs.readFileSync(path.join(whole.outDir, 'pretrain.json'), 'utf8')) as { probe: unknown }).probe);
  const a = records(whole);
  const b = records(split);
  t.deepEqual(b.map((r) => r.step), [1, 2, 3, 4]);
  // The same batches, lr and optimizer state after the resume: the same losses.
  for (let i = 0; i < 4; i++) t.true(Math.abs(a[i]!.loss - b[i]!.loss) < 1e-4, `step ${i + 1}: ${a[i]!.loss} vs ${b[i]!.loss}`);
  t.deepEqual(fs.readFileSync(path.join(split.outDir, 'model.safetensors')), fs.readFileSync(path.join(whole.outDir, 'model.safetensors')));
});

test('bad settings are refused before anything runs', async (t) => {
  const c = tiny('bad');
  await t.throwsAsync(runPretrain(c, { stopAfter: 0 }), { instanceOf: RangeError });
  await t.throwsAsync(runPretrain(c, { stopAfter: 1.5 }), { instanceOf: RangeError });
  await t.throwsAsync(runPretrain({ ...c, model: { ...c.model, numAttentionHeads: 3 } }), { instanceOf: RangeError, message: /heads of an even size/ });
  await t.throwsAsync(runPretrain({ ...c, corpus: { ...c.corpus, pieceDropout: 1.5 } }), { instanceOf: RangeError, message: /pieceDropout/ });
  t.false(fs.existsSync(c.workDir));
});
