/**
 * Reward options: the paper's ablation switches (spec/REWARD.md §4) as one validated object,
 * and the reward ranges they imply at a given step.
 *
 * The released code reads environment variables (WITHLENGTH, SCHEDULELENGTH, CORRECTMAX1,
 * MAX1STEP30MAX3, SCHEDULEREWARD, REFINEDREWARD, INTERMEDIATEREWARD, COARSEREWARD); here each
 * family is one option with named values, so incompatible mixtures cannot be asked for:
 *
 *   length       'off' (default) | 'fixed' = WITHLENGTH | 'scheduled' = WITHLENGTH + SCHEDULELENGTH
 *   scale        'default' | 'equalMax' = CORRECTMAX1 | 'twoStage' = MAX1STEP30MAX3
 *                | 'dynamic' = SCHEDULEREWARD
 *   granularity  'default' | 'finegrained' = REFINEDREWARD | 'intermediate' = INTERMEDIATEREWARD
 *                | 'coarse' = COARSEREWARD
 *   matching     'greedy' (the reference) | 'optimal' (best assignment; "Beyond the reference")
 */
import { DEFAULT_REWARD_OPTIONS } from '../config';

export type LengthMode = 'off' | 'fixed' | 'scheduled';
export type ScaleMode = 'default' | 'equalMax' | 'twoStage' | 'dynamic';
export type Granularity = 'default' | 'finegrained' | 'intermediate' | 'coarse';
export type Matching = 'greedy' | 'optimal';

/** Options of toolrlReward; every field is optional, defaults in DEFAULT_REWARD_OPTIONS. */
export interface RewardOptions {
  /** Global training step (0-based, a non-negative integer), read by the schedules. Default 0. */
  step?: number;
  /** Length reward, spec §3 / paper 5.1. Default 'off'. */
  length?: LengthMode;
  /** Reward scale, spec §4 / paper 5.2. Default 'default'. */
  scale?: ScaleMode;
  /** Correctness granularity, spec §4 / paper 5.3. Default 'default'. */
  granularity?: Granularity;
  /** Assignment of predicted to gold calls. Default 'greedy' (the reference). */
  matching?: Matching;
}

/** RewardOptions with every field present and checked. */
export type ResolvedRewardOptions = Readonly<Required<RewardOptions>>;

/** The reward of one completion: score = format + correctness + length (spec "Total"). */
export interface RewardResult {
  score: number;
  format: number;
  correctness: number;
  /** 0 when the length reward is off. */
  length: number;
}

/** The values each reward component can take at one step, after every schedule (spec §4). */
export interface RewardRanges {
  formatMax: number;
  formatMin: number;
  correctnessMax: number;
  correctnessMin: number;
  lengthMax: number;
  lengthMin: number;
  /** Words of <think> that earn the full length reward (L, spec §3); 0 when length is 'off'. */
  lengthTarget: number;
}

const CHOICES = {
  length: ['off', 'fixed', 'scheduled'],
  scale: ['default', 'equalMax', 'twoStage', 'dynamic'],
  granularity: ['default', 'finegrained', 'intermediate', 'coarse'],
  matching: ['greedy', 'optimal'],
} as const;

const KEYS = ['step', 'length', 'scale', 'granularity', 'matching'] as const;

function show(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'bigint') return `${v}n`;
  if (typeof v === 'symbol') return v.toString();
  if (v !== null && typeof v === 'object') {
    try {
      return JSON.stringify(v) ?? String(v);
    } catch {
      return Object.prototype.toString.call(v);
    }
  }
  return String(v);
}

/** sharp's message template: Expected <what> for <name> but received <value> of type <typeof>. */
export function invalidParameter(what: string, name: string, value: unknown): string {
  return `Expected ${what} for ${name} but received ${show(value)} of type ${typeof value}`;
}

function editDistance(a: string, b: string): number {
  const d = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = d[0];
    d[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = d[j];
      d[j] = Math.min(d[j] + 1, d[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return d[b.length];
}

function checkChoice<K extends keyof typeof CHOICES>(key: K, v: unknown): (typeof CHOICES)[K][number] {
  const choices = CHOICES[key] as readonly string[];
  if (typeof v === 'string' && choices.includes(v)) return v as (typeof CHOICES)[K][number];
  const what = `one of ${choices.map((c) => `'${c}'`).join(', ')}`;
  const msg = invalidParameter(what, key, v);
  throw typeof v === 'string' ? new RangeError(msg) : new TypeError(msg);
}

/**
 * Apply defaults, validate, and freeze reward options. Unknown keys throw TypeError naming the
 * valid ones (and the likely intended key); a wrong type throws TypeError, a bad value RangeError.
 */
export function resolveRewardOptions(opts?: RewardOptions): ResolvedRewardOptions {
  // Apply defaults
  if (opts === undefined || opts === null) return DEFAULT_REWARD_OPTIONS;
  // Validate arguments
  if (typeof opts !== 'object' || Array.isArray(opts)) {
    throw new TypeError(invalidParameter('object', 'options', opts));
  }
  for (const k in opts) {
    if (!(KEYS as readonly string[]).includes(k)) {
      let hint = '';
      let bestD = 3;
      for (const valid of KEYS) {
        const dist = editDistance(k.toLowerCase(), valid.toLowerCase());
        if (dist < bestD) {
          bestD = dist;
          hint = ` (did you mean "${valid}"?)`;
        }
      }
      throw new TypeError(`Unknown reward option "${k}"${hint}; valid options are ${KEYS.join(', ')}`);
    }
  }
  const o = opts as Record<string, unknown>;
  const step = o.step === undefined ? DEFAULT_REWARD_OPTIONS.step : o.step;
  if (typeof step !== 'number') throw new TypeError(invalidParameter('non-negative integer', 'step', step));
  if (!Number.isSafeInteger(step) || step < 0) throw new RangeError(invalidParameter('non-negative integer', 'step', step));
  // Interpret options
  return Object.freeze({
    step,
    length: o.length === undefined ? DEFAULT_REWARD_OPTIONS.length : checkChoice('length', o.length),
    scale: o.scale === undefined ? DEFAULT_REWARD_OPTIONS.scale : checkChoice('scale', o.scale),
    granularity: o.granularity === undefined ? DEFAULT_REWARD_OPTIONS.granularity : checkChoice('granularity', o.granularity),
    matching: o.matching === undefined ? DEFAULT_REWARD_OPTIONS.matching : checkChoice('matching', o.matching),
  });
}

/**
 * Ranges at opts.step, computed with the reference's float operations in its order (spec §4):
 * correctness range first (equalMax), then the two-stage scale, then the dynamic schedule; format
 * the same without equalMax. Note that the dynamic schedule's format minimum is -2 at step 0 and
 * -1 from step 75 on (so format can be negative), and its correctness range widens from ±2 to ±3
 * at step 150.
 */
export function rewardRanges(opts: ResolvedRewardOptions): RewardRanges {
  const step = opts.step;
  let cMax = opts.scale === 'equalMax' ? 1.0 : 3.0;
  let cMin = opts.scale === 'equalMax' ? -1.0 : -3.0;
  let fMax = 1.0;
  let fMin = 0.0;
  if (opts.scale === 'twoStage') {
    // MAX1STEP30MAX3: correctness /3 before step 30, format /2 from step 30 on.
    if (step < 30) {
      cMax = cMax / 3;
      cMin = cMin / 3;
    } else {
      fMax = fMax / 2;
      fMin = fMin / 2;
    }
  } else if (opts.scale === 'dynamic') {
    // SCHEDULEREWARD
    cMax = ((cMax - 2) * step) / 150 + 2;
    cMin = ((cMin + 2) * step) / 150 - 2;
    if (cMax > 3.0) cMax = 3.0;
    if (cMin < -3.0) cMin = -3.0;
    fMax = 2 - ((2 - fMax) * step) / 150;
    fMin = -2 + ((2 + fMin) * step) / 150;
    if (fMax < 1.0) fMax = 1.0;
    if (fMin > -1.0) fMin = -1.0;
  }
  let lengthTarget = 0;
  if (opts.length === 'fixed') lengthTarget = 512;
  else if (opts.length === 'scheduled') lengthTarget = ((640 - 384) * step) / 105 + 384;
  return {
    formatMax: fMax,
    formatMin: fMin,
    correctnessMax: cMax,
    correctnessMin: cMin,
    lengthMax: 1.0,
    lengthMin: 0.0,
    lengthTarget,
  };
}
