/**
 * The shapes lib/data hands to the rest of toolrl (issue 4). Names and fields are public API:
 * keep them exactly as the issue writes them.
 */

/** One chat message. Chat templates accept these roles (and `tool` for models that have it). */
export interface ChatMessage {
  role: 'system' | 'user' | 'assistant' | 'tool';
  content: string;
}

/**
 * One tool-use example: the prompt messages (system = the ToolRL system prompt with its tool list,
 * user = the dialogue so far) and the gold assistant turn in the ToolRL output format
 * (`<think>…</think>` then `<tool_call>…</tool_call>` and/or `<response>…</response>`).
 */
export interface ToolUseExample {
  /** Stable id: `<file name>#<row>` for files, `mini/<split>/<seed>/<index>` for toolrl-mini. */
  id: string;
  messages: { role: 'system' | 'user' | 'assistant'; content: string }[];
  groundTruth: string;
}

/** A row that was left out, with its 0-based row number in the file and the reason. */
export interface RejectedRow {
  row: number;
  reason: string;
}

/** Dataset formats `loadDataset` reads. */
export type DatasetFormat = 'toolrl' | 'verl' | 'apibank' | 'jsonl';

/** What the rows will be used for: `rl` also rejects ground truths the reward cannot score. */
export type DatasetPurpose = 'rl' | 'sft';
