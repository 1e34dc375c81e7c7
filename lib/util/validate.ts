/**
 * Argument validation shared by every public entry point: apply defaults → validate → interpret
 * (better-sqlite3's order, STYLE.md §5). Wrong type → TypeError, bad value → RangeError, with
 * sharp's message template `Expected <what> for <name> but received <value> of type <typeof>`.
 */

/** A short, printable rendering of any value for an error message. */
export function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'function') return `[function ${value.name || 'anonymous'}]`;
  if (typeof value === 'symbol') return value.toString();
  if (Array.isArray(value)) return `[array of length ${value.length}]`;
  if (value !== null && typeof value === 'object') return Object.prototype.toString.call(value);
  return String(value);
}

/** `Expected <what> for <name> but received <value> of type <typeof>` (sharp's template). */
export function typeMessage(what: string, name: string, value: unknown): string {
  return `Expected ${what} for ${name} but received ${show(value)} of type ${value === null ? 'null' : typeof value}`;
}

export function invalidType(what: string, name: string, value: unknown): TypeError {
  return new TypeError(typeMessage(what, name, value));
}

export function invalidValue(what: string, name: string, value: unknown): RangeError {
  return new RangeError(typeMessage(what, name, value));
}

export function expectObject(value: unknown, name: string): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new TypeError(typeMessage('an object', name, value));
  return value as Record<string, unknown>;
}

/** Rejects keys outside `allowed`, naming the valid ones (catches misspellings such as `topp`). */
export function rejectUnknownKeys(obj: object, allowed: readonly string[], name: string): void {
  for (const key of Object.keys(obj)) {
    if (!allowed.includes(key)) {
      const near = allowed.find((a) => a.toLowerCase() === key.toLowerCase());
      throw new TypeError(
        `Unknown option "${key}" in ${name}${near ? ` (did you mean "${near}"?)` : ''}; valid options: ${allowed.join(', ')}`,
      );
    }
  }
}

export function expectNumber(value: unknown, name: string, range: { min?: number; max?: number; minExclusive?: boolean } = {}): number {
  if (typeof value !== 'number') throw new TypeError(typeMessage('a number', name, value));
  if (Number.isNaN(value) || !Number.isFinite(value)) throw new RangeError(typeMessage('a finite number', name, value));
  const { min, max, minExclusive } = range;
  if (min !== undefined && (minExclusive ? value <= min : value < min)) {
    throw new RangeError(typeMessage(`a number ${minExclusive ? '>' : '>='} ${min}${max !== undefined ? ` and <= ${max}` : ''}`, name, value));
  }
  if (max !== undefined && value > max) throw new RangeError(typeMessage(`a number <= ${max}`, name, value));
  return value;
}

export function expectInteger(value: unknown, name: string, range: { min?: number; max?: number } = {}): number {
  if (typeof value !== 'number') throw new TypeError(typeMessage('an integer', name, value));
  if (!Number.isSafeInteger(value)) throw new RangeError(typeMessage('an integer', name, value));
  const { min, max } = range;
  if ((min !== undefined && value < min) || (max !== undefined && value > max)) {
    const bounds = [min !== undefined ? `>= ${min}` : '', max !== undefined ? `<= ${max}` : ''].filter(Boolean).join(' and ');
    throw new RangeError(typeMessage(`an integer ${bounds}`, name, value));
  }
  return value;
}

export function expectBoolean(value: unknown, name: string): boolean {
  if (typeof value !== 'boolean') throw new TypeError(typeMessage('a boolean', name, value));
  return value;
}

export function expectString(value: unknown, name: string): string {
  if (typeof value !== 'string') throw new TypeError(typeMessage('a string', name, value));
  return value;
}

export function expectOneOf<T extends string>(value: unknown, choices: readonly T[], name: string): T {
  if (typeof value !== 'string') throw new TypeError(typeMessage(`one of ${choices.map((c) => `'${c}'`).join(', ')}`, name, value));
  if (!choices.includes(value as T)) throw new RangeError(typeMessage(`one of ${choices.map((c) => `'${c}'`).join(', ')}`, name, value));
  return value as T;
}

/** Token-id sequences: an array of non-empty Int32Arrays with every id in [0, vocabSize). */
export function expectTokenSequences(value: unknown, name: string, vocabSize: number, allowEmptyList = true): Int32Array[] {
  if (!Array.isArray(value)) throw new TypeError(typeMessage('an array of Int32Array', name, value));
  if (!allowEmptyList && value.length === 0) throw new RangeError(`Expected at least one sequence for ${name}`);
  value.forEach((seq, i) => {
    if (!(seq instanceof Int32Array)) throw new TypeError(typeMessage('an Int32Array', `${name}[${i}]`, seq));
    if (seq.length === 0) throw new RangeError(`Expected a non-empty sequence for ${name}[${i}] but received an empty Int32Array`);
    for (let t = 0; t < seq.length; t++) {
      const id = seq[t]!;
      if (id < 0 || id >= vocabSize) {
        throw new RangeError(`Expected token ids in [0, ${vocabSize}) for ${name}[${i}] but received ${id} at position ${t}`);
      }
    }
  });
  return value as Int32Array[];
}

/** Flattens sequences for the addon: one Int32Array of ids plus offsets (count + 1). */
export function flatten(seqs: readonly Int32Array[]): { ids: Int32Array; offsets: Int32Array } {
  let total = 0;
  for (const s of seqs) total += s.length;
  const ids = new Int32Array(total);
  const offsets = new Int32Array(seqs.length + 1);
  let at = 0;
  seqs.forEach((s, i) => {
    ids.set(s, at);
    at += s.length;
    offsets[i + 1] = at;
  });
  return { ids, offsets };
}
