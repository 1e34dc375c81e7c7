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

/** A fresh snake_case identifier: one or two made-up words, 4 to 14 letters. */
export function freshIdentifier(rng: Rng, reserved: readonly string[], taken: ReadonlySet<string>): string {
  for (;;) {
    const parts = rng.chance(0.5) ? [word(rng, 2 + rng.int(2))] : [word(rng, 1 + rng.int(2)), word(rng, 1 + rng.int(2))];
    const name = parts.join('_');
    if (taken.has(name)) continue;
    if (reserved.some((r) => name.includes(r) || r.includes(name))) continue;
    return name;
  }
}
