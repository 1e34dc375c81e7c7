// native/train/trainer.h — one optimisation step of GRPO or SFT on a batch of
// (prompt + completion) sequences: micro-batched forward, the fused (or reference) loss on the
// completion positions only, backward, global-norm clipping, AdamW (DESIGN.md "One GRPO step").
//
// Micro-batching (gradient accumulation): token weights are computed against the whole step
// (aggregation.h), so the summed micro-batch gradients equal the full-batch gradient and the result
// does not depend on the micro-batch size — except for 'token-mean', which, as TRL's per-batch
// normalisation does, averages each micro-batch's token mean over the micro-batches.
// A step whose loss or gradient norm is not finite is skipped (no update) and reported.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "loss/aggregation.h"
#include "loss/grpo_loss.h"
#include "model/qwen2.h"
#include "model/score.h"
#include "train/adamw.h"

namespace toolrl {

struct TrainBatch {
  RaggedIds seqs;                    // prompt + completion per sequence
  std::vector<int64_t> prompt_lens;  // completion of i = seqs[i][prompt_lens[i] ..]
  std::vector<float> advantages;     // per sequence (GRPO only)
  std::vector<float> old_logp;       // per completion token, flattened; empty = on-policy (ratio 1)
  std::vector<float> ref_logp;       // per completion token, flattened; empty unless beta > 0
  int64_t completion_tokens() const;
};

struct StepOptions {
  bool grpo = true;              // false: SFT (cross-entropy on completion tokens)
  bool fused = true;             // false: the eager reference loss
  GrpoLossOptions loss;          // eps, beta, entropy, chunk rows (GRPO)
  Aggregation aggregation = Aggregation::kTokenMean;
  int64_t max_completion_len = 0;  // dr_grpo's constant (0: the batch's longest completion)
  int64_t micro_batch = 0;         // sequences per forward/backward (0: all)
  bool share_prompts = true;       // sequences with the same prompt share one row (trainer.cc)
  AdamWOptions adamw;
  double max_grad_norm = 1.0;
  bool release_memory = true;      // malloc_trim after the step (runtime/threads.h)
};

struct StepMetrics {
  double loss = 0, kl = 0, entropy = 0, clip_fraction = 0, grad_norm = 0;
  int64_t tokens = 0;
  bool skipped = false;
  std::string skip_reason;
};

void check_batch(const TrainBatch& b, const StepOptions& o, int64_t vocab_size);

StepMetrics train_step(Qwen2Model& model, AdamW& optimizer, const TrainBatch& batch, const StepOptions& opts);

}  // namespace toolrl
