// native/model/score.h — log p(s[t] | s[<t]) for ragged sequences: the scoring path behind
// policy.logprobs, the reference-policy log-probs and the rollout/trainer consistency checks.
// Sequences go into rows by model/packing.h: a row per sequence (right-padded, padding keys masked)
// or, sharing, a row per common prefix with a tree-shaped mask; either way a sequence's values do
// not depend on the others in the batch (up to float summation order). Only the
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

// For each sequence i: (length_i - start_i) log-probs, flattened in order. share_prefix: sequences
// with the same prefix [0, start_i) share one row of the forward (model/packing.h); off, each has
// a padded row of its own (the reference layout). token_budget bounds the slots of one forward
// (<= 0: 2048 on CPU, 8192 on CUDA; score.cc says why).
std::vector<float> sequence_logprobs(const Qwen2Model& model, const RaggedIds& seqs, const std::vector<int64_t>& starts,
                                     bool share_prefix, int64_t token_budget = 0);

// Right-pads sequences [begin, end) into (B, T) int64 ids; returns {ids, lengths}.
std::pair<at::Tensor, at::Tensor> pad_right(const RaggedIds& seqs, int64_t begin, int64_t end);

}  // namespace toolrl
