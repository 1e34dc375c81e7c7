/**
 * The prompt the ToolRL BFCL harness builds (`RLLAHandler._format_prompt` in the paper's
 * benchmarks/BFCL/rlla_qwen.py, spec/BFCL.md §7), as [system, user] chat messages:
 *
 *  system: the ToolRL system prompt (the same text as the training data's, plus a final "\n")
 *          with the tools listed as
 *              N. Name: <name>
 *              Description: <description + BFCL's " Note that the provided function is in Python 3 syntax.">
 *              Parameters: <json.dumps(parameters["properties"])>
 *          (`required` is not shown);
 *  user:   "**Dialogue Records History**\n" + every turn, Python-stripped at the end:
 *          system messages dropped (BFCL's default prompt and the entries' own, 92 in v3),
 *          user turns wrapped in `<user> … </user>` with the harness's single-turn instruction,
 *          assistant turns appended raw between newlines, tool results as `<obs> … </obs>`.
 *
 * The harness then writes ChatML by hand; `toolrlChatml` gives that exact string. With a Qwen2
 * chat template, rendering these two messages with a generation prompt gives the same text.
 */
import type { ChatMessage } from '../data/types';
import { isPyDict, pyDumps, pyStrip, type PyValue } from '../pycompat';
import { PyRaise, pyGetKey, pyRepr } from './bfclPython';

/** BFCL's `_get_language_specific_hint` for Python categories, appended to every description. */
export const BFCL_PYTHON_HINT = ' Note that the provided function is in Python 3 syntax.';

/** The harness's system prompt (`SYS` after `.format(json_string=...)`); `{tools}` is the tool list. */
export const TOOLRL_BFCL_SYSTEM_TEMPLATE = `You are a helpful multi-turn dialogue assistant capable of leveraging tool calls to solve user tasks and provide structured chat responses.

**Available Tools**
In your response, you can use the following tools:
{tools}

**Steps for Each Turn**
1. **Think:** Recall relevant context and analyze the current user goal.
2. **Decide on Tool Usage:** If a tool is needed, specify the tool and its parameters.
3. **Respond Appropriately:** If a response is needed, generate one while maintaining consistency across user queries.

**Output Format**
\`\`\`plaintext
<think> Your thoughts and reasoning </think>
<tool_call>
{"name": "Tool name", "parameters": {"Parameter name": "Parameter content", "... ...": "... ..."}}
{"name": "... ...", "parameters": {"... ...": "... ...", "... ...": "... ..."}}
...
</tool_call>
<response> AI's final response </response>
\`\`\`

**Important Notes**
1. You must always include the \`<think>\` field to outline your reasoning. Provide at least one of \`<tool_call>\` or \`<response>\`. Decide whether to use \`<tool_call>\` (possibly multiple times), \`<response>\`, or both.
2. You can invoke multiple tool calls simultaneously in the \`<tool_call>\` fields. Each tool call should be a JSON object with a "name" field and an "parameters" field containing a dictionary of parameters. If no parameters are needed, leave the "parameters" field an empty dictionary.
3. Refer to the previous dialogue records in the history, including the user's queries, previous \`<tool_call>\`, \`<response>\`, and any tool feedback noted as \`<obs>\` (if exists).
`;

/** The instruction the harness appends inside every user turn of a single-turn entry. */
export const TOOLRL_BFCL_USER_INSTRUCTION =
  "If there's no appropriate tools to apply or required parameters are missing, please directly inform me in your response without any tool call, or call the tool with the name as 'None'. Otherwise, you should use one or more necessary tool calls to complete the given task in this turn.";

/** Appended after the last message when it is a tool result (multi-turn only; kept for completeness). */
const AFTER_LAST_OBSERVATION =
  '\n<user> If you think you have completed the current task, or the task cannot be finished, please respond directly without additional tool calls. If you encounter an error during tool execution or the task remains unfinished, retry with the one or more necessary tool calls according to your thought and plan until completion. Based on the tool execution feedback, reflect on if understanding or selectioin of tool is wrong, what tool calling step is missing, and how to achieve the task goal from now on. </user>\n';

/** Python's f-string `{x}`: str(x), which is repr(x) for every non-str json value. */
function pyStr(v: PyValue): string {
  return typeof v === 'string' ? v : pyRepr(v);
}

function needString(v: PyValue, what: string): string {
  if (typeof v !== 'string') throw new PyRaise('TypeError', `${what} is a ${v === null ? 'NoneType' : typeof v}, not str`);
  return v;
}

/**
 * The numbered tool list. BFCL's pre-processing (`func_doc_language_specific_pre_processing`)
 * appends the Python hint to each description and reads `parameters.properties`; the harness then
 * prints `parameters.get("properties", {})` with json.dumps defaults.
 */
export function bfclToolList(functions: PyValue): string {
  const docs = Array.isArray(functions) ? functions : isPyDict(functions) ? [functions] : null;
  if (docs === null) throw new PyRaise('TypeError', `the function list is a ${typeof functions}, not a list`);
  return docs
    .map((doc, i) => {
      const description = needString(pyGetKey(doc, 'description'), 'description') + BFCL_PYTHON_HINT;
      const parameters = pyGetKey(doc, 'parameters');
      pyGetKey(parameters, 'properties'); // the pre-processing step reads it (KeyError when absent)
      const properties = (parameters as Map<string, PyValue>).get('properties') as PyValue;
      return `${i + 1}. Name: ${pyStr(pyGetKey(doc, 'name'))}\nDescription: ${description}\nParameters: ${pyDumps(properties)}`;
    })
    .join('\n');
}

/** The harness's system prompt for these functions. */
export function bfclSystemPrompt(functions: PyValue): string {
  const tools = bfclToolList(functions);
  return TOOLRL_BFCL_SYSTEM_TEMPLATE.replace('{tools}', () => tools);
}

/** The harness's user prompt: the dialogue with system turns dropped and user turns wrapped. */
export function bfclUserPrompt(messages: PyValue): string {
  if (!Array.isArray(messages)) throw new PyRaise('TypeError', 'the question turn is not a list of messages');
  let out = '**Dialogue Records History**\n';
  messages.forEach((m, i) => {
    const role = pyGetKey(m, 'role');
    if (role === 'system') return;
    if (role === 'user') {
      out += `<user> ${pyStrip(needString(pyGetKey(m, 'content'), 'content'))}\n${TOOLRL_BFCL_USER_INSTRUCTION} </user>\n`;
    } else if (role === 'tool') {
      const name = pyStrip(needString(pyGetKey(m, 'name'), 'name'));
      out += `<obs> You have made the tool call ${name}. Execution returns: ${pyStrip(needString(pyGetKey(m, 'content'), 'content'))} </obs>\n`;
      if (i === messages.length - 1) out += AFTER_LAST_OBSERVATION;
    } else if (role === 'assistant') {
      out += `\n${pyStrip(needString(pyGetKey(m, 'content'), 'content'))}\n`;
    }
  });
  return pyStrip(out);
}

/** The [system, user] messages the ToolRL harness sends for one BFCL entry. */
export function bfclPrompt(messages: PyValue, functions: PyValue): ChatMessage[] {
  return [
    { role: 'system', content: bfclSystemPrompt(functions) },
    { role: 'user', content: bfclUserPrompt(messages) },
  ];
}

/** The exact ChatML string the harness feeds the model (Qwen2 format, generation prompt open). */
export function toolrlChatml(messages: readonly ChatMessage[]): string {
  return `${messages.map((m) => `<|im_start|>${m.role}\n${m.content}<|im_end|>\n`).join('')}<|im_start|>assistant\n`;
}
