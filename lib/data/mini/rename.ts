/**
 * Fresh identifiers for renaming augmentation: every listed tool and parameter gets a made-up
 * name (e.g. `dovika_rel`, `sumpa`), new for each example, so a model cannot memorise names and
 * has to copy them from the tool list (../shared/notes/MINI-WORLD-FEASIBILITY.md; the paper's
 * own data does the same with random strings, e.g. `iPrldEx5MCu` in rlla_sft.json). For the
 * pretraining corpus of the mini base model (issue 8) and optional SFT augmentation.
 *
 * Names never contain a held-out identifier (checked against `reserved`), so renamed text cannot
 * leak the held-out split.
 */
import type { Rng } from '../rng';
import shipped from './tokenizer.json';

const ONSETS = ['b', 'd', 'f', 'g', 'k', 'l', 'm', 'n', 'p', 'r', 's', 't', 'v', 'z', 'br', 'kl', 'st', 'tr', 'sh', 'ch'];
const VOWELS = ['a', 'e', 'i', 'o', 'u'];
const CODAS = ['', '', '', 'n', 'l', 'r', 'k', 's', 'm'];

function word(rng: Rng, syllables: number): string {
  let s = '';
  for (let i = 0; i < syllables; i++) s += rng.pick(ONSETS) + rng.pick(VOWELS) + (i === syllables - 1 ? rng.pick(CODAS) : '');
  return s;
}

/** One made-up word of 2-3 syllables (e.g. `vorpak`): a topic or name no tokenizer merge knows. */
export function madeUpWord(rng: Rng): string {
  return word(rng, 2 + rng.int(2));
}

const letterTokenLists = new Map<number, string[]>();

/**
 * Lower-case letter-only tokens of the mini vocabulary with at least `minLetters` letters, in
 * vocabulary order: 2+ are what piece words are made of, 3+ the words copy drills repeat.
 */
export function letterTokens(minLetters: number): readonly string[] {
  let list = letterTokenLists.get(minLetters);
  if (list === undefined) {
    const re = new RegExp(`^[a-z]{${minLetters},}$`);
    list = Object.keys((shipped as { model: { vocab: Record<string, number> } }).model.vocab).filter((t) => re.test(t));
    letterTokenLists.set(minLetters, list);
  }
  return list;
}

function pieces(rng: Rng, n: number): string {
  const pool = letterTokens(2);
  return Array.from({ length: n }, () => rng.pick(pool)).join('');
}

/**
 * A made-up word of 2-3 vocabulary pieces drawn uniformly (`weoorms`). Why: tokens that occur in
 * few train words are rarely seen, and copying breaks right after them — measured on the shipped
 * base, "Copy exactly:" held-out names right 75% against 100% for train names and syllable-made
 * words (`convert_weight` -> `convert_wen`: the piece `we` occurs 16 times in 20,000 corpus
 * examples, `ym` of `gym` 269 times, against ~144,000 for `_`). Uniform pieces give every token
 * of the vocabulary practice in being copied.
 */
export function pieceWord(rng: Rng): string {
  return pieces(rng, 2 + rng.int(2));
}

/**
 * A fresh snake_case identifier: one or two made-up words (4 to 14 letters in syllables). With `pieceShare` > 0
 * each word is, with that chance, spelled in as many vocabulary pieces as it would have syllables
 * (see pieceWord; nothing more is drawn at 0, so the default names are the ones shipped before).
 */
export function freshIdentifier(rng: Rng, reserved: readonly string[], taken: ReadonlySet<string>, pieceShare = 0): string {
  const w = (n: number): string => (pieceShare > 0 && rng.chance(pieceShare) ? pieces(rng, n) : word(rng, n));
  for (;;) {
    const parts = rng.chance(0.5) ? [w(2 + rng.int(2))] : [w(1 + rng.int(2)), w(1 + rng.int(2))];
    const name = parts.join('_');
    if (taken.has(name)) continue;
    if (reserved.some((r) => name.includes(r) || r.includes(name))) continue;
    return name;
  }
}
