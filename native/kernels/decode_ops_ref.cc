// native/kernels/decode_ops_ref.cc — eager references for decode_ops.h: the exact ATen
// expressions the model's eager path uses (qwen2.cc rms_norm, at::silu * up, rope.h rope_apply
// and narrow().copy_() into the cache). Plain on purpose; tests compare the fused ops with them.
#include "kernels/decode_ops.h"
#include "model/rope.h"  // rope_apply

namespace toolrl {

at::Tensor rms_norm_rows_ref(const at::Tensor& x, const at::Tensor& w, double eps) {
  auto var = x.pow(2).mean(-1, /*keepdim=*/true);
  return x * at::rsqrt(var + eps) * w;
}

at::Tensor silu_mul_ref(const at::Tensor& gate, const at::Tensor& up) { return at::silu(gate) * up; }

at::Tensor rope_qkv_to_cache_ref(const at::Tensor& q, const at::Tensor& k, const at::Tensor& v, const at::Tensor& cos,
                                 const at::Tensor& sin, at::Tensor& k_cache, at::Tensor& v_cache, int64_t slot) {
  const int64_t B = k_cache.size(0), NKV = k_cache.size(1), D = k_cache.size(3), NH = q.size(1) / D;
  const auto c = cos.reshape({B, 1, 1, D}), s = sin.reshape({B, 1, 1, D});  // rope.h's (B, 1, T, D)
  auto qr = rope_apply(q.view({B, 1, NH, D}).transpose(1, 2), c, s);         // (B, NH, 1, D)
  auto kr = rope_apply(k.view({B, 1, NKV, D}).transpose(1, 2), c, s);        // (B, NKV, 1, D)
  k_cache.narrow(2, slot, 1).copy_(kr);
  v_cache.narrow(2, slot, 1).copy_(v.view({B, 1, NKV, D}).transpose(1, 2));
  return qr.reshape({B, NH, D});
}

}  // namespace toolrl
