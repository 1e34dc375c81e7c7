// native/napi/convert.cc — see convert.h.
#include "napi/convert.h"

#include <cmath>
#include <cstring>

namespace toolrl {

namespace {
Napi::Value get(const Napi::Object& o, const char* key) {
  if (!o.Has(key)) throw Napi::TypeError::New(o.Env(), std::string("missing field '") + key + "'");
  return o.Get(key);
}
}  // namespace

double get_number(const Napi::Object& o, const char* key) {
  auto v = get(o, key);
  if (!v.IsNumber()) throw Napi::TypeError::New(o.Env(), std::string("field '") + key + "' must be a number");
  return v.As<Napi::Number>().DoubleValue();
}

bool get_bool(const Napi::Object& o, const char* key) {
  auto v = get(o, key);
  if (!v.IsBoolean()) throw Napi::TypeError::New(o.Env(), std::string("field '") + key + "' must be a boolean");
  return v.As<Napi::Boolean>().Value();
}

int64_t get_int(const Napi::Object& o, const char* key) {
  const double d = get_number(o, key);
  if (!std::isfinite(d) || std::floor(d) != d)
    throw Napi::RangeError::New(o.Env(), std::string("field '") + key + "' must be an integer");
  return static_cast<int64_t>(d);
}

std::string get_string(const Napi::Object& o, const char* key) {
  auto v = get(o, key);
  if (!v.IsString()) throw Napi::TypeError::New(o.Env(), std::string("field '") + key + "' must be a string");
  return v.As<Napi::String>().Utf8Value();
}

ModelConfig model_config_from_js(const Napi::Value& v) {
  if (!v.IsObject()) throw Napi::TypeError::New(v.Env(), "model config must be an object");
  auto o = v.As<Napi::Object>();
  ModelConfig c;
  c.vocab_size = get_int(o, "vocabSize");
  c.hidden_size = get_int(o, "hiddenSize");
  c.num_layers = get_int(o, "numHiddenLayers");
  c.num_heads = get_int(o, "numAttentionHeads");
  c.num_kv_heads = get_int(o, "numKeyValueHeads");
  c.intermediate_size = get_int(o, "intermediateSize");
  c.rope_theta = get_number(o, "ropeTheta");
  c.rms_norm_eps = get_number(o, "rmsNormEps");
  c.tie_word_embeddings = get_bool(o, "tieWordEmbeddings");
  c.attention_bias = get_bool(o, "attentionBias");
  auto rs = o.Get("ropeScaling");
  if (rs.IsObject()) {
    auto r = rs.As<Napi::Object>();
    c.rope_scaling.llama3 = get_string(r, "ropeType") == "llama3";
    c.rope_scaling.factor = get_number(r, "factor");
    c.rope_scaling.low_freq_factor = get_number(r, "lowFreqFactor");
    c.rope_scaling.high_freq_factor = get_number(r, "highFreqFactor");
    c.rope_scaling.original_max_position_embeddings = get_int(r, "originalMaxPositionEmbeddings");
  }
  return c;
}

std::vector<int32_t> int32_vector(const Napi::Value& v, const char* what) {
  if (!v.IsTypedArray() || v.As<Napi::TypedArray>().TypedArrayType() != napi_int32_array)
    throw Napi::TypeError::New(v.Env(), std::string(what) + " must be an Int32Array");
  auto a = v.As<Napi::Int32Array>();
  return std::vector<int32_t>(a.Data(), a.Data() + a.ElementLength());
}

std::vector<float> float32_vector(const Napi::Value& v, const char* what, bool optional) {
  if (optional && (v.IsUndefined() || v.IsNull())) return {};
  if (!v.IsTypedArray() || v.As<Napi::TypedArray>().TypedArrayType() != napi_float32_array)
    throw Napi::TypeError::New(v.Env(), std::string(what) + " must be a Float32Array");
  auto a = v.As<Napi::Float32Array>();
  return std::vector<float>(a.Data(), a.Data() + a.ElementLength());
}

std::vector<TensorSpec> tensor_specs_from_js(const Napi::Value& v) {
  if (!v.IsArray()) throw Napi::TypeError::New(v.Env(), "tensor specs must be an array");
  auto arr = v.As<Napi::Array>();
  std::vector<TensorSpec> specs(arr.Length());
  for (uint32_t i = 0; i < arr.Length(); ++i) {
    auto item = arr.Get(i);
    if (!item.IsObject()) throw Napi::TypeError::New(v.Env(), "tensor spec must be an object");
    auto o = item.As<Napi::Object>();
    specs[i].name = get_string(o, "name");
    specs[i].file = get_string(o, "file");
    specs[i].dtype = get_string(o, "dtype");
    specs[i].begin = static_cast<uint64_t>(get_int(o, "begin"));
    specs[i].end = static_cast<uint64_t>(get_int(o, "end"));
    auto shape = o.Get("shape");
    if (!shape.IsArray()) throw Napi::TypeError::New(v.Env(), "tensor spec shape must be an array");
    auto sa = shape.As<Napi::Array>();
    for (uint32_t d = 0; d < sa.Length(); ++d) specs[i].shape.push_back(sa.Get(d).As<Napi::Number>().Int64Value());
  }
  return specs;
}

RaggedIds ragged_from_js(const Napi::Value& ids, const Napi::Value& offsets, const char* what) {
  RaggedIds r;
  r.ids = int32_vector(ids, what);
  auto off = int32_vector(offsets, "offsets");
  if (off.empty() || off.front() != 0 || static_cast<size_t>(off.back()) != r.ids.size())
    throw Napi::RangeError::New(ids.Env(), std::string(what) + ": offsets must start at 0 and end at the id count");
  r.offsets.reserve(off.size());
  for (size_t i = 0; i < off.size(); ++i) {
    if (i > 0 && off[i] < off[i - 1])
      throw Napi::RangeError::New(ids.Env(), std::string(what) + ": offsets must be non-decreasing");
    r.offsets.push_back(off[i]);
  }
  return r;
}

Napi::Int32Array to_int32_array(Napi::Env env, const std::vector<int32_t>& v) {
  auto a = Napi::Int32Array::New(env, v.size());
  if (!v.empty()) std::memcpy(a.Data(), v.data(), v.size() * sizeof(int32_t));
  return a;
}

Napi::Float32Array to_float32_array(Napi::Env env, const std::vector<float>& v) {
  auto a = Napi::Float32Array::New(env, v.size());
  if (!v.empty()) std::memcpy(a.Data(), v.data(), v.size() * sizeof(float));
  return a;
}

}  // namespace toolrl
