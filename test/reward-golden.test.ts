/**
 * The golden set: fixtures/reward/golden.jsonl, 500+ hand-written scenarios (each with a `why`)
 * over ten gold turns, each scored under the default options and three of the variants. Expected
 * values were derived from spec/REWARD.md and cross-checked with an independent Python port of
 * the spec that uses Python's own json, re, round and == (so the porting traps are Python's
 * behaviour, not ours); the optimal-matching values were computed by hand. Bit-exact comparison.
 * Run: npx ava test/reward-golden.test.ts
 */
import test from 'ava';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { GroundTruthError, toolrlReward, type RewardOptions, type RewardResult } from '../lib/rewards';

interface GoldenCase {
  id: number;
  gold: string;
  why: string;
  opts: RewardOptions;
  completion: string;
  groundTruth: string;
  expected: RewardResult | { error: 'GroundTruthError' };
}

const cases: GoldenCase[] = fs
  .readFileSync(path.join(__dirname, 'fixtures', 'reward', 'golden.jsonl'), 'utf8')
  .split('\n')
  .filter((l) => l.trim() !== '')
  .map((l) => JSON.parse(l) as GoldenCase);

test('the golden set has at least 200 cases and covers every option value', (t) => {
  t.true(cases.length >= 200);
  const seen = new Set(cases.flatMap((c) => Object.entries(c.opts).map(([k, v]) => (k === 'step' ? 'step' : `${k}=${v}`))));
  for (const k of ['length=fixed', 'length=scheduled', 'scale=equalMax', 'scale=twoStage', 'scale=dynamic', 'granularity=finegrained', 'granularity=intermediate', 'granularity=coarse', 'matching=optimal', 'step']) {
    t.true(seen.has(k), k);
  }
});

test('every golden case scores bit-for-bit as expected', (t) => {
  let failures = 0;
  for (const c of cases) {
    const label = `#${c.id} [${c.gold}] ${c.why} ${JSON.stringify(c.opts)}`;
    if ('error' in c.expected) {
      t.throws(() => toolrlReward(c.completion, c.groundTruth, c.opts), { instanceOf: GroundTruthError }, label);
      continue;
    }
    const got = toolrlReward(c.completion, c.groundTruth, c.opts);
    for (const k of ['score', 'format', 'correctness', 'length'] as const) {
      if (got[k] !== c.expected[k]) {
        failures++;
        t.fail(`${label}: ${k} expected ${c.expected[k]} but got ${got[k]}`);
      }
    }
  }
  t.is(failures, 0);
});
