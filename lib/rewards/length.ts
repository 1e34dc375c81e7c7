/**
 * Length reward (spec/REWARD.md §3, paper Section 5.1): longer reasoning in <think>, up to a
 * target of L words, earns up to lengthMax.
 *
 *   think = text after the LAST <think>, up to the first </think> after it (or the end), stripped
 *   r     = min(round(words(think) / L, 2), 1)          words: Python str.split(); round: half-even
 *   length = r * (max - min) + min
 *
 * Porting traps: words are separated by Python white space (\x1c-\x1f and \x85 separate, \ufeff
 * does not), and round() is CPython's: 64 words / 512 = 0.125 rounds to 0.12, not 0.13.
 */
import { pyCountWords, pyRound } from '../pycompat/str';

export function lengthReward(s: string, target: number, max: number, min: number): number {
  // The last <think>, found with forward searches: V8's lastIndexOf is a naive backward scan.
  let open = s.indexOf('<think>');
  if (open < 0 || s.indexOf('</think>') < 0) return min;
  for (let next = s.indexOf('<think>', open + 7); next >= 0; next = s.indexOf('<think>', next + 7)) open = next;
  const from = open + 7;
  let to = s.indexOf('</think>', from);
  if (to < 0) to = s.length;
  let r = pyRound(pyCountWords(s, from, to) / target, 2);
  if (r > 1.0) r = 1.0;
  return r * (max - min) + min;
}
