/**
 * The only loader of the compiled addon (build/Release/toolrl_addon.node), and the typed shape of
 * its exports (STYLE.md §6). Everything else imports `native()` from here.
 */
import bindings from 'bindings';

export interface NativeGenerateOptions {
  n: number;
  maxNewTokens: number;
  temperature: number;
  topP: number;
  topK: number;
  seed: number;
  stopTokenIds: Int32Array;
  batchSize: number;
  sharePrefix: boolean;
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
  logprobs(ids: Int32Array, offsets: Int32Array, starts: Int32Array): Promise<Float32Array>;
  generate(
    ids: Int32Array,
    offsets: Int32Array,
    opts: NativeGenerateOptions,
  ): Promise<{ ids: Int32Array; offsets: Int32Array; logprobs: Float32Array; stopped: Uint8Array }>;
  dispose(): void;
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
