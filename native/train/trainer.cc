// native/train/trainer.cc — see trainer.h.
#include "train/trainer.h"

#include <ATen/core/grad_mode.h>
#include <c10/util/Exception.h>
#include <torch/csrc/autograd/autograd.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <vector>

#include "loss/sft_loss.h"
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

// Sequences [begin, end) as model input: ids, rotary positions and additive attention mask of
// the rows, the flattened row of every completion token's predicting position, the completion mask
// (sequences, Tc) and the targets, in mask order (sequence by sequence).
struct MicroBatch {
  at::Tensor ids, positions, attn, rows, mask, targets;
};

at::Tensor completion_mask(const TrainBatch& b, int64_t begin, int64_t end) {
  int64_t Tc = 0;
  for (int64_t i = begin; i < end; ++i) Tc = std::max(Tc, b.seqs.length(i) - b.prompt_lens[i]);
  auto mask = at::zeros({end - begin, Tc}, at::kFloat);
  for (int64_t i = begin; i < end; ++i) mask[i - begin].narrow(0, 0, b.seqs.length(i) - b.prompt_lens[i]).fill_(1.0);
  return mask;
}

// One right-padded row per sequence, causal mask: the reference layout (share_prompts off).
MicroBatch make_micro_batch(const TrainBatch& b, int64_t begin, int64_t end) {
  MicroBatch m;
  at::Tensor lengths;
  std::tie(m.ids, lengths) = pad_right(b.seqs, begin, end);
  const int64_t B = end - begin, T = m.ids.size(1);
  m.positions = at::arange(T, at::kLong).unsqueeze(0).expand({B, T});
  m.attn = causal_padding_mask(lengths, T);
  m.mask = completion_mask(b, begin, end);
  std::vector<int64_t> rows, targets;
  for (int64_t r = 0; r < B; ++r) {
    const int64_t i = begin + r, p = b.prompt_lens[i], len = b.seqs.length(i);
    for (int64_t t = p; t < len; ++t) {
      rows.push_back(r * T + t - 1);  // the position that predicts token t
      targets.push_back(b.seqs.ids[b.seqs.offsets[i] + t]);
    }
  }
  m.rows = at::tensor(rows, at::kLong);
  m.targets = at::tensor(targets, at::kLong);
  return m;
}

// Sequences with the same prompt (a GRPO group's samples) share one row: the prompt once, then
// each completion, every token at the position it has in its own sequence; a completion token
// attends to the prompt and to its own completion only (a tree-shaped mask). The same
// computation as make_micro_batch up to float rounding, with each prompt's tokens computed once
// instead of once per sample (~290 prompt and ~40 completion tokens per toolrl-mini rollout).
// Rows that share nothing get the ids, positions and mask make_micro_batch gives them (padding
// queries aside, whose outputs are never read).
MicroBatch make_shared_prompt_micro_batch(const TrainBatch& b, int64_t begin, int64_t end) {
  MicroBatch m;
  const int64_t B = end - begin;
  std::map<std::vector<int32_t>, int64_t> row_of;  // prompt ids -> packed row
  std::vector<std::vector<int64_t>> members;        // packed row -> sequences, in batch order
  std::vector<int64_t> seq_row(B), seq_start(B);    // each sequence's row and completion offset in it
  std::vector<int64_t> row_len;
  for (int64_t i = begin; i < end; ++i) {
    const auto* s = b.seqs.ids.data() + b.seqs.offsets[i];
    const int64_t p = b.prompt_lens[i];
    // Sharing saves p tokens per extra sequence but lengthens the row, and attention grows with
    // its square: a sequence whose completion is longer than its prompt keeps a row of its own
    // (pretraining's one-line "prompts" under whole examples; SFT prompts are rarely repeated).
    int64_t r = static_cast<int64_t>(members.size());
    if (p >= b.seqs.length(i) - p) r = row_of.emplace(std::vector<int32_t>(s, s + p), r).first->second;
    if (r == static_cast<int64_t>(members.size())) {
      members.emplace_back();
      row_len.push_back(p);
    }
    members[r].push_back(i);
    seq_row[i - begin] = r;
    seq_start[i - begin] = row_len[r];
    row_len[r] += b.seqs.length(i) - p;
  }
  const int64_t R = static_cast<int64_t>(members.size());
  const int64_t T = *std::max_element(row_len.begin(), row_len.end());
  m.ids = at::zeros({R, T}, at::kLong);
  m.positions = at::zeros({R, T}, at::kLong);
  // Segment of every slot: -1 prompt, k >= 0 the row's k-th completion, -2 padding.
  auto seg = at::full({R, T}, -2, at::kLong);
  auto* ip = m.ids.data_ptr<int64_t>();
  auto* pp = m.positions.data_ptr<int64_t>();
  auto* sp = seg.data_ptr<int64_t>();
  for (int64_t r = 0; r < R; ++r) {
    const int64_t first = members[r][0], p = b.prompt_lens[first];
    const auto* s = b.seqs.ids.data() + b.seqs.offsets[first];
    for (int64_t t = 0; t < p; ++t) ip[r * T + t] = s[t], pp[r * T + t] = t, sp[r * T + t] = -1;
    for (size_t k = 0; k < members[r].size(); ++k) {
      const int64_t i = members[r][k], at0 = seq_start[i - begin], len = b.seqs.length(i) - p;
      const auto* c = b.seqs.ids.data() + b.seqs.offsets[i] + p;
      for (int64_t t = 0; t < len; ++t) {
        ip[r * T + at0 + t] = c[t];
        pp[r * T + at0 + t] = p + t;
        sp[r * T + at0 + t] = static_cast<int64_t>(k);
      }
    }
  }
  auto idx = at::arange(T, at::kLong);
  auto causal = (idx.view({1, T, 1}) >= idx.view({1, 1, T}));
  auto seg_q = seg.view({R, T, 1}), seg_k = seg.view({R, 1, T});
  auto valid_k = seg_k.ne(-2);
  // Padding queries (-2) see the prompt keys before them, so no softmax row is empty; their
  // outputs are never read.
  auto allowed = causal.logical_and(valid_k).logical_and(seg_k.eq(-1).logical_or(seg_q.eq(seg_k)));
  m.attn = at::zeros({R, 1, T, T}, at::kFloat);
  m.attn.masked_fill_(allowed.logical_not().unsqueeze(1), -std::numeric_limits<float>::infinity());
  m.mask = completion_mask(b, begin, end);
  std::vector<int64_t> rows, targets;
  for (int64_t i = begin; i < end; ++i) {
    const int64_t r = seq_row[i - begin], p = b.prompt_lens[i], at0 = seq_start[i - begin];
    for (int64_t t = 0; t < b.seqs.length(i) - p; ++t) {
      // Completion token t is predicted by the last prompt slot (t == 0) or by its predecessor.
      rows.push_back(r * T + (t == 0 ? p - 1 : at0 + t - 1));
      targets.push_back(b.seqs.ids[b.seqs.offsets[i] + p + t]);
    }
  }
  m.rows = at::tensor(rows, at::kLong);
  m.targets = at::tensor(targets, at::kLong);
  return m;
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
    auto mb = o.share_prompts ? make_shared_prompt_micro_batch(batch, begin, end) : make_micro_batch(batch, begin, end);
    const int64_t B = end - begin;
    // Token weights against the whole step (see trainer.h). token-mean: this micro-batch's own
    // mean, divided by the number of micro-batches.
    at::Tensor w;
    if (o.aggregation == Aggregation::kTokenMean) {
      w = token_weights(o.aggregation, mb.mask, n, mb.mask.sum().item<double>(), max_len) / static_cast<double>(num_micro);
    } else {
      w = token_weights(o.aggregation, mb.mask, n, tokens_total, max_len);
    }
    auto weight = w.masked_select(mb.mask > 0);  // (N) in the same order as rows/targets
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
