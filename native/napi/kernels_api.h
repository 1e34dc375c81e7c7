// native/napi/kernels_api.h — the CPU decode kernels (native/kernels) and their eager references,
// exposed for tests and benchmarks only: the model calls the kernels in C++ (qwen2.cc,
// generate.cc). Wrapped and validated by lib/ops/kernels.ts:
//   kernelInfo()                                        -> {isa, detectedIsa, matmulThreads, decodeKernels}
//   setKernelIsa(name)                                  -> the level now in effect ('scalar'|'avx2'|'avx512')
//   skinnyLinear(impl, x, w, b|null, {M, K, N}, threads) -> Promise<Float32Array> (M, N)
//   decodeAttention(impl, q, k, v, starts, {B, NH, NKV, D, S, sMax}, threads) -> Promise<Float32Array> (B, NH, D)
//   kernelBench(kind, impl, shape, iters, threads)      -> Promise<{medianMs, minMs}> on seeded random inputs
// impl: 'kernel' | 'reference'.
#pragma once
#include <napi.h>

namespace toolrl {
void register_kernels_api(Napi::Env env, Napi::Object exports);
}  // namespace toolrl
