// native/napi/convert.h — JS values -> plain C++ values, checked a second time (TypeScript checks
// first; these guards keep a direct caller of the addon from crashing the process).
#pragma once
#include <napi.h>

#include <string>
#include <vector>

#include "io/tensor_io.h"
#include "model/config.h"
#include "model/score.h"

namespace toolrl {

double get_number(const Napi::Object& o, const char* key);
bool get_bool(const Napi::Object& o, const char* key);
int64_t get_int(const Napi::Object& o, const char* key);
std::string get_string(const Napi::Object& o, const char* key);

// A lib/config.ts ModelConfig (camelCase) -> ModelConfig.
ModelConfig model_config_from_js(const Napi::Value& v);

// (Int32Array ids, Int32Array offsets) -> RaggedIds.
RaggedIds ragged_from_js(const Napi::Value& ids, const Napi::Value& offsets, const char* what);

std::vector<int32_t> int32_vector(const Napi::Value& v, const char* what);
// A Float32Array -> vector (an empty vector for undefined/null when optional).
std::vector<float> float32_vector(const Napi::Value& v, const char* what, bool optional = false);
// [{name, file, dtype, shape, begin, end}] -> TensorSpecs.
std::vector<TensorSpec> tensor_specs_from_js(const Napi::Value& v);

Napi::Int32Array to_int32_array(Napi::Env env, const std::vector<int32_t>& v);
Napi::Float32Array to_float32_array(Napi::Env env, const std::vector<float>& v);

}  // namespace toolrl
