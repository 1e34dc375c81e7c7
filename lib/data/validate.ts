/**
 * Argument checks for lib/data's public functions (STYLE.md §5: apply defaults → validate →
 * interpret). Wrong type → TypeError, bad value → RangeError, both with sharp's message template
 * `Expected <what> for <name> but received <value> of type <typeof>`.
 */

export { show, typeMessage as expectedMessage, invalidType, invalidValue } from '../util/validate';
import { invalidType, invalidValue } from '../util/validate';

/**
 * Checks that `opts` is undefined or a plain object whose keys are all in `allowed`, and returns it
 * as an object (empty when undefined). Unknown keys are a TypeError that lists the allowed ones, so
 * a misspelled option never passes silently (better-sqlite3's habit).
 */
export function checkOptions<T extends object>(opts: T | undefined, allowed: readonly string[], name: string): Partial<T> {
  if (opts === undefined) return {};
  if (opts === null || typeof opts !== 'object' || Array.isArray(opts)) throw invalidType('an options object', name, opts);
  for (const key of Object.keys(opts)) {
    if (!allowed.includes(key)) {
      throw new TypeError(`Unknown option ${JSON.stringify(key)} for ${name}; expected one of: ${allowed.join(', ')}`);
    }
  }
  return opts;
}

export function checkString(value: unknown, name: string): string {
  if (typeof value !== 'string') throw invalidType('a string', name, value);
  return value;
}

export function checkBoolean(value: unknown, name: string): boolean {
  if (typeof value !== 'boolean') throw invalidType('a boolean', name, value);
  return value;
}

/** An integer in [min, max] (inclusive). */
export function checkInteger(value: unknown, name: string, min = -Infinity, max = Infinity): number {
  if (typeof value !== 'number') throw invalidType('an integer', name, value);
  if (!Number.isInteger(value)) throw invalidValue('an integer', name, value);
  if (value < min || value > max) {
    const range = max === Infinity ? `an integer >= ${min}` : min === -Infinity ? `an integer <= ${max}` : `an integer between ${min} and ${max}`;
    throw invalidValue(range, name, value);
  }
  return value;
}

export function checkOneOf<T extends string>(value: unknown, allowed: readonly T[], name: string): T {
  if (typeof value !== 'string') throw invalidType(`one of ${allowed.map((a) => `'${a}'`).join(', ')}`, name, value);
  if (!(allowed as readonly string[]).includes(value)) throw invalidValue(`one of ${allowed.map((a) => `'${a}'`).join(', ')}`, name, value);
  return value as T;
}
