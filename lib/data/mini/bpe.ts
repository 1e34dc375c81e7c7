/**
 * A byte-level BPE trainer of our own (Sennrich et al. 2016; GPT-2's byte-level variant), writing
 * a standard Hugging Face tokenizer.json that any tokenizers library loads.
 *
 * - Pre-tokenization: a Split regex (Qwen2's by default), then ByteLevel without its own regex;
 *   added tokens are cut out first.
 * - Training: count the pre-tokenized words, then repeatedly merge the most frequent adjacent pair
 *   (ties: the pair with the smallest ids, for determinism) until the vocabulary is full or no
 *   pair occurs `minFrequency` times.
 * - Layout: added tokens first (ids 0..A-1, special ones before the others), then the 256 byte
 *   symbols in byte order, then merges in training order; all of them in `model.vocab`.
 *
 * Deterministic: the same texts and options give the same file, byte for byte.
 */

/** A pre-tokenizer split: the Oniguruma pattern written into tokenizer.json, and its JavaScript twin. */
export interface SplitPattern {
  regex: string;
  js: RegExp;
}

/**
 * Qwen2's pre-tokenizer: letters take one leading non-letter (`"name`, `_amount`), digits are
 * single. (GPT-2's split, where punctuation stays apart, gave 10% longer toolrl-mini examples.)
 */
export const QWEN2_SPLIT: SplitPattern = {
  regex: "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+",
  js: /'(?:[sS]|[tT]|[rR][eE]|[vV][eE]|[mM]|[lL][lL]|[dD])|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+/gu,
};

/**
 * Letters apart from everything else: a word is the same pieces wherever it stands (`_calories` in a
 * tool name, ` calories` in a request), so a model can match a request's words to a tool list's.
 */
export const WORD_SPLIT: SplitPattern = {
  regex: "\\p{L}+|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+",
  js: /\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+/gu,
};

/** GPT-2's bytes_to_unicode: printable bytes stand for themselves, the others for 256 + n. */
export function byteToUnicode(): string[] {
  const table: string[] = new Array(256);
  let n = 0;
  for (let b = 0; b < 256; b++) {
    const printable = (b >= 33 && b <= 126) || (b >= 161 && b <= 172) || (b >= 174 && b <= 255);
    table[b] = String.fromCodePoint(printable ? b : 256 + n++);
  }
  return table;
}

export interface BpeTrainOptions {
  /** Total vocabulary: added tokens + 256 bytes + merges. */
  vocabSize: number;
  /** Added tokens marked special (e.g. `<|im_end|>`), in id order. */
  specialTokens?: readonly string[];
  /** Added tokens that are not special (e.g. `<think>`), in id order after the special ones. */
  addedTokens?: readonly string[];
  /** Stop merging when the best pair occurs fewer times (default 2). */
  minFrequency?: number;
  /** Pre-tokenizer split (default Qwen2's). */
  split?: SplitPattern;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Counts of the pre-tokenized words of `texts`, added tokens removed. */
export function countWords(texts: Iterable<string>, added: readonly string[], split: SplitPattern = QWEN2_SPLIT): Map<string, number> {
  const sorted = [...added].sort((a, b) => b.length - a.length);
  const splitAdded = sorted.length > 0 ? new RegExp(sorted.map(escapeRegExp).join('|'), 'g') : undefined;
  const counts = new Map<string, number>();
  for (const text of texts) {
    const pieces = splitAdded === undefined ? [text] : text.split(splitAdded);
    for (const piece of pieces) {
      for (const m of piece.matchAll(split.js)) counts.set(m[0], (counts.get(m[0]) ?? 0) + 1);
    }
  }
  return counts;
}

/** Trains the tokenizer; returns the tokenizer.json object. */
export function trainByteLevelBpe(texts: Iterable<string>, opts: BpeTrainOptions): Record<string, unknown> {
  const specials = opts.specialTokens ?? [];
  const added = opts.addedTokens ?? [];
  const minFrequency = opts.minFrequency ?? 2;
  const addedAll = [...specials, ...added];
  const firstByte = addedAll.length;
  const maxMerges = opts.vocabSize - firstByte - 256;
  if (maxMerges < 0) throw new RangeError(`Expected a vocabSize of at least ${firstByte + 256} for vocabSize but received ${opts.vocabSize} of type number`);

  const b2u = byteToUnicode();
  const tokens: string[] = [...addedAll, ...b2u];
  const encoder = new TextEncoder();

  // Words as arrays of symbol ids, with their counts.
  const split = opts.split ?? QWEN2_SPLIT;
  const wordCounts = countWords(texts, addedAll, split);
  const words: number[][] = [];
  const freqs: number[] = [];
  for (const [w, c] of [...wordCounts].sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0))) {
    words.push(Array.from(encoder.encode(w), (b) => firstByte + b));
    freqs.push(c);
  }

  const merges: [string, string][] = [];
  const KEY = 1 << 16; // ids stay below 65536
  for (let m = 0; m < maxMerges; m++) {
    const pairCounts = new Map<number, number>();
    for (let i = 0; i < words.length; i++) {
      const w = words[i];
      for (let j = 0; j + 1 < w.length; j++) {
        const k = w[j] * KEY + w[j + 1];
        pairCounts.set(k, (pairCounts.get(k) ?? 0) + freqs[i]);
      }
    }
    let best = -1;
    let bestCount = 0;
    for (const [k, c] of pairCounts) {
      if (c > bestCount || (c === bestCount && k < best)) {
        best = k;
        bestCount = c;
      }
    }
    if (best < 0 || bestCount < minFrequency) break;
    const a = Math.floor(best / KEY);
    const b = best % KEY;
    const id = tokens.length;
    tokens.push(tokens[a] + tokens[b]);
    merges.push([tokens[a], tokens[b]]);
    for (const w of words) {
      for (let j = 0; j + 1 < w.length; j++) {
        if (w[j] === a && w[j + 1] === b) w.splice(j, 2, id);
      }
    }
  }

  const vocab: Record<string, number> = {};
  tokens.forEach((t, i) => {
    vocab[t] = i;
  });
  const byteLevel = { type: 'ByteLevel', add_prefix_space: false, trim_offsets: false, use_regex: false };
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: addedAll.map((content, id) => ({
      id,
      content,
      single_word: false,
      lstrip: false,
      rstrip: false,
      normalized: false,
      special: id < specials.length,
    })),
    normalizer: null,
    pre_tokenizer: {
      type: 'Sequence',
      pretokenizers: [
        { type: 'Split', pattern: { Regex: split.regex }, behavior: 'Isolated', invert: false },
        byteLevel,
      ],
    },
    post_processor: byteLevel,
    decoder: byteLevel,
    model: {
      type: 'BPE',
      dropout: null,
      unk_token: null,
      continuing_subword_prefix: null,
      end_of_word_suffix: null,
      fuse_unk: false,
      byte_fallback: false,
      ignore_merges: false,
      vocab,
      merges,
    },
  };
}
