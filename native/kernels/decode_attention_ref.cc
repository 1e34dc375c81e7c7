// native/kernels/decode_attention_ref.cc — the eager reference for decode_attention: the same
// ATen ops the model's eager attention runs (qwen2.cc: GQA reshape, matmul, scale, additive -inf
// mask, softmax, matmul). Slow and plain on purpose; tests and benchmarks compare against it.
#include <c10/util/Exception.h>

#include <cmath>
#include <limits>

#include "kernels/decode_attention.h"

namespace toolrl {

at::Tensor decode_attention_ref(const at::Tensor& q, const at::Tensor& k_cache, const at::Tensor& v_cache,
                                at::IntArrayRef starts, int64_t S) {
  const int64_t B = q.size(0), NH = q.size(1), D = q.size(2), NKV = k_cache.size(1), G = NH / NKV;
  TORCH_CHECK_VALUE(static_cast<int64_t>(starts.size()) == B, "decode_attention_ref: one start per row");
  auto k = k_cache.narrow(2, 0, S), v = v_cache.narrow(2, 0, S);                          // (B, NKV, S, D)
  auto mask = at::zeros({B, 1, 1, S}, q.options());                                       // (B, 1, 1, S)
  for (int64_t b = 0; b < B; ++b) mask[b].narrow(-1, 0, starts[b]).fill_(-std::numeric_limits<float>::infinity());
  auto qg = q.reshape({B, NKV, G, D});                                                    // heads kv*G+g
  auto scores = at::matmul(qg, k.transpose(-1, -2)).mul_(1.0 / std::sqrt(static_cast<double>(D)));  // (B, NKV, G, S)
  auto probs = at::softmax(scores + mask, -1);
  return at::matmul(probs, v).reshape({B, NH, D});                                        // (B, NH, D)
}

}  // namespace toolrl
