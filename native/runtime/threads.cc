// native/runtime/threads.cc — see threads.h. OpenBLAS is reached through dlsym so that the
// addon neither links nor requires it: with another BLAS the calls are simply absent.
#include "runtime/threads.h"

#include <ATen/ATen.h>
#include <ATen/Parallel.h>
#include <c10/core/InferenceMode.h>
#include <dlfcn.h>

#include <algorithm>
#include <chrono>
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
    if (auto set = lookup<SetThreadsFn>("openblas_set_num_threads")) set(blas);
    // goto_set_num_threads is the older alias some OpenBLAS builds export.
    else if (auto set2 = lookup<SetThreadsFn>("goto_set_num_threads")) set2(blas);
  }
}

int aten_threads() { return at::get_num_threads(); }

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
