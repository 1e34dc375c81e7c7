// native/loss/fused_linear.cc — see fused_linear.h.
#include "loss/fused_linear.h"

#include <c10/util/Exception.h>

#include <algorithm>

namespace toolrl {

namespace {
constexpr int64_t kRowDim[] = {1};  // reduce over the vocabulary
}  // namespace

int64_t auto_chunk_rows(int64_t n_rows, int64_t vocab, int64_t elem_size) {
  const int64_t by_budget = kAutoChunkBytes / std::max<int64_t>(1, vocab * elem_size);
  return std::max<int64_t>(1, std::min(n_rows, std::max(kAutoMinChunkRows, by_budget)));
}

FusedLinearOutput fused_linear_logsoftmax(const at::Tensor& hidden, const at::Tensor& weight,
                                          const at::Tensor& targets, const FusedLinearPlan& plan, const RowFn& row_fn) {
  const auto h = hidden.contiguous();   // (N, H)
  const auto W = weight.contiguous();   // (V, H)
  const auto y = targets.contiguous();  // (N)
  const int64_t N = h.size(0), V = W.size(0), H = W.size(1);
  TORCH_INTERNAL_ASSERT(h.size(1) == H && y.size(0) == N, "fused_linear_logsoftmax: unchecked shapes");
  const int64_t rows = plan.chunk_rows > 0 ? std::min(plan.chunk_rows, std::max<int64_t>(N, 1))
                                           : auto_chunk_rows(N, V, static_cast<int64_t>(h.element_size()));
  const bool any_grad = plan.grad_hidden || plan.grad_weight;

  FusedLinearOutput out;
  out.logp = at::empty({N}, h.options());
  if (plan.need_entropy) out.entropy = at::empty({N}, h.options());
  if (plan.grad_hidden) out.grad_hidden = at::empty({N, H}, h.options());
  if (plan.grad_weight) out.grad_weight = at::empty({V, H}, h.options());  // first chunk writes, later ones add

  // Two chunk buffers, reused: `za` holds the logits, then p (then dz without an entropy term);
  // `zb` holds log p, then p·log p (then dz with an entropy term). Narrowing dim 0 of a
  // contiguous buffer keeps it contiguous (BLAS-ready).
  auto za = at::empty({rows, V}, h.options());
  auto zb = at::empty({rows, V}, h.options());
  for (int64_t r = 0; r < N; r += rows) {
    const int64_t n = std::min(rows, N - r);
    const auto h_c = h.narrow(0, r, n);                // (n, H)
    const auto y_c = y.narrow(0, r, n).unsqueeze(1);   // (n, 1)
    auto a = za.narrow(0, 0, n);                       // (n, V)
    auto b = zb.narrow(0, 0, n);                       // (n, V)
    at::mm_out(a, h_c, W.t());                         // a = logits
    at::_log_softmax_out(b, a, 1, false);              // b = log p
    auto logp = out.logp.narrow(0, r, n);
    auto logp_col = logp.unsqueeze(1);
    at::gather_out(logp_col, b, 1, y_c);               // (n) target log-probs
    at::Tensor ent_c;
    if (plan.need_entropy || any_grad) at::exp_out(a, b);  // a = p
    if (plan.need_entropy) {
      // H_t = -Σ_v p log p. From here on b holds p·log p: the gradient needs log p only in that
      // product, so no third (n, V) buffer is needed.
      b.mul_(a);
      ent_c = out.entropy.narrow(0, r, n);
      at::sum_out(ent_c, b, at::IntArrayRef(kRowDim)).neg_();
    }
    const RowCoefficients k = row_fn(r, logp, ent_c);
    if (!any_grad) continue;
    TORCH_INTERNAL_ASSERT(k.coef.defined() && k.coef.numel() == n, "row_fn must return coef (n)");
    const auto coef = k.coef.unsqueeze(1);  // (n, 1)
    at::Tensor dz;
    if (k.ent.defined()) {
      TORCH_INTERNAL_ASSERT(plan.need_entropy, "an entropy coefficient needs plan.need_entropy");
      // dz = ent·p·(log p + H) − coef·p + coef·onehot = ent·(p log p) + p·t + coef·onehot,
      // with t = ent·H − coef (n, 1)
      const auto ent = k.ent.unsqueeze(1);
      const auto t = ent * ent_c.unsqueeze(1) - coef;
      b.mul_(ent).addcmul_(a, t);
      dz = b;
    } else {
      a.mul_(coef.neg());  // a = −coef·p
      dz = a;
    }
    dz.scatter_add_(1, y_c, coef);  // + coef·onehot(y)
    if (plan.grad_hidden) {
      auto gh = out.grad_hidden.narrow(0, r, n);
      at::mm_out(gh, dz, W);  // (n, H)
    }
    if (plan.grad_weight) {
      if (r == 0) {
        at::mm_out(out.grad_weight, dz.t(), h_c);  // (V, H)
      } else {
        out.grad_weight.addmm_(dz.t(), h_c);
      }
    }
  }
  if (N == 0 && plan.grad_weight) out.grad_weight.zero_();
  return out;
}

}  // namespace toolrl
