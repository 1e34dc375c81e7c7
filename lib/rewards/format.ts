/**
 * Format reward (spec/REWARD.md §1): does the completion have the layout the ground truth calls
 * for? The reference tests Python regexes with re.search and DOTALL, e.g.
 *     ^<think>.*?</think>\n<tool_call>\n.*?\n</tool_call>$
 * plus exact tag counts. A `.*?` between fixed strings only asks that the fixed strings occur in
 * order without overlapping, so each pattern is decided here with startsWith/endsWith and one or
 * two indexOf calls (the earliest occurrence is always the best witness) — linear time, no regex
 * engine, no backtracking. `$` is the end of the string: completions are stripped first (spec
 * Inputs), so Python's "$ before a final \n" never applies.
 */
import type { CallTags } from './tags';

/** Which pattern the ground truth selects (substring tests on the ground truth, spec §1). */
export const FORMAT_RESPONSE = 0; // <response>, no <tool_call>
export const FORMAT_TOOL_CALL = 1; // <tool_call>, no <response>
export const FORMAT_BOTH = 2;
export const FORMAT_NEITHER = 3;
export type FormatKind = 0 | 1 | 2 | 3;

export function formatKindOf(groundTruth: string): FormatKind {
  const resp = groundTruth.includes('<response>');
  const call = groundTruth.includes('<tool_call>');
  if (resp) return call ? FORMAT_BOTH : FORMAT_RESPONSE;
  return call ? FORMAT_TOOL_CALL : FORMAT_NEITHER;
}

/** Python's s.count(tag) === 1 for a tag that cannot overlap itself. */
function once(s: string, tag: string): boolean {
  const i = s.indexOf(tag);
  return i >= 0 && s.indexOf(tag, i + tag.length) < 0;
}

const THINK_OPEN = '<think>'; // 7
const THINK_CLOSE = '</think>'; // 8
const RESP_END = '</response>'; // 11
const MID_RESPONSE = '</think>\n<response>'; // 19
const MID_CALL = '</think>\n<tool_call>\n'; // 21
const CALL_END = '\n</tool_call>'; // 13
const CALL_TO_RESPONSE = '\n</tool_call>\n<response>'; // 24

/**
 * formatMatches for the two <tool_call> kinds from tag positions already found. With exactly one
 * <tool_call> and one </tool_call> (the counts the reference requires), the MID_CALL witness must
 * contain that <tool_call> (p = open1 - 9) and CALL_TO_RESPONSE that </tool_call> (q = close1 - 1),
 * so no further search is needed.
 */
export function formatMatchesCallTags(s: string, kind: FormatKind, t: CallTags): boolean {
  if (kind !== FORMAT_TOOL_CALL && kind !== FORMAT_BOTH) return formatMatches(s, kind);
  if (t.open1 < 0 || t.open2 >= 0 || t.close1 < 0 || t.close2 >= 0) return false;
  if (!s.startsWith(THINK_OPEN)) return false;
  const n = s.length;
  const p = t.open1 - 9;
  if (p < 7 || !s.startsWith(MID_CALL, p)) return false;
  if (kind === FORMAT_TOOL_CALL) return p + 21 <= n - 13 && s.endsWith(CALL_END);
  const q = t.close1 - 1;
  if (q < p + 21 || q + 24 > n - 11 || !s.startsWith(CALL_TO_RESPONSE, q) || !s.endsWith(RESP_END)) return false;
  return once(s, '<response>') && once(s, '</response>');
}

/** Does the stripped completion s match the pattern (and tag counts) of `kind`? */
export function formatMatches(s: string, kind: FormatKind): boolean {
  if (!s.startsWith(THINK_OPEN)) return false;
  const n = s.length;
  switch (kind) {
    case FORMAT_RESPONSE: {
      // ^<think>.*?</think>\n<response>.*?</response>$
      if (!s.endsWith(RESP_END)) return false;
      const p = s.indexOf(MID_RESPONSE, 7);
      if (p < 0 || p + 19 > n - 11) return false;
      return once(s, '<response>') && once(s, '</response>');
    }
    case FORMAT_TOOL_CALL: {
      // ^<think>.*?</think>\n<tool_call>\n.*?\n</tool_call>$
      if (!s.endsWith(CALL_END)) return false;
      const p = s.indexOf(MID_CALL, 7);
      if (p < 0 || p + 21 > n - 13) return false;
      return once(s, '<tool_call>') && once(s, '</tool_call>');
    }
    case FORMAT_BOTH: {
      // ^<think>.*?</think>\n<tool_call>\n.*?\n</tool_call>\n<response>.*?</response>$
      if (!s.endsWith(RESP_END)) return false;
      const p = s.indexOf(MID_CALL, 7);
      if (p < 0) return false;
      const q = s.indexOf(CALL_TO_RESPONSE, p + 21);
      if (q < 0 || q + 24 > n - 11) return false;
      return once(s, '<tool_call>') && once(s, '</tool_call>') && once(s, '<response>') && once(s, '</response>');
    }
    default:
      // ^<think>.*?</think>$
      return n >= 15 && s.endsWith(THINK_CLOSE);
  }
}
