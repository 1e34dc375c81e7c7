/**
 * The GRPO loop (issue 6 §4): group advantages, dynamic sampling, and resume — stopping after step
 * k and resuming gives exactly the parameters an uninterrupted run has at step k+m.
 */
import test from 'ava';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { Policy, DEFAULT_GRPO_CONFIG } from '../lib';
import { miniWorld } from '../lib/data/mini';
import { ChatTemplate } from '../lib/data/template';
import { readJsonl } from '../lib/report/log';
import { JsonlLog } from '../lib/report/log';
import { groupAdvantages } from '../lib/train/advantages';
import { loadCheckpoint } from '../lib/train/checkpoint';
import { runGrpo } from '../lib/train/grpo';
import { stopTokens } from '../lib/train/prompts';
import { tinyMiniConfig } from './helpers/tiny-models';
import { tmpDir } from './helpers/tmp';

test('group advantages: (r - mean) / (unbiased std + 1e-6), zero-variance groups flagged', (t) => {
  const { advantages, zeroVariance } = groupAdvantages([1, 2, 3, 4, 5, 5, 5, 5], 4);
  const std = Math.sqrt((1.5 ** 2 * 2 + 0.5 ** 2 * 2) / 3);
  t.true(Math.abs(advantages[0]! - -1.5 / (std + 1e-6)) < 1e-6);
  t.true(Math.abs(advantages[3]! - 1.5 / (std + 1e-6)) < 1e-6);
  t.deepEqual(Array.from(advantages.slice(4)), [0, 0, 0, 0]);
  t.deepEqual(zeroVariance, [false, true]);
  const noStd = groupAdvantages([1, 3], 2, { scaleByStd: false });
  t.deepEqual(Array.from(noStd.advantages), [-1, 1]);
  t.throws(() => groupAdvantages([1, 2, 3], 2), { instanceOf: RangeError });
  t.throws(() => groupAdvantages([1, NaN], 2), { instanceOf: RangeError });
});

async function setup(seed: number) {
  const world = miniWorld({ seed: 0 });
  const tokenizer = await world.tokenizer();
  // A smaller model than the mini default keeps the test fast; the loop is the same.
  const policy = await Policy.create(tinyMiniConfig(tokenizer.vocabSize), { seed });
  return { world, tokenizer, policy, template: ChatTemplate.chatml(), stop: stopTokens(tokenizer) };
}

test('resume after step 2 reproduces the uninterrupted run at step 4 exactly', async (t) => {
  const config = { ...DEFAULT_GRPO_CONFIG, steps: 4, promptsPerStep: 2, groupSize: 3, maxNewTokens: 12, maxPromptTokens: 384, dynamicSampling: true, maxRefills: 1 };
  const step = { lr: 1e-2 };
  // A random model earns a constant ToolRL reward (-3: no format), which carries no signal; this
  // reward varies with the sampled text so every step updates.
  const rewardFn = (text: string) => {
    const score = (text.length % 7) / 7;
    return { score, format: score, correctness: 0, length: 0 };
  };
  // Uninterrupted.
  const a = await setup(3);
  const rows = a.world.train(40);
  const outA = tmpDir();
  await runGrpo({ policy: a.policy, tokenizer: a.tokenizer, template: a.template, rows, config, step, rewardFn, stopTokenIds: a.stop, outDir: outA });
  // Interrupted after 2 steps, then resumed from the checkpoint in a fresh policy.
  const b = await setup(3);
  const outB = tmpDir();
  const logB = new JsonlLog(path.join(outB, 'metrics.jsonl'));
  await runGrpo({ policy: b.policy, tokenizer: b.tokenizer, template: b.template, rows, config, step, rewardFn, stopTokenIds: b.stop, outDir: outB, stopAfter: 2, log: logB });
  b.policy.dispose();
  const ck = await loadCheckpoint(path.join(outB, 'checkpoint'));
  t.is(ck.state.step, 2);
  t.is(ck.policy.optimizerSteps(), 2, 'both steps before the interruption updated the policy');
  await runGrpo({
    policy: ck.policy, tokenizer: b.tokenizer, template: b.template, rows, config, step, rewardFn, stopTokenIds: b.stop, outDir: outB,
    resume: { step: ck.state.step, batcher: ck.state.batcher as never }, log: logB,
  });
  logB.close();
  const fa = fs.readFileSync(path.join(outA, 'checkpoint', 'model', 'model.safetensors'));
  const fb = fs.readFileSync(path.join(outB, 'checkpoint', 'model', 'model.safetensors'));
  t.true(fa.equals(fb), 'the final parameters differ between the resumed and the uninterrupted run');
  const log = readJsonl(path.join(outB, 'metrics.jsonl'));
  t.deepEqual(log.map((r) => r.step), [1, 2, 3, 4]);
  for (const r of log) {
    t.true(typeof r.reward_mean === 'number' && typeof r.zero_variance_fraction === 'number');
    t.truthy((r.seconds as Record<string, number>).generate >= 0);
  }
  a.policy.dispose();
  ck.policy.dispose();
});

test('the loop refuses beta > 0 without a reference policy', async (t) => {
  const a = await setup(1);
  await t.throwsAsync(
    runGrpo({ policy: a.policy, tokenizer: a.tokenizer, template: a.template, rows: a.world.train(4), config: { ...DEFAULT_GRPO_CONFIG, steps: 1 }, step: { beta: 0.1 }, stopTokenIds: a.stop }),
    { instanceOf: RangeError, message: /reference policy/ },
  );
  a.policy.dispose();
});
