/**
 * The toolrl-mini tokenizer: a standard tokenizer.json (loads with Tokenizer.fromFile), exact
 * round trips, its special-token layout, and regenerating it gives the shipped file byte for byte.
 */
import test from 'ava';
import { promises as fs } from 'node:fs';
import {
  Tokenizer,
  miniWorld,
  MINI_TOKENIZER_PATH,
  MINI_EOS_TOKEN_ID,
  MINI_PAD_TOKEN_ID,
  MINI_SPECIAL_TOKENS,
  MINI_ADDED_TOKENS,
  buildMiniTokenizerJson,
  serializeTokenizerJson,
  trainByteLevelBpe,
  ChatTemplate,
  renderPrompt,
} from '../lib/data';
import { DEFAULT_MINI_WORLD } from '../lib/config';

test('the shipped tokenizer.json loads with Tokenizer.fromFile and round-trips the world', async (t) => {
  const tok = await Tokenizer.fromFile(MINI_TOKENIZER_PATH);
  t.is(tok.vocabSize, DEFAULT_MINI_WORLD.vocabSize);
  const world = miniWorld({ seed: 5 });
  const fromWorld = await world.tokenizer();
  for (const e of [...world.train(100), ...world.heldOut(100), ...world.train(50, { renamed: true })]) {
    const text = renderPrompt(e, ChatTemplate.chatml()) + e.groundTruth + '<|im_end|>';
    const ids = tok.encode(text);
    t.deepEqual(fromWorld.encode(text), ids);
    if (tok.decode(ids) !== text) t.fail(text);
  }
  for (const s of ['any bytes: é中😀\t\r\n', '', ' ', "it's <think> </think>"]) t.is(tok.decode(tok.encode(s)), s);
});

test('special and added tokens have fixed ids; eos is <|im_end|>', async (t) => {
  const tok = await miniWorld().tokenizer();
  [...MINI_SPECIAL_TOKENS, ...MINI_ADDED_TOKENS].forEach((s, id) => t.is(tok.tokenToId(s), id));
  t.is(tok.eosTokenId, MINI_EOS_TOKEN_ID);
  t.is(tok.padTokenId, MINI_PAD_TOKEN_ID);
  t.is(tok.idToToken(MINI_EOS_TOKEN_ID), '<|im_end|>');
  t.deepEqual([...tok.specialTokens.keys()], [...MINI_SPECIAL_TOKENS]);
  t.deepEqual(Array.from(tok.encode('<think> x </think>\n<tool_call>')), [3, ...Array.from(tok.encode(' x ')), 4, ...Array.from(tok.encode('\n')), 5]);
});

test('a word is the same tokens in a request, a tool name and a JSON call (WORD_SPLIT)', async (t) => {
  // Held-out tool names are matched to requests by their words; with a split that glues the
  // previous character to a word (`_calories` vs ` calories`) the two spellings share no token.
  const tok = await miniWorld().tokenizer();
  const pieces = (s: string) => Array.from(tok.encode(s), (id) => tok.decode(new Int32Array([id])));
  for (const word of ['calories', 'synonyms', 'vacuum', 'concerts', 'discount']) {
    const alone = pieces(word);
    const inRequest = pieces(`How many ${word} are there?`);
    const inName = pieces(`get_${word}(x:int) - y`);
    const inCall = pieces(`{"name": "find_${word}", "parameters": {}}`);
    for (const ctx of [inRequest, inName, inCall]) {
      const at = ctx.findIndex((_, i) => alone.every((p, k) => ctx[i + k] === p));
      t.true(at >= 0, `${word}: ${alone.join('|')} not in ${ctx.join('|')}`);
    }
  }
});

test('regenerating the tokenizer gives the shipped file byte for byte', async (t) => {
  const shipped = await fs.readFile(MINI_TOKENIZER_PATH, 'utf8');
  const t0 = Date.now();
  const rebuilt = serializeTokenizerJson(buildMiniTokenizerJson());
  t.log(`trained in ${Date.now() - t0} ms`);
  t.is(rebuilt, shipped, 'HINT: run `npx tsx lib/data/mini/tokenizer.ts` only together with retraining the mini base model');
});

test('the BPE trainer learns frequent pairs first and is deterministic', (t) => {
  const texts = ['low lower lowest', 'low low newer wider', 'low'];
  const a = trainByteLevelBpe(texts, { vocabSize: 256 + 1 + 4, specialTokens: ['<s>'] });
  t.deepEqual(a, trainByteLevelBpe(texts, { vocabSize: 256 + 1 + 4, specialTokens: ['<s>'] }));
  const merges = (a.model as { merges: [string, string][] }).merges;
  t.is(merges.length, 4);
  t.deepEqual(merges[0], ['l', 'o']);
  const tok = Tokenizer.fromJSON(a);
  t.is(tok.vocabSize, 261);
  t.is(tok.decode(tok.encode('lowest <s> é')), 'lowest <s> é');
  t.throws(() => trainByteLevelBpe(texts, { vocabSize: 100 }), { instanceOf: RangeError });
});
