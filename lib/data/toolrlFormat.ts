/**
 * The ToolRL output format (Qian et al. 2025, §3; ../shared/spec/REWARD.md "Output format"):
 *
 *     <think> reasoning </think>
 *     <tool_call>
 *     {"name": "tool_a", "parameters": {"arg": "value"}}
 *     </tool_call>
 *     <response> final answer </response>
 *
 * Rendering gold turns for sources that do not already carry them (API-Bank, OpenAI-style JSONL,
 * toolrl-mini), and the check that a ground truth is usable by the reference reward.
 */
import { fromJS, pyDumps, type PyDict, type PyValue } from '../pycompat';
import { checkGroundTruth } from '../rewards';

/**
 * The `<think>` the paper's RL data puts in every tool-call ground truth (test.parquet, rlla_4k):
 * the reward never scores think text of the ground truth, so the RL set uses one fixed sentence.
 */
export const TOOL_CALL_THINK = "I should use the appropriate tool with proper parameters to respond to the user's need.";
/** The `<think>` of the paper's response-only ground truths. */
export const RESPONSE_THINK = "I should directly respond to the user's need.";

/**
 * One gold call to render. `parameters` is a JSON object: a PyDict (a Map from lib/pycompat's
 * pyLoads, whose values keep Python's int/float kinds and key order: written back unchanged), or
 * a plain object of JavaScript values (converted with fromJS: integral numbers become ints).
 */
export interface GoldCall {
  name: string;
  parameters: PyDict | Record<string, unknown>;
}

/** A Map is taken as a PyValue already; anything else is converted from plain JavaScript. */
export function asPyValue(v: unknown, name: string): PyValue {
  return v instanceof Map ? (v as PyDict) : fromJS(v, name);
}

/** `{"name": ..., "parameters": {...}}` exactly as Python's json.dumps writes it. */
export function renderToolCall(call: GoldCall): string {
  return pyDumps(new Map<string, PyValue>([['name', call.name], ['parameters', asPyValue(call.parameters, 'parameters')]]));
}

/**
 * A gold assistant turn. `calls` (non-empty) gives a `<tool_call>` block, one call per line;
 * `response` gives a `<response>` block; at least one of them is required. Spaces inside the
 * tags follow the paper's data (`<think> x </think>`, `<response> x </response>`).
 */
export function renderAnswer(parts: { think: string; calls?: readonly GoldCall[]; response?: string }): string {
  const hasCalls = parts.calls !== undefined && parts.calls.length > 0;
  if (!hasCalls && parts.response === undefined) {
    throw new RangeError('Expected calls or a response for renderAnswer but received neither of type object');
  }
  let out = `<think> ${parts.think} </think>`;
  if (hasCalls) out += '\n<tool_call>\n' + parts.calls!.map(renderToolCall).join('\n') + '\n</tool_call>';
  if (parts.response !== undefined) out += `\n<response> ${parts.response} </response>`;
  return out;
}

/**
 * Why the ToolRL reward cannot use `groundTruth` as ground truth, or null when it can: the
 * message of lib/rewards' `checkGroundTruth` (a GroundTruthError). E.g. the 17 rows of
 * rlla_sft.json whose `<think>` mentions `<tool_call>`: the reference reads the calls from the
 * text after the first `<tool_call>`, which is prose, and crashes.
 */
export function groundTruthProblem(groundTruth: string): string | null {
  try {
    checkGroundTruth(groundTruth);
    return null;
  } catch (e) {
    if (e instanceof Error && e.name === 'GroundTruthError') return e.message;
    throw e;
  }
}
