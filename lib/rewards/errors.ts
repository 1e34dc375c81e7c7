/**
 * The reward's two errors. Both carry a machine-readable `reason` so a data loader or a test can
 * act on the kind of failure without parsing messages.
 */

function preview(s: string, max = 80): string {
  return JSON.stringify(s.length > max ? `${s.slice(0, max)}…` : s);
}

export type GroundTruthErrorReason =
  /** A line of the gold <tool_call> block is not JSON: the reference reward crashes (spec §2). */
  | 'invalid-json'
  /** The block parses but a call is not {"name": str, "parameters": {...}} (checkGroundTruth only). */
  | 'malformed-call';

/**
 * A ground truth the ToolRL reward cannot score. toolrlReward throws it where the reference code
 * itself raises (a line after the first `<tool_call>` that json.loads rejects — typically because
 * the gold text mentions `<tool_call>` inside `<think>`, 17 rows of rlla_sft.json); checkGroundTruth
 * throws it for those and also for calls that parse but are not {name: str, parameters: dict},
 * against which the reference mostly raises internally and silently scores the minimum (any
 * completion but an exact copy of the gold), so the row teaches nothing.
 */
export class GroundTruthError extends Error {
  readonly reason: GroundTruthErrorReason;
  /** 1-based line within the gold <tool_call> block. */
  readonly line: number;
  /** That line's text. */
  readonly lineText: string;
  /** What is wrong with it (Python's json message for 'invalid-json'). */
  readonly detail: string;
  constructor(reason: GroundTruthErrorReason, line: number, lineText: string, detail: string) {
    const what =
      reason === 'invalid-json'
        ? 'one JSON value per line after <tool_call>'
        : 'a tool call {"name": string, "parameters": object} per line after <tool_call>';
    super(
      `Expected ${what} for groundTruth but received line ${line} ${preview(lineText)} of type string (${detail}). ` +
        (reason === 'invalid-json'
          ? 'HINT: the reference reward crashes on this row; it usually mentions <tool_call> or <response> inside ' +
            '<think>, so the text after the first <tool_call> is prose. Drop the row (checkGroundTruth) or fix its text.'
          : 'HINT: the reference cannot compare calls against this row (it mostly raises and scores the minimum, ' +
            'even for a correct answer, unless it is an exact copy); drop the row or fix its calls.'),
    );
    this.name = 'GroundTruthError';
    this.reason = reason;
    this.line = line;
    this.lineText = lineText;
    this.detail = detail;
  }
}

export type ToolCallParseErrorReason =
  /** No `<tool_call>` or no `</tool_call>` in the text. */
  | 'missing-tags'
  /** A line of the block is not valid JSON (Python's json.loads rejects it; blank lines too). */
  | 'invalid-json'
  /** A line is JSON but not an object with a "name" key. */
  | 'not-a-call';

/** parseToolCalls could not read the text the way the reward would (the reward scores it min). */
export class ToolCallParseError extends SyntaxError {
  readonly reason: ToolCallParseErrorReason;
  /** 1-based line within the <tool_call> block (0 for 'missing-tags'). */
  readonly line: number;
  constructor(reason: ToolCallParseErrorReason, line: number, message: string) {
    super(message);
    this.name = 'ToolCallParseError';
    this.reason = reason;
    this.line = line;
  }
}
