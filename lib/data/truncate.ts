/**
 * Left truncation of prompts to a token limit. The paper trains with veRL's
 * `data.truncation='left'` (max prompt length 2048): when a prompt is too long, its beginning is
 * dropped so that the latest turn and the assistant header the model continues from are kept.
 */
import { checkInteger, invalidType } from './validate';

export interface Truncated {
  /** The kept ids (a view of the input when nothing was cut). */
  ids: Int32Array;
  /** How many ids were cut from the left (0 when the prompt fits). */
  truncated: number;
}

/** Keeps the last `limit` ids of `ids`. */
export function truncateLeft(ids: Int32Array, limit: number): Truncated {
  if (!(ids instanceof Int32Array)) throw invalidType('an Int32Array', 'ids', ids);
  checkInteger(limit, 'limit', 1);
  if (ids.length <= limit) return { ids, truncated: 0 };
  return { ids: ids.slice(ids.length - limit), truncated: ids.length - limit };
}
