// native/model/rope.cc — see rope.h. The llama3 scaling follows Meta's Llama 3.1 reference and
// transformers' `_compute_llama3_parameters`: frequencies whose wavelength is shorter than
// original_max / high_freq_factor are kept, longer than original_max / low_freq_factor are divided
// by `factor`, and the band in between is interpolated smoothly.
#include "model/rope.h"

#include <cmath>
#include <vector>

namespace toolrl {

at::Tensor rope_inv_freq(const ModelConfig& cfg) {
  const int64_t D = cfg.head_dim();
  std::vector<float> inv(D / 2);
  for (int64_t i = 0; i < D / 2; ++i) {
    // Computed in float as transformers does (torch.arange(0, D, 2).float() / D), then pow in fp32.
    const float expo = static_cast<float>(2 * i) / static_cast<float>(D);
    inv[i] = 1.0f / std::pow(static_cast<float>(cfg.rope_theta), expo);
  }
  if (cfg.rope_scaling.llama3) {
    const auto& rs = cfg.rope_scaling;
    const double old_ctx = static_cast<double>(rs.original_max_position_embeddings);
    const double low_wavelen = old_ctx / rs.low_freq_factor;
    const double high_wavelen = old_ctx / rs.high_freq_factor;
    for (auto& f : inv) {
      const double wavelen = 2.0 * M_PI / f;
      if (wavelen < high_wavelen) continue;
      if (wavelen > low_wavelen) {
        f = static_cast<float>(f / rs.factor);
      } else {
        const double smooth = (old_ctx / wavelen - rs.low_freq_factor) / (rs.high_freq_factor - rs.low_freq_factor);
        f = static_cast<float>((1.0 - smooth) * f / rs.factor + smooth * f);
      }
    }
  }
  return at::tensor(inv, at::kFloat);
}

std::pair<at::Tensor, at::Tensor> rope_cos_sin(const at::Tensor& inv_freq, const at::Tensor& positions) {
  auto angle = positions.to(at::kFloat).unsqueeze(-1) * inv_freq;  // (B, T, D/2)
  auto emb = at::cat({angle, angle}, -1).unsqueeze(1);              // (B, 1, T, D)
  return {emb.cos(), emb.sin()};
}

at::Tensor rope_apply(const at::Tensor& x, const at::Tensor& cos, const at::Tensor& sin) {
  const int64_t half = x.size(-1) / 2;
  auto x1 = x.narrow(-1, 0, half);
  auto x2 = x.narrow(-1, half, half);
  auto rotated = at::cat({-x2, x1}, -1);
  return x * cos + rotated * sin;
}

}  // namespace toolrl
