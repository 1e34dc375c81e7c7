/**
 * Piece dropout in SFT (SftConfig.pieceDropout, lib/train/sft.ts): each time a demonstration is
 * drawn, its words are split afresh into BPE pieces — the text never changes, a word is split the same
 * way in the prompt and in the answer (a name copied from the tool list stays a copy), and off
 * means the canonical encoding, untouched. A real tiny policy trains; the steps it receives are
 * recorded on the way through.
 */
import test from 'ava';

import { DEFAULT_SFT_CONFIG, Policy } from '../lib';
import { miniWorld } from '../lib/data/mini';
import { ChatTemplate } from '../lib/data/template';
import { pieceTable } from '../lib/pretrain/pieceDropout';
import { runSft } from '../lib/train/sft';
import { encodeAnswer, encodePrompt, stopTokens } from '../lib/train/prompts';
import { tinyMiniConfig } from './helpers/tiny-models';
import { wordSpellings } from './helpers/word-spellings';

const world = miniWorld({ seed: 0 });
const template = ChatTemplate.chatml();

async function recordSft(pieceDropout: number | undefined) {
  const tokenizer = await world.tokenizer();
  const policy = await Policy.create(tinyMiniConfig(tokenizer.vocabSize), { seed: 1 });
  const seen: { prompts: Int32Array[]; completions: Int32Array[] }[] = [];
  const real = policy.sftStep.bind(policy);
  policy.sftStep = (batch, opts) => {
    seen.push({ prompts: [...batch.prompts], completions: [...batch.completions] });
    return real(batch, opts);
  };
  const rows = world.train(6);
  const stop = stopTokens(tokenizer)[0]!;
  const config = { ...DEFAULT_SFT_CONFIG, epochs: 2, batchSize: 3, lr: 1e-3, maxPromptTokens: 384, microBatchSize: 0, pieceDropout };
  const summary = await runSft({ policy, tokenizer, template, rows, config, stopTokenId: stop });
  policy.dispose();
  const canonical = rows.map((row) => ({ prompt: encodePrompt(row, tokenizer, template, 384).ids, answer: encodeAnswer(row, tokenizer, stop) }));
  return { tokenizer, seen, summary, canonical };
}

test('pieceDropout: same text, fresh splits per draw, one split per word shared by prompt and answer', async (t) => {
  const { tokenizer, seen, summary, canonical } = await recordSft(0.3);
  t.is(summary.steps, 4);
  t.true(Number.isFinite(summary.finalLoss));
  const texts = new Set(canonical.map((c) => tokenizer.decode(c.prompt) + tokenizer.decode(c.answer)));
  const table = pieceTable(tokenizer);
  const start = tokenizer.tokenToId('<|im_start|>')!;
  const drawsOf = new Map<string, string[]>();
  let split = 0;
  for (const step of seen) {
    for (const [k, p] of step.prompts.entries()) {
      const a = step.completions[k]!;
      const text = tokenizer.decode(p) + tokenizer.decode(a);
      t.true(texts.has(text), 'piece dropout changed the text of a demonstration');
      const c = canonical.find((x) => tokenizer.decode(x.prompt) + tokenizer.decode(x.answer) === text)!;
      if (p.length + a.length > c.prompt.length + c.answer.length) split++;
      // Every word one spelling within the demonstration, prompt and answer together.
      for (const [word, ways] of wordSpellings([p, a], table.letters, (x) => tokenizer.decode(x), start)) t.is(ways.size, 1, word);
      drawsOf.set(text, [...(drawsOf.get(text) ?? []), `${p.join(',')}|${a.join(',')}`]);
    }
  }
  t.is(split, 12, 'every drawn demonstration has some word split at p 0.3');
  // Each row is drawn once per epoch, split differently each time.
  t.is(drawsOf.size, 6);
  for (const draws of drawsOf.values()) t.deepEqual([draws.length, new Set(draws).size], [2, 2]);
});

test('pieceDropout 0 or absent: the canonical encoding, untouched', async (t) => {
  for (const p of [0, undefined]) {
    const { seen, canonical } = await recordSft(p);
    const keys = new Set(canonical.map((c) => `${c.prompt.join(',')}|${c.answer.join(',')}`));
    for (const step of seen) for (const [k, q] of step.prompts.entries()) t.true(keys.has(`${q.join(',')}|${step.completions[k]!.join(',')}`));
  }
});

test('a bad pieceDropout is a RangeError before any step', async (t) => {
  const tokenizer = await world.tokenizer();
  const policy = await Policy.create(tinyMiniConfig(tokenizer.vocabSize), { seed: 1 });
  const before = policy.optimizerSteps();
  for (const pieceDropout of [-0.5, 2, Number.NaN]) {
    const config = { ...DEFAULT_SFT_CONFIG, pieceDropout };
    await t.throwsAsync(runSft({ policy, tokenizer, template, rows: world.train(2), config, stopTokenId: stopTokens(tokenizer)[0]! }), { instanceOf: RangeError });
  }
  t.is(policy.optimizerSteps(), before);
  policy.dispose();
});
