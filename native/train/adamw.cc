// native/train/adamw.cc — see adamw.h.
#include "train/adamw.h"

#include <ATen/core/grad_mode.h>
#include <c10/util/Exception.h>

#include <cmath>
#include <map>

namespace toolrl {

AdamW::AdamW(std::vector<std::pair<std::string, at::Tensor>> params) : params_(std::move(params)) {
  for (const auto& [name, p] : params_) {
    exp_avg_.push_back(at::zeros_like(p, at::MemoryFormat::Contiguous).detach());
    exp_avg_sq_.push_back(at::zeros_like(p, at::MemoryFormat::Contiguous).detach());
  }
}

void AdamW::step(const AdamWOptions& o) {
  at::NoGradGuard no_grad;
  ++step_;
  const double bc1 = 1.0 - std::pow(o.beta1, static_cast<double>(step_));
  const double bc2 = 1.0 - std::pow(o.beta2, static_cast<double>(step_));
  const double step_size = o.lr / bc1;
  const double bc2_sqrt = std::sqrt(bc2);
  for (size_t i = 0; i < params_.size(); ++i) {
    auto& p = params_[i].second;
    const auto& g = p.grad();
    if (!g.defined()) continue;
    p.mul_(1.0 - o.lr * o.weight_decay);
    exp_avg_[i].mul_(o.beta1).add_(g, 1.0 - o.beta1);
    exp_avg_sq_[i].mul_(o.beta2).addcmul_(g, g, 1.0 - o.beta2);
    auto denom = (exp_avg_sq_[i].sqrt() / bc2_sqrt).add_(o.eps);
    p.addcdiv_(exp_avg_[i], denom, -step_size);
  }
}

std::vector<std::pair<std::string, at::Tensor>> AdamW::state() const {
  std::vector<std::pair<std::string, at::Tensor>> out;
  for (size_t i = 0; i < params_.size(); ++i) {
    out.emplace_back("exp_avg." + params_[i].first, exp_avg_[i]);
    out.emplace_back("exp_avg_sq." + params_[i].first, exp_avg_sq_[i]);
  }
  return out;
}

void AdamW::set_state(const std::vector<std::pair<std::string, at::Tensor>>& tensors, int64_t step) {
  at::NoGradGuard no_grad;
  TORCH_CHECK_VALUE(step >= 0, "optimizer step must be >= 0, got ", step);
  std::map<std::string, at::Tensor> by_name(tensors.begin(), tensors.end());
  for (size_t i = 0; i < params_.size(); ++i) {
    for (auto [prefix, dst] : {std::pair<const char*, at::Tensor*>{"exp_avg.", &exp_avg_[i]},
                               std::pair<const char*, at::Tensor*>{"exp_avg_sq.", &exp_avg_sq_[i]}}) {
      const std::string key = prefix + params_[i].first;
      auto it = by_name.find(key);
      TORCH_CHECK_VALUE(it != by_name.end(), "optimizer state is missing '", key, "'");
      TORCH_CHECK_VALUE(it->second.sizes() == dst->sizes(), "optimizer state '", key, "' has shape ",
                        it->second.sizes(), " but the parameter has ", dst->sizes());
      dst->copy_(it->second);
    }
  }
  TORCH_CHECK_VALUE(by_name.size() == 2 * params_.size(), "optimizer state has ", by_name.size(),
                    " tensors; expected ", 2 * params_.size());
  step_ = step;
}

void zero_grads(const std::vector<std::pair<std::string, at::Tensor>>& params) {
  for (const auto& [name, p] : params) {
    if (p.grad().defined()) p.mutable_grad() = at::Tensor();
  }
}

double clip_grad_norm(const std::vector<std::pair<std::string, at::Tensor>>& params, double max_norm) {
  at::NoGradGuard no_grad;
  double sq = 0.0;
  for (const auto& [name, p] : params) {
    if (p.grad().defined()) sq += p.grad().pow(2).sum().item<double>();
  }
  const double norm = std::sqrt(sq);
  if (max_norm > 0 && std::isfinite(norm)) {
    const double coef = max_norm / (norm + 1e-6);
    if (coef < 1.0) {
      for (const auto& [name, p] : params)
        if (p.grad().defined()) p.grad().mul_(coef);
    }
  }
  return norm;
}

}  // namespace toolrl
