// native/kernels/skinny_linear.h — y = x W^T (+ b) for few rows of x: the decode-time projections.
//
// Why: in decode every linear layer sees M = rows-being-generated (~16) tokens. BLAS sgemm is
// built for large M: OpenBLAS re-packs the whole (N, K) weight into its panel layout on every call
// (sgemm_incopy, 35% of decode time measured with perf), then wakes its thread pool for a few
// microseconds of work. Here the weight is read exactly once, in place, in Hugging Face's
// row-major (out, in) layout (training shares these tensors, so no re-layout is allowed):
//
//   dot-product form: for a block of NR = 4 weight rows (NR * K floats, L1-resident), every block
//   of MR x rows (MR = 4 with AVX-512, 3 with AVX2, whose 16 registers cannot hold 16
//   accumulators plus operands) runs one pass over K keeping MR * NR vector accumulators, then
//   reduces them horizontally (4 at a time with hadd) into NR contiguous outputs per x row.
//   K tails use masked loads, M and N tails smaller instantiations of the same micro-kernel.
//   The weight streams from DRAM (each matrix is used once per decode step), so the first pass
//   over each block prefetches the block 32 KB further on into L2.
//   Threads (kernels/parallel.h) claim chunks of consecutive NR-row blocks: each W byte is read
//   by one thread once; x (M * K floats, <= 128 KB for decode) is shared through L2.
//
// Same idea as the GEMV/"skinny GEMM" paths of llama.cpp's ggml_vec_dot and of oneDNN's
// brgemm for small M; FLOP/s per shape: `npm run bench -- kernels`. Reference: skinny_linear_ref
// (= at::linear), tested in test/kernels.test.ts.
//
// Numerics: fp32 accumulation in a different order than BLAS (per-lane partial sums over K, then a
// tree reduction), so results differ from at::linear by a few ulp of sum |x_k w_k| (fp32 rounding).
#pragma once
#include <ATen/ATen.h>

#include <cstdint>

namespace toolrl {

// x (M, K) float32, W (N, K) float32, b (N) float32 or undefined -> y (M, N) float32.
// x, W and b are made contiguous if they are not (W always is for model parameters).
// threads <= 0: kernel_threads() picks (matmul_threads(), capped by the work size).
// No autograd: call it under NoGradMode/InferenceMode only (the caller's job, see qwen2.cc).
at::Tensor skinny_linear(const at::Tensor& x, const at::Tensor& w, const at::Tensor& b, int threads = 0);

// The raw form on contiguous float buffers: y (M, N) = x (M, K) . W (N, K)^T + b (N) (b may be null).
void skinny_linear_raw(const float* x, const float* w, const float* b, float* y, int64_t M, int64_t K, int64_t N,
                       int threads = 0);

// Reference: at::linear (BLAS sgemm), same signature.
at::Tensor skinny_linear_ref(const at::Tensor& x, const at::Tensor& w, const at::Tensor& b);

}  // namespace toolrl
