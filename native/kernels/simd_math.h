// native/kernels/simd_math.h — small AVX2 helpers shared by the kernels: lane masks for tails,
// horizontal sums and a vectorised expf. Every function carries the avx2,fma target attribute,
// so include this only from code that is itself compiled for that target and reached after the
// run-time check of cpu_isa.h (the file compiles to nothing on other architectures).
#pragma once
#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>

#include <algorithm>
#include <cstdint>

#define TOOLRL_AVX2 __attribute__((target("avx2,fma")))

namespace toolrl::simd {

// Lane mask with the first min(max(rem, 0), 8) lanes set, for loads/stores of a tail.
TOOLRL_AVX2 inline __m256i mask8(int64_t rem) {
  alignas(32) static const int32_t bits[16] = {-1, -1, -1, -1, -1, -1, -1, -1, 0, 0, 0, 0, 0, 0, 0, 0};
  return _mm256_loadu_si256(reinterpret_cast<const __m256i*>(bits + 8 - std::clamp<int64_t>(rem, 0, 8)));
}

TOOLRL_AVX2 inline float hsum(__m256 v) {
  __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
  s = _mm_add_ps(s, _mm_movehl_ps(s, s));
  s = _mm_add_ss(s, _mm_movehdup_ps(s));
  return _mm_cvtss_f32(s);
}

TOOLRL_AVX2 inline float hmax(__m256 v) {
  __m128 m = _mm_max_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
  m = _mm_max_ps(m, _mm_movehl_ps(m, m));
  m = _mm_max_ss(m, _mm_movehdup_ps(m));
  return _mm_cvtss_f32(m);
}

// [sum(a), sum(b), sum(c), sum(d)]: three hadds and one 128-bit add.
TOOLRL_AVX2 inline __m128 hsum4(__m256 a, __m256 b, __m256 c, __m256 d) {
  const __m256 abcd = _mm256_hadd_ps(_mm256_hadd_ps(a, b), _mm256_hadd_ps(c, d));  // a0-3 b0-3 c0-3 d0-3 | a4-7 ..
  return _mm_add_ps(_mm256_castps256_ps128(abcd), _mm256_extractf128_ps(abcd, 1));
}

// e^x, Cephes expf's method: x = n ln2 + r with |r| <= ln2/2 (ln2 split in two constants so that
// n ln2 is exact), e^r by its degree-6 polynomial, times 2^n built in the exponent bits. Max
// relative error ~2 ulp on the clamped range [ln(FLT_MIN), 88] ~ [-87.34, 88], where n stays in
// [-126, 127] (a normal exponent): below it returns ~FLT_MIN (-inf included: ~1e-38, i.e. 0 next
// to a softmax's max term of 1), above it e^88 ~ 1.7e38. NaN inputs are not propagated.
TOOLRL_AVX2 inline __m256 exp(__m256 x) {
  x = _mm256_min_ps(_mm256_max_ps(x, _mm256_set1_ps(-87.33654f)), _mm256_set1_ps(88.f));
  const __m256 n = _mm256_floor_ps(_mm256_fmadd_ps(x, _mm256_set1_ps(1.44269504088896341f), _mm256_set1_ps(0.5f)));
  __m256 r = _mm256_fnmadd_ps(n, _mm256_set1_ps(0.693359375f), x);
  r = _mm256_fnmadd_ps(n, _mm256_set1_ps(-2.12194440e-4f), r);
  __m256 p = _mm256_set1_ps(1.9875691500e-4f);
  p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(1.3981999507e-3f));
  p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(8.3334519073e-3f));
  p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(4.1665795894e-2f));
  p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(1.6666665459e-1f));
  p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(5.0000001201e-1f));
  p = _mm256_fmadd_ps(p, _mm256_mul_ps(r, r), _mm256_add_ps(r, _mm256_set1_ps(1.f)));
  const __m256i e = _mm256_slli_epi32(_mm256_add_epi32(_mm256_cvtps_epi32(n), _mm256_set1_epi32(127)), 23);
  return _mm256_mul_ps(p, _mm256_castsi256_ps(e));
}

}  // namespace toolrl::simd

#endif  // x86
