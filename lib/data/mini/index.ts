/**
 * toolrl-mini (issue 4 §5): `miniWorld({seed})` → train and held-out examples and the tokenizer;
 * `miniModelConfig(vocabSize)` → the mini model's shape. See world.ts for what an example is.
 */
import { DEFAULT_MINI_WORLD, type MiniWorldConfig } from '../../config';
import type { ToolUseExample } from '../types';
import type { Tokenizer } from '../tokenizer';
import { ChatTemplate, renderPrompt } from '../template';
import { checkBoolean, checkInteger, checkOptions, invalidType, invalidValue } from '../validate';
import { renderMiniExample, sampleEpisode, type MiniEpisode, type MiniSplit } from './world';
import { miniTokenizer } from './tokenizer';
import { swapKeywords } from './swap';
import { withNovelTool } from './novel';
import { Rng } from '../rng';

/** Redraws allowed per example before the world gives up (none is needed at the defaults). */
const MAX_REDRAWS = 200;

/**
 * Tokens the model sees for an example: the ChatML prompt (with the generation header), the gold
 * answer and `<|im_end|>` — what must fit in `maxTokens`.
 */
export function miniSequenceLength(example: ToolUseExample, tokenizer: Tokenizer): number {
  return tokenizer.encode(renderPrompt(example, ChatTemplate.chatml())).length + tokenizer.encode(example.groundTruth + '<|im_end|>').length;
}

export interface MiniSampleOptions {
  /**
   * Rename every listed tool and parameter freshly in each example (renaming augmentation, for
   * the pretraining corpus of issue 8 and for SFT). Renamed examples are a separate stream.
   * A number in (0, 1) renames each listed tool with that probability instead, so one list mixes
   * familiar and fresh names — as a held-out prompt does (a new tool among known ones); each
   * share is a stream of its own.
   */
  renamed?: boolean | number;
  /**
   * Chance that an example's request/tool keywords become made-up words (./swap.ts): the request
   * then names its tool only by words the model has never seen, as held-out requests do.
   */
  keywordSwap?: number;
  /**
   * Chance that an example lists one new synthetic tool among its tools (./novel.ts); half of those
   * ask for the new tool, as held-out requests do, the other half keep their own request.
   */
  novelTool?: number;
  /**
   * In renamed rows, the chance that each word of a fresh name is spelled in vocabulary pieces
   * (`weoorms`) rather than syllables (`vorpak`): every token of the vocabulary then gets copied in
   * names, as held-out names (real words the tokenizer splits into rare pieces) need.
   */
  renamePieces?: number;
}

export interface MiniWorld {
  readonly seed: number;
  readonly config: Readonly<MiniWorldConfig>;
  /** The first n examples of the train split (tools never held out). */
  train(n: number, opts?: MiniSampleOptions): ToolUseExample[];
  /** The first n examples of the held-out split (tools, parameter names and templates unseen in train). */
  heldOut(n: number, opts?: MiniSampleOptions): ToolUseExample[];
  /** The same examples in structured form (tools, request, calls), e.g. to build other corpora. */
  episodes(split: MiniSplit, n: number, opts?: MiniSampleOptions): MiniEpisode[];
  /** The mini tokenizer (byte-level BPE, vocabulary 1,024), loaded from the shipped tokenizer.json. */
  tokenizer(): Promise<Tokenizer>;
}

/** The toolrl-mini world for a seed (default 0). Same seed, same world. */
export function miniWorld(opts?: { seed?: number; config?: Partial<Omit<MiniWorldConfig, 'seed' | 'vocabSize'>> }): MiniWorld {
  // Apply defaults
  const o = checkOptions(opts, ['seed', 'config'], 'miniWorld options');
  const seed = o.seed ?? DEFAULT_MINI_WORLD.seed;
  // Validate arguments
  checkInteger(seed, 'seed', 0, 2 ** 53 - 1);
  if (o.config !== undefined && (o.config === null || typeof o.config !== 'object')) throw invalidType('an object', 'config', o.config);
  checkOptions(o.config, ['kindWeights', 'toolsPerPrompt', 'optionalRate', 'maxTokens'], 'miniWorld config');
  const config: MiniWorldConfig = { ...DEFAULT_MINI_WORLD, ...(o.config ?? {}), seed };
  checkInteger(config.maxTokens, 'config.maxTokens', 64);
  // Interpret: example i is the first draw of its stream that fits in maxTokens. At the defaults
  // 0.1% of train draws and 6% of held-out draws are longer and redrawn (held-out words are not in
  // the tokenizer's merges), so held-out has a few less two-call requests than train.
  let tok: Tokenizer | undefined;
  const episode = (split: MiniSplit, i: number, renamed: boolean | number, swap: number, novel: number, pieces: number): MiniEpisode => {
    tok ??= miniTokenizer();
    for (let attempt = 0; attempt <= MAX_REDRAWS; attempt++) {
      let ep = sampleEpisode(seed, split, i, config, renamed, attempt, pieces);
      if (swap > 0) {
        // Its own stream: the same rows are swapped whatever else is drawn.
        const rng = Rng.derive(seed, 'mini-swap', split, String(renamed), i, attempt);
        if (rng.chance(swap)) {
          const swapped = swapKeywords(ep, rng);
          if (swapped !== ep) ep = { ...swapped, id: `${ep.id}+swap` };
        }
      }
      if (novel > 0) {
        const rng = Rng.derive(seed, 'mini-novel', split, String(renamed), i, attempt);
        if (rng.chance(novel)) {
          const withNew = withNovelTool(ep, rng);
          if (withNew === undefined) continue;
          ep = withNew;
        }
      }
      if (miniSequenceLength(renderMiniExample(ep), tok) <= config.maxTokens) return ep;
    }
    throw new RangeError(`Expected a maxTokens that fits toolrl-mini examples for config.maxTokens but received ${config.maxTokens} of type number (no draw of ${split} example ${i} fits)`);
  };
  const episodes = (split: MiniSplit, n: number, so?: MiniSampleOptions): MiniEpisode[] => {
    checkInteger(n, 'n', 0, 10_000_000);
    const s = checkOptions(so, ['renamed', 'keywordSwap', 'novelTool', 'renamePieces'], 'sample options');
    const fraction = (key: 'keywordSwap' | 'novelTool' | 'renamePieces'): number => {
      const v = s[key] === undefined ? 0 : s[key];
      if (typeof v !== 'number') throw invalidType('a number between 0 and 1', key, v);
      if (!(v >= 0 && v <= 1)) throw invalidValue('a number between 0 and 1', key, v);
      return v;
    };
    const swap = fraction('keywordSwap');
    const novel = fraction('novelTool');
    const pieces = fraction('renamePieces');
    let renamed: boolean | number = false;
    if (typeof s.renamed === 'number') {
      if (!(s.renamed >= 0 && s.renamed <= 1)) throw invalidValue('a boolean or a number between 0 and 1', 'renamed', s.renamed);
      renamed = s.renamed;
    } else if (s.renamed !== undefined) renamed = checkBoolean(s.renamed, 'renamed');
    return Array.from({ length: n }, (_, i) => episode(split, i, renamed, swap, novel, pieces));
  };
  return {
    seed,
    config,
    train: (n, so) => episodes('train', n, so).map(renderMiniExample),
    heldOut: (n, so) => episodes('heldOut', n, so).map(renderMiniExample),
    episodes: (split, n, so) => {
      if (split !== 'train' && split !== 'heldOut') throw invalidType("'train' or 'heldOut'", 'split', split);
      return episodes(split, n, so);
    },
    tokenizer: async () => miniTokenizer(),
  };
}

export { miniModelConfig } from './modelConfig';
export {
  MINI_TRAIN_TOOLS,
  MINI_HELD_OUT_TOOLS,
  MINI_RESERVED_NAMES,
  MINI_KINDS,
  miniSystemPrompt,
  miniUserPrompt,
  miniToolLine,
  renderMiniExample,
  type MiniEpisode,
  type MiniKind,
  type MiniSplit,
  type MiniToolView,
} from './world';
export {
  MINI_TOKENIZER_PATH,
  MINI_EOS_TOKEN_ID,
  MINI_PAD_TOKEN_ID,
  MINI_SPECIAL_TOKENS,
  MINI_ADDED_TOKENS,
  buildMiniTokenizerJson,
  serializeTokenizerJson,
  miniTokenizerConfig,
} from './tokenizer';
export { freshIdentifier } from './rename';
export { CATALOGUE as MINI_CATALOGUE, type ToolDef as MiniToolDef, type ParamDef as MiniParamDef } from './catalogue';
export { trainByteLevelBpe, type BpeTrainOptions } from './bpe';
