// native/io/tensor_io.h — moving parameter data between a Qwen2Model and safetensors files.
// The safetensors header (JSON) is parsed and validated in TypeScript (lib/io/safetensors.ts),
// which hands us byte ranges; here we only read, convert (F32/F16/BF16 -> float32) and write.
// Format (huggingface/safetensors): 8-byte little-endian header length N, N bytes of JSON
// {name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__": {...}}, then the raw
// little-endian data; offsets are relative to the end of the header.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "model/qwen2.h"

namespace toolrl {

struct TensorSpec {
  std::string name;    // Hugging Face tensor name
  std::string file;    // path of the .safetensors file
  std::string dtype;   // "F32" | "F16" | "BF16"
  std::vector<int64_t> shape;
  uint64_t begin = 0;  // absolute byte offsets in the file
  uint64_t end = 0;
};

// Copies each spec's data into the model parameter of the same name. Throws c10::ValueError naming
// the file and tensor on unknown names, shape mismatches, short reads or non-finite values; throws
// if any model parameter is left without data.
void load_tensors(Qwen2Model& model, const std::vector<TensorSpec>& specs);

// Reads each spec as a float32 tensor (checked as in load_tensors, but against no model).
std::vector<std::pair<std::string, at::Tensor>> read_tensors(const std::vector<TensorSpec>& specs);

// Writes named tensors to `path` as one safetensors file in `dtype` ("F32" or "BF16") with string
// metadata, flushed to disk (fsync) before returning. The caller renames it into place (atomic save).
void save_named_tensors(const std::string& path, const std::vector<std::pair<std::string, at::Tensor>>& tensors,
                        const std::string& dtype, const std::vector<std::pair<std::string, std::string>>& metadata = {});

// Every parameter of the model, in Hugging Face names (save_named_tensors).
void save_safetensors(const Qwen2Model& model, const std::string& path, const std::string& dtype);

}  // namespace toolrl
