/**
 * The few Python operations the BFCL checker (./bfclChecker) performs on json-derived values,
 * with Python's results — including the places where Python raises instead of answering.
 *
 * Why: the official checker (spec/BFCL.md §2–§5) is plain Python over `json.loads` output. Its
 * `in`, `len()`, `for x in v` and `v[k]` behave differently per type (`"" in "abc"` is a substring
 * test and True; `len("ab")` counts code points; `for k in {...}` walks keys), and on malformed
 * data it raises (KeyError, TypeError, IndexError) where the official runner then crashes. Values
 * come from lib/pycompat (int = bigint, float = number, dict = Map, see its value.ts).
 *
 * A raise becomes a `PyRaise` here; bfclCheck turns it into an invalid verdict with error type
 * `ast_checker:exception` (the official runner has no verdict for it: it stops), so one bad entry
 * never aborts a run.
 */
import { isPyDict, pyEqItem, pyFloatRepr, pyHashKey, pyLen, pyTypeName, type PyValue } from '../pycompat';

/** Where the official Python checker would raise; `pyType` is the Python exception class. */
export class PyRaise extends Error {
  constructor(
    readonly pyType: 'KeyError' | 'TypeError' | 'IndexError' | 'AttributeError' | 'OverflowError' | 'ValueError',
    message: string,
  ) {
    super(`${pyType}: ${message}`);
    this.name = 'PyRaise';
  }
}

/** Python's `repr(v)` for json-derived values, for error messages (as the official ones print). */
export function pyRepr(v: PyValue): string {
  switch (typeof v) {
    case 'boolean':
      return v ? 'True' : 'False';
    case 'bigint':
      return v.toString();
    case 'number':
      return pyFloatRepr(v);
    case 'string':
      return reprStr(v);
    default:
      if (v === null) return 'None';
      if (Array.isArray(v)) return `[${v.map(pyRepr).join(', ')}]`;
      return `{${[...v].map(([k, x]) => `${reprStr(k)}: ${pyRepr(x)}`).join(', ')}}`;
  }
}

/** Python's str repr: single quotes unless the text has ' and no ", common escapes. */
function reprStr(s: string): string {
  const q = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = q;
  for (const ch of s) {
    const c = ch.codePointAt(0) as number;
    if (ch === q || ch === '\\') out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (c < 0x20 || c === 0x7f) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return out + q;
}

/** Python's `type(v).__name__`. */
export const pyType = pyTypeName;

/** `for x in v`: list items, str code points, dict keys; other types raise TypeError. */
export function pyIter(v: PyValue): PyValue[] {
  if (Array.isArray(v)) return v;
  if (typeof v === 'string') return Array.from(v);
  if (isPyDict(v)) return [...v.keys()];
  throw new PyRaise('TypeError', `'${pyType(v)}' object is not iterable`);
}

/** `len(v)`: list, str (code points) and dict; other types raise TypeError. */
export function pyLenOf(v: PyValue): number {
  if (Array.isArray(v)) return v.length;
  if (typeof v === 'string') return pyLen(v);
  if (isPyDict(v)) return v.size;
  throw new PyRaise('TypeError', `object of type '${pyType(v)}' has no len()`);
}

/**
 * `x in container`: list membership with identity-then-`==` (pycompat pyEqItem), substring test
 * for str, key lookup for dict (only str keys exist in json dicts; an unhashable x raises).
 */
export function pyIn(x: PyValue, container: PyValue): boolean {
  if (Array.isArray(container)) {
    for (const item of container) if (pyEqItem(x, item)) return true;
    return false;
  }
  if (typeof container === 'string') {
    if (typeof x !== 'string') throw new PyRaise('TypeError', `'in <string>' requires string as left operand, not ${pyType(x)}`);
    return container.includes(x);
  }
  if (isPyDict(container)) {
    if (pyHashKey(x) === undefined) throw new PyRaise('TypeError', `unhashable type: '${pyType(x)}'`);
    return typeof x === 'string' && container.has(x);
  }
  throw new PyRaise('TypeError', `argument of type '${pyType(container)}' is not iterable`);
}

/** `container[key]` for a dict (KeyError when absent; other containers raise TypeError). */
export function pyGetKey(container: PyValue, key: string): PyValue {
  if (isPyDict(container)) {
    const v = container.get(key);
    if (v === undefined) throw new PyRaise('KeyError', reprStr(key));
    return v;
  }
  if (container === null) throw new PyRaise('TypeError', "'NoneType' object is not subscriptable");
  if (Array.isArray(container) || typeof container === 'string') {
    throw new PyRaise('TypeError', `${pyType(container)} indices must be integers or slices, not str`);
  }
  throw new PyRaise('TypeError', `'${pyType(container)}' object is not subscriptable`);
}

/** `container[i]` for a list or str (IndexError past the end; a dict looks up int key i: KeyError). */
export function pyGetIndex(container: PyValue, i: number): PyValue {
  if (Array.isArray(container) || typeof container === 'string') {
    const items = Array.isArray(container) ? container : Array.from(container);
    if (i >= items.length) throw new PyRaise('IndexError', `${pyType(container)} index out of range`);
    return items[i];
  }
  if (isPyDict(container)) throw new PyRaise('KeyError', String(i));
  throw new PyRaise('TypeError', `'${pyType(container)}' object is not subscriptable`);
}

/** `d.items()` / `d.keys()` receiver check: only a dict has them (AttributeError otherwise). */
export function pyDictOrRaise(v: PyValue, method: 'items' | 'keys' | 'values'): Map<string, PyValue> {
  if (isPyDict(v)) return v;
  throw new PyRaise('AttributeError', `'${pyType(v)}' object has no attribute '${method}'`);
}
