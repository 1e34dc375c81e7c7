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

/**
 * Replaces the folder `dir` with one that `fill` writes into a fresh temporary sibling: `dir` ->
 * `.<name>.old`, temporary -> `dir`, `.old` removed. A crash leaves the old folder (at `dir`, or at
 * `.<name>.old` between the renames: see resolveDirAtomic) or the new one, never a mix.
 */
export async function replaceDirAtomic(dir: string, fill: (tmp: string) => Promise<void>): Promise<void> {
  const parent = path.dirname(path.resolve(dir));
  await fs.mkdir(parent, { recursive: true });
  const base = path.basename(dir);
  const tmp = path.join(parent, `.${base}.tmp-${process.pid}-${Date.now()}`);
  await fs.mkdir(tmp, { recursive: true });
  try {
    await fill(tmp);
    const old = oldSibling(dir);
    await fs.rm(old, { recursive: true, force: true });
    if (await exists(dir)) await fs.rename(dir, old);
    await commitRename(tmp, dir);
    await fs.rm(old, { recursive: true, force: true });
  } catch (err) {
    await fs.rm(tmp, { recursive: true, force: true });
    throw err;
  }
}

/** The folder written by replaceDirAtomic that holds `marker`: `dir`, or its `.old` if a swap was cut off. */
export async function resolveDirAtomic(dir: string, marker: string): Promise<string | undefined> {
  if (await exists(path.join(dir, marker))) return dir;
  const old = oldSibling(dir);
  if (await exists(path.join(old, marker))) return old;
  return undefined;
}

function oldSibling(dir: string): string {
  return path.join(path.dirname(path.resolve(dir)), `.${path.basename(dir)}.old`);
}

/** Whether anything is at `p` (a file or a folder). */
export async function exists(p: string): Promise<boolean> {
  return fs.stat(p).then(() => true, () => false);
}
