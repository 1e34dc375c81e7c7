// native/loss/sft_loss.cc — the fused SFT cross-entropy (math and backward in sft_loss.h): the
// chunked engine of fused_linear.h with coef_t = ∂l/∂logp_t · weight_t = −weight_t.
#include "loss/sft_loss.h"

#include <c10/util/Exception.h>
#include <torch/csrc/autograd/custom_function.h>  // torch::autograd::Function

#include "loss/fused_autograd.h"  // save_fused_grads, take_fused_grads
#include "loss/fused_linear.h"    // fused_linear_logsoftmax
#include "loss/loss_checks.h"     // check_linear_inputs, check_token_vector

namespace toolrl {

void check_sft_inputs(const SftLossInputs& in, const SftLossOptions& opts) {
  check_linear_inputs(in.hidden, in.lm_head, in.targets, "sft_loss");
  check_token_vector(in.weight, in.hidden.size(0), in.hidden.device(), "weight (token weights)", "sft_loss",
                     /*nonneg=*/true);
}

namespace {

struct SftFusedArgs {
  const SftLossInputs* in;
  const SftLossOptions* opts;
  SftLossMetrics* metrics;  // may be null
  bool grad_hidden, grad_weight;
};

struct SftLossFn : torch::autograd::Function<SftLossFn> {
  static at::Tensor forward(torch::autograd::AutogradContext* ctx, const at::Tensor& hidden,
                            const at::Tensor& lm_head, const SftFusedArgs* args) {
    const auto w = args->in->weight.to(hidden.scalar_type()).contiguous();  // (N)
    auto row_fn = [&](int64_t r, const at::Tensor& logp, const at::Tensor&) -> RowCoefficients {
      return {w.narrow(0, r, logp.size(0)).neg(), at::Tensor()};
    };
    FusedLinearPlan plan;
    plan.chunk_rows = args->opts->chunk_rows;
    plan.grad_hidden = args->grad_hidden;
    plan.grad_weight = args->grad_weight;
    auto out = fused_linear_logsoftmax(hidden, lm_head, args->in->targets, plan, row_fn);
    if (args->metrics) {
      auto& m = *args->metrics;
      const auto active = w.gt(0);
      m.tokens = active.sum().item<int64_t>();
      m.nll_sum = -(out.logp * active.to(w.scalar_type())).sum(at::kDouble).item<double>();
      m.weight_sum = w.sum(at::kDouble).item<double>();
      m.logp = out.logp;
    }
    save_fused_grads(ctx, out);
    return -(out.logp * w).sum();
  }

  static torch::autograd::variable_list backward(torch::autograd::AutogradContext* ctx,
                                                 torch::autograd::variable_list grad_outputs) {
    return take_fused_grads(ctx, grad_outputs, "sft_loss");
  }
};

}  // namespace

at::Tensor sft_loss_fused(const SftLossInputs& in, const SftLossOptions& opts, SftLossMetrics* metrics) {
  check_sft_inputs(in, opts);
  const bool grad = at::GradMode::is_enabled();
  SftFusedArgs args{&in, &opts, metrics, grad && in.hidden.requires_grad(), grad && in.lm_head.requires_grad()};
  return SftLossFn::apply(in.hidden, in.lm_head, &args);
}

}  // namespace toolrl
