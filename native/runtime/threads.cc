// native/runtime/threads.cc — see threads.h. OpenBLAS is reached through dlsym so that the
// addon neither links nor requires it: with another BLAS the calls are simply absent.
#include "runtime/threads.h"

#include <ATen/ATen.h>
#include <ATen/Parallel.h>
#include <c10/core/InferenceMode.h>
#include <dlfcn.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include <cstdlib>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

namespace toolrl {

namespace {
using GetConfigFn = char* (*)();
using SetThreadsFn = void (*)(int);
using GetThreadsFn = int (*)();

template <typename Fn>
Fn lookup(const char* name) {
  return reinterpret_cast<Fn>(dlsym(RTLD_DEFAULT, name));
}

std::atomic<int> g_matmul_threads{0};  // 0 = not set: follow BLAS / hardware (matmul_threads())
}  // namespace

BlasInfo blas_info() {
  BlasInfo info;
  if (auto get_config = lookup<GetConfigFn>("openblas_get_config")) {
    info.openblas = true;
    info.config = get_config();
    if (auto get_threads = lookup<GetThreadsFn>("openblas_get_num_threads")) info.blas_threads = get_threads();
  } else {
    info.config = "not OpenBLAS (reference or other BLAS behind libblas.so.3)";
  }
  return info;
}

void set_threads(int aten, int blas) {
  if (aten > 0) at::set_num_threads(aten);
  if (blas > 0) {
    g_matmul_threads.store(blas, std::memory_order_relaxed);
    if (auto set = lookup<SetThreadsFn>("openblas_set_num_threads")) set(blas);
    // goto_set_num_threads is the older alias some OpenBLAS builds export.
    else if (auto set2 = lookup<SetThreadsFn>("goto_set_num_threads")) set2(blas);
  }
}

int aten_threads() { return at::get_num_threads(); }

void configure_allocator() {
#if defined(__GLIBC__)
  int arenas = 2;
  if (const char* env = std::getenv("TOOLRL_MALLOC_ARENAS")) arenas = std::max(1, std::atoi(env));
  mallopt(M_ARENA_MAX, arenas);
#endif
}

void release_memory() {
#if defined(__GLIBC__)
  malloc_trim(0);
#endif
}

int matmul_threads() {
  if (const int n = g_matmul_threads.load(std::memory_order_relaxed); n > 0) return n;
  static const int fallback = [] {
    if (auto get_threads = lookup<GetThreadsFn>("openblas_get_num_threads"))
      if (const int n = get_threads(); n > 0) return n;
    return std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
  }();
  return fallback;
}

double matmul_gflops(int64_t n, int iters) {
  c10::InferenceMode guard;
  auto a = at::randn({n, n});
  auto b = at::randn({n, n});
  auto c = at::empty({n, n});
  at::mm_out(c, a, b);  // warm-up
  std::vector<double> secs;
  for (int i = 0; i < std::max(1, iters); ++i) {
    auto t0 = std::chrono::steady_clock::now();
    at::mm_out(c, a, b);
    secs.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  }
  std::sort(secs.begin(), secs.end());
  const double median = secs[secs.size() / 2];
  return 2.0 * static_cast<double>(n) * n * n / median / 1e9;
}

}  // namespace toolrl
