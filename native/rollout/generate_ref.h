// native/rollout/generate_ref.h — the straightforward eager generation loop that benchmarks compare
// against (issue 5): every sample's prompt is prefilled (the batch is prompts x n rows, prompts
// repeated), and the KV cache grows by concatenation each step (Hugging Face generate's
// DynamicCache). Same sampler, so for equal-length prompts the tokens match generate().
// Finished rows keep being computed (no compaction). Equal-length prompts only.
#pragma once
#include "rollout/generate.h"

namespace toolrl {

GenerateResult generate_reference(const Qwen2Model& model, const RaggedIds& prompts, const GenerateOptions& opts);

}  // namespace toolrl
