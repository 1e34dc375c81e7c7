/**
 * Reading tool calls out of text (spec/REWARD.md §2), for the completion and the ground truth:
 *
 *   block = text.split("<tool_call>")[1].split("</tool_call>")[0].strip()
 *   calls = [json.loads(line) for line in block.split("\n")]
 *
 * i.e. the text after the first <tool_call>, cut at a second <tool_call> if any, then at the
 * first </tool_call>; stripped with Python's white space; one JSON value per line, where an
 * empty line (a blank line between calls, or an empty block) is a parse failure.
 *
 * The ground truth is the same for every completion of a GRPO group, so its parse and everything
 * derived from it is cached by ground-truth string (getGold).
 */
// Imported from the defining modules, not the index: one fewer re-export hop on the hot path.
import { lastLoadError, pyDumps, tryPyLoadsRange } from '../pycompat/json';
import { pyLen, pySkipSpace, pySkipSpaceBack } from '../pycompat/str';
import { isPyDict, pyTypeName, type PyDict, type PyValue } from '../pycompat/value';
import { GroundTruthError, ToolCallParseError } from './errors';
import { formatKindOf, type FormatKind } from './format';
import { CLOSE, OPEN, type CallTags } from './tags';

/** [from, to) of the stripped block after the <tool_call> at `open`. */
function blockRange(text: string, open: number): [number, number] {
  const a = open + 11;
  const next = text.indexOf(OPEN, a);
  return blockRangeAt(text, a, next < 0 ? text.length : next, text.indexOf(CLOSE, a));
}

/**
 * [from, to) of the stripped block text[a, segEnd) cut at `close` (the first </tool_call> at or
 * after a, or -1). '</tool_call>' cannot straddle segEnd (a '<tool_call>' cannot start inside
 * it), so a close that starts before segEnd lies inside the segment.
 */
function blockRangeAt(text: string, a: number, segEnd: number, close: number): [number, number] {
  const cut = close >= 0 && close < segEnd ? close : segEnd;
  const from = pySkipSpace(text, a, cut);
  return [from, pySkipSpaceBack(text, from, cut)];
}

/** Where the last failed parseLines stopped: 1-based line, its range. */
let failLine = 0;
let failFrom = 0;
let failTo = 0;

/**
 * json.loads of each '\n'-separated line of text[from, to); undefined if any line fails.
 * With `gold`, a line whose text equals the gold's line at the same index reuses the gold's parsed
 * value instead of parsing again (GRPO samples often copy gold lines). Sharing the object is
 * exact: a value parsed from identical text is == to it in Python (json's NaN is one object), and
 * pyEq's same-object shortcut answers the same, while a top-level NaN, a primitive, still
 * compares unequal.
 */
function parseLines(text: string, from: number, to: number, gold?: Gold): PyValue[] | undefined {
  const out: PyValue[] = [];
  let ls = from;
  while (true) {
    let nl = text.indexOf('\n', ls);
    if (nl < 0 || nl > to) nl = to;
    if (gold !== undefined && out.length < gold.lines.length) {
      const g = gold.lines[out.length];
      if (g.length === nl - ls && text.startsWith(g, ls)) {
        out.push((gold.calls as PyValue[])[out.length]);
        if (nl >= to) return out;
        ls = nl + 1;
        continue;
      }
    }
    const v = tryPyLoadsRange(text, ls, nl);
    if (v === undefined) {
      failLine = out.length + 1;
      failFrom = ls;
      failTo = nl;
      return undefined;
    }
    out.push(v);
    if (nl >= to) return out;
    ls = nl + 1;
  }
}

/**
 * The predicted calls of a completion as the reward reads them, from its tag positions
 * (scanCallTags), or undefined where the reference gives min before scoring: no <tool_call> or
 * no </tool_call> anywhere, or a line json rejects.
 */
export function readPredictedCallsAt(completion: string, t: CallTags, gold?: Gold): PyValue[] | undefined {
  if (t.open1 < 0 || t.close1 < 0) return undefined;
  const a = t.open1 + 11;
  let close = t.close1 >= a ? t.close1 : t.close2;
  if (close >= 0 && close < a) close = completion.indexOf(CLOSE, a);
  const [from, to] = blockRangeAt(completion, a, t.open2 < 0 ? completion.length : t.open2, close);
  return parseLines(completion, from, to, gold);
}

// ---------------------------------------------------------------------------------------------
// parseToolCalls (public)

/** One call as the reward sees it. */
export interface ToolCall {
  /** The "name" value (a string in every well-formed call; compared with Python ==). */
  name: PyValue;
  /** The "parameters" value, or undefined when the call has none (the reward needs a dict once matched). */
  parameters: PyValue | undefined;
  /** The whole parsed line: a dict in Python's key order. */
  raw: PyDict;
}

/**
 * The tool calls in `text`, read exactly as the reward reads a completion (spec §2): after the
 * first <tool_call>, cut at a second <tool_call> and at the first </tool_call>, stripped, one
 * Python-JSON object per line. Throws ToolCallParseError wherever the reward would give the
 * minimum before comparing anything: missing tags ('missing-tags'), a line json.loads rejects,
 * blank lines included ('invalid-json'), or a line that is not an object with a "name"
 * ('not-a-call').
 */
export function parseToolCalls(text: string): ToolCall[] {
  if (typeof text !== 'string') {
    throw new TypeError(`Expected string for text but received ${String(text)} of type ${typeof text}`);
  }
  const open = text.indexOf(OPEN);
  if (open < 0 || text.indexOf(CLOSE) < 0) {
    throw new ToolCallParseError('missing-tags', 0, `Expected <tool_call> and </tool_call> for text but received ${JSON.stringify(text.slice(0, 80))} of type string`);
  }
  const [from, to] = blockRange(text, open);
  const values = parseLines(text, from, to);
  if (values === undefined) {
    const err = lastLoadError();
    throw new ToolCallParseError(
      'invalid-json',
      failLine,
      `Expected one JSON object per line for tool call ${failLine} but received ${JSON.stringify(text.slice(failFrom, failTo))} of type string (${err.msg} at char ${err.pos - failFrom})`,
    );
  }
  return values.map((v, i) => {
    if (!isPyDict(v) || !v.has('name')) {
      throw new ToolCallParseError(
        'not-a-call',
        i + 1,
        `Expected an object with a "name" for tool call ${i + 1} but received ${describeValue(v)} of type ${pyTypeName(v)}`,
      );
    }
    return { name: v.get('name') as PyValue, parameters: v.get('parameters'), raw: v };
  });
}

/** The value as Python's json.dumps writes it, cut to 60 characters (for messages). */
function describeValue(v: PyValue): string {
  const s = pyDumps(v);
  return s.length > 60 ? `${s.slice(0, 60)}…` : s;
}

// ---------------------------------------------------------------------------------------------
// Ground truth

/**
 * Everything the reward needs from one ground truth, computed once. The structural fields
 * mirror where the reference would raise (and so score min) while scoring a non-identical
 * completion: a gold call that is not a dict with "name" (KeyError/TypeError building the name
 * list), without "parameters" (KeyError in the matching loop), or whose parameters have no len().
 */
export interface Gold {
  text: string;
  formatKind: FormatKind;
  /** The gold calls, or null when the ground truth has no <tool_call> (correctness 0). */
  calls: PyValue[] | null;
  /** The text of each line the calls were parsed from. */
  lines: string[];
  /** Gold names (tool["name"]), or null when some call is not a dict with a name. */
  names: PyValue[] | null;
  /** Every gold name hashable (not a list or dict), as Counter needs. */
  namesHashable: boolean;
  /** Each call's "parameters" (undefined: missing); only when names is not null. */
  params: (PyValue | undefined)[];
  /** Every call has "parameters". */
  paramsPresent: boolean;
  /** len(parameters) per call, -1 where Python's len() raises (int, float, bool, None). */
  paramLens: number[];
  /** Keys of each call's parameters when it is a dict, else null. */
  paramKeys: (string[] | null)[];
}

function buildGold(text: string): Gold {
  const formatKind = formatKindOf(text);
  const open = text.indexOf(OPEN);
  const gold: Gold = {
    text,
    formatKind,
    calls: null,
    lines: [],
    names: null,
    namesHashable: false,
    params: [],
    paramsPresent: false,
    paramLens: [],
    paramKeys: [],
  };
  if (open < 0) return gold;
  const [from, to] = blockRange(text, open);
  const calls = parseLines(text, from, to);
  if (calls === undefined) {
    const err = lastLoadError();
    throw new GroundTruthError('invalid-json', failLine, text.slice(failFrom, failTo), `${err.msg} at char ${err.pos - failFrom}`);
  }
  gold.calls = calls;
  gold.lines = text.slice(from, to).split('\n');
  if (!calls.every((c) => isPyDict(c) && c.has('name'))) return gold;
  const dicts = calls as PyDict[];
  gold.names = dicts.map((c) => c.get('name') as PyValue);
  gold.namesHashable = gold.names.every((v) => v === null || typeof v !== 'object');
  gold.params = dicts.map((c) => c.get('parameters'));
  gold.paramsPresent = gold.params.every((p) => p !== undefined);
  gold.paramLens = gold.params.map((p) => {
    if (typeof p === 'string') return pyLen(p);
    if (Array.isArray(p)) return p.length;
    if (isPyDict(p)) return p.size;
    return -1;
  });
  gold.paramKeys = gold.params.map((p) => (isPyDict(p) ? [...p.keys()] : null));
  return gold;
}

const GOLD_CACHE_SIZE = 4096;
const goldCache = new Map<string, Gold | GroundTruthError>();

/**
 * The parsed ground truth, from a bounded cache keyed by the ground-truth string (GRPO scores G
 * completions against one gold). Throws GroundTruthError where the reference raises.
 */
export function getGold(text: string): Gold {
  let g = goldCache.get(text);
  if (g === undefined) {
    try {
      g = buildGold(text);
    } catch (err) {
      if (!(err instanceof GroundTruthError)) throw err;
      g = err;
    }
    if (goldCache.size >= GOLD_CACHE_SIZE) goldCache.delete(goldCache.keys().next().value as string);
    goldCache.set(text, g);
  }
  if (g instanceof GroundTruthError) {
    throw new GroundTruthError(g.reason, g.line, g.lineText, g.detail); // fresh stack per call
  }
  return g;
}

/**
 * Reject, up front, a ground truth the reward cannot use (for data loaders: report the row and
 * skip it instead of crashing mid-training). Throws GroundTruthError with reason
 *  - 'invalid-json' where toolrlReward itself throws (the reference crashes): a line after the
 *    first <tool_call> that Python's json.loads rejects, e.g. <tool_call> mentioned in <think>;
 *  - 'malformed-call' where the block parses but a call is not {"name": string, "parameters":
 *    object}: toolrlReward scores such rows as the reference does (mostly the minimum for every
 *    completion but an exact copy, where a KeyError/TypeError is raised and caught), which
 *    teaches nothing.
 * A ground truth without <tool_call> (a plain <response>) is valid.
 */
export function checkGroundTruth(groundTruth: string): void {
  if (typeof groundTruth !== 'string') {
    throw new TypeError(`Expected string for groundTruth but received ${String(groundTruth)} of type ${typeof groundTruth}`);
  }
  const gold = getGold(groundTruth);
  if (gold.calls === null) return;
  gold.calls.forEach((c, i) => {
    let problem = '';
    if (!isPyDict(c)) problem = `${pyTypeName(c)} ${describeValue(c)}, not an object`;
    else if (typeof c.get('name') !== 'string') problem = c.has('name') ? '"name" is not a string' : 'no "name"';
    else if (!isPyDict(c.get('parameters') ?? null)) problem = c.has('parameters') ? '"parameters" is not an object' : 'no "parameters"';
    if (problem) {
      const [from, to] = blockRange(groundTruth, groundTruth.indexOf(OPEN));
      throw new GroundTruthError('malformed-call', i + 1, groundTruth.slice(from, to).split('\n')[i], problem);
    }
  });
}
