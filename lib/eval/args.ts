/**
 * Argument checks for lib/eval's public functions (STYLE.md §5): TypeError for a wrong type,
 * RangeError for a bad value, with the message template
 * `Expected <what> for <name> but received <value> of type <typeof>`.
 */

/** A short printable form of any value for an error message. */
export function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'function') return `[function ${value.name || 'anonymous'}]`;
  if (typeof value === 'symbol') return value.toString();
  if (Array.isArray(value)) return `[array of length ${value.length}]`;
  if (value !== null && typeof value === 'object') return Object.prototype.toString.call(value);
  return String(value);
}

export function expectedMessage(what: string, name: string, value: unknown): string {
  return `Expected ${what} for ${name} but received ${describe(value)} of type ${value === null ? 'null' : typeof value}`;
}

export function invalidType(what: string, name: string, value: unknown): TypeError {
  return new TypeError(expectedMessage(what, name, value));
}

export function invalidValue(what: string, name: string, value: unknown): RangeError {
  return new RangeError(expectedMessage(what, name, value));
}

/** A positive integer, or undefined when absent. */
export function optionalPositiveInt(value: unknown, name: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number') throw invalidType('a positive integer', name, value);
  if (!Number.isInteger(value) || value < 1) throw invalidValue('a positive integer', name, value);
  return value;
}

/** Rejects unknown keys (a misspelled option must never pass silently). */
export function checkKeys(opts: object, allowed: readonly string[], name: string): void {
  for (const key of Object.keys(opts)) {
    if (!allowed.includes(key)) {
      throw new TypeError(`Unknown option ${JSON.stringify(key)} for ${name}; expected one of: ${allowed.join(', ')}`);
    }
  }
}
