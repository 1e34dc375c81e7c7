// native/napi/runtime_api.cc — see runtime_api.h.
#include "napi/runtime_api.h"

#include <torch/version.h>

#include "napi/errors.h"
#include "napi/worker.h"
#include "runtime/threads.h"

namespace toolrl {

namespace {

// setThreads(aten, blas): values <= 0 leave that pool unchanged.
Napi::Value SetThreads(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!info[0].IsNumber() || !info[1].IsNumber()) throw Napi::TypeError::New(env, "expected (aten, blas) numbers");
  set_threads(info[0].As<Napi::Number>().Int32Value(), info[1].As<Napi::Number>().Int32Value());
  return env.Undefined();
}

// runtimeInfo() -> {torchVersion, atenThreads, blasThreads, openblas, blasConfig}
Napi::Value RuntimeInfo(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  auto b = blas_info();
  auto o = Napi::Object::New(env);
  o.Set("torchVersion", std::to_string(TORCH_VERSION_MAJOR) + "." + std::to_string(TORCH_VERSION_MINOR) + "." +
                            std::to_string(TORCH_VERSION_PATCH));
  o.Set("atenThreads", aten_threads());
  o.Set("blasThreads", b.blas_threads);
  o.Set("openblas", b.openblas);
  o.Set("blasConfig", b.config);
  return o;
}

// matmulGflops(n, iters) -> Promise<number>
Napi::Value MatmulGflops(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return guarded(env, [&]() -> Napi::Value {
    if (!info[0].IsNumber() || !info[1].IsNumber()) throw Napi::TypeError::New(env, "expected (n, iters) numbers");
    const int64_t n = info[0].As<Napi::Number>().Int64Value();
    const int iters = info[1].As<Napi::Number>().Int32Value();
    if (n < 1 || iters < 1) throw Napi::RangeError::New(env, "n and iters must be >= 1");
    auto out = std::make_shared<double>(0);
    return TorchWorker::Start(
        env, [n, iters, out] { *out = matmul_gflops(n, iters); },
        [out](Napi::Env e) -> Napi::Value { return Napi::Number::New(e, *out); });
  });
}

}  // namespace

void register_runtime_api(Napi::Env env, Napi::Object exports) {
  exports.Set("setThreads", Napi::Function::New(env, SetThreads, "setThreads"));
  exports.Set("runtimeInfo", Napi::Function::New(env, RuntimeInfo, "runtimeInfo"));
  exports.Set("matmulGflops", Napi::Function::New(env, MatmulGflops, "matmulGflops"));
}

}  // namespace toolrl
