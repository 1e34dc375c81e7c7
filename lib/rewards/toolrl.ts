/**
 * The ToolRL reward (Qian et al. 2025, arXiv 2504.13958), exactly as the authors' released code
 * scores (verl/utils/reward_score/rlla.py), specified in spec/REWARD.md:
 *
 *   reward = format (§1) + correctness (§2) + length (§3, only when enabled)
 *
 * with every ablation of the paper's Sections 5.1-5.3 as an option (§4, ./options.ts). Default
 * range [-3, 4]: format {0, 1}, correctness [-3, 3].
 *
 * Example (spec §5, the worked example):
 *   toolrlReward('<think>ok</think>\n<tool_call>\n{"name":"a","parameters":{"x":1}}\n</tool_call>',
 *                '<think>..</think>\n<tool_call>\n{"name":"a","parameters":{"x":1,"y":"b"}}\n</tool_call>')
 *   // { score: 1.75, format: 1, correctness: 0.75, length: 0 }
 *
 * The completion is the decoded assistant turn without its chat-template wrapper; it is stripped
 * here with Python's str.strip() (as the reference does before scoring), so stripping it first
 * changes nothing. A ground truth the reference cannot parse throws GroundTruthError; nothing
 * else throws for string inputs: a malformed completion scores the minimum.
 */
import { pyStrip } from '../pycompat/str';
import { getGold, readPredictedCallsAt, type Gold } from './calls';
import { correctnessReward } from './correctness';
import { formatMatches, formatMatchesCallTags } from './format';
import { lengthReward } from './length';
import {
  invalidParameter,
  resolveRewardOptions,
  rewardRanges,
  type ResolvedRewardOptions,
  type RewardOptions,
  type RewardRanges,
  type RewardResult,
} from './options';
import { scanCallTags, type CallTags } from './tags';

const tags: CallTags = { open1: -1, open2: -1, close1: -1, close2: -1 };

function scoreOne(completion: string, gold: Gold, o: ResolvedRewardOptions, r: RewardRanges): RewardResult {
  const s = pyStrip(completion);
  let format: number;
  let correctness: number;
  if (gold.calls === null) {
    format = formatMatches(s, gold.formatKind) ? r.formatMax : r.formatMin;
    correctness = 0.0; // a ground truth without <tool_call> scores 0 whatever the completion says (§2)
  } else {
    // The gold has <tool_call>, so format and calls both read the completion's tool-call tags.
    scanCallTags(s, tags);
    format = formatMatchesCallTags(s, gold.formatKind, tags) ? r.formatMax : r.formatMin;
    const pd = readPredictedCallsAt(s, tags, gold);
    correctness = correctnessReward(gold, pd, r.correctnessMax, r.correctnessMin, o.granularity, o.matching);
  }
  const length = o.length === 'off' ? 0 : lengthReward(s, r.lengthTarget, r.lengthMax, r.lengthMin);
  return { score: format + correctness + length, format, correctness, length };
}

// The options of the previous call, resolved: a trainer passes the same object for a whole step,
// so re-validating is skipped when the object and each of its values are unchanged.
let lastOpts: RewardOptions | undefined;
let lastSnapshot: unknown[] = [];
let lastResolved: ResolvedRewardOptions = resolveRewardOptions(undefined);
let lastRanges: RewardRanges = rewardRanges(lastResolved);
const defaultResolved = lastResolved;
const defaultRanges = lastRanges;

function snapshot(opts: RewardOptions): unknown[] {
  let keys = 0;
  for (const _ in opts) keys++;
  return [keys, opts.step, opts.length, opts.scale, opts.granularity, opts.matching];
}

function sameSnapshot(opts: RewardOptions, snap: unknown[]): boolean {
  if (opts.step !== snap[1] || opts.length !== snap[2] || opts.scale !== snap[3]) return false;
  if (opts.granularity !== snap[4] || opts.matching !== snap[5]) return false;
  let keys = 0;
  for (const _ in opts) keys++;
  return keys === snap[0];
}

/**
 * Score one completion against its ground truth (spec/REWARD.md). Throws TypeError/RangeError for
 * bad arguments or options, GroundTruthError for a ground truth the reference cannot parse.
 */
export function toolrlReward(completion: string, groundTruth: string, opts?: RewardOptions): RewardResult {
  if (typeof completion !== 'string') throw new TypeError(invalidParameter('string', 'completion', completion));
  if (typeof groundTruth !== 'string') throw new TypeError(invalidParameter('string', 'groundTruth', groundTruth));
  if (opts === undefined || opts === null) return scoreOne(completion, getGold(groundTruth), defaultResolved, defaultRanges);
  if (opts !== lastOpts || typeof opts !== 'object' || opts === null || !sameSnapshot(opts, lastSnapshot)) {
    const resolved = resolveRewardOptions(opts); // throws on bad options; the cache is left as it was
    lastRanges = rewardRanges(resolved);
    lastResolved = resolved;
    lastSnapshot = snapshot(opts);
    lastOpts = opts;
  }
  return scoreOne(completion, getGold(groundTruth), lastResolved, lastRanges);
}

/**
 * Score many completions in one call (the trainer's form: options are validated and the
 * schedules evaluated once). `groundTruths` is one string shared by all completions (a GRPO
 * group) or one per completion.
 */
export function toolrlRewardBatch(
  completions: readonly string[],
  groundTruths: string | readonly string[],
  opts?: RewardOptions,
): RewardResult[] {
  if (!Array.isArray(completions)) throw new TypeError(invalidParameter('array of strings', 'completions', completions));
  const shared = typeof groundTruths === 'string';
  if (!shared && !Array.isArray(groundTruths)) {
    throw new TypeError(invalidParameter('string or array of strings', 'groundTruths', groundTruths));
  }
  if (!shared && groundTruths.length !== completions.length) {
    throw new RangeError(
      invalidParameter(`${completions.length} ground truths (one per completion)`, 'groundTruths', `an array of ${groundTruths.length}`),
    );
  }
  const o = resolveRewardOptions(opts);
  const r = rewardRanges(o);
  const out = new Array<RewardResult>(completions.length);
  for (let i = 0; i < completions.length; i++) {
    const c = completions[i];
    const g = shared ? groundTruths : groundTruths[i];
    if (typeof c !== 'string') throw new TypeError(invalidParameter('string', `completions[${i}]`, c));
    if (typeof g !== 'string') throw new TypeError(invalidParameter('string', `groundTruths[${i}]`, g));
    out[i] = scoreOne(c, getGold(g), o, r);
  }
  return out;
}

/** The lowest and highest total reward under `opts` (for logs and range checks). */
export function rewardBounds(opts?: RewardOptions): { min: number; max: number } {
  const r = rewardRanges(resolveRewardOptions(opts));
  const withLength = resolveRewardOptions(opts).length !== 'off';
  return {
    min: r.formatMin + r.correctnessMin + (withLength ? r.lengthMin : 0),
    max: r.formatMax + r.correctnessMax + (withLength ? r.lengthMax : 0),
  };
}

/**
 * The assistant turn inside a decoded sequence, cut the way the reference's compute_score does
 * before scoring (rlla.py): the text after the last assistant header, up to the first
 * end-of-turn token, stripped.
 *   qwen:  text.split("<|im_start|>assistant")[-1].split("<|im_end|>")[0].strip()
 *   llama: text.split("<|start_header_id|>assistant<|end_header_id|>")[-1].split("<|eot_id|>")[0].strip()
 * Use it when decoding keeps special tokens; toolrlReward strips but does not cut.
 */
export function assistantTurn(decoded: string, family: 'qwen' | 'llama'): string {
  if (typeof decoded !== 'string') throw new TypeError(invalidParameter('string', 'decoded', decoded));
  const [header, end] =
    family === 'qwen'
      ? ['<|im_start|>assistant', '<|im_end|>']
      : family === 'llama'
        ? ['<|start_header_id|>assistant<|end_header_id|>', '<|eot_id|>']
        : ['', ''];
  if (header === '') throw new RangeError(invalidParameter(`one of 'qwen', 'llama'`, 'family', family));
  const h = decoded.lastIndexOf(header);
  const from = h < 0 ? 0 : h + header.length;
  const e = decoded.indexOf(end, from);
  return pyStrip(decoded.slice(from, e < 0 ? decoded.length : e));
}
