/**
 * The ToolRL reward, rule by rule (spec/REWARD.md): inputs, format (§1), correctness (§2),
 * length (§3), variants and schedules (§4), the worked example (§5), the porting traps, options,
 * errors, parseToolCalls, checkGroundTruth, the batch form and optimal matching.
 * Expected numbers are the reference's (checked with python3 where floats are involved).
 * Run: npx ava test/reward.test.ts
 */
import test from 'ava';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  assistantTurn,
  checkGroundTruth,
  GroundTruthError,
  parseToolCalls,
  resolveRewardOptions,
  rewardBounds,
  rewardRanges,
  ToolCallParseError,
  toolrlReward,
  toolrlRewardBatch,
  type RewardOptions,
} from '../lib/rewards';
import { DEFAULT_REWARD_OPTIONS } from '../lib/config';

// ---------------------------------------------------------------------------------------------
// Helpers: a gold turn / completion with calls, one JSON object per line.

function calls(lines: string[], think = 'ok', response?: string): string {
  let s = `<think>${think}</think>\n<tool_call>\n${lines.join('\n')}\n</tool_call>`;
  if (response !== undefined) s += `\n<response>${response}</response>`;
  return s;
}
const A = '{"name": "a", "parameters": {"x": 1, "y": "b"}}';
const GT_A = calls([A], '..');
const correctness = (completion: string, gt: string, opts?: RewardOptions) => toolrlReward(completion, gt, opts).correctness;
const format = (completion: string, gt: string, opts?: RewardOptions) => toolrlReward(completion, gt, opts).format;

// ---------------------------------------------------------------------------------------------
// §5 worked example and the public surface

test('spec §5 worked example: format 1, correctness 0.75, total 1.75', (t) => {
  const gt = '<think>..</think>\n<tool_call>\n{"name":"a","parameters":{"x":1,"y":"b"}}\n</tool_call>';
  const completion = '<think>ok</think>\n<tool_call>\n{"name":"a","parameters":{"x":1}}\n</tool_call>';
  t.deepEqual(toolrlReward(completion, gt), { score: 1.75, format: 1, correctness: 0.75, length: 0 });
});

test('the package root exports the reward API', (t) => {
  // Loaded here, not at the top: the root also loads lib/data and lib/eval, and a problem there
  // should fail this test only, not every reward test.
  const root = require('../lib') as typeof import('../lib');
  t.is(root.assistantTurn, assistantTurn);
  t.is(root.toolrlReward, toolrlReward);
  t.is(root.parseToolCalls, parseToolCalls);
  t.is(root.checkGroundTruth, checkGroundTruth);
  t.is(root.GroundTruthError, GroundTruthError);
  t.is(root.ToolCallParseError, ToolCallParseError);
  t.is(root.toolrlRewardBatch, toolrlRewardBatch);
  t.deepEqual(resolveRewardOptions(), DEFAULT_REWARD_OPTIONS);
  t.deepEqual(DEFAULT_REWARD_OPTIONS, { step: 0, length: 'off', scale: 'default', granularity: 'default', matching: 'greedy' });
});

test('default range is [-3, 4] and score = format + correctness + length', (t) => {
  t.deepEqual(rewardBounds(), { min: -3, max: 4 });
  t.deepEqual(rewardBounds({ length: 'fixed' }), { min: -3, max: 5 });
  t.deepEqual(toolrlReward(GT_A, GT_A), { score: 4, format: 1, correctness: 3, length: 0 });
  t.deepEqual(toolrlReward('garbage', GT_A), { score: -3, format: 0, correctness: -3, length: 0 });
});

// ---------------------------------------------------------------------------------------------
// Inputs: the completion is stripped with Python's str.strip()

test('inputs: the completion is stripped of Python white space (\\x1c, \\x85, \\u3000, \\n ...)', (t) => {
  for (const ws of [' ', '\n', '\t\r\n', '\x0b\x0c', '\x1c', '\x1d\x1e\x1f', '\x85', '\xa0', '\u2028', '\u3000']) {
    t.deepEqual(toolrlReward(`${ws}${GT_A}${ws}`, GT_A), { score: 4, format: 1, correctness: 3, length: 0 }, JSON.stringify(ws));
  }
});

test('inputs: \\ufeff is not white space for Python, so it is not stripped and the format fails', (t) => {
  t.is(format(`\ufeff${GT_A}`, GT_A), 0);
  t.is(format(`${GT_A}\ufeff`, GT_A), 0);
  t.is(correctness(`\ufeff${GT_A}`, GT_A), 3); // the calls themselves are still read
});

// ---------------------------------------------------------------------------------------------
// §1 format

test('§1 format, <tool_call> gold: ^<think>.*?</think>\\n<tool_call>\\n.*?\\n</tool_call>$ and one of each tag', (t) => {
  t.is(format(calls([A]), GT_A), 1);
  t.is(format(calls([A], 'multi\nline <b>think</b>'), GT_A), 1); // DOTALL
  t.is(format('<think></think>\n<tool_call>\n\n</tool_call>', GT_A), 1); // empty .*? between the two \n
  t.is(format('<think></think>\n<tool_call>\n</tool_call>', GT_A), 0); // the two \n cannot be one
  t.is(format(`<think>ok</think><tool_call>\n${A}\n</tool_call>`, GT_A), 0); // no \n after </think>
  t.is(format(`<think>ok</think>\n<tool_call>${A}\n</tool_call>`, GT_A), 0); // no \n after <tool_call>
  t.is(format(`<think>ok</think>\n<tool_call>\n${A}</tool_call>`, GT_A), 0); // no \n before </tool_call>
  t.is(format(`x<think>ok</think>\n<tool_call>\n${A}\n</tool_call>`, GT_A), 0); // ^
  t.is(format(`${calls([A])} done`, GT_A), 0); // $
  t.is(format(`${calls([A])}\n<tool_call>\n${A}\n</tool_call>`, GT_A), 0); // two <tool_call>
  t.is(format(calls([A], 'I use </tool_call> tags'), GT_A), 0); // two </tool_call>
  t.is(format(calls([A], 'a</think>b'), GT_A), 1); // .*? may contain </think>
  t.is(format(`<think>ok</think>\n<tool_call>\n${A}\n</tool_call>\n<response>x</response>`, GT_A), 0); // $
});

test('§1 format, <response> gold: ^<think>.*?</think>\\n<response>.*?</response>$ and one of each', (t) => {
  const gt = '<think>no tool</think>\n<response>Sorry.</response>';
  t.is(format('<think>a</think>\n<response>b</response>', gt), 1);
  t.is(format('<think></think>\n<response></response>', gt), 1);
  t.is(format('<think>a</think>\n<response>b</response>\n<response>c</response>', gt), 0);
  t.is(format('<think>a</think>\n<response>b</response> thanks', gt), 0);
  t.is(format('<think>a</think><response>b</response>', gt), 0);
  t.is(format(calls([A]), gt), 0);
  t.is(toolrlReward(calls([A]), gt).correctness, 0); // no <tool_call> in the gold: correctness 0
});

test('§1 format, gold with both: the four tags in order, one of each', (t) => {
  const gt = calls([A], 'x', 'Checking.');
  t.is(format(calls([A], 'y', 'z'), gt), 1);
  t.is(format(calls([A]), gt), 0);
  t.is(format(`<think>a</think>\n<response>x</response>\n<tool_call>\n${A}\n</tool_call>`, gt), 0);
  t.is(format(`<think>a</think>\n<tool_call>\n${A}\n</tool_call><response>x</response>`, gt), 0);
  t.is(format(`<think>a</think>\n<tool_call>\n${A}\n</tool_call>\n<response>x</response>\n<response>y</response>`, gt), 0);
});

test('§1 format, gold with neither: ^<think>.*?</think>$', (t) => {
  const gt = '<think>just thinking</think>';
  t.is(format('<think>other</think>', gt), 1);
  t.is(format('<think></think>', gt), 1);
  t.is(format('<think>a</think>\n<response>x</response>', gt), 0);
  t.is(format('x<think>a</think>', gt), 0);
  t.is(format('<think>', gt), 0);
  t.is(format('<think></think', gt), 0);
  t.deepEqual(toolrlReward('<think>a</think>', gt), { score: 1, format: 1, correctness: 0, length: 0 });
});

// ---------------------------------------------------------------------------------------------
// §2 correctness

test('§2 a gold without <tool_call> scores correctness 0 whatever the completion says', (t) => {
  for (const c of ['', 'garbage', calls([A]), '<think>a</think>\n<response>b</response>']) {
    t.is(correctness(c, '<think>a</think>\n<response>b</response>'), 0);
  }
});

test('§2 a completion without <tool_call> or without </tool_call> scores min', (t) => {
  t.is(correctness(`<think>ok</think>\n${A}\n</tool_call>`, GT_A), -3);
  t.is(correctness(`<think>ok</think>\n<tool_call>\n${A}`, GT_A), -3);
  t.is(correctness('<think>ok</think>\n<response>done</response>', GT_A), -3);
});

test('§2 the block: after the first <tool_call>, cut at a second <tool_call>, then at the first </tool_call>', (t) => {
  const B = '{"name": "b", "parameters": {}}';
  t.is(correctness(`${calls([A])}\n<tool_call>\n${B}\n</tool_call>`, GT_A), 3); // second block ignored
  t.is(correctness(`${calls([B])}\n<tool_call>\n${A}\n</tool_call>`, GT_A), -3); // first block only: names 0, nothing matched
  t.is(correctness(`<think>ok</think>\n</tool_call>\n<tool_call>\n${A}`, GT_A), 3); // </tool_call> before: block runs to the end
  t.is(correctness(`<tool_call>\n${A}\n<tool_call>\n</tool_call>`, GT_A), 3); // cut at the second <tool_call>
});

test('§2 exact equality: same calls in the same order, dict key order free, list order not', (t) => {
  t.is(correctness(calls(['{"parameters": {"y": "b", "x": 1}, "name": "a"}']), GT_A), 3);
  t.is(correctness(calls(['{"name": "a", "parameters": {"x": 1.0, "y": "b"}}']), GT_A), 3);
  const gt = calls(['{"name": "f", "parameters": {"l": [1, 2]}}']);
  t.is(correctness(calls(['{"name": "f", "parameters": {"l": [2, 1]}}']), gt), 1); // names 1 + keys 1 + values 0, of 3
});

test('§2 parse failures give min: invalid JSON, blank line, empty block, non-object, no name', (t) => {
  t.is(correctness(calls(['{"name": "a", "parameters": {"x": 1,}}']), GT_A), -3);
  t.is(correctness(calls([A, '', A]), GT_A), -3);
  t.is(correctness('<think>ok</think>\n<tool_call>\n\n</tool_call>', GT_A), -3);
  t.is(correctness('<think>ok</think>\n<tool_call>\n   \n</tool_call>', GT_A), -3);
  t.is(correctness(calls([`[${A}]`]), GT_A), -3);
  t.is(correctness(calls(['"a"']), GT_A), -3);
  t.is(correctness(calls(['{"parameters": {"x": 1, "y": "b"}}']), GT_A), -3);
  t.is(correctness(calls([A, '{"arguments": {}}']), GT_A), -3); // every predicted call needs a name
  t.is(correctness(calls(["{'name': 'a', 'parameters': {'x': 1, 'y': 'b'}}"]), GT_A), -3);
});

test('§2 a matched call needs object parameters; an unmatched one does not', (t) => {
  t.is(correctness(calls(['{"name": "a"}']), GT_A), -3);
  t.is(correctness(calls(['{"name": "a", "parameters": [1]}']), GT_A), -3);
  t.is(correctness(calls(['{"name": "a", "parameters": "x=1"}']), GT_A), -3);
  // names [a] vs [a, zz] = 1/2; a matches fully (1 + 2): score 3.5 of 4 -> 2.25
  t.is(correctness(calls([A, '{"name": "zz"}']), GT_A), 2.25);
});

test('§2 name score: multiset Jaccard, 1 for equal lists', (t) => {
  const gt = calls(['{"name": "a", "parameters": {}}', '{"name": "b", "parameters": {}}']);
  // [a, b] vs [a, a]: intersection 1, union 3 -> 1/3; a matched with score 1 (empty keys equal): (1/3 + 1) / 3
  t.is(correctness(calls(['{"name": "a", "parameters": {}}', '{"name": "a", "parameters": {}}']), gt), (6 * (1 / 3 + 1)) / 3 - 3);
  // [a, b] vs [b, a]: not equal as lists, Jaccard 1; both matched: 1 + 1 + 1 of 3 -> max
  t.is(correctness(calls(['{"name": "b", "parameters": {}}', '{"name": "a", "parameters": {}}']), gt), 3);
});

test('§2 key score is the Jaccard of parameter keys, value score counts equal values', (t) => {
  // keys [x, y] vs [x, y, z]: 2/3; values 2: score 1 + 2/3 + 2 of 4
  t.is(correctness(calls(['{"name": "a", "parameters": {"x": 1, "y": "b", "z": 0}}']), GT_A), (6 * (1 + 2 / 3 + 2)) / 4 - 3);
  // keys [x, y] vs [x, yy]: 1/3; values 1
  t.is(correctness(calls(['{"name": "a", "parameters": {"x": 1, "yy": "b"}}']), GT_A), (6 * (1 + 1 / 3 + 1)) / 4 - 3);
  // gold {} vs {"a": 1}: key lists differ and one is empty -> 0; values 0: candidate not picked
  t.is(correctness(calls(['{"name": "p", "parameters": {"a": 1}}']), calls(['{"name": "p", "parameters": {}}'])), 0);
});

test('§2 greedy: per gold call, the best unused same-name prediction, first on ties, only if > 0', (t) => {
  // same name, no shared key: scores 0, not picked: names 1 of 4 -> -1.5
  t.is(correctness(calls(['{"name": "a", "parameters": {"z": 1}}']), GT_A), -1.5);
  // two candidates, the second is better: names [f] vs [f, f] = 1/2, then 1 + 1 of S_max 3
  const gt = calls(['{"name": "f", "parameters": {"n": 1}}']);
  t.is(correctness(calls(['{"name": "f", "parameters": {"n": 2}}', '{"name": "f", "parameters": {"n": 1}}']), gt), (6 * (0.5 + 2)) / 3 - 3);
  // a prediction is used once: the second gold call gets the leftover
  const gt2 = calls(['{"name": "f", "parameters": {"n": 1}}', '{"name": "f", "parameters": {"n": 2}}']);
  t.is(correctness(calls(['{"name": "f", "parameters": {"n": 1}}', '{"name": "f", "parameters": {"n": 1}}']), gt2), (6 * (1 + 2 + 1)) / 5 - 3);
});

test('§2 values compare with Python ==: 1 == 1.0, True == 1, "5" != 5, None only with None', (t) => {
  const gt = calls(['{"name": "f", "parameters": {"i": 5, "b": true, "n": null}}']);
  const v = (i: string, b: string, n: string) => correctness(calls([`{"name": "f", "parameters": {"i": ${i}, "b": ${b}, "n": ${n}}}`]), gt);
  t.is(v('5.0', '1', 'null'), 3);
  t.is(v('5', '1.0', 'null'), 3);
  t.is(v('"5"', 'true', 'null'), (6 * (1 + 1 + 2)) / 5 - 3);
  t.is(v('5', '"true"', 'null'), (6 * (1 + 1 + 2)) / 5 - 3);
  t.is(v('5', 'true', '0'), (6 * (1 + 1 + 2)) / 5 - 3);
  t.is(v('5', 'true', 'false'), (6 * (1 + 1 + 2)) / 5 - 3);
  t.is(v('5', '2', 'null'), (6 * (1 + 1 + 2)) / 5 - 3);
});

test('§2 duplicate keys in a call: last wins (Python dict)', (t) => {
  t.is(correctness(calls(['{"name": "a", "parameters": {"x": 5, "y": "b", "x": 1}}']), GT_A), 3);
  t.is(correctness(calls(['{"name": "a", "parameters": {"x": 1, "y": "b", "x": 5}}']), GT_A), (6 * (1 + 1 + 1)) / 4 - 3);
});

// ---------------------------------------------------------------------------------------------
// §3 length

test('§3 length is 0 unless enabled', (t) => {
  t.is(toolrlReward(calls([A], 'w '.repeat(600)), GT_A).length, 0);
});

test('§3 length: round(words / 512, 2) with half-even on the binary value, capped at 1', (t) => {
  const len = (words: number, sep = ' ') => toolrlReward(calls([A], Array(words).fill('w').join(sep)), GT_A, { length: 'fixed' }).length;
  t.is(len(0), 0);
  t.is(len(1), 0); // 0.00195 -> 0.0
  t.is(len(3), 0.01); // 0.00586 -> 0.01
  t.is(len(64), 0.12); // 0.125 exactly: ties to even
  t.is(len(192), 0.38); // 0.375 -> 0.38
  t.is(len(320), 0.62); // 0.625 -> 0.62
  t.is(len(448), 0.88); // 0.875 -> 0.88
  t.is(len(256), 0.5);
  t.is(len(512), 1);
  t.is(len(600), 1);
  t.is(len(64, '\n\n'), 0.12);
  t.deepEqual(toolrlReward(calls([A], Array(256).fill('w').join(' ')), GT_A, { length: 'fixed' }), { score: 4.5, format: 1, correctness: 3, length: 0.5 });
});

test('§3 length: think is the text after the last <think> up to the next </think>; missing tags give 0', (t) => {
  const opts: RewardOptions = { length: 'fixed' };
  const words = (n: number) => Array(n).fill('w').join(' ');
  t.is(toolrlReward(`<think>${words(512)}</think>\n<think>${words(256)}</think>`, GT_A, opts).length, 0.5);
  t.is(toolrlReward(`<think>${words(256)}`, GT_A, opts).length, 0); // no </think>
  t.is(toolrlReward(`${words(256)}</think>`, GT_A, opts).length, 0); // no <think>
  t.is(toolrlReward(`</think><think>${words(256)}`, GT_A, opts).length, 0.5); // to the end
  t.is(toolrlReward(`<think>${words(256)}</think>${words(300)}</think>`, GT_A, opts).length, 0.5);
});

test('§3 length: words split on Python white space (\\x1c, \\x85, \\u3000 separate; \\ufeff does not)', (t) => {
  const opts: RewardOptions = { length: 'fixed' };
  const think = (sep: string) => toolrlReward(calls([A], Array(256).fill('w').join(sep)), GT_A, opts).length;
  for (const sep of [' ', '\x1c', '\x1f', '\x85', '\u3000', '\u2028', '\xa0', '\t']) t.is(think(sep), 0.5, JSON.stringify(sep));
  t.is(think('\ufeff'), 0); // one word
  t.is(think('\u200b'), 0);
});

test('§3 scheduled length: L = (640 - 384) * step / 105 + 384 at the schedule points', (t) => {
  // round(400 / L, 2) per step, from python3
  const expected: [number, number][] = [[0, 1], [29, 0.88], [30, 0.88], [75, 0.71], [105, 0.62], [150, 0.53], [200, 0.46]];
  const c = calls([A], Array(400).fill('w').join(' '));
  for (const [step, want] of expected) t.is(toolrlReward(c, GT_A, { length: 'scheduled', step }).length, want, `step ${step}`);
  t.is(rewardRanges(resolveRewardOptions({ length: 'scheduled', step: 105 })).lengthTarget, 640);
  t.is(rewardRanges(resolveRewardOptions({ length: 'fixed', step: 105 })).lengthTarget, 512);
});

// ---------------------------------------------------------------------------------------------
// §4 variants at the schedule boundaries

const STEPS = [0, 29, 30, 75, 105, 150, 200];
// [formatMax, formatMin, correctnessMax, correctnessMin] per step, from python3 (spec §4 formulas)
const RANGES: Record<string, [number, number, number, number][]> = {
  default: STEPS.map(() => [1, 0, 3, -3]),
  equalMax: STEPS.map(() => [1, 0, 1, -1]),
  twoStage: STEPS.map((s) => (s < 30 ? [1, 0, 1, -1] : [0.5, 0, 3, -3])),
  dynamic: [
    [2, -2, 2, -2],
    [1.8066666666666666, -1.6133333333333333, 2.1933333333333334, -2.1933333333333334],
    [1.8, -1.6, 2.2, -2.2],
    [1.5, -1.0, 2.5, -2.5],
    [1.3, -1.0, 2.7, -2.7],
    [1, -1, 3, -3],
    [1, -1, 3, -3],
  ],
};

for (const scale of ['default', 'equalMax', 'twoStage', 'dynamic'] as const) {
  test(`§4 scale '${scale}' at steps ${STEPS.join(', ')}: gold scores the maxima, garbage the minima`, (t) => {
    STEPS.forEach((step, i) => {
      const [fMax, fMin, cMax, cMin] = RANGES[scale][i];
      const best = toolrlReward(GT_A, GT_A, { scale, step });
      const worst = toolrlReward('nothing', GT_A, { scale, step });
      t.deepEqual([best.format, best.correctness, worst.format, worst.correctness], [fMax, cMax, fMin, cMin], `step ${step}`);
      t.is(best.score, fMax + cMax);
      const r = rewardRanges(resolveRewardOptions({ scale, step }));
      t.deepEqual([r.formatMax, r.formatMin, r.correctnessMax, r.correctnessMin], [fMax, fMin, cMax, cMin]);
      // the worked example maps score 2.5 of 4 into the range
      t.is(toolrlReward(calls(['{"name": "a", "parameters": {"x": 1}}']), GT_A, { scale, step }).correctness, ((cMax - cMin) * 2.5) / 4 + cMin);
    });
  });
}

for (const length of ['off', 'fixed', 'scheduled'] as const) {
  test(`§4 length '${length}' at steps ${STEPS.join(', ')}`, (t) => {
    const c = calls([A], Array(200).fill('w').join(' '));
    // round(200 / L, 2) per step, from python3
    const scheduled = [0.52, 0.44, 0.44, 0.35, 0.31, 0.27, 0.23];
    STEPS.forEach((step, i) => {
      const want = length === 'off' ? 0 : length === 'fixed' ? 0.39 : scheduled[i];
      const r = toolrlReward(c, GT_A, { length, step });
      t.is(r.length, want, `step ${step}`);
      t.is(r.score, 1 + 3 + want);
    });
  });
}

test('§4 granularities on the worked example: default 0.75, finegrained 0, intermediate 0, coarse -3', (t) => {
  const c = calls(['{"name": "a", "parameters": {"x": 1}}']);
  t.is(correctness(c, GT_A, { granularity: 'default' }), 0.75);
  t.is(correctness(c, GT_A, { granularity: 'finegrained' }), 0); // key lists differ: 0; names 1 + values 1 of 4
  t.is(correctness(c, GT_A, { granularity: 'intermediate' }), 0); // names 1, no exact call, S_max 2
  t.is(correctness(c, GT_A, { granularity: 'coarse' }), -3);
  for (const granularity of ['default', 'finegrained', 'intermediate', 'coarse'] as const) {
    for (const step of STEPS) t.is(correctness(GT_A, GT_A, { granularity, step }), 3);
  }
});

test('§4 finegrained: names too must be equal in order', (t) => {
  const gt = calls(['{"name": "a", "parameters": {}}', '{"name": "b", "parameters": {}}']);
  const swapped = calls(['{"name": "b", "parameters": {}}', '{"name": "a", "parameters": {}}']);
  t.is(correctness(swapped, gt), 3); // default: Jaccard 1
  t.is(correctness(swapped, gt, { granularity: 'finegrained' }), (6 * 2) / 3 - 3); // names 0, calls 1 + 1
});

test('§4 intermediate: a call counts 1 only when it equals the gold call; unmatched calls need no parameters', (t) => {
  const gt = calls(['{"name": "a", "parameters": {"x": 1}}', '{"name": "b", "parameters": {"y": 2}}']);
  t.is(correctness(calls(['{"name": "a", "parameters": {"x": 1.0}}', '{"name": "b", "parameters": {"y": 3}}']), gt, { granularity: 'intermediate' }), (6 * 2) / 3 - 3);
  t.is(correctness(calls(['{"name": "a", "parameters": {"x": 1}}', '{"name": "b"}']), gt, { granularity: 'intermediate' }), (6 * 2) / 3 - 3);
  t.is(correctness(calls(['{"name": "a", "parameters": {"x": 1}}', '{"name": "b"}']), gt), -3); // default reads b's parameters
});

test('§4 coarse: max on exact equality of the whole list, otherwise min', (t) => {
  t.is(correctness(GT_A, GT_A, { granularity: 'coarse' }), 3);
  t.is(correctness(calls(['{"name": "a", "parameters": {"y": "b", "x": 1.0}}']), GT_A, { granularity: 'coarse' }), 3);
  t.is(correctness(calls([A, A]), GT_A, { granularity: 'coarse' }), -3);
});

// ---------------------------------------------------------------------------------------------
// Porting traps

test('trap: big integers beyond 2^53 compare exactly', (t) => {
  const gt = calls(['{"name": "f", "parameters": {"id": 9007199254740993}}']);
  t.is(correctness(calls(['{"name": "f", "parameters": {"id": 9007199254740993}}']), gt), 3);
  t.is(correctness(calls(['{"name": "f", "parameters": {"id": 9007199254740992}}']), gt), 1); // 1 + 1 + 0 of 3
  t.is(correctness(calls(['{"name": "f", "parameters": {"id": 9007199254740993.0}}']), gt), 1); // float 2^53 != int 2^53+1
  const huge = calls(['{"name": "f", "parameters": {"id": 123456789012345678901234567890}}']);
  t.is(correctness(huge, huge), 3);
  t.is(correctness(calls(['{"name": "f", "parameters": {"id": 123456789012345678901234567891}}']), huge), 1);
});

test('trap: integer-like keys keep their written order (finegrained compares key lists in order)', (t) => {
  const gt = calls(['{"name": "k", "parameters": {"2": "a", "1": "b"}}']);
  const otherOrder = calls(['{"name": "k", "parameters": {"1": "b", "2": "x"}}']);
  const sameOrder = calls(['{"name": "k", "parameters": {"2": "x", "1": "b"}}']);
  // A JS object would enumerate "1" before "2" on both sides and score keys 1 in both cases.
  t.is(correctness(otherOrder, gt, { granularity: 'finegrained' }), 0); // keys 0 + value 1, of 4
  t.is(correctness(sameOrder, gt, { granularity: 'finegrained' }), 1.5); // keys 1 + value 1, of 4
  t.is(correctness(otherOrder, gt), 1.5); // default: Jaccard ignores order
  t.is(correctness(calls(['{"name": "k", "parameters": {"1": "b", "2": "a"}}']), gt, { granularity: 'finegrained' }), 3); // dicts equal
});

test('trap: True vs 1 (bool is an int in Python)', (t) => {
  const gt = calls(['{"name": "f", "parameters": {"flag": true}}']);
  t.is(correctness(calls(['{"name": "f", "parameters": {"flag": 1}}']), gt), 3);
  t.is(correctness(calls(['{"name": "f", "parameters": {"flag": 1.0}}']), gt), 3);
  t.is(correctness(calls(['{"name": "f", "parameters": {"flag": "true"}}']), gt), 1);
  t.is(correctness(calls(['{"name": "f", "parameters": {"flag": 2}}']), gt), 1);
  t.is(correctness(calls(['{"name": "f", "parameters": {"flag": false}}']), calls(['{"name": "f", "parameters": {"flag": 0}}'])), 3);
});

test('trap: NaN literals parse; NaN equals itself inside containers (shared object) but not as a value', (t) => {
  const gt = calls(['{"name": "m", "parameters": {"v": NaN, "w": [NaN], "u": 1}}']);
  t.is(correctness(gt, gt), 3); // G == P: Python compares the shared NaN object by identity
  // u changed: not exact; keys 1, values: v NaN == NaN False, w [NaN] == [NaN] True, u False -> 1 + 1 + 1 of 5
  t.is(correctness(calls(['{"name": "m", "parameters": {"v": NaN, "w": [NaN], "u": 2}}']), gt), (6 * 3) / 5 - 3);
  t.is(correctness(calls(['{"name": "m", "parameters": {"v": Infinity, "w": [NaN], "u": 1}}']), gt), (6 * 4) / 5 - 3);
  t.is(correctness(calls(['{"name": "m", "parameters": {"v": -NaN, "w": [NaN], "u": 1}}']), gt), -3); // -NaN is not JSON
});

test('trap: pretty-printed JSON is one call over several lines: every line fails to parse', (t) => {
  t.is(correctness('<think>ok</think>\n<tool_call>\n{\n  "name": "a",\n  "parameters": {"x": 1, "y": "b"}\n}\n</tool_call>', GT_A), -3);
  t.throws(() => toolrlReward('x', '<think>a</think>\n<tool_call>\n{\n  "name": "a",\n  "parameters": {}\n}\n</tool_call>'), { instanceOf: GroundTruthError });
});

test('trap: blank lines between calls are empty JSON documents: min (and a GroundTruthError in a gold)', (t) => {
  const B = '{"name": "b", "parameters": {}}';
  const gt = calls([A, B]);
  t.is(correctness(calls([A, B]), gt), 3);
  t.is(correctness(calls([A, '', B]), gt), -3);
  t.is(correctness(`<think>ok</think>\n<tool_call>\n\n${A}\n${B}\n\n</tool_call>`, gt), 3); // outer blank lines are stripped
  t.is(correctness(calls([A, '  \t', B]), gt), -3);
  t.throws(() => toolrlReward('x', calls([A, '', B])), { instanceOf: GroundTruthError });
});

test('trap: unicode white space around and inside the call block', (t) => {
  t.is(correctness(`<think>ok</think>\n<tool_call>\u3000\x85\n${A}\n\x1c</tool_call>`, GT_A), 3); // block is str.strip()ped
  t.is(correctness(`<think>ok</think>\n<tool_call>\n${A}\x1c\n</tool_call>`, GT_A), 3); // \x1c at the block's end: stripped
  t.is(correctness(calls([`${A}\x1c`, A]), calls([A, A])), -3); // inside: json does not skip \x1c
  t.is(correctness(calls([`\ufeff${A}`]), GT_A), -3); // json.loads rejects a leading BOM
  t.is(correctness(calls([`{"name": "a", "parameters": {"x": 1,\u3000"y": "b"}}`]), GT_A), -3);
  t.is(correctness(calls([` \t${A}\r `]), GT_A), 3); // ' \\t\\n\\r' are JSON white space
});

// ---------------------------------------------------------------------------------------------
// Ground truths the reference cannot parse

test('GroundTruthError: <tool_call> mentioned inside <think> makes the gold unparseable', (t) => {
  const gt = `<think>I will wrap it in <tool_call> tags.</think>\n<tool_call>\n${A}\n</tool_call>`;
  const err = t.throws(() => toolrlReward(GT_A, gt), { instanceOf: GroundTruthError }) as GroundTruthError;
  t.is(err.reason, 'invalid-json');
  t.is(err.line, 1);
  t.is(err.lineText, 'tags.</think>');
  t.regex(err.message, /^Expected one JSON value per line after <tool_call> for groundTruth but received line 1 "tags.<\/think>" of type string \(Expecting value/);
  t.regex(err.message, /HINT/);
  t.throws(() => checkGroundTruth(gt), { instanceOf: GroundTruthError });
  t.throws(() => toolrlRewardBatch([GT_A], [gt]), { instanceOf: GroundTruthError });
  // the second call throws too (the cache keeps the verdict)
  t.throws(() => toolrlReward(GT_A, gt), { instanceOf: GroundTruthError });
});

test('real rows: 3 unparseable rlla_sft rows throw, the valid ones score their maximum on themselves', (t) => {
  const file = path.join(__dirname, 'fixtures', 'reward', 'rlla-rows.json');
  const rows = (JSON.parse(fs.readFileSync(file, 'utf8')) as { rows: { row: number; kind: string; output: string }[] }).rows;
  for (const r of rows) {
    if (r.kind === 'unparseable') {
      t.throws(() => toolrlReward(r.output, r.output), { instanceOf: GroundTruthError }, `row ${r.row}`);
      t.throws(() => checkGroundTruth(r.output), { instanceOf: GroundTruthError }, `row ${r.row}`);
    } else {
      t.notThrows(() => checkGroundTruth(r.output));
      const res = toolrlReward(r.output, r.output);
      t.is(res.format, 1, `row ${r.row}`);
      t.is(res.correctness, r.output.includes('<tool_call>') ? 3 : 0, `row ${r.row}`);
    }
  }
});

test('checkGroundTruth: passes well-formed golds, rejects unparseable and malformed calls with a reason', (t) => {
  t.notThrows(() => checkGroundTruth(GT_A));
  t.notThrows(() => checkGroundTruth('<think>a</think>\n<response>b</response>'));
  t.notThrows(() => checkGroundTruth('<think>I mention <response> here</think>\n<tool_call>\n' + A + '\n</tool_call>'));
  // [line, detail, reference correctness of calls([A]) against calls([A, line]) (from python3)]
  const malformed: [string, RegExp, number][] = [
    ['{"name": "a"}', /no "parameters"/, -3], // KeyError reading the gold's parameters
    ['{"parameters": {}}', /no "name"/, -3], // KeyError building the name list
    ['{"name": 1, "parameters": {}}', /"name" is not a string/, 1.2000000000000002], // scored: names 1/2 + 3 of 5
    ['{"name": "a", "parameters": [1]}', /"parameters" is not an object/, 0.5], // no candidate left: len([1]) = 1 counted
    ['[1, 2]', /not an object/, -3], // TypeError building the name list
  ];
  for (const [line, why, reference] of malformed) {
    const err = t.throws(() => checkGroundTruth(calls([A, line])), { instanceOf: GroundTruthError }) as GroundTruthError;
    t.is(err.reason, 'malformed-call');
    t.is(err.line, 2);
    t.is(err.lineText, line);
    t.regex(err.detail, why);
    // the reward itself follows the reference on such golds (max for an exact copy)
    t.is(correctness(calls([A, line]), calls([A, line])), 3);
    t.is(correctness(calls([A]), calls([A, line])), reference, line);
  }
  t.throws(() => checkGroundTruth(5 as unknown as string), { instanceOf: TypeError, message: /Expected string for groundTruth but received 5 of type number/ });
});

// ---------------------------------------------------------------------------------------------
// Options and arguments

test('options: unknown keys are a TypeError naming the valid ones (and the likely intended one)', (t) => {
  t.throws(() => toolrlReward(GT_A, GT_A, { lenght: 'fixed' } as RewardOptions), {
    instanceOf: TypeError,
    message: 'Unknown reward option "lenght" (did you mean "length"?); valid options are step, length, scale, granularity, matching',
  });
  t.throws(() => toolrlReward(GT_A, GT_A, { Step: 1 } as RewardOptions), { instanceOf: TypeError, message: /did you mean "step"/ });
  t.throws(() => toolrlReward(GT_A, GT_A, { withLength: true } as RewardOptions), { instanceOf: TypeError, message: /valid options are/ });
});

test('options: bad values are a RangeError listing the choices, wrong types a TypeError', (t) => {
  t.throws(() => toolrlReward(GT_A, GT_A, { length: 'fix' as 'fixed' }), {
    instanceOf: RangeError,
    message: `Expected one of 'off', 'fixed', 'scheduled' for length but received "fix" of type string`,
  });
  t.throws(() => toolrlReward(GT_A, GT_A, { scale: 'CORRECTMAX1' as 'equalMax' }), { instanceOf: RangeError, message: /'default', 'equalMax', 'twoStage', 'dynamic' for scale/ });
  t.throws(() => toolrlReward(GT_A, GT_A, { granularity: 'fine' as 'finegrained' }), { instanceOf: RangeError, message: /'default', 'finegrained', 'intermediate', 'coarse' for granularity/ });
  t.throws(() => toolrlReward(GT_A, GT_A, { matching: 'hungarian' as 'optimal' }), { instanceOf: RangeError, message: /'greedy', 'optimal' for matching/ });
  t.throws(() => toolrlReward(GT_A, GT_A, { length: true as unknown as 'fixed' }), { instanceOf: TypeError, message: /for length but received true of type boolean/ });
  t.throws(() => toolrlReward(GT_A, GT_A, { step: -1 }), { instanceOf: RangeError, message: 'Expected non-negative integer for step but received -1 of type number' });
  t.throws(() => toolrlReward(GT_A, GT_A, { step: 1.5 }), { instanceOf: RangeError });
  t.throws(() => toolrlReward(GT_A, GT_A, { step: NaN }), { instanceOf: RangeError });
  t.throws(() => toolrlReward(GT_A, GT_A, { step: '3' as unknown as number }), { instanceOf: TypeError, message: /received "3" of type string/ });
  t.throws(() => toolrlReward(GT_A, GT_A, 'fixed' as unknown as RewardOptions), { instanceOf: TypeError, message: /Expected object for options/ });
  t.notThrows(() => toolrlReward(GT_A, GT_A, { step: undefined, length: undefined }));
});

test('options: a reused options object is re-validated when it changes', (t) => {
  const opts: RewardOptions = { scale: 'dynamic', step: 0 };
  t.is(toolrlReward(GT_A, GT_A, opts).format, 2);
  opts.step = 150;
  t.is(toolrlReward(GT_A, GT_A, opts).format, 1);
  (opts as Record<string, unknown>).typo = 1;
  t.throws(() => toolrlReward(GT_A, GT_A, opts), { instanceOf: TypeError });
  delete (opts as Record<string, unknown>).typo;
  opts.scale = 'bad' as 'dynamic';
  t.throws(() => toolrlReward(GT_A, GT_A, opts), { instanceOf: RangeError });
});

test('arguments: completion and groundTruth must be strings', (t) => {
  t.throws(() => toolrlReward(undefined as unknown as string, GT_A), { instanceOf: TypeError, message: 'Expected string for completion but received undefined of type undefined' });
  t.throws(() => toolrlReward(GT_A, null as unknown as string), { instanceOf: TypeError, message: 'Expected string for groundTruth but received null of type object' });
});

// ---------------------------------------------------------------------------------------------
// Batch

test('toolrlRewardBatch equals toolrlReward one by one; one shared gold or one per completion', (t) => {
  const completions = [GT_A, calls(['{"name": "a", "parameters": {"x": 1}}']), 'junk', `  ${GT_A}\n`];
  const opts: RewardOptions = { length: 'scheduled', scale: 'dynamic', step: 42 };
  const one = completions.map((c) => toolrlReward(c, GT_A, opts));
  t.deepEqual(toolrlRewardBatch(completions, GT_A, opts), one);
  t.deepEqual(toolrlRewardBatch(completions, completions.map(() => GT_A), opts), one);
  t.deepEqual(toolrlRewardBatch([], GT_A), []);
  t.throws(() => toolrlRewardBatch(completions, [GT_A]), { instanceOf: RangeError, message: /Expected 4 ground truths/ });
  t.throws(() => toolrlRewardBatch('x' as unknown as string[], GT_A), { instanceOf: TypeError });
  t.throws(() => toolrlRewardBatch([1 as unknown as string], GT_A), { instanceOf: TypeError, message: /completions\[0\]/ });
  t.throws(() => toolrlRewardBatch([GT_A], GT_A, { bad: 1 } as RewardOptions), { instanceOf: TypeError });
});

// ---------------------------------------------------------------------------------------------
// parseToolCalls

test('parseToolCalls reads calls as the reward does and throws ToolCallParseError with a reason', (t) => {
  const parsed = parseToolCalls(calls(['{"name": "a", "parameters": {"2": 1, "1": 9007199254740993}}', '{"name": "b"}']));
  t.is(parsed.length, 2);
  t.is(parsed[0].name, 'a');
  t.deepEqual([...(parsed[0].parameters as Map<string, unknown>).entries()], [['2', 1n], ['1', 9007199254740993n]]);
  t.is(parsed[1].parameters, undefined);
  t.deepEqual([...parsed[1].raw.keys()], ['name']);
  const reason = (text: string) => (t.throws(() => parseToolCalls(text), { instanceOf: ToolCallParseError }) as ToolCallParseError).reason;
  t.is(reason('no tags'), 'missing-tags');
  t.is(reason(`<tool_call>\n${A}`), 'missing-tags');
  t.is(reason(calls([A, '', A])), 'invalid-json');
  t.is(reason(calls(['{"name": "a",}'])), 'invalid-json');
  t.is(reason(calls(['[1]'])), 'not-a-call');
  t.is(reason(calls(['{"parameters": {}}'])), 'not-a-call');
  const err = t.throws(() => parseToolCalls(calls([A, '{"name": "a",}'])), { instanceOf: ToolCallParseError }) as ToolCallParseError;
  t.is(err.line, 2);
  t.true(err instanceof SyntaxError);
  t.throws(() => parseToolCalls(1 as unknown as string), { instanceOf: TypeError });
});

// ---------------------------------------------------------------------------------------------
// Optimal matching

test('matching optimal: the best assignment where greedy is not optimal', (t) => {
  const gt = calls(['{"name": "f", "parameters": {"a": 1}}', '{"name": "f", "parameters": {"a": 1, "b": 2}}']);
  const c = calls(['{"name": "f", "parameters": {"a": 1, "b": 2}}', '{"name": "f", "parameters": {"b": 3}}']);
  // greedy: gold 1 takes p1 (keys 1/2 + value 1 = 1.5), gold 2 gets p2 (1/2 + 0): 1 + 1.5 + 0.5 = 3 of 6 -> 0
  t.is(correctness(c, gt), 0);
  // optimal: gold 1 - p2 (0), gold 2 - p1 (1 + 2): 1 + 0 + 3 = 4 of 6 -> 1
  t.is(correctness(c, gt, { matching: 'optimal' }), 1);
  t.is(correctness(c, gt, { matching: 'optimal', granularity: 'finegrained' }), 1); // keys [a] vs [a, b]: 0 anyway
});

test('matching optimal equals greedy whenever greedy is optimal (bit for bit)', (t) => {
  const gt = calls(['{"name": "f", "parameters": {"n": 16}}', '{"name": "f", "parameters": {"n": 32}}', '{"name": "g", "parameters": {"s": "x", "t": 1}}']);
  const completions = [
    gt,
    calls(['{"name": "f", "parameters": {"n": 32}}', '{"name": "f", "parameters": {"n": 16}}', '{"name": "g", "parameters": {"s": "x"}}']),
    calls(['{"name": "f", "parameters": {"n": 16, "m": 1}}', '{"name": "g", "parameters": {"t": 1}}']),
    calls(['{"name": "f", "parameters": {"n": 1}}']),
    'junk',
  ];
  for (const c of completions) {
    for (const granularity of ['default', 'finegrained', 'intermediate', 'coarse'] as const) {
      t.is(correctness(c, gt, { matching: 'optimal', granularity }), correctness(c, gt, { granularity }));
    }
  }
});

// ---------------------------------------------------------------------------------------------
// The chat-template cut of the reference's compute_score

test('assistantTurn cuts the assistant turn like compute_score (qwen, llama)', (t) => {
  const qwen = `<|im_start|>user\nhi<|im_end|>\n<|im_start|>assistant\n${GT_A}<|im_end|>\n<|endoftext|>`;
  t.is(assistantTurn(qwen, 'qwen'), GT_A);
  t.is(assistantTurn(`${GT_A}\n`, 'qwen'), GT_A); // no header: whole text, stripped
  const llama = `<|start_header_id|>assistant<|end_header_id|>\n\n${GT_A}<|eot_id|>`;
  t.is(assistantTurn(llama, 'llama'), GT_A);
  t.throws(() => assistantTurn(qwen, 'mistral' as 'qwen'), { instanceOf: RangeError, message: /'qwen', 'llama' for family/ });
  t.deepEqual(toolrlReward(assistantTurn(qwen, 'qwen'), GT_A), toolrlReward(GT_A, GT_A));
  t.deepEqual(toolrlReward(GT_A, GT_A, null as unknown as RewardOptions), toolrlReward(GT_A, GT_A));
});
