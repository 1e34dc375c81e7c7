/**
 * The shipped toolrl-mini base (issue 8): a Hugging Face model directory of at most ~20 MB that
 * loads with Policy.load like any other, carries the mini tokenizer, says how it was made, copies
 * names from unseen tool lists in its own (corpus) format, and has not been taught the ToolRL
 * answer format — that is what SFT and GRPO are for.
 */
import test from 'ava';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { DEFAULT_MINI_PIPELINE, DEFAULT_PRETRAIN_MINI } from '../lib/config';
import { miniModelConfig, miniWorld } from '../lib/data/mini';
import { ChatTemplate } from '../lib/data/template';
import { Policy } from '../lib/policy';
import { probeCorpus } from '../lib/pretrain/run';
import { evaluateHeldOut } from '../lib/train/evaluate';
import { stopTokens } from '../lib/train/prompts';

const dir = path.join(__dirname, '..', DEFAULT_MINI_PIPELINE.baseModel);
const world = miniWorld({ seed: 0 });

test('the base is a Hugging Face model directory of at most 20 MB, bf16, with its model card', (t) => {
  for (const f of ['config.json', 'model.safetensors', 'tokenizer.json', 'tokenizer_config.json', 'MODEL_CARD.md', 'pretrain.json']) {
    t.true(fs.existsSync(path.join(dir, f)), f);
  }
  const bytes = fs.readdirSync(dir).reduce((a, f) => a + fs.statSync(path.join(dir, f)).size, 0);
  t.true(bytes <= 20e6, `${bytes} bytes`);
  const config = JSON.parse(fs.readFileSync(path.join(dir, 'config.json'), 'utf8')) as Record<string, unknown>;
  t.is(config.torch_dtype, 'bfloat16');
  t.is(config.model_type, 'qwen2');
  const card = fs.readFileSync(path.join(dir, 'MODEL_CARD.md'), 'utf8');
  for (const s of ['npm run pretrain:mini', `Seed ${DEFAULT_PRETRAIN_MINI.seed}`, 'Wall time', 'What it cannot do']) t.true(card.includes(s), s);
  // Made with the default settings, so `npm run pretrain:mini` remakes it (a corpus setting added
  // after it was made is absent from its record and must default to 0, which draws nothing extra).
  const made = JSON.parse(fs.readFileSync(path.join(dir, 'pretrain.json'), 'utf8')) as { config: Record<string, unknown> & { corpus: Record<string, unknown> } };
  for (const k of ['seed', 'steps', 'batchSize', 'microBatchSize', 'lr', 'minLr', 'warmupSteps', 'decayFraction', 'weightDecay'] as const) {
    t.is(made.config[k], DEFAULT_PRETRAIN_MINI[k], k);
  }
  for (const [k, v] of Object.entries(DEFAULT_PRETRAIN_MINI.corpus)) t.is(made.config.corpus[k] ?? 0, v, `corpus.${k}`);
  // The shape it was made with is the default one, and config.json is that shape.
  const shape = (made.config.model ?? {}) as Record<string, unknown>;
  const snake = (k: string) => k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
  for (const [k, v] of Object.entries(DEFAULT_PRETRAIN_MINI.model)) {
    t.is(config[snake(k)], v, `config.json ${snake(k)}`);
    if (k in shape) t.is(shape[k], v, `model.${k}`);
  }
});

test('Policy.load loads it; its shape is the mini model and its tokenizer the mini tokenizer', async (t) => {
  const tokenizer = await world.tokenizer();
  const policy = await Policy.load(dir);
  const want = miniModelConfig(tokenizer.vocabSize);
  t.is(policy.config.hiddenSize, want.hiddenSize);
  t.is(policy.config.numHiddenLayers, want.numHiddenLayers);
  t.is(policy.config.vocabSize, tokenizer.vocabSize);
  const shipped = JSON.parse(fs.readFileSync(path.join(dir, 'tokenizer.json'), 'utf8')) as { model: unknown };
  t.deepEqual(shipped.model, (tokenizer.json as { model: unknown }).model);
  policy.dispose();
});

test('in its own format it names tools from lists it never saw', async (t) => {
  const tokenizer = await world.tokenizer();
  const policy = await Policy.load(dir);
  // Freshly renamed corpus requests past any step the run trained on; greedy.
  const probe = await probeCorpus(policy, tokenizer, DEFAULT_PRETRAIN_MINI, 40);
  t.true(probe.nameAccuracy >= 0.3, `names right on ${probe.n} unseen lists: ${probe.nameAccuracy}`);
  policy.dispose();
});

test('prompted with the ToolRL system prompt it rarely writes the ToolRL format (never taught it)', async (t) => {
  const tokenizer = await world.tokenizer();
  const policy = await Policy.load(dir);
  const rows = world.heldOut(16);
  const r = await evaluateHeldOut(rows, { policy, tokenizer, template: ChatTemplate.chatml(), stopTokenIds: stopTokens(tokenizer), maxPromptTokens: 384, maxNewTokens: 64 });
  const tagged = r.samples.filter((s) => /<tool_call>|<think>|<response>/.test(s.completion)).length;
  t.true(tagged <= 2, `${tagged} of 16 completions use ToolRL tags`);
  t.true(r.formatRate <= 2 / 16);
  policy.dispose();
});
