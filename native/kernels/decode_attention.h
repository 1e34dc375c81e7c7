// native/kernels/decode_attention.h — one-query-per-row attention over the preallocated KV cache:
// the attention of a decode step (T = 1), with shared-prefix ("cascade") reads for GRPO groups.
//
// Why: the eager path (qwen2.cc attention()) computes it with at::matmul over cache views, which
// ATen splits into B * NKV tiny BLAS calls per layer, twice (QK^T and PV), plus a masked softmax
// over full-width (B, NKV, G, 1, S) temporaries. Here one task per (row group, KV head) does
//   scores[b, g, s] = (q[b, kv*G + g] . k[b, kv, s]) / sqrt(D)        s in [start_b, S), g < G
//   p = softmax_s(scores)            (max-subtracted, fp32, vectorised exp)
//   out[b, kv*G + g] = sum_s p[b, g, s] v[b, kv, s]
// reading each cached key/value row once for all G = NH / NKV query heads that share it
// (grouped-query attention as in transformers' repeat_kv, without materialising the repeat).
// Slots before start_b are never read: generate.cc right-aligns prompts, so a shorter prompt's
// row leaves slots [0, start_b) unused (the eager path masks them with -inf instead).
//
// Shared prefix: the n samples of one prompt hold identical keys/values for the prompt's slots
// (prefilled once, copied to each row). Given that grouping, the prompt's keys/values are read
// once per group — from the group's leader row — for all n * G queries of the group, and each row
// reads only its own generated slots: on the small bench config (prompt 256, 4 samples) that is
// ~2.5x fewer cache bytes per step, and decode attention is bound by reading the cache. Same
// math; only where the (identical) prefix values are read from changes. This is the
// shared-prefix decomposition of Hydragen (Juravsky et al. 2024) / FlashInfer's cascade
// attention, done inside one softmax instead of merging two partial softmaxes.
//
// Tasks run on the kernels' pool (parallel.h); D is vectorised (AVX2 with masked tails, any D;
// AVX-512 adds nothing here: the loop is bound by reading the cache, not by FMAs); scalar fallback
// for CPUs without AVX2. Reference: decode_attention_ref (eager ATen), test/kernels.test.ts.
#pragma once
#include <ATen/ATen.h>

#include <cstdint>

namespace toolrl {

// Rows that share a prompt: for row b, cache slots [starts[b], end[b]) of row leader[b] hold the
// same keys/values as row b's own. leader[b] == b (or end[b] <= starts[b]): nothing shared.
// Every row of a group must name the same leader, which leads itself, with the same start and end.
struct SharedPrefix {
  at::IntArrayRef leader;  // (B)
  at::IntArrayRef end;     // (B), starts[b] <= end[b] <= S
};

// q (B, NH, D) float32; k_cache, v_cache (B, NKV, S_max, D) float32 contiguous (KVCache layout);
// starts (B): first valid slot of each row, 0 <= start_b < S; keys/values in slots [0, S) are
// written (S <= S_max). NH % NKV == 0. shared: optional grouping (null: every row alone).
// Returns out (B, NH, D) float32. threads <= 0: kernel_threads() picks. No autograd.
at::Tensor decode_attention(const at::Tensor& q, const at::Tensor& k_cache, const at::Tensor& v_cache,
                            at::IntArrayRef starts, int64_t S, int threads = 0, const SharedPrefix* shared = nullptr);

// Reference: the same math in eager ATen ops (matmul, -inf mask, softmax, matmul) on each row's
// own cache, as the model's eager attention computes it. Same arguments and result.
at::Tensor decode_attention_ref(const at::Tensor& q, const at::Tensor& k_cache, const at::Tensor& v_cache,
                                at::IntArrayRef starts, int64_t S);

}  // namespace toolrl
