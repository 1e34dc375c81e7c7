// native/napi/runtime_api.h — module-level functions: threads, BLAS detection, matmul GFLOP/s.
#pragma once
#include <napi.h>

namespace toolrl {
void register_runtime_api(Napi::Env env, Napi::Object exports);
}  // namespace toolrl
