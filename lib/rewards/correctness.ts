/**
 * Correctness reward (spec/REWARD.md §2 and the granularities of §4), reproducing the reference's
 * compute_tool_call_reward operation for operation, including where it raises (the reference
 * catches every exception and scores min):
 *
 *   if G == P: max                                   (list ==, dicts by key, NaN by identity)
 *   coarse: min
 *   score = match(names(G), names(P))                (P[i]["name"]: not a dict / no name -> min;
 *                                                     Counter of unhashable names -> min)
 *   S_max = 1
 *   for g in G:                                      (g["parameters"] missing -> min)
 *     S_max += 1 (intermediate) | 1 + len(g.parameters)   (len() of a number -> min)
 *     best = first unused p with p.name == g.name maximising
 *         intermediate: 1 if p == g (first one, then stop)
 *         otherwise:   match(keys(g.params), keys(p.params)) + #{k: k in p.params and p.params[k] == g.params[k]}
 *                      (p["parameters"] missing or either params not a dict -> min)
 *       picked only if its score > 0; score += best
 *   correctness = (max - min) * score / S_max + min
 *
 * match(a, b) = 1 if a == b (in order); finegrained: 0 otherwise; 0 if either is empty; else the
 * multiset Jaccard |a ∩ b| / (|a| + |b| - |a ∩ b|).
 *
 * Floats are combined in the reference's order, so results are bit-identical to Python.
 *
 * matching 'optimal' replaces the per-gold greedy choice by the assignment maximising the summed
 * pair scores, found exactly on integer-scaled weights; when greedy's assignment is already
 * optimal its result is returned unchanged (same floats).
 */
import { pyEq, pyEqItem, pyListEq } from '../pycompat/equal';
import { isPyDict, type PyDict, type PyValue } from '../pycompat/value';
import type { Gold } from './calls';
import { maxWeightAssignment } from './matching';
import type { Granularity, Matching } from './options';

/** Signals "the reference raised here": the caller scores min. */
const RAISED = -1;

function hashable(v: PyValue): boolean {
  return v === null || typeof v !== 'object';
}

/** match() on the name lists; RAISED where Counter would hit an unhashable name. */
function matchNames(gold: Gold, a: readonly PyValue[], b: readonly PyValue[], refined: boolean): number {
  if (pyListEq(a, b)) return 1.0;
  if (refined) return 0.0;
  if (a.length === 0 || b.length === 0) return 0.0;
  if (!gold.namesHashable) return RAISED;
  for (let j = 0; j < b.length; j++) if (!hashable(b[j])) return RAISED;
  // Multiset intersection: Python's == is an equivalence on hashable json values (with json's
  // shared NaN equal to itself, as Counter's identity-first lookup has it), so pairing each a[i]
  // with the first unused equal b[j] counts sum over classes of min(count_a, count_b).
  let inter = 0;
  let used = 0; // bit j set: b[j] taken (lists of > 31 names fall back to an array)
  const usedArr: boolean[] | null = b.length > 31 ? new Array<boolean>(b.length).fill(false) : null;
  for (let i = 0; i < a.length; i++) {
    for (let j = 0; j < b.length; j++) {
      const taken = usedArr ? usedArr[j] : (used >>> j) & 1;
      if (!taken && pyEqItem(a[i], b[j])) {
        if (usedArr) usedArr[j] = true;
        else used |= 1 << j;
        inter++;
        break;
      }
    }
  }
  return inter / (a.length + b.length - inter);
}

/** Exact form of the last keyScore: num/den (for optimal matching). */
let keyNum = 0;
let keyDen = 1;

/** match() on parameter-key lists (keys are unique strings: intersection = shared keys). */
function matchKeys(gk: readonly string[], pd: PyDict, refined: boolean): number {
  const n = gk.length;
  const m = pd.size;
  if (n === m) {
    let i = 0;
    let same = true;
    for (const k of pd.keys()) {
      if (k !== gk[i++]) {
        same = false;
        break;
      }
    }
    if (same) {
      keyNum = 1;
      keyDen = 1;
      return 1.0;
    }
  }
  keyNum = 0;
  keyDen = 1;
  if (refined || n === 0 || m === 0) return 0.0;
  let inter = 0;
  for (let i = 0; i < n; i++) if (pd.has(gk[i])) inter++;
  keyNum = inter;
  keyDen = n + m - inter;
  return inter / (n + m - inter);
}

/** #{k in g: k in p and p[k] == g[k]} (Python: `pd_params[k] == v`, top-level ==). */
function matchValues(g: PyDict, p: PyDict): number {
  let c = 0;
  for (const [k, v] of g) {
    const w = p.get(k);
    if (w !== undefined && pyEq(w, v)) c++;
  }
  return c;
}

let localMax = 0;

/**
 * The reference's `score` accumulated over names and greedy matches (S_max left in localMax), or
 * RAISED. Assumes G != P as lists and granularity != 'coarse'.
 */
function scoreCalls(gold: Gold, pd: readonly PyValue[], granularity: Granularity, matching: Matching): number {
  const gNames = gold.names;
  const calls = gold.calls as PyValue[];
  // gt_names / pd_names: tool["name"] for every call.
  if (gNames === null) return RAISED;
  const m = pd.length;
  const pNames = new Array<PyValue>(m);
  for (let i = 0; i < m; i++) {
    const c = pd[i];
    if (!isPyDict(c)) return RAISED;
    const name = c.get('name');
    if (name === undefined) return RAISED;
    pNames[i] = name;
  }
  const refined = granularity === 'finegrained';
  let score = matchNames(gold, gNames, pNames, refined);
  if (score === RAISED) return RAISED;
  if (!gold.paramsPresent) return RAISED; // gt_tool["parameters"] is read for every gold call
  const intermediate = granularity === 'intermediate';
  const n = calls.length;
  let local = 1.0;
  const used = new Array<boolean>(m).fill(false);
  const greedyAssign = matching === 'optimal' ? new Array<number>(n).fill(-1) : null;
  for (let g = 0; g < n; g++) {
    const gName = gNames[g];
    if (intermediate) {
      local += 1.0;
    } else {
      const len = gold.paramLens[g];
      if (len < 0) return RAISED; // len() of an int/float/bool/None
      local += 1.0 + len;
    }
    let best = 0.0;
    let bestIdx = -1;
    for (let i = 0; i < m; i++) {
      if (used[i] || !pyEq(pNames[i], gName)) continue;
      if (intermediate) {
        if (pyEq(calls[g], pd[i])) {
          best = 1.0;
          bestIdx = i;
          break;
        }
        continue;
      }
      const pParams = (pd[i] as PyDict).get('parameters');
      const gKeys = gold.paramKeys[g];
      if (pParams === undefined || gKeys === null || !isPyDict(pParams)) return RAISED;
      const total = matchKeys(gKeys, pParams, refined) + matchValues(gold.params[g] as PyDict, pParams);
      if (total > best) {
        best = total;
        bestIdx = i;
      }
    }
    if (bestIdx >= 0) {
      used[bestIdx] = true;
      score += best;
      if (greedyAssign) greedyAssign[g] = bestIdx;
    }
  }
  localMax = local;
  if (greedyAssign && !intermediate) {
    // Greedy raised nowhere, so every same-name pair has dict parameters on both sides.
    const better = optimalScore(gold, pd, pNames, refined, greedyAssign);
    if (better !== undefined) return better;
  }
  return score;
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

/**
 * The name score plus the best assignment's pair scores, summed in gold order like greedy; or
 * undefined when the greedy assignment is already optimal (so greedy's floats are kept).
 * (For intermediate granularity greedy is always optimal: exact equality is an equivalence, and
 * pairing each gold call with any unused equal prediction maximises the number of pairs.)
 */
function optimalScore(gold: Gold, pd: readonly PyValue[], pNames: readonly PyValue[], refined: boolean, greedy: readonly number[]): number | undefined {
  const calls = gold.calls as PyValue[];
  const n = calls.length;
  const m = pd.length;
  // Pair scores as floats (exactly as greedy computes them) and as rationals num/den.
  const fl: number[][] = [];
  const num: number[][] = [];
  const den: number[][] = [];
  let lcm = 1;
  for (let g = 0; g < n; g++) {
    fl.push(new Array<number>(m).fill(0));
    num.push(new Array<number>(m).fill(0));
    den.push(new Array<number>(m).fill(1));
    for (let i = 0; i < m; i++) {
      if (!pyEq(pNames[i], gold.names![g])) continue;
      const pParams = (pd[i] as PyDict).get('parameters') as PyDict;
      const ks = matchKeys(gold.paramKeys[g] as string[], pParams, refined);
      const vs = matchValues(gold.params[g] as PyDict, pParams);
      fl[g][i] = ks + vs;
      num[g][i] = keyNum + vs * keyDen;
      den[g][i] = keyDen;
      lcm = (lcm / gcd(lcm, keyDen)) * keyDen;
    }
  }
  const k = Math.max(n, m);
  let exact = Number.isSafeInteger(lcm);
  const w: number[][] = num.map((row, g) =>
    row.map((x, i) => {
      const v = x * (lcm / den[g][i]);
      if (!Number.isSafeInteger(v * k)) exact = false;
      return v;
    }),
  );
  // Beyond 2^53 the integer weights are not exact: fall back to the float scores (documented).
  const weights = exact ? w : fl;
  const sum = (assign: readonly number[]): number => assign.reduce((s, i, g) => (i >= 0 ? s + weights[g][i] : s), 0);
  const opt = maxWeightAssignment(weights, n, m);
  const gain = sum(opt) - sum(greedy);
  if (!(exact ? gain > 0 : gain > 1e-9)) return undefined;
  let score = matchNames(gold, gold.names!, pNames, refined);
  for (let g = 0; g < n; g++) if (opt[g] >= 0 && fl[g][opt[g]] > 0) score += fl[g][opt[g]];
  return score;
}

/**
 * Correctness of predicted calls `pd` (undefined: the completion has no readable block) against
 * `gold`, in [min, max]. The caller handles a ground truth without <tool_call> (0).
 */
export function correctnessReward(
  gold: Gold,
  pd: readonly PyValue[] | undefined,
  max: number,
  min: number,
  granularity: Granularity,
  matching: Matching,
): number {
  if (pd === undefined) return min;
  if (pyListEq(gold.calls as PyValue[], pd)) return max;
  if (granularity === 'coarse') return min;
  const score = scoreCalls(gold, pd, granularity, matching);
  if (score === RAISED) return min;
  return ((max - min) * score) / localMax + min;
}
