/**
 * veRL parquet: the layout of the paper's RL data (test.parquet, and the users' train.parquet for
 * rlla_4k) — one row per prompt with `prompt` = list of `{role, content}` messages (system, user)
 * and `reward_model` = `{ground_truth, style}`; other columns (`data_source`, `ability`,
 * `extra_info`) are not read.
 *
 * Read with hyparquet (pure JavaScript; its companion hyparquet-compressors adds gzip, zstd, brotli
 * and lz4 to its built-in snappy), one row group at a time, reading only the two columns needed,
 * so a large file never sits decoded in memory all at once.
 */
import { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects, parquetSchema, type FileMetaData, type AsyncBuffer } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import type { ToolUseExample } from '../types';
import { DatasetError, exampleId, type SourceRow } from './records';

const ROLES = ['system', 'user', 'assistant'] as const;

async function openParquet(file: string): Promise<{ buf: AsyncBuffer; metadata: FileMetaData }> {
  let buf: AsyncBuffer;
  try {
    buf = await asyncBufferFromFile(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new DatasetError(file, undefined, `cannot read dataset file (${code === 'ENOENT' ? 'no such file' : (e as Error).message})`);
  }
  try {
    return { buf, metadata: await parquetMetadataAsync(buf) };
  } catch (e) {
    throw new DatasetError(file, undefined, `not a readable parquet file (${(e as Error).message}); truncated or not parquet?`);
  }
}

function describe(v: unknown): string {
  if (v === null || v === undefined) return String(v);
  if (Array.isArray(v)) return 'an array';
  return `a ${typeof v}`;
}

function convertRow(file: string, row: number, rec: Record<string, unknown>): ToolUseExample {
  const fail = (detail: string): never => {
    throw new DatasetError(file, row, detail);
  };
  const prompt = rec.prompt;
  if (!Array.isArray(prompt) || prompt.length === 0) fail(`expected "prompt" to be a non-empty list of messages but found ${describe(prompt)}`);
  const messages = (prompt as unknown[]).map((m, i) => {
    const msg = m as { role?: unknown; content?: unknown } | null;
    if (msg === null || typeof msg !== 'object') return fail(`prompt[${i}] is not a {role, content} message`);
    if (typeof msg.role !== 'string' || !(ROLES as readonly string[]).includes(msg.role)) fail(`prompt[${i}] has role ${JSON.stringify(msg.role)}; expected system, user or assistant`);
    if (typeof msg.content !== 'string') fail(`prompt[${i}] has no "content" string`);
    return { role: msg.role as (typeof ROLES)[number], content: msg.content as string };
  });
  const rm = rec.reward_model as { ground_truth?: unknown } | null | undefined;
  const gt = rm !== null && typeof rm === 'object' ? rm.ground_truth : undefined;
  if (typeof gt !== 'string' || gt.trim() === '') fail('has no ground truth (no "reward_model.ground_truth" string)');
  return { id: exampleId(file, row), messages, groundTruth: gt as string };
}

/** Rows of a veRL parquet file, in file order, one row group at a time. */
export async function* iterateVerl(file: string): AsyncGenerator<SourceRow> {
  const { buf, metadata } = await openParquet(file);
  const names = parquetSchema(metadata).children.map((c) => c.element.name);
  for (const col of ['prompt', 'reward_model']) {
    if (!names.includes(col)) {
      throw new DatasetError(file, undefined, `no "${col}" column; a veRL file has prompt and reward_model (found: ${names.join(', ')})`);
    }
  }
  let start = 0;
  for (const group of metadata.row_groups) {
    const end = start + Number(group.num_rows);
    let rows: Record<string, unknown>[];
    try {
      rows = await parquetReadObjects({ file: buf, metadata, columns: ['prompt', 'reward_model'], rowStart: start, rowEnd: end, compressors });
    } catch (e) {
      throw new DatasetError(file, start, `cannot decode rows ${start}..${end - 1} (${(e as Error).message}); truncated or corrupt file?`);
    }
    if (rows.length !== end - start) throw new DatasetError(file, start + rows.length, `expected ${end - start} rows in this row group but decoded ${rows.length}`);
    for (let i = 0; i < rows.length; i++) yield { row: start + i, example: convertRow(file, start + i, rows[i]) };
    start = end;
  }
}

/** The first bytes of every parquet file. */
export function isParquet(head: Uint8Array): boolean {
  return head.length >= 4 && head[0] === 0x50 && head[1] === 0x41 && head[2] === 0x52 && head[3] === 0x31; // "PAR1"
}
