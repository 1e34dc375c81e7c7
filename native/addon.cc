// native/addon.cc — module registration only. Loaded by lib/native.ts (nowhere else).
#include <napi.h>

#include "napi/kernels_api.h"
#include "napi/loss_api.h"
#include "napi/policy_wrap.h"
#include "napi/runtime_api.h"
#include "runtime/threads.h"

namespace {
Napi::Object Init(Napi::Env env, Napi::Object exports) {
  toolrl::configure_allocator();
  exports.Set("NativePolicy", toolrl::PolicyWrap::Init(env));
  toolrl::register_runtime_api(env, exports);
  toolrl::register_loss_api(env, exports);
  toolrl::register_kernels_api(env, exports);
  return exports;
}
}  // namespace

NODE_API_MODULE(toolrl_addon, Init)
