/**
 * Python values as JavaScript sees them: the data model shared by the reward (spec/REWARD.md §2)
 * and the BFCL checker, which must both score the way the reference Python code does.
 *
 * Why not plain JS values: Python's json keeps `1` (int) apart from `1.0` (float), keeps integers
 * of any size exact, and keeps dict keys in the order written, integer-like keys included. A plain
 * JS object reorders "1", "0" keys before the others and a JS number loses integers beyond 2^53, so:
 *
 *   Python     JS
 *   None       null
 *   bool       boolean
 *   int        bigint   (any size, exact)
 *   float      number   (NaN and ±Infinity included)
 *   str        string   (UTF-16; Python counts code points, see pyLen in ./str)
 *   list       PyValue[]
 *   dict       Map<string, PyValue>   (JSON keys are always strings; Map keeps insertion order)
 */

/** A Python dict with string keys; iteration order is insertion order, as in Python 3.7+. */
export type PyDict = Map<string, PyValue>;

/** A value Python's json module can produce (see the table in this file's header). */
export type PyValue = null | boolean | bigint | number | string | PyValue[] | PyDict;

/** Python's `type(v).__name__` for the values json produces. */
export function pyTypeName(v: PyValue): 'NoneType' | 'bool' | 'int' | 'float' | 'str' | 'list' | 'dict' {
  switch (typeof v) {
    case 'boolean':
      return 'bool';
    case 'bigint':
      return 'int';
    case 'number':
      return 'float';
    case 'string':
      return 'str';
    default:
      if (v === null) return 'NoneType';
      return Array.isArray(v) ? 'list' : 'dict';
  }
}

/** True for a Python dict (a Map), the only mapping type PyValue has. */
export function isPyDict(v: PyValue | undefined): v is PyDict {
  return v instanceof Map;
}

function describe(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'bigint') return `${v}n`;
  if (typeof v === 'function') return `[function ${(v as { name?: string }).name || 'anonymous'}]`;
  if (typeof v === 'symbol') return v.toString();
  if (v !== null && typeof v === 'object') return Object.prototype.toString.call(v);
  return String(v);
}

/**
 * A plain JS value as a Python value: integer-valued numbers become int (bigint), other numbers
 * float, arrays lists, Maps and plain objects dicts (object key order as JS enumerates it, which
 * puts integer-like keys first: pass a Map when key order matters). -0 becomes int 0.
 * Throws TypeError for undefined, functions, symbols, non-string Map keys and other objects.
 */
export function fromJS(v: unknown, name = 'value'): PyValue {
  switch (typeof v) {
    case 'boolean':
    case 'bigint':
    case 'string':
      return v;
    case 'number':
      return Number.isInteger(v) ? BigInt(v) : v;
    case 'object': {
      if (v === null) return null;
      if (Array.isArray(v)) return v.map((x, i) => fromJS(x, `${name}[${i}]`));
      if (v instanceof Map) {
        const out: PyDict = new Map();
        for (const [k, x] of v) {
          if (typeof k !== 'string') {
            throw new TypeError(`Expected string key for ${name} but received ${describe(k)} of type ${typeof k}`);
          }
          out.set(k, fromJS(x, `${name}.${k}`));
        }
        return out;
      }
      const proto = Object.getPrototypeOf(v);
      if (proto === Object.prototype || proto === null) {
        const out: PyDict = new Map();
        for (const k of Object.keys(v)) out.set(k, fromJS((v as Record<string, unknown>)[k], `${name}.${k}`));
        return out;
      }
      break;
    }
    default:
      break;
  }
  throw new TypeError(`Expected JSON-like value for ${name} but received ${describe(v)} of type ${typeof v}`);
}

/**
 * A Python value as plain JS: ints within ±(2^53 - 1) become numbers, larger ones stay bigint;
 * dicts become plain objects (integer-like keys will enumerate first: JS object semantics).
 */
export function toJS(v: PyValue): unknown {
  switch (typeof v) {
    case 'bigint':
      return v >= -9007199254740991n && v <= 9007199254740991n ? Number(v) : v;
    case 'object': {
      if (v === null) return null;
      if (Array.isArray(v)) return v.map(toJS);
      const out: Record<string, unknown> = {};
      for (const [k, x] of v) {
        // defineProperty, not assignment: a "__proto__" key must stay a key, not a prototype.
        Object.defineProperty(out, k, { value: toJS(x), enumerable: true, writable: true, configurable: true });
      }
      return out;
    }
    default:
      return v;
  }
}
