// native/io/tensor_io.cc — see tensor_io.h.
#include "io/tensor_io.h"

#include <ATen/core/grad_mode.h>
#include <c10/util/Exception.h>
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <map>
#include <memory>
#include <set>
#include <sstream>

namespace toolrl {

namespace {

at::ScalarType parse_dtype(const TensorSpec& s) {
  if (s.dtype == "F32") return at::kFloat;
  if (s.dtype == "F16") return at::kHalf;
  if (s.dtype == "BF16") return at::kBFloat16;
  TORCH_CHECK_VALUE(false, s.file, ": tensor '", s.name, "' has dtype ", s.dtype,
                    ", which toolrl cannot load (expected F32, F16 or BF16)");
}

struct FileCloser {
  void operator()(FILE* f) const {
    if (f) std::fclose(f);
  }
};
using FilePtr = std::unique_ptr<FILE, FileCloser>;

}  // namespace

namespace {

// Reads one spec's bytes and converts them to float32, checking size and finiteness.
at::Tensor read_one(const TensorSpec& s, std::map<std::string, FilePtr>& files) {
  const auto dtype = parse_dtype(s);
  int64_t numel = 1;
  for (int64_t d : s.shape) numel *= d;
  const uint64_t nbytes = static_cast<uint64_t>(numel) * c10::elementSize(dtype);
  TORCH_CHECK_VALUE(s.end >= s.begin && s.end - s.begin == nbytes, s.file, ": tensor '", s.name, "' spans ",
                    s.end - s.begin, " bytes but its dtype and shape need ", nbytes);
  auto& f = files[s.file];
  if (!f) {
    f.reset(std::fopen(s.file.c_str(), "rb"));
    TORCH_CHECK(f != nullptr, s.file, ": cannot open (", std::strerror(errno), ")");
  }
  auto raw = at::empty(s.shape, at::TensorOptions().dtype(dtype));
  TORCH_CHECK(fseeko(f.get(), static_cast<off_t>(s.begin), SEEK_SET) == 0, s.file, ": cannot seek to tensor '",
              s.name, "'");
  const size_t got = std::fread(raw.data_ptr(), 1, nbytes, f.get());
  TORCH_CHECK_VALUE(got == nbytes, s.file, ": truncated while reading tensor '", s.name, "' (", got, " of ", nbytes,
                    " bytes)");
  auto values = raw.to(at::kFloat);
  TORCH_CHECK_VALUE(values.isfinite().all().item<bool>(), s.file, ": tensor '", s.name,
                    "' contains NaN or infinite values");
  return values;
}

}  // namespace

void load_tensors(Qwen2Model& model, const std::vector<TensorSpec>& specs) {
  at::NoGradGuard no_grad;
  std::map<std::string, FilePtr> files;
  std::set<std::string> loaded;
  for (const auto& s : specs) {
    at::Tensor* param = model.find_parameter(s.name);
    TORCH_CHECK_VALUE(param != nullptr, s.file, ": tensor '", s.name, "' is not a parameter of this model");
    TORCH_CHECK_VALUE(loaded.insert(s.name).second, s.file, ": tensor '", s.name, "' appears twice");
    TORCH_CHECK_VALUE(at::IntArrayRef(s.shape) == param->sizes(), s.file, ": tensor '", s.name, "' has shape ",
                      at::IntArrayRef(s.shape), " but the model config expects ", param->sizes());
    param->copy_(read_one(s, files));
  }
  std::ostringstream missing;
  int n_missing = 0;
  for (const auto& [name, t] : model.named_parameters()) {
    if (!loaded.count(name)) {
      if (n_missing++ < 5) missing << (n_missing > 1 ? ", " : "") << name;
    }
  }
  TORCH_CHECK_VALUE(n_missing == 0, "checkpoint is missing ", n_missing, " tensor(s): ", missing.str(),
                    n_missing > 5 ? ", ..." : "");
}

std::vector<std::pair<std::string, at::Tensor>> read_tensors(const std::vector<TensorSpec>& specs) {
  std::map<std::string, FilePtr> files;
  std::vector<std::pair<std::string, at::Tensor>> out;
  for (const auto& s : specs) out.emplace_back(s.name, read_one(s, files));
  return out;
}

namespace {
std::string json_escape(const std::string& v) {
  std::string o;
  for (char c : v) {
    if (c == '"' || c == '\\') o.push_back('\\');
    if (static_cast<unsigned char>(c) < 0x20) continue;  // names and metadata are plain text
    o.push_back(c);
  }
  return o;
}
}  // namespace

void save_named_tensors(const std::string& path, const std::vector<std::pair<std::string, at::Tensor>>& tensors,
                        const std::string& dtype, const std::vector<std::pair<std::string, std::string>>& metadata) {
  TORCH_CHECK_VALUE(dtype == "F32" || dtype == "BF16", "save dtype must be F32 or BF16, got ", dtype);
  const auto st = dtype == "F32" ? at::kFloat : at::kBFloat16;
  const size_t esize = c10::elementSize(st);
  std::ostringstream h;
  h << "{\"__metadata__\":{\"format\":\"pt\"";
  for (const auto& [k, v] : metadata) h << ",\"" << json_escape(k) << "\":\"" << json_escape(v) << "\"";
  h << "}";
  uint64_t offset = 0;
  for (const auto& [name, t] : tensors) {
    const uint64_t n = static_cast<uint64_t>(t.numel()) * esize;
    h << ",\"" << json_escape(name) << "\":{\"dtype\":\"" << dtype << "\",\"shape\":[";
    for (int64_t d = 0; d < t.dim(); ++d) h << (d ? "," : "") << t.size(d);
    h << "],\"data_offsets\":[" << offset << "," << offset + n << "]}";
    offset += n;
  }
  h << "}";
  std::string header = h.str();
  // Pad the header with spaces to a multiple of 8 so the data that follows is aligned (as the
  // reference writer does); readers must accept trailing spaces.
  while (header.size() % 8 != 0) header.push_back(' ');
  FilePtr f(std::fopen(path.c_str(), "wb"));
  TORCH_CHECK(f != nullptr, path, ": cannot create (", std::strerror(errno), ")");
  uint8_t len[8];
  uint64_t hl = header.size();
  for (int i = 0; i < 8; ++i) len[i] = static_cast<uint8_t>((hl >> (8 * i)) & 0xff);  // little-endian
  bool ok = std::fwrite(len, 1, 8, f.get()) == 8 && std::fwrite(header.data(), 1, hl, f.get()) == hl;
  at::NoGradGuard no_grad;
  for (const auto& [name, t] : tensors) {
    if (!ok) break;
    auto data = t.detach().to(st).contiguous();
    const size_t n = static_cast<size_t>(data.numel()) * esize;
    ok = std::fwrite(data.data_ptr(), 1, n, f.get()) == n;
  }
  ok = ok && std::fflush(f.get()) == 0 && fsync(fileno(f.get())) == 0;
  TORCH_CHECK(ok, path, ": write failed (", std::strerror(errno), ")");
}

void save_safetensors(const Qwen2Model& model, const std::string& path, const std::string& dtype) {
  save_named_tensors(path, model.named_parameters(), dtype);
}

}  // namespace toolrl
