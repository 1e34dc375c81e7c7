// native/loss/loss_checks.cc — see loss_checks.h.
#include "loss/loss_checks.h"

#include <c10/util/Exception.h>

namespace toolrl {

void check_linear_inputs(const at::Tensor& hidden, const at::Tensor& lm_head, const at::Tensor& targets,
                         const char* who) {
  TORCH_CHECK_VALUE(hidden.defined() && lm_head.defined() && targets.defined(), who,
                    ": hidden, lm_head and targets are required");
  TORCH_CHECK_TYPE(hidden.scalar_type() == at::kFloat || hidden.scalar_type() == at::kDouble, who,
                   ": hidden must be float32 (or float64), got ", hidden.scalar_type());
  TORCH_CHECK_TYPE(lm_head.scalar_type() == hidden.scalar_type(), who, ": lm_head dtype ", lm_head.scalar_type(),
                   " differs from hidden's ", hidden.scalar_type());
  TORCH_CHECK_TYPE(targets.scalar_type() == at::kLong, who, ": targets must be int64, got ", targets.scalar_type());
  TORCH_CHECK_VALUE(hidden.dim() == 2, who, ": hidden must be (N, H), got ", hidden.sizes());
  TORCH_CHECK_VALUE(lm_head.dim() == 2, who, ": lm_head must be (V, H), got ", lm_head.sizes());
  TORCH_CHECK_VALUE(hidden.size(1) == lm_head.size(1), who, ": hidden size ", hidden.size(1),
                    " differs from lm_head's ", lm_head.size(1), " (lm_head must be (V, H))");
  TORCH_CHECK_VALUE(targets.dim() == 1 && targets.size(0) == hidden.size(0), who, ": targets must be (N) with N = ",
                    hidden.size(0), " (the rows of hidden), got ", targets.sizes());
  TORCH_CHECK_VALUE(hidden.size(0) > 0, who,
                    ": no completion tokens (empty batch). HINT: skip batches whose completions are all empty");
  TORCH_CHECK_VALUE(lm_head.size(0) > 0 && lm_head.size(1) > 0, who, ": lm_head is empty: ", lm_head.sizes());
  TORCH_CHECK_VALUE(lm_head.device() == hidden.device() && targets.device() == hidden.device(), who,
                    ": hidden, lm_head and targets must be on one device");
  const auto lo = targets.min().item<int64_t>(), hi = targets.max().item<int64_t>();
  TORCH_CHECK_VALUE(lo >= 0 && hi < lm_head.size(0), who, ": target ids must be in [0, ", lm_head.size(0),
                    "), got values in [", lo, ", ", hi, "]");
}

void check_token_vector(const at::Tensor& v, int64_t n, const at::Device& device, const char* name, const char* who,
                        bool nonneg) {
  TORCH_CHECK_VALUE(v.defined(), who, ": ", name, " is required");
  TORCH_CHECK_TYPE(at::isFloatingType(v.scalar_type()), who, ": ", name, " must be floating point, got ",
                   v.scalar_type());
  TORCH_CHECK_VALUE(v.dim() == 1 && v.size(0) == n, who, ": ", name, " must have one value per completion token (",
                    n, "), got shape ", v.sizes());
  TORCH_CHECK_VALUE(v.device() == device, who, ": ", name, " must be on ", device, ", got ", v.device());
  TORCH_CHECK_VALUE(v.isfinite().all().item<bool>(), who, ": ", name, " has NaN or infinite values");
  if (nonneg) TORCH_CHECK_VALUE(v.ge(0).all().item<bool>(), who, ": ", name, " has negative values");
}

}  // namespace toolrl
