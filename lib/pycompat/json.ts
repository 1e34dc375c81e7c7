/**
 * Python's `json.loads` and `json.dumps`, exactly (CPython 3.11's C scanner, Lib/json/*.py).
 *
 * Why not JSON.parse: it rejects NaN/Infinity/-Infinity (Python accepts them), turns every number
 * into a double (Python keeps `1` an int, `1.0` a float, and ints of any size exact) and builds
 * plain objects that reorder integer-like keys. The reward (spec/REWARD.md §2) compares gold and
 * predicted calls with Python's `==`, so each of those differences changes scores.
 *
 * What pyLoads accepts and rejects, as Python does (verified against python3 -c 'import json…'):
 *  - white space between tokens: only ' ', \t, \n, \r (not \x0b, \x0c, \xa0, \ufeff);
 *  - a leading \ufeff: "Unexpected UTF-8 BOM";
 *  - numbers: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)? with ASCII digits; '.' or an exponent
 *    makes a float, otherwise an int; '1.' and '01' parse '1'/'0' then fail on the rest; an int
 *    literal of more than 4300 digits fails (Python 3.11's int_max_str_digits);
 *  - NaN, Infinity, -Infinity (not -NaN, not +1);
 *  - strings: control characters U+0000-U+001F rejected (strict=True), escapes \" \\ \/ \b \f \n
 *    \r \t \uXXXX; lone surrogates kept; a surrogate pair escape yields the same UTF-16 units;
 *  - objects: keys must be strings; duplicate keys: the last value wins at the first key's place;
 *  - nesting deeper than PY_MAX_DEPTH: Python raises RecursionError near depth 1000 (the exact
 *    depth depends on its call stack); we raise PyRecursionError at the same nominal depth.
 * Positions (`pos`) count UTF-16 code units where Python counts code points.
 */
import { pyFloatRepr } from './str';
import type { PyDict, PyValue } from './value';

/** Python's json.JSONDecodeError: msg, pos, lineno, colno, and Python's message format. */
export class PyJSONDecodeError extends SyntaxError {
  readonly msg: string;
  readonly pos: number;
  readonly lineno: number;
  readonly colno: number;
  constructor(msg: string, doc: string, pos: number) {
    let lineno = 1;
    let lastNl = -1;
    for (let i = doc.indexOf('\n'); i !== -1 && i < pos; i = doc.indexOf('\n', i + 1)) {
      lineno++;
      lastNl = i;
    }
    const colno = pos - lastNl;
    super(`${msg}: line ${lineno} column ${colno} (char ${pos})`);
    this.name = 'PyJSONDecodeError';
    this.msg = msg;
    this.pos = pos;
    this.lineno = lineno;
    this.colno = colno;
  }
}

/** Python's RecursionError while decoding deeply nested arrays/objects. */
export class PyRecursionError extends RangeError {
  constructor(what: string) {
    super(`maximum recursion depth exceeded while decoding a JSON ${what} from a unicode string`);
    this.name = 'PyRecursionError';
  }
}

/** Nesting depth at which Python's json.loads, called from a shallow stack, hits RecursionError. */
export const PY_MAX_DEPTH = 990;

/** Python 3.11's default sys.get_int_max_str_digits(): longer int literals raise ValueError. */
export const PY_INT_MAX_STR_DIGITS = 4300;

// ---------------------------------------------------------------------------------------------
// Scanner. Module-level state keeps the hot path free of closures and allocations; every
// function returns `undefined` on failure (undefined is not a PyValue) and records why in
// errMsg/errPos, so the reward can reject a malformed line without the cost of an exception.

let src = '';
let end = 0;
let pos = 0;
let depth = 0;
let errMsg = '';
let errPos = 0;
let errKind: 'decode' | 'recursion' | 'int-digits' = 'decode';

function fail(msg: string, at: number): undefined {
  errMsg = msg;
  errPos = at;
  errKind = 'decode';
  return undefined;
}

function skipWs(i: number): number {
  while (i < end) {
    const c = src.charCodeAt(i);
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) break;
    i++;
  }
  return i;
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

function hexVal(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  return -1;
}

/** String starting after the opening quote at `pos`; on success pos is past the closing quote. */
function scanString(): string | undefined {
  const begin = pos - 1;
  let i = pos;
  // Fast path: no escapes.
  for (; i < end; i++) {
    const c = src.charCodeAt(i);
    if (c === 0x22) {
      pos = i + 1;
      return src.slice(begin + 1, i);
    }
    if (c === 0x5c) break;
    if (c < 0x20) return fail('Invalid control character at', i);
  }
  if (i >= end) return fail('Unterminated string starting at', begin);
  let out = src.slice(begin + 1, i);
  let chunk = i;
  while (true) {
    // src[i] is '"' or '\\' here, or i is the end
    if (i >= end) return fail('Unterminated string starting at', begin);
    const c = src.charCodeAt(i);
    if (c === 0x22) {
      out += src.slice(chunk, i);
      pos = i + 1;
      return out;
    }
    // backslash
    out += src.slice(chunk, i);
    if (i + 1 >= end) return fail('Unterminated string starting at', begin);
    const e = src.charCodeAt(i + 1);
    if (e !== 0x75) {
      let ch: string;
      switch (e) {
        case 0x22: ch = '"'; break;
        case 0x5c: ch = '\\'; break;
        case 0x2f: ch = '/'; break;
        case 0x62: ch = '\b'; break;
        case 0x66: ch = '\f'; break;
        case 0x6e: ch = '\n'; break;
        case 0x72: ch = '\r'; break;
        case 0x74: ch = '\t'; break;
        default: return fail('Invalid \\escape', i);
      }
      out += ch;
      i += 2;
    } else {
      // \uXXXX: CPython requires a character after the four hex digits (`end >= len` check).
      if (i + 6 >= end) return fail('Invalid \\uXXXX escape', i + 1);
      let u = 0;
      for (let k = i + 2; k < i + 6; k++) {
        const h = hexVal(src.charCodeAt(k));
        if (h < 0) return fail('Invalid \\uXXXX escape', i + 1);
        u = (u << 4) | h;
      }
      // A high surrogate followed by a \uXXXX low surrogate is joined by Python into one code
      // point: the same two UTF-16 units as appending each. A following "\u" with bad hex fails
      // in Python too (it tries to read the pair), and so does our next round.
      out += String.fromCharCode(u);
      i += 6;
    }
    chunk = i;
    for (; i < end; i++) {
      const d = src.charCodeAt(i);
      if (d === 0x22 || d === 0x5c) break;
      if (d < 0x20) return fail('Invalid control character at', i);
    }
  }
}

const SMALL_INTS: bigint[] = [];
for (let k = 0; k <= 256; k++) SMALL_INTS.push(BigInt(k));

/** Number at pos (first char is '-' or a digit). */
function scanNumber(): PyValue | undefined {
  const start = pos;
  let i = pos;
  if (src.charCodeAt(i) === 0x2d) {
    i++;
    if (i >= end) return fail('Expecting value', start);
  }
  let c = src.charCodeAt(i);
  if (c >= 0x31 && c <= 0x39) {
    i++;
    while (i < end && isDigit(src.charCodeAt(i))) i++;
  } else if (c === 0x30) {
    i++;
  } else {
    return fail('Expecting value', start);
  }
  const intEnd = i;
  let isFloat = false;
  if (i + 1 < end && src.charCodeAt(i) === 0x2e && isDigit(src.charCodeAt(i + 1))) {
    isFloat = true;
    i += 2;
    while (i < end && isDigit(src.charCodeAt(i))) i++;
  }
  if (i < end) {
    c = src.charCodeAt(i);
    if (c === 0x65 || c === 0x45) {
      let j = i + 1;
      if (j < end) {
        const s = src.charCodeAt(j);
        if (s === 0x2d || s === 0x2b) j++;
      }
      const digitsStart = j;
      while (j < end && isDigit(src.charCodeAt(j))) j++;
      if (j > digitsStart) {
        isFloat = true;
        i = j;
      }
    }
  }
  pos = i;
  if (isFloat) return Number(src.slice(start, i));
  const neg = src.charCodeAt(start) === 0x2d;
  const nDigits = intEnd - start - (neg ? 1 : 0);
  if (nDigits <= 15) {
    let v = 0;
    for (let k = neg ? start + 1 : start; k < intEnd; k++) v = v * 10 + (src.charCodeAt(k) - 0x30);
    if (!neg && v <= 256) return SMALL_INTS[v];
    return BigInt(neg ? -v : v);
  }
  if (nDigits > PY_INT_MAX_STR_DIGITS) {
    errMsg = `Exceeds the limit (${PY_INT_MAX_STR_DIGITS} digits) for integer string conversion: value has ${nDigits} digits; use sys.set_int_max_str_digits() to increase the limit`;
    errPos = start;
    errKind = 'int-digits';
    return undefined;
  }
  return BigInt(src.slice(start, intEnd));
}

function matchWord(word: string, at: number): boolean {
  return at + word.length <= end && src.startsWith(word, at);
}

/** One value at pos (no leading white space skipped, as CPython's scan_once). */
function scanValue(): PyValue | undefined {
  if (pos >= end) return fail('Expecting value', pos);
  const c = src.charCodeAt(pos);
  switch (c) {
    case 0x22: // "
      pos++;
      return scanString();
    case 0x7b: // {
      return scanObject();
    case 0x5b: // [
      return scanArray();
    case 0x6e: // n
      if (matchWord('null', pos)) {
        pos += 4;
        return null;
      }
      return fail('Expecting value', pos);
    case 0x74: // t
      if (matchWord('true', pos)) {
        pos += 4;
        return true;
      }
      return fail('Expecting value', pos);
    case 0x66: // f
      if (matchWord('false', pos)) {
        pos += 5;
        return false;
      }
      return fail('Expecting value', pos);
    case 0x4e: // N
      if (matchWord('NaN', pos)) {
        pos += 3;
        return NaN;
      }
      return fail('Expecting value', pos);
    case 0x49: // I
      if (matchWord('Infinity', pos)) {
        pos += 8;
        return Infinity;
      }
      return fail('Expecting value', pos);
    case 0x2d: // -
      if (pos + 1 < end && src.charCodeAt(pos + 1) === 0x49 && matchWord('-Infinity', pos)) {
        pos += 9;
        return -Infinity;
      }
      return scanNumber();
    default:
      if (c >= 0x30 && c <= 0x39) return scanNumber();
      return fail('Expecting value', pos);
  }
}

function enter(what: string): boolean {
  if (++depth > PY_MAX_DEPTH) {
    errMsg = new PyRecursionError(what).message;
    errPos = pos;
    errKind = 'recursion';
    return false;
  }
  return true;
}

function scanObject(): PyDict | undefined {
  if (!enter('object')) return undefined;
  const obj: PyDict = new Map();
  let i = skipWs(pos + 1);
  if (i < end && src.charCodeAt(i) === 0x7d) {
    pos = i + 1;
    depth--;
    return obj;
  }
  while (true) {
    if (i >= end || src.charCodeAt(i) !== 0x22) return fail('Expecting property name enclosed in double quotes', i);
    pos = i + 1;
    const key = scanString();
    if (key === undefined) return undefined;
    i = skipWs(pos);
    if (i >= end || src.charCodeAt(i) !== 0x3a) return fail("Expecting ':' delimiter", i);
    pos = skipWs(i + 1);
    const v = scanValue();
    if (v === undefined) return undefined;
    obj.set(key, v); // duplicate key: last value wins, first position kept (Python dict)
    i = skipWs(pos);
    if (i < end) {
      const c = src.charCodeAt(i);
      if (c === 0x7d) {
        pos = i + 1;
        depth--;
        return obj;
      }
      if (c === 0x2c) {
        i = skipWs(i + 1);
        continue;
      }
    }
    return fail("Expecting ',' delimiter", i);
  }
}

function scanArray(): PyValue[] | undefined {
  if (!enter('array')) return undefined;
  const arr: PyValue[] = [];
  let i = skipWs(pos + 1);
  if (i < end && src.charCodeAt(i) === 0x5d) {
    pos = i + 1;
    depth--;
    return arr;
  }
  while (true) {
    pos = i;
    const v = scanValue();
    if (v === undefined) return undefined;
    arr.push(v);
    i = skipWs(pos);
    if (i < end) {
      const c = src.charCodeAt(i);
      if (c === 0x5d) {
        pos = i + 1;
        depth--;
        return arr;
      }
      if (c === 0x2c) {
        i = skipWs(i + 1);
        continue;
      }
    }
    return fail("Expecting ',' delimiter", i);
  }
}

/**
 * `json.loads(text[from:to])` without slicing; `undefined` when Python would raise (the reason is
 * then available from lastLoadError()). The reward's hot path uses this: no exceptions.
 */
export function tryPyLoadsRange(text: string, from: number, to: number): PyValue | undefined {
  src = text;
  end = to;
  depth = 0;
  if (from < to && text.charCodeAt(from) === 0xfeff) return fail('Unexpected UTF-8 BOM (decode using utf-8-sig)', from);
  pos = skipWs(from);
  const v = scanValue();
  if (v === undefined) return undefined;
  const after = skipWs(pos);
  if (after !== to) return fail('Extra data', after);
  return v;
}

/** `json.loads(text)`, or undefined where Python raises. */
export function tryPyLoads(text: string): PyValue | undefined {
  return tryPyLoadsRange(text, 0, text.length);
}

/** Why the last tryPyLoads/tryPyLoadsRange returned undefined. */
export function lastLoadError(): { kind: 'decode' | 'recursion' | 'int-digits'; msg: string; pos: number } {
  return { kind: errKind, msg: errMsg, pos: errPos };
}

/**
 * Python's `json.loads(text)`. Throws PyJSONDecodeError where Python raises JSONDecodeError,
 * PyRecursionError where it raises RecursionError, and RangeError where it raises ValueError
 * (int literal over 4300 digits).
 */
export function pyLoads(text: string): PyValue {
  if (typeof text !== 'string') {
    throw new TypeError(`Expected string for text but received ${String(text)} of type ${typeof text}`);
  }
  const v = tryPyLoadsRange(text, 0, text.length);
  src = ''; // drop the reference to a possibly large text
  if (v !== undefined) return v;
  if (errKind === 'recursion') throw new PyRecursionError(errMsg.includes('object') ? 'object' : 'array');
  if (errKind === 'int-digits') throw new RangeError(errMsg);
  throw new PyJSONDecodeError(errMsg, text, errPos);
}

// ---------------------------------------------------------------------------------------------
// Encoder

export interface PyDumpsOptions {
  /** json.dumps(indent=...): null/undefined for one line; a number of spaces or a string. */
  indent?: number | string | null;
  /** json.dumps(ensure_ascii=...), default true: non-ASCII (and \x7f) as \uXXXX escapes. */
  ensureAscii?: boolean;
  /** json.dumps(separators=...): default [', ', ': '], or [',', ': '] when indent is given. */
  separators?: [string, string];
}

function hex4(c: number): string {
  return `\\u${c.toString(16).padStart(4, '0')}`;
}

const SHORT_ESCAPES: Record<number, string> = { 0x22: '\\"', 0x5c: '\\\\', 0x0a: '\\n', 0x0d: '\\r', 0x09: '\\t', 0x08: '\\b', 0x0c: '\\f' };

/** Python's encode_basestring(_ascii): ensure_ascii escapes everything outside ' '..'~'. */
function encodeString(s: string, ascii: boolean): string {
  let out = '"';
  let chunk = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const plain = ascii ? c >= 0x20 && c <= 0x7e && c !== 0x22 && c !== 0x5c : c >= 0x20 && c !== 0x22 && c !== 0x5c;
    if (plain) continue;
    out += s.slice(chunk, i) + (SHORT_ESCAPES[c] ?? hex4(c));
    chunk = i + 1;
  }
  return `${out + s.slice(chunk)}"`;
}

/** Python's float.__repr__ as json.dumps writes it (allow_nan=True: NaN, Infinity, -Infinity). */
function encodeFloat(x: number): string {
  if (x !== x) return 'NaN';
  if (x === Infinity) return 'Infinity';
  if (x === -Infinity) return '-Infinity';
  return pyFloatRepr(x);
}

/**
 * Python's `json.dumps(v)` with its defaults (ensure_ascii=True, separators ', ' and ': ',
 * allow_nan=True, insertion order): `pyDumps(pyLoads('{"a": 1.0}'))` is '{"a": 1.0}'.
 */
export function pyDumps(v: PyValue, opts: PyDumpsOptions = {}): string {
  const ascii = opts.ensureAscii ?? true;
  const indentOpt = opts.indent ?? null;
  const indent = indentOpt === null ? null : typeof indentOpt === 'number' ? ' '.repeat(Math.max(0, indentOpt)) : indentOpt;
  const [itemSep, keySep] = opts.separators ?? (indent === null ? [', ', ': '] : [',', ': ']);
  const seen = new Set<object>();

  const enc = (x: PyValue, level: number): string => {
    switch (typeof x) {
      case 'string':
        return encodeString(x, ascii);
      case 'bigint':
        return x.toString();
      case 'number':
        return encodeFloat(x);
      case 'boolean':
        return x ? 'true' : 'false';
      default:
        break;
    }
    if (x === null) return 'null';
    if (seen.has(x)) throw new RangeError('Circular reference detected');
    const isList = Array.isArray(x);
    const size = isList ? x.length : x.size;
    if (size === 0) return isList ? '[]' : '{}';
    seen.add(x);
    const nl = indent === null ? '' : `\n${indent.repeat(level + 1)}`;
    const sep = indent === null ? itemSep : itemSep + nl;
    const parts: string[] = [];
    if (isList) for (const item of x) parts.push(enc(item, level + 1));
    else for (const [k, item] of x) parts.push(encodeString(k, ascii) + keySep + enc(item, level + 1));
    seen.delete(x);
    const close = indent === null ? '' : `\n${indent.repeat(level)}`;
    return (isList ? '[' : '{') + nl + parts.join(sep) + close + (isList ? ']' : '}');
  };
  return enc(v, 0);
}
