/**
 * Process-wide native runtime: thread pools and the BLAS check. Without OpenBLAS, LibTorch falls
 * back to the reference BLAS and runs ~35-40x slower (BUILD-RECIPE: 4-5 vs 136-176 GFLOP/s), so
 * the first load warns loudly with the fix.
 */
import { DEFAULT_THREADS } from './config';
import { native, type RuntimeInfo } from './native';
import { expectInteger, expectObject, rejectUnknownKeys } from './util/validate';

let initialised = false;

function envInt(name: string): number | undefined {
  const v = process.env[name];
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`Expected a non-negative integer for ${name} but received "${v}"`);
  return n;
}

/** Loads the addon, applies the default thread split once, and warns when BLAS is not OpenBLAS. */
export function ensureRuntime(): void {
  if (initialised) return;
  initialised = true;
  const aten = envInt('TOOLRL_ATEN_THREADS') ?? DEFAULT_THREADS.aten;
  const blas = envInt('TOOLRL_BLAS_THREADS') ?? DEFAULT_THREADS.blas;
  native().setThreads(aten, blas);
  const info = native().runtimeInfo();
  if (!info.openblas && process.env.TOOLRL_ALLOW_SLOW_BLAS !== '1') {
    process.stderr.write(
      '\n*** toolrl WARNING: LibTorch is running on a BLAS that is not OpenBLAS ' +
        `(${info.blasConfig}).\n*** Matrix products will be ~40x slower. HINT: apt-get install libopenblas0-pthread ` +
        '(Debian/Ubuntu), or point LIBTORCH at a build with MKL/OpenBLAS. Set TOOLRL_ALLOW_SLOW_BLAS=1 to silence.\n\n',
    );
  }
}

/**
 * Sets the thread pools for the whole process: `aten` (ATen intra-op) and `blas` (OpenBLAS).
 * A field left out (or 0) keeps its current value.
 */
export function setThreads(threads: { aten?: number; blas?: number }): void {
  const t = expectObject(threads, 'threads');
  rejectUnknownKeys(t, ['aten', 'blas'], 'threads');
  const aten = t.aten === undefined ? 0 : expectInteger(t.aten, 'threads.aten', { min: 0, max: 1024 });
  const blas = t.blas === undefined ? 0 : expectInteger(t.blas, 'threads.blas', { min: 0, max: 1024 });
  ensureRuntime();
  native().setThreads(aten, blas);
}

/** LibTorch version, thread pool sizes and which BLAS is loaded. */
export function runtimeInfo(): RuntimeInfo {
  ensureRuntime();
  return native().runtimeInfo();
}

/** GFLOP/s of an n x n float32 matmul inside the addon (median of `iters`): proves the BLAS in use. */
export async function matmulGflops(n = 1024, iters = 5): Promise<number> {
  expectInteger(n, 'n', { min: 1, max: 16384 });
  expectInteger(iters, 'iters', { min: 1, max: 1000 });
  ensureRuntime();
  return native().matmulGflops(n, iters);
}
