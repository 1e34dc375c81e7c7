// native/model/score.h — log p(s[t] | s[<t]) for ragged sequences: the scoring path behind
// policy.logprobs, the reference-policy log-probs and the rollout/trainer consistency checks.
// Sequences are right-padded into one (B, T) batch; padding keys are masked, so a sequence's
// values do not depend on the others in the batch (up to BLAS summation order). Only the
// positions that predict a requested token go through lm_head, in row chunks, so the
// (tokens x V) logits never exist at once.
#pragma once
#include <cstdint>
#include <vector>

#include "model/qwen2.h"

namespace toolrl {

// Token ids of many sequences, flattened: sequence i is ids[offsets[i] .. offsets[i+1]).
struct RaggedIds {
  std::vector<int32_t> ids;
  std::vector<int64_t> offsets;  // size = count + 1
  int64_t count() const { return static_cast<int64_t>(offsets.size()) - 1; }
  int64_t length(int64_t i) const { return offsets[i + 1] - offsets[i]; }
};

// Throws c10::ValueError (-> RangeError) for empty sequences, ids outside [0, V), or starts
// outside [1, length - 1].
void check_ragged(const RaggedIds& seqs, int64_t vocab_size);

// For each sequence i: (length_i - start_i) log-probs, flattened in order.
std::vector<float> sequence_logprobs(const Qwen2Model& model, const RaggedIds& seqs, const std::vector<int64_t>& starts,
                                     int64_t token_budget = 8192);

// Right-pads sequences [begin, end) into (B, T) int64 ids; returns {ids, lengths}.
std::pair<at::Tensor, at::Tensor> pad_right(const RaggedIds& seqs, int64_t begin, int64_t end);

}  // namespace toolrl
