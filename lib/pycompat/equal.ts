/**
 * Python's `==` over the values json.loads produces (spec/REWARD.md §2, "Equality is Python's").
 *
 *  - numbers compare by exact value across kinds: 1 == 1.0, True == 1, False == 0 == 0.0 == -0.0,
 *    2**53 + 1 != 2.0**53 (no rounding to a double), NaN != anything at the top level;
 *  - "5" != 5, None == None only, lists element by element in order, dicts by key regardless of
 *    order, a list never equals a dict.
 *
 * NaN and identity — the one place where Python's `==` is not pure value equality:
 * list/dict comparison, `in` and dict lookups compare elements with PyObject_RichCompareBool,
 * which returns True for the *same object* before calling `==`. Python's json returns one shared
 * float object for every `NaN` literal (json.decoder.NaN, from `parse_constant`), in every call,
 * so for json-derived values:
 *     json.loads('NaN') == json.loads('NaN')          -> False   (top-level ==)
 *     json.loads('[NaN]') == json.loads('[NaN]')      -> True    (same object inside a list)
 *     json.loads('{"x": NaN}') == json.loads('{"x": NaN}') -> True
 * pyEq models exactly that: top-level NaN is unequal to itself, NaN inside a list or dict is equal
 * to NaN (pyEqItem). This is what the reference reward sees: `gt_tools == pd_tools` holds with
 * NaN arguments, while the per-key check `pd_params[k] == v` fails for a top-level NaN value.
 * (Values built by other means — e.g. float('nan') twice — would be distinct objects; PyValue
 * has no identity, so this module assumes json's shared NaN.)
 */
import type { PyDict, PyValue } from './value';

/** Exact comparison of an int with a float (CPython float_richcompare). */
function intEqFloat(i: bigint, f: number): boolean {
  if (!Number.isInteger(f)) return false; // NaN, ±Infinity, and non-integral floats
  if (f >= -9007199254740991 && f <= 9007199254740991) {
    return i >= -9007199254740991n && i <= 9007199254740991n && Number(i) === f;
  }
  return i === BigInt(f); // exact for any integral double
}

/** Python's `a == b` for json-derived values (see the file header for NaN). */
export function pyEq(a: PyValue, b: PyValue): boolean {
  if (a === b) return a === a; // identical primitives (NaN === NaN is false anyway) or same object
  const ta = typeof a;
  const tb = typeof b;
  // Numbers: bool, int, float compare by value across kinds.
  if (ta === 'number') {
    if (tb === 'number') return false; // a === b failed
    if (tb === 'bigint') return intEqFloat(b as bigint, a as number);
    if (tb === 'boolean') return (a as number) === (b ? 1 : 0);
    return false;
  }
  if (ta === 'bigint') {
    if (tb === 'bigint') return a === b;
    if (tb === 'number') return intEqFloat(a as bigint, b as number);
    if (tb === 'boolean') return (a as bigint) === (b ? 1n : 0n);
    return false;
  }
  if (ta === 'boolean') {
    if (tb === 'number') return (b as number) === (a ? 1 : 0);
    if (tb === 'bigint') return (b as bigint) === (a ? 1n : 0n);
    return false; // booleans: a === b handled above
  }
  if (ta === 'string' || a === null || b === null || tb !== 'object') return false;
  if (Array.isArray(a)) return Array.isArray(b) && pyListEq(a, b);
  if (Array.isArray(b)) return false;
  return pyDictEq(a as PyDict, b as PyDict);
}

/**
 * Python's PyObject_RichCompareBool(a, b, Py_EQ): identity first, then `==`. Used for elements of
 * lists and values of dicts, for `x in list` and for Counter keys. With json-derived values the
 * only identity that `==` would deny is the shared NaN object, so NaN equals NaN here.
 */
export function pyEqItem(a: PyValue, b: PyValue): boolean {
  if (typeof a === 'number' && typeof b === 'number') return a === b || (a !== a && b !== b);
  return pyEq(a, b);
}

/** Python's `list == list`: same length, elements equal in order (identity first). */
export function pyListEq(a: readonly PyValue[], b: readonly PyValue[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!pyEqItem(a[i], b[i])) return false;
  return true;
}

/** Python's `dict == dict`: same keys, values equal (identity first), order irrelevant. */
export function pyDictEq(a: PyDict, b: PyDict): boolean {
  if (a.size !== b.size) return false;
  for (const [k, v] of a) {
    const w = b.get(k);
    if (w === undefined || !pyEqItem(v, w)) return false;
  }
  return true;
}

/**
 * A string that is equal for two hashable Python values exactly when Python's dict/Counter would
 * treat them as the same key (hash equal and RichCompareBool equal): 1, 1.0 and True share a key,
 * "1" does not, NaN (json's one shared object) has one key. Returns undefined for unhashable
 * values (list, dict), where Python raises TypeError: unhashable type.
 */
export function pyHashKey(v: PyValue): string | undefined {
  switch (typeof v) {
    case 'string':
      return `s${v}`;
    case 'bigint':
      return `n${v}`;
    case 'boolean':
      return v ? 'n1' : 'n0';
    case 'number':
      if (Number.isInteger(v)) return `n${BigInt(v)}`; // -0.0 -> n0, 1e300 -> its exact integer
      if (v !== v) return 'nan';
      return `f${v}`; // non-integral or infinite: JS shortest repr is unique per double
    default:
      return v === null ? 'None' : undefined;
  }
}
