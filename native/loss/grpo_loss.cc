// native/loss/grpo_loss.cc — the fused GRPO loss (math and backward in grpo_loss.h): the chunked
// engine of fused_linear.h with GRPO's per-token coefficients, wrapped as an autograd Function
// whose backward only scales the gradients kept from the forward pass.
#include "loss/grpo_loss.h"

#include <c10/util/Exception.h>
#include <torch/csrc/autograd/custom_function.h>  // torch::autograd::Function

#include <cmath>

#include "loss/fused_autograd.h"  // save_fused_grads, take_fused_grads
#include "loss/fused_linear.h"    // fused_linear_logsoftmax
#include "loss/loss_checks.h"     // check_linear_inputs, check_token_vector

namespace toolrl {

void check_grpo_inputs(const GrpoLossInputs& in, const GrpoLossOptions& opts) {
  const char* who = "grpo_loss";
  check_linear_inputs(in.hidden, in.lm_head, in.targets, who);
  const int64_t N = in.hidden.size(0);
  const auto dev = in.hidden.device();
  check_token_vector(in.adv, N, dev, "adv (advantages)", who);
  check_token_vector(in.weight, N, dev, "weight (token weights)", who, /*nonneg=*/true);
  if (in.old_logp.defined()) check_token_vector(in.old_logp, N, dev, "old_logp", who);
  TORCH_CHECK_VALUE(opts.beta == 0 || in.ref_logp.defined(), who, ": beta = ", opts.beta,
                    " needs ref_logp. HINT: pass the reference policy's log-probs, or set beta to 0");
  if (in.ref_logp.defined()) check_token_vector(in.ref_logp, N, dev, "ref_logp", who);
  TORCH_CHECK_VALUE(std::isfinite(opts.eps_low) && opts.eps_low >= 0 && opts.eps_low < 1, who,
                    ": eps_low must be in [0, 1), got ", opts.eps_low);
  TORCH_CHECK_VALUE(std::isfinite(opts.eps_high) && opts.eps_high >= 0, who, ": eps_high must be >= 0, got ",
                    opts.eps_high);
  TORCH_CHECK_VALUE(std::isfinite(opts.beta) && opts.beta >= 0, who, ": beta must be >= 0, got ", opts.beta);
  TORCH_CHECK_VALUE(std::isfinite(opts.entropy_coef), who, ": entropy_coef must be finite, got ", opts.entropy_coef);
}

namespace {

// Everything forward needs besides the two differentiable tensors (borrowed, valid during apply).
struct GrpoFusedArgs {
  const GrpoLossInputs* in;
  const GrpoLossOptions* opts;
  GrpoLossMetrics* metrics;  // may be null
  bool grad_hidden, grad_weight;
};

// Per-token vectors in the loss's dtype (no copy when they already are).
struct TokenVectors {
  at::Tensor adv, weight, old_logp, ref_logp;  // (N); old/ref may be undefined
};

TokenVectors token_vectors(const GrpoLossInputs& in) {
  const auto dt = in.hidden.scalar_type();
  auto cvt = [dt](const at::Tensor& t) { return t.defined() ? t.to(dt).contiguous() : t; };
  return {cvt(in.adv), cvt(in.weight), cvt(in.old_logp), cvt(in.ref_logp)};
}

struct GrpoLossFn : torch::autograd::Function<GrpoLossFn> {
  static at::Tensor forward(torch::autograd::AutogradContext* ctx, const at::Tensor& hidden,
                            const at::Tensor& lm_head, const GrpoFusedArgs* args) {
    const auto& o = *args->opts;
    const auto v = token_vectors(*args->in);
    const int64_t N = hidden.size(0);
    const bool has_ref = v.ref_logp.defined();
    auto l_all = at::empty({N}, hidden.options());                     // l_t
    auto kl_all = has_ref ? at::empty({N}, hidden.options()) : at::Tensor();  // kl_t
    auto clip_all = at::empty({N}, hidden.options().dtype(at::kBool));  // clipped branch active

    // GRPO's per-row coefficients (grpo_loss.h): coef = weight·g, ent = weight·entropy_coef.
    auto row_fn = [&](int64_t r, const at::Tensor& logp, const at::Tensor& H) -> RowCoefficients {
      const int64_t n = logp.size(0);
      const auto A = v.adv.narrow(0, r, n), w = v.weight.narrow(0, r, n);
      const auto ratio = v.old_logp.defined() ? (logp - v.old_logp.narrow(0, r, n)).exp_() : at::ones_like(logp);
      const auto clipped = A.gt(0).logical_and_(ratio.gt(1 + o.eps_high))
                               .logical_or_(A.lt(0).logical_and_(ratio.lt(1 - o.eps_low)));
      auto l = at::minimum(ratio * A, ratio.clamp(1 - o.eps_low, 1 + o.eps_high) * A).neg_();  // pg
      auto g = (ratio * A).neg_().masked_fill_(clipped, 0);
      if (has_ref) {
        const auto d = v.ref_logp.narrow(0, r, n) - logp;  // ref − logp
        const auto e = d.exp();
        auto kl = e - d - 1;
        kl_all.narrow(0, r, n).copy_(kl);
        if (o.beta != 0) {
          l.add_(kl, o.beta);
          g.add_(1 - e, o.beta);
        }
      }
      if (o.entropy_coef != 0) l.sub_(H, o.entropy_coef);
      l_all.narrow(0, r, n).copy_(l);
      clip_all.narrow(0, r, n).copy_(clipped);
      RowCoefficients k;
      k.coef = g.mul_(w);
      if (o.entropy_coef != 0) k.ent = w * o.entropy_coef;
      return k;
    };

    FusedLinearPlan plan;
    plan.chunk_rows = o.chunk_rows;
    plan.need_entropy = true;  // the entropy metric is always reported
    plan.grad_hidden = args->grad_hidden;
    plan.grad_weight = args->grad_weight;
    auto out = fused_linear_logsoftmax(hidden, lm_head, args->in->targets, plan, row_fn);

    if (args->metrics) {
      auto& m = *args->metrics;
      const auto active = v.weight.gt(0);
      const auto af = active.to(hidden.scalar_type());
      m.tokens = active.sum().item<int64_t>();
      m.clipped = clip_all.logical_and(active).sum().item<int64_t>();
      m.kl_sum = has_ref ? (kl_all * af).sum(at::kDouble).item<double>() : 0.0;
      m.entropy_sum = (out.entropy * af).sum(at::kDouble).item<double>();
      m.weight_sum = v.weight.sum(at::kDouble).item<double>();
      m.logp = out.logp;
    }
    save_fused_grads(ctx, out);
    return (l_all * v.weight).sum();
  }

  static torch::autograd::variable_list backward(torch::autograd::AutogradContext* ctx,
                                                 torch::autograd::variable_list grad_outputs) {
    return take_fused_grads(ctx, grad_outputs, "grpo_loss");
  }
};

}  // namespace

at::Tensor grpo_loss_fused(const GrpoLossInputs& in, const GrpoLossOptions& opts, GrpoLossMetrics* metrics) {
  check_grpo_inputs(in, opts);
  const bool grad = at::GradMode::is_enabled();
  GrpoFusedArgs args{&in, &opts, metrics, grad && in.hidden.requires_grad(), grad && in.lm_head.requires_grad()};
  return GrpoLossFn::apply(in.hidden, in.lm_head, &args);
}

}  // namespace toolrl
