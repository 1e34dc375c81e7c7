/**
 * Shared benchmark plumbing: the named workloads of bench/configs.json, argument parsing, medians,
 * and running one measurement in a child process so that its peak RSS is its own.
 * Every benchmark prints JSON lines on stdout; progress goes to stderr.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

import type { ModelConfig } from '../lib/config';

export interface BenchConfig {
  model: { vocab: number; hidden: number; layers: number; heads: number; kv_heads: number; ffn: number; rope_theta: number; tie_embeddings: boolean };
  batch: { prompts: number; group: number; prompt_len: number; completion_len: number };
  grpo: { beta: number; epsilon: number; lr: number };
}

export function loadConfigs(): Record<string, BenchConfig> {
  return JSON.parse(fs.readFileSync(path.join(__dirname, 'configs.json'), 'utf8')).configs;
}

export function modelConfig(c: BenchConfig): ModelConfig {
  const m = c.model;
  return {
    modelType: 'qwen2', vocabSize: m.vocab, hiddenSize: m.hidden, numHiddenLayers: m.layers, numAttentionHeads: m.heads,
    numKeyValueHeads: m.kv_heads, intermediateSize: m.ffn, ropeTheta: m.rope_theta, rmsNormEps: 1e-6,
    tieWordEmbeddings: m.tie_embeddings, attentionBias: true, maxPositionEmbeddings: 32768, torchDtype: 'float32',
    ropeScaling: null, bosTokenId: null, eosTokenId: null,
  };
}

/** `--config NAME` (repeatable; default: all), `--key value` flags into a map. */
export function parseArgs(args: string[]): { configs: string[]; flags: Map<string, string> } {
  const flags = new Map<string, string>();
  const configs: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (!a.startsWith('--')) throw new RangeError(`unexpected argument "${a}"`);
    const [k, inline] = a.slice(2).split('=', 2) as [string, string | undefined];
    const v = inline ?? args[++i];
    if (v === undefined) throw new RangeError(`--${k} needs a value`);
    if (k === 'config') configs.push(v);
    else flags.set(k, v);
  }
  const all = Object.keys(loadConfigs());
  for (const c of configs) if (!all.includes(c)) throw new RangeError(`unknown config "${c}" (known: ${all.join(', ')})`);
  return { configs: configs.length ? configs : all, flags };
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

export function peakRssMb(): number {
  return process.resourceUsage().maxRSS / 1024; // maxRSS is in KiB
}

export function rssMb(): number {
  return process.memoryUsage().rss / 1024 / 1024;
}

export { mulberry32 as rng } from '../lib/util/prng';

/**
 * Runs `bench/<file>` with `--child <json>` in a fresh Node process and returns the JSON object
 * it prints last on stdout. Used so each measurement's peak RSS belongs to it alone.
 */
export function runChild(file: string, payload: unknown): Record<string, unknown> {
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(__dirname, file), '--child', JSON.stringify(payload)], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    env: process.env,
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.status !== 0) throw new Error(`benchmark child ${file} failed (exit ${r.status})`);
  const lines = r.stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]!);
}

/** In a child process: the payload passed by runChild, or undefined in the parent. */
export function childPayload<T>(): T | undefined {
  const i = process.argv.indexOf('--child');
  return i >= 0 ? (JSON.parse(process.argv[i + 1]!) as T) : undefined;
}

/** When this process is a runChild child: runs `measure` on the payload and prints its row. */
export function serveChild<T>(measure: (payload: T) => Promise<Record<string, unknown>>): void {
  const payload = childPayload<T>();
  if (!payload) return;
  measure(payload).then(
    (row) => process.stdout.write(`${JSON.stringify(row)}\n`),
    (err) => {
      process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
      process.exit(1);
    },
  );
}
