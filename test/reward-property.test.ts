/**
 * Property-based tests (fast-check) of the ToolRL reward: for every variant, on arbitrary and on
 * mutated completions, the reward never throws (only bad ground truths do), stays within its
 * documented range (rewardRanges), scores its maximum on the ground truth itself, and optimal
 * matching never scores below greedy.
 * Run: npx ava test/reward-property.test.ts
 */
import test from 'ava';
import fc from 'fast-check';
import { pyDumps, pyEq, pyLoads } from '../lib/pycompat';
import { FORMAT_BOTH, FORMAT_NEITHER, FORMAT_RESPONSE, FORMAT_TOOL_CALL, formatMatches, formatMatchesCallTags, type FormatKind } from '../lib/rewards/format';
import { maxWeightAssignment } from '../lib/rewards/matching';
import { scanCallTags } from '../lib/rewards/tags';
import {
  resolveRewardOptions,
  rewardRanges,
  toolrlReward,
  toolrlRewardBatch,
  type RewardOptions,
} from '../lib/rewards';

// ---------------------------------------------------------------------------------------------
// Arbitraries

const optionsArb: fc.Arbitrary<RewardOptions> = fc.record({
  step: fc.oneof(fc.constantFrom(0, 29, 30, 75, 105, 150, 200), fc.nat(400)),
  length: fc.constantFrom('off', 'fixed', 'scheduled'),
  scale: fc.constantFrom('default', 'equalMax', 'twoStage', 'dynamic'),
  granularity: fc.constantFrom('default', 'finegrained', 'intermediate', 'coarse'),
  matching: fc.constantFrom('greedy', 'optimal'),
}) as fc.Arbitrary<RewardOptions>;

/** Text without '<' so it cannot forge a tag. */
const plain = fc.string({ unit: 'grapheme', maxLength: 20 }).map((s) => s.replace(/</g, '('));
const key = fc.oneof(fc.constantFrom('x', 'y', 'city', '1', '2', '10', '0', 'é', ''), plain);
const scalar = fc.oneof(
  fc.integer(),
  fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
  fc.constant(null),
  plain,
);
/** A Python-JSON value as text (big ints and floats written the way a model would). */
const valueText: fc.Arbitrary<string> = fc.letrec<{ v: string }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalar.map((s) => (typeof s === 'bigint' ? s.toString() : JSON.stringify(s))),
    fc.constantFrom('NaN', 'Infinity', '-Infinity', '1.0', '-0.0', '1e5', 'true', '1'),
    fc.array(tie('v'), { maxLength: 3 }).map((xs) => `[${xs.join(', ')}]`),
    fc.array(fc.tuple(key, tie('v')), { maxLength: 3 }).map((kv) => `{${kv.map(([k, v]) => `${JSON.stringify(k)}: ${v}`).join(', ')}}`),
  ),
})).v;
const callText = fc
  .tuple(fc.constantFrom('a', 'b', 'get_weather', 'f'), fc.uniqueArray(fc.tuple(key, valueText), { maxLength: 4, selector: ([k]) => k }))
  .map(([name, params]) => `{"name": ${JSON.stringify(name)}, "parameters": {${params.map(([k, v]) => `${JSON.stringify(k)}: ${v}`).join(', ')}}}`);

/** A well-formed gold turn: <think> + (<tool_call> with 1-4 calls | <response> | both). */
const goldArb = fc
  .tuple(plain, fc.array(callText, { minLength: 1, maxLength: 4 }), plain, fc.constantFrom('calls', 'response', 'both'))
  .map(([think, calls, response, kind]) => {
    let s = `<think>${think}</think>`;
    if (kind !== 'response') s += `\n<tool_call>\n${calls.join('\n')}\n</tool_call>`;
    if (kind !== 'calls') s += `\n<response>${response}</response>`;
    return s;
  });

const TOKENS = ['<think>', '</think>', '<tool_call>', '</tool_call>', '<response>', '</response>', '\n', ' ', '{', '}', '[', ']', '"name"', '"parameters"', ':', ',', '"a"', 'NaN', '-Infinity', '1', '1.0', 'true', 'null', '"', '\\', '\x1c', '\x85', '\u3000', '\ufeff', '\ud800', '😀'];

/** Arbitrary completions: random text, random tag/JSON token soups, and mutations of a gold. */
function completionArb(gold: string): fc.Arbitrary<string> {
  return fc.oneof(
    fc.string({ unit: 'binary', maxLength: 200 }),
    fc.array(fc.oneof(fc.constantFrom(...TOKENS), plain), { maxLength: 40 }).map((xs) => xs.join('')),
    fc.constant(gold),
    fc
      .array(fc.tuple(fc.nat(gold.length), fc.nat(3), fc.constantFrom(...TOKENS)), { minLength: 1, maxLength: 4 })
      .map((edits) => {
        let s = gold;
        for (const [at, op, tok] of edits) {
          const i = at % (s.length + 1);
          s = op === 0 ? s.slice(0, i) + s.slice(i + 1) : op === 1 ? s.slice(0, i) + tok + s.slice(i) : op === 2 ? s.slice(0, i) : s.slice(0, i) + s.slice(i).replace(/\n/, '\n\n');
        }
        return s;
      }),
    fc.tuple(fc.array(callText, { minLength: 1, maxLength: 4 }), plain).map(([calls, think]) => `<think>${think}</think>\n<tool_call>\n${calls.join('\n')}\n</tool_call>`),
  );
}

const caseArb = goldArb.chain((gold) => fc.tuple(fc.constant(gold), completionArb(gold), optionsArb));

const EPS = 1e-12; // (max - min) * S / S + min may land one ulp off max; Python computes the same float

// ---------------------------------------------------------------------------------------------
// Properties

test('never throws on arbitrary completions and stays within the documented range of its variant', (t) => {
  fc.assert(
    fc.property(caseArb, ([gold, completion, opts]) => {
      const r = toolrlReward(completion, gold, opts);
      const g = rewardRanges(resolveRewardOptions(opts));
      const formatOk = r.format === g.formatMax || r.format === g.formatMin;
      const correctnessOk = gold.includes('<tool_call>')
        ? r.correctness >= g.correctnessMin - EPS && r.correctness <= g.correctnessMax + EPS
        : r.correctness === 0;
      const lengthOk = opts.length === 'off' ? r.length === 0 : r.length >= 0 && r.length <= 1;
      return formatOk && correctnessOk && lengthOk && r.score === r.format + r.correctness + r.length;
    }),
    { numRuns: 1500 },
  );
  t.pass();
});

test('scores the maximum on the ground truth itself, under every variant', (t) => {
  fc.assert(
    fc.property(goldArb, optionsArb, fc.constantFrom('', ' ', '\n', '\x1c\u3000', '\x85'), (gold, opts, pad) => {
      const r = toolrlReward(pad + gold + pad, gold, opts);
      const g = rewardRanges(resolveRewardOptions(opts));
      const cMax = gold.includes('<tool_call>') ? g.correctnessMax : 0;
      return r.format === g.formatMax && r.correctness === cMax && r.score === g.formatMax + cMax + r.length;
    }),
    { numRuns: 1000 },
  );
  t.pass();
});

test('optimal matching never scores below greedy, and equals it for a single gold call', (t) => {
  fc.assert(
    fc.property(caseArb, ([gold, completion, opts]) => {
      const greedy = toolrlReward(completion, gold, { ...opts, matching: 'greedy' }).correctness;
      const optimal = toolrlReward(completion, gold, { ...opts, matching: 'optimal' }).correctness;
      const single = (gold.match(/\n\{"name"/g) ?? []).length === 1;
      return optimal >= greedy && (!single || optimal === greedy);
    }),
    { numRuns: 1000 },
  );
  t.pass();
});

test('the batch form equals the single form', (t) => {
  fc.assert(
    fc.property(goldArb.chain((gold) => fc.tuple(fc.constant(gold), fc.array(completionArb(gold), { maxLength: 6 }), optionsArb)), ([gold, completions, opts]) => {
      const batch = toolrlRewardBatch(completions, gold, opts);
      return completions.every((c, i) => {
        const one = toolrlReward(c, gold, opts);
        return Object.is(one.score, batch[i].score) && Object.is(one.correctness, batch[i].correctness);
      });
    }),
    { numRuns: 300 },
  );
  t.pass();
});

test('pycompat: pyDumps output is read back by pyLoads as an equal value', (t) => {
  fc.assert(
    fc.property(valueText, (text) => {
      const v = pyLoads(text);
      const back = pyLoads(pyDumps(v));
      // top-level NaN is never == itself in Python; wrap both sides in a list (identity rule)
      return pyEq([v], [back]) && pyDumps(back) === pyDumps(v);
    }),
    { numRuns: 1000 },
  );
  t.pass();
});

test('maxWeightAssignment finds the maximum found by brute force', (t) => {
  const best = (w: number[][], rows: number, cols: number, g = 0, used = 0): number => {
    if (g === rows) return 0;
    let b = best(w, rows, cols, g + 1, used); // row g unmatched
    for (let j = 0; j < cols; j++) if (!(used & (1 << j))) b = Math.max(b, w[g][j] + best(w, rows, cols, g + 1, used | (1 << j)));
    return b;
  };
  const matrix = fc.tuple(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 5 })).chain(([r, c]) =>
    fc.array(fc.array(fc.oneof(fc.constant(0), fc.nat(20)), { minLength: c, maxLength: c }), { minLength: r, maxLength: r }),
  );
  fc.assert(
    fc.property(matrix, (w) => {
      const rows = w.length;
      const cols = w[0].length;
      const assign = maxWeightAssignment(w, rows, cols);
      const cols_ = assign.filter((j) => j >= 0);
      const distinct = new Set(cols_).size === cols_.length;
      const total = assign.reduce((s, j, g) => (j >= 0 ? s + w[g][j] : s), 0);
      return distinct && assign.every((j, g) => j < 0 || w[g][j] > 0) && total === best(w, rows, cols);
    }),
    { numRuns: 2000 },
  );
  t.pass();
});

test('format: the indexOf checks equal the reference regexes (re.search, DOTALL) and tag counts', (t) => {
  // The reference patterns as JS regexes: [\s\S] for DOTALL's '.', no 'm' flag so $ is the end
  // (the completion is stripped, so Python's "$ before a final \n" cannot apply).
  const count = (s: string, tag: string) => s.split(tag).length - 1;
  const reference: Record<FormatKind, (s: string) => boolean> = {
    [FORMAT_RESPONSE]: (s) => /^<think>[\s\S]*?<\/think>\n<response>[\s\S]*?<\/response>$/.test(s) && count(s, '<response>') === 1 && count(s, '</response>') === 1,
    [FORMAT_TOOL_CALL]: (s) => /^<think>[\s\S]*?<\/think>\n<tool_call>\n[\s\S]*?\n<\/tool_call>$/.test(s) && count(s, '<tool_call>') === 1 && count(s, '</tool_call>') === 1,
    [FORMAT_BOTH]: (s) =>
      /^<think>[\s\S]*?<\/think>\n<tool_call>\n[\s\S]*?\n<\/tool_call>\n<response>[\s\S]*?<\/response>$/.test(s) &&
      ['<tool_call>', '</tool_call>', '<response>', '</response>'].every((tag) => count(s, tag) === 1),
    [FORMAT_NEITHER]: (s) => /^<think>[\s\S]*?<\/think>$/.test(s),
  };
  const soup = fc.array(fc.constantFrom('<think>', '</think>', '<tool_call>', '</tool_call>', '<response>', '</response>', '\n', 'x', '<', '>', '/'), { maxLength: 14 }).map((xs) => xs.join(''));
  const wellFormed = fc.tuple(fc.constantFrom('', 'a', '\n'), fc.constantFrom('', 'b', '\n', '</think>'), fc.constantFrom('', 'c')).map(
    ([a, b, c]) => `<think>${a}</think>\n<tool_call>\n${b}\n</tool_call>\n<response>${c}</response>`,
  );
  const tags = { open1: -1, open2: -1, close1: -1, close2: -1 };
  fc.assert(
    fc.property(fc.oneof(soup, wellFormed, wellFormed.map((s) => s.replace('\n<response>', '').replace(/<response>.*$/, ''))), (s) =>
      ([FORMAT_RESPONSE, FORMAT_TOOL_CALL, FORMAT_BOTH, FORMAT_NEITHER] as FormatKind[]).every((kind) => {
        const want = reference[kind](s);
        const callKind = kind === FORMAT_TOOL_CALL || kind === FORMAT_BOTH;
        return formatMatches(s, kind) === want && (!callKind || formatMatchesCallTags(s, kind, scanCallTags(s, tags)) === want);
      }),
    ),
    { numRuns: 5000 },
  );
  t.pass();
});
