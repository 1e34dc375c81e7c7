// native/kernels/decode_ops.h — the element-wise parts of a decode step, fused: RMSNorm, SwiGLU's
// silu(gate) * up, and rotary embedding of q/k written straight into the KV cache.
//
// Why: with the projections and attention on native/kernels, the ~30 small ATen ops per layer
// left in a decode step (pow/mean/rsqrt/mul for each RMSNorm; narrow/neg/cat/mul/add for each
// rope; copy_ into the cache; silu, mul) cost ~8 us each in dispatch, allocation and
// TensorIterator set-up on 16 x 512 tensors: ~2 ms of a ~20 ms step on the small config
// (measured in situ, 1 thread). Here each is one pass over the rows. The math is the eager
// path's (qwen2.cc rms_norm, rope.h rope_apply, transformers' Qwen2MLP); results differ from it by
// fp32 rounding only. References: decode_ops_ref.cc (eager ATen), test/kernels.test.ts.
#pragma once
#include <ATen/ATen.h>

#include <cstdint>

namespace toolrl {

// x (R, H) float32 -> x * rsqrt(mean(x^2) + eps) * w, w (H). Any leading shape is flattened.
at::Tensor rms_norm_rows(const at::Tensor& x, const at::Tensor& w, double eps);

// gate, up (..., F) float32 -> silu(gate) * up = gate / (1 + e^-gate) * up.
at::Tensor silu_mul(const at::Tensor& gate, const at::Tensor& up);

// One decode token per row. q (B, NH*D), k, v (B, NKV*D) projection outputs; cos, sin (B, D)
// for each row's position (rope.h, rotate-half layout). Writes rope(k) and v into slot `slot` of
// the caches k_cache, v_cache (B, NKV, S_max, D), and returns rope(q) as (B, NH, D).
at::Tensor rope_qkv_to_cache(const at::Tensor& q, const at::Tensor& k, const at::Tensor& v, const at::Tensor& cos,
                             const at::Tensor& sin, at::Tensor& k_cache, at::Tensor& v_cache, int64_t slot);

// References: the same in eager ATen ops (same signatures).
at::Tensor rms_norm_rows_ref(const at::Tensor& x, const at::Tensor& w, double eps);
at::Tensor silu_mul_ref(const at::Tensor& gate, const at::Tensor& up);
at::Tensor rope_qkv_to_cache_ref(const at::Tensor& q, const at::Tensor& k, const at::Tensor& v, const at::Tensor& cos,
                                 const at::Tensor& sin, at::Tensor& k_cache, at::Tensor& v_cache, int64_t slot);

}  // namespace toolrl
