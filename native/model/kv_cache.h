// native/model/kv_cache.h — a preallocated key/value cache: one (B, NKV, S_max, D) tensor per layer
// for keys and one for values. Forward passes write new positions in place with narrow().copy_()
// — never by concatenation, which would reallocate the whole cache every token.
#pragma once
#include <ATen/ATen.h>

#include <vector>

#include "model/config.h"

namespace toolrl {

struct KVCache {
  std::vector<at::Tensor> k;  // per layer (B, NKV, S_max, D)
  std::vector<at::Tensor> v;
  // Reference mode for benchmarks: start empty and grow by at::cat every step, as Hugging Face's
  // DynamicCache does. Never used on the fast path.
  bool grow_by_concat = false;

  KVCache() = default;
  KVCache(const ModelConfig& cfg, int64_t batch, int64_t max_len, const at::TensorOptions& opts);
  int64_t batch() const { return k.empty() ? 0 : k[0].size(0); }
  int64_t capacity() const { return k.empty() ? 0 : k[0].size(2); }
  // An empty cache that grows by concatenation (grow_by_concat).
  static KVCache growing(const ModelConfig& cfg);
  // Keeps only the rows in `rows` (int64 indices), e.g. to drop finished samples.
  void select_rows(const at::Tensor& rows);
};

}  // namespace toolrl
