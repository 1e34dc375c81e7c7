// native/model/rope.h — rotary position embeddings as Hugging Face's Qwen2/Llama code applies them
// ("rotate_half" layout: the head dim is split into two halves, not interleaved pairs).
//   inv_freq[i] = 1 / theta^(2i / D),  angle = position * inv_freq,  emb = cat(angle, angle)
//   q' = q * cos(emb) + rotate_half(q) * sin(emb),  rotate_half([a, b]) = [-b, a]
// Llama 3.x rescales inv_freq by wavelength (rope_scaling.rope_type == "llama3"); see rope.cc.
#pragma once
#include <ATen/ATen.h>

#include "model/config.h"

namespace toolrl {

// (D/2) float32 inverse frequencies, with llama3 scaling applied when configured.
at::Tensor rope_inv_freq(const ModelConfig& cfg);

// positions: (B, T) int64 -> cos, sin: (B, 1, T, D), float32, ready to broadcast over heads.
std::pair<at::Tensor, at::Tensor> rope_cos_sin(const at::Tensor& inv_freq, const at::Tensor& positions);

// x: (B, heads, T, D) -> rotated x.
at::Tensor rope_apply(const at::Tensor& x, const at::Tensor& cos, const at::Tensor& sin);

}  // namespace toolrl
