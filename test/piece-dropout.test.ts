/**
 * Piece dropout (lib/pretrain/pieceDropout.ts): splitting word tokens into the tokens their BPE merge
 * joined never changes the text, only its segmentation; a word is split the same way wherever it occurs
 * in one call (so copies stay copies); deterministic per generator; role names stay whole; bad
 * probabilities are refused.
 */
import test from 'ava';

import { miniWorld } from '../lib/data/mini';
import { ChatTemplate } from '../lib/data/template';
import { Rng } from '../lib/data/rng';
import { pretrainExamples, pretrainTokens } from '../lib/pretrain/corpus';
import { dropPieces, pieceTable } from '../lib/pretrain/pieceDropout';
import { wordSpellings } from './helpers/word-spellings';

const world = miniWorld({ seed: 0 });
const template = ChatTemplate.chatml();

test('split tokens decode to the same text; more, smaller tokens; words only', async (t) => {
  const tok = await world.tokenizer();
  const table = pieceTable(tok);
  // Every parent pair joins back into its token's text, and only letter tokens have parents.
  for (const [id, [a, b]] of table.parents) {
    const text = tok.decode(Int32Array.of(id));
    t.is(tok.decode(Int32Array.of(a)) + tok.decode(Int32Array.of(b)), text);
    t.regex(text, /^\p{L}+$/u);
  }
  t.true(table.parents.size > 100);
  for (const id of table.parents.keys()) t.true(table.letters.has(id));
  let before = 0;
  let after = 0;
  for (const [i, e] of pretrainExamples(0, 40000, 40, world).entries()) {
    const x = pretrainTokens(e, tok, template);
    const d = dropPieces(x.completion, table, Rng.derive(1, i), 0.3);
    t.is(tok.decode(d), tok.decode(x.completion));
    before += x.completion.length;
    after += d.length;
    // Tokens that are not words (punctuation, JSON, special tokens) pass through untouched.
    const nonWord = (ids: Int32Array) => Array.from(ids).filter((id) => !/^\p{L}+$/u.test(tok.decode(Int32Array.of(id))));
    t.deepEqual(nonWord(d), nonWord(x.completion));
  }
  t.true(after > before * 1.05, `${before} -> ${after} tokens`);
  // A name copied from the tool list into the answer is the same tokens in both places.
  for (const [i, e] of pretrainExamples(0, 50000, 40, world).entries()) {
    const d = dropPieces(pretrainTokens(e, tok, template).completion, table, Rng.derive(2, i), 0.5);
    const start = tok.tokenToId('<|im_start|>')!;
    for (const [word, ways] of wordSpellings([d], table.letters, (x) => tok.decode(x), start)) t.is(ways.size, 1, word);
  }
  // p = 1 splits every word down to tokens that have no merge of their own.
  const [e] = pretrainExamples(0, 40001, 1, world);
  const all = dropPieces(pretrainTokens(e!, tok, template).completion, table, new Rng(3), 1);
  t.false(Array.from(all).some((id) => table.parents.has(id)));
});

test('deterministic per generator; p = 0 is the canonical encoding; role names stay whole', async (t) => {
  const tok = await world.tokenizer();
  const table = pieceTable(tok);
  const [e] = pretrainExamples(0, 50000, 1, world);
  const ids = pretrainTokens(e!, tok, template).completion;
  t.deepEqual(dropPieces(ids, table, Rng.derive(0, 'a'), 0.2), dropPieces(ids, table, Rng.derive(0, 'a'), 0.2));
  t.notDeepEqual(dropPieces(ids, table, Rng.derive(0, 'a'), 0.5), dropPieces(ids, table, Rng.derive(0, 'b'), 0.5));
  t.is(dropPieces(ids, table, new Rng(0), 0), ids);
  const start = tok.tokenToId('<|im_start|>')!;
  const kept = dropPieces(ids, table, new Rng(0), 1, new Set([start]));
  const roles = (x: Int32Array) => Array.from(x).flatMap((id, i) => (i > 0 && x[i - 1] === start ? [id] : []));
  t.true(roles(ids).length >= 2);
  t.deepEqual(roles(kept), roles(ids));
  t.is(tok.decode(kept), tok.decode(ids));
});

test('bad probabilities are refused before anything is split', async (t) => {
  const tok = await world.tokenizer();
  const table = pieceTable(tok);
  for (const p of [-0.1, 1.5, Number.NaN]) t.throws(() => dropPieces(Int32Array.of(1, 2), table, new Rng(0), p), { instanceOf: RangeError });
});
