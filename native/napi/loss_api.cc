// native/napi/loss_api.cc — see loss_api.h. JS typed arrays are copied into tensors on the main
// thread (the baton rule, worker.h); forward + backward run on a pool thread.
#include "napi/loss_api.h"

#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>        // at::make_generator<at::CPUGeneratorImpl>
#include <torch/csrc/autograd/autograd.h>  // torch::autograd::backward

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "loss/aggregation.h"  // parse_aggregation, token_weights
#include "loss/grpo_loss.h"    // grpo_loss_fused, grpo_loss_reference
#include "loss/sft_loss.h"     // sft_loss_fused, sft_loss_reference
#include "napi/convert.h"      // get_number, get_int, get_bool
#include "napi/errors.h"       // guarded
#include "napi/worker.h"       // TorchWorker

namespace toolrl {

namespace {

// ---------------------------------------------------------------------------------------------
// JS -> tensors

at::Tensor float_tensor(const Napi::Value& v, const char* what, at::ScalarType dt) {
  if (!v.IsTypedArray() || v.As<Napi::TypedArray>().TypedArrayType() != napi_float32_array)
    throw Napi::TypeError::New(v.Env(), std::string(what) + " must be a Float32Array");
  auto a = v.As<Napi::Float32Array>();
  auto t = at::empty({static_cast<int64_t>(a.ElementLength())}, at::kFloat);
  if (a.ElementLength()) std::memcpy(t.data_ptr<float>(), a.Data(), a.ElementLength() * sizeof(float));
  return t.to(dt);
}

// A (len / cols, cols) matrix; RangeError when the length is not a multiple of cols.
at::Tensor matrix_tensor(const Napi::Value& v, const char* what, int64_t cols, at::ScalarType dt) {
  auto t = float_tensor(v, what, dt);
  if (t.numel() % cols)
    throw Napi::RangeError::New(v.Env(), std::string(what) + " length " + std::to_string(t.numel()) +
                                             " is not a multiple of hiddenSize " + std::to_string(cols));
  return t.reshape({-1, cols}).clone();  // a fresh leaf (not a view), so .grad lands on it
}

at::Tensor optional_float_tensor(const Napi::Object& o, const char* key, at::ScalarType dt) {
  if (!o.Has(key)) return {};
  auto v = o.Get(key);
  if (v.IsUndefined() || v.IsNull()) return {};
  return float_tensor(v, key, dt);
}

at::Tensor ids_tensor(const Napi::Value& v, const char* what) {
  if (!v.IsTypedArray() || v.As<Napi::TypedArray>().TypedArrayType() != napi_int32_array)
    throw Napi::TypeError::New(v.Env(), std::string(what) + " must be an Int32Array");
  auto a = v.As<Napi::Int32Array>();
  auto t = at::empty({static_cast<int64_t>(a.ElementLength())}, at::kInt);
  if (a.ElementLength()) std::memcpy(t.data_ptr<int32_t>(), a.Data(), a.ElementLength() * sizeof(int32_t));
  return t.to(at::kLong);
}

std::string string_arg(const Napi::CallbackInfo& info, size_t i, const char* what) {
  if (!info[i].IsString()) throw Napi::TypeError::New(info.Env(), std::string(what) + " must be a string");
  return info[i].As<Napi::String>().Utf8Value();
}

Napi::Object object_arg(const Napi::CallbackInfo& info, size_t i, const char* what) {
  if (!info[i].IsObject()) throw Napi::TypeError::New(info.Env(), std::string(what) + " must be an object");
  return info[i].As<Napi::Object>();
}

std::vector<float> to_vector(const at::Tensor& t) {
  if (!t.defined()) return {};
  const auto c = t.detach().to(at::kFloat).contiguous();
  return std::vector<float>(c.data_ptr<float>(), c.data_ptr<float>() + c.numel());
}

// ---------------------------------------------------------------------------------------------
// One loss call: kind 'grpo' | 'sft', impl 'fused' | 'reference'.

struct LossCall {
  bool grpo = true;
  bool fused = true;
  GrpoLossInputs in;  // SFT uses hidden, lm_head, targets, weight
  GrpoLossOptions opts;

  struct Metrics {
    double kl = 0, entropy = 0, clip_fraction = 0, nll = 0, weight_sum = 0;
    int64_t tokens = 0;
    at::Tensor logp;
  };

  at::Tensor run(Metrics* m) const {
    if (grpo) {
      GrpoLossMetrics gm;
      auto loss = fused ? grpo_loss_fused(in, opts, &gm) : grpo_loss_reference(in, opts, &gm);
      *m = {gm.kl_mean(), gm.entropy_mean(), gm.clip_fraction(), 0.0, gm.weight_sum, gm.tokens, gm.logp};
      return loss;
    }
    SftLossInputs s{in.hidden, in.lm_head, in.targets, in.weight};
    SftLossOptions so;
    so.chunk_rows = opts.chunk_rows;
    SftLossMetrics sm;
    auto loss = fused ? sft_loss_fused(s, so, &sm) : sft_loss_reference(s, so, &sm);
    *m = {0.0, 0.0, 0.0, sm.nll_mean(), sm.weight_sum, sm.tokens, sm.logp};
    return loss;
  }
};

void parse_kind_impl(const Napi::CallbackInfo& info, LossCall* c) {
  const auto kind = string_arg(info, 0, "kind"), impl = string_arg(info, 1, "impl");
  if (kind != "grpo" && kind != "sft") throw Napi::RangeError::New(info.Env(), "kind must be 'grpo' or 'sft'");
  if (impl != "fused" && impl != "reference")
    throw Napi::RangeError::New(info.Env(), "impl must be 'fused' or 'reference'");
  c->grpo = kind == "grpo";
  c->fused = impl == "fused";
}

// {epsLow, epsHigh, beta, entropyCoef, chunkRows}; the GRPO fields are read for 'grpo' only.
void parse_options(const Napi::Object& o, LossCall* c) {
  if (c->grpo) {
    c->opts.eps_low = get_number(o, "epsLow");
    c->opts.eps_high = get_number(o, "epsHigh");
    c->opts.beta = get_number(o, "beta");
    c->opts.entropy_coef = get_number(o, "entropyCoef");
  }
  c->opts.chunk_rows = get_int(o, "chunkRows");
}

double elapsed_ms(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}

// lossCheck(kind, impl, inputs, opts) — inputs {hidden, lmHead, hiddenSize, targets, weight,
// adv?, oldLogp?, refLogp?}, opts {epsLow, epsHigh, beta, entropyCoef, chunkRows, gradOutput,
// float64}. Runs forward + backward (autograd) and returns loss, per-token logp, both gradients
// and the metrics.
Napi::Value LossCheck(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return guarded(env, [&]() -> Napi::Value {
    auto call = std::make_shared<LossCall>();
    parse_kind_impl(info, call.get());
    const auto in = object_arg(info, 2, "inputs");
    const auto o = object_arg(info, 3, "opts");
    parse_options(o, call.get());
    const double grad_output = get_number(o, "gradOutput");
    const auto dt = get_bool(o, "float64") ? at::kDouble : at::kFloat;
    const int64_t H = get_int(in, "hiddenSize");
    if (H < 1) throw Napi::RangeError::New(env, "hiddenSize must be >= 1");
    // hidden enters as the output of an op, as in the trainer (where it comes out of the model), so
    // backward runs through a graph edge into the leaf; the gradients are read off the leaves.
    auto hidden_leaf = matrix_tensor(in.Get("hidden"), "hidden", H, dt).requires_grad_(true);
    auto lm_head_leaf = matrix_tensor(in.Get("lmHead"), "lmHead", H, dt).requires_grad_(true);
    call->in.hidden = hidden_leaf.mul(1.0);
    call->in.lm_head = lm_head_leaf;
    call->in.targets = ids_tensor(in.Get("targets"), "targets");
    call->in.weight = float_tensor(in.Get("weight"), "weight", dt);
    if (call->grpo) {
      call->in.adv = float_tensor(in.Get("adv"), "adv", dt);
      call->in.old_logp = optional_float_tensor(in, "oldLogp", dt);
      call->in.ref_logp = optional_float_tensor(in, "refLogp", dt);
    }

    struct Result {
      double loss = 0, fwd_ms = 0, bwd_ms = 0;
      LossCall::Metrics m;
      std::vector<float> logp, grad_hidden, grad_lm_head;
    };
    auto res = std::make_shared<Result>();
    return TorchWorker::Start(
        env,
        [call, res, grad_output, hidden_leaf, lm_head_leaf] {
          auto t0 = std::chrono::steady_clock::now();
          auto loss = call->run(&res->m);
          res->fwd_ms = elapsed_ms(t0);
          t0 = std::chrono::steady_clock::now();
          torch::autograd::backward({loss}, {at::full({}, grad_output, loss.options())});
          res->bwd_ms = elapsed_ms(t0);
          res->loss = loss.item<double>();
          res->logp = to_vector(res->m.logp);
          res->grad_hidden = to_vector(hidden_leaf.grad());
          res->grad_lm_head = to_vector(lm_head_leaf.grad());
          res->m.logp = at::Tensor();
        },
        [res, grpo = call->grpo](Napi::Env e) -> Napi::Value {
          auto out = Napi::Object::New(e);
          out.Set("loss", res->loss);
          out.Set("logp", to_float32_array(e, res->logp));
          out.Set("gradHidden", to_float32_array(e, res->grad_hidden));
          out.Set("gradLmHead", to_float32_array(e, res->grad_lm_head));
          if (grpo) {
            out.Set("kl", res->m.kl);
            out.Set("entropy", res->m.entropy);
            out.Set("clipFraction", res->m.clip_fraction);
          } else {
            out.Set("nll", res->m.nll);
          }
          out.Set("tokens", static_cast<double>(res->m.tokens));
          out.Set("weightSum", res->m.weight_sum);
          out.Set("forwardMs", res->fwd_ms);
          out.Set("backwardMs", res->bwd_ms);
          return out;
        });
  });
}

// ---------------------------------------------------------------------------------------------
// Benchmark: inputs made here from a seed (no JS copies in the measured RSS).

// A "Vm*:" line of /proc/self/status in MiB, or -1 where unavailable (not Linux).
double proc_status_mb(const char* field) {
  std::ifstream f("/proc/self/status");
  std::string line;
  const std::string key = std::string(field) + ":";
  while (std::getline(f, line)) {
    if (line.rfind(key, 0) == 0) return std::stod(line.substr(key.size())) / 1024.0;  // kB
  }
  return -1;
}

// Resets VmHWM to the current RSS (Linux >= 4.0); false where that is not possible.
bool reset_peak_rss() {
  std::ofstream f("/proc/self/clear_refs");
  if (!f) return false;
  f << "5";
  return static_cast<bool>(f.flush());
}

// lossBench(kind, impl, shape {n, vocab, hidden, seed}, opts {...as lossCheck minus gradOutput,
// float64}, iters) -> {medianMs, minMs, forwardMedianMs, loss, rssMb, peakRssGrowthMb}.
// hidden ~ N(0, 1) (final-normed states), W ~ N(0, 0.02) (the init), advantages ±1, ref_logp
// near the policy's, old_logp undefined (on-policy, updates per rollout 1), weight 1/N.
Napi::Value LossBench(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return guarded(env, [&]() -> Napi::Value {
    auto call = std::make_shared<LossCall>();
    parse_kind_impl(info, call.get());
    const auto shape = object_arg(info, 2, "shape");
    parse_options(object_arg(info, 3, "opts"), call.get());
    if (!info[4].IsNumber()) throw Napi::TypeError::New(env, "iters must be a number");
    const int iters = info[4].As<Napi::Number>().Int32Value();
    const int64_t N = get_int(shape, "n"), V = get_int(shape, "vocab"), H = get_int(shape, "hidden");
    const int64_t seed = get_int(shape, "seed");
    if (N < 1 || V < 1 || H < 1 || iters < 1) throw Napi::RangeError::New(env, "n, vocab, hidden, iters must be >= 1");

    struct Result {
      double median_ms = 0, min_ms = 0, fwd_median_ms = 0, loss = 0, rss_mb = -1, peak_growth_mb = -1;
    };
    auto res = std::make_shared<Result>();
    return TorchWorker::Start(
        env,
        [call, res, N, V, H, seed, iters] {
          auto gen = at::make_generator<at::CPUGeneratorImpl>(static_cast<uint64_t>(seed));
          auto& in = call->in;
          in.hidden = at::randn({N, H}, gen, at::kFloat).requires_grad_(true);
          in.lm_head = at::randn({V, H}, gen, at::kFloat).mul_(0.02).requires_grad_(true);
          in.targets = at::randint(V, {N}, gen, at::kLong);
          in.weight = at::full({N}, 1.0 / static_cast<double>(N), at::kFloat);
          in.adv = at::randint(2, {N}, gen, at::kFloat).mul_(2).sub_(1);
          in.ref_logp = at::randn({N}, gen, at::kFloat).mul_(0.1).sub_(std::log(static_cast<double>(V)));
          res->rss_mb = proc_status_mb("VmRSS");
          const bool hwm = reset_peak_rss();
          std::vector<double> total, fwd;
          for (int i = 0; i < iters; ++i) {
            in.hidden.mutable_grad().reset();  // zero_grad(set_to_none): every step allocates afresh
            in.lm_head.mutable_grad().reset();
            LossCall::Metrics m;
            auto t0 = std::chrono::steady_clock::now();
            auto loss = call->run(&m);
            fwd.push_back(elapsed_ms(t0));
            torch::autograd::backward({loss});
            total.push_back(elapsed_ms(t0));
            res->loss = loss.item<double>();
          }
          if (hwm) res->peak_growth_mb = proc_status_mb("VmHWM") - res->rss_mb;
          auto median = [](std::vector<double> v) {
            std::sort(v.begin(), v.end());
            return v[v.size() / 2];
          };
          res->median_ms = median(total);
          res->fwd_median_ms = median(fwd);
          res->min_ms = *std::min_element(total.begin(), total.end());
        },
        [res](Napi::Env e) -> Napi::Value {
          auto out = Napi::Object::New(e);
          out.Set("medianMs", res->median_ms);
          out.Set("minMs", res->min_ms);
          out.Set("forwardMedianMs", res->fwd_median_ms);
          out.Set("loss", res->loss);
          out.Set("rssMb", res->rss_mb);
          out.Set("peakRssGrowthMb", res->peak_growth_mb);
          return out;
        });
  });
}

// tokenWeights(kind, mask Float32Array, rows, {numSeqsTotal, tokensTotal, maxCompletionLen})
// -> Float32Array (rows x cols, row-major).
Napi::Value TokenWeights(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return guarded(env, [&]() -> Napi::Value {
    const auto kind = parse_aggregation(string_arg(info, 0, "kind"));
    auto mask = float_tensor(info[1], "mask", at::kFloat);
    if (!info[2].IsNumber()) throw Napi::TypeError::New(env, "rows must be a number");
    const int64_t rows = info[2].As<Napi::Number>().Int64Value();
    if (rows < 1 || mask.numel() % rows) throw Napi::RangeError::New(env, "mask length must be a multiple of rows");
    const auto o = object_arg(info, 3, "opts");
    auto w = token_weights(kind, mask.view({rows, -1}), get_int(o, "numSeqsTotal"), get_number(o, "tokensTotal"),
                           get_int(o, "maxCompletionLen"));
    return to_float32_array(env, to_vector(w));
  });
}

}  // namespace

void register_loss_api(Napi::Env env, Napi::Object exports) {
  exports.Set("lossCheck", Napi::Function::New(env, LossCheck, "lossCheck"));
  exports.Set("lossBench", Napi::Function::New(env, LossBench, "lossBench"));
  exports.Set("tokenWeights", Napi::Function::New(env, TokenWeights, "tokenWeights"));
}

}  // namespace toolrl
