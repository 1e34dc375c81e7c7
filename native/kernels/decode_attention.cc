// native/kernels/decode_attention.cc — see decode_attention.h for the math and why.
// Layout: [task description] [scalar passes] [AVX2+FMA passes with a vectorised exp] [driver].
// One task = (group of rows sharing a prefix, KV head kv); a row alone is a group of one. Its
// queries are the G heads kv*G .. kv*G+G-1 of every row in the group (contiguous in q per row).
// Keys come in segments: the shared prefix (leader's slots [start, end), every query) and each
// row's own slots [end, S) (that row's G queries). All queries of a group have the same key
// count L = S - start, so one (queries x L) scores buffer holds them; three passes over it:
// QK^T per segment, softmax per query, PV per segment.
#include "kernels/decode_attention.h"

#include <c10/util/Exception.h>
#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#endif

#include <algorithm>
#include <cmath>
#include <vector>

#include "kernels/cpu_isa.h"   // kernel_isa, kernel_threads
#include "kernels/parallel.h"  // parallel_for_chunks
#include "kernels/simd_math.h"  // simd::exp, hsum, hsum4, mask8

namespace toolrl {

namespace {

struct Segment {
  const float* k;  // (len, D) key rows
  const float* v;  // (len, D) value rows
  int64_t len;     // keys
  int64_t col;     // first column of these keys in the scores buffer
  int q_begin, q_end;  // the task's queries that attend to them
};

struct Task {
  std::vector<const float*> q;  // per query: (D) vector
  std::vector<float*> out;      // per query: (D) output
  std::vector<Segment> segs;
  int64_t L = 0, D = 0;         // keys per query, head dim
  float scale = 1.f;            // 1 / sqrt(D)
};

// Per-thread scores buffer (queries x L floats), grown on demand.
float* scratch(int64_t n) {
  thread_local std::vector<float> buf;
  if (static_cast<int64_t>(buf.size()) < n) buf.resize(static_cast<size_t>(n));
  return buf.data();
}

// ---------------------------------------------------------------------------------------------
// Scalar passes (any CPU).

void task_scalar(const Task& t) {
  const int64_t L = t.L, D = t.D, nq = static_cast<int64_t>(t.q.size());
  float* sc = scratch(nq * L);
  for (const Segment& sg : t.segs)
    for (int i = sg.q_begin; i < sg.q_end; ++i)
      for (int64_t s = 0; s < sg.len; ++s) {
        float acc = 0.f;
        for (int64_t d = 0; d < D; ++d) acc += t.q[i][d] * sg.k[s * D + d];
        sc[i * L + sg.col + s] = acc * t.scale;
      }
  std::vector<float> inv(nq);
  for (int64_t i = 0; i < nq; ++i) {
    float* row = sc + i * L;
    const float mx = *std::max_element(row, row + L);
    float sum = 0.f;
    for (int64_t s = 0; s < L; ++s) sum += (row[s] = std::exp(row[s] - mx));
    inv[i] = 1.f / sum;
    std::fill(t.out[i], t.out[i] + D, 0.f);
  }
  for (const Segment& sg : t.segs)
    for (int i = sg.q_begin; i < sg.q_end; ++i)
      for (int64_t s = 0; s < sg.len; ++s) {
        const float p = sc[i * L + sg.col + s];
        for (int64_t d = 0; d < D; ++d) t.out[i][d] += p * sg.v[s * D + d];
      }
  for (int64_t i = 0; i < nq; ++i)
    for (int64_t d = 0; d < D; ++d) t.out[i][d] *= inv[i];
}

#if defined(__x86_64__) || defined(__i386__)
using simd::hsum;
using simd::hsum4;
using simd::mask8;

// The cache is cold when decode reads it (each step reads it once, and ~100 MB of weights pass
// between two layers' reads), so key rows are prefetched ~16 KB ahead into L2, and each block's
// value rows are prefetched into L2 during QK^T so that the D-chunked PV pass reads them from L2
// instead of strided from DRAM. Measured on the small config's step (cold, 1 thread): 0.68 ms
// with 4 KB-ahead L1 prefetch, 0.44 ms with 8-32 KB-ahead L2 prefetch.
constexpr int64_t kPrefetchBytes = 16384;

inline void prefetch_l2(const float* p, int64_t n) {  // the cache lines of n contiguous floats
  const char* c = reinterpret_cast<const char*>(p);
  for (int64_t off = 0; off < n * static_cast<int64_t>(sizeof(float)); off += 64) _mm_prefetch(c + off, _MM_HINT_T1);
}

// scores[i, col + s] = q_i . k_s * scale for the segment's queries, 4 keys at a time (4
// independent FMA chains, one hadd reduction); the 4 key rows stay in L1 while every query of the
// segment uses them (n * G queries for a shared prefix).
TOOLRL_AVX2 void qk_avx2(const Task& t, const Segment& sg, float* sc) {
  const int64_t D = t.D, L = t.L;
  const int64_t ahead = std::max<int64_t>(4, kPrefetchBytes / (D * static_cast<int64_t>(sizeof(float))));
  const __m256i mt = mask8(D % 8);
  const int64_t dv = D - D % 8;  // full vectors
  int64_t s = 0;
  for (; s + 4 <= sg.len; s += 4) {
    const float* kr = sg.k + s * D;
    if (s + ahead + 4 <= sg.len) prefetch_l2(kr + ahead * D, 4 * D);
    prefetch_l2(sg.v + s * D, 4 * D);
    for (int i = sg.q_begin; i < sg.q_end; ++i) {
      const float* qi = t.q[i];
      __m256 a0 = _mm256_setzero_ps(), a1 = a0, a2 = a0, a3 = a0;
      for (int64_t d = 0; d < dv; d += 8) {
        const __m256 qv = _mm256_loadu_ps(qi + d);
        a0 = _mm256_fmadd_ps(qv, _mm256_loadu_ps(kr + d), a0);
        a1 = _mm256_fmadd_ps(qv, _mm256_loadu_ps(kr + D + d), a1);
        a2 = _mm256_fmadd_ps(qv, _mm256_loadu_ps(kr + 2 * D + d), a2);
        a3 = _mm256_fmadd_ps(qv, _mm256_loadu_ps(kr + 3 * D + d), a3);
      }
      if (dv < D) {
        const __m256 qv = _mm256_maskload_ps(qi + dv, mt);
        a0 = _mm256_fmadd_ps(qv, _mm256_maskload_ps(kr + dv, mt), a0);
        a1 = _mm256_fmadd_ps(qv, _mm256_maskload_ps(kr + D + dv, mt), a1);
        a2 = _mm256_fmadd_ps(qv, _mm256_maskload_ps(kr + 2 * D + dv, mt), a2);
        a3 = _mm256_fmadd_ps(qv, _mm256_maskload_ps(kr + 3 * D + dv, mt), a3);
      }
      _mm_storeu_ps(sc + i * L + sg.col + s, _mm_mul_ps(hsum4(a0, a1, a2, a3), _mm_set1_ps(t.scale)));
    }
  }
  for (; s < sg.len; ++s) {
    const float* kr = sg.k + s * D;
    for (int i = sg.q_begin; i < sg.q_end; ++i) {
      const float* qi = t.q[i];
      __m256 a = _mm256_setzero_ps();
      for (int64_t d = 0; d < dv; d += 8) a = _mm256_fmadd_ps(_mm256_loadu_ps(qi + d), _mm256_loadu_ps(kr + d), a);
      if (dv < D) a = _mm256_fmadd_ps(_mm256_maskload_ps(qi + dv, mt), _mm256_maskload_ps(kr + dv, mt), a);
      sc[i * L + sg.col + s] = hsum(a) * t.scale;
    }
  }
}

// In place: row <- exp(row - max(row)); returns 1 / sum.
TOOLRL_AVX2 float softmax_numerators_avx2(float* row, int64_t L) {
  __m256 mv = _mm256_set1_ps(-INFINITY);
  int64_t i = 0;
  for (; i + 8 <= L; i += 8) mv = _mm256_max_ps(mv, _mm256_loadu_ps(row + i));
  float mx = simd::hmax(mv);
  for (; i < L; ++i) mx = std::max(mx, row[i]);
  const __m256 mb = _mm256_set1_ps(mx);
  __m256 sum = _mm256_setzero_ps();
  for (i = 0; i + 8 <= L; i += 8) {
    const __m256 p = simd::exp(_mm256_sub_ps(_mm256_loadu_ps(row + i), mb));
    _mm256_storeu_ps(row + i, p);
    sum = _mm256_add_ps(sum, p);
  }
  if (i < L) {
    const __m256i m = mask8(L - i);
    // masked-off lanes load 0 -> exp(0 - mx) != 0, so zero them again before summing
    const __m256 p =
        _mm256_and_ps(simd::exp(_mm256_sub_ps(_mm256_maskload_ps(row + i, m), mb)), _mm256_castsi256_ps(m));
    _mm256_maskstore_ps(row + i, m, p);
    sum = _mm256_add_ps(sum, p);
  }
  return 1.f / hsum(sum);
}

// out_i += sum_s p[i, col + s] v_s for the segment's queries: D in chunks of 16 floats (2 ymm,
// masked at the tail), queries 4 at a time -> 8 accumulators; each value row chunk is loaded
// once per 4 queries (from L2, prefetched by qk_avx2).
TOOLRL_AVX2 void pv_avx2(const Task& t, const Segment& sg, const float* sc) {
  const int64_t D = t.D, L = t.L;
  for (int64_t d = 0; d < D; d += 16) {
    const __m256i m0 = mask8(D - d), m1 = mask8(std::max<int64_t>(0, D - d - 8));
    const bool full = d + 16 <= D;
    for (int i0 = sg.q_begin; i0 < sg.q_end; i0 += 4) {
      const int n = std::min(4, sg.q_end - i0);
      __m256 acc[4][2];
      for (int j = 0; j < 4; ++j) acc[j][0] = acc[j][1] = _mm256_setzero_ps();
      const float* p0 = sc + i0 * L + sg.col;
      for (int64_t s = 0; s < sg.len; ++s) {
        const float* vr = sg.v + s * D + d;
        const __m256 va = full ? _mm256_loadu_ps(vr) : _mm256_maskload_ps(vr, m0);
        const __m256 vb = full ? _mm256_loadu_ps(vr + 8) : _mm256_maskload_ps(vr + 8, m1);
        if (n == 4) {  // GQA ratio 4 or 8, or a shared prefix: fully unrolled
#pragma GCC unroll 4
          for (int j = 0; j < 4; ++j) {
            const __m256 pb = _mm256_broadcast_ss(p0 + j * L + s);
            acc[j][0] = _mm256_fmadd_ps(pb, va, acc[j][0]);
            acc[j][1] = _mm256_fmadd_ps(pb, vb, acc[j][1]);
          }
        } else {
          for (int j = 0; j < n; ++j) {
            const __m256 pb = _mm256_broadcast_ss(p0 + j * L + s);
            acc[j][0] = _mm256_fmadd_ps(pb, va, acc[j][0]);
            acc[j][1] = _mm256_fmadd_ps(pb, vb, acc[j][1]);
          }
        }
      }
      for (int j = 0; j < n; ++j) {
        float* o = t.out[i0 + j] + d;
        if (full) {
          _mm256_storeu_ps(o, _mm256_add_ps(_mm256_loadu_ps(o), acc[j][0]));
          _mm256_storeu_ps(o + 8, _mm256_add_ps(_mm256_loadu_ps(o + 8), acc[j][1]));
        } else {
          _mm256_maskstore_ps(o, m0, _mm256_add_ps(_mm256_maskload_ps(o, m0), acc[j][0]));
          _mm256_maskstore_ps(o + 8, m1, _mm256_add_ps(_mm256_maskload_ps(o + 8, m1), acc[j][1]));
        }
      }
    }
  }
}

TOOLRL_AVX2 void task_avx2(const Task& t) {
  const int64_t nq = static_cast<int64_t>(t.q.size()), L = t.L, D = t.D;
  float* sc = scratch(nq * L);  // (queries, L)
  for (const Segment& sg : t.segs) qk_avx2(t, sg, sc);
  float inv_small[64];
  std::vector<float> inv_big;
  float* inv = nq <= 64 ? inv_small : (inv_big.resize(nq), inv_big.data());
  for (int64_t i = 0; i < nq; ++i) {
    inv[i] = softmax_numerators_avx2(sc + i * L, L);
    std::fill(t.out[i], t.out[i] + D, 0.f);
  }
  for (const Segment& sg : t.segs) pv_avx2(t, sg, sc);
  for (int64_t i = 0; i < nq; ++i) {
    const __m256 sv = _mm256_set1_ps(inv[i]);
    float* o = t.out[i];
    int64_t d = 0;
    for (; d + 8 <= D; d += 8) _mm256_storeu_ps(o + d, _mm256_mul_ps(_mm256_loadu_ps(o + d), sv));
    for (; d < D; ++d) o[d] *= inv[i];
  }
}
#endif  // x86

}  // namespace

// ---------------------------------------------------------------------------------------------
// Driver: checks, groups (one per leader row, or one per row), one task per (group, KV head).

at::Tensor decode_attention(const at::Tensor& q, const at::Tensor& k_cache, const at::Tensor& v_cache,
                            at::IntArrayRef starts, int64_t S, int threads, const SharedPrefix* shared) {
  TORCH_CHECK_TYPE(q.scalar_type() == at::kFloat && k_cache.scalar_type() == at::kFloat &&
                       v_cache.scalar_type() == at::kFloat,
                   "decode_attention takes float32 tensors");
  TORCH_CHECK_VALUE(q.dim() == 3 && k_cache.dim() == 4 && k_cache.sizes() == v_cache.sizes(),
                    "decode_attention: q (B, NH, D) and k/v caches (B, NKV, S_max, D) expected, got q ", q.sizes(),
                    ", k ", k_cache.sizes(), ", v ", v_cache.sizes());
  const int64_t B = q.size(0), NH = q.size(1), D = q.size(2);
  const int64_t NKV = k_cache.size(1), S_max = k_cache.size(2);
  TORCH_CHECK_VALUE(k_cache.size(0) == B && k_cache.size(3) == D && NKV > 0 && NH % NKV == 0,
                    "decode_attention: cache ", k_cache.sizes(), " does not match q ", q.sizes());
  TORCH_CHECK_VALUE(k_cache.is_contiguous() && v_cache.is_contiguous(),
                    "decode_attention: the KV cache must be contiguous (KVCache allocates it so)");
  TORCH_CHECK_VALUE(S >= 1 && S <= S_max, "decode_attention: S = ", S, " outside [1, ", S_max, "]");
  TORCH_CHECK_VALUE(static_cast<int64_t>(starts.size()) == B, "decode_attention: ", starts.size(), " starts for ", B,
                    " rows");
  for (int64_t b = 0; b < B; ++b)
    TORCH_CHECK_VALUE(starts[b] >= 0 && starts[b] < S, "decode_attention: row ", b, " start ", starts[b],
                      " outside [0, S = ", S, ")");
  // Groups: members of each leader, in row order. A row whose prefix is not shared leads itself.
  std::vector<int64_t> leader(B), end(B);
  for (int64_t b = 0; b < B; ++b) {
    leader[b] = b;
    end[b] = starts[b];
  }
  if (shared != nullptr) {
    TORCH_CHECK_VALUE(static_cast<int64_t>(shared->leader.size()) == B && static_cast<int64_t>(shared->end.size()) == B,
                      "decode_attention: shared prefix needs one leader and one end per row");
    for (int64_t b = 0; b < B; ++b) {
      const int64_t l = shared->leader[b], e = shared->end[b];
      TORCH_CHECK_VALUE(l >= 0 && l < B && shared->leader[l] == l && starts[l] == starts[b] && shared->end[l] == e &&
                            e >= starts[b] && e <= S,
                        "decode_attention: row ", b, " names leader ", l, " with end ", e,
                        ", but a leader must lead itself and share the row's start and end, with start <= end <= S");
      if (e > starts[b]) {
        leader[b] = l;
        end[b] = e;
      }
    }
  }
  std::vector<std::vector<int64_t>> groups;
  {
    std::vector<int64_t> group_of(B, -1);
    for (int64_t b = 0; b < B; ++b) {
      const int64_t l = leader[b];
      if (group_of[l] < 0) {
        group_of[l] = static_cast<int64_t>(groups.size());
        groups.emplace_back();
      }
      groups[group_of[l]].push_back(b);
    }
  }

  const int64_t G = NH / NKV;
  const auto qc = q.contiguous();
  auto out = at::empty({B, NH, D}, q.options());
  const float* qp = qc.data_ptr<float>();
  const float* kp = k_cache.data_ptr<float>();
  const float* vp = v_cache.data_ptr<float>();
  float* op = out.data_ptr<float>();
  const float scale = static_cast<float>(1.0 / std::sqrt(static_cast<double>(D)));
  const bool simd = kernel_isa() >= KernelIsa::kAvx2;
  (void)simd;  // only read on x86
  int64_t work = 0;
  for (int64_t b = 0; b < B; ++b) work += 2 * NH * (S - starts[b]) * D;
  const int64_t tasks = static_cast<int64_t>(groups.size()) * NKV;
  const int nt = kernel_threads(threads, work, tasks);

  auto run = [&](int64_t i) {
    const auto& rows = groups[i / NKV];
    const int64_t kv = i % NKV;
    const int64_t lead = leader[rows[0]], start = starts[lead], shared_end = end[lead];
    auto cache_row = [&](const float* base, int64_t b, int64_t slot) {  // &cache[b, kv, slot, 0]
      return base + ((b * NKV + kv) * S_max + slot) * D;
    };
    Task t;
    t.L = S - start;
    t.D = D;
    t.scale = scale;
    const int nq = static_cast<int>(rows.size() * G);
    t.q.resize(nq);
    t.out.resize(nq);
    for (size_t r = 0; r < rows.size(); ++r)
      for (int64_t g = 0; g < G; ++g) {
        t.q[r * G + g] = qp + (rows[r] * NH + kv * G + g) * D;
        t.out[r * G + g] = op + (rows[r] * NH + kv * G + g) * D;
      }
    if (shared_end > start)  // the prompt: the leader's slots, every query of the group
      t.segs.push_back({cache_row(kp, lead, start), cache_row(vp, lead, start), shared_end - start, 0, 0, nq});
    for (size_t r = 0; r < rows.size(); ++r)  // each row's own slots: its G queries
      if (S > shared_end)
        t.segs.push_back({cache_row(kp, rows[r], shared_end), cache_row(vp, rows[r], shared_end), S - shared_end,
                          shared_end - start, static_cast<int>(r * G), static_cast<int>((r + 1) * G)});
#if defined(__x86_64__) || defined(__i386__)
    if (simd) return task_avx2(t);
#endif
    task_scalar(t);
  };
  if (nt <= 1) {
    for (int64_t i = 0; i < tasks; ++i) run(i);
  } else {
    parallel_for_chunks(nt, tasks, run);
  }
  return out;
}

}  // namespace toolrl
