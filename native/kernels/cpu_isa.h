// native/kernels/cpu_isa.h — which x86 SIMD level the hand-written CPU kernels (skinny_linear,
// decode_attention) run at, and how many threads they use.
// The addon is compiled without -march flags so that it loads on any x86-64 CPU: each kernel has
// AVX-512 / AVX2+FMA variants compiled with __attribute__((target(...))) plus a portable scalar
// one, and picks one at run time with __builtin_cpu_supports (GCC/Clang function multiversioning
// by hand, as OpenBLAS's DYNAMIC_ARCH and PyTorch's ATen/native/cpu dispatch do). Tests force
// each level in turn (force_kernel_isa) so that all paths are checked on one machine.
#pragma once
#include <cstdint>

namespace toolrl {

enum class KernelIsa { kScalar = 0, kAvx2 = 1, kAvx512 = 2 };

// The best level this CPU supports (cached), lowered to the forced level if one is set.
KernelIsa kernel_isa();
// The best level this CPU supports, ignoring any forced level.
KernelIsa detected_kernel_isa();
// Forces a level for tests/benchmarks; a level above the CPU's is clamped down to it.
// Returns the level now in effect. force_kernel_isa(detected_kernel_isa()) undoes a force.
KernelIsa force_kernel_isa(KernelIsa isa);
const char* kernel_isa_name(KernelIsa isa);  // "scalar" | "avx2" | "avx512"
// "scalar"/"avx2"/"avx512" -> level; false when the name is unknown.
bool parse_kernel_isa(const char* name, KernelIsa* out);

// Threads for a kernel call of `work` multiply-adds split into `blocks` independent pieces:
// min(requested (<= 0: matmul_threads()), blocks, work / kMinWorkPerThread), at least 1.
int kernel_threads(int requested, int64_t work, int64_t blocks);
// 64k multiply-adds take ~1-2 us on one core; below that per thread, waking a pool worker
// (a futex wake-up when it sleeps) costs about as much as it saves.
constexpr int64_t kMinWorkPerThread = 1 << 16;

}  // namespace toolrl
