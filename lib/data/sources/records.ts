/**
 * Shared plumbing of the dataset sources: the error type that names file and row, reading a file,
 * and splitting a JSON array or a JSONL file into records, parsed as Python's json.loads does
 * (lib/pycompat: ints stay exact, floats stay floats, object key order is kept), so gold values
 * are written back exactly as the reference wrote them.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { pyLoads, PyJSONDecodeError, isPyDict, type PyDict, type PyValue } from '../../pycompat';
import type { ToolUseExample } from '../types';

/**
 * A dataset that cannot be read: missing file, wrong format, malformed row. `file` is the path as
 * given; `row` the 0-based record number (absent for whole-file problems). Raised while loading,
 * so a bad file stops a run before training starts, never in the middle of it.
 */
export class DatasetError extends Error {
  constructor(readonly file: string, readonly row: number | undefined, detail: string) {
    super(`${file}${row === undefined ? '' : `: row ${row}`}: ${detail}`);
    this.name = 'DatasetError';
  }
}

/** One converted record: its 0-based row number and the example. */
export interface SourceRow {
  row: number;
  example: ToolUseExample;
}

export async function readFileOrThrow(file: string): Promise<Buffer> {
  try {
    return await fs.readFile(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const what = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory, expected a file' : String((e as Error).message);
    throw new DatasetError(file, undefined, `cannot read dataset file (${what})`);
  }
}

/** `<file name>#<row>`, the id of a file's example. */
export function exampleId(file: string, row: number): string {
  return `${path.basename(file)}#${row}`;
}

/** The row of a source whose prompt is one system and one user message (ToolRL, API-Bank, JSONL). */
export function systemUserRow(file: string, row: number, system: string, user: string, groundTruth: string): SourceRow {
  return {
    row,
    example: {
      id: exampleId(file, row),
      messages: [
        { role: 'system', content: system },
        { role: 'user', content: user },
      ],
      groundTruth,
    },
  };
}

function lineCol(text: string, offset: number): string {
  let line = 1;
  let last = -1;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      last = i;
    }
  }
  return `line ${line}, column ${offset - last}`;
}

/** A parsed record and where it came from (`line` is 1-based, for JSONL messages). */
export interface RawRecord {
  row: number;
  line?: number;
  value: PyValue;
}

/**
 * The records of a JSON-array file (`[{...}, {...}]`) or a JSONL file (one JSON value per line,
 * blank lines skipped). Row numbers are 0-based record indices in file order.
 */
export function splitRecords(file: string, text: string): RawRecord[] {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const first = body.trimStart()[0];
  if (first === '[') {
    let v: PyValue;
    try {
      v = pyLoads(body);
    } catch (e) {
      const off = e instanceof PyJSONDecodeError ? e.pos : 0;
      const msg = e instanceof PyJSONDecodeError ? e.msg : (e as Error).message;
      const truncated = !body.trimEnd().endsWith(']') ? ' (the file does not end with ]: truncated?)' : '';
      throw new DatasetError(file, undefined, `invalid JSON at ${lineCol(body, off)}: ${msg}${truncated}`);
    }
    if (!Array.isArray(v)) throw new DatasetError(file, undefined, `expected a JSON array of records but found ${kindOf(v)}`);
    return v.map((value, row) => ({ row, value }));
  }
  if (first === '{') {
    const out: RawRecord[] = [];
    const lines = body.split('\n');
    for (let i = 0; i < lines.length; i++) {
      if (lines[i].trim() === '') continue;
      const row = out.length;
      let value: PyValue;
      try {
        value = pyLoads(lines[i]);
      } catch (e) {
        throw new DatasetError(file, row, `line ${i + 1} is not valid JSON: ${e instanceof PyJSONDecodeError ? `${e.msg} at column ${e.colno}` : (e as Error).message}`);
      }
      out.push({ row, line: i + 1, value });
    }
    return out;
  }
  throw new DatasetError(file, undefined, `not a JSON array or JSONL file (it starts with ${JSON.stringify(body.slice(0, 20))})`);
}

// ---------------------------------------------------------------------------------------------
// Field access on parsed records, each failure an Error naming file and row.

export class RecordReader {
  constructor(readonly file: string, readonly rec: RawRecord) {}

  fail(detail: string): never {
    const where = this.rec.line !== undefined ? ` (line ${this.rec.line})` : '';
    throw new DatasetError(this.file, this.rec.row, `${detail}${where}`);
  }

  object(value: PyValue = this.rec.value, what = 'the record'): PyDict {
    if (!isPyDict(value)) this.fail(`expected ${what} to be a JSON object but found ${kindOf(value)}`);
    return value;
  }

  /** A string field; missing or non-string fields fail with `missing` as the explanation. */
  string(obj: PyDict, key: string, missing = `has no "${key}" string`): string {
    const v = obj.get(key);
    if (typeof v !== 'string') this.fail(v === undefined || v === null ? missing : `expected "${key}" to be a string but found ${kindOf(v)}`);
    return v;
  }
}

export function kindOf(v: PyValue | undefined): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (v instanceof Map) return 'an object';
  if (typeof v === 'number' || typeof v === 'bigint') return 'a number';
  return `a ${typeof v}`;
}
