// native/model/score.cc — see score.h.
#include "model/score.h"

#include <c10/core/InferenceMode.h>
#include <c10/util/Exception.h>

#include <algorithm>

namespace toolrl {

void check_ragged(const RaggedIds& seqs, int64_t vocab_size) {
  TORCH_CHECK_VALUE(seqs.count() > 0, "expected at least one sequence");
  for (int64_t i = 0; i < seqs.count(); ++i) {
    TORCH_CHECK_VALUE(seqs.length(i) > 0, "sequence ", i, " is empty");
    for (int64_t j = seqs.offsets[i]; j < seqs.offsets[i + 1]; ++j) {
      const int32_t id = seqs.ids[j];
      TORCH_CHECK_VALUE(id >= 0 && id < vocab_size, "sequence ", i, " has token id ", id, " at position ",
                        j - seqs.offsets[i], ", outside the vocabulary [0, ", vocab_size, ")");
    }
  }
}

std::pair<at::Tensor, at::Tensor> pad_right(const RaggedIds& seqs, int64_t begin, int64_t end) {
  int64_t T = 0;
  for (int64_t i = begin; i < end; ++i) T = std::max(T, seqs.length(i));
  const int64_t B = end - begin;
  auto ids = at::zeros({B, T}, at::kLong);
  auto lengths = at::empty({B}, at::kLong);
  auto* p = ids.data_ptr<int64_t>();
  auto* lp = lengths.data_ptr<int64_t>();
  for (int64_t b = 0; b < B; ++b) {
    const int64_t i = begin + b, n = seqs.length(i);
    for (int64_t t = 0; t < n; ++t) p[b * T + t] = seqs.ids[seqs.offsets[i] + t];
    lp[b] = n;
  }
  return {ids, lengths};
}

std::vector<float> sequence_logprobs(const Qwen2Model& model, const RaggedIds& seqs, const std::vector<int64_t>& starts,
                                     int64_t token_budget) {
  check_ragged(seqs, model.config().vocab_size);
  TORCH_CHECK_VALUE(static_cast<int64_t>(starts.size()) == seqs.count(), "expected ", seqs.count(),
                    " start offsets, got ", starts.size());
  int64_t total = 0;
  for (int64_t i = 0; i < seqs.count(); ++i) {
    TORCH_CHECK_VALUE(starts[i] >= 1 && starts[i] <= seqs.length(i) - 1, "start[", i, "] = ", starts[i],
                      " is outside [1, ", seqs.length(i) - 1, "] for a sequence of length ", seqs.length(i),
                      " (position 0 has no context to be predicted from)");
    total += seqs.length(i) - starts[i];
  }
  c10::InferenceMode guard;
  std::vector<float> out;
  out.reserve(total);
  const auto W = model.lm_head_weight();  // (V, H)
  // Micro-batches of whole sequences, bounded by padded tokens, keep activations small.
  int64_t begin = 0;
  while (begin < seqs.count()) {
    int64_t end = begin + 1, maxlen = seqs.length(begin);
    while (end < seqs.count() && std::max(maxlen, seqs.length(end)) * (end - begin + 1) <= token_budget) {
      maxlen = std::max(maxlen, seqs.length(end));
      ++end;
    }
    auto [ids, lengths] = pad_right(seqs, begin, end);
    const int64_t B = ids.size(0), T = ids.size(1);
    auto positions = at::arange(T, at::kLong).unsqueeze(0).expand({B, T});
    auto hidden = model.forward(ids, positions, causal_padding_mask(lengths, T));  // (B, T, H)
    // Rows of the flattened (B*T, H) hidden that predict a requested token, and their targets.
    std::vector<int64_t> rows, targets;
    for (int64_t b = 0; b < B; ++b) {
      const int64_t i = begin + b;
      for (int64_t t = starts[i]; t < seqs.length(i); ++t) {
        rows.push_back(b * T + t - 1);
        targets.push_back(seqs.ids[seqs.offsets[i] + t]);
      }
    }
    auto h = hidden.reshape({B * T, -1}).index_select(0, at::tensor(rows, at::kLong));  // (N, H)
    auto tgt = at::tensor(targets, at::kLong);
    const int64_t N = h.size(0);
    const int64_t V = W.size(0);
    const int64_t chunk = std::max<int64_t>(1, (int64_t{1} << 22) / V);  // ~16 MB of logits at a time
    for (int64_t r = 0; r < N; r += chunk) {
      const int64_t n = std::min(chunk, N - r);
      auto logits = at::matmul(h.narrow(0, r, n), W.t());                                  // (n, V)
      auto lp = at::log_softmax(logits, -1).gather(1, tgt.narrow(0, r, n).unsqueeze(1));  // (n, 1)
      const float* d = lp.contiguous().data_ptr<float>();
      out.insert(out.end(), d, d + n);
    }
    begin = end;
  }
  return out;
}

}  // namespace toolrl
