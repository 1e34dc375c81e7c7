// native/model/packing.h — how ragged (prefix + continuation) sequences become model rows for a
// forward pass that scores the continuation tokens: the trainer's micro-batches (trainer.cc) and
// policy.logprobs (score.cc) share it.
//
// Two layouts of the same computation (equal up to float rounding):
// - padded (the reference): one right-padded row per sequence, causal mask;
// - shared prefix: sequences with the same prefix (a GRPO group's samples behind one prompt) share
//   one row — the prefix once, then each continuation at the positions it has in its own sequence,
//   a continuation token attending to the prefix and to its own continuation only (a tree-shaped
//   mask). Each prompt is computed once instead of once per sample (toolrl-mini rollouts: ~290
//   prompt and ~40 completion tokens).
#pragma once
#include <ATen/ATen.h>

#include <cstdint>
#include <vector>

#include "model/score.h"

namespace toolrl {

struct PackedRows {
  at::Tensor ids;        // (R, T) int64
  at::Tensor positions;  // (R, T) int64, rotary positions
  at::Tensor attn;       // additive mask, broadcastable to (R, heads, T, T)
  // For each scored token, sequence by sequence in batch order, token by token: the flattened
  // (R * T) slot whose hidden state predicts it, and the token itself.
  at::Tensor rows, targets;
};

// Sequences [begin, end) of `seqs`; the scored tokens of sequence i are [starts[i], length(i)),
// with 1 <= starts[i] < length(i) (checked by the callers).
PackedRows pack_padded(const RaggedIds& seqs, const std::vector<int64_t>& starts, int64_t begin, int64_t end);
PackedRows pack_shared_prefix(const RaggedIds& seqs, const std::vector<int64_t>& starts, int64_t begin, int64_t end);

// Incremental size of the shared-prefix layout, for callers that bound a micro-batch by the
// tokens it computes: add() sequences in order; rows() x longest() is the packed (R, T).
class SharedPrefixSize {
 public:
  SharedPrefixSize(const RaggedIds& seqs, const std::vector<int64_t>& starts) : seqs_(seqs), starts_(starts) {}
  // The (rows x longest row) slots after adding sequence i, without adding it.
  int64_t slots_with(int64_t i) const;
  void add(int64_t i);
  void clear();

 private:
  // Where sequence i goes: an existing row sharing its prefix, or -1 for a row of its own.
  int64_t row_for(int64_t i) const;
  const RaggedIds& seqs_;
  const std::vector<int64_t>& starts_;
  std::vector<int64_t> row_first_;  // first sequence of each row (its prefix is the row's)
  std::vector<int64_t> row_len_;
  int64_t longest_ = 0;
};

}  // namespace toolrl
