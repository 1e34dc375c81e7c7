// native/model/score.cc — see score.h.
#include "model/score.h"

#include <c10/core/InferenceMode.h>
#include <c10/util/Exception.h>

#include <algorithm>

#include "model/packing.h"

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
                                     bool share_prefix, int64_t token_budget) {
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
  // On CPU, forwards of ~2k slots: measured (toolrl-mini base, 64 rollouts of ~340 tokens, 2 cores,
  // medians of 3 runs) shared 2.04 s at 8192 slots -> 1.75 s at 2048 (1.85 s at 1024), one row per
  // sequence 5.46 s -> 2.57 s: a forward's (rows, heads, T, T) attention temporaries outgrow the
  // caches and are allocated afresh per layer. GPUs want large forwards (not measured here).
  if (token_budget <= 0) token_budget = W.is_cuda() ? 8192 : 2048;
  // Micro-batches of whole sequences, bounded by the tokens their rows compute, keep activations
  // small. Shared: sequences with the same prefix [0, start) — a GRPO group's samples — share a
  // row (model/packing.h), so each prompt is computed once per micro-batch, not once per sample.
  SharedPrefixSize size(seqs, starts);
  int64_t begin = 0;
  while (begin < seqs.count()) {
    int64_t end = begin + 1, maxlen = seqs.length(begin);
    size.clear();
    size.add(begin);
    while (end < seqs.count() &&
           (share_prefix ? size.slots_with(end) : std::max(maxlen, seqs.length(end)) * (end - begin + 1)) <= token_budget) {
      maxlen = std::max(maxlen, seqs.length(end));
      size.add(end);
      ++end;
    }
    const auto m = share_prefix ? pack_shared_prefix(seqs, starts, begin, end) : pack_padded(seqs, starts, begin, end);
    auto hidden = model.forward(m.ids, m.positions, m.attn);  // (rows, T, H)
    auto h = hidden.reshape({-1, hidden.size(2)}).index_select(0, m.rows);  // (N, H)
    const auto& tgt = m.targets;
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
