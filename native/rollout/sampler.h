// native/rollout/sampler.h — choosing the next token of each row from its logits.
// Randomness is counter-based: the uniform for (seed, sample, step) is a hash of those three
// numbers (splitmix64), so a sample's tokens do not depend on which other samples share its
// batch, on the batch-size cap, or on finished rows being dropped mid-generation.
#pragma once
#include <ATen/ATen.h>

#include <cstdint>
#include <vector>

namespace toolrl {

struct SamplerOptions {
  double temperature = 1.0;  // 0 = greedy (argmax)
  double top_p = 1.0;        // nucleus: keep the smallest set of most likely tokens with mass >= top_p
  int64_t top_k = 0;         // 0 = off
  uint64_t seed = 0;
};

// Uniform in [0, 1) from (seed, sample, step).
double counter_uniform(uint64_t seed, uint64_t sample, uint64_t step);

// logits: (A, V) float32. sample_ids: the global sample index of each row (for the RNG).
// Returns the chosen token per row and its log-probability under softmax(logits / temperature)
// — the full temperature-scaled distribution, before top-p/top-k truncation (with temperature 0,
// under softmax(logits)). That is the distribution the trainer's policy.logprobs computes at the
// same temperature, so the values serve directly as GRPO's old-policy log-probs.
void sample_rows(const at::Tensor& logits, const std::vector<uint64_t>& sample_ids, uint64_t step,
                 const SamplerOptions& opts, std::vector<int32_t>& tokens, std::vector<float>& logprobs);

}  // namespace toolrl
