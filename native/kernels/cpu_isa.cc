// native/kernels/cpu_isa.cc — see cpu_isa.h.
#include "kernels/cpu_isa.h"

#include <algorithm>
#include <atomic>
#include <cstring>

#include "runtime/threads.h"  // matmul_threads

namespace toolrl {

namespace {
KernelIsa detect() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_cpu_init();
  // AVX-512 kernels use F only (no BW/DQ/VL), the AVX2 ones also need FMA3 (every AVX2 CPU but
  // a few VIA parts has it, yet they are separate CPUID bits).
  const bool avx2 = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
  if (avx2 && __builtin_cpu_supports("avx512f")) return KernelIsa::kAvx512;
  if (avx2) return KernelIsa::kAvx2;
#endif
  return KernelIsa::kScalar;
}

std::atomic<int> g_forced{-1};  // -1: none
}  // namespace

KernelIsa detected_kernel_isa() {
  static const KernelIsa isa = detect();
  return isa;
}

KernelIsa kernel_isa() {
  const int forced = g_forced.load(std::memory_order_relaxed);
  const KernelIsa best = detected_kernel_isa();
  if (forced < 0) return best;
  return static_cast<KernelIsa>(std::min(forced, static_cast<int>(best)));
}

KernelIsa force_kernel_isa(KernelIsa isa) {
  g_forced.store(isa == detected_kernel_isa() ? -1 : static_cast<int>(isa), std::memory_order_relaxed);
  return kernel_isa();
}

const char* kernel_isa_name(KernelIsa isa) {
  switch (isa) {
    case KernelIsa::kAvx512: return "avx512";
    case KernelIsa::kAvx2: return "avx2";
    default: return "scalar";
  }
}

bool parse_kernel_isa(const char* name, KernelIsa* out) {
  for (KernelIsa isa : {KernelIsa::kScalar, KernelIsa::kAvx2, KernelIsa::kAvx512})
    if (std::strcmp(name, kernel_isa_name(isa)) == 0) {
      *out = isa;
      return true;
    }
  return false;
}

int kernel_threads(int requested, int64_t work, int64_t blocks) {
  int64_t n = requested > 0 ? requested : matmul_threads();
  n = std::min(n, blocks);
  n = std::min(n, work / kMinWorkPerThread);
  return static_cast<int>(std::max<int64_t>(1, n));
}

}  // namespace toolrl
