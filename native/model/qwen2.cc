// native/model/qwen2.cc — see qwen2.h for the architecture and its sources.
#include "model/qwen2.h"

#include <ATen/core/grad_mode.h>
#include <c10/util/Exception.h>

#include <atomic>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <limits>

#include "kernels/decode_attention.h"  // decode_attention
#include "kernels/decode_ops.h"        // rms_norm_rows, silu_mul, rope_qkv_to_cache
#include "kernels/skinny_linear.h"     // skinny_linear
#include "model/rope.h"

namespace toolrl {

namespace {

std::atomic<bool> g_decode_kernels{[] {
  const char* v = std::getenv("TOOLRL_DECODE_KERNELS");
  return v == nullptr || std::strcmp(v, "0") != 0;
}()};

// Set by EagerOnly on the calling thread: the reference generator runs plain ATen ops only.
thread_local bool t_eager_only = false;

// x (..., K) -> (..., N): skinny_linear on the flattened rows when `skinny`, else at::linear.
at::Tensor project(const at::Tensor& x, const at::Tensor& w, const at::Tensor& b, bool skinny) {
  if (!skinny) return at::linear(x, w, b);
  auto sizes = x.sizes().vec();
  auto y = skinny_linear(x.reshape({-1, x.size(-1)}), w, b);  // (rows, N)
  sizes.back() = w.size(0);
  return y.view(sizes);
}

// Per-row first attended slot of an additive decode mask broadcastable to (B, 1, 1, S) whose rows
// are -inf on [0, start_b) and exactly 0 on [start_b, S) with start_b < S; empty if the mask has
// any other form (the caller then keeps the eager path, which handles every mask).
std::vector<int64_t> decode_starts(const at::Tensor& mask_add, int64_t B, int64_t S) {
  if (!mask_add.defined() || mask_add.dim() != 4 || mask_add.size(-1) != S || mask_add.size(1) != 1 ||
      mask_add.size(2) != 1 || (mask_add.size(0) != B && mask_add.size(0) != 1) ||
      mask_add.scalar_type() != at::kFloat)
    return {};
  const auto m = mask_add.reshape({mask_add.size(0), S}).contiguous();
  const float* p = m.data_ptr<float>();
  std::vector<int64_t> starts(B);
  for (int64_t r = 0; r < m.size(0); ++r) {
    const float* row = p + r * S;
    int64_t s = 0;
    while (s < S && row[s] == -std::numeric_limits<float>::infinity()) ++s;
    if (s == S) return {};
    for (int64_t j = s; j < S; ++j)
      if (row[j] != 0.f) return {};
    starts[r] = s;
  }
  if (m.size(0) == 1) std::fill(starts.begin(), starts.end(), starts[0]);
  return starts;
}

at::Tensor rms_norm(const at::Tensor& x, const at::Tensor& w, double eps) {
  // x * rsqrt(mean(x^2) + eps) * w — computed in float32 as transformers' Qwen2RMSNorm does.
  auto var = x.pow(2).mean(-1, /*keepdim=*/true);
  return x * at::rsqrt(var + eps) * w;
}

}  // namespace

Qwen2Model::Qwen2Model(const ModelConfig& cfg) : cfg_(cfg) {
  cfg_.validate();
  const auto opts = at::TensorOptions().dtype(at::kFloat);
  const int64_t H = cfg_.hidden_size, D = cfg_.head_dim(), F = cfg_.intermediate_size;
  const int64_t NH = cfg_.num_heads, NKV = cfg_.num_kv_heads, V = cfg_.vocab_size;
  auto add = [&](const std::string& name, std::vector<int64_t> shape) {
    auto t = at::zeros(shape, opts);
    params_.emplace_back(name, t);
    return t;
  };
  embed_ = add("model.embed_tokens.weight", {V, H});
  layers_.resize(cfg_.num_layers);
  for (int64_t l = 0; l < cfg_.num_layers; ++l) {
    const std::string p = "model.layers." + std::to_string(l) + ".";
    auto& w = layers_[l];
    w.input_norm = add(p + "input_layernorm.weight", {H});
    w.q_w = add(p + "self_attn.q_proj.weight", {NH * D, H});
    if (cfg_.attention_bias) w.q_b = add(p + "self_attn.q_proj.bias", {NH * D});
    w.k_w = add(p + "self_attn.k_proj.weight", {NKV * D, H});
    if (cfg_.attention_bias) w.k_b = add(p + "self_attn.k_proj.bias", {NKV * D});
    w.v_w = add(p + "self_attn.v_proj.weight", {NKV * D, H});
    if (cfg_.attention_bias) w.v_b = add(p + "self_attn.v_proj.bias", {NKV * D});
    w.o_w = add(p + "self_attn.o_proj.weight", {H, NH * D});
    w.post_norm = add(p + "post_attention_layernorm.weight", {H});
    w.gate_w = add(p + "mlp.gate_proj.weight", {F, H});
    w.up_w = add(p + "mlp.up_proj.weight", {F, H});
    w.down_w = add(p + "mlp.down_proj.weight", {H, F});
  }
  final_norm_ = add("model.norm.weight", {H});
  if (!cfg_.tie_word_embeddings) lm_head_ = add("lm_head.weight", {V, H});
  inv_freq_ = rope_inv_freq(cfg_);
  init_random(0);
}

bool decode_kernels_enabled() { return g_decode_kernels.load(std::memory_order_relaxed) && !t_eager_only; }
void set_decode_kernels(bool on) { g_decode_kernels.store(on, std::memory_order_relaxed); }

EagerOnly::EagerOnly() : prev_(t_eager_only) { t_eager_only = true; }
EagerOnly::~EagerOnly() { t_eager_only = prev_; }

at::Tensor* Qwen2Model::find_parameter(const std::string& name) {
  for (auto& [n, t] : params_)
    if (n == name) return &t;
  return nullptr;
}

int64_t Qwen2Model::num_parameters() const {
  int64_t n = 0;
  for (const auto& [name, t] : params_) n += t.numel();
  return n;
}

void Qwen2Model::init_random(uint64_t seed, double std) {
  at::NoGradGuard no_grad;
  auto gen = at::make_generator<at::CPUGeneratorImpl>(seed);
  for (auto& [name, t] : params_) {
    const bool is_norm = name.find("norm") != std::string::npos;
    const bool is_bias = name.size() > 5 && name.compare(name.size() - 5, 5, ".bias") == 0;
    if (is_norm) t.fill_(1.0);
    else if (is_bias) t.zero_();
    else t.normal_(0.0, std, gen);
  }
}

void Qwen2Model::set_requires_grad(bool on) {
  for (auto& [name, t] : params_) t.requires_grad_(on);
}

at::Tensor Qwen2Model::attention(const LayerWeights& w, int64_t layer, const at::Tensor& x, const at::Tensor& cos,
                                 const at::Tensor& sin, const at::Tensor& mask_add, KVCache* cache,
                                 int64_t cache_start, bool skinny, const std::vector<int64_t>& starts) const {
  const int64_t B = x.size(0), T = x.size(1);
  const int64_t NH = cfg_.num_heads, NKV = cfg_.num_kv_heads, D = cfg_.head_dim(), G = NH / NKV;
  auto q = project(x, w.q_w, w.q_b, skinny);   // (B, T, NH*D)
  auto k = project(x, w.k_w, w.k_b, skinny);   // (B, T, NKV*D)
  auto v = project(x, w.v_w, w.v_b, skinny);   // (B, T, NKV*D)
  if (!starts.empty()) {
    // Decode kernels (forward() checked: T == 1, preallocated contiguous cache, no autograd):
    // rope(k) and v go straight into cache slot cache_start, then attention over the cache.
    TORCH_INTERNAL_ASSERT(cache_start + 1 <= cache->capacity(), "KV cache overflow");
    auto qr = rope_qkv_to_cache(q.view({B, NH * D}), k.view({B, NKV * D}), v.view({B, NKV * D}), cos.reshape({B, D}),
                                sin.reshape({B, D}), cache->k[layer], cache->v[layer], cache_start);  // (B, NH, D)
    // Rows that share a prompt (cache->prefix_leader, set by generate.cc) read it once per group.
    const bool grouped = static_cast<int64_t>(cache->prefix_leader.size()) == B &&
                         static_cast<int64_t>(cache->prefix_end.size()) == B;
    const SharedPrefix shared{cache->prefix_leader, cache->prefix_end};
    auto out = decode_attention(qr, cache->k[layer], cache->v[layer], starts, cache_start + 1, /*threads=*/0,
                                grouped ? &shared : nullptr);  // (B, NH, D)
    return project(out.view({B, 1, NH * D}), w.o_w, at::Tensor(), skinny);
  }
  q = rope_apply(q.view({B, T, NH, D}).transpose(1, 2), cos, sin);    // (B, NH, T, D)
  k = rope_apply(k.view({B, T, NKV, D}).transpose(1, 2), cos, sin);   // (B, NKV, T, D)
  v = v.view({B, T, NKV, D}).transpose(1, 2);                         // (B, NKV, T, D)
  if (cache != nullptr && cache->grow_by_concat) {
    if (cache->k[layer].defined()) {
      k = at::cat({cache->k[layer], k}, 2);
      v = at::cat({cache->v[layer], v}, 2);
    }
    cache->k[layer] = k;
    cache->v[layer] = v;
  } else if (cache != nullptr) {
    TORCH_INTERNAL_ASSERT(cache_start + T <= cache->capacity(), "KV cache overflow");
    cache->k[layer].narrow(2, cache_start, T).copy_(k);
    cache->v[layer].narrow(2, cache_start, T).copy_(v);
    k = cache->k[layer].narrow(2, 0, cache_start + T);  // (B, NKV, S, D)
    v = cache->v[layer].narrow(2, 0, cache_start + T);
  }
  const int64_t S = k.size(2);
  // GQA without materialising repeated K/V: query heads h = kv * G + g share kv head `kv`, so
  // (B, NH, T, D) -> (B, NKV, G*T, D) lines each group up with its K/V head.
  auto qg = q.reshape({B, NKV, G * T, D});
  auto scores = at::matmul(qg, k.transpose(-1, -2)).mul_(1.0 / std::sqrt(static_cast<double>(D)));  // (B, NKV, G*T, S)
  scores = scores.view({B, NKV, G, T, S}) + mask_add.view({mask_add.size(0), 1, 1, mask_add.size(-2), S});
  auto probs = at::softmax(scores, -1).view({B, NKV, G * T, S});
  auto out = at::matmul(probs, v);                                  // (B, NKV, G*T, D)
  out = out.view({B, NH, T, D}).transpose(1, 2).reshape({B, T, NH * D});
  return project(out, w.o_w, at::Tensor(), skinny);
}

at::Tensor Qwen2Model::forward(const at::Tensor& ids, const at::Tensor& positions, const at::Tensor& mask_add,
                               KVCache* cache, int64_t cache_start) const {
  TORCH_CHECK_VALUE(ids.dim() == 2, "ids must be (B, T), got ", ids.sizes());
  const int64_t B = ids.size(0), T = ids.size(1);
  // Decode-sized call without autograd: skinny kernels (see qwen2.h); decode attention when the
  // cache is preallocated and the mask is a per-row prefix mask.
  const bool skinny = decode_kernels_enabled() && !at::GradMode::is_enabled() && B * T <= kSkinnyMaxRows &&
                      embed_.scalar_type() == at::kFloat;
  std::vector<int64_t> starts;
  if (skinny && T == 1 && cache != nullptr && !cache->grow_by_concat && !cache->k.empty() &&
      cache->k[0].is_contiguous() && cache->v[0].is_contiguous())
    starts = decode_starts(mask_add, B, cache_start + 1);
  auto [cos, sin] = rope_cos_sin(inv_freq_, positions);
  // sparse=true: the embedding's gradient touches only the rows of the batch's tokens. A dense one is
  // a full (V, H) temporary — 311 MB at V = 151936 — on top of lm_head's gradient when tied.
  auto x = at::embedding(embed_, ids, /*padding_idx=*/-1, /*scale_grad_by_freq=*/false, /*sparse=*/true);  // (B, T, H)
  const double eps = cfg_.rms_norm_eps;
  if (skinny) {  // the same layers with the fused element-wise ops (decode_ops.h), in place
    for (int64_t l = 0; l < cfg_.num_layers; ++l) {
      const auto& w = layers_[l];
      x.add_(attention(w, l, rms_norm_rows(x, w.input_norm, eps), cos, sin, mask_add, cache, cache_start, true,
                       starts));
      auto h = rms_norm_rows(x, w.post_norm, eps);
      x.add_(project(silu_mul(project(h, w.gate_w, at::Tensor(), true), project(h, w.up_w, at::Tensor(), true)),
                     w.down_w, at::Tensor(), true));
    }
    return rms_norm_rows(x, final_norm_, eps);
  }
  for (int64_t l = 0; l < cfg_.num_layers; ++l) {
    const auto& w = layers_[l];
    x = x + attention(w, l, rms_norm(x, w.input_norm, eps), cos, sin, mask_add, cache, cache_start, false, starts);
    auto h = rms_norm(x, w.post_norm, eps);
    x = x + at::linear(at::silu(at::linear(h, w.gate_w)) * at::linear(h, w.up_w), w.down_w);
  }
  return rms_norm(x, final_norm_, eps);
}

at::Tensor Qwen2Model::lm_head_logits(const at::Tensor& hidden) const {
  const auto W = lm_head_weight();  // (V, H)
  if (decode_kernels_enabled() && !at::GradMode::is_enabled() && hidden.dim() == 2 &&
      hidden.size(0) <= kSkinnyMaxRows && hidden.scalar_type() == at::kFloat)
    return skinny_linear(hidden, W, at::Tensor());
  return at::matmul(hidden, W.t());
}

at::Tensor causal_padding_mask(const at::Tensor& lengths, int64_t T) {
  const int64_t B = lengths.size(0);
  auto idx = at::arange(T, at::kLong);
  auto causal = idx.view({1, T, 1}) >= idx.view({1, 1, T});          // query >= key
  auto valid_key = idx.view({1, 1, T}) < lengths.view({B, 1, 1});    // key inside the row
  auto allowed = at::logical_and(causal, valid_key);                 // (B, T, T)
  // Padded query rows (beyond a row's length) would see no key at all if we also masked them;
  // they keep their causal view of the valid keys and their outputs are ignored by callers.
  auto mask = at::zeros({B, 1, T, T}, at::kFloat);
  mask.masked_fill_(allowed.logical_not().unsqueeze(1), -std::numeric_limits<float>::infinity());
  return mask;
}

}  // namespace toolrl
