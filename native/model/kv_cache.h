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
  // Optional shared-prefix grouping (empty = none), set by whoever fills the cache: row b's slots
  // [start, prefix_end[b]) hold the same keys/values as row prefix_leader[b]'s (the n samples of
  // one prompt after its single prefill). The decode attention kernel then reads the prompt once
  // per group (kernels/decode_attention.h); the eager path ignores it (every row holds a copy).
  std::vector<int64_t> prefix_leader;  // (B) a row of the same group that leads itself
  std::vector<int64_t> prefix_end;     // (B) end of the shared slots

  KVCache() = default;
  KVCache(const ModelConfig& cfg, int64_t batch, int64_t max_len, const at::TensorOptions& opts);
  int64_t batch() const { return k.empty() ? 0 : k[0].size(0); }
  int64_t capacity() const { return k.empty() ? 0 : k[0].size(2); }
  // An empty cache that grows by concatenation (grow_by_concat).
  static KVCache growing(const ModelConfig& cfg);
  // Keeps only the rows in `rows` (int64 indices, increasing), e.g. to drop finished samples. The
  // prefix grouping follows: a group whose leader was dropped is led by its first kept row.
  void select_rows(const at::Tensor& rows);
};

}  // namespace toolrl
