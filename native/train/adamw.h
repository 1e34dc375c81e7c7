// native/train/adamw.h — AdamW (Loshchilov & Hutter; torch.optim.AdamW's update, which the paper's
// veRL setup uses: betas 0.9/0.999, eps 1e-8, weight decay 0.01) and global-norm gradient clipping.
//   p ← p·(1 − lr·wd);  m ← β1·m + (1−β1)·g;  v ← β2·v + (1−β2)·g²
//   p ← p − (lr / (1 − β1^t)) · m / (sqrt(v) / sqrt(1 − β2^t) + eps)
#pragma once
#include <ATen/ATen.h>

#include <string>
#include <utility>
#include <vector>

namespace toolrl {

struct AdamWOptions {
  double lr = 1e-6;
  double beta1 = 0.9;
  double beta2 = 0.999;
  double eps = 1e-8;
  double weight_decay = 0.01;
};

class AdamW {
 public:
  // params: (name, tensor) pairs; tensors must require grad. State tensors start at zero.
  explicit AdamW(std::vector<std::pair<std::string, at::Tensor>> params);

  // One update from the current .grad of every parameter (parameters without a grad are skipped).
  void step(const AdamWOptions& opts);
  int64_t steps() const { return step_; }

  // State for checkpoints: "exp_avg.<param>" and "exp_avg_sq.<param>" tensors, and the step count.
  std::vector<std::pair<std::string, at::Tensor>> state() const;
  void set_state(const std::vector<std::pair<std::string, at::Tensor>>& tensors, int64_t step);

 private:
  std::vector<std::pair<std::string, at::Tensor>> params_;
  std::vector<at::Tensor> exp_avg_, exp_avg_sq_;
  int64_t step_ = 0;
};

// Zeroes (sets undefined) every parameter's .grad.
void zero_grads(const std::vector<std::pair<std::string, at::Tensor>>& params);

// Global L2 norm of all gradients; when max_norm > 0 and the norm exceeds it, scales the gradients
// by max_norm / (norm + 1e-6) (torch.nn.utils.clip_grad_norm_). Returns the norm before clipping.
double clip_grad_norm(const std::vector<std::pair<std::string, at::Tensor>>& params, double max_norm);

}  // namespace toolrl
