// native/runtime/threads.h — the two thread pools that decide CPU speed, and BLAS detection.
// ATen's intra-op pool (at::set_num_threads) runs element-wise ops and attention; matrix
// products go to the BLAS library behind libblas.so.3, whose pool ATen does not control. On
// Debian that is OpenBLAS (libopenblas0-pthread) when installed, else the reference BLAS, which is
// ~35x slower (measured: 4-5 vs 136-176 GFLOP/s for a 1024^3 sgemm on 2 cores).
#pragma once
#include <cstdint>
#include <string>

namespace toolrl {

struct BlasInfo {
  bool openblas = false;   // openblas_get_config found in the process
  std::string config;      // OpenBLAS's own config string, or a description
  int blas_threads = -1;   // OpenBLAS pool size, -1 when unknown
};

BlasInfo blas_info();
// aten <= 0 or blas <= 0 leaves that pool unchanged. blas also sets matmul_threads().
void set_threads(int aten, int blas);
int aten_threads();
// Threads for toolrl's own matrix kernels (native/kernels: skinny_linear, decode_attention),
// which stand in for BLAS on small-M products and so follow the BLAS setting: the last
// set_threads(_, blas > 0), else OpenBLAS's pool size when OpenBLAS is loaded (it honours
// OPENBLAS_NUM_THREADS), else std::thread::hardware_concurrency().
int matmul_threads();
// glibc gives every thread its own malloc arena, and each keeps its high-water mark: with the
// libuv pool running successive steps on different threads, peak RSS multiplied by the number of
// threads that ever trained (measured: 3.5 GB vs 1.8 GB for one tiny GRPO step). Caps the arenas
// (TOOLRL_MALLOC_ARENAS, default 2). Called once at addon load.
void configure_allocator();
// Returns freed heap memory to the OS (after a training step's large activations are released).
void release_memory();

// GFLOP/s of an n x n x n float32 matmul, median of `iters` timed runs after one warm-up.
double matmul_gflops(int64_t n, int iters);

}  // namespace toolrl
