/**
 * Piece dropout on GRPO rollout prompts (GrpoConfig.pieceDropout, lib/train/grpo.ts): each drawn
 * prompt's words are split into BPE pieces — the text never changes, a word has one spelling within
 * a prompt, the splits are seeded (a rerun draws the same ones), a split that would outgrow
 * maxPromptTokens keeps the canonical prompt, and off means the canonical encoding, untouched. A
 * real tiny policy runs the loop; the prompts it is asked to continue are recorded on the way in.
 */
import test from 'ava';

import { DEFAULT_GRPO_CONFIG, Policy } from '../lib';
import { miniWorld } from '../lib/data/mini';
import { ChatTemplate } from '../lib/data/template';
import { pieceTable } from '../lib/pretrain/pieceDropout';
import { runGrpo } from '../lib/train/grpo';
import { encodePrompt, stopTokens } from '../lib/train/prompts';
import { tinyMiniConfig } from './helpers/tiny-models';
import { tmpDir } from './helpers/tmp';
import { wordSpellings } from './helpers/word-spellings';

const world = miniWorld({ seed: 0 });
const template = ChatTemplate.chatml();
const rows = world.train(8);

async function recordGrpo(pieceDropout: number | undefined, maxPromptTokens = 384) {
  const tokenizer = await world.tokenizer();
  const policy = await Policy.create(tinyMiniConfig(tokenizer.vocabSize), { seed: 1 });
  const seen: Int32Array[][] = [];
  const real = policy.generate.bind(policy);
  policy.generate = (prompts, opts) => {
    seen.push([...prompts]);
    return real(prompts, opts);
  };
  const config = { ...DEFAULT_GRPO_CONFIG, steps: 4, promptsPerStep: 4, groupSize: 2, maxNewTokens: 4, maxPromptTokens, pieceDropout };
  // A reward that varies with the text, so every step updates (a random model's ToolRL reward is flat).
  const rewardFn = (text: string) => ({ score: (text.length % 5) / 5, format: 0, correctness: 0, length: 0 });
  const summary = await runGrpo({ policy, tokenizer, template, rows, config, step: { lr: 1e-3 }, rewardFn, stopTokenIds: stopTokens(tokenizer), outDir: tmpDir() });
  policy.dispose();
  const canonical = rows.map((row) => encodePrompt(row, tokenizer, template, maxPromptTokens).ids);
  return { tokenizer, seen: seen.flat(), summary, canonical };
}

test('pieceDropout: same text, one spelling per word in a prompt, seeded splits', async (t) => {
  const { tokenizer, seen, summary, canonical } = await recordGrpo(0.3);
  t.is(summary.steps, 4);
  const byText = new Map(canonical.map((c) => [tokenizer.decode(c), c]));
  const table = pieceTable(tokenizer);
  const start = tokenizer.tokenToId('<|im_start|>')!;
  t.is(seen.length, 16, 'four steps of four prompts');
  let split = 0;
  for (const p of seen) {
    const c = byText.get(tokenizer.decode(p));
    t.truthy(c, 'piece dropout changed the text of a prompt');
    if (p.length > c!.length) split++;
    for (const [word, ways] of wordSpellings([p], table.letters, (x) => tokenizer.decode(x), start)) t.is(ways.size, 1, word);
  }
  t.is(split, 16, 'every prompt has some word split at p 0.3');
  // Each row is drawn twice (two epochs of 8 rows), split differently each time.
  const draws = new Map<string, Set<string>>();
  for (const p of seen) draws.set(tokenizer.decode(p), (draws.get(tokenizer.decode(p)) ?? new Set()).add(p.join(',')));
  t.is(draws.size, 8);
  for (const d of draws.values()) t.is(d.size, 2);
  // Same seed, same splits.
  const again = await recordGrpo(0.3);
  t.deepEqual(again.seen.map((p) => p.join(',')), seen.map((p) => p.join(',')));
});

test('pieceDropout: a split that outgrows maxPromptTokens keeps the canonical prompt', async (t) => {
  const tokenizer = await world.tokenizer();
  const lengths = rows.map((row) => encodePrompt(row, tokenizer, template, 4096).ids.length).sort((a, b) => a - b);
  // A limit every canonical prompt fits in, with little room left: at p 1 most splits do not fit.
  const limit = lengths[lengths.length - 1]! + 2;
  const { tokenizer: tok, seen, canonical } = await recordGrpo(1, limit);
  const keys = new Set(canonical.map((c) => c.join(',')));
  const texts = new Set(canonical.map((c) => tok.decode(c)));
  let kept = 0;
  for (const p of seen) {
    t.true(p.length <= limit, `a prompt of ${p.length} tokens passed the limit of ${limit}`);
    t.true(texts.has(tok.decode(p)));
    if (keys.has(p.join(','))) kept++;
  }
  t.true(kept > 0, 'no prompt fell back to its canonical encoding');
});

test('pieceDropout 0 or absent: the canonical encoding, untouched', async (t) => {
  for (const p of [0, undefined]) {
    const { seen, canonical } = await recordGrpo(p);
    const keys = new Set(canonical.map((c) => c.join(',')));
    for (const q of seen) t.true(keys.has(q.join(',')));
  }
});

test('a bad pieceDropout is a RangeError before any rollout', async (t) => {
  const tokenizer = await world.tokenizer();
  const policy = await Policy.create(tinyMiniConfig(tokenizer.vocabSize), { seed: 1 });
  let generated = 0;
  const real = policy.generate.bind(policy);
  policy.generate = (prompts, opts) => {
    generated++;
    return real(prompts, opts);
  };
  for (const pieceDropout of [-0.5, 2, Number.NaN]) {
    const config = { ...DEFAULT_GRPO_CONFIG, steps: 1, promptsPerStep: 2, groupSize: 2, maxNewTokens: 4, maxPromptTokens: 384, pieceDropout };
    await t.throwsAsync(runGrpo({ policy, tokenizer, template, rows, config, stopTokenIds: stopTokens(tokenizer), outDir: tmpDir() }), { instanceOf: RangeError });
  }
  t.is(generated, 0);
  t.is(policy.optimizerSteps(), 0);
  policy.dispose();
});
