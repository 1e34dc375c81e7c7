/**
 * The BFCL oracle: the possible answers rendered as model text in the ToolRL output format, to
 * check the harness end to end (prompt → text → decode → check) without a model. Every entry
 * whose answer can be satisfied must come out valid (issue 7).
 *
 * For each answer call it emits the doc's name (the checker requires `doc.name`, not the
 * answer's: simple_363) and, per answer parameter, the first allowed value that passes the
 * official per-argument check (dict candidates `{key: [allowed]}` become concrete dicts), or
 * leaves the parameter out when "" allows that. When no choice passes, the entry cannot be
 * satisfied by any output; the oracle says why. Spec/BFCL.md §9 names 5 such v3 entries:
 * live_simple_106-63-0 and live_simple_112-68-0 (an allowed list `[]`), live_multiple_862-181-3
 * and live_multiple_964-207-0 (answer parameters not in the schema) — no output passes these — and
 * live_multiple_507-149-4 (`[""]` on a required string parameter). That last one does pass when
 * the parameter is sent as an explicit "" (§2: a sent "" is checked as a string, and the
 * standardised "" is allowed), so the oracle passes it and flags it `emptyStringOnly`: no real
 * value can pass, which is what §9 means.
 */
import { isPyDict, pyDumps, pyEq, type PyValue } from '../pycompat';
import { isRelevanceCategory } from './bfclCheck';
import { checkArgument, findDescription, simpleFunctionChecker } from './bfclChecker';
import type { BfclEntry } from './bfclData';
import { PyRaise, pyGetKey, pyIn, pyIter } from './bfclPython';
import type { TextGenerator } from './generator';

/** What the oracle answers for one entry, and why it cannot be right when it cannot. */
export interface OracleAnswer {
  text: string;
  /** null when the answer is satisfiable; otherwise the reason no output can pass. */
  unsatisfiable: string | null;
  /**
   * Set when the answer passes only by sending "" for a required parameter whose only answer is
   * "" (live_multiple_507-149-4): spec §9 counts it unsatisfiable, but §2's rules accept an
   * explicit empty (or punctuation-only) string, so the oracle's output is valid.
   */
  emptyStringOnly: string | null;
}

const CALL_THINK = '<think>Oracle: the possible answer, rendered as ToolRL tool calls.</think>';
const NO_CALL = '<think>Oracle: none of the functions applies.</think>\n<response>None of the available functions can answer this.</response>';

/** A dict candidate `{key: [allowed...]}` → a concrete dict: first non-"" value, or left out. */
function concreteDict(candidate: PyValue): PyValue {
  if (!isPyDict(candidate)) return candidate;
  const out = new Map<string, PyValue>();
  for (const [key, allowed] of candidate) {
    if (!Array.isArray(allowed)) {
      out.set(key, allowed);
      continue;
    }
    const first = allowed.find((a) => !pyEq(a, ''));
    if (first !== undefined) out.set(key, first);
    else if (!allowed.some((a) => pyEq(a, ''))) out.set(key, ''); // [] : nothing can match; say something
  }
  return out;
}

/** The values to try for a parameter, most natural first. */
function choices(allowed: PyValue, schema: PyValue): PyValue[] {
  const type = isPyDict(schema) ? schema.get('type') : undefined;
  const items = isPyDict(schema) && isPyDict(schema.get('items') as PyValue) ? (schema.get('items') as Map<string, PyValue>).get('type') : undefined;
  const out: PyValue[] = [];
  for (const a of Array.isArray(allowed) ? allowed : []) {
    if (pyEq(a, '')) continue;
    if (type === 'dict') out.push(concreteDict(a));
    else if ((type === 'array' || type === 'tuple') && items === 'dict' && Array.isArray(a)) out.push(a.map(concreteDict));
    else out.push(a);
  }
  if (Array.isArray(allowed) && allowed.some((a) => pyEq(a, ''))) out.push('');
  return out;
}

function passes(param: string, value: PyValue, schema: PyValue, allowed: PyValue): string | null {
  try {
    const r = checkArgument(param, value, schema, allowed);
    return r.valid ? null : (r.errorType as string);
  } catch (err) {
    if (err instanceof PyRaise) return err.message;
    throw err;
  }
}

/** One answer call → the call to emit, or the reason it cannot be satisfied. */
function oracleCall(doc: PyValue, answer: PyValue): { call: Map<string, PyValue>; unsatisfiable: string | null; emptyStringOnly: string | null } {
  const name = pyGetKey(doc, 'name') as string;
  const params = pyGetKey(doc, 'parameters');
  const properties = pyGetKey(params, 'properties');
  const required = pyIter(pyGetKey(params, 'required'));
  const possible = [...(answer as Map<string, PyValue>).values()][0];
  const args = new Map<string, PyValue>();
  const problems: string[] = [];
  const emptyOnly: string[] = [];
  for (const r of required) {
    if (!pyIn(r, possible)) problems.push(`required parameter "${String(r)}" has no possible answer (giving it is unexpected_param, leaving it out missing_required)`);
  }
  for (const [param, allowed] of possible as Map<string, PyValue>) {
    const isRequired = required.some((r) => pyEq(r, param));
    const inSchema = pyIn(param, properties);
    const onlyEmpty = Array.isArray(allowed) && allowed.length > 0 && allowed.every((a) => pyEq(a, ''));
    if (onlyEmpty && !isRequired) continue; // the gold says: leave it out
    let chosen = false;
    let firstError: string | null = null;
    if (inSchema) {
      const schema = pyGetKey(properties, param);
      for (const value of choices(allowed, schema)) {
        const err = passes(param, value, schema, allowed);
        if (err === null) {
          args.set(param, value);
          chosen = true;
          if (onlyEmpty) emptyOnly.push(`required parameter "${param}" has only "" as its answer: it passes only when sent as an empty string`);
          break;
        }
        firstError ??= err;
      }
    }
    if (chosen) continue;
    if (!isRequired && pyIn('', allowed)) continue; // "" = may be omitted
    if (!inSchema) problems.push(`answer parameter "${param}" is not in the function's schema and may not be omitted`);
    else if (Array.isArray(allowed) && allowed.length === 0) problems.push(`parameter "${param}" has an empty list of allowed values`);
    else problems.push(`no allowed value of parameter "${param}" passes (${firstError ?? 'no candidates'})${isRequired ? ' and it is required' : ''}`);
  }
  const call = new Map<string, PyValue>([[name, args]]);
  if (problems.length === 0) {
    const check = simpleFunctionChecker(doc, call, answer);
    if (!check.valid) problems.push(`the rendered call fails: ${check.errorType}`);
  }
  return {
    call,
    unsatisfiable: problems.length > 0 ? problems.join('; ') : null,
    emptyStringOnly: problems.length === 0 && emptyOnly.length > 0 ? emptyOnly.join('; ') : null,
  };
}

/** The oracle's output for one entry. */
export function bfclOracleAnswer(entry: BfclEntry): OracleAnswer {
  const { category } = entry;
  if (isRelevanceCategory(category)) {
    if (category.includes('irrelevance')) return { text: NO_CALL, unsatisfiable: null, emptyStringOnly: null };
    // live_relevance: any call counts; call the first function with no arguments.
    const first = Array.isArray(entry.functions) ? entry.functions[0] : undefined;
    const name = first !== undefined && isPyDict(first) ? first.get('name') : undefined;
    if (typeof name !== 'string') return { text: NO_CALL, unsatisfiable: 'the entry lists no function to call', emptyStringOnly: null };
    return { text: render([new Map([[name, new Map()]])]), unsatisfiable: null, emptyStringOnly: null };
  }
  const answers = entry.possibleAnswer;
  if (!Array.isArray(answers)) return { text: NO_CALL, unsatisfiable: 'no possible answer', emptyStringOnly: null };
  const simple = !category.includes('parallel') && !category.includes('multiple');
  const calls: Map<string, PyValue>[] = [];
  const problems: string[] = [];
  const emptyOnly: string[] = [];
  try {
    answers.forEach((answer, i) => {
      const answerName = [...(answer as Map<string, PyValue>).keys()][0];
      const doc = simple ? (entry.functions as PyValue[])[0] : findDescription(entry.functions, answerName);
      if (doc === null || doc === undefined) {
        problems.push(`answer call ${i} names "${answerName}", which is not in the function list`);
        return;
      }
      const r = oracleCall(doc, answer);
      calls.push(r.call);
      if (r.unsatisfiable !== null) problems.push(answers.length > 1 ? `call ${i}: ${r.unsatisfiable}` : r.unsatisfiable);
      if (r.emptyStringOnly !== null) emptyOnly.push(answers.length > 1 ? `call ${i}: ${r.emptyStringOnly}` : r.emptyStringOnly);
    });
  } catch (err) {
    problems.push(`malformed entry: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (simple && answers.length !== 1) problems.push(`${answers.length} answer calls for a simple category`);
  return {
    text: render(calls),
    unsatisfiable: problems.length > 0 ? problems.join('; ') : null,
    emptyStringOnly: problems.length === 0 && emptyOnly.length > 0 ? emptyOnly.join('; ') : null,
  };
}

/** `{"name": ..., "parameters": ...}` lines (Python json.dumps, one per call) in a ToolRL answer. */
function render(calls: Map<string, PyValue>[]): string {
  const lines = calls.map((c) => {
    const [name, args] = [...c][0];
    return pyDumps(
      new Map<string, PyValue>([
        ['name', name],
        ['parameters', args],
      ]),
    );
  });
  return `${CALL_THINK}\n<tool_call>\n${lines.join('\n')}\n</tool_call>`;
}

/** A TextGenerator that answers each item id with the oracle's text for that entry. */
export function bfclOracle(entries: readonly BfclEntry[]): { generate: TextGenerator; answers: Map<string, OracleAnswer> } {
  const answers = new Map<string, OracleAnswer>();
  for (const e of entries) if (!answers.has(e.id)) answers.set(e.id, bfclOracleAnswer(e));
  const generate: TextGenerator = async (_prompts, ids) => ids.map((id) => answers.get(id)?.text ?? NO_CALL);
  return { generate, answers };
}
