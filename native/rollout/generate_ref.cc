// native/rollout/generate_ref.cc — see generate_ref.h.
#include "rollout/generate_ref.h"

#include <c10/core/InferenceMode.h>
#include <c10/util/Exception.h>

#include <algorithm>

namespace toolrl {

GenerateResult generate_reference(const Qwen2Model& model, const RaggedIds& prompts, const GenerateOptions& opts) {
  check_ragged(prompts, model.config().vocab_size);
  const int64_t T = prompts.length(0);
  for (int64_t p = 1; p < prompts.count(); ++p)
    TORCH_CHECK_VALUE(prompts.length(p) == T, "the reference generator takes equal-length prompts only");
  c10::InferenceMode guard;
  EagerOnly eager;  // plain ATen ops, as Hugging Face's eager generate runs them
  const int64_t B = prompts.count() * opts.n;
  RaggedIds rows;  // prompt p repeated n times: every sample prefilled separately
  for (int64_t p = 0; p < prompts.count(); ++p)
    for (int64_t j = 0; j < opts.n; ++j) {
      rows.ids.insert(rows.ids.end(), prompts.ids.begin() + prompts.offsets[p], prompts.ids.begin() + prompts.offsets[p + 1]);
      rows.offsets.push_back(static_cast<int64_t>(rows.ids.size()) - T);
    }
  rows.offsets.push_back(static_cast<int64_t>(rows.ids.size()));
  auto [ids, lengths] = pad_right(rows, 0, B);
  auto cache = KVCache::growing(model.config());
  const auto W = model.lm_head_weight();
  auto hidden = model.forward(ids, at::arange(T, at::kLong).unsqueeze(0).expand({B, T}), causal_padding_mask(lengths, T), &cache);
  auto logits = at::matmul(hidden.select(1, T - 1), W.t());
  GenerateResult out;
  out.ids.resize(B);
  out.logprobs.resize(B);
  out.stopped.assign(B, false);
  std::vector<uint64_t> sample_ids(B);
  for (int64_t r = 0; r < B; ++r) sample_ids[r] = static_cast<uint64_t>(r);
  std::vector<int32_t> tokens;
  std::vector<float> lps;
  std::vector<char> done(B, 0);
  for (int64_t step = 0; step < opts.max_new_tokens; ++step) {
    sample_rows(logits, sample_ids, static_cast<uint64_t>(step), opts.sampler, tokens, lps);
    bool all_done = true;
    auto next = at::empty({B, 1}, at::kLong);
    for (int64_t r = 0; r < B; ++r) {
      next[r][0] = static_cast<int64_t>(tokens[r]);
      if (done[r]) continue;
      out.ids[r].push_back(tokens[r]);
      out.logprobs[r].push_back(lps[r]);
      if (std::find(opts.stop_ids.begin(), opts.stop_ids.end(), tokens[r]) != opts.stop_ids.end()) {
        out.stopped[r] = true;
        done[r] = 1;
      }
      all_done = all_done && done[r];
    }
    if (all_done || step + 1 == opts.max_new_tokens) break;
    const int64_t S = T + step + 1;
    hidden = model.forward(next, at::full({B, 1}, T + step, at::kLong), at::zeros({B, 1, 1, S}), &cache);
    logits = at::matmul(hidden.select(1, 0), W.t());
  }
  return out;
}

}  // namespace toolrl
