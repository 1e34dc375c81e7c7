// native/loss/fused_linear.h — the chunked "linear + log-softmax + gradient" engine shared by the
// fused GRPO and SFT losses (grpo_loss.cc, sft_loss.cc). Follows Liger-Kernel's fused-linear
// losses (src/liger_kernel/chunked_loss/fused_linear_ppo.py): gradients are computed during the
// forward pass, chunk by chunk, so the (N, V) logits never exist at once and backward only scales
// the kept gradients by grad_output.
//
// For every row chunk c of at most chunk_rows rows (B,T,N,V,H legend in aggregation.h):
//   z = h_c Wᵀ                        (n, V)   logits
//   ls = log_softmax(z), p = exp(ls)  (n, V)
//   logp_t = ls[t, y_t]               (n)      target log-prob
//   H_t = -Σ_v p log p                (n)      entropy (only when need_entropy)
//   {coef, ent} = row_fn(row0, logp, H)         the loss's per-row coefficients, see below
//   dz = coef·(onehot(y) − p) + ent·p·(ls + H)  (n, V)  = ∂loss/∂z when
//        coef_t = ∂loss/∂logp_t and ent_t = −∂loss/∂H_t   (∂logp_y/∂z = onehot − p,
//                                                          ∂H/∂z = −p·(log p + H))
//   grad_hidden[c] = dz W             (n, H)
//   grad_weight   += dzᵀ h_c          (V, H)
// Memory: two (chunk_rows, V) buffers, grad_hidden (N, H) and grad_weight (V, H).
// Cost: the same three matmuls as an eager forward + backward, ~6 elementwise passes over a chunk.
#pragma once
#include <ATen/ATen.h>

#include <functional>

namespace toolrl {

// Per-row coefficients a loss returns for one chunk: coef (n) = ∂loss/∂logp_t, ent (n) =
// −∂loss/∂H_t (undefined: no entropy term). Both already include the token weight.
struct RowCoefficients {
  at::Tensor coef;
  at::Tensor ent;
};

// Called once per chunk, in row order, with row0 (the chunk's first row), logp (n) and entropy
// (n; undefined unless need_entropy). Runs with grad mode off.
using RowFn = std::function<RowCoefficients(int64_t row0, const at::Tensor& logp, const at::Tensor& entropy)>;

struct FusedLinearOutput {
  at::Tensor logp;         // (N) target log-probs
  at::Tensor entropy;      // (N) entropies, undefined unless need_entropy
  at::Tensor grad_hidden;  // (N, H) ∂loss/∂hidden, undefined unless requested
  at::Tensor grad_weight;  // (V, H) ∂loss/∂W, undefined unless requested
};

struct FusedLinearPlan {
  int64_t chunk_rows = 0;  // rows per chunk; <= 0: auto (logits chunk of about kAutoChunkBytes)
  bool need_entropy = false;
  bool grad_hidden = true;
  bool grad_weight = true;
};

// Auto chunk budget: a (rows, V) float32 logits chunk of ~16 MB, but at least 32 rows, because
// grad_weight += dzᵀh_c streams all of (V, H) once per chunk: with V = 151936 and 16 MB chunks
// (27 rows) that update, not the matmul arithmetic, becomes the bottleneck on CPU.
constexpr int64_t kAutoChunkBytes = int64_t{16} << 20;
constexpr int64_t kAutoMinChunkRows = 32;
int64_t auto_chunk_rows(int64_t n_rows, int64_t vocab, int64_t elem_size);

// hidden (N, H), weight (V, H), targets (N) int64 in [0, V): shapes checked by the callers.
FusedLinearOutput fused_linear_logsoftmax(const at::Tensor& hidden, const at::Tensor& weight,
                                          const at::Tensor& targets, const FusedLinearPlan& plan, const RowFn& row_fn);

}  // namespace toolrl
