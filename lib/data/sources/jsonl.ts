/**
 * JSONL in the OpenAI tool-calling shape that people already have, one conversation per line:
 *
 *     {"messages": [{"role": "user", "content": "Weather in Paris?"},
 *                   {"role": "assistant", "content": null,
 *                    "tool_calls": [{"type": "function", "function": {"name": "get_weather", "arguments": "{\"city\": \"Paris\"}"}}]}],
 *      "tools": [{"type": "function", "function": {"name": "get_weather", "description": "...",
 *                 "parameters": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}}}]}
 *
 * The gold turn is the last message when it is the assistant's (its `tool_calls` and/or
 * `content`), or else a top-level `tool_calls` list. Rendered into the paper's layout:
 * - system: the ToolRL system prompt with `tools` as its numbered list (`Parameters:` = the JSON
 *   Schema's `properties`, plus a `Required:` line); a system message of the conversation, if
 *   any, goes first, followed by a blank line;
 * - user: `**Dialogue Records History**` then the turns as the paper's data inlines them
 *   (`<user> … </user>`, earlier assistant turns as `<think>`/`<tool_call>`/`<response>`, tool
 *   results as `<obs> … </obs>`), blocks separated by a blank line;
 * - ground truth: the ToolRL output format, `arguments` (a JSON string or an object) written with
 *   Python's json.dumps; the `<think>` is the message's `reasoning_content` if it has one, else the
 *   sentence the paper's RL ground truths use.
 */
import { pyLoads, PyJSONDecodeError, type PyValue } from '../../pycompat';
import { renderAnswer, RESPONSE_THINK, TOOL_CALL_THINK, type GoldCall } from '../toolrlFormat';
import { toolrlSystemPrompt, type ToolSpec } from '../systemPrompt';
import { RecordReader, systemUserRow, kindOf, type RawRecord, type SourceRow } from './records';

export function isJsonlRecord(keys: readonly string[]): boolean {
  return keys.includes('messages');
}

/** Text of an OpenAI message `content`: a string, null, or a list of `{type: "text", text}` parts. */
function contentText(r: RecordReader, v: PyValue | undefined, at: string): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) {
    return v
      .map((part, i) => {
        const p = r.object(part, `${at}[${i}]`);
        const t = p.get('text');
        if (typeof t !== 'string') r.fail(`${at}[${i}] has no "text" string`);
        return t;
      })
      .join('');
  }
  return r.fail(`expected ${at} to be a string, null or a list of text parts but found ${kindOf(v)}`);
}

function readToolCall(r: RecordReader, v: PyValue, at: string): GoldCall {
  let obj = r.object(v, at);
  const fn = obj.get('function');
  if (fn !== undefined) obj = r.object(fn, `${at}.function`);
  const name = obj.get('name');
  if (typeof name !== 'string' || name === '') r.fail(`${at} has no "name" string`);
  let args: PyValue = obj.has('arguments') ? obj.get('arguments')! : obj.has('parameters') ? obj.get('parameters')! : new Map<string, PyValue>();
  if (typeof args === 'string') {
    try {
      args = args.trim() === '' ? new Map<string, PyValue>() : pyLoads(args);
    } catch (e) {
      r.fail(`${at}.arguments is not valid JSON: ${e instanceof PyJSONDecodeError ? e.msg : (e as Error).message}`);
    }
  }
  if (!(args instanceof Map)) r.fail(`expected ${at}.arguments to be a JSON object but found ${kindOf(args)}`);
  return { name, parameters: args };
}

function readTool(r: RecordReader, v: PyValue, at: string): ToolSpec {
  let obj = r.object(v, at);
  const fn = obj.get('function');
  if (fn !== undefined) obj = r.object(fn, `${at}.function`);
  const name = obj.get('name');
  if (typeof name !== 'string' || name === '') r.fail(`${at} has no "name" string`);
  const description = obj.get('description');
  const params = obj.get('parameters');
  let properties: PyValue = new Map<string, PyValue>();
  let required: string[] = [];
  if (params !== undefined && params !== null) {
    const p = r.object(params, `${at}.parameters`);
    const props = p.get('properties');
    if (props !== undefined) properties = r.object(props, `${at}.parameters.properties`);
    const req = p.get('required');
    if (req !== undefined) {
      if (!Array.isArray(req) || !req.every((x) => typeof x === 'string')) r.fail(`expected ${at}.parameters.required to be a list of strings`);
      required = req as string[];
    }
  }
  return { name, description: typeof description === 'string' ? description : '', parameters: properties, required };
}

function callsOf(r: RecordReader, v: PyValue | undefined, at: string): GoldCall[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) r.fail(`expected ${at} to be a list but found ${kindOf(v)}`);
  return v.map((c, i) => readToolCall(r, c, `${at}[${i}]`));
}

export function convertJsonl(file: string, records: readonly RawRecord[]): SourceRow[] {
  return records.map((rec) => {
    const r: RecordReader = new RecordReader(file, rec);
    const obj = r.object();
    const msgs = obj.get('messages');
    if (!Array.isArray(msgs)) r.fail(`expected "messages" to be a list but found ${kindOf(msgs)}`);
    const messages = msgs.map((m, i) => r.object(m, `messages[${i}]`));

    // The gold turn.
    let gold: { calls: GoldCall[]; response: string; think: string | undefined };
    const last = messages[messages.length - 1];
    let history = messages;
    if (last !== undefined && last.get('role') === 'assistant') {
      const at = `messages[${messages.length - 1}]`;
      const think = last.get('reasoning_content');
      gold = {
        calls: callsOf(r, last.get('tool_calls'), `${at}.tool_calls`),
        response: contentText(r, last.get('content'), `${at}.content`).trim(),
        think: typeof think === 'string' && think.trim() !== '' ? think.trim() : undefined,
      };
      history = messages.slice(0, -1);
    } else {
      gold = { calls: callsOf(r, obj.get('tool_calls'), 'tool_calls'), response: '', think: undefined };
    }
    if (gold.calls.length === 0 && gold.response === '') {
      r.fail('has no ground truth (the last message is not an assistant turn with tool_calls or content, and there is no top-level "tool_calls")');
    }

    // Tools and the system prompt.
    const toolsV = obj.get('tools');
    const tools = toolsV === undefined || toolsV === null ? [] : Array.isArray(toolsV) ? toolsV.map((t, i) => readTool(r, t, `tools[${i}]`)) : r.fail(`expected "tools" to be a list but found ${kindOf(toolsV)}`);
    let system = toolrlSystemPrompt(tools);
    let turns = history;
    if (turns.length > 0 && turns[0].get('role') === 'system') {
      const s = contentText(r, turns[0].get('content'), 'messages[0].content').trim();
      if (s !== '') system = `${s}\n\n${system}`;
      turns = turns.slice(1);
    }

    // The dialogue, inlined as the paper's data does.
    const blocks: string[] = [];
    turns.forEach((m, k) => {
      const i = history.indexOf(m);
      const role = m.get('role');
      const text = contentText(r, m.get('content'), `messages[${i}].content`).trim();
      if (role === 'user') blocks.push(`<user> ${text} </user>`);
      else if (role === 'assistant') {
        const calls = callsOf(r, m.get('tool_calls'), `messages[${i}].tool_calls`);
        if (calls.length > 0) blocks.push(renderAnswer({ think: TOOL_CALL_THINK, calls, response: text === '' ? undefined : text }));
        else blocks.push(renderAnswer({ think: RESPONSE_THINK, response: text }));
      } else if (role === 'tool') {
        const obs = `<obs> ${text} </obs>`;
        if (k > 0 && blocks.length > 0 && turns[k - 1].get('role') !== 'user') blocks[blocks.length - 1] += `\n${obs}`;
        else blocks.push(obs);
      } else if (role === 'system') {
        blocks.push(`<user> ${text} </user>`);
      } else {
        r.fail(`messages[${i}] has role ${JSON.stringify(role ?? null)}; expected system, user, assistant or tool`);
      }
    });
    const user = `**Dialogue Records History**\n${blocks.join('\n\n')}`;

    const groundTruth = renderAnswer({
      think: gold.think ?? (gold.calls.length > 0 ? TOOL_CALL_THINK : RESPONSE_THINK),
      calls: gold.calls,
      response: gold.response === '' ? undefined : gold.response,
    });
    return systemUserRow(file, rec.row, system, user, groundTruth);
  });
}
