// native/napi/policy_wrap.cc — see policy_wrap.h.
#include "napi/policy_wrap.h"

#include <cmath>

#include "io/tensor_io.h"
#include "model/score.h"
#include "napi/convert.h"
#include "napi/errors.h"
#include "napi/worker.h"
#include "rollout/generate.h"

namespace toolrl {

Napi::Function PolicyWrap::Init(Napi::Env env) {
  return DefineClass(env, "NativePolicy",
                     {
                         InstanceMethod("numParameters", &PolicyWrap::NumParameters),
                         InstanceMethod("parameterInfo", &PolicyWrap::ParameterInfo),
                         InstanceMethod("loadTensors", &PolicyWrap::LoadTensors),
                         InstanceMethod("saveSafetensors", &PolicyWrap::SaveSafetensors),
                         InstanceMethod("logprobs", &PolicyWrap::Logprobs),
                         InstanceMethod("generate", &PolicyWrap::Generate),
                         InstanceMethod("dispose", &PolicyWrap::Dispose),
                     });
}

// new NativePolicy(config, seed)
PolicyWrap::PolicyWrap(const Napi::CallbackInfo& info) : Napi::ObjectWrap<PolicyWrap>(info) {
  Napi::Env env = info.Env();
  guarded(env, [&]() -> Napi::Value {
    auto cfg = model_config_from_js(info[0]);
    if (!info[1].IsNumber()) throw Napi::TypeError::New(env, "seed must be a number");
    const double seed = info[1].As<Napi::Number>().DoubleValue();
    model_ = std::make_shared<Qwen2Model>(cfg);
    model_->init_random(static_cast<uint64_t>(seed));
    return env.Undefined();
  });
}

void PolicyWrap::begin(Napi::Env env) {
  if (!model_) throw Napi::Error::New(env, "Policy has been disposed; create or load a new one");
  if (busy_) throw Napi::Error::New(env, "Policy is busy with another operation (await it first)");
  busy_ = true;
  Ref();
}

void PolicyWrap::end() {
  busy_ = false;
  Unref();
}

std::function<void()> PolicyWrap::finisher() {
  return [this] { end(); };
}

Napi::Value PolicyWrap::NumParameters(const Napi::CallbackInfo& info) {
  if (!model_) throw Napi::Error::New(info.Env(), "Policy has been disposed; create or load a new one");
  return Napi::Number::New(info.Env(), static_cast<double>(model_->num_parameters()));
}

Napi::Value PolicyWrap::ParameterInfo(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!model_) throw Napi::Error::New(env, "Policy has been disposed; create or load a new one");
  const auto& params = model_->named_parameters();
  auto arr = Napi::Array::New(env, params.size());
  for (size_t i = 0; i < params.size(); ++i) {
    auto o = Napi::Object::New(env);
    o.Set("name", params[i].first);
    auto shape = Napi::Array::New(env, params[i].second.dim());
    for (int64_t d = 0; d < params[i].second.dim(); ++d) shape.Set(d, Napi::Number::New(env, params[i].second.size(d)));
    o.Set("shape", shape);
    arr.Set(i, o);
  }
  return arr;
}

// loadTensors([{name, file, dtype, shape, begin, end}]) -> Promise<void>
Napi::Value PolicyWrap::LoadTensors(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return guarded(env, [&]() -> Napi::Value {
    if (!info[0].IsArray()) throw Napi::TypeError::New(env, "tensor specs must be an array");
    auto arr = info[0].As<Napi::Array>();
    std::vector<TensorSpec> specs(arr.Length());
    for (uint32_t i = 0; i < arr.Length(); ++i) {
      auto o = arr.Get(i).As<Napi::Object>();
      specs[i].name = get_string(o, "name");
      specs[i].file = get_string(o, "file");
      specs[i].dtype = get_string(o, "dtype");
      specs[i].begin = static_cast<uint64_t>(get_int(o, "begin"));
      specs[i].end = static_cast<uint64_t>(get_int(o, "end"));
      auto shape = o.Get("shape").As<Napi::Array>();
      for (uint32_t d = 0; d < shape.Length(); ++d)
        specs[i].shape.push_back(static_cast<int64_t>(shape.Get(d).As<Napi::Number>().Int64Value()));
    }
    begin(env);
    auto model = model_;
    return TorchWorker::Start(
        env, [model, specs] { load_tensors(*model, specs); }, [](Napi::Env e) { return e.Undefined(); }, finisher());
  });
}

// saveSafetensors(path, dtype) -> Promise<void>
Napi::Value PolicyWrap::SaveSafetensors(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return guarded(env, [&]() -> Napi::Value {
    if (!info[0].IsString() || !info[1].IsString()) throw Napi::TypeError::New(env, "expected (path, dtype) strings");
    std::string path = info[0].As<Napi::String>().Utf8Value();
    std::string dtype = info[1].As<Napi::String>().Utf8Value();
    begin(env);
    auto model = model_;
    return TorchWorker::Start(
        env, [model, path, dtype] { save_safetensors(*model, path, dtype); },
        [](Napi::Env e) { return e.Undefined(); }, finisher());
  });
}

// logprobs(ids: Int32Array, offsets: Int32Array, starts: Int32Array) -> Promise<Float32Array>
Napi::Value PolicyWrap::Logprobs(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return guarded(env, [&]() -> Napi::Value {
    auto seqs = std::make_shared<RaggedIds>(ragged_from_js(info[0], info[1], "sequences"));
    auto starts32 = int32_vector(info[2], "starts");
    std::vector<int64_t> starts(starts32.begin(), starts32.end());
    begin(env);
    auto model = model_;
    auto out = std::make_shared<std::vector<float>>();
    return TorchWorker::Start(
        env, [model, seqs, starts, out] { *out = sequence_logprobs(*model, *seqs, starts); },
        [out](Napi::Env e) -> Napi::Value { return to_float32_array(e, *out); }, finisher());
  });
}

// generate(ids, offsets, {n, maxNewTokens, temperature, topP, topK, seed, stopTokenIds: Int32Array,
//          batchSize, sharePrefix}) -> Promise<{ids: Int32Array, offsets: Int32Array,
//          logprobs: Float32Array, stopped: Uint8Array}> (flattened, prompt-major)
Napi::Value PolicyWrap::Generate(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return guarded(env, [&]() -> Napi::Value {
    auto prompts = std::make_shared<RaggedIds>(ragged_from_js(info[0], info[1], "prompts"));
    if (!info[2].IsObject()) throw Napi::TypeError::New(env, "generate options must be an object");
    auto o = info[2].As<Napi::Object>();
    GenerateOptions opts;
    opts.n = get_int(o, "n");
    opts.max_new_tokens = get_int(o, "maxNewTokens");
    opts.sampler.temperature = get_number(o, "temperature");
    opts.sampler.top_p = get_number(o, "topP");
    opts.sampler.top_k = get_int(o, "topK");
    opts.sampler.seed = static_cast<uint64_t>(get_number(o, "seed"));
    opts.stop_ids = int32_vector(o.Get("stopTokenIds"), "stopTokenIds");
    opts.batch_size = get_int(o, "batchSize");
    opts.share_prefix = get_bool(o, "sharePrefix");
    begin(env);
    auto model = model_;
    auto out = std::make_shared<GenerateResult>();
    return TorchWorker::Start(
        env, [model, prompts, opts, out] { *out = generate(*model, *prompts, opts); },
        [out](Napi::Env e) -> Napi::Value {
          std::vector<int32_t> ids, offsets{0};
          std::vector<float> lps;
          for (size_t i = 0; i < out->ids.size(); ++i) {
            ids.insert(ids.end(), out->ids[i].begin(), out->ids[i].end());
            lps.insert(lps.end(), out->logprobs[i].begin(), out->logprobs[i].end());
            offsets.push_back(static_cast<int32_t>(ids.size()));
          }
          auto stopped = Napi::Uint8Array::New(e, out->stopped.size());
          for (size_t i = 0; i < out->stopped.size(); ++i) stopped[i] = out->stopped[i] ? 1 : 0;
          auto r = Napi::Object::New(e);
          r.Set("ids", to_int32_array(e, ids));
          r.Set("offsets", to_int32_array(e, offsets));
          r.Set("logprobs", to_float32_array(e, lps));
          r.Set("stopped", stopped);
          return r;
        },
        finisher());
  });
}

Napi::Value PolicyWrap::Dispose(const Napi::CallbackInfo& info) {
  if (busy_) throw Napi::Error::New(info.Env(), "Policy is busy; await the running operation before dispose()");
  model_.reset();
  return info.Env().Undefined();
}

}  // namespace toolrl
