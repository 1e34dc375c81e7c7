/**
 * Exact-match accuracy as the summaries report it: "all calls right". For a gold answer with tool
 * calls: the completion's `<tool_call>` block parses, and its calls equal the gold calls as a
 * multiset (name and parameters compared with Python ==, order free, since parallel calls are
 * unordered). For a gold answer without calls: the completion makes no call and answers in
 * `<response>`.
 */
import { pyEq, type PyValue } from '../pycompat';
import { parseToolCalls, type ToolCall } from '../rewards';

function callsOf(text: string): ToolCall[] | undefined {
  if (!text.includes('<tool_call>')) return [];
  try {
    return parseToolCalls(text);
  } catch {
    return undefined;
  }
}

const EMPTY: PyValue = new Map();

export function exactMatch(completion: string, groundTruth: string): boolean {
  const gold = callsOf(groundTruth) ?? [];
  const pred = callsOf(completion);
  if (pred === undefined) return false;
  if (gold.length === 0) return pred.length === 0 && completion.includes('<response>') && completion.includes('</response>');
  if (pred.length !== gold.length) return false;
  const used = new Array<boolean>(pred.length).fill(false);
  return gold.every((g) => {
    const j = pred.findIndex((p, k) => !used[k] && pyEq(p.name, g.name) && pyEq(p.parameters ?? EMPTY, g.parameters ?? EMPTY));
    if (j < 0) return false;
    used[j] = true;
    return true;
  });
}

/**
 * The weaker "names right" measure of issue 8: for a gold answer with calls, the completion's
 * `<tool_call>` block parses and calls the same tool names as the gold (a multiset, order free),
 * whatever the parameters. Undefined for gold answers without calls (nothing to name).
 */
export function namesMatch(completion: string, groundTruth: string): boolean | undefined {
  const gold = callsOf(groundTruth) ?? [];
  if (gold.length === 0) return undefined;
  const pred = callsOf(completion);
  if (pred === undefined || pred.length !== gold.length) return false;
  const want = gold.map((c) => String(c.name)).sort();
  const got = pred.map((c) => String(c.name)).sort();
  return want.every((n, i) => n === got[i]);
}
