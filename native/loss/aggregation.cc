// native/loss/aggregation.cc — see aggregation.h.
#include "loss/aggregation.h"

#include <c10/util/Exception.h>

#include <algorithm>

namespace toolrl {

Aggregation parse_aggregation(const std::string& name) {
  if (name == "token-mean" || name == "token_mean") return Aggregation::kTokenMean;
  if (name == "sequence-mean" || name == "sequence_mean") return Aggregation::kSequenceMean;
  if (name == "dr_grpo") return Aggregation::kDrGrpo;
  if (name == "dapo") return Aggregation::kDapo;
  TORCH_CHECK_VALUE(false, "unknown loss aggregation '", name,
                    "'. HINT: use one of 'token-mean', 'sequence-mean', 'dr_grpo', 'dapo'");
}

const char* aggregation_name(Aggregation kind) {
  switch (kind) {
    case Aggregation::kTokenMean:
      return "token-mean";
    case Aggregation::kSequenceMean:
      return "sequence-mean";
    case Aggregation::kDrGrpo:
      return "dr_grpo";
    case Aggregation::kDapo:
      return "dapo";
  }
  return "?";
}

at::Tensor token_weights(Aggregation kind, const at::Tensor& mask, int64_t num_seqs_total, double tokens_total,
                         int64_t max_completion_len) {
  TORCH_CHECK_VALUE(mask.dim() == 2, "token_weights: mask must be (B, T), got ", mask.sizes());
  TORCH_CHECK_TYPE(at::isFloatingType(mask.scalar_type()) || at::isIntegralType(mask.scalar_type(), true),
                   "token_weights: mask must be a real tensor, got ", mask.scalar_type());
  const auto m = mask.to(at::kFloat);  // (B, T)
  TORCH_CHECK_VALUE(m.eq(0).logical_or_(m.eq(1)).all().item<bool>(), "token_weights: mask values must be 0 or 1");
  const int64_t B = m.size(0);
  const auto lens = m.sum(1);  // (B)
  const double local_tokens = lens.sum().item<double>();
  switch (kind) {
    case Aggregation::kTokenMean: {
      const double denom = tokens_total > 0 ? tokens_total : std::max(local_tokens, 1.0);
      TORCH_CHECK_VALUE(tokens_total <= 0 || tokens_total >= local_tokens, "token-mean: tokens_total (", tokens_total,
                        ") is smaller than the tokens in this mask (", local_tokens, ")");
      return m / denom;
    }
    case Aggregation::kSequenceMean: {
      TORCH_CHECK_VALUE(num_seqs_total >= B && num_seqs_total >= 1, "sequence-mean: num_seqs_total (", num_seqs_total,
                        ") must be >= the rows of the mask (", B, ") and >= 1");
      return m / (lens.clamp_min(1).unsqueeze(1) * static_cast<double>(num_seqs_total));
    }
    case Aggregation::kDrGrpo: {
      TORCH_CHECK_VALUE(num_seqs_total >= B && num_seqs_total >= 1, "dr_grpo: num_seqs_total (", num_seqs_total,
                        ") must be >= the rows of the mask (", B, ") and >= 1");
      const double longest = B > 0 ? lens.max().item<double>() : 0.0;
      TORCH_CHECK_VALUE(max_completion_len >= 1 && static_cast<double>(max_completion_len) >= longest,
                        "dr_grpo: max_completion_len (", max_completion_len,
                        ") must be >= 1 and >= the longest completion in the mask (", longest, ")");
      return m / (static_cast<double>(num_seqs_total) * static_cast<double>(max_completion_len));
    }
    case Aggregation::kDapo: {
      TORCH_CHECK_VALUE(tokens_total > 0 && tokens_total >= local_tokens, "dapo: tokens_total (", tokens_total,
                        ") must be the completion-token count of the whole step (> 0 and >= the ", local_tokens,
                        " tokens in this mask)");
      return m / tokens_total;
    }
  }
  TORCH_INTERNAL_ASSERT(false, "unhandled aggregation");
}

}  // namespace toolrl
