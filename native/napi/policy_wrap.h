// native/napi/policy_wrap.h — the `NativePolicy` class seen by lib/policy.ts (the only caller).
// One operation in flight per policy: a busy flag blocks re-entry (lib/policy.ts queues calls, so
// users never see it), and dispose() frees the tensors at once.
#pragma once
#include <napi.h>

#include <memory>

#include "model/qwen2.h"
#include "train/adamw.h"

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
  Napi::Value TrainStep(const Napi::CallbackInfo& info);
  Napi::Value SaveOptimizer(const Napi::CallbackInfo& info);
  Napi::Value LoadOptimizer(const Napi::CallbackInfo& info);
  Napi::Value OptimizerSteps(const Napi::CallbackInfo& info);
  Napi::Value InitOptimizer(const Napi::CallbackInfo& info);

  // The AdamW state, created on first use (parameters start requiring grad then).
  std::shared_ptr<AdamW> optimizer();

  // Throws a JS Error when disposed or busy; otherwise marks busy and keeps `this` alive.
  void begin(Napi::Env env);
  void end();
  std::function<void()> finisher();

  std::shared_ptr<Qwen2Model> model_;
  std::shared_ptr<AdamW> optimizer_;
  bool busy_ = false;
};

}  // namespace toolrl
