// native/napi/loss_api.h — the fused and reference losses (native/loss), exposed for tests and
// benchmarks only; the trainer calls them in C++. Wrapped and validated by lib/ops/loss.ts:
//   lossCheck(kind, impl, inputs, opts)          -> Promise<{loss, logp, gradHidden, gradLmHead, ...}>
//   lossBench(kind, impl, shape, opts, iters)     -> Promise<{medianMs, minMs, loss, rssMb, peakRssGrowthMb}>
//   tokenWeights(kind, mask, rows, opts)          -> Float32Array
#pragma once
#include <napi.h>

namespace toolrl {
void register_loss_api(Napi::Env env, Napi::Object exports);
}  // namespace toolrl
