// native/loss/grpo_loss.h — the GRPO loss over completion tokens: fused (chunked, gradients
// computed in the forward pass; grpo_loss.cc) and the eager reference (full logits, plain ATen ops,
// autograd; grpo_loss_ref.cc). Both have the same signature and must agree within fp32 noise
// (test/grpo-loss.test.ts). Dimension legend in aggregation.h.
//
// Math, per completion token t (N of them, flattened over the micro-batch):
//   logp_t  = log_softmax(h_t Wᵀ)[y_t]
//   ratio_t = exp(logp_t − old_t)                       (old undefined: old = logp.detach(), ratio ≡ 1)
//   pg_t    = −min(ratio_t·A_t, clamp(ratio_t, 1 − eps_low, 1 + eps_high)·A_t)
//   kl_t    = exp(ref_t − logp_t) − (ref_t − logp_t) − 1          (k3 estimator; only if beta > 0)
//   H_t     = −Σ_v p_v log p_v                                     (entropy of the full softmax)
//   l_t     = pg_t + beta·kl_t − entropy_coef·H_t
//   loss    = Σ_t weight_t · l_t          (the aggregation lives in weight: aggregation.h)
// This is TRL's GRPOTrainer._compute_loss with per-token importance sampling and two-sided eps
// (DAPO's clip-higher when eps_high > eps_low), with the entropy bonus of the paper's veRL config.
//
// Backward (what the fused kernel computes during forward; ∂ via z = h Wᵀ):
//   g_t  = ∂l_t/∂logp_t = [clip inactive] · (−A_t·ratio_t) + beta·(1 − exp(ref_t − logp_t))
//          where the clip is active iff (A_t > 0 and ratio_t > 1 + eps_high) or
//          (A_t < 0 and ratio_t < 1 − eps_low) (the clipped branch is then the strict min and
//          constant in logp; inside the range both branches tie and either passes −A·ratio)
//   dz_t = weight_t·[g_t·(onehot(y_t) − p_t) + entropy_coef·p_t·(log p_t + H_t)]     (V)
//   ∂loss/∂h_t = dz_t W,   ∂loss/∂W = Σ_t dz_tᵀ h_t
// The autograd Function's backward returns grad_output·∂loss/∂h and grad_output·∂loss/∂W and
// frees them: backward may run once per forward (no retain_graph / double backward).
#pragma once
#include <ATen/ATen.h>

#include <cstdint>

namespace toolrl {

// All float32 (float64 accepted, for gradient checks) on one device, N = targets.size(0).
struct GrpoLossInputs {
  at::Tensor hidden;    // (N, H) final-normed hidden states that predict each completion token
  at::Tensor lm_head;   // (V, H) lm_head weight (tied to the embeddings in most models)
  at::Tensor targets;   // (N) int64 completion token ids in [0, V)
  at::Tensor old_logp;  // (N) log-probs of the policy that sampled; undefined: on-policy (ratio 1)
  at::Tensor ref_logp;  // (N) reference-policy log-probs; required when beta > 0, else optional
  at::Tensor adv;       // (N) the sequence's advantage repeated over its tokens
  at::Tensor weight;    // (N) aggregation weight >= 0 (token_weights(); 0 masks a token)
};

// Resolved values from lib/config.ts (TS applies the defaults; see DESIGN.md's GRPO table).
struct GrpoLossOptions {
  double eps_low = 0.2;
  double eps_high = 0.2;
  double beta = 0.0;          // k3 KL coefficient
  double entropy_coef = 0.0;  // entropy bonus coefficient
  int64_t chunk_rows = 0;     // fused only: rows per chunk, <= 0 auto (fused_linear.h)
};

// Diagnostics (no grad), over the tokens with weight > 0 ("active"). Sums and counts, so
// micro-batches combine by adding; the *_mean() helpers divide.
struct GrpoLossMetrics {
  int64_t tokens = 0;         // active tokens
  int64_t clipped = 0;        // active tokens whose clipped branch is active
  double kl_sum = 0;          // Σ kl_t (0 when ref_logp is undefined)
  double entropy_sum = 0;     // Σ H_t
  double weight_sum = 0;      // Σ weight_t over all tokens
  at::Tensor logp;            // (N) detached per-token log-probs (for consistency checks)

  double kl_mean() const { return tokens ? kl_sum / tokens : 0.0; }
  double entropy_mean() const { return tokens ? entropy_sum / tokens : 0.0; }
  double clip_fraction() const { return tokens ? static_cast<double>(clipped) / tokens : 0.0; }
};

// Both return the scalar loss (0-dim), differentiable w.r.t. hidden and lm_head when they require
// grad and grad mode is on. metrics may be null. Bad shapes, lengths, dtypes, empty input and
// non-finite adv/old/ref/weight throw c10::ValueError / c10::TypeError (RangeError / TypeError).
at::Tensor grpo_loss_fused(const GrpoLossInputs& in, const GrpoLossOptions& opts, GrpoLossMetrics* metrics = nullptr);
at::Tensor grpo_loss_reference(const GrpoLossInputs& in, const GrpoLossOptions& opts,
                               GrpoLossMetrics* metrics = nullptr);

// The checks both implementations run first (exposed for the trainer's own early validation).
void check_grpo_inputs(const GrpoLossInputs& in, const GrpoLossOptions& opts);

}  // namespace toolrl
