/**
 * ToolRL reward throughput: `npm run bench -- reward [--reps N] [--passes P] [--groups G]`.
 *
 * The mix is what a GRPO step scores: groups of G = 4 completions against one ground truth, built
 * from real rows of the paper's SFT data (test/fixtures/reward/rlla-rows.json: single-call,
 * multi-call and response-only gold turns, ~1,700 characters each) as
 *   35% exact copies, 35% partially correct (a value changed, a key dropped or added, a call
 *   dropped, calls reordered), 20% malformed (truncated, missing </tool_call>, blank line, bad
 *   JSON), 10% answering with <response> instead of calling.
 * Every result is checked against toolrlReward once before timing (llm.c: correctness first).
 * One JSON line per configuration on stdout: medians over repetitions after a warm-up, one core.
 * `rewards_per_s` is per second of this process's CPU time (process.cpuUsage: the work of one
 * core, robust to other jobs sharing the machine); `wall_rewards_per_s` is per wall-clock second
 * (equal on an idle machine, lower on a busy one). `batch_*` use toolrlRewardBatch per GRPO group.
 * The reference Python code scores 15,000-33,000 rewards/s on this machine (issue 3).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { toolrlReward, toolrlRewardBatch, type RewardOptions } from '../lib/rewards';

const GROUP = 4;

function makeRng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0; // mulberry32
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Calls block of a gold turn: [prefix, lines, suffix] (lines empty for response-only rows). */
function splitGold(gt: string): [string, string[], string] {
  const a = gt.indexOf('<tool_call>\n');
  const b = gt.indexOf('\n</tool_call>');
  if (a < 0 || b < 0) return [gt, [], ''];
  return [gt.slice(0, a + 12), gt.slice(a + 12, b).split('\n'), gt.slice(b)];
}

function partial(gt: string, rnd: () => number): string {
  const [pre, lines, post] = splitGold(gt);
  if (lines.length === 0) return gt.replace('</response>', ' Let me know.</response>');
  const out = lines.slice();
  const i = Math.floor(rnd() * out.length);
  const r = rnd();
  if (r < 0.3) out[i] = out[i].replace(/: ("[^"]*"|[0-9.]+)/, ': "other"'); // a value changed
  else if (r < 0.5) out[i] = out[i].replace(/, "[^"]*": ("[^"]*"|[0-9.]+|\[[^\]]*\])/, ''); // a key dropped
  else if (r < 0.65) out[i] = out[i].replace('"parameters": {', '"parameters": {"extra": 1, '); // a key added
  else if (r < 0.8 && out.length > 1) out.splice(i, 1); // a call dropped
  else if (out.length > 1) out.reverse(); // calls reordered
  else out[i] = out[i].replace(/"name": "/, '"name": "x'); // wrong tool
  return pre + out.join('\n') + post;
}

function malformed(gt: string, rnd: () => number): string {
  const [pre, lines, post] = splitGold(gt);
  const r = rnd();
  if (r < 0.3) return gt.slice(0, Math.floor(gt.length * (0.5 + 0.5 * rnd()))); // truncated generation
  if (r < 0.5) return gt.replace('</tool_call>', '');
  if (r < 0.7 && lines.length > 0) return `${pre}${lines.join('\n\n')}${post}`; // blank line between calls
  if (r < 0.85 && lines.length > 0) return pre + lines.map((l) => l.replace(/"name"/, 'name')).join('\n') + post; // bad JSON
  return gt.replace('</think>\n', '</think>'); // format broken, calls intact
}

function responseInstead(gt: string): string {
  const think = gt.slice(0, gt.indexOf('</think>') + 8);
  return `${think}\n<response> I could not find a suitable tool for this request. </response>`;
}

export interface RewardMix {
  completions: string[];
  groundTruths: string[];
}

/** The benchmark mix (also usable from tests): `groups` GRPO groups of GROUP completions. */
export function buildMix(golds: readonly string[], groups: number, seed = 1): RewardMix {
  const rnd = makeRng(seed);
  const completions: string[] = [];
  const groundTruths: string[] = [];
  for (let g = 0; g < groups; g++) {
    const gt = golds[g % golds.length];
    for (let k = 0; k < GROUP; k++) {
      const r = rnd();
      let c: string;
      if (r < 0.35) c = gt;
      else if (r < 0.7) c = partial(gt, rnd);
      else if (r < 0.9) c = malformed(gt, rnd);
      else c = responseInstead(gt);
      // A completion is decoded from token bytes: a fresh flat string, never the gold object.
      completions.push(Buffer.from(c, 'utf8').toString('utf8'));
      groundTruths.push(gt);
    }
  }
  return { completions, groundTruths };
}

export function loadGolds(): string[] {
  const file = path.join(__dirname, '..', 'test', 'fixtures', 'reward', 'rlla-rows.json');
  const rows = (JSON.parse(fs.readFileSync(file, 'utf8')) as { rows: { kind: string; output: string }[] }).rows;
  return rows.filter((r) => r.kind === 'valid').map((r) => r.output);
}

function median(xs: number[]): number {
  const s = xs.slice().sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function flag(args: string[], name: string, dflt: number): number {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && i + 1 < args.length ? Number(args[i + 1]) : dflt;
}

export async function main(args: string[]): Promise<void> {
  const reps = flag(args, 'reps', 15);
  const passes = flag(args, 'passes', 4); // passes over the mix per repetition (~10 ms of work)
  const groups = flag(args, 'groups', 256);
  const golds = loadGolds();
  const mix = buildMix(golds, groups);
  const n = mix.completions.length;
  const configs: { name: string; opts: RewardOptions }[] = [
    { name: 'default', opts: {} },
    { name: 'length-scheduled+finegrained', opts: { length: 'scheduled', granularity: 'finegrained', step: 75 } },
    { name: 'dynamic+optimal', opts: { scale: 'dynamic', matching: 'optimal', step: 100 } },
  ];
  for (const { name, opts } of configs) {
    // Correctness before timing: the batch form equals the one-by-one form.
    const batch = toolrlRewardBatch(mix.completions, mix.groundTruths, opts);
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const one = toolrlReward(mix.completions[i], mix.groundTruths[i], opts);
      if (one.score !== batch[i].score) throw new Error(`batch and single disagree at ${i}`);
      sum += one.score;
    }
    const wall: number[] = [];
    const cpu: number[] = [];
    const batchCpu: number[] = [];
    const cpuMs = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1000;
    for (let r = 0; r < reps + 3; r++) {
      let acc = 0;
      const t0 = process.hrtime.bigint();
      let c0 = process.cpuUsage();
      for (let p = 0; p < passes; p++) {
        for (let i = 0; i < n; i++) acc += toolrlReward(mix.completions[i], mix.groundTruths[i], opts).score;
      }
      const single = cpuMs(process.cpuUsage(c0));
      const singleWall = Number(process.hrtime.bigint() - t0) / 1e6;
      c0 = process.cpuUsage();
      for (let p = 0; p < passes; p++) {
        for (let i = 0; i < n; i += GROUP) {
          for (const res of toolrlRewardBatch(mix.completions.slice(i, i + GROUP), mix.groundTruths[i], opts)) acc += res.score;
        }
      }
      const grouped = cpuMs(process.cpuUsage(c0));
      if (Math.abs(acc - 2 * passes * sum) > 1e-6 * n * passes) throw new Error('scores changed between repetitions');
      if (r >= 3) {
        cpu.push(single);
        wall.push(singleWall);
        batchCpu.push(grouped);
      }
    }
    const total = n * passes;
    const med = median(cpu);
    const medWall = median(wall);
    const medBatch = median(batchCpu);
    const line = {
      bench: 'reward',
      config: name,
      options: opts,
      mix: { rewards: n, group: GROUP, golds: golds.length, exact: 0.35, partial: 0.35, malformed: 0.2, response: 0.1, mean_chars: Math.round(mix.completions.reduce((s, c) => s + c.length, 0) / n) },
      reps,
      rewards_per_rep: total,
      median_ms: Number(med.toFixed(3)),
      rewards_per_s: Math.round((total / med) * 1000),
      wall_median_ms: Number(medWall.toFixed(3)),
      wall_rewards_per_s: Math.round((total / medWall) * 1000),
      batch_median_ms: Number(medBatch.toFixed(3)),
      batch_rewards_per_s: Math.round((total / medBatch) * 1000),
      loadavg_1m: Number(os.loadavg()[0].toFixed(2)),
      mean_score: Number((sum / n).toFixed(4)),
    };
    process.stdout.write(`${JSON.stringify(line)}\n`);
  }
}
