// native/loss/grpo_loss_ref.cc — the eager GRPO reference: the math of grpo_loss.h written
// directly with full (N, V) logits and plain ATen ops; autograd derives the backward. Clean and
// slow on purpose (llm.c's CPU reference, Liger's torch_grpo_loss): the fused kernel is tested
// against it and benchmarks compare with it. Do not optimise it.
#include <ATen/core/grad_mode.h>  // at::NoGradGuard
#include <c10/util/Exception.h>

#include "loss/grpo_loss.h"

namespace toolrl {

at::Tensor grpo_loss_reference(const GrpoLossInputs& in, const GrpoLossOptions& opts, GrpoLossMetrics* metrics) {
  check_grpo_inputs(in, opts);
  const auto dt = in.hidden.scalar_type();
  const auto A = in.adv.to(dt), w = in.weight.to(dt);                                    // (N)
  const auto logits = at::mm(in.hidden, in.lm_head.t());                                 // (N, V)
  const auto logp_all = at::log_softmax(logits, 1);                                      // (N, V)
  const auto logp = logp_all.gather(1, in.targets.unsqueeze(1)).squeeze(1);              // (N)
  const auto old = in.old_logp.defined() ? in.old_logp.to(dt) : logp.detach();           // (N)
  const auto ratio = at::exp(logp - old);                                                // (N)
  const auto pg = -at::minimum(ratio * A, at::clamp(ratio, 1 - opts.eps_low, 1 + opts.eps_high) * A);
  const auto entropy = -(at::exp(logp_all) * logp_all).sum(1);                          // (N)
  at::Tensor kl;
  if (in.ref_logp.defined()) {
    const auto d = in.ref_logp.to(dt) - logp;
    kl = at::exp(d) - d - 1;  // k3
  }
  auto l = pg;
  if (opts.beta != 0) l = l + opts.beta * kl;
  if (opts.entropy_coef != 0) l = l - opts.entropy_coef * entropy;
  const auto loss = (w * l).sum();

  if (metrics) {
    at::NoGradGuard no_grad;
    const auto active = w.gt(0);
    const auto r = ratio.detach();
    const auto clipped = (A.gt(0) & r.gt(1 + opts.eps_high)) | (A.lt(0) & r.lt(1 - opts.eps_low));
    metrics->tokens = active.sum().item<int64_t>();
    metrics->clipped = (clipped & active).sum().item<int64_t>();
    metrics->kl_sum = kl.defined() ? kl.detach().masked_select(active).sum(at::kDouble).item<double>() : 0.0;
    metrics->entropy_sum = entropy.detach().masked_select(active).sum(at::kDouble).item<double>();
    metrics->weight_sum = w.sum(at::kDouble).item<double>();
    metrics->logp = logp.detach();
  }
  return loss;
}

}  // namespace toolrl
