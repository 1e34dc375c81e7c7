/**
 * Scoring one BFCL entry from its decoded calls: the official pipeline after `decode_ast`
 * (spec/BFCL.md §1 steps 2–3 for AST categories, §6 for irrelevance/relevance).
 *
 *   AST (simple, multiple, parallel, parallel_multiple, live_*):
 *     decode raised                     → ast_decoder:decoder_failed
 *     not [{name: {args}}, ...] format  → ast_decoder:decoder_wrong_output_format   ([] passes)
 *     else ast_checker (./bfclChecker)
 *   irrelevance, live_irrelevance: valid iff no call   (else irrelevance_error:decoder_success)
 *   live_relevance:                valid iff some call (else relevance_error:decoder_failed)
 *     "no call" = decode raised, not function-call format, [] or [{}] (`is_empty_output`).
 *
 * Where the official checker would raise (malformed entries), the verdict is invalid with error
 * type `ast_checker:exception` and the Python exception in `error`: the official runner would stop,
 * here one bad entry never stops a run.
 */
import { isPyDict, PyJSONDecodeError, PyRecursionError, type PyValue } from '../pycompat';
import { describe, invalidType, invalidValue } from './args';
import { astChecker } from './bfclChecker';
import { decodedToPy } from './bfclDecode';
import { PyRaise } from './bfclPython';

/** A BFCL entry as bfclCheck takes it. Each of the three may also be JSON text (Python json.loads rules). */
export interface BfclCheckEntry {
  /** Category name (e.g. "simple", "live_parallel_multiple", "irrelevance"); the checker is picked by substring. */
  category: string;
  /** The entry's `function` list (function docs). */
  functions: object[] | string;
  /** The `ground_truth` list `[{name: {param: [allowed...]}}]`; null for irrelevance/relevance. */
  possibleAnswer: object[] | string | null;
}

/** The verdict: `errorType` is the official error type string, null when valid. */
export interface BfclVerdict {
  valid: boolean;
  errorType: string | null;
  error?: string;
}

/** What the decoder produced: Python values, or the message of the exception it raised. */
export type DecodedCalls = PyValue | { decodeError: string };

/** Category names this checker scores: Python AST and (ir)relevance; not java/js, exec, multi-turn. */
const UNSUPPORTED_CATEGORY = /java|multi_turn|exec|sql|web_search|memory|(^|_)rest($|_)/;

/** True for the (ir)relevance categories (`relevance` in the name, as the official runner tests). */
export function isRelevanceCategory(category: string): boolean {
  return category.includes('relevance');
}

/** `is_function_calling_format_output`: a list of one-key dicts whose value is a dict; [] passes. */
export function isFunctionCallingFormat(decoded: PyValue): decoded is PyValue[] {
  if (!Array.isArray(decoded)) return false;
  for (const item of decoded) {
    if (!isPyDict(item) || item.size !== 1) return false;
    if (!isPyDict(item.values().next().value as PyValue)) return false;
  }
  return true;
}

/** `is_empty_output`: not function-call format, `[]`, or `[{}]`. */
export function isEmptyOutput(decoded: PyValue): boolean {
  if (!isFunctionCallingFormat(decoded)) return true;
  if (decoded.length === 0) return true;
  return decoded.length === 1 && (decoded[0] as Map<string, PyValue>).size === 0;
}

/**
 * The verdict for decoded calls, all inputs already Python values. `answers` may be null only
 * for (ir)relevance categories. This is the runner's entry (no argument parsing).
 */
export function bfclCheckDecoded(category: string, functions: PyValue, answers: PyValue | null, decoded: DecodedCalls): BfclVerdict {
  const failed = decoded !== null && typeof decoded === 'object' && !Array.isArray(decoded) && !(decoded instanceof Map);
  if (isRelevanceCategory(category)) {
    const containsCall = !failed && !isEmptyOutput(decoded as PyValue);
    if (category.includes('irrelevance')) {
      return containsCall
        ? { valid: false, errorType: 'irrelevance_error:decoder_success', error: 'Valid syntax. Successfully decode AST when it should not.' }
        : { valid: true, errorType: null };
    }
    return containsCall
      ? { valid: true, errorType: null }
      : { valid: false, errorType: 'relevance_error:decoder_failed', error: 'Invalid syntax. Failed to decode AST when it should have.' };
  }

  if (failed) {
    return {
      valid: false,
      errorType: 'ast_decoder:decoder_failed',
      error: `Invalid syntax. Failed to decode AST. ${(decoded as { decodeError: string }).decodeError}`,
    };
  }
  if (!isFunctionCallingFormat(decoded as PyValue)) {
    return {
      valid: false,
      errorType: 'ast_decoder:decoder_wrong_output_format',
      error: 'Did not output in the specified format. Note: the model_result is wrapped in a string to ensure json serializability.',
    };
  }
  if (answers === null) throw new TypeError(`Expected possible answers for the AST category ${JSON.stringify(category)} but received null`);
  try {
    const r = astChecker(category, functions, decoded as PyValue[], answers);
    return r.valid ? { valid: true, errorType: null } : { valid: false, errorType: r.errorType, error: r.error.join('\n') };
  } catch (err) {
    if (!(err instanceof PyRaise)) throw err;
    return {
      valid: false,
      errorType: 'ast_checker:exception',
      error: `The official checker raises ${err.message} on this entry (its runner would stop here).`,
    };
  }
}

/** JSON text (Python json.loads) or a plain JS value, as a Python value. */
function entryValue(v: unknown, name: string): PyValue {
  try {
    return decodedToPy(v, name);
  } catch (err) {
    if (err instanceof PyJSONDecodeError || err instanceof PyRecursionError) {
      throw new TypeError(`Expected JSON text for ${name} but it does not parse: ${err.message}`);
    }
    throw err;
  }
}

/**
 * Scores one BFCL entry exactly as the official runner + ast_checker (spec/BFCL.md §1–§6).
 *
 * `decoded` is the model's calls as BFCL's decoder returns them, `[{funcName: {arg: value}}, ...]`:
 * a bfclDecode result, JSON text (5 and 5.0 stay distinct), or plain JS values (an integral JS
 * number is an int). JSON text that does not parse counts as the decoder raising. Throws a
 * TypeError/RangeError for a malformed `entry` or a `decoded` that is no JSON-like value.
 */
export function bfclCheck(entry: BfclCheckEntry, decoded: unknown): BfclVerdict {
  if (entry === null || typeof entry !== 'object') throw invalidType('an entry object', 'entry', entry);
  const { category } = entry;
  if (typeof category !== 'string') throw invalidType('a category name string', 'entry.category', category);
  if (category === '' || UNSUPPORTED_CATEGORY.test(category)) {
    throw invalidValue('a Python AST or relevance category (simple, multiple, parallel, parallel_multiple, irrelevance, live_*)', 'entry.category', category);
  }
  const relevance = isRelevanceCategory(category);
  let functions: PyValue = [];
  if (entry.functions !== undefined || !relevance) functions = entryValue(entry.functions, 'entry.functions');
  let answers: PyValue | null = null;
  if (!relevance) {
    if (entry.possibleAnswer === null || entry.possibleAnswer === undefined) {
      throw invalidType(`the possible answers of AST category "${category}"`, 'entry.possibleAnswer', entry.possibleAnswer);
    }
    answers = entryValue(entry.possibleAnswer, 'entry.possibleAnswer');
    // A whole possible_answer line ({"id": ..., "ground_truth": [...]}) is accepted too.
    if (isPyDict(answers) && answers.has('ground_truth')) answers = answers.get('ground_truth') as PyValue;
  }

  let calls: DecodedCalls;
  try {
    calls = decodedToPy(decoded);
  } catch (err) {
    if (err instanceof PyJSONDecodeError || err instanceof PyRecursionError || (err instanceof RangeError && typeof decoded === 'string')) {
      calls = { decodeError: err.message };
    } else if (err instanceof TypeError) {
      throw new TypeError(`Expected decoded calls (JSON text or JSON-like values) for decoded but received ${describe(decoded)} of type ${typeof decoded}: ${err.message}`);
    } else {
      throw err;
    }
  }
  return bfclCheckDecoded(category, functions, answers, calls);
}
