/**
 * Atomic file replacement: write to a temporary sibling, fsync, rename over the target, fsync the
 * directory. A crash leaves either the old file or the new one — never half of one (DEVELOPERS.md:
 * "checkpoints are written atomically").
 */
import * as fs from 'node:fs/promises';
import * as path from 'node:path';

export function tempSibling(file: string): string {
  return path.join(path.dirname(file), `.${path.basename(file)}.tmp-${process.pid}-${Math.random().toString(36).slice(2, 10)}`);
}

/** Renames `tmp` over `file` and fsyncs the directory so the rename itself is durable. */
export async function commitRename(tmp: string, file: string): Promise<void> {
  await fs.rename(tmp, file);
  const dir = await fs.open(path.dirname(file), 'r');
  try {
    await dir.sync();
  } finally {
    await dir.close();
  }
}

export async function writeFileAtomic(file: string, data: string | Uint8Array): Promise<void> {
  const tmp = tempSibling(file);
  const h = await fs.open(tmp, 'w');
  try {
    await h.writeFile(data);
    await h.sync();
  } finally {
    await h.close();
  }
  try {
    await commitRename(tmp, file);
  } catch (err) {
    await fs.rm(tmp, { force: true });
    throw err;
  }
}

/** Runs `write(tmpPath)` (which must create and fsync the file), then renames it into place. */
export async function replaceAtomic(file: string, write: (tmp: string) => Promise<void>): Promise<void> {
  const tmp = tempSibling(file);
  try {
    await write(tmp);
    await commitRename(tmp, file);
  } catch (err) {
    await fs.rm(tmp, { force: true });
    throw err;
  }
}
