/**
 * Held-out evaluation during and after training: greedy generation on a fixed set of rows, then
 * exact-match accuracy (all calls right, exact-match.ts) and the mean ToolRL reward (default
 * variant, step 0 — so figures are comparable across the run and across runs).
 */
import type { ChatTemplate } from '../data/template';
import type { Tokenizer } from '../data/tokenizer';
import type { ToolUseExample } from '../data/types';
import type { Policy } from '../policy';
import { toolrlReward } from '../rewards';
import { exactMatch, namesMatch } from './exact-match';
import { decodeCompletion, encodePrompt } from './prompts';

export interface EvalResult {
  /** Fraction of rows with every call right (0..1). */
  accuracy: number;
  /** Mean ToolRL reward (default variant). */
  reward: number;
  /** Fraction of completions in the ToolRL format (format reward at its maximum). */
  formatRate: number;
  /** Of the rows whose gold answer calls tools: fraction naming exactly the gold tools (issue 8). */
  nameAccuracy: number;
  n: number;
  samples: { id: string; completion: string; groundTruth: string; exact: boolean; namesRight?: boolean; reward: number }[];
}

export interface EvalSetup {
  policy: Policy;
  tokenizer: Tokenizer;
  template: ChatTemplate;
  stopTokenIds: number[];
  maxPromptTokens: number;
  maxNewTokens: number;
  batchSize?: number;
}

export async function evaluateHeldOut(rows: readonly ToolUseExample[], s: EvalSetup): Promise<EvalResult> {
  const batch = s.batchSize ?? 32;
  const samples: EvalResult['samples'] = [];
  for (let i = 0; i < rows.length; i += batch) {
    const chunk = rows.slice(i, i + batch);
    const prompts = chunk.map((r) => encodePrompt(r, s.tokenizer, s.template, s.maxPromptTokens).ids);
    const out = await s.policy.generate(prompts, { temperature: 0, maxNewTokens: s.maxNewTokens, stopTokenIds: s.stopTokenIds });
    chunk.forEach((row, k) => {
      const completion = decodeCompletion(out.ids[k]!, s.tokenizer, s.stopTokenIds);
      const r = toolrlReward(completion, row.groundTruth);
      const namesRight = namesMatch(completion, row.groundTruth);
      samples.push({ id: row.id, completion, groundTruth: row.groundTruth, exact: exactMatch(completion, row.groundTruth), ...(namesRight === undefined ? {} : { namesRight }), reward: r.score });
    });
  }
  const n = samples.length;
  const formatOk = samples.filter((x) => toolrlReward(x.completion, x.groundTruth).format >= 1).length;
  const withCalls = samples.filter((x) => x.namesRight !== undefined);
  return {
    nameAccuracy: withCalls.length ? withCalls.filter((x) => x.namesRight).length / withCalls.length : 0,
    accuracy: n ? samples.filter((x) => x.exact).length / n : 0,
    reward: n ? samples.reduce((a, x) => a + x.reward, 0) / n : 0,
    formatRate: n ? formatOk / n : 0,
    n,
    samples,
  };
}
