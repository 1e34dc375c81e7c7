// native/loss/sft_loss_ref.cc — the eager SFT reference: full (N, V) logits, log_softmax, gather,
// autograd. The fused kernel (sft_loss.cc) is tested against it. Do not optimise it.
#include <ATen/core/grad_mode.h>  // at::NoGradGuard
#include <c10/util/Exception.h>

#include "loss/sft_loss.h"

namespace toolrl {

at::Tensor sft_loss_reference(const SftLossInputs& in, const SftLossOptions& opts, SftLossMetrics* metrics) {
  check_sft_inputs(in, opts);
  const auto w = in.weight.to(in.hidden.scalar_type());                                  // (N)
  const auto logits = at::mm(in.hidden, in.lm_head.t());                                 // (N, V)
  const auto logp = at::log_softmax(logits, 1).gather(1, in.targets.unsqueeze(1)).squeeze(1);  // (N)
  const auto loss = -(w * logp).sum();
  if (metrics) {
    at::NoGradGuard no_grad;
    const auto active = w.gt(0);
    metrics->tokens = active.sum().item<int64_t>();
    metrics->nll_sum = -logp.detach().masked_select(active).sum(at::kDouble).item<double>();
    metrics->weight_sum = w.sum(at::kDouble).item<double>();
    metrics->logp = logp.detach();
  }
  return loss;
}

}  // namespace toolrl
