// native/model/packing.cc — see packing.h.
#include "model/packing.h"

#include <algorithm>
#include <cstring>
#include <limits>
#include <map>

#include "model/qwen2.h"

namespace toolrl {

namespace {

// Sharing saves the prefix's tokens per extra sequence but lengthens the row, and attention grows
// with its square: a sequence whose continuation is longer than its prefix keeps a row of its own
// (pretraining's one-line "prompts" under whole examples; SFT prompts are rarely repeated).
bool shares(const RaggedIds& seqs, const std::vector<int64_t>& starts, int64_t i) {
  return starts[i] >= seqs.length(i) - starts[i];
}

bool same_prefix(const RaggedIds& seqs, const std::vector<int64_t>& starts, int64_t a, int64_t b) {
  if (starts[a] != starts[b]) return false;
  return std::memcmp(seqs.ids.data() + seqs.offsets[a], seqs.ids.data() + seqs.offsets[b],
                     sizeof(int32_t) * static_cast<size_t>(starts[a])) == 0;
}

}  // namespace

PackedRows pack_padded(const RaggedIds& seqs, const std::vector<int64_t>& starts, int64_t begin, int64_t end) {
  PackedRows m;
  at::Tensor lengths;
  std::tie(m.ids, lengths) = pad_right(seqs, begin, end);
  const int64_t B = end - begin, T = m.ids.size(1);
  m.positions = at::arange(T, at::kLong).unsqueeze(0).expand({B, T});
  m.attn = causal_padding_mask(lengths, T);
  std::vector<int64_t> rows, targets;
  for (int64_t r = 0; r < B; ++r) {
    const int64_t i = begin + r;
    for (int64_t t = starts[i]; t < seqs.length(i); ++t) {
      rows.push_back(r * T + t - 1);  // the position that predicts token t
      targets.push_back(seqs.ids[seqs.offsets[i] + t]);
    }
  }
  m.rows = at::tensor(rows, at::kLong);
  m.targets = at::tensor(targets, at::kLong);
  return m;
}

// Rows that share nothing get the ids, positions and mask pack_padded gives them (padding queries
// aside, whose outputs are never read).
PackedRows pack_shared_prefix(const RaggedIds& seqs, const std::vector<int64_t>& starts, int64_t begin, int64_t end) {
  PackedRows m;
  const int64_t B = end - begin;
  std::map<std::vector<int32_t>, int64_t> row_of;  // prefix ids -> packed row
  std::vector<std::vector<int64_t>> members;        // packed row -> sequences, in batch order
  std::vector<int64_t> seq_row(B), seq_start(B);    // each sequence's row and continuation offset in it
  std::vector<int64_t> row_len;
  for (int64_t i = begin; i < end; ++i) {
    const auto* s = seqs.ids.data() + seqs.offsets[i];
    const int64_t p = starts[i];
    int64_t r = static_cast<int64_t>(members.size());
    if (shares(seqs, starts, i)) r = row_of.emplace(std::vector<int32_t>(s, s + p), r).first->second;
    if (r == static_cast<int64_t>(members.size())) {
      members.emplace_back();
      row_len.push_back(p);
    }
    members[r].push_back(i);
    seq_row[i - begin] = r;
    seq_start[i - begin] = row_len[r];
    row_len[r] += seqs.length(i) - p;
  }
  const int64_t R = static_cast<int64_t>(members.size());
  const int64_t T = *std::max_element(row_len.begin(), row_len.end());
  m.ids = at::zeros({R, T}, at::kLong);
  m.positions = at::zeros({R, T}, at::kLong);
  // Segment of every slot: -1 prefix, k >= 0 the row's k-th continuation, -2 padding.
  auto seg = at::full({R, T}, -2, at::kLong);
  auto* ip = m.ids.data_ptr<int64_t>();
  auto* pp = m.positions.data_ptr<int64_t>();
  auto* sp = seg.data_ptr<int64_t>();
  for (int64_t r = 0; r < R; ++r) {
    const int64_t first = members[r][0], p = starts[first];
    const auto* s = seqs.ids.data() + seqs.offsets[first];
    for (int64_t t = 0; t < p; ++t) ip[r * T + t] = s[t], pp[r * T + t] = t, sp[r * T + t] = -1;
    for (size_t k = 0; k < members[r].size(); ++k) {
      const int64_t i = members[r][k], at0 = seq_start[i - begin], len = seqs.length(i) - p;
      const auto* c = seqs.ids.data() + seqs.offsets[i] + p;
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
  // Padding queries (-2) see the prefix keys before them, so no softmax row is empty; their
  // outputs are never read.
  auto allowed = causal.logical_and(valid_k).logical_and(seg_k.eq(-1).logical_or(seg_q.eq(seg_k)));
  m.attn = at::zeros({R, 1, T, T}, at::kFloat);
  m.attn.masked_fill_(allowed.logical_not().unsqueeze(1), -std::numeric_limits<float>::infinity());
  std::vector<int64_t> rows, targets;
  for (int64_t i = begin; i < end; ++i) {
    const int64_t r = seq_row[i - begin], p = starts[i], at0 = seq_start[i - begin];
    for (int64_t t = 0; t < seqs.length(i) - p; ++t) {
      // Continuation token t is predicted by the last prefix slot (t == 0) or by its predecessor.
      rows.push_back(r * T + (t == 0 ? p - 1 : at0 + t - 1));
      targets.push_back(seqs.ids[seqs.offsets[i] + p + t]);
    }
  }
  m.rows = at::tensor(rows, at::kLong);
  m.targets = at::tensor(targets, at::kLong);
  return m;
}

int64_t SharedPrefixSize::row_for(int64_t i) const {
  if (!shares(seqs_, starts_, i)) return -1;
  for (size_t r = 0; r < row_first_.size(); ++r) {
    const int64_t f = row_first_[r];
    if (f >= 0 && same_prefix(seqs_, starts_, f, i)) return static_cast<int64_t>(r);
  }
  return -1;
}

int64_t SharedPrefixSize::slots_with(int64_t i) const {
  const int64_t r = row_for(i), add = seqs_.length(i) - starts_[i];
  const int64_t len = r >= 0 ? row_len_[r] + add : seqs_.length(i);
  const int64_t rows = static_cast<int64_t>(row_len_.size()) + (r >= 0 ? 0 : 1);
  return rows * std::max(longest_, len);
}

void SharedPrefixSize::add(int64_t i) {
  const int64_t r = row_for(i);
  if (r >= 0) {
    row_len_[r] += seqs_.length(i) - starts_[i];
    longest_ = std::max(longest_, row_len_[r]);
    return;
  }
  // A row that does not share is never matched (-1), as pack_shared_prefix keeps it to itself.
  row_first_.push_back(shares(seqs_, starts_, i) ? i : -1);
  row_len_.push_back(seqs_.length(i));
  longest_ = std::max(longest_, seqs_.length(i));
}

void SharedPrefixSize::clear() {
  row_first_.clear();
  row_len_.clear();
  longest_ = 0;
}

}  // namespace toolrl
