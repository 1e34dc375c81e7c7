/**
 * Supervised fine-tuning on demonstrations (the paper's SFT baseline and the mini pipeline's
 * second stage): cross-entropy on the answer tokens only (fused, chunked), AdamW, constant lr.
 * Reads top-down: data → steps → log.
 */
import { DEFAULT_TRAIN_STEP_OPTIONS, type SftConfig, type TrainStepOptions } from '../config';
import { PromptBatcher } from '../data/batcher';
import type { ChatTemplate } from '../data/template';
import type { Tokenizer } from '../data/tokenizer';
import type { ToolUseExample } from '../data/types';
import type { Policy } from '../policy';
import type { JsonlLog } from '../report/log';
import { Rng } from '../data/rng';
import { pieceSplitter } from '../pretrain/pieceDropout';
import { Progress } from '../report/progress';
import { sortByLength } from './length-order';
import { encodeAnswer, encodePrompt } from './prompts';

export interface SftRun {
  policy: Policy;
  tokenizer: Tokenizer;
  template: ChatTemplate;
  rows: readonly ToolUseExample[];
  config: SftConfig;
  /** Stop token appended to every answer (the model learns to end its turn). */
  stopTokenId: number;
  log?: JsonlLog;
  step?: Partial<TrainStepOptions>;
  label?: string;
}

export interface SftSummary {
  steps: number;
  tokens: number;
  seconds: number;
  finalLoss: number;
}

export async function runSft(run: SftRun): Promise<SftSummary> {
  const { policy, tokenizer, template, config } = run;
  // Piece dropout: a fresh split of each demonstration every time it is drawn, one split per word
  // shared by prompt and answer (a name copied from the list stays the same tokens).
  const pieces = pieceSplitter(tokenizer, config.pieceDropout ?? 0, 'sft pieceDropout');
  // ---- data: (prompt, answer + stop) pairs
  const pairs = run.rows.map((row, index) => ({
    index,
    prompt: encodePrompt(row, tokenizer, template, config.maxPromptTokens).ids,
    answer: encodeAnswer(row, tokenizer, run.stopTokenId),
  }));
  const batcher = new PromptBatcher(pairs, { promptsPerStep: config.batchSize, seed: config.seed, epochs: config.epochs });
  const progress = new Progress(run.label ?? 'sft', batcher.totalSteps);
  const t0 = performance.now();
  let step = 0;
  let tokens = 0;
  let finalLoss = NaN;
  const split = (b: (typeof pairs)[number]): (typeof pairs)[number] => {
    if (pieces === undefined) return b;
    const rng = Rng.derive(config.seed, 'sft-piece-dropout', step, b.index);
    const seen = new Map<string, number[]>();
    const prompt = pieces(b.prompt, rng, seen);
    return { index: b.index, prompt, answer: pieces(b.answer, rng, seen) };
  };
  // ---- steps
  for (let next = batcher.next(); next; next = batcher.next()) {
    const drawn = next.map(split);
    const batch = config.microBatchSize > 0 ? sortByLength(drawn, (b) => b.prompt.length + b.answer.length) : drawn;
    const ts = performance.now();
    const m = await policy.sftStep(
      { prompts: batch.map((b) => b.prompt), completions: batch.map((b) => b.answer) },
      { ...DEFAULT_TRAIN_STEP_OPTIONS, ...run.step, lr: config.lr, microBatchSize: config.microBatchSize },
    );
    step++;
    tokens += m.tokens;
    finalLoss = m.loss;
    const seconds = (performance.now() - ts) / 1000;
    run.log?.write({ phase: 'sft', step, loss: m.loss, grad_norm: m.gradNorm, tokens: m.tokens, tokens_per_s: m.tokens / seconds, seconds, skipped: m.skipped });
    progress.update(step, `loss ${m.loss.toFixed(3)}`);
  }
  progress.done(`loss ${finalLoss.toFixed(3)}`);
  return { steps: step, tokens, seconds: (performance.now() - t0) / 1000, finalLoss };
}
