/**
 * `loadDataset(path, opts)`: any supported file → ToolUseExamples (issue 4).
 *
 * Formats, detected from the content unless `format` forces one:
 * - `verl`    parquet (starts with the bytes "PAR1"): `prompt` + `reward_model.ground_truth`;
 * - `toolrl`  JSON array / JSONL of `{instruction, input, output}` (rlla_sft.json);
 * - `apibank` JSON array / JSONL of `{system, user, answer}` (api-bank-level-N.json);
 * - `jsonl`   JSON array / JSONL of OpenAI-style `{messages, tools}` conversations.
 *
 * `purpose: 'rl'` (the default) also leaves out, with row and reason, the rows whose ground truth
 * the reference reward cannot score (../toolrlFormat.ts `groundTruthProblem`: e.g. 17 rows of
 * rlla_sft.json mention `<tool_call>` inside `<think>`); `purpose: 'sft'` keeps every row that has
 * a ground truth. Anything else wrong — missing file, unknown format, a malformed row, a row with
 * no ground truth — is a `DatasetError` naming the file and row, raised here, before training.
 */
import { promises as fs } from 'node:fs';
import { checkOneOf, checkOptions, checkString } from './validate';
import { groundTruthProblem } from './toolrlFormat';
import type { DatasetFormat, DatasetPurpose, RejectedRow, ToolUseExample } from './types';
import { DatasetError, readFileOrThrow, splitRecords, type RawRecord, type SourceRow } from './sources/records';
import { convertToolrl, isToolrlRecord } from './sources/toolrl';
import { convertApibank, isApibankRecord } from './sources/apibank';
import { convertJsonl, isJsonlRecord } from './sources/jsonl';
import { isParquet, iterateVerl } from './sources/verl';

export interface LoadDatasetOptions {
  /** 'auto' (default) detects the format from the content. */
  format?: 'auto' | DatasetFormat;
  /** 'rl' (default) rejects ground truths the reward cannot use; 'sft' keeps them. */
  purpose?: DatasetPurpose;
}

export interface LoadedDataset {
  rows: ToolUseExample[];
  rejected: RejectedRow[];
}

const FORMATS = ['auto', 'toolrl', 'verl', 'apibank', 'jsonl'] as const;
const PURPOSES = ['rl', 'sft'] as const;

/** Which text format a record's keys say it is, or undefined. */
function recordFormat(value: unknown): Exclude<DatasetFormat, 'verl'> | undefined {
  if (!(value instanceof Map)) return undefined;
  const keys = [...value.keys()];
  if (isToolrlRecord(keys)) return 'toolrl';
  if (isApibankRecord(keys)) return 'apibank';
  if (isJsonlRecord(keys)) return 'jsonl';
  return undefined;
}

const CONVERTERS = { toolrl: convertToolrl, apibank: convertApibank, jsonl: convertJsonl } as const;

const SHAPES = {
  toolrl: '{instruction, input, output}',
  apibank: '{system, user, answer}',
  jsonl: '{messages, tools}',
} as const;

function convertText(file: string, records: RawRecord[], format: 'auto' | Exclude<DatasetFormat, 'verl'>): SourceRow[] {
  if (records.length === 0) return [];
  let fmt = format;
  if (fmt === 'auto') {
    const detected = recordFormat(records[0].value);
    if (detected === undefined) {
      const keys = records[0].value instanceof Map ? [...records[0].value.keys()].join(', ') : typeof records[0].value;
      throw new DatasetError(file, 0, `unknown dataset format: a record has ${keys || 'no keys'}; expected ${Object.values(SHAPES).join(', ')} or a veRL parquet file. HINT: pass {format: ...} to loadDataset`);
    }
    fmt = detected;
  } else {
    // A forced format must still match: a wrong one would silently produce garbage rows.
    const first = records[0];
    if (!(first.value instanceof Map) || recordFormat(first.value) !== fmt) {
      const got = recordFormat(first.value);
      throw new DatasetError(file, 0, `not in the '${fmt}' format: expected records like ${SHAPES[fmt]}${got ? ` but this looks like '${got}'` : ''}`);
    }
  }
  return CONVERTERS[fmt](file, records);
}

/** Loads a dataset file as ToolUseExamples; see the file comment for formats and purposes. */
export async function loadDataset(path: string, opts?: LoadDatasetOptions): Promise<LoadedDataset> {
  // Apply defaults
  const o = checkOptions(opts, ['format', 'purpose'], 'loadDataset options');
  const format = o.format ?? 'auto';
  const purpose = o.purpose ?? 'rl';
  // Validate arguments
  checkString(path, 'path');
  checkOneOf(format, FORMATS, 'format');
  checkOneOf(purpose, PURPOSES, 'purpose');

  // Interpret: read, convert, screen.
  let rows: SourceRow[];
  const head = await readHead(path);
  if (format === 'verl' || (format === 'auto' && isParquet(head))) {
    if (!isParquet(head)) throw new DatasetError(path, undefined, "not in the 'verl' format: not a parquet file (it does not start with PAR1)");
    rows = [];
    for await (const r of iterateVerl(path)) rows.push(r);
  } else {
    const text = (await readFileOrThrow(path)).toString('utf8');
    if (text.trim() === '') throw new DatasetError(path, undefined, 'the file is empty');
    rows = convertText(path, splitRecords(path, text), format);
  }

  const out: LoadedDataset = { rows: [], rejected: [] };
  for (const { row, example } of rows) {
    const problem = purpose === 'rl' ? groundTruthProblem(example.groundTruth) : null;
    if (problem !== null) out.rejected.push({ row, reason: problem });
    else out.rows.push(example);
  }
  return out;
}

/** The first bytes of a file (for format sniffing), or a DatasetError for a missing file. */
async function readHead(path: string): Promise<Uint8Array> {
  let fh: fs.FileHandle;
  try {
    fh = await fs.open(path, 'r');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new DatasetError(path, undefined, `cannot read dataset file (${code === 'ENOENT' ? 'no such file' : (e as Error).message})`);
  }
  try {
    const buf = Buffer.alloc(4);
    const { bytesRead } = await fh.read(buf, 0, 4, 0);
    return buf.subarray(0, bytesRead);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new DatasetError(path, undefined, `cannot read dataset file (${code === 'EISDIR' ? 'is a directory, expected a file' : (e as Error).message})`);
  } finally {
    await fh.close();
  }
}
