/**
 * The BFCL AST checker for the Python categories, rule for rule as the official
 * `ast_checker.py` (gorilla cd9429cc; the logic is the same from 448d2d82 to v4 HEAD), written
 * from ../shared/spec/BFCL.md §2–§5. Quirks are kept on purpose, because they are the score:
 *  - only the first answer value is read, and the required name is the doc's, not the answer's (§2);
 *  - the first failing check returns, in the official order (required, unexpected, type+value per
 *    model arg in the model's order, missing optional) (§2);
 *  - type checks are exact Python `type(v) == T`; int→float only at the top level (§3);
 *  - the "variable" escape: an answer whose first non-"" value has another type than the schema's
 *    is compared by plain `in`, no standardising (§3);
 *  - nested item types are checked against list candidates only; a non-list candidate (`""`)
 *    passes at once, so optional arrays never get item checks (§3);
 *  - string standardising touches top-level strings of an arg, a list or a dict value only (§4);
 *  - greedy, non-backtracking parallel matching (§5).
 * Values are lib/pycompat PyValues (int = bigint, float = number, dict = Map). Where the Python
 * code would raise, a PyRaise is thrown (./bfclPython); the caller (./bfclCheck) reports it.
 */
import { isPyDict, pyEq, pyLower, type PyValue } from '../pycompat';
import { PyRaise, pyDictOrRaise, pyGetIndex, pyGetKey, pyIn, pyIter, pyLenOf, pyRepr, pyType } from './bfclPython';

/** A checker verdict as the official functions return it (`valid`, `error`, `error_type`). */
export interface CheckerResult {
  valid: boolean;
  error: string[];
  errorType: string | null;
}

type TypeName = ReturnType<typeof pyType>;

/** PYTHON_TYPE_MAPPING: schema type → Python type. Note `any` → str and `tuple` → list (§3). */
const PYTHON_TYPE_MAPPING: Readonly<Record<string, TypeName>> = Object.freeze({
  string: 'str',
  integer: 'int',
  float: 'float',
  boolean: 'bool',
  array: 'list',
  tuple: 'list',
  dict: 'dict',
  any: 'str',
});

/** Schema types whose items get the one-level nested type check. */
const NESTED_TYPE_CHECK = new Set(['array', 'tuple']);

function ok(): CheckerResult {
  return { valid: true, error: [], errorType: null };
}

function fail(errorType: string, message: string): CheckerResult {
  return { valid: false, error: [message], errorType };
}

/** `PYTHON_TYPE_MAPPING[desc]`: KeyError for an unknown type, TypeError for an unhashable one. */
function mapType(desc: PyValue): TypeName {
  if (typeof desc === 'string') {
    const t = Object.prototype.hasOwnProperty.call(PYTHON_TYPE_MAPPING, desc) ? PYTHON_TYPE_MAPPING[desc] : undefined;
    if (t !== undefined) return t;
  } else if (Array.isArray(desc) || isPyDict(desc)) {
    throw new PyRaise('TypeError', `unhashable type: '${pyType(desc)}'`);
  }
  throw new PyRaise('KeyError', pyRepr(desc));
}

/** `[v[i] for i in range(len(v))]`, the way the official value checkers walk allowed lists. */
function indexItems(v: PyValue): PyValue[] {
  const n = pyLenOf(v);
  if (Array.isArray(v)) return v;
  const out: PyValue[] = [];
  for (let i = 0; i < n; i++) out.push(pyGetIndex(v, i));
  return out;
}

/** `list(d.keys())[0]` */
function firstKey(d: PyValue): string {
  const keys = [...pyDictOrRaise(d, 'keys').keys()];
  if (keys.length === 0) throw new PyRaise('IndexError', 'list index out of range');
  return keys[0];
}

/** `list(d.values())[0]` */
function firstValue(d: PyValue): PyValue {
  const values = [...pyDictOrRaise(d, 'values').values()];
  if (values.length === 0) throw new PyRaise('IndexError', 'list index out of range');
  return values[0];
}

// ---------------------------------------------------------------------------------------------
// Strings (§4)

const STANDARDIZE_CHARS = /[ ,./\-_*^]/g;

/**
 * `standardize_string`: delete space , . / - _ * ^, then Python's `.lower()`, then ' → ".
 * Tabs, newlines, ':' and the like are kept: "10:00" stays apart from "1000".
 */
export function bfclStandardizeString(s: string): string {
  return pyLower(s.replace(STANDARDIZE_CHARS, '')).replace(/'/g, '"');
}

function standardizeItem(v: PyValue): PyValue {
  return typeof v === 'string' ? bfclStandardizeString(v) : v;
}

// ---------------------------------------------------------------------------------------------
// Types (§3)

interface TypeCheck extends CheckerResult {
  isVariable: boolean;
}

/** `get_possible_answer_type`: the type of the first allowed value that is not "" (or null). */
function possibleAnswerType(allowed: PyValue): TypeName | null {
  for (const a of pyIter(allowed)) if (!pyEq(a, '')) return pyType(a);
  return null;
}

/**
 * `type_checker`. Note the fall-through after a failed nested check: the result keeps
 * `type_error:nested` only when the value has the answer's type (the usual case, a list);
 * otherwise it ends as `type_error:simple`, exactly as the Python code falls through.
 */
function typeChecker(
  param: string,
  value: PyValue,
  allowed: PyValue,
  expectedDesc: string,
  expected: TypeName,
  nested: TypeName | null,
): TypeCheck {
  const result: TypeCheck = { valid: true, error: [], errorType: 'type_error:simple', isVariable: false };
  let isVariable = false;
  const answerType = possibleAnswerType(allowed);
  if (answerType !== null && answerType !== expected) isVariable = true;

  if (pyType(value) === expected) {
    if (nested === null) {
      result.isVariable = isVariable;
      return result;
    }
    for (const candidate of pyIter(allowed)) {
      let flag = true; // a non-list candidate (e.g. "") passes at once: no item checks (§3)
      if (Array.isArray(candidate)) {
        for (const item of pyIter(value)) {
          if (!typeChecker(param, item, candidate, nested, nested, null).valid) {
            flag = false;
            break;
          }
        }
      }
      if (flag) return { valid: true, error: [], errorType: null, isVariable };
    }
    result.valid = false;
    result.error = [
      `Nested type checking failed for parameter ${pyRepr(param)}. Expected outer type ${expectedDesc} with inner type ${nested}. Parameter value: ${pyRepr(value)}.`,
    ];
    result.errorType = 'type_error:nested';
  }

  if (answerType !== null && pyType(value) === answerType) {
    result.isVariable = true;
    return result;
  }
  result.valid = false;
  result.error.push(
    `Incorrect type for parameter ${pyRepr(param)}. Expected type ${expectedDesc}, got ${pyType(value)}. Parameter value: ${pyRepr(value)}.`,
  );
  result.errorType = 'type_error:simple';
  return result;
}

// ---------------------------------------------------------------------------------------------
// Values (§4)

function stringChecker(param: string, value: string, allowed: PyValue): CheckerResult {
  const std = bfclStandardizeString(value);
  const stdAllowed: string[] = [];
  for (const a of indexItems(allowed)) if (typeof a === 'string') stdAllowed.push(bfclStandardizeString(a));
  if (!stdAllowed.includes(std)) {
    return fail(
      'value_error:string',
      `Invalid value for parameter ${pyRepr(param)}: ${pyRepr(value)}. Expected one of ${pyRepr(allowed)}. Case insensitive.`,
    );
  }
  return ok();
}

/** Top-level strings of the model list and of each candidate are standardised; order matters. */
function listChecker(param: string, value: PyValue[], allowed: PyValue): CheckerResult {
  const stdValue = value.map(standardizeItem);
  const stdAllowed: PyValue[] = indexItems(allowed).map((candidate) => indexItems(candidate).map(standardizeItem));
  if (!pyIn(stdValue, stdAllowed)) {
    return fail('value_error:list/tuple', `Invalid value for parameter ${pyRepr(param)}: ${pyRepr(value)}. Expected one of ${pyRepr(allowed)}.`);
  }
  return ok();
}

/**
 * Candidates are dicts `{key: [allowed...]}`; "" candidates are skipped. The missing-key loop runs
 * even after a value failure, so its `dict_key` error type can replace `dict_value` (as in Python).
 */
function dictChecker(value: PyValue, candidates: PyValue): CheckerResult {
  let result: CheckerResult = { valid: false, error: [], errorType: 'dict_checker:unclear' };
  for (const candidate of indexItems(candidates)) {
    if (pyEq(candidate, '')) continue;
    result = { valid: false, error: [], errorType: 'dict_checker:unclear' };
    let flag = true;
    for (const [key, v] of pyDictOrRaise(value, 'items')) {
      if (!pyIn(key, candidate)) {
        result.error.push(`Unexpected dict key parameter: '${key}'.`);
        result.errorType = 'value_error:dict_key';
        flag = false;
        break;
      }
      const stdValue = standardizeItem(v);
      const stdAllowed = indexItems(pyGetKey(candidate, key)).map(standardizeItem);
      if (!pyIn(stdValue, stdAllowed)) {
        result.error.push(`Invalid value for parameter ${pyRepr(key)}: ${pyRepr(v)}. Expected one of ${pyRepr(stdAllowed)}.`);
        result.errorType = 'value_error:dict_value';
        flag = false;
        break;
      }
    }
    for (const [key, allowedValues] of pyDictOrRaise(candidate, 'items')) {
      if (!pyIn(key, value) && !pyIn('', allowedValues)) {
        result.error.push(`Missing dict key parameter: '${key}'.`);
        result.errorType = 'value_error:dict_key';
        flag = false;
        break;
      }
    }
    if (flag) return ok();
  }
  return result;
}

/** Item i of the model list must match item i of a candidate list (order matters, §4). */
function listDictChecker(value: PyValue[], candidates: PyValue): CheckerResult {
  let result: CheckerResult = { valid: false, error: [], errorType: 'list_dict_checker:unclear' };
  for (const candidate of indexItems(candidates)) {
    let flag = true;
    if (value.length !== pyLenOf(candidate)) {
      result = fail('value_error:list_dict_count', 'Wrong number of dictionaries in the list.');
      continue;
    }
    for (let i = 0; i < value.length; i++) {
      result = dictChecker(value[i], [pyGetIndex(candidate, i)]);
      if (!result.valid) {
        flag = false;
        break;
      }
    }
    if (flag) return ok();
  }
  return result;
}

// ---------------------------------------------------------------------------------------------
// One call (§2)

/** Python's float(int): exact rounding to the nearest double, OverflowError past the range. */
function intToFloat(v: bigint): number {
  const f = Number(v);
  if (!Number.isFinite(f)) throw new PyRaise('OverflowError', 'int too large to convert to float');
  return f;
}

/**
 * Type and value check of one model argument against its allowed list (the body of the official
 * per-argument loop). Exported for the oracle, which searches for a passing value per argument.
 */
export function checkArgument(param: string, rawValue: PyValue, schema: PyValue, allowed: PyValue): CheckerResult {
  const expectedDesc = pyGetKey(schema, 'type');
  const expected = mapType(expectedDesc);
  let nested: TypeName | null = null;
  if (typeof expectedDesc === 'string' && NESTED_TYPE_CHECK.has(expectedDesc)) {
    nested = mapType(pyGetKey(pyGetKey(schema, 'items'), 'type'));
  }
  let value = rawValue;
  // Python's implicit int → float, for the top-level value only (§3).
  if (expectedDesc === 'float' && typeof value === 'bigint') value = intToFloat(value);

  const tc = typeChecker(param, value, allowed, String(expectedDesc), expected, nested);
  if (!tc.valid) return { valid: false, error: tc.error, errorType: tc.errorType };

  if (!tc.isVariable) {
    if (expected === 'dict') return dictChecker(value, allowed);
    if (expected === 'list' && nested === 'dict') return listDictChecker(value as PyValue[], allowed);
    if (expected === 'str') return stringChecker(param, value as string, allowed);
    if (expected === 'list') return listChecker(param, value as PyValue[], allowed);
  }
  if (!pyIn(value, allowed)) {
    return fail('value_error:others', `Invalid value for parameter ${pyRepr(param)}: ${pyRepr(value)}. Expected one of ${pyRepr(allowed)}.`);
  }
  return ok();
}

/**
 * `simple_function_checker(doc, call, answer)`. `call` is one decoded item `{name: {arg: v}}`;
 * `answer` is `{name: {param: [allowed...]}}`, of which only the first value is read.
 */
export function simpleFunctionChecker(doc: PyValue, call: PyValue, answer: PyValue): CheckerResult {
  const possibleAnswer = firstValue(answer);
  const funcName = pyGetKey(doc, 'name');
  const paramDetails = pyGetKey(pyGetKey(doc, 'parameters'), 'properties');
  const requiredParams = pyGetKey(pyGetKey(doc, 'parameters'), 'required');

  // convert_func_name: '.' → '_' only for FC models (underscore_to_dot); ToolRL is a prompt model,
  // so the name must match exactly. The `'.' in name` test still runs (and raises on non-str).
  pyIn('.', funcName);
  if (!pyIn(funcName, call)) {
    return fail('simple_function_checker:wrong_func_name', `Function name ${pyRepr(funcName)} not found in model output.`);
  }
  const modelParams = pyGetKey(call, funcName as string);

  for (const param of pyIter(requiredParams)) {
    if (!pyIn(param, modelParams)) {
      return fail('simple_function_checker:missing_required', `Missing required parameter: ${pyRepr(param)}.`);
    }
  }

  for (const [param, value] of pyDictOrRaise(modelParams, 'items')) {
    if (!pyIn(param, paramDetails) || !pyIn(param, possibleAnswer)) {
      return fail('simple_function_checker:unexpected_param', `Unexpected parameter: ${pyRepr(param)}.`);
    }
    const r = checkArgument(param, value, pyGetKey(paramDetails, param), pyGetKey(possibleAnswer, param));
    if (!r.valid) return r;
  }

  for (const param of pyIter(possibleAnswer)) {
    if (!pyIn(param, modelParams) && !pyIn('', pyGetKey(possibleAnswer, param as string))) {
      return fail(
        'simple_function_checker:missing_optional',
        `Optional parameter ${pyRepr(param)} not provided and not marked as optional.`,
      );
    }
  }
  return ok();
}

// ---------------------------------------------------------------------------------------------
// Several calls (§1, §5)

/** `find_description`: the first doc with that name, or null (a dict is the only doc). */
export function findDescription(docs: PyValue, name: string): PyValue {
  if (Array.isArray(docs)) {
    for (const doc of docs) if (pyEq(pyGetKey(doc, 'name'), name)) return doc;
    return null;
  }
  return docs;
}

/** One answer call per model call, same count (always 1 in the data). */
function multipleFunctionChecker(docs: PyValue, decoded: PyValue[], answers: PyValue): CheckerResult {
  if (decoded.length !== pyLenOf(answers)) {
    return fail('multiple_function_checker:wrong_count', 'Wrong number of functions.');
  }
  const answer = pyGetIndex(answers, 0);
  return simpleFunctionChecker(findDescription(docs, firstKey(answer)), pyGetIndex(decoded, 0), answer);
}

/**
 * Greedy matching without backtracking: for each answer call in order, the first unused model
 * call that passes takes the slot. A correct output can fail by its order (parallel_178), and
 * one model call can satisfy slots that differ only in case/punctuation (parallel_116).
 */
function parallelFunctionCheckerNoOrder(docs: PyValue, decoded: PyValue[], answers: PyValue): CheckerResult {
  if (decoded.length !== pyLenOf(answers)) {
    return fail('parallel_function_checker_no_order:wrong_count', 'Wrong number of functions.');
  }
  const matched = new Set<number>();
  const answerList = indexItems(answers);
  for (let i = 0; i < answerList.length; i++) {
    const answer = answerList[i];
    const doc = findDescription(docs, firstKey(answer));
    const errors: string[] = [];
    let result: CheckerResult | undefined;
    for (let index = 0; index < decoded.length; index++) {
      if (matched.has(index)) continue;
      result = simpleFunctionChecker(doc, decoded[index], answer);
      if (result.valid) {
        matched.add(index);
        break;
      }
      errors.push(`Model Result Index ${index}: ${result.errorType}: ${result.error.join(' ')}`);
    }
    if (result === undefined || !result.valid) {
      const considered = decoded.map((_, k) => k).filter((k) => !matched.has(k));
      return {
        valid: false,
        error: [
          `Could not find a matching function among index [${considered.join(', ')}] of model output for index ${i} of possible answers.`,
          ...errors,
        ],
        errorType: 'parallel_function_checker_no_order:cannot_find_match',
      };
    }
  }
  return ok();
}

/**
 * `ast_checker`: picks the checker by substring of the category name (§1): "parallel" →
 * no-order parallel; else "multiple" → multiple; else simple (exactly one call, doc 0, answer 0).
 * `decoded` has passed the function-calling format check.
 */
export function astChecker(category: string, docs: PyValue, decoded: PyValue[], answers: PyValue): CheckerResult {
  if (category.includes('parallel')) return parallelFunctionCheckerNoOrder(docs, decoded, answers);
  if (category.includes('multiple')) return multipleFunctionChecker(docs, decoded, answers);
  if (decoded.length !== 1) return fail('simple_function_checker:wrong_count', 'Wrong number of functions.');
  return simpleFunctionChecker(pyGetIndex(docs, 0), decoded[0], pyGetIndex(answers, 0));
}
