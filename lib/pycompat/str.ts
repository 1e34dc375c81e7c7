/**
 * Python's str methods where the reference reward relies on them (spec/REWARD.md: Inputs, §3), and
 * float formatting/rounding the way CPython does it.
 *
 * Porting traps this file exists for:
 *  - White space. Python's `str.strip()`/`str.split()` use Py_UNICODE_ISSPACE, which includes
 *    \x1c-\x1f (file/group/record/unit separators) and \x85 (NEL) — JS `trim()` and `\s` do not —
 *    and excludes \ufeff (BOM), which JS `trim()` and `\s` include. The set below was read off
 *    CPython 3.11 (`[c for c in range(0x110000) if chr(c).isspace()]`).
 *  - Rounding. `round(x, 2)` rounds the exact binary value half-to-even (round(0.125, 2) == 0.12);
 *    `Math.round(x * 100) / 100` and `toFixed` round ties away from zero.
 */

// ---------------------------------------------------------------------------------------------
// White space

/** 1 where a code unit < 128 is Python white space: \t \n \x0b \x0c \r, \x1c-\x1f, space. */
const ASCII_SPACE = new Uint8Array(128);
for (const c of [0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x1c, 0x1d, 0x1e, 0x1f, 0x20]) ASCII_SPACE[c] = 1;

/** Python's `chr(c).isspace()` for a UTF-16 code unit (every Python space is in the BMP). */
export function pyIsSpaceCode(c: number): boolean {
  if (c < 128) return ASCII_SPACE[c] === 1;
  if (c < 0x1680) return c === 0x85 || c === 0xa0;
  if (c < 0x2000) return c === 0x1680;
  if (c <= 0x200a) return true;
  return c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000;
}

/** Index of the first non-space code unit of s[from, to), or `to`. */
export function pySkipSpace(s: string, from: number, to: number): number {
  while (from < to && pyIsSpaceCode(s.charCodeAt(from))) from++;
  return from;
}

/** One past the last non-space code unit of s[from, to), or `from`. */
export function pySkipSpaceBack(s: string, from: number, to: number): number {
  while (to > from && pyIsSpaceCode(s.charCodeAt(to - 1))) to--;
  return to;
}

/** Python's `s.strip()` with no argument. */
export function pyStrip(s: string): string {
  const a = pySkipSpace(s, 0, s.length);
  const b = pySkipSpaceBack(s, a, s.length);
  return a === 0 && b === s.length ? s : s.slice(a, b);
}

/** Python's `s.split()` with no argument: runs of white space separate, no empty strings. */
export function pySplit(s: string): string[] {
  const out: string[] = [];
  const n = s.length;
  let i = 0;
  while (i < n) {
    while (i < n && pyIsSpaceCode(s.charCodeAt(i))) i++;
    if (i >= n) break;
    const start = i;
    while (i < n && !pyIsSpaceCode(s.charCodeAt(i))) i++;
    out.push(s.slice(start, i));
  }
  return out;
}

/** 1 for each UTF-16 code unit that is Python white space (a 64 KiB table: one load per char). */
const SPACE_TABLE = new Uint8Array(65536);
for (let c = 0; c < 65536; c++) SPACE_TABLE[c] = pyIsSpaceCode(c) ? 1 : 0;

/** `len(s.split())` for s[from, to) without building the list (spec §3: the think word count). */
export function pyCountWords(s: string, from = 0, to = s.length): number {
  let words = 0;
  let prevSpace = 1;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    const space = c > 0x20 && c < 0x85 ? 0 : SPACE_TABLE[c]; // printable ASCII first: most text
    words += prevSpace & (space ^ 1); // a word starts where space is followed by non-space
    prevSpace = space;
  }
  return words;
}

/** Python's `len(s)`: code points, where JS `length` counts UTF-16 code units. */
export function pyLen(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length - 1; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n--;
        i++;
      }
    }
  }
  return n;
}

// ---------------------------------------------------------------------------------------------
// Case

/**
 * Code points that JS (ICU, Unicode 15+) lowercases but CPython 3.11 (Unicode 14.0) leaves alone:
 * letters added to Unicode after 14.0. Found by comparing `chr(c).lower()` with
 * `String.fromCodePoint(c).toLowerCase()` for every code point.
 */
const NEWER_UPPERCASE = /[\u1c89\ua7cb\ua7cc\ua7ce\ua7d2\ua7d4\ua7da\ua7dc]|\ud803[\udd50-\udd65]|\ud81b[\udea0-\udeb8]/;

/** Python's `s.lower()` (full case mapping, final sigma, CPython 3.11's Unicode 14.0 tables). */
export function pyLower(s: string): string {
  if (!NEWER_UPPERCASE.test(s)) return s.toLowerCase();
  // Lower the text between the newer letters and keep those letters as they are.
  const re = new RegExp(NEWER_UPPERCASE.source, 'g');
  let out = '';
  let last = 0;
  for (let m = re.exec(s); m !== null; m = re.exec(s)) {
    out += s.slice(last, m.index).toLowerCase() + m[0];
    last = m.index + m[0].length;
  }
  return out + s.slice(last).toLowerCase();
}

// ---------------------------------------------------------------------------------------------
// Floats

/**
 * Python's `repr(x)` for a float: the shortest digits that round-trip (as JS), written in
 * scientific notation when the decimal exponent is < -4 or >= 16 ('1e-05', '1e+16'), otherwise
 * in fixed notation with at least one fractional digit ('1.0'). 'nan', 'inf', '-inf' as Python.
 */
export function pyFloatRepr(x: number): string {
  if (x !== x) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const e = x.toExponential(); // shortest round-trip digits: "-1.2345e+17"
  const ePos = e.indexOf('e');
  const exp = Number(e.slice(ePos + 1));
  const neg = x < 0;
  const digits = e.slice(neg ? 1 : 0, ePos).replace('.', '');
  const sign = neg ? '-' : '';
  if (exp < -4 || exp >= 16) {
    const mant = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    const absExp = Math.abs(exp);
    return `${sign}${mant}e${exp < 0 ? '-' : '+'}${absExp < 10 ? '0' : ''}${absExp}`;
  }
  if (exp < 0) return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
  if (digits.length <= exp + 1) return `${sign}${digits}${'0'.repeat(exp + 1 - digits.length)}.0`;
  return `${sign}${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`;
}

/** x = mantissa * 2^exponent exactly, mantissa an odd integer (or 0). x must be finite. */
function exactBinary(x: number): { mantissa: bigint; exponent: number } {
  if (x === 0) return { mantissa: 0n, exponent: 0 };
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const biased = (hi >>> 20) & 0x7ff;
  let m = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let e: number;
  if (biased === 0) {
    e = -1074; // subnormal
  } else {
    m |= 1n << 52n;
    e = biased - 1075;
  }
  while ((m & 1n) === 0n) {
    m >>= 1n;
    e++;
  }
  return { mantissa: x < 0 ? -m : m, exponent: e };
}

/** round(x, n) on exact rationals: used for ties and for negative n. */
function roundExact(x: number, ndigits: number): number {
  const { mantissa, exponent } = exactBinary(x);
  const neg = mantissa < 0n;
  // |x| * 10^ndigits = num / den exactly
  let num = neg ? -mantissa : mantissa;
  let den = 1n;
  if (exponent >= 0) num <<= BigInt(exponent);
  else den <<= BigInt(-exponent);
  if (ndigits >= 0) num *= 10n ** BigInt(ndigits);
  else den *= 10n ** BigInt(-ndigits);
  let q = num / den;
  const twice = 2n * (num - q * den);
  if (twice > den || (twice === den && (q & 1n) === 1n)) q += 1n; // half to even
  const r = Number(`${q}e${-ndigits}`); // correctly rounded decimal -> double, like CPython's strtod
  return neg ? -r : r;
}

/**
 * Python's `round(x, ndigits)` for a float: the decimal with `ndigits` places nearest to the
 * exact binary value of x, ties to even, converted back to the nearest double (CPython's
 * float.__round__ via dtoa mode 3). round(0.125, 2) = 0.12, round(0.375, 2) = 0.38,
 * round(2.675, 2) = 2.67 (2.675 is stored as 2.67499…). NaN and ±Infinity are returned unchanged.
 */
export function pyRound(x: number, ndigits: number): number {
  if (!Number.isInteger(ndigits)) {
    throw new TypeError(`Expected integer for ndigits but received ${ndigits} of type ${typeof ndigits}`);
  }
  if (!Number.isFinite(x) || x === 0) return x;
  if (ndigits > 323) return x; // CPython: NDIGITS_MAX, every double is already exact there
  if (ndigits < -308) return 0 * x; // CPython: NDIGITS_MIN, signed zero
  if (ndigits >= 0) {
    const ax = Math.abs(x);
    if (ax >= 4503599627370496) return x; // >= 2^52: already an integer
    if (ndigits <= 100) {
      // A tie needs x * 10^n to end in exactly .5, i.e. x = odd * 2^-(n+1) (times a power of 5,
      // which multiplying by 2^(n+1) leaves odd): test that exactly, scaling by a power of 2.
      const t = ax * 2 ** (ndigits + 1);
      if (!(Number.isInteger(t) && t % 2 === 1)) {
        const r = Number(ax.toFixed(ndigits)); // exact decimal rounding (V8), no tie possible
        return x < 0 ? -r : r;
      }
    }
  }
  return roundExact(x, ndigits);
}
