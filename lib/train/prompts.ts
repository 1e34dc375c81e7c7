/**
 * From dataset rows to what the policy sees: chat template (with the generation header), token
 * ids, left truncation to the prompt limit (veRL `truncation='left'`, as the paper trains), and
 * completions decoded back to text for the reward.
 */
import type { ChatTemplate } from '../data/template';
import type { Tokenizer } from '../data/tokenizer';
import type { ToolUseExample } from '../data/types';

export interface EncodedPrompt {
  ids: Int32Array;
  /** Tokens cut from the left to fit the limit. */
  truncated: number;
}

/** The prompt messages of a row (everything but a final assistant turn). */
export function promptMessages(row: ToolUseExample): ToolUseExample['messages'] {
  const m = row.messages;
  return m.length > 0 && m[m.length - 1]!.role === 'assistant' ? m.slice(0, -1) : m;
}

export function encodePrompt(row: ToolUseExample, tokenizer: Tokenizer, template: ChatTemplate, maxPromptTokens: number): EncodedPrompt {
  const text = template.render(promptMessages(row), { addGenerationPrompt: true });
  return tokenizer.encodePrompt(text, maxPromptTokens);
}

/** Completion ids → text for the reward: drops a final stop token and special tokens. */
export function decodeCompletion(ids: Int32Array, tokenizer: Tokenizer, stopTokenIds: readonly number[]): string {
  const end = ids.length > 0 && stopTokenIds.includes(ids[ids.length - 1]!) ? ids.length - 1 : ids.length;
  return tokenizer.decode(ids.subarray(0, end), { skipSpecialTokens: true });
}

/** Gold answer ids for SFT: the ground-truth text followed by the stop token (so the model learns to stop). */
export function encodeAnswer(row: ToolUseExample, tokenizer: Tokenizer, stopTokenId: number): Int32Array {
  const ids = tokenizer.encode(row.groundTruth);
  const out = new Int32Array(ids.length + 1);
  out.set(ids);
  out[ids.length] = stopTokenId;
  return out;
}

/** Stop tokens for a tokenizer: EOS and ChatML's `<|im_end|>` when present. */
export function stopTokens(tokenizer: Tokenizer): number[] {
  const ids = new Set<number>();
  if (tokenizer.eosTokenId !== undefined) ids.add(tokenizer.eosTokenId);
  for (const t of ['<|im_end|>', '<|endoftext|>', '<|eot_id|>']) {
    const id = tokenizer.tokenToId(t);
    if (id !== undefined) ids.add(id);
  }
  return [...ids];
}
