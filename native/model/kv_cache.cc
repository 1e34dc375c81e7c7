// native/model/kv_cache.cc — see kv_cache.h.
#include "model/kv_cache.h"

#include <map>

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
  if (prefix_leader.empty()) return;
  const auto idx = rows.to(at::kLong).contiguous();
  const int64_t* r = idx.data_ptr<int64_t>();
  const int64_t n = idx.numel();
  std::vector<int64_t> leader(n), end(n);
  std::map<int64_t, int64_t> new_leader;  // old leader -> new index of its group's first kept row
  for (int64_t i = 0; i < n; ++i) {
    const int64_t old = prefix_leader[r[i]];
    leader[i] = new_leader.emplace(old, i).first->second;
    end[i] = prefix_end[r[i]];
  }
  prefix_leader.swap(leader);
  prefix_end.swap(end);
}

}  // namespace toolrl
