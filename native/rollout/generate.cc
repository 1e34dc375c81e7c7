// native/rollout/generate.cc — see generate.h.
#include "rollout/generate.h"

#include <c10/core/InferenceMode.h>
#include <c10/util/Exception.h>

#include <algorithm>
#include <limits>
#include <numeric>

namespace toolrl {

namespace {

struct Row {
  int64_t prompt;  // index into the prompts
  int64_t sample;  // global sample index = prompt * n + j (prompt-major output order)
};

// Decodes one chunk of rows; results go to out at each row's sample index.
void generate_chunk(const Qwen2Model& model, const RaggedIds& prompts, const GenerateOptions& opts,
                    const std::vector<Row>& rows, GenerateResult& out) {
  const auto& cfg = model.config();
  const int64_t B = static_cast<int64_t>(rows.size());

  // Prefill units: distinct prompts (shared prefix) or one unit per row (no sharing).
  std::vector<int64_t> unit_of_row(B);
  std::vector<int64_t> unit_prompt;
  for (int64_t r = 0; r < B; ++r) {
    if (opts.share_prefix && !unit_prompt.empty() && unit_prompt.back() == rows[r].prompt) {
      unit_of_row[r] = static_cast<int64_t>(unit_prompt.size()) - 1;
    } else {
      unit_prompt.push_back(rows[r].prompt);
      unit_of_row[r] = static_cast<int64_t>(unit_prompt.size()) - 1;
    }
  }
  int64_t P = 0;
  for (int64_t p : unit_prompt) P = std::max(P, prompts.length(p));
  const int64_t capacity = P + opts.max_new_tokens;
  KVCache cache(cfg, B, capacity, at::TensorOptions().dtype(at::kFloat));

  // ---- prefill, one unit at a time when sharing (so no unit pays for another's padding), and
  // copy each unit's keys/values into its rows, right-aligned at slot P.
  at::Tensor first_logits = at::empty({B, cfg.vocab_size}, at::kFloat);
  for (int64_t u = 0; u < static_cast<int64_t>(unit_prompt.size()); ++u) {
    const int64_t p = unit_prompt[u], T = prompts.length(p);
    RaggedIds one;
    one.ids.assign(prompts.ids.begin() + prompts.offsets[p], prompts.ids.begin() + prompts.offsets[p + 1]);
    one.offsets = {0, T};
    auto [ids, lengths] = pad_right(one, 0, 1);
    KVCache pre(cfg, 1, T, at::TensorOptions().dtype(at::kFloat));
    auto positions = at::arange(T, at::kLong).unsqueeze(0);
    auto hidden = model.forward(ids, positions, causal_padding_mask(lengths, T), &pre, 0);  // (1, T, H)
    auto logits = model.lm_head_logits(hidden.select(1, T - 1));                          // (1, V)
    for (int64_t r = 0; r < B; ++r) {
      if (unit_of_row[r] != u) continue;
      first_logits.narrow(0, r, 1).copy_(logits);
      for (int64_t l = 0; l < cfg.num_layers; ++l) {
        cache.k[l].select(0, r).narrow(1, P - T, T).copy_(pre.k[l].select(0, 0));
        cache.v[l].select(0, r).narrow(1, P - T, T).copy_(pre.v[l].select(0, 0));
      }
    }
  }
  // The rows of one unit now hold the same prompt keys/values in slots [P - T, P): tell the
  // decode attention kernel, which then reads them once per unit (kv_cache.h, prefix_leader).
  cache.prefix_leader.assign(B, 0);
  cache.prefix_end.assign(B, P);
  {
    std::vector<int64_t> first_row(unit_prompt.size(), -1);
    for (int64_t r = 0; r < B; ++r) {
      auto& f = first_row[unit_of_row[r]];
      if (f < 0) f = r;
      cache.prefix_leader[r] = f;
    }
  }

  // ---- decode. `active` maps batch positions to rows; mask hides slots before each prompt.
  std::vector<int64_t> active(B);
  std::iota(active.begin(), active.end(), 0);
  auto mask = at::zeros({B, 1, 1, capacity}, at::kFloat);
  std::vector<int64_t> prompt_len(B);
  for (int64_t r = 0; r < B; ++r) {
    prompt_len[r] = prompts.length(rows[r].prompt);
    mask[r].narrow(-1, 0, P - prompt_len[r]).fill_(-std::numeric_limits<float>::infinity());
  }
  at::Tensor logits = first_logits;
  std::vector<char> done(B, 0);  // per row: finished (stop id or length)
  std::vector<int32_t> tokens;
  std::vector<float> lps;
  for (int64_t step = 0; step < opts.max_new_tokens; ++step) {
    std::vector<uint64_t> sample_ids(active.size());
    for (size_t a = 0; a < active.size(); ++a) sample_ids[a] = static_cast<uint64_t>(rows[active[a]].sample);
    sample_rows(logits, sample_ids, static_cast<uint64_t>(step), opts.sampler, tokens, lps);
    std::vector<int64_t> keep;  // batch positions still running after this step
    keep.reserve(active.size());
    for (size_t a = 0; a < active.size(); ++a) {
      const int64_t r = active[a];
      if (done[r]) continue;  // finished earlier, riding along until the next compaction
      const int64_t s = rows[r].sample;
      out.ids[s].push_back(tokens[a]);
      out.logprobs[s].push_back(lps[a]);
      const bool stop = std::find(opts.stop_ids.begin(), opts.stop_ids.end(), tokens[a]) != opts.stop_ids.end();
      if (stop) out.stopped[s] = true;
      if (stop || step + 1 >= opts.max_new_tokens) done[r] = 1;
      else keep.push_back(static_cast<int64_t>(a));
    }
    if (keep.empty()) break;
    // Drop finished rows (and their cache rows) once they are a quarter of the batch: the copy
    // costs about one decode step, so compacting on every finish would cost more than it saves.
    std::vector<int32_t> next_tokens = tokens;
    if ((active.size() - keep.size()) * 4 >= active.size()) {
      auto idx = at::tensor(keep, at::kLong);
      cache.select_rows(idx);
      mask = mask.index_select(0, idx);
      std::vector<int64_t> next_active;
      next_tokens.clear();
      for (int64_t a : keep) {
        next_active.push_back(active[a]);
        next_tokens.push_back(tokens[a]);
      }
      active.swap(next_active);
    }
    const int64_t A = static_cast<int64_t>(active.size());
    auto ids = at::empty({A, 1}, at::kLong);
    auto positions = at::empty({A, 1}, at::kLong);
    auto* ip = ids.data_ptr<int64_t>();
    auto* pp = positions.data_ptr<int64_t>();
    for (int64_t a = 0; a < A; ++a) {
      ip[a] = static_cast<int64_t>(next_tokens[a]);
      pp[a] = prompt_len[active[a]] + step;  // rotary position of the token just sampled
    }
    const int64_t slot = P + step;
    auto hidden = model.forward(ids, positions, mask.narrow(-1, 0, slot + 1), &cache, slot);  // (A, 1, H)
    logits = model.lm_head_logits(hidden.select(1, 0));                                      // (A, V)
  }
}

}  // namespace

GenerateResult generate(const Qwen2Model& model, const RaggedIds& prompts, const GenerateOptions& opts) {
  check_ragged(prompts, model.config().vocab_size);
  TORCH_CHECK_VALUE(opts.n >= 1, "n must be >= 1, got ", opts.n);
  TORCH_CHECK_VALUE(opts.max_new_tokens >= 1, "maxNewTokens must be >= 1, got ", opts.max_new_tokens);
  TORCH_CHECK_VALUE(opts.sampler.temperature >= 0, "temperature must be >= 0, got ", opts.sampler.temperature);
  TORCH_CHECK_VALUE(opts.sampler.top_p > 0 && opts.sampler.top_p <= 1, "topP must be in (0, 1], got ",
                    opts.sampler.top_p);
  TORCH_CHECK_VALUE(opts.sampler.top_k >= 0, "topK must be >= 0, got ", opts.sampler.top_k);
  c10::InferenceMode guard;
  const int64_t total = prompts.count() * opts.n;
  GenerateResult out;
  out.ids.resize(total);
  out.logprobs.resize(total);
  out.stopped.assign(total, false);
  std::vector<Row> all;
  all.reserve(total);
  for (int64_t p = 0; p < prompts.count(); ++p)
    for (int64_t j = 0; j < opts.n; ++j) all.push_back({p, p * opts.n + j});
  const int64_t cap = opts.batch_size > 0 ? opts.batch_size : total;
  for (int64_t begin = 0; begin < total; begin += cap) {
    std::vector<Row> chunk(all.begin() + begin, all.begin() + std::min(total, begin + cap));
    generate_chunk(model, prompts, opts, chunk, out);
  }
  return out;
}

}  // namespace toolrl
