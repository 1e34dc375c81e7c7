// native/train/adamw.cc — see adamw.h.
#include "train/adamw.h"

#include <ATen/core/grad_mode.h>
#include <c10/util/Exception.h>

#include <algorithm>
#include <cmath>
#include <map>

namespace toolrl {

AdamW::AdamW(std::vector<std::pair<std::string, at::Tensor>> params) : params_(std::move(params)) {
  for (const auto& [name, p] : params_) {
    exp_avg_.push_back(at::zeros_like(p, at::MemoryFormat::Contiguous).detach());
    exp_avg_sq_.push_back(at::zeros_like(p, at::MemoryFormat::Contiguous).detach());
  }
}

namespace {
// Elementwise AdamW on one slice (views of the same rows of p, g, m, v).
void adamw_update(at::Tensor p, const at::Tensor& g, at::Tensor m, at::Tensor v, const AdamWOptions& o, double step_size,
                  double bc2_sqrt) {
  p.mul_(1.0 - o.lr * o.weight_decay);
  m.mul_(o.beta1).add_(g, 1.0 - o.beta1);
  v.mul_(o.beta2).addcmul_(g, g, 1.0 - o.beta2);
  auto denom = (v.sqrt() / bc2_sqrt).add_(o.eps);
  p.addcdiv_(m, denom, -step_size);
}

// Rows per slice so that the update's temporaries stay near 4 MB: at V = 151936, H = 512 a whole-
// tensor update would allocate a 311 MB denominator next to the 311 MB gradient (peak memory).
constexpr int64_t kSliceElements = int64_t{1} << 20;
}  // namespace

void AdamW::step(const AdamWOptions& o) {
  at::NoGradGuard no_grad;
  ++step_;
  const double bc1 = 1.0 - std::pow(o.beta1, static_cast<double>(step_));
  const double bc2 = 1.0 - std::pow(o.beta2, static_cast<double>(step_));
  const double step_size = o.lr / bc1;
  const double bc2_sqrt = std::sqrt(bc2);
  for (size_t i = 0; i < params_.size(); ++i) {
    auto& p = params_[i].second;
    if (!p.grad().defined()) continue;
    // An untied embedding's gradient is sparse (qwen2.cc); AdamW's moments are dense anyway.
    const auto g = p.grad().is_sparse() ? p.grad().to_dense() : p.grad();
    if (p.dim() < 2 || p.numel() <= kSliceElements) {
      adamw_update(p, g, exp_avg_[i], exp_avg_sq_[i], o, step_size, bc2_sqrt);
      continue;
    }
    const int64_t rows = std::max<int64_t>(1, kSliceElements / (p.numel() / p.size(0)));
    for (int64_t r = 0; r < p.size(0); r += rows) {
      const int64_t n = std::min(rows, p.size(0) - r);
      adamw_update(p.narrow(0, r, n), g.narrow(0, r, n), exp_avg_[i].narrow(0, r, n), exp_avg_sq_[i].narrow(0, r, n), o,
                   step_size, bc2_sqrt);
    }
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
    if (!p.grad().defined()) continue;
    const auto& g = p.grad();
    // norm() reduces without materialising g^2 (a full-size temporary for the embedding).
    const double n = (g.is_sparse() ? g.coalesce().values() : g).norm().item<double>();
    sq += n * n;
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
