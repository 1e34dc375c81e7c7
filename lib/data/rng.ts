/**
 * A small seeded pseudo-random generator for everything lib/data does at random (shuffles, the
 * toolrl-mini world). Deterministic across platforms and Node versions: 32-bit integer arithmetic
 * only (Math.imul), no Math.random.
 *
 * Generator: sfc32 (Chris Doty-Humphrey's "small fast counter", PractRand-clean), seeded through
 * splitmix32 so nearby seeds give unrelated streams. `Rng.derive(seed, ...labels)` gives an
 * independent stream per (seed, label path), e.g. one per example index, so that example i of a
 * split never depends on how many examples were drawn before it.
 */

/** splitmix32 finaliser: a bijective 32-bit mix. */
function mix32(x: number): number {
  x = (x + 0x9e3779b9) | 0;
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

/** FNV-1a over a string's UTF-16 code units, then mixed: a stable 32-bit label hash. */
function hashLabel(label: string | number): number {
  const s = typeof label === 'number' ? `#${label}` : label;
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return mix32(h >>> 0);
}

export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  /** `seed` is any integer (it is reduced to 32 bits) or a 4-word state from `state()`. */
  constructor(seed: number | readonly [number, number, number, number]) {
    if (typeof seed === 'number') {
      const s = Number.isSafeInteger(seed) ? seed : 0;
      const lo = s >>> 0;
      const hi = Math.floor(s / 4294967296) >>> 0;
      this.a = mix32(lo);
      this.b = mix32(this.a ^ hi);
      this.c = mix32(this.b);
      this.d = 1;
      for (let i = 0; i < 12; i++) this.nextUint32();
    } else {
      [this.a, this.b, this.c, this.d] = seed.map((w) => w >>> 0) as [number, number, number, number];
    }
  }

  /** An independent generator for (seed, labels...): same inputs, same stream, always. */
  static derive(seed: number, ...labels: (string | number)[]): Rng {
    let h = mix32(seed >>> 0) ^ mix32(Math.floor(seed / 4294967296) >>> 0);
    for (const l of labels) h = mix32(h ^ hashLabel(l));
    return new Rng(h);
  }

  /** The generator's state, to resume it later with `new Rng(state)`. */
  state(): [number, number, number, number] {
    return [this.a, this.b, this.c, this.d];
  }

  /** A uniform 32-bit unsigned integer. */
  nextUint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** A uniform float in [0, 1) with 32 bits of randomness. */
  float(): number {
    return this.nextUint32() / 4294967296;
  }

  /** A uniform integer in [0, n), without modulo bias. */
  int(n: number): number {
    if (!(n >= 1) || !Number.isInteger(n) || n > 4294967296) throw new RangeError(`Expected an integer between 1 and 2^32 for n but received ${n} of type ${typeof n}`);
    const limit = 4294967296 - (4294967296 % n);
    let x: number;
    do x = this.nextUint32();
    while (x >= limit);
    return x % n;
  }

  /** A uniform integer in [lo, hi] (inclusive). */
  range(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1);
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.float() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('Expected a non-empty array for items but received [array of length 0] of type object');
    return items[this.int(items.length)];
  }

  /** Index chosen with probability proportional to `weights[i]`. */
  weighted(weights: readonly number[]): number {
    let total = 0;
    for (const w of weights) total += w;
    let x = this.float() * total;
    for (let i = 0; i < weights.length; i++) {
      x -= weights[i];
      if (x < 0) return i;
    }
    return weights.length - 1;
  }

  /** Fisher–Yates shuffle, in place; returns the array. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = items[i];
      items[i] = items[j];
      items[j] = t;
    }
    return items;
  }

  /** k distinct items, in random order. */
  sample<T>(items: readonly T[], k: number): T[] {
    if (k > items.length) throw new RangeError(`Expected at most ${items.length} for k but received ${k} of type number`);
    const copy = items.slice();
    for (let i = 0; i < k; i++) {
      const j = i + this.int(copy.length - i);
      const t = copy[i];
      copy[i] = copy[j];
      copy[j] = t;
    }
    return copy.slice(0, k);
  }
}
