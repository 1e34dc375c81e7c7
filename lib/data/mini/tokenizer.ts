/**
 * The toolrl-mini tokenizer: a byte-level BPE (bpe.ts) trained on the train split of the default
 * world — plain and renamed examples, never the held-out tools, so every token a held-out prompt
 * uses was seen in training — with a vocabulary of 1,024: an example (ChatML prompt + answer) is
 * ~305 tokens (train) to ~325 (held-out), 384 at most. The feasibility run's 512 would be longer
 * still on this world's more varied requests (../shared/notes/MINI-WORLD-FEASIBILITY.md).
 *
 * Its pre-tokenizer is WORD_SPLIT (bpe.ts), not Qwen2's: letters never take the previous character,
 * so an unseen word is the same tokens in a request (` calories`), a tool name (`get_calories`) and
 * a call (`"get_calories"`). With Qwen2's split (the first base) a held-out word was spelled with
 * different tokens in the request than in the tool's name, so matching a request to an unseen tool
 * could not be a token lookup; the cost is ~20% more tokens (spaces are tokens of their own).
 *
 * Tried and not kept (2026-12-06): training it also on the catalogue's whole lexicon (every word of
 * every tool, held-out ones included, 50 times each) at a vocabulary of 2,048, so that held-out words
 * are one token each instead of 4-6 pieces (`v ac u um`) and reach pretraining as copy-drill words.
 * Pretraining took 93.5 min; base probe held-out names 13% (this tokenizer's base: 12.5%), unseen
 * corpus lists 53% (61%); `node train.js` seed 0 after SFT 0.100 accuracy / 0.055 names (0.140 /
 * 0.150), after GRPO 0.105 / 0.073 (0.185 / 0.203). Whole-word tokens did not help: the misses (read
 * at step 2000) mostly named another listed tool or invented a renamed-looking one (`lookup_weather`).
 *
 * Also tried and not kept (2026-12-07), the opposite: a vocabulary of 520, so that train words are
 * spelled in pieces as held-out words are (`we ather`, `th er mo st at`; held-out `v a c u um`) and no
 * word is matched as one familiar token. Examples get ~21% longer (pretraining examples 243 tokens
 * instead of 201) and steps ~2x slower here, so it ran 2,800 steps (122 min), with
 * corpus.unguessableNames 0.5: base probe held-out names 8.5% (this tokenizer's base: 12.5% after
 * 5,000 steps), unseen corpus lists 40.5% (60.5%), shared-verb lists 47% (42.5%); after the default
 * SFT (seed 0, maxTokens raised to 640 so no held-out row is redrawn) held-out names 0.060 and
 * accuracy 0.085 (0.203 and 0.150).
 *
 * It ships as lib/data/mini/tokenizer.json, so the tokenizer of a checkpoint pretrained on it
 * (issue 8) never changes under it. Regenerate (only together with the base model) with:
 *
 *     npx tsx lib/data/mini/tokenizer.ts
 *
 * test/mini-tokenizer.test.ts checks that regenerating gives the shipped file byte for byte.
 *
 * Ids: 0 `<|endoftext|>`, 1 `<|im_start|>`, 2 `<|im_end|>` (special), 3..8 the ToolRL tags
 * `<think>` `</think>` `<tool_call>` `</tool_call>` `<response>` `</response>` (added, not
 * special: they are text the model writes), 9..264 the bytes, then the merges.
 */
import * as path from 'node:path';
import { promises as fs } from 'node:fs';
import { DEFAULT_MINI_WORLD } from '../../config';
import { trainByteLevelBpe, WORD_SPLIT } from './bpe';
import { renderMiniExample, sampleEpisode } from './world';
import { Tokenizer } from '../tokenizer';
import shipped from './tokenizer.json';

export const MINI_SPECIAL_TOKENS = ['<|endoftext|>', '<|im_start|>', '<|im_end|>'] as const;
export const MINI_ADDED_TOKENS = ['<think>', '</think>', '<tool_call>', '</tool_call>', '<response>', '</response>'] as const;
/** Id of `<|im_end|>`, the end of an assistant turn. */
export const MINI_EOS_TOKEN_ID = 2;
/** Id of `<|endoftext|>`, the end of a document (pretraining) and the padding id. */
export const MINI_PAD_TOKEN_ID = 0;

/** Examples the tokenizer is trained on: train split, seed 0, plain and renamed. */
const CORPUS_PLAIN = 3000;
const CORPUS_RENAMED = 1000;

/** Path of the shipped tokenizer.json (in the source tree; compiled builds embed it). */
export const MINI_TOKENIZER_PATH = path.join(__dirname, 'tokenizer.json');

/** Trains the mini tokenizer from scratch (what the shipped file was made with). */
export function buildMiniTokenizerJson(): Record<string, unknown> {
  const cfg = DEFAULT_MINI_WORLD;
  function* texts(): Generator<string> {
    for (const [n, renamed] of [[CORPUS_PLAIN, false], [CORPUS_RENAMED, true]] as const) {
      for (let i = 0; i < n; i++) {
        const ex = renderMiniExample(sampleEpisode(0, 'train', i, cfg, renamed));
        for (const m of ex.messages) yield m.content;
        yield ex.groundTruth;
      }
    }
  }
  return trainByteLevelBpe(texts(), { vocabSize: cfg.vocabSize, specialTokens: MINI_SPECIAL_TOKENS, addedTokens: MINI_ADDED_TOKENS, split: WORD_SPLIT });
}

/** The file text of a tokenizer.json as we write it. */
export function serializeTokenizerJson(json: Record<string, unknown>): string {
  return JSON.stringify(json, null, 1) + '\n';
}

/** The tokenizer_config.json that goes beside it in a model directory. */
export function miniTokenizerConfig(): Record<string, unknown> {
  return {
    bos_token: null,
    eos_token: '<|im_end|>',
    pad_token: '<|endoftext|>',
    unk_token: null,
    clean_up_tokenization_spaces: false,
    model_max_length: DEFAULT_MINI_WORLD.maxTokens,
    tokenizer_class: 'PreTrainedTokenizerFast',
  };
}

/** The shipped mini tokenizer. */
export function miniTokenizer(): Tokenizer {
  return Tokenizer.fromJSON(shipped as unknown as Record<string, unknown>, miniTokenizerConfig());
}

if (require.main === module) {
  const t0 = Date.now();
  const text = serializeTokenizerJson(buildMiniTokenizerJson());
  void fs.writeFile(MINI_TOKENIZER_PATH, text).then(() => {
    console.log(`wrote ${MINI_TOKENIZER_PATH} (${text.length} bytes) in ${Date.now() - t0} ms`);
  });
}
