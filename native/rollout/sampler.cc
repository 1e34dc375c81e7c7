// native/rollout/sampler.cc — see sampler.h. Top-k and top-p follow transformers'
// TopKLogitsWarper / TopPLogitsWarper: top-k keeps the k largest; top-p keeps tokens in
// descending order until their cumulative probability reaches top_p (the token that crosses it
// is kept; at least one token always is). Sampling is by inverse CDF over the kept tokens.
#include "rollout/sampler.h"

#include <algorithm>
#include <cmath>

namespace toolrl {

namespace {
uint64_t splitmix64(uint64_t x) {
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}
}  // namespace

double counter_uniform(uint64_t seed, uint64_t sample, uint64_t step) {
  uint64_t h = splitmix64(seed);
  h = splitmix64(h ^ sample);
  h = splitmix64(h ^ (step * 0xD1B54A32D192ED03ull));
  return static_cast<double>(h >> 11) * (1.0 / 9007199254740992.0);  // 53 random bits
}

void sample_rows(const at::Tensor& logits, const std::vector<uint64_t>& sample_ids, uint64_t step,
                 const SamplerOptions& opts, std::vector<int32_t>& tokens, std::vector<float>& logprobs) {
  const int64_t A = logits.size(0), V = logits.size(1);
  tokens.resize(A);
  logprobs.resize(A);
  const bool greedy = opts.temperature <= 0.0;
  auto scaled = greedy ? logits : logits / opts.temperature;
  auto logp = at::log_softmax(scaled, -1).contiguous();  // (A, V)
  const float* lp = logp.data_ptr<float>();
  if (greedy) {
    auto best = logits.argmax(-1).contiguous();  // first maximum wins ties, as torch.argmax
    const int64_t* bi = best.data_ptr<int64_t>();
    for (int64_t r = 0; r < A; ++r) {
      tokens[r] = static_cast<int32_t>(bi[r]);
      logprobs[r] = lp[r * V + bi[r]];
    }
    return;
  }
  const bool truncate = opts.top_k > 0 || opts.top_p < 1.0;
  at::Tensor sorted_lp, sorted_idx;
  if (truncate) {
    auto sorted = logp.sort(-1, /*descending=*/true);
    sorted_lp = std::get<0>(sorted).contiguous();
    sorted_idx = std::get<1>(sorted).contiguous();
  }
  // Probabilities once, with ATen's vectorised exp (two scalar double exp passes over V per row
  // were ~10% of a decode step at V = 8192); sums stay in double.
  at::Tensor probs;
  if (!truncate) probs = logp.exp().contiguous();
  for (int64_t r = 0; r < A; ++r) {
    const float* row = lp + r * V;
    const double u = counter_uniform(opts.seed, sample_ids[r], step);
    int64_t chosen = V - 1;
    if (!truncate) {
      const float* pr = probs.data_ptr<float>() + r * V;
      double total = 0.0;
      for (int64_t v = 0; v < V; ++v) total += pr[v];
      const double target = u * total;
      double acc = 0.0;
      for (int64_t v = 0; v < V; ++v) {
        acc += pr[v];
        if (acc > target) {
          chosen = v;
          break;
        }
      }
    } else {
      const float* slp = sorted_lp.data_ptr<float>() + r * V;
      const int64_t* sidx = sorted_idx.data_ptr<int64_t>() + r * V;
      int64_t keep = opts.top_k > 0 ? std::min<int64_t>(opts.top_k, V) : V;
      if (opts.top_p < 1.0) {
        double cum = 0.0;
        int64_t k = 0;
        while (k < keep) {
          cum += std::exp(static_cast<double>(slp[k]));
          ++k;
          if (cum >= opts.top_p) break;
        }
        keep = std::max<int64_t>(1, k);
      }
      double total = 0.0;
      for (int64_t k = 0; k < keep; ++k) total += std::exp(static_cast<double>(slp[k]));
      const double target = u * total;
      double acc = 0.0;
      chosen = sidx[keep - 1];
      for (int64_t k = 0; k < keep; ++k) {
        acc += std::exp(static_cast<double>(slp[k]));
        if (acc > target) {
          chosen = sidx[k];
          break;
        }
      }
    }
    tokens[r] = static_cast<int32_t>(chosen);
    logprobs[r] = row[chosen];
  }
}

}  // namespace toolrl
