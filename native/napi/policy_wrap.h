// native/napi/policy_wrap.h — the `NativePolicy` class seen by lib/policy.ts (the only caller).
// One operation in flight per policy: a busy flag blocks re-entry (lib/policy.ts queues calls, so
// users never see it), and dispose() frees the tensors at once.
#pragma once
#include <napi.h>

#include <memory>

#include "model/qwen2.h"

namespace toolrl {

class PolicyWrap : public Napi::ObjectWrap<PolicyWrap> {
 public:
  static Napi::Function Init(Napi::Env env);
  explicit PolicyWrap(const Napi::CallbackInfo& info);

 private:
  Napi::Value NumParameters(const Napi::CallbackInfo& info);
  Napi::Value ParameterInfo(const Napi::CallbackInfo& info);
  Napi::Value LoadTensors(const Napi::CallbackInfo& info);
  Napi::Value SaveSafetensors(const Napi::CallbackInfo& info);
  Napi::Value Logprobs(const Napi::CallbackInfo& info);
  Napi::Value Generate(const Napi::CallbackInfo& info);
  Napi::Value Dispose(const Napi::CallbackInfo& info);

  // Throws a JS Error when disposed or busy; otherwise marks busy and keeps `this` alive.
  void begin(Napi::Env env);
  void end();
  std::function<void()> finisher();

  std::shared_ptr<Qwen2Model> model_;
  bool busy_ = false;
};

}  // namespace toolrl
