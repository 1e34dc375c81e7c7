// native/addon.cc — module registration only. Loaded by lib/native.ts (nowhere else).
#include <napi.h>

#include "napi/policy_wrap.h"
#include "napi/runtime_api.h"

namespace {
Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("NativePolicy", toolrl::PolicyWrap::Init(env));
  toolrl::register_runtime_api(env, exports);
  return exports;
}
}  // namespace

NODE_API_MODULE(toolrl_addon, Init)
