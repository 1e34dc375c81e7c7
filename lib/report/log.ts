/**
 * Metrics as JSON lines: one object per step, appended and flushed as it happens, so a crash loses
 * at most the line being written and `tail -f` shows progress.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export class JsonlLog {
  readonly file: string;
  #fd: number;

  constructor(file: string, opts: { truncate?: boolean } = {}) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    this.file = file;
    this.#fd = fs.openSync(file, opts.truncate ? 'w' : 'a');
  }

  write(record: Record<string, unknown>): void {
    fs.writeSync(this.#fd, `${JSON.stringify(record, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v))}\n`);
  }

  close(): void {
    fs.closeSync(this.#fd);
  }
}

/** Reads a JSON-lines log back (e.g. to draw curves or resume). */
export function readJsonl(file: string): Record<string, unknown>[] {
  if (!fs.existsSync(file)) return [];
  return fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
}
