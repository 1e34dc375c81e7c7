/**
 * lib/data: everything between a file on disk and the token ids the policy sees (issue 4) —
 * dataset sources and `loadDataset`, chat templates, tokenizers, prompt batching, and the
 * toolrl-mini world behind `node train.js`'s default.
 */
export type { ChatMessage, ToolUseExample, RejectedRow, DatasetFormat, DatasetPurpose } from './types';
export { loadDataset, type LoadDatasetOptions, type LoadedDataset } from './load';
export { DatasetError } from './sources/records';
export { Tokenizer, type TokenizerConfig } from './tokenizer';
export { truncateLeft, type Truncated } from './truncate';
export { ChatTemplate, renderPrompt, type RenderOptions } from './template';
export { PromptBatcher, type BatcherOptions, type BatcherState } from './batcher';
export { TOOL_CALL_THINK, RESPONSE_THINK, renderToolCall, renderAnswer, groundTruthProblem, type GoldCall } from './toolrlFormat';
export { TOOLRL_SYSTEM_TEMPLATE, renderToolList, toolrlSystemPrompt, type ToolSpec } from './systemPrompt';
export * from './mini';
