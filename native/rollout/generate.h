// native/rollout/generate.h — batched sampling with a preallocated KV cache.
// Each distinct prompt is prefilled once and its keys/values are copied into the cache rows of
// its n samples (the prefix sharing that makes GRPO rollouts cheap: G samples, one prefill).
// Cache layout: prompts are right-aligned at slot P (the longest prompt of the chunk), so all
// rows write generated token s at the same slot P + s and one mask per row hides the unused
// slots in front of shorter prompts. Rows that finish are dropped from the batch (cache rows
// included) once enough of them have finished, so they stop costing compute.
#pragma once
#include <cstdint>
#include <vector>

#include "model/qwen2.h"
#include "model/score.h"
#include "rollout/sampler.h"

namespace toolrl {

struct GenerateOptions {
  int64_t n = 1;               // samples per prompt
  int64_t max_new_tokens = 1;
  SamplerOptions sampler;
  std::vector<int32_t> stop_ids;  // a sampled stop id ends its sample and is kept as its last token
  int64_t batch_size = 0;      // max rows decoded at once (0 = all)
  bool share_prefix = true;    // false: prefill every sample separately (benchmark baseline)
};

struct GenerateResult {
  std::vector<std::vector<int32_t>> ids;     // prompt-major: prompt 0's n samples, then prompt 1's...
  std::vector<std::vector<float>> logprobs;  // per generated token (see sampler.h for which distribution)
  std::vector<bool> stopped;                 // true: ended on a stop id; false: hit max_new_tokens
};

GenerateResult generate(const Qwen2Model& model, const RaggedIds& prompts, const GenerateOptions& opts);

}  // namespace toolrl
