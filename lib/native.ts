/**
 * The only loader of the compiled addon (build/Release/toolrl_addon.node), and the typed shape of
 * its exports (STYLE.md §6). Everything else imports `native()` from here.
 */
import bindings from 'bindings';

import type { GenerateOptions } from './config';

/** GenerateOptions as the addon takes them (resolved; stop ids as an Int32Array). */
export interface NativeGenerateOptions extends Omit<GenerateOptions, 'stopTokenIds'> {
  stopTokenIds: Int32Array;
  /** 'reference': the eager concatenation-cache baseline (benchmarks and tests only). */
  impl?: 'fast' | 'reference';
}

export interface NativeTensorSpec {
  name: string;
  file: string;
  dtype: 'F32' | 'F16' | 'BF16';
  shape: number[];
  begin: number;
  end: number;
}

export interface NativePolicy {
  numParameters(): number;
  parameterInfo(): { name: string; shape: number[] }[];
  loadTensors(specs: NativeTensorSpec[]): Promise<void>;
  saveSafetensors(path: string, dtype: 'F32' | 'BF16'): Promise<void>;
  logprobs(ids: Int32Array, offsets: Int32Array, starts: Int32Array, opts: { sharePrompts: boolean }): Promise<Float32Array>;
  generate(
    ids: Int32Array,
    offsets: Int32Array,
    opts: NativeGenerateOptions,
  ): Promise<{ ids: Int32Array; offsets: Int32Array; logprobs: Float32Array; stopped: Uint8Array }>;
  dispose(): void;
  trainStep(
    kind: 'grpo' | 'sft',
    ids: Int32Array,
    offsets: Int32Array,
    promptLengths: Int32Array,
    advantages: Float32Array | null,
    oldLogprobs: Float32Array | null,
    refLogprobs: Float32Array | null,
    opts: object,
  ): Promise<StepMetrics>;
  saveOptimizer(path: string): Promise<void>;
  loadOptimizer(specs: NativeTensorSpec[], step: number): Promise<void>;
  optimizerSteps(): number;
  initOptimizer(): void;
}

export interface StepMetrics {
  /** Loss of the step (sum over micro-batches of the weighted per-token losses). */
  loss: number;
  /** Mean k3 KL per completion token (0 when beta is 0). */
  kl: number;
  /** Mean entropy of the policy per completion token (GRPO). */
  entropy: number;
  /** Fraction of completion tokens whose PPO clip was active. */
  clipFraction: number;
  /** Global gradient norm before clipping. */
  gradNorm: number;
  /** Completion tokens in the step. */
  tokens: number;
  /** True when the loss or gradient was not finite: no update was applied. */
  skipped: boolean;
  skipReason?: string;
}

export interface RuntimeInfo {
  torchVersion: string;
  atenThreads: number;
  blasThreads: number;
  openblas: boolean;
  blasConfig: string;
}

export interface NativeAddon {
  NativePolicy: new (config: object, seed: number) => NativePolicy;
  setThreads(aten: number, blas: number): void;
  runtimeInfo(): RuntimeInfo;
  matmulGflops(n: number, iters: number): Promise<number>;
}

let addon: NativeAddon | undefined;

/** Loads the addon once. Throws an Error with a HINT when it has not been built. */
export function native(): NativeAddon {
  if (addon) return addon;
  try {
    addon = bindings('toolrl_addon') as NativeAddon;
  } catch (err) {
    const e = new Error(
      `Cannot load the toolrl native addon: ${(err as Error).message.split('\n')[0]}\n` +
        'HINT: run `npm install` (finds or installs LibTorch and builds the addon) or `npm run build:native`.',
    );
    (e as Error & { cause?: unknown }).cause = err;
    throw e;
  }
  return addon;
}
