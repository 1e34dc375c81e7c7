/**
 * Policy: a Qwen2-family causal LM held by the native addon (DESIGN.md "The policy").
 * TypeScript validates every argument first (TypeError/RangeError), then hands plain typed arrays
 * to C++, where the slow work runs on the libuv pool (AsyncWorker) and resolves a Promise.
 *
 * Concurrency: one native operation per Policy at a time. Calls made while another is running are
 * queued and run in call order (they never fail with "busy"). Thread pools are process-wide
 * (see runtime.ts); `threads` in create/load sets both pools.
 */
import * as fs from 'node:fs/promises';
import * as path from 'node:path';

import {
  DEFAULT_GENERATE_OPTIONS, DEFAULT_LOGPROBS_OPTIONS, DEFAULT_TRAIN_STEP_OPTIONS, LOSS_AGGREGATIONS, type GenerateOptions,
  type LogprobsOptions, type ModelConfig, type TrainStepOptions,
} from './config';
import { exists, replaceAtomic, writeFileAtomic } from './io/atomic';
import { readSafetensorsHeader, type SafetensorsEntry } from './io/safetensors';
import { modelConfigFromHF, modelConfigToHF, resolveModelConfig } from './model/hf-config';
import { native, type NativePolicy, type NativeTensorSpec, type StepMetrics } from './native';
import { ensureRuntime, setThreads } from './runtime';
import { callerStack } from './util/stack';
import {
  expectBoolean, expectInteger, expectNumber, expectObject, expectOneOf, expectString, expectTokenSequences, flatten,
  rejectUnknownKeys, typeMessage,
} from './util/validate';

export type { StepMetrics };

/** One optimisation batch: sequence i is prompts[i] followed by completions[i]. */
export interface TrainBatch {
  prompts: Int32Array[];
  /** Non-empty; the loss covers these tokens only. */
  completions: Int32Array[];
  /** GRPO: one advantage per sequence (finite). */
  advantages?: ArrayLike<number>;
  /** GRPO: log-probs of each completion token under the sampling policy; omitted = on-policy (ratio 1). */
  oldLogprobs?: Float32Array[];
  /** GRPO with beta > 0: reference-policy log-probs of each completion token. */
  refLogprobs?: Float32Array[];
}

export interface GenerateResult {
  /** Generated tokens only (no prompt), prompt-major: prompt 0's n samples, then prompt 1's, ... */
  ids: Int32Array[];
  /**
   * Per generated token: log-probability under softmax(logits / temperature), the full
   * temperature-scaled distribution (with temperature 0: softmax(logits)). top-p/top-k choose
   * which tokens may be drawn but do not renormalise these values, so at topP 1 / topK 0 they
   * are exactly the sampling distribution and equal `logprobs()` at temperature 1.
   */
  logprobs: Float32Array[];
  /** 'stop': ended on a stop token (kept as the last id); 'length': reached maxNewTokens. */
  finish: ('stop' | 'length')[];
}

const IGNORED_TENSORS = [/\.rotary_emb\.inv_freq$/]; // buffers some older checkpoints carry

function threadOpt(opts: Record<string, unknown>, name: string): void {
  if (opts.threads !== undefined) {
    const n = expectInteger(opts.threads, `${name}.threads`, { min: 1, max: 1024 });
    setThreads({ aten: n, blas: n });
  }
}

export class Policy {
  readonly #native: NativePolicy;
  readonly config: ModelConfig;
  #queue: Promise<unknown> = Promise.resolve();
  #disposed = false;

  private constructor(nativePolicy: NativePolicy, config: ModelConfig) {
    this.#native = nativePolicy;
    this.config = Object.freeze({ ...config });
  }

  /** A randomly initialised model (normal(0, 0.02) weights, transformers' init), deterministic for a seed. */
  static async create(config: ModelConfig, opts: { seed?: number; threads?: number } = {}): Promise<Policy> {
    const cfg = resolveModelConfig(config, 'config');
    const o = expectObject(opts, 'opts');
    rejectUnknownKeys(o, ['seed', 'threads'], 'opts');
    const seed = o.seed === undefined ? 0 : expectInteger(o.seed, 'opts.seed', { min: 0 });
    ensureRuntime();
    threadOpt(o, 'opts');
    const { NativePolicy } = native();
    return new Policy(new NativePolicy(cfg, seed), cfg);
  }

  /**
   * Loads a Hugging Face model directory: config.json plus model.safetensors, or the shards named
   * by model.safetensors.index.json. F32/F16/BF16 tensors are converted to float32.
   */
  static async load(dir: string, opts: { threads?: number } = {}): Promise<Policy> {
    expectString(dir, 'dir');
    const o = expectObject(opts, 'opts');
    rejectUnknownKeys(o, ['threads'], 'opts');
    const configFile = path.join(dir, 'config.json');
    let raw: string;
    try {
      raw = await fs.readFile(configFile, 'utf8');
    } catch (err) {
      throw new Error(`${configFile}: cannot read model config (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
    }
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch (err) {
      throw new Error(`${configFile}: not valid JSON (${(err as Error).message})`);
    }
    const cfg = modelConfigFromHF(json, configFile);
    const files = await weightFiles(dir);
    ensureRuntime();
    threadOpt(o, 'opts');
    const { NativePolicy } = native();
    const policy = new Policy(new NativePolicy(cfg, 0), cfg);
    try {
      const specs = await tensorSpecs(files, policy.#native.parameterInfo(), cfg);
      await policy.#native.loadTensors(specs);
    } catch (err) {
      policy.dispose();
      throw err;
    }
    return policy;
  }

  /**
   * Writes config.json and model.safetensors into `dir` (created if needed), each replaced
   * atomically. `dtype: 'bfloat16'` halves the file (values rounded to bf16 on the way out).
   */
  async save(dir: string, opts: { dtype?: 'float32' | 'bfloat16' } = {}): Promise<void> {
    expectString(dir, 'dir');
    const o = expectObject(opts, 'opts');
    rejectUnknownKeys(o, ['dtype'], 'opts');
    const dtype = o.dtype === undefined ? 'float32' : expectOneOf(o.dtype, ['float32', 'bfloat16'] as const, 'opts.dtype');
    this.#checkAlive();
    await fs.mkdir(dir, { recursive: true });
    await this.#run(() =>
      replaceAtomic(path.join(dir, 'model.safetensors'), (tmp) => this.#native.saveSafetensors(tmp, dtype === 'float32' ? 'F32' : 'BF16')),
    );
    await writeFileAtomic(path.join(dir, 'config.json'), `${JSON.stringify(modelConfigToHF(this.config, dtype), null, 2)}\n`);
  }

  /**
   * For each sequence s: log p(s[t] | s[<t]) for t = start[i] .. s.length - 1. Sequences with the
   * same prefix before their start share one row of the forward (opts.sharePrompts, default on).
   */
  async logprobs(seqs: Int32Array[], opts: { start: number[] } & Partial<LogprobsOptions>): Promise<Float32Array[]> {
    const list = expectTokenSequences(seqs, 'seqs', this.config.vocabSize);
    const o = expectObject(opts, 'opts');
    rejectUnknownKeys(o, ['start', 'sharePrompts'], 'opts');
    const sharePrompts = expectBoolean(o.sharePrompts ?? DEFAULT_LOGPROBS_OPTIONS.sharePrompts, 'opts.sharePrompts');
    if (!Array.isArray(o.start)) throw new TypeError(typeMessage('an array of integers', 'opts.start', o.start));
    const start = o.start as unknown[];
    if (start.length !== list.length) {
      throw new RangeError(`Expected opts.start to have one entry per sequence (${list.length}) but it has ${start.length}`);
    }
    start.forEach((s, i) => expectInteger(s, `opts.start[${i}]`, { min: 1, max: list[i]!.length - 1 }));
    this.#checkAlive();
    if (list.length === 0) return [];
    const { ids, offsets } = flatten(list);
    const flat = await this.#run(() => this.#native.logprobs(ids, offsets, Int32Array.from(start as number[]), { sharePrompts }));
    const out: Float32Array[] = [];
    let at = 0;
    list.forEach((s, i) => {
      const n = s.length - (start[i] as number);
      out.push(flat.slice(at, at + n));
      at += n;
    });
    return out;
  }

  /** Samples `n` completions per prompt with a KV cache, each prompt prefilled once. */
  async generate(prompts: Int32Array[], opts: Partial<GenerateOptions> = {}): Promise<GenerateResult> {
    const list = expectTokenSequences(prompts, 'prompts', this.config.vocabSize);
    const g = resolveGenerateOptions(opts, this.config.vocabSize);
    if (list.length === 0) {
      this.#checkAlive();
      return { ids: [], logprobs: [], finish: [] };
    }
    return this.#generate(list, g, 'fast');
  }

  async #generate(list: Int32Array[], g: GenerateOptions, impl: 'fast' | 'reference'): Promise<GenerateResult> {
    this.#checkAlive();
    const { ids, offsets } = flatten(list);
    const r = await this.#run(() =>
      this.#native.generate(ids, offsets, { ...g, stopTokenIds: Int32Array.from(g.stopTokenIds), impl }),
    );
    const out: GenerateResult = { ids: [], logprobs: [], finish: [] };
    for (let i = 0; i + 1 < r.offsets.length; i++) {
      out.ids.push(r.ids.slice(r.offsets[i], r.offsets[i + 1]));
      out.logprobs.push(r.logprobs.slice(r.offsets[i], r.offsets[i + 1]));
      out.finish.push(r.stopped[i] ? 'stop' : 'length');
    }
    return out;
  }

  /**
   * The eager baseline that benchmarks compare generate() against: every sample prefilled in one
   * prompts x n batch and a KV cache grown by concatenation each step (Hugging Face generate's
   * way), no early exit of finished rows. Equal-length prompts only. Same sampler and RNG, so its
   * tokens match generate()'s. Not for production use.
   */
  async generateReference(prompts: Int32Array[], opts: Partial<GenerateOptions> = {}): Promise<GenerateResult> {
    const list = expectTokenSequences(prompts, 'prompts', this.config.vocabSize, false);
    if (list.some((p) => p.length !== list[0]!.length)) throw new RangeError('generateReference takes equal-length prompts only');
    return this.#generate(list, resolveGenerateOptions(opts, this.config.vocabSize), 'reference');
  }

  /**
   * One GRPO optimisation step (forward, fused clipped-surrogate loss + optional k3 KL and entropy
   * bonus, backward, gradient clipping, AdamW). The AdamW state lives with the policy.
   * A step whose loss or gradient is not finite is skipped (no update) and says so in the metrics.
   */
  async trainStep(batch: TrainBatch, opts: Partial<TrainStepOptions> = {}): Promise<StepMetrics> {
    return this.#step('grpo', batch, opts);
  }

  /** One supervised step: cross-entropy on the completion tokens (fused, chunked), then AdamW. */
  async sftStep(batch: Pick<TrainBatch, 'prompts' | 'completions'>, opts: Partial<TrainStepOptions> = {}): Promise<StepMetrics> {
    return this.#step('sft', batch, opts);
  }

  async #step(kind: 'grpo' | 'sft', batch: TrainBatch, opts: Partial<TrainStepOptions>): Promise<StepMetrics> {
    const b = validateBatch(batch, kind, this.config.vocabSize);
    const o = resolveTrainStepOptions(opts);
    if (kind === 'grpo' && o.beta > 0 && !b.refLogprobs) throw new RangeError('opts.beta > 0 needs batch.refLogprobs');
    this.#checkAlive();
    const seqs = b.prompts.map((p, i) => {
      const s = new Int32Array(p.length + b.completions[i]!.length);
      s.set(p);
      s.set(b.completions[i]!, p.length);
      return s;
    });
    const { ids, offsets } = flatten(seqs);
    const cat = (xs?: Float32Array[]) => (xs ? Float32Array.from(xs.flatMap((x) => Array.from(x))) : null);
    return this.#run(() =>
      this.#native.trainStep(
        kind, ids, offsets, Int32Array.from(b.prompts.map((p) => p.length)),
        b.advantages ? Float32Array.from(b.advantages) : null, cat(b.oldLogprobs), cat(b.refLogprobs), o,
      ),
    );
  }

  /** Allocates the AdamW state now instead of at the first step (e.g. to measure memory). */
  async initOptimizer(): Promise<void> {
    this.#checkAlive();
    await this.#run(async () => this.#native.initOptimizer());
  }

  /** Optimizer steps taken so far (restored by loadOptimizer). */
  optimizerSteps(): number {
    this.#checkAlive();
    return this.#native.optimizerSteps();
  }

  /** Writes the AdamW state (moments + step) to `file` (safetensors), atomically. */
  async saveOptimizer(file: string): Promise<void> {
    expectString(file, 'file');
    this.#checkAlive();
    await this.#run(() => replaceAtomic(file, (tmp) => this.#native.saveOptimizer(tmp)));
  }

  /** Restores AdamW state written by saveOptimizer (for resuming training). */
  async loadOptimizer(file: string): Promise<void> {
    expectString(file, 'file');
    this.#checkAlive();
    const { entries, metadata } = await readSafetensorsHeader(file);
    const step = Number(metadata.step);
    if (metadata.optimizer !== 'adamw' || !Number.isSafeInteger(step) || step < 0) {
      throw new Error(`${file}: not a toolrl optimizer state (missing __metadata__ optimizer/step)`);
    }
    const specs = entries.map((e) => {
      if (e.dtype !== 'F32') throw new Error(`${file}: tensor '${e.name}' has dtype ${e.dtype}; optimizer state is F32`);
      return { name: e.name, file, dtype: 'F32' as const, shape: e.shape, begin: e.begin, end: e.end };
    });
    await this.#run(() => this.#native.loadOptimizer(specs, step));
  }

  numParameters(): number {
    this.#checkAlive();
    return this.#native.numParameters();
  }

  /** Frees native memory now. Later calls throw. Waits for a running operation to finish first. */
  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    const free = () => {
      try {
        this.#native.dispose();
      } catch {
        // still busy: the queue's tail below frees it
      }
    };
    this.#queue.then(free, free);
  }

  /** True once dispose() has been called. */
  get disposed(): boolean {
    return this.#disposed;
  }

  #checkAlive(): void {
    if (this.#disposed) throw new Error('Policy has been disposed; create or load a new one');
  }

  /** Runs native work after everything queued before it (one op in flight per policy). */
  #run<T>(work: () => Promise<T>): Promise<T> {
    const next = this.#queue.then(work, work).catch(callerStack()); // the caller's stack, captured now
    this.#queue = next.catch(() => undefined);
    return next;
  }
}

const GENERATE_KEYS = Object.keys(DEFAULT_GENERATE_OPTIONS) as (keyof GenerateOptions)[];

/** Applies defaults (lib/config.ts) and validates generate options. */
export function resolveGenerateOptions(opts: unknown, vocabSize: number): GenerateOptions {
  const o = expectObject(opts, 'opts');
  rejectUnknownKeys(o, GENERATE_KEYS, 'generate options');
  const g = { ...DEFAULT_GENERATE_OPTIONS, ...o } as Record<string, unknown>;
  const stop = g.stopTokenIds;
  if (!Array.isArray(stop)) throw new TypeError(typeMessage('an array of token ids', 'opts.stopTokenIds', stop));
  return {
    n: expectInteger(g.n, 'opts.n', { min: 1, max: 65536 }),
    maxNewTokens: expectInteger(g.maxNewTokens, 'opts.maxNewTokens', { min: 1, max: 1 << 20 }),
    temperature: expectNumber(g.temperature, 'opts.temperature', { min: 0 }),
    topP: expectNumber(g.topP, 'opts.topP', { min: 0, minExclusive: true, max: 1 }),
    topK: expectInteger(g.topK, 'opts.topK', { min: 0 }),
    seed: expectInteger(g.seed, 'opts.seed', { min: 0 }),
    stopTokenIds: stop.map((s, i) => expectInteger(s, `opts.stopTokenIds[${i}]`, { min: 0, max: vocabSize - 1 })),
    batchSize: expectInteger(g.batchSize, 'opts.batchSize', { min: 0 }),
    sharePrefix: expectBoolean(g.sharePrefix, 'opts.sharePrefix'),
  };
}

const TRAIN_KEYS = Object.keys(DEFAULT_TRAIN_STEP_OPTIONS) as (keyof TrainStepOptions)[];

/** Applies defaults (lib/config.ts) and validates optimisation-step options. */
export function resolveTrainStepOptions(opts: unknown): TrainStepOptions {
  const o = expectObject(opts, 'opts');
  rejectUnknownKeys(o, TRAIN_KEYS, 'train options');
  const g = { ...DEFAULT_TRAIN_STEP_OPTIONS, ...o } as Record<string, unknown>;
  return {
    lr: expectNumber(g.lr, 'opts.lr', { min: 0 }),
    epsLow: expectNumber(g.epsLow, 'opts.epsLow', { min: 0, max: 1 }),
    epsHigh: expectNumber(g.epsHigh, 'opts.epsHigh', { min: 0 }),
    beta: expectNumber(g.beta, 'opts.beta', { min: 0 }),
    entropyCoef: expectNumber(g.entropyCoef, 'opts.entropyCoef', { min: 0 }),
    aggregation: expectOneOf(g.aggregation, LOSS_AGGREGATIONS, 'opts.aggregation'),
    maxCompletionLength: expectInteger(g.maxCompletionLength, 'opts.maxCompletionLength', { min: 0 }),
    microBatchSize: expectInteger(g.microBatchSize, 'opts.microBatchSize', { min: 0 }),
    sharePrompts: expectBoolean(g.sharePrompts, 'opts.sharePrompts'),
    maxGradNorm: expectNumber(g.maxGradNorm, 'opts.maxGradNorm', { min: 0 }),
    weightDecay: expectNumber(g.weightDecay, 'opts.weightDecay', { min: 0 }),
    beta1: expectNumber(g.beta1, 'opts.beta1', { min: 0, max: 0.999999 }),
    beta2: expectNumber(g.beta2, 'opts.beta2', { min: 0, max: 0.999999999 }),
    eps: expectNumber(g.eps, 'opts.eps', { min: 0, minExclusive: true }),
    chunkRows: expectInteger(g.chunkRows, 'opts.chunkRows', { min: 0 }),
    impl: expectOneOf(g.impl, ['fused', 'reference'] as const, 'opts.impl'),
    releaseMemory: expectBoolean(g.releaseMemory, 'opts.releaseMemory'),
  };
}

/** Checks a training batch: matching lengths, ids in range, finite advantages and log-probs. */
function validateBatch(batch: unknown, kind: 'grpo' | 'sft', vocabSize: number): TrainBatch {
  const b = expectObject(batch, 'batch');
  rejectUnknownKeys(b, kind === 'grpo' ? ['prompts', 'completions', 'advantages', 'oldLogprobs', 'refLogprobs'] : ['prompts', 'completions'], 'batch');
  const prompts = expectTokenSequences(b.prompts, 'batch.prompts', vocabSize);
  const completions = expectTokenSequences(b.completions, 'batch.completions', vocabSize);
  if (prompts.length === 0) throw new RangeError('Expected a non-empty batch but batch.prompts is empty');
  if (completions.length !== prompts.length) {
    throw new RangeError(`Expected batch.completions to have one entry per prompt (${prompts.length}) but it has ${completions.length}`);
  }
  const out: TrainBatch = { prompts, completions };
  if (kind === 'sft') return out;
  const adv = b.advantages;
  if (adv === undefined || adv === null || typeof adv !== 'object' || typeof (adv as ArrayLike<number>).length !== 'number') {
    throw new TypeError(typeMessage('an array of numbers', 'batch.advantages', adv));
  }
  const advs = adv as ArrayLike<number>;
  if (advs.length !== prompts.length) throw new RangeError(`Expected ${prompts.length} advantages (one per sequence) but received ${advs.length}`);
  for (let i = 0; i < advs.length; i++) {
    if (typeof advs[i] !== 'number') throw new TypeError(typeMessage('a number', `batch.advantages[${i}]`, advs[i]));
    if (!Number.isFinite(advs[i])) throw new RangeError(`Expected a finite number for batch.advantages[${i}] but received ${advs[i]}`);
  }
  out.advantages = advs;
  for (const key of ['oldLogprobs', 'refLogprobs'] as const) {
    const v = b[key];
    if (v === undefined) continue;
    if (!Array.isArray(v)) throw new TypeError(typeMessage('an array of Float32Array', `batch.${key}`, v));
    if (v.length !== prompts.length) throw new RangeError(`Expected batch.${key} to have ${prompts.length} entries but it has ${v.length}`);
    v.forEach((x, i) => {
      if (!(x instanceof Float32Array)) throw new TypeError(typeMessage('a Float32Array', `batch.${key}[${i}]`, x));
      if (x.length !== completions[i]!.length) {
        throw new RangeError(`Expected batch.${key}[${i}] to have one value per completion token (${completions[i]!.length}) but it has ${x.length}`);
      }
      for (const lp of x) if (!Number.isFinite(lp) || lp > 0) throw new RangeError(`Expected finite log-probs <= 0 in batch.${key}[${i}] but found ${lp}`);
    });
    out[key] = v as Float32Array[];
  }
  return out;
}

/** model.safetensors, else the shard files listed by model.safetensors.index.json. */
async function weightFiles(dir: string): Promise<string[]> {
  const single = path.join(dir, 'model.safetensors');
  if (await exists(single)) return [single];
  const indexFile = path.join(dir, 'model.safetensors.index.json');
  if (!(await exists(indexFile))) throw new Error(`${dir}: no model.safetensors or model.safetensors.index.json found`);
  let index: { weight_map?: Record<string, string> };
  try {
    index = JSON.parse(await fs.readFile(indexFile, 'utf8'));
  } catch (err) {
    throw new Error(`${indexFile}: not valid JSON (${(err as Error).message})`);
  }
  if (!index.weight_map || typeof index.weight_map !== 'object') throw new Error(`${indexFile}: missing "weight_map"`);
  const files = [...new Set(Object.values(index.weight_map))];
  for (const f of files) {
    if (typeof f !== 'string' || f.includes('/') || f.includes('\\')) throw new Error(`${indexFile}: invalid shard name ${JSON.stringify(f)}`);
  }
  return files.map((f) => path.join(dir, f));
}

/** Matches checkpoint tensors to model parameters by Hugging Face name, checking every shape. */
async function tensorSpecs(files: string[], params: { name: string; shape: number[] }[], cfg: ModelConfig): Promise<NativeTensorSpec[]> {
  const wanted = new Map(params.map((p) => [p.name, p.shape]));
  const specs: NativeTensorSpec[] = [];
  const seen = new Map<string, string>();
  for (const file of files) {
    const { entries } = await readSafetensorsHeader(file);
    for (const e of entries as SafetensorsEntry[]) {
      if (IGNORED_TENSORS.some((re) => re.test(e.name))) continue;
      // Tied checkpoints sometimes also store lm_head.weight (a copy of the embeddings): skip it.
      if (e.name === 'lm_head.weight' && cfg.tieWordEmbeddings) continue;
      const shape = wanted.get(e.name);
      if (!shape) throw new Error(`${file}: tensor '${e.name}' is not a parameter of this model (check config.json: ${cfg.numHiddenLayers} layers, attention bias ${cfg.attentionBias}, tied embeddings ${cfg.tieWordEmbeddings})`);
      if (seen.has(e.name)) throw new Error(`${file}: tensor '${e.name}' is also in ${seen.get(e.name)}`);
      seen.set(e.name, file);
      if (shape.length !== e.shape.length || shape.some((d, i) => d !== e.shape[i])) {
        throw new Error(`${file}: tensor '${e.name}' has shape [${e.shape.join(', ')}] but config.json implies [${shape.join(', ')}]`);
      }
      if (e.dtype !== 'F32' && e.dtype !== 'F16' && e.dtype !== 'BF16') {
        throw new Error(`${file}: tensor '${e.name}' has dtype ${e.dtype}; toolrl loads F32, F16 and BF16`);
      }
      specs.push({ name: e.name, file, dtype: e.dtype, shape: e.shape, begin: e.begin, end: e.end });
    }
  }
  const missing = params.map((p) => p.name).filter((n) => !seen.has(n));
  if (missing.length > 0) {
    throw new Error(`${files.join(', ')}: missing tensor(s) ${missing.slice(0, 5).map((m) => `'${m}'`).join(', ')}${missing.length > 5 ? `, ... (${missing.length} in all)` : ''}`);
  }
  return specs;
}
