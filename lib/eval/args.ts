/**
 * Argument checks for lib/eval's public functions (STYLE.md §5): TypeError for a wrong type,
 * RangeError for a bad value, with the message template
 * `Expected <what> for <name> but received <value> of type <typeof>`.
 */

export { show as describe, typeMessage as expectedMessage, invalidType, invalidValue } from '../util/validate';
import { invalidType, invalidValue } from '../util/validate';

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
