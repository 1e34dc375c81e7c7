/**
 * Where the first two <tool_call> and </tool_call> tags of a completion are. The format check
 * (spec §1: exactly one of each) and the call extraction (§2: after the first <tool_call>, cut at
 * the second, then at the first </tool_call>) both need these positions; finding them once saves
 * three passes over a ~1,500-character completion.
 */
export const OPEN = '<tool_call>'; // 11
export const CLOSE = '</tool_call>'; // 12

export interface CallTags {
  /** First <tool_call>, or -1. */
  open1: number;
  /** Second <tool_call> (the first after open1), or -1. */
  open2: number;
  /** First </tool_call>, or -1. */
  close1: number;
  /** Second </tool_call>, or -1. */
  close2: number;
}

/** Fill `out` for s (neither tag can overlap itself, so "second" is Python's count's second). */
export function scanCallTags(s: string, out: CallTags): CallTags {
  const o1 = s.indexOf(OPEN);
  out.open1 = o1;
  out.open2 = o1 < 0 ? -1 : s.indexOf(OPEN, o1 + 11);
  const c1 = s.indexOf(CLOSE);
  out.close1 = c1;
  out.close2 = c1 < 0 ? -1 : s.indexOf(CLOSE, c1 + 12);
  return out;
}
