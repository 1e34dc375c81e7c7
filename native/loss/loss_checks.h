// native/loss/loss_checks.h — argument checks shared by the GRPO and SFT losses (fused and
// reference run the same checks, so both fail alike): c10::TypeError for dtypes, c10::ValueError
// for shapes, lengths, ranges and non-finite values (TypeError / RangeError in JS).
#pragma once
#include <ATen/ATen.h>

namespace toolrl {

// hidden (N, H) and lm_head (V, H) of one floating dtype (float32, or float64 for gradient checks)
// on one device; targets (N) int64 in [0, V); N > 0. `who` prefixes every message.
void check_linear_inputs(const at::Tensor& hidden, const at::Tensor& lm_head, const at::Tensor& targets,
                         const char* who);

// A per-token vector: defined, floating, 1-D of length n, on hidden's device, all finite, and
// >= 0 when nonneg.
void check_token_vector(const at::Tensor& v, int64_t n, const at::Device& device, const char* name, const char* who,
                        bool nonneg = false);

}  // namespace toolrl
