// native/loss/fused_autograd.h — the autograd half every fused loss shares: forward keeps the
// gradients the chunked engine computed (fused_linear.h), backward hands them to autograd scaled
// by grad_output. Used by GrpoLossFn (grpo_loss.cc) and SftLossFn (sft_loss.cc).
#pragma once
#include <c10/util/Exception.h>
#include <torch/csrc/autograd/custom_function.h>  // torch::autograd::AutogradContext, variable_list

#include "loss/fused_linear.h"  // FusedLinearOutput

namespace toolrl {

inline void save_fused_grads(torch::autograd::AutogradContext* ctx, const FusedLinearOutput& out) {
  auto ivalue = [](const at::Tensor& t) { return t.defined() ? c10::IValue(t) : c10::IValue(); };
  ctx->saved_data["grad_hidden"] = ivalue(out.grad_hidden);
  ctx->saved_data["grad_weight"] = ivalue(out.grad_weight);
  ctx->saved_data["consumed"] = false;
}

// Returns {grad_output·∂loss/∂hidden, grad_output·∂loss/∂W, undefined} for forward's
// (hidden, lm_head, args*) inputs. The kept tensors are moved out (autograd can then adopt them as
// .grad without a copy) and scaled in place, so backward may run once per forward.
inline torch::autograd::variable_list take_fused_grads(torch::autograd::AutogradContext* ctx,
                                                        const torch::autograd::variable_list& grad_outputs,
                                                        const char* who) {
  TORCH_CHECK(!ctx->saved_data["consumed"].toBool(), who,
              ": backward ran twice; the fused loss hands its gradients over on the first backward. "
              "HINT: retain_graph / double backward are not supported; recompute the loss instead");
  ctx->saved_data["consumed"] = true;
  auto take = [&](const char* key) {
    auto& slot = ctx->saved_data[key];
    at::Tensor t = slot.isTensor() ? std::move(slot).toTensor() : at::Tensor();
    slot = c10::IValue();
    return t;
  };
  auto gh = take("grad_hidden"), gw = take("grad_weight");
  const auto& go = grad_outputs.at(0);
  if (go.defined() && go.item<double>() != 1.0) {
    if (gh.defined()) gh.mul_(go);
    if (gw.defined()) gw.mul_(go);
  }
  return {gh, gw, at::Tensor()};
}

}  // namespace toolrl
