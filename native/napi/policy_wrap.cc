// native/napi/policy_wrap.cc — see policy_wrap.h.
#include "napi/policy_wrap.h"

#include <cmath>

#include "io/tensor_io.h"
#include "model/score.h"
#include "napi/convert.h"
#include "napi/errors.h"
#include "napi/worker.h"
#include "rollout/generate.h"
#include "rollout/generate_ref.h"
#include "train/trainer.h"

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
                         InstanceMethod("trainStep", &PolicyWrap::TrainStep),
                         InstanceMethod("saveOptimizer", &PolicyWrap::SaveOptimizer),
                         InstanceMethod("loadOptimizer", &PolicyWrap::LoadOptimizer),
                         InstanceMethod("optimizerSteps", &PolicyWrap::OptimizerSteps),
                         InstanceMethod("initOptimizer", &PolicyWrap::InitOptimizer),
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
    auto specs = tensor_specs_from_js(info[0]);
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

// logprobs(ids: Int32Array, offsets: Int32Array, starts: Int32Array, {sharePrompts}) -> Promise<Float32Array>
Napi::Value PolicyWrap::Logprobs(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return guarded(env, [&]() -> Napi::Value {
    auto seqs = std::make_shared<RaggedIds>(ragged_from_js(info[0], info[1], "sequences"));
    auto starts32 = int32_vector(info[2], "starts");
    std::vector<int64_t> starts(starts32.begin(), starts32.end());
    if (!info[3].IsObject()) throw Napi::TypeError::New(env, "logprobs: expected an options object");
    const bool share = get_bool(info[3].As<Napi::Object>(), "sharePrompts");
    begin(env);
    auto model = model_;
    auto out = std::make_shared<std::vector<float>>();
    return TorchWorker::Start(
        env, [model, seqs, starts, share, out] { *out = sequence_logprobs(*model, *seqs, starts, share); },
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
    // impl "reference": the eager concat-cache loop that benchmarks compare against.
    const bool reference = o.Has("impl") && o.Get("impl").IsString() && o.Get("impl").As<Napi::String>().Utf8Value() == "reference";
    begin(env);
    auto model = model_;
    auto out = std::make_shared<GenerateResult>();
    return TorchWorker::Start(
        env,
        [model, prompts, opts, out, reference] {
          *out = reference ? generate_reference(*model, *prompts, opts) : generate(*model, *prompts, opts);
        },
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

std::shared_ptr<AdamW> PolicyWrap::optimizer() {
  if (!optimizer_) {
    model_->set_requires_grad(true);
    optimizer_ = std::make_shared<AdamW>(model_->named_parameters());
  }
  return optimizer_;
}

// trainStep(kind 'grpo'|'sft', ids, offsets, promptLens: Int32Array, advantages: Float32Array,
//           oldLogp: Float32Array|null, refLogp: Float32Array|null, opts) -> Promise<metrics>
Napi::Value PolicyWrap::TrainStep(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return guarded(env, [&]() -> Napi::Value {
    if (!info[0].IsString()) throw Napi::TypeError::New(env, "kind must be 'grpo' or 'sft'");
    const std::string kind = info[0].As<Napi::String>().Utf8Value();
    if (kind != "grpo" && kind != "sft") throw Napi::RangeError::New(env, "kind must be 'grpo' or 'sft'");
    auto batch = std::make_shared<TrainBatch>();
    batch->seqs = ragged_from_js(info[1], info[2], "sequences");
    auto pl = int32_vector(info[3], "promptLengths");
    batch->prompt_lens.assign(pl.begin(), pl.end());
    batch->advantages = float32_vector(info[4], "advantages", true);
    batch->old_logp = float32_vector(info[5], "oldLogprobs", true);
    batch->ref_logp = float32_vector(info[6], "refLogprobs", true);
    if (!info[7].IsObject()) throw Napi::TypeError::New(env, "train options must be an object");
    auto o = info[7].As<Napi::Object>();
    StepOptions so;
    so.grpo = kind == "grpo";
    so.fused = get_string(o, "impl") != "reference";
    so.loss.eps_low = get_number(o, "epsLow");
    so.loss.eps_high = get_number(o, "epsHigh");
    so.loss.beta = get_number(o, "beta");
    so.loss.entropy_coef = get_number(o, "entropyCoef");
    so.loss.chunk_rows = get_int(o, "chunkRows");
    so.aggregation = parse_aggregation(get_string(o, "aggregation"));
    so.max_completion_len = get_int(o, "maxCompletionLength");
    so.micro_batch = get_int(o, "microBatchSize");
    so.share_prompts = get_bool(o, "sharePrompts");
    so.adamw.lr = get_number(o, "lr");
    so.adamw.beta1 = get_number(o, "beta1");
    so.adamw.beta2 = get_number(o, "beta2");
    so.adamw.eps = get_number(o, "eps");
    so.adamw.weight_decay = get_number(o, "weightDecay");
    so.max_grad_norm = get_number(o, "maxGradNorm");
    so.release_memory = get_bool(o, "releaseMemory");
    check_batch(*batch, so, model_->config().vocab_size);  // bad input rejects before queueing
    begin(env);
    auto model = model_;
    auto opt = optimizer();
    auto out = std::make_shared<StepMetrics>();
    return TorchWorker::Start(
        env, [model, opt, batch, so, out] { *out = train_step(*model, *opt, *batch, so); },
        [out](Napi::Env e) -> Napi::Value {
          auto r = Napi::Object::New(e);
          r.Set("loss", out->loss);
          r.Set("kl", out->kl);
          r.Set("entropy", out->entropy);
          r.Set("clipFraction", out->clip_fraction);
          r.Set("gradNorm", out->grad_norm);
          r.Set("tokens", Napi::Number::New(e, static_cast<double>(out->tokens)));
          r.Set("skipped", out->skipped);
          if (out->skipped) r.Set("skipReason", out->skip_reason);
          return r;
        },
        finisher());
  });
}

// saveOptimizer(path) -> Promise<void>: AdamW moments as safetensors, the step in __metadata__.
Napi::Value PolicyWrap::SaveOptimizer(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return guarded(env, [&]() -> Napi::Value {
    if (!info[0].IsString()) throw Napi::TypeError::New(env, "path must be a string");
    std::string path = info[0].As<Napi::String>().Utf8Value();
    begin(env);
    auto opt = optimizer();
    return TorchWorker::Start(
        env,
        [opt, path] { save_named_tensors(path, opt->state(), "F32", {{"optimizer", "adamw"}, {"step", std::to_string(opt->steps())}}); },
        [](Napi::Env e) { return e.Undefined(); }, finisher());
  });
}

// loadOptimizer(specs, step) -> Promise<void>
Napi::Value PolicyWrap::LoadOptimizer(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return guarded(env, [&]() -> Napi::Value {
    auto specs = tensor_specs_from_js(info[0]);
    if (!info[1].IsNumber()) throw Napi::TypeError::New(env, "step must be a number");
    const int64_t step = info[1].As<Napi::Number>().Int64Value();
    begin(env);
    auto opt = optimizer();
    return TorchWorker::Start(
        env, [opt, specs, step] { opt->set_state(read_tensors(specs), step); }, [](Napi::Env e) { return e.Undefined(); },
        finisher());
  });
}

Napi::Value PolicyWrap::InitOptimizer(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return guarded(env, [&]() -> Napi::Value {
    if (!model_) throw Napi::Error::New(env, "Policy has been disposed; create or load a new one");
    if (busy_) throw Napi::Error::New(env, "Policy is busy with another operation (await it first)");
    optimizer();
    return env.Undefined();
  });
}

Napi::Value PolicyWrap::OptimizerSteps(const Napi::CallbackInfo& info) {
  if (!model_) throw Napi::Error::New(info.Env(), "Policy has been disposed; create or load a new one");
  return Napi::Number::New(info.Env(), optimizer_ ? static_cast<double>(optimizer_->steps()) : 0.0);
}

Napi::Value PolicyWrap::Dispose(const Napi::CallbackInfo& info) {
  if (busy_) throw Napi::Error::New(info.Env(), "Policy is busy; await the running operation before dispose()");
  optimizer_.reset();
  model_.reset();
  return info.Env().Undefined();
}

}  // namespace toolrl
