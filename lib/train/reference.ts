/**
 * The frozen reference policy of GRPO's KL term (beta > 0; DESIGN.md: "a second, frozen policy
 * object"): the policy as GRPO starts — the SFT model, or `--model` when only the GRPO stage runs.
 * It is kept in <outDir>/reference, written atomically, because <outDir>/checkpoint is overwritten by
 * GRPO's own checkpoints: a resumed run must keep comparing with the model it started from, not with
 * its last checkpoint (which is what loading checkpoint/model gave before this file existed).
 */
import * as path from 'node:path';

import { replaceDirAtomic, resolveDirAtomic } from '../io/atomic';
import { saveModelDir } from './checkpoint';
import { Policy } from '../policy';

/**
 * `resuming`: GRPO continues from one of its own checkpoints, so `policy` is no longer the model it
 * started from; the reference written when it started is loaded (an Error names the folder if there
 * is none). Otherwise `policy` is written as the reference (replacing any earlier one) and loaded.
 */
export async function referencePolicy(policy: Policy, outDir: string, modelFiles: Record<string, string>, resuming: boolean): Promise<Policy> {
  const dir = path.join(outDir, 'reference');
  if (!resuming) {
    await replaceDirAtomic(dir, (tmp) => saveModelDir(policy, tmp, modelFiles));
  }
  const found = await resolveDirAtomic(dir, 'model.safetensors');
  if (found === undefined) {
    throw new Error(
      `${dir}: no reference model to resume GRPO with beta > 0 against (it is written when GRPO starts with beta > 0; ` +
        'this run started with beta 0 or before references were kept)',
    );
  }
  return Policy.load(found);
}
