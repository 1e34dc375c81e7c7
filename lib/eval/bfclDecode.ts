/**
 * The ToolRL harness decoder (`decode_ast` of benchmarks/BFCL/rlla_qwen.py, spec/BFCL.md §7):
 * model text → `[{name: parameters}, ...]`, the shape BFCL's checker reads.
 *
 *  - no `<tool_call>` in the text → `[]`;
 *  - otherwise the text after the LAST `<tool_call>`, up to the next `</tool_call>` (or the end),
 *    Python-stripped, split on "\n" only;
 *  - each line goes through Python's json.loads; a line that fails, is not a dict, has no `name`
 *    or `parameters`, has a non-string name, or a name that is "none" after strip+lower is
 *    silently skipped (the Python code wraps it all in a bare `except: continue`);
 *  - so a pretty-printed multi-line call decodes to `[]`, and the decoder never raises.
 * `parameters` is taken as it is (any JSON value); the format check downstream rejects non-dicts.
 */
import { fromJS, pyLoads, pyLower, pyStrip, toJS, tryPyLoads, type PyValue } from '../pycompat';
import { invalidType } from './args';

const OPEN = '<tool_call>';
const CLOSE = '</tool_call>';

/** `text.split("<tool_call>")[-1].split("</tool_call>")[0]`, or null when there is no `<tool_call>`. */
export function lastToolCallBlock(text: string): string | null {
  const start = text.lastIndexOf(OPEN);
  if (start < 0) return null;
  const from = start + OPEN.length;
  const end = text.indexOf(CLOSE, from);
  return end < 0 ? text.slice(from) : text.slice(from, end);
}

/** The lines of the last tool-call block parsed by json.loads; lines Python cannot load are left out. */
export function toolCallBlockValues(text: string): PyValue[] {
  const block = lastToolCallBlock(text);
  if (block === null) return [];
  const out: PyValue[] = [];
  for (const line of pyStrip(block).split('\n')) {
    const v = tryPyLoads(line);
    if (v !== undefined) out.push(v);
  }
  return out;
}

/** bfclDecode with Python values (ints as bigint, floats as number, dicts as Map): what the checker reads. */
export function bfclDecodePy(text: string): PyValue[] {
  if (typeof text !== 'string') {
    throw invalidType('a string (the model output)', 'text', text);
  }
  const out: PyValue[] = [];
  for (const call of toolCallBlockValues(text)) {
    if (!(call instanceof Map)) continue; // tool_call["name"] on a non-dict raises
    const name = call.get('name');
    if (typeof name !== 'string') continue; // missing → KeyError; non-str has no .strip()
    if (pyLower(pyStrip(name)) === 'none') continue;
    if (!call.has('parameters')) continue;
    out.push(new Map([[name, call.get('parameters') as PyValue]]));
  }
  return out;
}

/**
 * Plain JS values lose Python's number kinds (5.0 reads back as 5). bfclDecode returns plain
 * values for callers, frozen, and remembers the exact Python value here, so that handing its
 * result to bfclCheck checks what the model really wrote.
 */
const exactValues = new WeakMap<object, PyValue>();

function deepFreeze<T>(v: T): T {
  if (v !== null && typeof v === 'object') {
    for (const x of Object.values(v as object)) deepFreeze(x);
    Object.freeze(v);
  }
  return v;
}

/**
 * The ToolRL harness decoder (spec §7): `[{ funcName: { arg: value } }, ...]` as plain, frozen
 * JS values (dicts as objects, ints within 2^53 as numbers). Never throws for a string; throws a
 * TypeError for anything else. Passing the result to bfclCheck keeps 5 and 5.0 apart.
 */
export function bfclDecode(text: string): unknown {
  const py = bfclDecodePy(text);
  const js = deepFreeze(toJS(py)) as object;
  exactValues.set(js, py);
  return js;
}

/**
 * Any form of "decoded calls" as a Python value: a bfclDecode result (exact), JSON text (parsed
 * with Python's json.loads rules, so 5.0 stays a float), or plain JS values (integral numbers are
 * ints). Throws PyJSONDecodeError for bad JSON text and TypeError for non-JSON-like values.
 */
export function decodedToPy(decoded: unknown, name = 'decoded'): PyValue {
  if (decoded !== null && typeof decoded === 'object') {
    const exact = exactValues.get(decoded);
    if (exact !== undefined) return exact;
  }
  if (typeof decoded === 'string') return pyLoads(decoded);
  return fromJS(decoded, name);
}
