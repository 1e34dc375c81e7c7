// native/napi/kernels_api.cc — see kernels_api.h. Typed arrays are copied into tensors on the
// main thread (the baton rule, worker.h); the kernels run on a pool thread.
#include "napi/kernels_api.h"

#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>  // at::make_generator<at::CPUGeneratorImpl>
#include <c10/core/InferenceMode.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "kernels/cpu_isa.h"           // kernel_isa, force_kernel_isa
#include "kernels/decode_attention.h"  // decode_attention, decode_attention_ref
#include "kernels/decode_ops.h"        // rms_norm_rows, silu_mul, rope_qkv_to_cache (+ _ref)
#include "kernels/skinny_linear.h"     // skinny_linear, skinny_linear_ref
#include "model/qwen2.h"               // decode_kernels_enabled
#include "napi/convert.h"              // get_int, get_bool, get_number
#include "napi/errors.h"               // guarded
#include "napi/worker.h"               // TorchWorker
#include "runtime/threads.h"           // matmul_threads

namespace toolrl {

namespace {

// A Float32Array of exactly `numel` elements -> a fresh float32 tensor of `shape`.
at::Tensor float_arg(const Napi::Value& v, const char* what, std::vector<int64_t> shape) {
  if (!v.IsTypedArray() || v.As<Napi::TypedArray>().TypedArrayType() != napi_float32_array)
    throw Napi::TypeError::New(v.Env(), std::string(what) + " must be a Float32Array");
  auto a = v.As<Napi::Float32Array>();
  int64_t numel = 1;
  for (int64_t s : shape) numel *= s;
  if (static_cast<int64_t>(a.ElementLength()) != numel)
    throw Napi::RangeError::New(v.Env(), std::string(what) + " has " + std::to_string(a.ElementLength()) +
                                             " elements, expected " + std::to_string(numel));
  auto t = at::empty(shape, at::kFloat);
  if (numel) std::memcpy(t.data_ptr<float>(), a.Data(), numel * sizeof(float));
  return t;
}

// Argument i: 'kernel' (true) or 'reference' (false).
bool kernel_impl(const Napi::CallbackInfo& info, size_t i = 0) {
  if (!info[i].IsString()) throw Napi::TypeError::New(info.Env(), "impl must be a string");
  const auto impl = info[i].As<Napi::String>().Utf8Value();
  if (impl != "kernel" && impl != "reference")
    throw Napi::RangeError::New(info.Env(), "impl must be 'kernel' or 'reference'");
  return impl == "kernel";
}

int threads_arg(const Napi::CallbackInfo& info, size_t i) {
  if (!info[i].IsNumber()) throw Napi::TypeError::New(info.Env(), "threads must be a number");
  return info[i].As<Napi::Number>().Int32Value();
}

Napi::Object object_at(const Napi::CallbackInfo& info, size_t i, const char* what) {
  if (!info[i].IsObject()) throw Napi::TypeError::New(info.Env(), std::string(what) + " must be an object");
  return info[i].As<Napi::Object>();
}

Napi::Value float_result(Napi::Env env, const at::Tensor& t) {
  auto c = t.contiguous();
  auto a = Napi::Float32Array::New(env, static_cast<size_t>(c.numel()));
  if (c.numel()) std::memcpy(a.Data(), c.data_ptr<float>(), c.numel() * sizeof(float));
  return a;
}

struct AttnDims {
  int64_t B, NH, NKV, D, S, s_max;
};

AttnDims attn_dims(const Napi::Object& o) {
  AttnDims d{get_int(o, "B"), get_int(o, "NH"), get_int(o, "NKV"),
             get_int(o, "D"), get_int(o, "S"), get_int(o, "sMax")};
  if (d.B < 1 || d.NH < 1 || d.NKV < 1 || d.D < 1 || d.S < 1 || d.s_max < d.S || d.NH % d.NKV)
    throw Napi::RangeError::New(o.Env(), "attention dims need B, NH, NKV, D, S >= 1, sMax >= S, NH % NKV == 0");
  return d;
}

// ---------------------------------------------------------------------------------------------

Napi::Value KernelInfo(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  auto o = Napi::Object::New(env);
  o.Set("isa", kernel_isa_name(kernel_isa()));
  o.Set("detectedIsa", kernel_isa_name(detected_kernel_isa()));
  o.Set("matmulThreads", matmul_threads());
  o.Set("decodeKernels", decode_kernels_enabled());
  return o;
}

Napi::Value SetKernelIsa(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!info[0].IsString()) throw Napi::TypeError::New(env, "isa must be a string");
  KernelIsa isa;
  if (!parse_kernel_isa(info[0].As<Napi::String>().Utf8Value().c_str(), &isa))
    throw Napi::RangeError::New(env, "isa must be 'scalar', 'avx2' or 'avx512'");
  return Napi::String::New(env, kernel_isa_name(force_kernel_isa(isa)));
}

Napi::Value SetDecodeKernels(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!info[0].IsBoolean()) throw Napi::TypeError::New(env, "on must be a boolean");
  set_decode_kernels(info[0].As<Napi::Boolean>().Value());
  return Napi::Boolean::New(env, decode_kernels_enabled());
}

// skinnyLinear(impl, x, w, b | null, {M, K, N}, threads)
Napi::Value SkinnyLinear(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return guarded(env, [&]() -> Napi::Value {
    const bool kernel = kernel_impl(info);
    const auto dims = object_at(info, 4, "dims");
    const int64_t M = get_int(dims, "M"), K = get_int(dims, "K"), N = get_int(dims, "N");
    if (M < 1 || K < 1 || N < 1) throw Napi::RangeError::New(env, "M, K and N must be >= 1");
    auto x = float_arg(info[1], "x", {M, K});
    auto w = float_arg(info[2], "w", {N, K});
    at::Tensor b;
    if (!info[3].IsNull() && !info[3].IsUndefined()) b = float_arg(info[3], "b", {N});
    const int threads = threads_arg(info, 5);
    auto out = std::make_shared<at::Tensor>();
    return TorchWorker::Start(
        env,
        [=] {
          c10::InferenceMode guard;
          *out = kernel ? skinny_linear(x, w, b, threads) : skinny_linear_ref(x, w, b);
        },
        [out](Napi::Env e) { return float_result(e, *out); });
  });
}

// decodeAttention(impl, q, k, v, starts, {B, NH, NKV, D, S, sMax}, threads, shared?)
Napi::Value DecodeAttention(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return guarded(env, [&]() -> Napi::Value {
    const bool kernel = kernel_impl(info);
    const auto d = attn_dims(object_at(info, 5, "dims"));
    auto q = float_arg(info[1], "q", {d.B, d.NH, d.D});
    auto k = float_arg(info[2], "k", {d.B, d.NKV, d.s_max, d.D});
    auto v = float_arg(info[3], "v", {d.B, d.NKV, d.s_max, d.D});
    const auto starts32 = int32_vector(info[4], "starts");
    std::vector<int64_t> starts(starts32.begin(), starts32.end());
    const int threads = threads_arg(info, 6);
    // Optional shared prefix {leader, end} (Int32Arrays, one entry per row).
    std::vector<int64_t> leader, end;
    const bool grouped = info.Length() > 7 && info[7].IsObject();
    if (grouped) {
      const auto o = info[7].As<Napi::Object>();
      const auto l32 = int32_vector(o.Get("leader"), "shared.leader"), e32 = int32_vector(o.Get("end"), "shared.end");
      leader.assign(l32.begin(), l32.end());
      end.assign(e32.begin(), e32.end());
    }
    auto out = std::make_shared<at::Tensor>();
    const int64_t S = d.S;
    return TorchWorker::Start(
        env,
        [=] {
          c10::InferenceMode guard;
          const SharedPrefix shared{leader, end};
          *out = kernel ? decode_attention(q, k, v, starts, S, threads, grouped ? &shared : nullptr)
                        : decode_attention_ref(q, k, v, starts, S);
        },
        [out](Napi::Env e) { return float_result(e, *out); });
  });
}

// decodeOp(op, impl, inputs, dims): the fused element-wise ops of decode_ops.h.
//   'rmsNorm'  inputs {x (R*H), w (H)}, dims {R, H, eps}                -> {y}
//   'siluMul'  inputs {gate (n), up (n)}, dims {n}                      -> {y}
//   'ropeQkv'  inputs {q (B*NH*D), k, v (B*NKV*D), cos, sin (B*D), kCache, vCache (B*NKV*sMax*D)},
//              dims {B, NH, NKV, D, sMax, slot}                         -> {q, kCache, vCache}
Napi::Value DecodeOp(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return guarded(env, [&]() -> Napi::Value {
    if (!info[0].IsString()) throw Napi::TypeError::New(env, "op must be a string");
    const auto op = info[0].As<Napi::String>().Utf8Value();
    const bool kernel = kernel_impl(info, 1);
    const auto in = object_at(info, 2, "inputs");
    const auto d = object_at(info, 3, "dims");
    auto res = std::make_shared<std::vector<std::pair<std::string, at::Tensor>>>();
    std::function<void()> work;
    if (op == "rmsNorm") {
      const int64_t R = get_int(d, "R"), H = get_int(d, "H");
      const double eps = get_number(d, "eps");
      if (R < 1 || H < 1) throw Napi::RangeError::New(env, "R and H must be >= 1");
      auto x = float_arg(in.Get("x"), "x", {R, H}), w = float_arg(in.Get("w"), "w", {H});
      work = [=] { res->push_back({"y", kernel ? rms_norm_rows(x, w, eps) : rms_norm_rows_ref(x, w, eps)}); };
    } else if (op == "siluMul") {
      const int64_t n = get_int(d, "n");
      if (n < 1) throw Napi::RangeError::New(env, "n must be >= 1");
      auto g = float_arg(in.Get("gate"), "gate", {n}), u = float_arg(in.Get("up"), "up", {n});
      work = [=] { res->push_back({"y", kernel ? silu_mul(g, u) : silu_mul_ref(g, u)}); };
    } else if (op == "ropeQkv") {
      const int64_t B = get_int(d, "B"), NH = get_int(d, "NH"), NKV = get_int(d, "NKV"), D = get_int(d, "D");
      const int64_t s_max = get_int(d, "sMax"), slot = get_int(d, "slot");
      if (B < 1 || NH < 1 || NKV < 1 || D < 2 || D % 2 || s_max < 1 || slot < 0 || slot >= s_max)
        throw Napi::RangeError::New(env, "ropeQkv dims need B, NH, NKV >= 1, even D >= 2, 0 <= slot < sMax");
      auto q = float_arg(in.Get("q"), "q", {B, NH * D});
      auto k = float_arg(in.Get("k"), "k", {B, NKV * D}), v = float_arg(in.Get("v"), "v", {B, NKV * D});
      auto c = float_arg(in.Get("cos"), "cos", {B, D}), sn = float_arg(in.Get("sin"), "sin", {B, D});
      auto kc = float_arg(in.Get("kCache"), "kCache", {B, NKV, s_max, D});
      auto vc = float_arg(in.Get("vCache"), "vCache", {B, NKV, s_max, D});
      work = [=]() mutable {
        auto qo = kernel ? rope_qkv_to_cache(q, k, v, c, sn, kc, vc, slot)
                         : rope_qkv_to_cache_ref(q, k, v, c, sn, kc, vc, slot);
        res->push_back({"q", qo});
        res->push_back({"kCache", kc});
        res->push_back({"vCache", vc});
      };
    } else {
      throw Napi::RangeError::New(env, "op must be 'rmsNorm', 'siluMul' or 'ropeQkv'");
    }
    return TorchWorker::Start(
        env,
        [work] {
          c10::InferenceMode guard;
          work();
        },
        [res](Napi::Env e) -> Napi::Value {
          auto o = Napi::Object::New(e);
          for (const auto& [name, t] : *res) o.Set(name, float_result(e, t));
          return o;
        });
  });
}

// Copies of the streamed operand (weights; KV cache) for `cold` runs: enough to cycle through
// 96 MB (> the 32 MB L3), so every call reads it from DRAM as the model does in decode (each
// weight is used once per step, ~100 MB of weights apart).
size_t cold_copies(int64_t bytes, bool cold) {
  return cold ? static_cast<size_t>(std::max<int64_t>(2, (int64_t{96} << 20) / std::max<int64_t>(1, bytes) + 1)) : 1;
}

// kernelBench(kind 'linear' | 'attention', impl, shape, iters, threads): one warm-up call, then
// `iters` timed calls on seeded random inputs. linear shape {M, K, N, bias, cold?}; attention
// shape {B, NH, NKV, D, S, sMax, cold?, group?, prefix?}: row b starts at slot (b * 7) % (S / 4)
// (ragged rows), or with group > 0 at 0 with groups of `group` rows sharing slots [0, prefix)
// (the kernel reads them from the group's first row). cold: cycle through copies of the weights /
// caches so that they come from DRAM.
Napi::Value KernelBench(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return guarded(env, [&]() -> Napi::Value {
    if (!info[0].IsString()) throw Napi::TypeError::New(env, "kind must be a string");
    const auto kind = info[0].As<Napi::String>().Utf8Value();
    if (kind != "linear" && kind != "attention")
      throw Napi::RangeError::New(env, "kind must be 'linear' or 'attention'");
    const bool kernel = kernel_impl(info, 1);
    const auto shape = object_at(info, 2, "shape");
    if (!info[3].IsNumber()) throw Napi::TypeError::New(env, "iters must be a number");
    const int iters = std::max(1, info[3].As<Napi::Number>().Int32Value());
    const int threads = threads_arg(info, 4);
    const bool cold = shape.Has("cold") && shape.Get("cold").ToBoolean();

    std::function<void()> call;
    auto gen = at::make_generator<at::CPUGeneratorImpl>(1234);
    if (kind == "linear") {
      const int64_t M = get_int(shape, "M"), K = get_int(shape, "K"), N = get_int(shape, "N");
      if (M < 1 || K < 1 || N < 1) throw Napi::RangeError::New(env, "M, K and N must be >= 1");
      auto x = at::randn({M, K}, gen);
      std::vector<at::Tensor> ws(cold_copies(N * K * 4, cold));
      for (auto& w : ws) w = at::randn({N, K}, gen);
      at::Tensor b = get_bool(shape, "bias") ? at::randn({N}, gen) : at::Tensor();
      auto next = std::make_shared<size_t>(0);
      call = [=] {
        c10::InferenceMode guard;
        const auto& w = ws[(*next)++ % ws.size()];
        auto y = kernel ? skinny_linear(x, w, b, threads) : skinny_linear_ref(x, w, b);
      };
    } else {
      const auto d = attn_dims(shape);
      auto q = at::randn({d.B, d.NH, d.D}, gen);
      std::vector<std::pair<at::Tensor, at::Tensor>> kv(cold_copies(2 * d.B * d.NKV * d.s_max * d.D * 4, cold));
      for (auto& c : kv) c = {at::randn({d.B, d.NKV, d.s_max, d.D}, gen), at::randn({d.B, d.NKV, d.s_max, d.D}, gen)};
      std::vector<int64_t> starts(d.B), leader(d.B), end(d.B);
      const int64_t group = shape.Has("group") ? get_int(shape, "group") : 0;
      const int64_t prefix = shape.Has("prefix") ? get_int(shape, "prefix") : 0;
      if (group > 0 && (prefix < 1 || prefix > d.S)) throw Napi::RangeError::New(env, "prefix must be in [1, S]");
      for (int64_t b = 0; b < d.B; ++b) {
        if (group > 0) {  // groups of `group` rows sharing slots [0, prefix)
          starts[b] = 0;
          leader[b] = b - b % group;
          end[b] = prefix;
        } else {
          starts[b] = (b * 7) % std::max<int64_t>(1, d.S / 4);
        }
      }
      const int64_t S = d.S;
      auto next = std::make_shared<size_t>(0);
      call = [=] {
        c10::InferenceMode guard;
        const auto& [k, v] = kv[(*next)++ % kv.size()];
        const SharedPrefix shared{leader, end};
        auto o = kernel ? decode_attention(q, k, v, starts, S, threads, group > 0 ? &shared : nullptr)
                        : decode_attention_ref(q, k, v, starts, S);
      };
    }
    auto ms = std::make_shared<std::vector<double>>();
    return TorchWorker::Start(
        env,
        [call, iters, ms] {
          call();  // warm-up
          for (int i = 0; i < iters; ++i) {
            const auto t0 = std::chrono::steady_clock::now();
            call();
            ms->push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
          }
          std::sort(ms->begin(), ms->end());
        },
        [ms](Napi::Env e) -> Napi::Value {
          auto o = Napi::Object::New(e);
          const size_t n = ms->size();
          o.Set("medianMs", n % 2 ? (*ms)[n / 2] : 0.5 * ((*ms)[n / 2 - 1] + (*ms)[n / 2]));
          o.Set("minMs", ms->front());
          return o;
        });
  });
}

}  // namespace

void register_kernels_api(Napi::Env env, Napi::Object exports) {
  exports.Set("kernelInfo", Napi::Function::New(env, KernelInfo, "kernelInfo"));
  exports.Set("setKernelIsa", Napi::Function::New(env, SetKernelIsa, "setKernelIsa"));
  exports.Set("setDecodeKernels", Napi::Function::New(env, SetDecodeKernels, "setDecodeKernels"));
  exports.Set("skinnyLinear", Napi::Function::New(env, SkinnyLinear, "skinnyLinear"));
  exports.Set("decodeAttention", Napi::Function::New(env, DecodeAttention, "decodeAttention"));
  exports.Set("decodeOp", Napi::Function::New(env, DecodeOp, "decodeOp"));
  exports.Set("kernelBench", Napi::Function::New(env, KernelBench, "kernelBench"));
}

}  // namespace toolrl
