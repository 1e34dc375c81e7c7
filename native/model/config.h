// native/model/config.h — the resolved shape of a Qwen2-family decoder (Qwen2, Qwen2.5, Llama 3.x).
// Filled from lib/config.ts's ModelConfig by the N-API layer; no defaults are applied here
// (defaults live in TypeScript only, STYLE.md §7).
//
// Dimension legend used in comments across native/: B batch rows, T query positions,
// S key positions (cache length), H hidden, NH query heads, NKV key/value heads, D head dim,
// G = NH / NKV query heads per KV head, V vocab, F ffn (intermediate) size.
#pragma once
#include <cstdint>
#include <string>

namespace toolrl {

struct RopeScaling {
  bool llama3 = false;  // rope_scaling.rope_type == "llama3"
  double factor = 1.0;
  double low_freq_factor = 1.0;
  double high_freq_factor = 4.0;
  int64_t original_max_position_embeddings = 8192;
};

struct ModelConfig {
  int64_t vocab_size = 0;
  int64_t hidden_size = 0;
  int64_t num_layers = 0;
  int64_t num_heads = 0;
  int64_t num_kv_heads = 0;
  int64_t intermediate_size = 0;
  double rope_theta = 10000.0;
  double rms_norm_eps = 1e-6;
  bool tie_word_embeddings = false;
  bool attention_bias = true;  // Qwen2: true; Llama: false
  RopeScaling rope_scaling;

  int64_t head_dim() const { return hidden_size / num_heads; }
  // Throws c10::ValueError on an inconsistent shape (heads not dividing hidden, etc.).
  void validate() const;
};

}  // namespace toolrl
