/**
 * API-Bank as the ToolRL paper evaluates it (levels 1–3, the paper's processed files
 * api-bank-level-{1,2,3}.json: 399 + 67 + 131 = 597 items, one gold call each).
 *
 * Rule (issue 7): an item is correct when some call in the model's LAST `<tool_call>` block has
 * the gold name and parameters equal to the gold's, with Python equality (lib/pycompat pyEq:
 * dict key order ignored, "1" != 1). The block is cut and parsed as the ToolRL harness does
 * (./bfclDecode: last `<tool_call>` to `</tool_call>`, one json.loads per line, bad lines skipped).
 * The gold `answer` is one `{name, parameters}` (level 2) or a list of them (levels 1 and 3); for a
 * list every gold call must be found (all lists in the data have one call). Accuracy per level and
 * overall over all items (micro average: 597 items when all levels run).
 *
 * Prompts are the files' own `system` + `user` messages, read by lib/data's loader (format
 * 'apibank'), which also renders the gold in the ToolRL format; the gold calls are read back
 * from that text, so the file format is parsed in one place only.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ChatMessage } from '../data/types';
import { loadDataset } from '../data/load';
import { isPyDict, pyDumps, pyEq, type PyValue } from '../pycompat';
import { invalidType, invalidValue, optionalPositiveInt } from './args';
import { decodedToPy, toolCallBlockValues } from './bfclDecode';
import { generateAll, type TextGenerator } from './generator';

/** One API-Bank item. */
export interface ApiBankItem {
  id: string;
  /** 1, 2 or 3 (from the file name `api-bank-level-N.json`); 0 when the name has no level. */
  level: number;
  messages: ChatMessage[];
  /** The gold calls, `[{name, parameters}]`, as Python values. */
  gold: PyValue[];
}

/** A verdict for one model text. */
export interface ApiBankVerdict {
  correct: boolean;
  /** Why not: no_tool_call, no_call_parsed, wrong_name, wrong_parameters (null when correct). */
  errorType: string | null;
  /** The parsed lines of the model's last `<tool_call>` block. */
  calls: PyValue[];
}

/** The gold `answer` field (a call or a list of calls; JS values or JSON text) as a list of Python dicts. */
export function apiBankGold(answer: unknown): PyValue[] {
  const v = decodedToPy(answer, 'answer');
  const list = Array.isArray(v) ? v : [v];
  if (list.length === 0) throw invalidValue('at least one gold call', 'answer', answer);
  for (const c of list) {
    if (!isPyDict(c) || typeof c.get('name') !== 'string' || !isPyDict(c.get('parameters') as PyValue)) {
      throw invalidType('gold calls of the form {name, parameters}', 'answer', answer);
    }
  }
  return list;
}

/** Scores parsed gold calls against a model text (see the file comment for the rule). */
export function apiBankVerdict(gold: readonly PyValue[], text: string): ApiBankVerdict {
  if (typeof text !== 'string') throw invalidType('a string (the model output)', 'text', text);
  const calls = toolCallBlockValues(text);
  const dicts = calls.filter(isPyDict);
  for (const g of gold as Map<string, PyValue>[]) {
    const sameName = dicts.filter((c) => c.has('name') && pyEq(c.get('name') as PyValue, g.get('name') as PyValue));
    if (sameName.some((c) => c.has('parameters') && pyEq(c.get('parameters') as PyValue, g.get('parameters') as PyValue))) continue;
    const errorType = !text.includes('<tool_call>')
      ? 'no_tool_call'
      : dicts.length === 0
        ? 'no_call_parsed'
        : sameName.length === 0
          ? 'wrong_name'
          : 'wrong_parameters';
    return { correct: false, errorType, calls };
  }
  return { correct: true, errorType: null, calls };
}

/**
 * Is `text` correct for this API-Bank gold `answer` (one `{name, parameters}` or a list of them,
 * as JS values or JSON text)? Throws TypeError for a malformed answer or a non-string text.
 */
export function apiBankScore(answer: unknown, text: string): ApiBankVerdict {
  return apiBankVerdict(apiBankGold(answer), text);
}

// ---------------------------------------------------------------------------------------------
// Loading

/** `api-bank-level-N.json` */
export function apiBankFileName(level: number): string {
  return `api-bank-level-${level}.json`;
}

/**
 * Loads API-Bank items from a directory (levels 1–3, all three files required) or from one
 * level file. `limit` keeps the first N items of each level.
 */
export async function loadApiBank(dataPath: string, opts: { limit?: number } = {}): Promise<ApiBankItem[]> {
  if (typeof dataPath !== 'string' || dataPath === '') throw invalidType('an API-Bank file or directory path', 'dataPath', dataPath);
  const limit = optionalPositiveInt(opts.limit, 'opts.limit');
  if (!fs.existsSync(dataPath)) throw new Error(`API-Bank data not found: ${dataPath}. HINT: pass the folder with api-bank-level-{1,2,3}.json or one of those files.`);
  let files: string[];
  if (fs.statSync(dataPath).isDirectory()) {
    files = [1, 2, 3].map((l) => path.join(dataPath, apiBankFileName(l)));
    const missing = files.filter((f) => !fs.existsSync(f));
    if (missing.length > 0) {
      throw new Error(`API-Bank data incomplete in ${dataPath}; missing:\n  ${missing.join('\n  ')}\nHINT: pass a single level file to run one level.`);
    }
  } else {
    files = [dataPath];
  }
  const items: ApiBankItem[] = [];
  for (const file of files) {
    const m = /level-(\d+)/.exec(path.basename(file));
    const level = m ? Number(m[1]) : 0;
    const { rows } = await loadDataset(file, { format: 'apibank', purpose: 'sft' });
    const kept = limit === undefined ? rows : rows.slice(0, limit);
    for (const row of kept) {
      items.push({ id: row.id, level, messages: row.messages as ChatMessage[], gold: toolCallBlockValues(row.groundTruth) });
    }
  }
  return items;
}

// ---------------------------------------------------------------------------------------------
// Running

export interface ApiBankItemResult {
  id: string;
  level: number;
  prompt: ChatMessage[];
  raw: string | null;
  /** The parsed lines of the last `<tool_call>` block, as Python values. */
  decoded: PyValue[] | null;
  gold: PyValue[];
  valid: boolean;
  errorType: string | null;
  error?: string;
}

export interface ApiBankLevelResult {
  level: number;
  total: number;
  correct: number;
  accuracy: number;
}

export interface ApiBankRunResult {
  bench: 'apibank';
  dataPath: string;
  levels: ApiBankLevelResult[];
  /** Over all items of all levels run (597 for the full set). */
  overall: { total: number; correct: number; accuracy: number };
  items: ApiBankItemResult[];
}

/** Runs the generator over the items and scores them; a bad output is scored, never thrown. */
export async function runApiBank(
  items: readonly ApiBankItem[],
  generate: TextGenerator,
  opts: { batchSize?: number; dataPath?: string; onProgress?: (done: number, total: number) => void } = {},
): Promise<ApiBankRunResult> {
  const batchSize = optionalPositiveInt(opts.batchSize, 'opts.batchSize') ?? 8;
  const outputs = await generateAll(
    generate,
    items.map((i) => i.messages),
    items.map((i) => i.id),
    batchSize,
    opts.onProgress,
  );
  const results: ApiBankItemResult[] = items.map((item, k) => {
    const out = outputs[k];
    const base = { id: item.id, level: item.level, prompt: item.messages, gold: item.gold };
    if ('failure' in out) {
      return { ...base, raw: null, decoded: null, valid: false, errorType: 'eval_harness:no_model_text', error: out.failure };
    }
    const v = apiBankVerdict(item.gold, out.text);
    return { ...base, raw: out.text, decoded: v.calls, valid: v.correct, errorType: v.errorType };
  });
  const levels = [...new Set(items.map((i) => i.level))].sort((a, b) => a - b);
  const levelResults = levels.map((level) => {
    const rs = results.filter((r) => r.level === level);
    const correct = rs.filter((r) => r.valid).length;
    return { level, total: rs.length, correct, accuracy: rs.length === 0 ? 0 : correct / rs.length };
  });
  const correct = results.filter((r) => r.valid).length;
  return {
    bench: 'apibank',
    dataPath: opts.dataPath ?? '',
    levels: levelResults,
    overall: { total: results.length, correct, accuracy: results.length === 0 ? 0 : correct / results.length },
    items: results,
  };
}

/** The API-Bank oracle: each item's gold calls as a ToolRL answer. */
export function apiBankOracle(items: readonly ApiBankItem[]): TextGenerator {
  const byId = new Map(items.map((i) => [i.id, i]));
  return async (_prompts, ids) =>
    ids.map((id) => {
      const item = byId.get(id);
      const lines = (item?.gold ?? []).map((g) => pyDumps(g));
      return `<think>Oracle: the gold call.</think>\n<tool_call>\n${lines.join('\n')}\n</tool_call>`;
    });
}
