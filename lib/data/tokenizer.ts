/**
 * Tokenizer: a Hugging Face `tokenizer.json` (byte-level BPE as Qwen2.5, Qwen3 and Llama 3 use,
 * and the toolrl-mini tokenizer) turned into the token ids the policy sees.
 *
 * Backed by @huggingface/tokenizers (Tokenizers.js: Hugging Face's own pure-JavaScript port, no
 * dependencies, ships a CommonJS build). Checked against the Rust `tokenizers` 0.22 on the real
 * Qwen3 tokenizer: identical ids on 600 texts (ToolRL prompts, API-Bank dialogues, random
 * Unicode with special tokens inside).
 *
 * Conventions (those of transformers' `apply_chat_template(..., tokenize=True)`):
 * - `encode` adds no BOS/EOS: chat templates write their own special tokens into the text, and
 *   special tokens written in the text are recognised as single ids;
 * - `decode` keeps special tokens and never "cleans up" spaces, so decode(encode(s)) === s for any
 *   s the tokenizer's normaliser leaves alone (Qwen's NFC: any NFC text).
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { Tokenizer as HfTokenizer } from '@huggingface/tokenizers';
import { checkBoolean, checkInteger, checkOptions, checkString, invalidType } from './validate';
import { truncateLeft, type Truncated } from './truncate';

interface AddedTokenJson {
  id: number;
  content: string;
  special?: boolean;
}

interface TokenizerJson {
  model?: { type?: string; vocab?: Record<string, number> | unknown[] };
  added_tokens?: AddedTokenJson[];
}

/** Special-token names in tokenizer_config.json: a string or `{content: string}`. */
function tokenName(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (v !== null && typeof v === 'object' && typeof (v as { content?: unknown }).content === 'string') return (v as { content: string }).content;
  return undefined;
}

/** Used for `eosTokenId` when no tokenizer_config.json names one (first one present wins). */
const EOS_FALLBACKS = ['<|im_end|>', '<|eot_id|>', '<|endoftext|>', '<|end_of_text|>', '</s>', '<eos>'];

async function readJson(file: string, what: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new Error(`${file}: cannot read ${what} (${code === 'ENOENT' ? 'no such file' : (e as Error).message})`);
  }
  try {
    const v = JSON.parse(text) as unknown;
    if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new Error('not a JSON object');
    return v as Record<string, unknown>;
  } catch (e) {
    throw new Error(`${file}: not a valid ${what} (${(e as Error).message})`);
  }
}

export interface TokenizerConfig {
  eos_token?: unknown;
  bos_token?: unknown;
  pad_token?: unknown;
  [key: string]: unknown;
}

export class Tokenizer {
  private readonly hf: HfTokenizer;
  /** Number of ids: one past the largest id of the vocabulary and the added tokens. */
  readonly vocabSize: number;
  /** Special tokens (added tokens marked special), content → id. */
  readonly specialTokens: ReadonlyMap<string, number>;
  /** End-of-sequence id for generation: tokenizer_config.json's eos_token, else a usual name. */
  readonly eosTokenId: number | undefined;
  readonly bosTokenId: number | undefined;
  readonly padTokenId: number | undefined;
  /** The parsed tokenizer.json, e.g. to save it beside a checkpoint. */
  readonly json: Readonly<Record<string, unknown>>;
  /** The parsed tokenizer_config.json, if one was given (`{}` otherwise). */
  readonly config: Readonly<TokenizerConfig>;

  private constructor(json: Record<string, unknown>, config: TokenizerConfig) {
    this.json = json;
    this.config = config;
    this.hf = new HfTokenizer(json, { clean_up_tokenization_spaces: false, ...config });
    const tj = json as TokenizerJson;
    let max = -1;
    const vocab = tj.model?.vocab;
    if (Array.isArray(vocab)) {
      max = vocab.length - 1; // Unigram: a list of [piece, score]
    } else if (vocab !== undefined) {
      for (const id of Object.values(vocab)) if (id > max) max = id;
    }
    const specials = new Map<string, number>();
    for (const t of tj.added_tokens ?? []) {
      if (t.id > max) max = t.id;
      if (t.special) specials.set(t.content, t.id);
    }
    this.vocabSize = max + 1;
    this.specialTokens = specials;
    const idOf = (name: string | undefined): number | undefined => (name === undefined ? undefined : this.tokenToId(name));
    this.eosTokenId = idOf(tokenName(config.eos_token)) ?? EOS_FALLBACKS.map((n) => specials.get(n)).find((id) => id !== undefined);
    this.bosTokenId = idOf(tokenName(config.bos_token));
    this.padTokenId = idOf(tokenName(config.pad_token));
  }

  /**
   * Loads a tokenizer.json (or a model directory containing one). A tokenizer_config.json beside
   * it, if present, supplies the eos/bos/pad names; `configPath` points at another one.
   */
  static async fromFile(file: string, opts?: { configPath?: string }): Promise<Tokenizer> {
    const o = checkOptions(opts, ['configPath'], 'Tokenizer.fromFile options');
    checkString(file, 'path');
    let tokPath = file;
    try {
      if ((await fs.stat(file)).isDirectory()) tokPath = path.join(file, 'tokenizer.json');
    } catch {
      // reported by readJson below
    }
    const json = await readJson(tokPath, 'tokenizer.json');
    if (typeof json.model !== 'object' || json.model === null) throw new Error(`${tokPath}: not a tokenizer.json (no "model" section)`);
    let config: TokenizerConfig = {};
    const cfgPath = o.configPath !== undefined ? checkString(o.configPath, 'configPath') : path.join(path.dirname(tokPath), 'tokenizer_config.json');
    try {
      await fs.access(cfgPath);
      config = await readJson(cfgPath, 'tokenizer_config.json');
    } catch (e) {
      if (o.configPath !== undefined) throw e;
    }
    try {
      return new Tokenizer(json, config);
    } catch (e) {
      throw new Error(`${tokPath}: cannot build the tokenizer (${(e as Error).message})`);
    }
  }

  /** Builds a tokenizer from parsed tokenizer.json (and optionally tokenizer_config.json) objects. */
  static fromJSON(json: Record<string, unknown>, config: TokenizerConfig = {}): Tokenizer {
    if (json === null || typeof json !== 'object') throw invalidType('a parsed tokenizer.json object', 'json', json);
    return new Tokenizer(json, config);
  }

  /** Token ids of `text` (no BOS/EOS added; special tokens in the text become their ids). */
  encode(text: string, opts?: { addSpecialTokens?: boolean }): Int32Array {
    const o = checkOptions(opts, ['addSpecialTokens'], 'encode options');
    checkString(text, 'text');
    const add = o.addSpecialTokens === undefined ? false : checkBoolean(o.addSpecialTokens, 'addSpecialTokens');
    if (text === '' && !add) return new Int32Array(0);
    return Int32Array.from(this.hf.encode(text, { add_special_tokens: add }).ids);
  }

  /** Text of `ids`; special tokens are kept unless `skipSpecialTokens`. */
  decode(ids: ArrayLike<number>, opts?: { skipSpecialTokens?: boolean }): string {
    const o = checkOptions(opts, ['skipSpecialTokens'], 'decode options');
    const skip = o.skipSpecialTokens === undefined ? false : checkBoolean(o.skipSpecialTokens, 'skipSpecialTokens');
    if (ids === null || typeof ids !== 'object' || typeof ids.length !== 'number') throw invalidType('an array of token ids', 'ids', ids);
    const list: number[] = new Array(ids.length);
    for (let i = 0; i < ids.length; i++) {
      list[i] = checkInteger(ids[i], `ids[${i}]`, 0, this.vocabSize - 1);
    }
    if (list.length === 0) return '';
    return this.hf.decode(list, { skip_special_tokens: skip, clean_up_tokenization_spaces: false });
  }

  /** Id of a token string (a vocabulary entry such as "Ġthe", or an added token), if any. */
  tokenToId(token: string): number | undefined {
    return this.hf.token_to_id(token);
  }

  /** Token string of an id, if any. */
  idToToken(id: number): string | undefined {
    return this.hf.id_to_token(id);
  }

  /**
   * Encodes a prompt and keeps at most `maxTokens` ids, cutting from the left as the paper's
   * pipeline does (veRL `truncation='left'`): the end of the prompt — the latest user turn and the
   * generation header — survives. `truncated` says how many ids were cut.
   */
  encodePrompt(text: string, maxTokens: number): Truncated {
    return truncateLeft(this.encode(text), maxTokens);
  }
}
