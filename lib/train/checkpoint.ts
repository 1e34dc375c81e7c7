/**
 * Training checkpoints, written atomically: everything goes into a fresh temporary folder next to
 * the target, which then replaces the previous checkpoint by rename. A crash leaves either the
 * old checkpoint or the new one, never a mix (DEVELOPERS.md: "checkpoints are written atomically").
 *   <dir>/model/            Hugging Face layout (config.json, model.safetensors, tokenizer.json)
 *   <dir>/optimizer.safetensors   AdamW moments + step
 *   <dir>/state.json        step, phase, data position, seeds, config — everything resume needs
 * Sampling randomness is counter-based (seed, step), so the step number restores the RNG.
 */
import * as fs from 'node:fs/promises';
import * as path from 'node:path';

import { replaceDirAtomic, resolveDirAtomic, writeFileAtomic } from '../io/atomic';
import { Policy } from '../policy';

export interface CheckpointState {
  version: 1;
  phase: string;
  /** Steps completed in this phase. */
  step: number;
  /** Anything else the loop needs to continue (data position, config, ...). */
  [key: string]: unknown;
}

/**
 * A model folder in the Hugging Face layout: the weights (`policy.save`) and the files that travel
 * with them (tokenizer.json, tokenizer_config.json, ...; `files`: name -> content).
 */
export async function saveModelDir(policy: Policy, dir: string, files: Record<string, string>, opts?: Parameters<Policy['save']>[1]): Promise<void> {
  await policy.save(dir, opts);
  for (const [name, content] of Object.entries(files)) await writeFileAtomic(path.join(dir, name), content);
}

export async function saveCheckpoint(dir: string, policy: Policy, state: CheckpointState, extraFiles: Record<string, string> = {}): Promise<void> {
  await replaceDirAtomic(dir, async (tmp) => {
    await saveModelDir(policy, path.join(tmp, 'model'), extraFiles);
    await policy.saveOptimizer(path.join(tmp, 'optimizer.safetensors'));
    await writeFileAtomic(path.join(tmp, 'state.json'), `${JSON.stringify(state, null, 2)}\n`);
  });
}

/** The checkpoint folder to resume from: `dir`, or the previous one if a save was cut off mid-swap. */
export async function resolveCheckpoint(dir: string): Promise<string | undefined> {
  return resolveDirAtomic(dir, 'state.json');
}

export async function loadCheckpoint(dir: string, opts: { threads?: number } = {}): Promise<{ policy: Policy; state: CheckpointState }> {
  const found = await resolveCheckpoint(dir);
  if (!found) throw new Error(`${dir}: no checkpoint (state.json) to resume from`);
  let state: CheckpointState;
  try {
    state = JSON.parse(await fs.readFile(path.join(found, 'state.json'), 'utf8'));
  } catch (err) {
    throw new Error(`${path.join(found, 'state.json')}: unreadable checkpoint state (${(err as Error).message})`);
  }
  if (state.version !== 1 || typeof state.step !== 'number') throw new Error(`${found}/state.json: unknown checkpoint version`);
  const policy = await Policy.load(path.join(found, 'model'), opts);
  try {
    await policy.loadOptimizer(path.join(found, 'optimizer.safetensors'));
  } catch (err) {
    policy.dispose();
    throw err;
  }
  return { policy, state };
}
