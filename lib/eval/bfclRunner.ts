/**
 * The BFCL run: for every loaded entry, the ToolRL harness prompt (./bfclPrompt) → the
 * generator (a policy, greedy; or the oracle) → the harness decoder (./bfclDecode) → the official
 * checks (./bfclCheck), then per-category accuracy and the summary columns (./bfclAggregate).
 *
 * Nothing about one item stops the run: a malformed entry, a prompt that cannot be built, a
 * failed generation or a non-text output is scored invalid with error type `eval_harness:<what>`
 * and its reason, and counts in its category's total.
 */
import type { ChatMessage } from '../data/types';
import type { PyValue } from '../pycompat';
import { optionalPositiveInt } from './args';
import { summarizeBfcl, type BfclSummary } from './bfclAggregate';
import { bfclCheckDecoded } from './bfclCheck';
import type { BfclDataset } from './bfclData';
import { bfclDecodePy } from './bfclDecode';
import type { OracleAnswer } from './bfclOracle';
import { bfclPrompt } from './bfclPrompt';
import { generateAll, type TextGenerator } from './generator';

/** One scored item, with everything needed to see why it failed. */
export interface BfclItemResult {
  id: string;
  category: string;
  /** The messages sent to the model (null when the prompt could not be built). */
  prompt: ChatMessage[] | null;
  /** The raw model text (null when there is none). */
  raw: string | null;
  /** The decoded calls `[{name: {arg: value}}]` as Python values (null when nothing was decoded). */
  decoded: PyValue | null;
  valid: boolean;
  errorType: string | null;
  error?: string;
  /** Oracle runs: why no output can pass this entry (spec §9), when that is so. */
  unsatisfiable?: string;
  /** Oracle runs: passes only with "" sent for a required parameter whose answer is only "" (./bfclOracle). */
  emptyStringOnly?: string;
}

export interface BfclCategoryResult {
  category: string;
  total: number;
  correct: number;
  accuracy: number;
  /** Count of each error type among the invalid items. */
  errorTypes: Record<string, number>;
  /** Entries in the file (before --limit). */
  totalInFile: number;
  warnings: string[];
}

export interface BfclRunResult {
  bench: 'bfcl';
  dataDir: string;
  categories: BfclCategoryResult[];
  summary: BfclSummary;
  items: BfclItemResult[];
  /** Oracle runs: satisfiable entries must all be valid; the unsatisfiable ones are listed by id. */
  oracle?: {
    satisfiable: number;
    satisfiableValid: number;
    unsatisfiable: { id: string; reason: string; valid: boolean; errorType: string | null }[];
    /** Satisfiable only by an explicit "" for a required parameter (spec §9 lists them as unsatisfiable). */
    emptyStringOnly: { id: string; reason: string; valid: boolean }[];
    /** Satisfiable entries that the harness scored invalid: each is a harness bug. */
    unexpectedFailures: { id: string; errorType: string | null; error?: string }[];
  };
}

export interface RunBfclOptions {
  /** Prompts per generator call (default 8). */
  batchSize?: number;
  /** Oracle runs: the oracle's per-id answers, to report unsatisfiable entries. */
  oracleAnswers?: Map<string, OracleAnswer>;
  /** Called after each generator batch. */
  onProgress?: (category: string, done: number, total: number) => void;
}

/** Runs the generator over the dataset and scores everything. */
export async function runBfcl(dataset: BfclDataset, generate: TextGenerator, opts: RunBfclOptions = {}): Promise<BfclRunResult> {
  const batchSize = optionalPositiveInt(opts.batchSize, 'opts.batchSize') ?? 8;
  if (typeof generate !== 'function') throw new TypeError(`Expected a TextGenerator function for generate but received ${typeof generate}`);
  const items: BfclItemResult[] = [];
  const categories: BfclCategoryResult[] = [];

  for (const cat of dataset.categories) {
    const catItems: BfclItemResult[] = cat.entries.map((e) => ({
      id: e.id,
      category: cat.category,
      prompt: null,
      raw: null,
      decoded: null,
      valid: false,
      errorType: null,
    }));
    // Prompts; entries that cannot be prompted are scored now and not sent to the model.
    const todo: number[] = [];
    cat.entries.forEach((e, i) => {
      if (e.problem !== undefined) {
        Object.assign(catItems[i], { errorType: 'eval_harness:bad_entry', error: e.problem });
        return;
      }
      try {
        catItems[i].prompt = bfclPrompt(e.messages, e.functions);
        todo.push(i);
      } catch (err) {
        Object.assign(catItems[i], { errorType: 'eval_harness:bad_entry', error: `cannot build the prompt: ${(err as Error).message}` });
      }
    });

    const outputs = await generateAll(
      generate,
      todo.map((i) => catItems[i].prompt as ChatMessage[]),
      todo.map((i) => catItems[i].id),
      batchSize,
      (done, total) => opts.onProgress?.(cat.category, done, total),
    );
    todo.forEach((i, k) => {
      const out = outputs[k];
      const item = catItems[i];
      const entry = cat.entries[i];
      if ('failure' in out) {
        Object.assign(item, { errorType: 'eval_harness:no_model_text', error: out.failure });
        return;
      }
      item.raw = out.text;
      item.decoded = bfclDecodePy(out.text);
      try {
        Object.assign(item, bfclCheckDecoded(cat.category, entry.functions, entry.possibleAnswer, item.decoded));
      } catch (err) {
        Object.assign(item, { valid: false, errorType: 'eval_harness:check_failed', error: (err as Error).message });
      }
    });

    if (opts.oracleAnswers !== undefined) {
      for (const item of catItems) {
        const answer = opts.oracleAnswers.get(item.id);
        if (answer?.unsatisfiable) item.unsatisfiable = answer.unsatisfiable;
        if (answer?.emptyStringOnly) item.emptyStringOnly = answer.emptyStringOnly;
      }
    }

    const correct = catItems.filter((r) => r.valid).length;
    const errorTypes: Record<string, number> = {};
    for (const r of catItems) if (!r.valid) errorTypes[r.errorType ?? 'unknown'] = (errorTypes[r.errorType ?? 'unknown'] ?? 0) + 1;
    categories.push({
      category: cat.category,
      total: catItems.length,
      correct,
      accuracy: catItems.length === 0 ? 0 : correct / catItems.length,
      errorTypes,
      totalInFile: cat.totalInFile,
      warnings: cat.warnings,
    });
    items.push(...catItems);
  }

  const result: BfclRunResult = { bench: 'bfcl', dataDir: dataset.dir, categories, summary: summarizeBfcl(categories), items };
  if (opts.oracleAnswers !== undefined) {
    const unsat = items.filter((r) => r.unsatisfiable !== undefined);
    const sat = items.filter((r) => r.unsatisfiable === undefined);
    result.oracle = {
      satisfiable: sat.length,
      satisfiableValid: sat.filter((r) => r.valid).length,
      unsatisfiable: unsat.map((r) => ({ id: r.id, reason: r.unsatisfiable as string, valid: r.valid, errorType: r.errorType })),
      emptyStringOnly: items
        .filter((r) => r.emptyStringOnly !== undefined)
        .map((r) => ({ id: r.id, reason: r.emptyStringOnly as string, valid: r.valid })),
      unexpectedFailures: sat.filter((r) => !r.valid).map((r) => ({ id: r.id, errorType: r.errorType, error: r.error })),
    };
  }
  return result;
}
