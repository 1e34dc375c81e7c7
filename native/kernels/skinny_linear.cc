// native/kernels/skinny_linear.cc — see skinny_linear.h for the method and why.
// Layout: [scalar fallback] [AVX2+FMA micro-kernel] [AVX-512 micro-kernel] [threaded driver].
// Built without -march: the SIMD functions carry __attribute__((target)) and are only called
// after cpu_isa.h's run-time check, so the addon still runs on pre-AVX2 CPUs.
#include "kernels/skinny_linear.h"

#include <c10/util/Exception.h>
#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#endif

#include <algorithm>

#include "kernels/cpu_isa.h"   // kernel_isa, kernel_threads
#include "kernels/parallel.h"  // parallel_for_chunks
#include "kernels/simd_math.h"  // simd::hsum4, simd::mask8, TOOLRL_AVX2

namespace toolrl {

namespace {

constexpr int kNR = 4;  // weight rows per block, every ISA
// Work is cut into this many chunks per thread so a thread that starts late (or runs slower)
// leaves its share to the others.
constexpr int64_t kChunksPerThread = 8;

// One contiguous range of weight rows [n_begin, n_end) for all M rows of x; n_begin % kNR == 0.
using RangeFn = void (*)(const float* x, const float* w, const float* b, float* y, int64_t M, int64_t K, int64_t N,
                         int64_t n_begin, int64_t n_end);

// Splits M rows into blocks of at most `mr`, avoiding a lone 1-row tail (mr 3: 16 = 3,3,3,3,2,2;
// mr 4: 5 = 3,2), since a 1-row block does NR loads per NR FMAs.
inline int next_mr(int64_t remaining, int mr) {
  if (remaining > mr) return remaining == mr + 1 ? mr - 1 : mr;
  return static_cast<int>(remaining);
}

// ---------------------------------------------------------------------------------------------
// Scalar fallback (any CPU). Four partial sums over K so the compiler can pipeline the adds.

void range_scalar(const float* x, const float* w, const float* b, float* y, int64_t M, int64_t K, int64_t N,
                  int64_t n_begin, int64_t n_end) {
  for (int64_t n = n_begin; n < n_end; ++n) {
    const float* wr = w + n * K;
    for (int64_t m = 0; m < M; ++m) {
      const float* xr = x + m * K;
      float s0 = 0.f, s1 = 0.f, s2 = 0.f, s3 = 0.f;
      int64_t k = 0;
      for (; k + 4 <= K; k += 4) {
        s0 += xr[k] * wr[k];
        s1 += xr[k + 1] * wr[k + 1];
        s2 += xr[k + 2] * wr[k + 2];
        s3 += xr[k + 3] * wr[k + 3];
      }
      for (; k < K; ++k) s0 += xr[k] * wr[k];
      y[m * N + n] = ((s0 + s1) + (s2 + s3)) + (b ? b[n] : 0.f);
    }
  }
}

#if defined(__x86_64__) || defined(__i386__)
// In decode every weight matrix is cold (each is read once per step, ~100 MB of other weights
// apart), so the kernel streams it from DRAM and prefetches ahead: during the first x-row pass
// over weight block n it prefetches, line by line, the block kPrefetchBytes further on into L2.
// Measured (`npm run bench -- kernels`, cold, M = 16, 1 thread): no prefetch ~50 GFLOP/s;
// 4-16 KB ahead into L1 ~56-60; 32-64 KB ahead into L2 ~66-70 (M = 1: 6 -> 10, i.e. 20 GB/s).
constexpr int64_t kPrefetchBytes = 32768;

// The block to prefetch while working on block n (prefetching past a thread's own range is
// harmless), or null near the end of the matrix.
inline const float* prefetch_block(const float* w, int64_t K, int64_t n, int64_t N) {
  const int64_t block_bytes = kNR * K * static_cast<int64_t>(sizeof(float));
  const int64_t ahead = kNR * ((kPrefetchBytes + block_bytes - 1) / block_bytes);
  return n + ahead + kNR <= N ? w + (n + ahead) * K : nullptr;
}

#define TOOLRL_AVX512 __attribute__((target("avx512f,avx2,fma")))

// ---------------------------------------------------------------------------------------------
// AVX2 + FMA: MR = 3 x rows x NR = 4 weight rows = 12 ymm accumulators + 4 weight vectors; the
// x vector is folded into the FMA as a memory operand (16 registers in all).

// Writes NR outputs of one x row: y[0..NR) = r[0..NR) + b[0..NR).
template <int NR>
TOOLRL_AVX2 inline void store_row(__m128 r, const float* b, float* y) {
  if constexpr (NR == 4) {
    if (b) r = _mm_add_ps(r, _mm_loadu_ps(b));
    _mm_storeu_ps(y, r);
  } else {
    alignas(16) float t[4];
    _mm_store_ps(t, r);
    for (int j = 0; j < NR; ++j) y[j] = t[j] + (b ? b[j] : 0.f);
  }
}

// pf: when set, the same rows of a later weight block, prefetched line by line during this pass
// (the first x-row block of each weight block streams the next one in from DRAM).
template <int MR, int NR>
TOOLRL_AVX2 void micro_avx2(const float* x, const float* w, const float* b, float* y, int64_t K, int64_t ldy,
                            const float* pf) {
  __m256 acc[MR][NR];
#pragma GCC unroll 4
  for (int i = 0; i < MR; ++i)
#pragma GCC unroll 4
    for (int j = 0; j < NR; ++j) acc[i][j] = _mm256_setzero_ps();
  int64_t k = 0;
  for (; k + 8 <= K; k += 8) {
    if (pf && (k & 15) == 0)
#pragma GCC unroll 4
      for (int j = 0; j < kNR; ++j) _mm_prefetch(reinterpret_cast<const char*>(pf + j * K + k), _MM_HINT_T1);
    __m256 wv[NR];
#pragma GCC unroll 4
    for (int j = 0; j < NR; ++j) wv[j] = _mm256_loadu_ps(w + j * K + k);
#pragma GCC unroll 4
    for (int i = 0; i < MR; ++i) {
      const __m256 xv = _mm256_loadu_ps(x + i * K + k);
#pragma GCC unroll 4
      for (int j = 0; j < NR; ++j) acc[i][j] = _mm256_fmadd_ps(xv, wv[j], acc[i][j]);
    }
  }
  if (k < K) {  // masked tail: lanes past K load as 0 and add nothing
    const __m256i m = simd::mask8(K - k);
    __m256 wv[NR];
#pragma GCC unroll 4
    for (int j = 0; j < NR; ++j) wv[j] = _mm256_maskload_ps(w + j * K + k, m);
#pragma GCC unroll 4
    for (int i = 0; i < MR; ++i) {
      const __m256 xv = _mm256_maskload_ps(x + i * K + k, m);
#pragma GCC unroll 4
      for (int j = 0; j < NR; ++j) acc[i][j] = _mm256_fmadd_ps(xv, wv[j], acc[i][j]);
    }
  }
  const __m256 z = _mm256_setzero_ps();
#pragma GCC unroll 4
  for (int i = 0; i < MR; ++i) {
    const __m128 r = simd::hsum4(acc[i][0], NR > 1 ? acc[i][NR > 1 ? 1 : 0] : z, NR > 2 ? acc[i][NR > 2 ? 2 : 0] : z,
                               NR > 3 ? acc[i][NR > 3 ? 3 : 0] : z);
    store_row<NR>(r, b, y + i * ldy);
  }
}

template <int NR>
TOOLRL_AVX2 void rows_avx2(const float* x, const float* w, const float* b, float* y, const float* pf, int64_t M,
                           int64_t K, int64_t N) {
  for (int64_t m = 0; m < M;) {
    const int mr = next_mr(M - m, 3);
    const float* xm = x + m * K;
    float* ym = y + m * N;
    switch (mr) {
      case 3: micro_avx2<3, NR>(xm, w, b, ym, K, N, m == 0 ? pf : nullptr); break;
      case 2: micro_avx2<2, NR>(xm, w, b, ym, K, N, m == 0 ? pf : nullptr); break;
      default: micro_avx2<1, NR>(xm, w, b, ym, K, N, m == 0 ? pf : nullptr); break;
    }
    m += mr;
  }
}

TOOLRL_AVX2 void range_avx2(const float* x, const float* w, const float* b, float* y, int64_t M, int64_t K,
                            int64_t N, int64_t n_begin, int64_t n_end) {
  for (int64_t n = n_begin; n < n_end; n += kNR) {
    const float* wn = w + n * K;  // weight rows n .. n+3, contiguous (row-major (N, K))
    const float* bn = b ? b + n : nullptr;
    const float* pf = prefetch_block(w, K, n, N);
    switch (std::min<int64_t>(kNR, n_end - n)) {
      case 4: rows_avx2<4>(x, wn, bn, y + n, pf, M, K, N); break;
      case 3: rows_avx2<3>(x, wn, bn, y + n, pf, M, K, N); break;
      case 2: rows_avx2<2>(x, wn, bn, y + n, pf, M, K, N); break;
      default: rows_avx2<1>(x, wn, bn, y + n, pf, M, K, N); break;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// AVX-512F: 32 zmm registers hold MR = 4 x rows x NR = 4 weight rows = 16 accumulators, 4 weight
// vectors and the x vector. Same loop as AVX2 with 16 lanes and a k-mask tail; the final
// reduction folds each zmm to a ymm and reuses simd::hsum4.

// zmm -> ymm: adds the high 256 bits onto the low. Zero-masked extracts with an all-ones mask:
// GCC 12 implements the unmasked extract (and _mm512_castps512_ps256) with an undefined source
// operand that trips -Wuninitialized (GCC PR 105593); the masked form is the same instruction.
TOOLRL_AVX512 inline __m256 fold(__m512 v) {
  const __m512d d = _mm512_castps_pd(v);
  const __m256d lo = _mm512_maskz_extractf64x4_pd(static_cast<__mmask8>(0xFF), d, 0);
  const __m256d hi = _mm512_maskz_extractf64x4_pd(static_cast<__mmask8>(0xFF), d, 1);
  return _mm256_add_ps(_mm256_castpd_ps(lo), _mm256_castpd_ps(hi));
}

template <int MR, int NR>
TOOLRL_AVX512 void micro_avx512(const float* x, const float* w, const float* b, float* y, int64_t K, int64_t ldy,
                                const float* pf) {
  __m512 acc[MR][NR];
#pragma GCC unroll 4
  for (int i = 0; i < MR; ++i)
#pragma GCC unroll 4
    for (int j = 0; j < NR; ++j) acc[i][j] = _mm512_setzero_ps();
  int64_t k = 0;
  for (; k + 16 <= K; k += 16) {
    if (pf)
#pragma GCC unroll 4
      for (int j = 0; j < kNR; ++j) _mm_prefetch(reinterpret_cast<const char*>(pf + j * K + k), _MM_HINT_T1);
    __m512 wv[NR];
#pragma GCC unroll 4
    for (int j = 0; j < NR; ++j) wv[j] = _mm512_loadu_ps(w + j * K + k);
#pragma GCC unroll 4
    for (int i = 0; i < MR; ++i) {
      const __m512 xv = _mm512_loadu_ps(x + i * K + k);
#pragma GCC unroll 4
      for (int j = 0; j < NR; ++j) acc[i][j] = _mm512_fmadd_ps(xv, wv[j], acc[i][j]);
    }
  }
  if (k < K) {
    const __mmask16 m = static_cast<__mmask16>((1u << (K - k)) - 1u);
    __m512 wv[NR];
#pragma GCC unroll 4
    for (int j = 0; j < NR; ++j) wv[j] = _mm512_maskz_loadu_ps(m, w + j * K + k);
#pragma GCC unroll 4
    for (int i = 0; i < MR; ++i) {
      const __m512 xv = _mm512_maskz_loadu_ps(m, x + i * K + k);
#pragma GCC unroll 4
      for (int j = 0; j < NR; ++j) acc[i][j] = _mm512_fmadd_ps(xv, wv[j], acc[i][j]);
    }
  }
  const __m256 z = _mm256_setzero_ps();
#pragma GCC unroll 4
  for (int i = 0; i < MR; ++i) {
    const __m128 r = simd::hsum4(fold(acc[i][0]), NR > 1 ? fold(acc[i][NR > 1 ? 1 : 0]) : z,
                               NR > 2 ? fold(acc[i][NR > 2 ? 2 : 0]) : z, NR > 3 ? fold(acc[i][NR > 3 ? 3 : 0]) : z);
    store_row<NR>(r, b, y + i * ldy);
  }
}

template <int NR>
TOOLRL_AVX512 void rows_avx512(const float* x, const float* w, const float* b, float* y, const float* pf, int64_t M,
                               int64_t K, int64_t N) {
  for (int64_t m = 0; m < M;) {
    const int mr = next_mr(M - m, 4);
    const float* xm = x + m * K;
    float* ym = y + m * N;
    switch (mr) {
      case 4: micro_avx512<4, NR>(xm, w, b, ym, K, N, m == 0 ? pf : nullptr); break;
      case 3: micro_avx512<3, NR>(xm, w, b, ym, K, N, m == 0 ? pf : nullptr); break;
      case 2: micro_avx512<2, NR>(xm, w, b, ym, K, N, m == 0 ? pf : nullptr); break;
      default: micro_avx512<1, NR>(xm, w, b, ym, K, N, m == 0 ? pf : nullptr); break;
    }
    m += mr;
  }
}

TOOLRL_AVX512 void range_avx512(const float* x, const float* w, const float* b, float* y, int64_t M, int64_t K,
                                int64_t N, int64_t n_begin, int64_t n_end) {
  for (int64_t n = n_begin; n < n_end; n += kNR) {
    const float* wn = w + n * K;  // weight rows n .. n+3, contiguous (row-major (N, K))
    const float* bn = b ? b + n : nullptr;
    const float* pf = prefetch_block(w, K, n, N);
    switch (std::min<int64_t>(kNR, n_end - n)) {
      case 4: rows_avx512<4>(x, wn, bn, y + n, pf, M, K, N); break;
      case 3: rows_avx512<3>(x, wn, bn, y + n, pf, M, K, N); break;
      case 2: rows_avx512<2>(x, wn, bn, y + n, pf, M, K, N); break;
      default: rows_avx512<1>(x, wn, bn, y + n, pf, M, K, N); break;
    }
  }
}
#endif  // x86

RangeFn range_fn(KernelIsa isa) {
#if defined(__x86_64__) || defined(__i386__)
  if (isa == KernelIsa::kAvx512) return range_avx512;
  if (isa == KernelIsa::kAvx2) return range_avx2;
#endif
  return range_scalar;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Driver: thread t takes weight-row blocks [t * nb / nt, (t + 1) * nb / nt) of nb = ceil(N / 4).

void skinny_linear_raw(const float* x, const float* w, const float* b, float* y, int64_t M, int64_t K, int64_t N,
                       int threads) {
  if (M <= 0 || N <= 0) return;
  const RangeFn fn = range_fn(kernel_isa());
  if (K <= 0) {  // empty sum: y = b (or 0)
    for (int64_t m = 0; m < M; ++m)
      for (int64_t n = 0; n < N; ++n) y[m * N + n] = b ? b[n] : 0.f;
    return;
  }
  const int64_t nb = (N + kNR - 1) / kNR;
  const int nt = kernel_threads(threads, M * N * K, nb);
  if (nt <= 1) {
    fn(x, w, b, y, M, K, N, 0, N);
    return;
  }
  // Chunk c = weight-row blocks [c * nb / chunks, (c + 1) * nb / chunks), claimed dynamically.
  const int64_t chunks = std::min<int64_t>(nb, static_cast<int64_t>(nt) * kChunksPerThread);
  auto chunk = [&](int64_t c) {
    const int64_t lo = nb * c / chunks * kNR, hi = std::min(N, nb * (c + 1) / chunks * kNR);
    if (lo < hi) fn(x, w, b, y, M, K, N, lo, hi);
  };
  parallel_for_chunks(nt, chunks, chunk);
}

at::Tensor skinny_linear(const at::Tensor& x, const at::Tensor& w, const at::Tensor& b, int threads) {
  TORCH_CHECK_TYPE(x.scalar_type() == at::kFloat && w.scalar_type() == at::kFloat,
                   "skinny_linear takes float32 x and W, got ", x.scalar_type(), " and ", w.scalar_type());
  TORCH_CHECK_VALUE(x.dim() == 2 && w.dim() == 2 && x.size(1) == w.size(1), "skinny_linear: x (M, K) and W (N, K) ",
                    "expected, got x ", x.sizes(), " and W ", w.sizes());
  TORCH_CHECK_VALUE(!x.is_cuda() && !w.is_cuda(), "skinny_linear is a CPU kernel. HINT: use at::linear on GPU");
  const int64_t M = x.size(0), K = x.size(1), N = w.size(0);
  at::Tensor bc;
  if (b.defined()) {
    TORCH_CHECK_TYPE(b.scalar_type() == at::kFloat, "skinny_linear bias must be float32, got ", b.scalar_type());
    TORCH_CHECK_VALUE(b.dim() == 1 && b.size(0) == N, "skinny_linear bias must be (", N, "), got ", b.sizes());
    bc = b.contiguous();
  }
  const auto xc = x.contiguous(), wc = w.contiguous();
  auto y = at::empty({M, N}, x.options());
  skinny_linear_raw(xc.data_ptr<float>(), wc.data_ptr<float>(), bc.defined() ? bc.data_ptr<float>() : nullptr,
                    y.data_ptr<float>(), M, K, N, threads);
  return y;
}

}  // namespace toolrl
