/**
 * The shipped toolrl-mini base (issue 8): a Hugging Face model directory under assets/ that loads
 * with Policy.load, small enough to commit, with the mini tokenizer and a model card; and it answers
 * in the pretraining corpus's bare-JSON form, never in the ToolRL format it was not taught.
 */
import test from 'ava';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { DEFAULT_MINI_PIPELINE } from '../lib/config';
import { miniModelConfig, miniWorld } from '../lib/data/mini';
import { ChatTemplate } from '../lib/data/template';
import { Policy } from '../lib';
import { packageRoot } from '../lib/util/paths';

const dir = path.join(packageRoot(), DEFAULT_MINI_PIPELINE.baseModel);

test('the base is a Hugging Face directory of at most 20 MB that Policy.load reads', async (t) => {
  for (const f of ['config.json', 'model.safetensors', 'tokenizer.json', 'MODEL_CARD.md']) t.true(fs.existsSync(path.join(dir, f)), f);
  const bytes = fs.readdirSync(dir).reduce((a, f) => a + fs.statSync(path.join(dir, f)).size, 0);
  t.true(bytes <= 20e6, `${bytes} bytes`);
  const policy = await Policy.load(dir);
  const world = miniWorld({ seed: 0 });
  const tokenizer = await world.tokenizer();
  t.is(policy.config.vocabSize, tokenizer.vocabSize);
  t.is(policy.numParameters(), (await Policy.create(miniModelConfig(tokenizer.vocabSize), { seed: 0 })).numParameters());
  // The shipped tokenizer is the mini world's, byte for byte in meaning.
  const shipped = JSON.parse(fs.readFileSync(path.join(dir, 'tokenizer.json'), 'utf8'));
  t.deepEqual(shipped, tokenizer.json);
  policy.dispose();
});

test('prompted with the ToolRL system prompt, the base does not write the ToolRL format', async (t) => {
  const policy = await Policy.load(dir);
  const world = miniWorld({ seed: 0 });
  const tokenizer = await world.tokenizer();
  const template = ChatTemplate.chatml();
  const rows = world.heldOut(16);
  const eos = tokenizer.tokenToId('<|im_end|>')!;
  const out = await policy.generate(rows.map((r) => tokenizer.encode(template.render(r.messages, { addGenerationPrompt: true }))), {
    temperature: 0, maxNewTokens: 64, stopTokenIds: [eos],
  });
  const texts = out.ids.map((ids) => tokenizer.decode(ids, { skipSpecialTokens: true }));
  const formatted = texts.filter((x) => /<tool_call>[\s\S]*<\/tool_call>|<response>[\s\S]*<\/response>/.test(x));
  t.true(formatted.length <= 2, formatted.join('\n---\n'));
  policy.dispose();
});
