/**
 * Piece dropout for the pretraining corpus (corpus.pieceDropout, issue 8): each word token of an
 * example is, with probability p, split back into the two tokens its BPE merge joined, and each of
 * those again with probability p, once per word and example (every occurrence of the word is split
 * the same way) — the spirit of BPE-dropout (Provilkov et al., 2020, "BPE-Dropout:
 * Simple and Effective Subword Regularization"), applied to ids after canonical encoding.
 *
 * Why: a word the corpus never shows (every held-out tool's topic) is encoded in the small pieces
 * that BPE merged away inside longer tokens (`vacuum` → `v ac u um`), and those pieces are rare in
 * canonical text (`we` of `weight`: 2 times in 8,000 examples), so the base neither copies nor matches
 * such words (run.ts probeSharedVerb, spelling `pieces`: 12.5%, below chance). Split now and then, the
 * corpus's own words are seen in those pieces too (`we ather`), so every piece is practised, in the
 * contexts of words, and a word in pieces is no longer unusual. Probes and the later stages always
 * encode canonically; only pretraining batches are split.
 */
import type { Tokenizer } from '../data/tokenizer';
import type { Rng } from '../data/rng';

/**
 * What piece dropout needs of a tokenizer: token id → the ids of the two tokens its merge joined (word
 * tokens only), and the ids whose text is letters only (a word is a run of them: the pre-split keeps
 * `\p{L}+` together, lib/data/mini/bpe.ts).
 */
export interface PieceTable {
  parents: ReadonlyMap<number, readonly [number, number]>;
  letters: ReadonlySet<number>;
}

/** The piece table of a byte-level BPE tokenizer.json (merges as `"a b"` or `["a", "b"]`). */
export function pieceTable(tokenizer: Tokenizer): PieceTable {
  const model = (tokenizer.json as { model?: { type?: string; vocab?: Record<string, number>; merges?: (string | [string, string])[] } }).model;
  if (model?.type !== 'BPE' || model.vocab === undefined || !Array.isArray(model.merges)) throw new TypeError('piece dropout needs a BPE tokenizer with merges');
  const vocab = model.vocab;
  // Judged on the decoded text: byte-level BPE spells a space or a newline with a letter (`Ġ`, `Ċ`).
  const letters = new Set(Object.values(vocab).filter((id) => /^\p{L}+$/u.test(tokenizer.decode(Int32Array.of(id)))));
  const parents = new Map<number, readonly [number, number]>();
  for (const m of model.merges) {
    const [a, b] = typeof m === 'string' ? (m.split(' ') as [string, string]) : m;
    const joined = vocab[a + b];
    const ia = vocab[a];
    const ib = vocab[b];
    // Words only: splitting JSON punctuation or whitespace would only garble the structure.
    if (joined === undefined || ia === undefined || ib === undefined || !letters.has(joined)) continue;
    // The first (highest-priority) merge that makes a token is the one canonical encoding used.
    if (!parents.has(joined)) parents.set(joined, [ia, ib]);
  }
  return { parents, letters };
}

/**
 * The ids after which a word stays whole (`keepAfter` of dropPieces): the chat template's
 * `<|im_start|>`, where the role name follows.
 */
export function roleStarts(tokenizer: Tokenizer): ReadonlySet<number> {
  return new Set([tokenizer.tokenToId('<|im_start|>')].filter((id): id is number => id !== undefined));
}

/**
 * `ids` with the tokens of each word split with probability p, recursively (a copy; p 0 returns
 * ids). One split per word and call: every occurrence of a word in the example is split the same way,
 * so a name copied from the tool list is the same tokens in the answer (measured: splitting each
 * occurrence on its own, continuing the shipped base 700 steps at p 0.2, the base copied a held-out
 * name listed alone 25% of the time instead of 62%). A token right after one of `keepAfter` (the chat
 * template's `<|im_start|>`) stays whole: role names are template structure, always canonical where
 * the model meets them. `seen` carries the splits across calls, so the prompt and the answer of one
 * demonstration (encoded apart, lib/train/sft.ts) split a word the same way.
 */
export function dropPieces(
  ids: Int32Array,
  table: PieceTable,
  rng: Rng,
  p: number,
  keepAfter: ReadonlySet<number> = new Set(),
  seen: Map<string, number[]> = new Map(),
): Int32Array {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`piece dropout must be in [0, 1], got ${p}`);
  if (p === 0) return ids;
  const out: number[] = [];
  const split = (id: number, into: number[]): void => {
    const pair = table.parents.get(id);
    if (pair !== undefined && rng.chance(p)) {
      split(pair[0], into);
      split(pair[1], into);
    } else into.push(id);
  };
  for (let i = 0; i < ids.length; ) {
    if (!table.letters.has(ids[i]!)) {
      out.push(ids[i++]!);
      continue;
    }
    let j = i;
    while (j < ids.length && table.letters.has(ids[j]!)) j++;
    const word = ids.subarray(i, j);
    if (i > 0 && keepAfter.has(ids[i - 1]!)) {
      out.push(...word);
      i = j;
      continue;
    }
    const key = word.join(',');
    let pieces = seen.get(key);
    if (pieces === undefined) {
      pieces = [];
      for (const id of word) split(id, pieces);
      seen.set(key, pieces);
    }
    out.push(...pieces);
    i = j;
  }
  return Int32Array.from(out);
}

/** Splits `ids` (dropPieces at a loop's rate); `seen` shares splits across calls, as in dropPieces. */
export type PieceSplitter = (ids: Int32Array, rng: Rng, seen?: Map<string, number[]>) => Int32Array;

/**
 * The piece dropout of a training loop (pretraining, SFT, GRPO) at rate `p`: a RangeError naming `what`
 * unless p is in [0, 1]; undefined at 0 (nothing is drawn, the ids stay canonical, and a tokenizer
 * without merges is fine); otherwise a splitter for `tokenizer` that keeps role names whole (roleStarts).
 */
export function pieceSplitter(tokenizer: Tokenizer, p: number, what: string): PieceSplitter | undefined {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`${what} must be in [0, 1], got ${p}`);
  if (p === 0) return undefined;
  const table = pieceTable(tokenizer);
  const keepWhole = roleStarts(tokenizer);
  return (ids, rng, seen = new Map()) => dropPieces(ids, table, rng, p, keepWhole, seen);
}
