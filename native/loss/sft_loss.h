// native/loss/sft_loss.h — supervised fine-tuning cross-entropy on completion tokens: fused
// (chunked, gradients in the forward pass; sft_loss.cc, sharing fused_linear.h with GRPO) and the
// eager reference (sft_loss_ref.cc). Dimension legend in aggregation.h.
//
//   logp_t = log_softmax(h_t Wᵀ)[y_t],   l_t = −logp_t,   loss = Σ_t weight_t · l_t
// (weight = mask / Σ mask gives the usual token-mean cross-entropy; token_weights() builds others).
// Backward: dz_t = weight_t·(p_t − onehot(y_t)),  ∂loss/∂h_t = dz_t W,  ∂loss/∂W = Σ_t dz_tᵀ h_t;
// the autograd Function returns them scaled by grad_output, once (no retain_graph).
#pragma once
#include <ATen/ATen.h>

#include <cstdint>

namespace toolrl {

struct SftLossInputs {
  at::Tensor hidden;   // (N, H) float32 (float64 accepted)
  at::Tensor lm_head;  // (V, H)
  at::Tensor targets;  // (N) int64 in [0, V)
  at::Tensor weight;   // (N) >= 0
};

struct SftLossOptions {
  int64_t chunk_rows = 0;  // fused only: rows per chunk, <= 0 auto
};

struct SftLossMetrics {
  int64_t tokens = 0;     // tokens with weight > 0
  double nll_sum = 0;     // Σ −logp_t over those tokens
  double weight_sum = 0;  // Σ weight_t
  at::Tensor logp;        // (N) detached
  double nll_mean() const { return tokens ? nll_sum / tokens : 0.0; }
};

at::Tensor sft_loss_fused(const SftLossInputs& in, const SftLossOptions& opts, SftLossMetrics* metrics = nullptr);
at::Tensor sft_loss_reference(const SftLossInputs& in, const SftLossOptions& opts, SftLossMetrics* metrics = nullptr);

void check_sft_inputs(const SftLossInputs& in, const SftLossOptions& opts);

}  // namespace toolrl
