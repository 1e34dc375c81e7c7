// native/kernels/decode_ops.cc — see decode_ops.h. Single-threaded (a decode step's rows are a
// few thousand elements: one pass costs about what waking a second thread would); AVX2 for the
// two ops that touch every hidden/FFN element, scalar for rope (B * (NH + 2 NKV) * D elements).
#include "kernels/decode_ops.h"

#include <c10/util/Exception.h>

#include <cmath>
#include <cstring>
#include <initializer_list>

#include "kernels/cpu_isa.h"    // kernel_isa
#include "kernels/simd_math.h"  // simd::exp, simd::hsum, simd::mask8

namespace toolrl {

namespace {

void check_float(const at::Tensor& t, const char* what) {
  TORCH_CHECK_TYPE(t.scalar_type() == at::kFloat, what, " must be float32, got ", t.scalar_type());
}

// ---- scalar

void rms_rows_scalar(const float* x, const float* w, float* y, int64_t R, int64_t H, float eps) {
  for (int64_t r = 0; r < R; ++r) {
    const float* xr = x + r * H;
    float s0 = 0.f, s1 = 0.f;
    int64_t i = 0;
    for (; i + 2 <= H; i += 2) {
      s0 += xr[i] * xr[i];
      s1 += xr[i + 1] * xr[i + 1];
    }
    if (i < H) s0 += xr[i] * xr[i];
    const float inv = 1.f / std::sqrt((s0 + s1) / static_cast<float>(H) + eps);
    for (int64_t j = 0; j < H; ++j) y[r * H + j] = xr[j] * inv * w[j];
  }
}

void silu_mul_scalar(const float* g, const float* u, float* y, int64_t n) {
  for (int64_t i = 0; i < n; ++i) y[i] = g[i] / (1.f + std::exp(-g[i])) * u[i];
}

#if defined(__x86_64__) || defined(__i386__)
// ---- AVX2

TOOLRL_AVX2 void rms_rows_avx2(const float* x, const float* w, float* y, int64_t R, int64_t H, float eps) {
  const int64_t hv = H - H % 8;
  const __m256i mt = simd::mask8(H % 8);
  for (int64_t r = 0; r < R; ++r) {
    const float* xr = x + r * H;
    float* yr = y + r * H;
    __m256 a0 = _mm256_setzero_ps(), a1 = a0;
    int64_t i = 0;
    for (; i + 16 <= hv; i += 16) {
      const __m256 v0 = _mm256_loadu_ps(xr + i), v1 = _mm256_loadu_ps(xr + i + 8);
      a0 = _mm256_fmadd_ps(v0, v0, a0);
      a1 = _mm256_fmadd_ps(v1, v1, a1);
    }
    for (; i < hv; i += 8) {
      const __m256 v = _mm256_loadu_ps(xr + i);
      a0 = _mm256_fmadd_ps(v, v, a0);
    }
    if (hv < H) {
      const __m256 v = _mm256_maskload_ps(xr + hv, mt);
      a1 = _mm256_fmadd_ps(v, v, a1);
    }
    const float inv = 1.f / std::sqrt(simd::hsum(_mm256_add_ps(a0, a1)) / static_cast<float>(H) + eps);
    const __m256 iv = _mm256_set1_ps(inv);
    for (i = 0; i < hv; i += 8)
      _mm256_storeu_ps(yr + i, _mm256_mul_ps(_mm256_mul_ps(_mm256_loadu_ps(xr + i), iv), _mm256_loadu_ps(w + i)));
    for (i = hv; i < H; ++i) yr[i] = xr[i] * inv * w[i];
  }
}

TOOLRL_AVX2 void silu_mul_avx2(const float* g, const float* u, float* y, int64_t n) {
  const __m256 one = _mm256_set1_ps(1.f);
  int64_t i = 0;
  for (; i + 8 <= n; i += 8) {
    const __m256 gv = _mm256_loadu_ps(g + i);
    const __m256 sig = _mm256_div_ps(gv, _mm256_add_ps(one, simd::exp(_mm256_sub_ps(_mm256_setzero_ps(), gv))));
    _mm256_storeu_ps(y + i, _mm256_mul_ps(sig, _mm256_loadu_ps(u + i)));
  }
  silu_mul_scalar(g + i, u + i, y + i, n - i);
}
#endif

}  // namespace

at::Tensor rms_norm_rows(const at::Tensor& x, const at::Tensor& w, double eps) {
  check_float(x, "rms_norm_rows x");
  check_float(w, "rms_norm_rows w");
  const int64_t H = x.size(-1);
  TORCH_CHECK_VALUE(w.dim() == 1 && w.size(0) == H, "rms_norm_rows: w must be (", H, "), got ", w.sizes());
  const auto xc = x.contiguous(), wc = w.contiguous();
  auto y = at::empty_like(xc);
  const int64_t R = H > 0 ? xc.numel() / H : 0;
#if defined(__x86_64__) || defined(__i386__)
  if (kernel_isa() >= KernelIsa::kAvx2) {
    rms_rows_avx2(xc.data_ptr<float>(), wc.data_ptr<float>(), y.data_ptr<float>(), R, H, static_cast<float>(eps));
    return y;
  }
#endif
  rms_rows_scalar(xc.data_ptr<float>(), wc.data_ptr<float>(), y.data_ptr<float>(), R, H, static_cast<float>(eps));
  return y;
}

at::Tensor silu_mul(const at::Tensor& gate, const at::Tensor& up) {
  check_float(gate, "silu_mul gate");
  check_float(up, "silu_mul up");
  TORCH_CHECK_VALUE(gate.sizes() == up.sizes(), "silu_mul: gate ", gate.sizes(), " and up ", up.sizes(), " differ");
  const auto g = gate.contiguous(), u = up.contiguous();
  auto y = at::empty_like(g);
#if defined(__x86_64__) || defined(__i386__)
  if (kernel_isa() >= KernelIsa::kAvx2) {
    silu_mul_avx2(g.data_ptr<float>(), u.data_ptr<float>(), y.data_ptr<float>(), g.numel());
    return y;
  }
#endif
  silu_mul_scalar(g.data_ptr<float>(), u.data_ptr<float>(), y.data_ptr<float>(), g.numel());
  return y;
}

at::Tensor rope_qkv_to_cache(const at::Tensor& q, const at::Tensor& k, const at::Tensor& v, const at::Tensor& cos,
                             const at::Tensor& sin, at::Tensor& k_cache, at::Tensor& v_cache, int64_t slot) {
  for (const at::Tensor* t : std::initializer_list<const at::Tensor*>{&q, &k, &v, &cos, &sin, &k_cache, &v_cache})
    check_float(*t, "rope_qkv_to_cache input");
  TORCH_CHECK_VALUE(k_cache.dim() == 4 && k_cache.sizes() == v_cache.sizes() && k_cache.is_contiguous() &&
                        v_cache.is_contiguous(),
                    "rope_qkv_to_cache: contiguous (B, NKV, S_max, D) caches expected, got ", k_cache.sizes());
  const int64_t B = k_cache.size(0), NKV = k_cache.size(1), S_max = k_cache.size(2), D = k_cache.size(3);
  TORCH_CHECK_VALUE(D % 2 == 0 && q.dim() == 2 && q.size(0) == B && q.size(1) % D == 0 && k.sizes() == v.sizes() &&
                        k.dim() == 2 && k.size(0) == B && k.size(1) == NKV * D && cos.numel() == B * D &&
                        sin.numel() == B * D && slot >= 0 && slot < S_max,
                    "rope_qkv_to_cache: shapes q ", q.sizes(), ", k ", k.sizes(), ", v ", v.sizes(), ", cos ",
                    cos.sizes(), " do not fit the cache ", k_cache.sizes(), " at slot ", slot);
  const int64_t NH = q.size(1) / D, half = D / 2;
  const auto qc = q.contiguous(), kc = k.contiguous(), vc = v.contiguous();
  const auto cc = cos.contiguous(), sc = sin.contiguous();
  auto q_out = at::empty({B, NH, D}, q.options());
  const float *qp = qc.data_ptr<float>(), *kp = kc.data_ptr<float>(), *vp = vc.data_ptr<float>();
  const float *cp = cc.data_ptr<float>(), *sp = sc.data_ptr<float>();
  float *qo = q_out.data_ptr<float>(), *kco = k_cache.data_ptr<float>(), *vco = v_cache.data_ptr<float>();
  // x' = x cos + rotate_half(x) sin, rotate_half([a, b]) = [-b, a] (rope.h).
  auto rotate = [&](const float* x, const float* c, const float* s, float* out) {
    for (int64_t d = 0; d < half; ++d) out[d] = x[d] * c[d] + (-x[d + half]) * s[d];
    for (int64_t d = half; d < D; ++d) out[d] = x[d] * c[d] + x[d - half] * s[d];
  };
  for (int64_t b = 0; b < B; ++b) {
    const float *c = cp + b * D, *s = sp + b * D;
    for (int64_t h = 0; h < NH; ++h) rotate(qp + (b * NH + h) * D, c, s, qo + (b * NH + h) * D);
    for (int64_t h = 0; h < NKV; ++h) {
      const int64_t dst = ((b * NKV + h) * S_max + slot) * D;
      rotate(kp + (b * NKV + h) * D, c, s, kco + dst);
      std::memcpy(vco + dst, vp + (b * NKV + h) * D, D * sizeof(float));
    }
  }
  return q_out;
}

}  // namespace toolrl
