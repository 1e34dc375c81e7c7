/**
 * The ToolRL system prompt (../shared/data/toolrl/system_prompt_template.txt, from the paper's
 * repository) and the tool list that fills its `{tools}` slot, in the layout of the paper's data:
 *
 *     1. Name: <name>
 *     Description: <description>
 *     Parameters: <json.dumps of the parameter dict>
 *
 * (rlla_sft.json and test.parquet use exactly this; every row's system prompt is this template
 * with its numbered list.)
 */
import { fromJS, pyDumps } from '../pycompat';
import { asPyValue } from './toolrlFormat';

/** The paper's system prompt, verbatim; `{tools}` is replaced by the numbered tool list. */
export const TOOLRL_SYSTEM_TEMPLATE = [
  "You are a helpful multi-turn dialogue assistant capable of leveraging tool calls to solve user tasks and provide structured chat responses.",
  "",
  "**Available Tools**",
  "In your response, you can use the following tools:",
  "{tools}",
  "",
  "**Steps for Each Turn**",
  "1. **Think:** Recall relevant context and analyze the current user goal.",
  "2. **Decide on Tool Usage:** If a tool is needed, specify the tool and its parameters.",
  "3. **Respond Appropriately:** If a response is needed, generate one while maintaining consistency across user queries.",
  "",
  "**Output Format**",
  "```plaintext",
  "<think> Your thoughts and reasoning </think>",
  "<tool_call>",
  "{\"name\": \"Tool name\", \"parameters\": {\"Parameter name\": \"Parameter content\", \"... ...\": \"... ...\"}}",
  "{\"name\": \"... ...\", \"parameters\": {\"... ...\": \"... ...\", \"... ...\": \"... ...\"}}",
  "...",
  "</tool_call>",
  "<response> AI's final response </response>",
  "```",
  "",
  "**Important Notes**",
  "1. You must always include the `<think>` field to outline your reasoning. Provide at least one of `<tool_call>` or `<response>`. Decide whether to use `<tool_call>` (possibly multiple times), `<response>`, or both.",
  "2. You can invoke multiple tool calls simultaneously in the `<tool_call>` fields. Each tool call should be a JSON object with a \"name\" field and an \"parameters\" field containing a dictionary of parameters. If no parameters are needed, leave the \"parameters\" field an empty dictionary.",
  "3. Refer to the previous dialogue records in the history, including the user's queries, previous `<tool_call>`, `<response>`, and any tool feedback noted as `<obs>` (if exists).",
].join('\n');

/** A tool as the ToolRL prompt lists it. `parameters` is written with Python's json.dumps. */
export interface ToolSpec {
  name: string;
  description: string;
  /** The parameter dict (e.g. a JSON Schema `properties` object): a PyDict, or plain JavaScript. */
  parameters: unknown;
  /** Required parameter names; listed on a `Required:` line when non-empty (JSONL sources). */
  required?: readonly string[];
}

/** The numbered tool list in the paper's layout. */
export function renderToolList(tools: readonly ToolSpec[]): string {
  return tools
    .map((t, i) => {
      let s = `${i + 1}. Name: ${t.name}\nDescription: ${t.description}\nParameters: ${pyDumps(asPyValue(t.parameters, 'parameters'))}`;
      if (t.required !== undefined && t.required.length > 0) s += `\nRequired: ${pyDumps(fromJS(t.required, 'required'))}`;
      return s;
    })
    .join('\n');
}

/** The full ToolRL system prompt for `tools`. */
export function toolrlSystemPrompt(tools: readonly ToolSpec[]): string {
  return TOOLRL_SYSTEM_TEMPLATE.replace('{tools}', () => renderToolList(tools));
}
