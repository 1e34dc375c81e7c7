// native/loss/aggregation.h — how per-token losses are summed into one number, expressed as a
// per-token weight, so the fused kernel stays one function: loss = Σ_t weight_t · l_t.
//
// Dimension legend (used in every native/loss file): B sequences in a (micro-)batch, T the
// completion width of the padded (B, T) mask, N = Σ mask completion tokens flattened, V vocab,
// H hidden size.
//
// Kinds (names as in lib/config.ts; `token_mean`/`sequence_mean` are accepted as aliases):
//   token-mean     w = mask / tokens_total. The caller picks the denominator: Σ mask of this
//                  micro-batch (TRL's `bnpo`: "normalized over the local batch"), or of the whole
//                  step for gradient accumulation. tokens_total <= 0 means "Σ mask of this mask".
//                  The project default (DESIGN.md GRPO table).
//   sequence-mean  w = mask / (len_seq · num_seqs_total): each sequence's token mean, then the mean
//                  over all sequences of the step. The original GRPO objective (Shao et al. 2024,
//                  DeepSeekMath, eq. 3; TRL `loss_type="grpo"`). Long sequences get smaller
//                  per-token weight, the length bias Dr. GRPO points out.
//   dr_grpo        w = mask / (num_seqs_total · max_completion_len): a constant per-token weight
//                  (Liu et al. 2025, "Understanding R1-Zero-Like Training: A Critical Perspective",
//                  arXiv 2503.20783, §3.1; TRL `loss_type="dr_grpo"`).
//   dapo           w = mask / tokens_total with tokens_total the number of completion tokens of the
//                  WHOLE step, across micro-batches (Yu et al. 2025, "DAPO", arXiv 2503.14476, §3.3
//                  token-level policy-gradient loss; TRL `loss_type="dapo"`: "normalized by the
//                  number of active tokens in the global accumulated batch"). Required > 0.
// Denominators are clamped as TRL does (a sequence with no tokens gets weight 0, not NaN).
#pragma once
#include <ATen/ATen.h>

#include <string>

namespace toolrl {

enum class Aggregation { kTokenMean, kSequenceMean, kDrGrpo, kDapo };

// 'token-mean' | 'sequence-mean' | 'dr_grpo' | 'dapo' (also 'token_mean', 'sequence_mean');
// anything else -> c10::ValueError (RangeError in JS).
Aggregation parse_aggregation(const std::string& name);
const char* aggregation_name(Aggregation kind);

// mask: (B, T) with values 0/1 (any real dtype). Returns (B, T) float32 weights.
//   num_seqs_total      sequences in the whole step (>= B)          [sequence-mean, dr_grpo]
//   tokens_total        completion tokens of the normalising batch  [token-mean (<= 0: Σ mask), dapo]
//   max_completion_len  the generation limit (>= every row's length) [dr_grpo]
// Arguments a kind does not use are ignored.
at::Tensor token_weights(Aggregation kind, const at::Tensor& mask, int64_t num_seqs_total, double tokens_total,
                         int64_t max_completion_len);

}  // namespace toolrl
