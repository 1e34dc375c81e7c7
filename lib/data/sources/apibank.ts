/**
 * API-Bank as the ToolRL paper evaluates it (api-bank-level-{1,2,3}.json in the paper's
 * repository): a JSON array of `{system, user, answer, other}`. `system` is already the ToolRL
 * system prompt with the level's tools, `user` the dialogue with the final instruction, and
 * `answer` the gold call — one `{name, parameters}` object (level 2) or a list of them (levels 1
 * and 3). The ground truth is rendered in the ToolRL output format, with the `<think>` the
 * paper's RL ground truths use:
 *
 *     <think> I should use the appropriate tool with proper parameters to respond to the user's need. </think>
 *     <tool_call>
 *     {"name": "ModifyRegistration", "parameters": {"appointment_id": "34567890", ...}}
 *     </tool_call>
 */
import type { PyValue } from '../../pycompat';
import { renderAnswer, TOOL_CALL_THINK, type GoldCall } from '../toolrlFormat';
import { RecordReader, systemUserRow, kindOf, type RawRecord, type SourceRow } from './records';

export function isApibankRecord(keys: readonly string[]): boolean {
  return keys.includes('system') && keys.includes('user') && keys.includes('answer');
}

/** Reads one gold call `{name, parameters}`; `at` says which one, for the error. */
export function readCall(r: RecordReader, v: PyValue, at: string): GoldCall {
  const obj = r.object(v, at);
  const name = obj.get('name');
  if (typeof name !== 'string' || name === '') r.fail(`${at} has no "name" string`);
  const params = obj.has('parameters') ? obj.get('parameters')! : obj.get('arguments');
  if (params === undefined) r.fail(`${at} has no "parameters" object`);
  if (!(params instanceof Map)) r.fail(`expected "parameters" of ${at} to be a JSON object but found ${kindOf(params)}`);
  return { name, parameters: params };
}

export function convertApibank(file: string, records: readonly RawRecord[]): SourceRow[] {
  return records.map((rec) => {
    const r: RecordReader = new RecordReader(file, rec);
    const obj = r.object();
    const system = r.string(obj, 'system');
    const user = r.string(obj, 'user');
    const answer = obj.get('answer');
    if (answer === undefined || answer === null) r.fail('has no ground truth (no "answer")');
    const list = Array.isArray(answer) ? answer : [answer];
    if (list.length === 0) r.fail('has no ground truth ("answer" is an empty list)');
    const calls = list.map((c, i) => readCall(r, c, list.length > 1 || Array.isArray(answer) ? `answer[${i}]` : 'answer'));
    return systemUserRow(file, rec.row, system, user, renderAnswer({ think: TOOL_CALL_THINK, calls }));
  });
}
