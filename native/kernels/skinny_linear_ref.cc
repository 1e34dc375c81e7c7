// native/kernels/skinny_linear_ref.cc — the reference for skinny_linear: plain at::linear (BLAS
// sgemm). Tests compare against it and benchmarks time it; it is what qwen2.cc runs for
// large M and whenever autograd is on.
#include "kernels/skinny_linear.h"

namespace toolrl {

at::Tensor skinny_linear_ref(const at::Tensor& x, const at::Tensor& w, const at::Tensor& b) {
  return at::linear(x, w, b);
}

}  // namespace toolrl
