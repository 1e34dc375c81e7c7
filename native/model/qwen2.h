// native/model/qwen2.h — the Qwen2-family decoder (Qwen2/Qwen2.5; Llama 3.x via config) in plain
// ATen ops, following Hugging Face transformers' modeling_qwen2.py / modeling_llama.py:
//   x = embed(ids)
//   for each layer:  x = x + o_proj(attn(rope(q_proj(n1(x))), rope(k_proj(n1(x))), v_proj(n1(x))))
//                    x = x + down_proj(silu(gate_proj(n2(x))) * up_proj(n2(x)))
//   h = norm(x);  logits = h @ lm_head^T   (lm_head == embed_tokens when tie_word_embeddings)
// with RMSNorm(x) = x * rsqrt(mean(x^2) + eps) * w, grouped-query attention (G = NH/NKV query heads
// share one K/V head), causal masking and q/k/v bias when attention_bias (Qwen2).
// Parameters are plain float32 tensors named exactly as in Hugging Face checkpoints, so load/save
// is a name lookup. Autograd works through forward() when parameters require grad.
// Decode fast path: with autograd off and at most kSkinnyMaxRows tokens in the call, the seven
// projections run on native/kernels/skinny_linear and, for T == 1 with a preallocated cache, the
// attention on native/kernels/decode_attention; everything else (training, prefill, scoring)
// is the eager ATen path. Both compute the same function up to fp32 rounding.
#pragma once
#include <ATen/ATen.h>

#include <string>
#include <utility>
#include <vector>

#include "model/config.h"
#include "model/kv_cache.h"

namespace toolrl {

// Token counts (B * T) up to this take the skinny kernels when autograd is off. Measured with
// `npm run bench -- kernels` on the small config's shapes, weights cold as in decode (2-core AMD
// EPYC, AVX-512): the kernel beats OpenBLAS sgemm by 1.4-2x at M = 4-16, 1.4-1.6x at M = 32,
// 1.1-1.4x at M = 64 and 1.05-1.2x at M = 96. Kept at 64: one decode batch of GRPO rows. A batch
// that crosses it switches path, which changes results by fp32 rounding only.
constexpr int64_t kSkinnyMaxRows = 64;

// Process-wide switch for the decode fast path (on by default; TOOLRL_DECODE_KERNELS=0 in the
// environment turns it off at load, for A/B benchmarks of the same build).
bool decode_kernels_enabled();
void set_decode_kernels(bool on);

// While one lives, this thread's forwards use plain ATen ops only (no skinny / decode-attention
// kernels): the reference generator is "a straightforward eager implementation" (issue 5), so it
// must not borrow the fast path's hand-written kernels.
class EagerOnly {
 public:
  EagerOnly();
  ~EagerOnly();
  EagerOnly(const EagerOnly&) = delete;
  EagerOnly& operator=(const EagerOnly&) = delete;

 private:
  bool prev_;
};

struct LayerWeights {
  at::Tensor input_norm, q_w, q_b, k_w, k_b, v_w, v_b, o_w;  // q_w (NH*D, H), k_w/v_w (NKV*D, H), o_w (H, NH*D)
  at::Tensor post_norm, gate_w, up_w, down_w;                // gate_w/up_w (F, H), down_w (H, F)
};

class Qwen2Model {
 public:
  explicit Qwen2Model(const ModelConfig& cfg);

  const ModelConfig& config() const { return cfg_; }
  // Hugging Face names -> tensors; lm_head.weight only when embeddings are untied.
  const std::vector<std::pair<std::string, at::Tensor>>& named_parameters() const { return params_; }
  at::Tensor* find_parameter(const std::string& name);
  int64_t num_parameters() const;

  // Normal(0, std) for matrices and embeddings, 0 for biases, 1 for norms — transformers'
  // `_init_weights` with initializer_range = std. Deterministic for a seed.
  void init_random(uint64_t seed, double std = 0.02);

  at::Tensor lm_head_weight() const { return cfg_.tie_word_embeddings ? embed_ : lm_head_; }
  // hidden (R, H) -> logits (R, V) = hidden lm_head^T. skinny_linear for R <= kSkinnyMaxRows
  // without autograd (decode: W is streamed once instead of being re-packed by sgemm each step).
  at::Tensor lm_head_logits(const at::Tensor& hidden) const;

  // Final-normed hidden states (B, T, H) for ids (B, T) at rotary `positions` (B, T, int64).
  // mask_add: additive attention mask broadcastable to (B, 1, T, S) (0 = attend, -inf = masked).
  // Without a cache S == T. With a cache, keys/values of these T tokens are written at slots
  // [cache_start, cache_start + T) and attention covers slots [0, cache_start + T).
  // Decode (T == 1, preallocated cache, fast path on): a mask whose rows are -inf on slots
  // [0, start_b) and 0 on [start_b, S) — what generate.cc builds — is read as per-row starts and
  // the masked slots are skipped; any other mask takes the eager path.
  at::Tensor forward(const at::Tensor& ids, const at::Tensor& positions, const at::Tensor& mask_add,
                     KVCache* cache = nullptr, int64_t cache_start = 0) const;

  // Sets requires_grad on every parameter (training) or clears it.
  void set_requires_grad(bool on);

 private:
  // starts: per-row first valid slot for the decode kernel, empty = eager attention.
  // skinny: projections through skinny_linear.
  at::Tensor attention(const LayerWeights& w, int64_t layer, const at::Tensor& x, const at::Tensor& cos,
                       const at::Tensor& sin, const at::Tensor& mask_add, KVCache* cache, int64_t cache_start,
                       bool skinny, const std::vector<int64_t>& starts) const;

  ModelConfig cfg_;
  at::Tensor embed_, final_norm_, lm_head_, inv_freq_;
  std::vector<LayerWeights> layers_;
  std::vector<std::pair<std::string, at::Tensor>> params_;
};

// Additive causal mask for right-padded rows: (B, 1, T, T), -inf above the diagonal and on key
// columns at or beyond each row's length. lengths: (B) int64.
at::Tensor causal_padding_mask(const at::Tensor& lengths, int64_t T);

}  // namespace toolrl
