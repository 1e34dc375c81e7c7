// native/train/trainer.cc — see trainer.h.
#include "train/trainer.h"

#include <ATen/core/grad_mode.h>
#include <c10/util/Exception.h>
#include <torch/csrc/autograd/autograd.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "loss/sft_loss.h"
#include "model/packing.h"
#include "runtime/threads.h"

namespace toolrl {

int64_t TrainBatch::completion_tokens() const {
  int64_t n = 0;
  for (int64_t i = 0; i < seqs.count(); ++i) n += seqs.length(i) - prompt_lens[i];
  return n;
}

void check_batch(const TrainBatch& b, const StepOptions& o, int64_t vocab_size) {
  check_ragged(b.seqs, vocab_size);
  const int64_t n = b.seqs.count();
  TORCH_CHECK_VALUE(static_cast<int64_t>(b.prompt_lens.size()) == n, "expected ", n, " prompt lengths, got ",
                    b.prompt_lens.size());
  for (int64_t i = 0; i < n; ++i)
    TORCH_CHECK_VALUE(b.prompt_lens[i] >= 1 && b.prompt_lens[i] < b.seqs.length(i), "sequence ", i,
                      ": prompt length ", b.prompt_lens[i], " must be in [1, ", b.seqs.length(i) - 1,
                      "] (a non-empty prompt and at least one completion token)");
  const int64_t tokens = b.completion_tokens();
  if (o.grpo) {
    TORCH_CHECK_VALUE(static_cast<int64_t>(b.advantages.size()) == n, "expected ", n, " advantages, got ",
                      b.advantages.size());
    for (int64_t i = 0; i < n; ++i)
      TORCH_CHECK_VALUE(std::isfinite(b.advantages[i]), "advantage ", i, " is not finite (", b.advantages[i], ")");
    for (const auto* v : {&b.old_logp, &b.ref_logp}) {
      TORCH_CHECK_VALUE(v->empty() || static_cast<int64_t>(v->size()) == tokens, "expected ", tokens,
                        " per-token log-probs (one per completion token), got ", v->size());
      for (float x : *v) TORCH_CHECK_VALUE(std::isfinite(x) && x <= 0.0f, "log-probs must be finite and <= 0, got ", x);
    }
    TORCH_CHECK_VALUE(o.loss.beta == 0 || !b.ref_logp.empty(), "beta > 0 needs reference log-probs");
  }
}

namespace {

// (sequences, longest completion): 1 on each sequence's completion tokens, in the order the packed
// rows/targets list them (sequence by sequence).
at::Tensor completion_mask(const TrainBatch& b, int64_t begin, int64_t end) {
  int64_t Tc = 0;
  for (int64_t i = begin; i < end; ++i) Tc = std::max(Tc, b.seqs.length(i) - b.prompt_lens[i]);
  auto mask = at::zeros({end - begin, Tc}, at::kFloat);
  for (int64_t i = begin; i < end; ++i) mask[i - begin].narrow(0, 0, b.seqs.length(i) - b.prompt_lens[i]).fill_(1.0);
  return mask;
}

}  // namespace

StepMetrics train_step(Qwen2Model& model, AdamW& optimizer, const TrainBatch& batch, const StepOptions& o) {
  check_batch(batch, o, model.config().vocab_size);
  const auto& params = model.named_parameters();
  at::AutoGradMode grad_on(true);
  zero_grads(params);
  const int64_t n = batch.seqs.count();
  const int64_t micro = o.micro_batch > 0 ? std::min(o.micro_batch, n) : n;
  const int64_t num_micro = (n + micro - 1) / micro;
  const double tokens_total = static_cast<double>(batch.completion_tokens());
  int64_t max_len = o.max_completion_len;
  for (int64_t i = 0; i < n; ++i) max_len = std::max(max_len, batch.seqs.length(i) - batch.prompt_lens[i]);

  StepMetrics out;
  double kl_sum = 0, ent_sum = 0;
  int64_t clipped = 0;
  int64_t token_offset = 0;  // into the flattened per-token arrays
  for (int64_t begin = 0; begin < n; begin += micro) {
    const int64_t end = std::min(n, begin + micro);
    // One row per group's prompt (model/packing.h), or one padded row per sequence (the reference).
    const auto mb = o.share_prompts ? pack_shared_prefix(batch.seqs, batch.prompt_lens, begin, end)
                                    : pack_padded(batch.seqs, batch.prompt_lens, begin, end);
    const auto mask = completion_mask(batch, begin, end);  // (sequences, Tc), in rows/targets order
    const int64_t B = end - begin;
    // Token weights against the whole step (see trainer.h). token-mean: this micro-batch's own
    // mean, divided by the number of micro-batches.
    at::Tensor w;
    if (o.aggregation == Aggregation::kTokenMean) {
      w = token_weights(o.aggregation, mask, n, mask.sum().item<double>(), max_len) / static_cast<double>(num_micro);
    } else {
      w = token_weights(o.aggregation, mask, n, tokens_total, max_len);
    }
    auto weight = w.masked_select(mask > 0);  // (N) in the same order as rows/targets
    const int64_t N = weight.size(0);
    auto hidden = model.forward(mb.ids, mb.positions, mb.attn);                  // (rows, T, H)
    auto h = hidden.reshape({-1, hidden.size(2)}).index_select(0, mb.rows);  // (N, H)
    at::Tensor loss;
    if (o.grpo) {
      GrpoLossInputs in;
      in.hidden = h;
      in.lm_head = model.lm_head_weight();
      in.targets = mb.targets;
      std::vector<float> adv(N);
      for (int64_t r = 0, k = 0; r < B; ++r) {
        const int64_t i = begin + r, len = batch.seqs.length(i) - batch.prompt_lens[i];
        for (int64_t t = 0; t < len; ++t) adv[k++] = batch.advantages[i];
      }
      in.adv = at::tensor(adv, at::kFloat);
      in.weight = weight;
      auto slice = [&](const std::vector<float>& v) {
        return v.empty() ? at::Tensor()
                         : at::tensor(std::vector<float>(v.begin() + token_offset, v.begin() + token_offset + N), at::kFloat);
      };
      in.old_logp = slice(batch.old_logp);
      in.ref_logp = slice(batch.ref_logp);
      GrpoLossMetrics m;
      loss = o.fused ? grpo_loss_fused(in, o.loss, &m) : grpo_loss_reference(in, o.loss, &m);
      kl_sum += m.kl_sum;
      ent_sum += m.entropy_sum;
      clipped += m.clipped;
    } else {
      SftLossInputs in{h, model.lm_head_weight(), mb.targets, weight};
      SftLossOptions so;
      so.chunk_rows = o.loss.chunk_rows;
      SftLossMetrics m;
      loss = o.fused ? sft_loss_fused(in, so, &m) : sft_loss_reference(in, so, &m);
    }
    const double lv = loss.item<double>();
    out.loss += lv;
    token_offset += N;
    if (!std::isfinite(lv)) {
      out.skipped = true;
      out.skip_reason = "loss is not finite";
      break;
    }
    torch::autograd::backward({loss});
  }
  out.tokens = static_cast<int64_t>(tokens_total);
  out.kl = tokens_total > 0 ? kl_sum / tokens_total : 0;
  out.entropy = tokens_total > 0 ? ent_sum / tokens_total : 0;
  out.clip_fraction = tokens_total > 0 ? static_cast<double>(clipped) / tokens_total : 0;
  if (!out.skipped) {
    out.grad_norm = clip_grad_norm(params, o.max_grad_norm);
    if (!std::isfinite(out.grad_norm)) {
      out.skipped = true;
      out.skip_reason = "gradient norm is not finite";
    }
  }
  if (!out.skipped) optimizer.step(o.adamw);
  zero_grads(params);
  if (o.release_memory) release_memory();
  return out;
}

}  // namespace toolrl
