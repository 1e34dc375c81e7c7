// native/model/kv_cache.cc — see kv_cache.h.
#include "model/kv_cache.h"

namespace toolrl {

KVCache::KVCache(const ModelConfig& cfg, int64_t batch, int64_t max_len, const at::TensorOptions& opts) {
  k.reserve(cfg.num_layers);
  v.reserve(cfg.num_layers);
  for (int64_t l = 0; l < cfg.num_layers; ++l) {
    // zeros, not empty: slots that are masked out must still hold finite values (0 * NaN = NaN).
    k.push_back(at::zeros({batch, cfg.num_kv_heads, max_len, cfg.head_dim()}, opts));
    v.push_back(at::zeros({batch, cfg.num_kv_heads, max_len, cfg.head_dim()}, opts));
  }
}

KVCache KVCache::growing(const ModelConfig& cfg) {
  KVCache c;
  c.grow_by_concat = true;
  c.k.resize(cfg.num_layers);
  c.v.resize(cfg.num_layers);
  return c;
}

void KVCache::select_rows(const at::Tensor& rows) {
  for (auto& t : k) t = t.index_select(0, rows);
  for (auto& t : v) t = t.index_select(0, rows);
}

}  // namespace toolrl
