/**
 * GRPO advantages (Shao et al. 2024, DeepSeekMath §4.1.2; DESIGN.md GRPO table): within each group
 * of G samples of one prompt, A_i = (r_i − mean_g) / (std_g + eps), std unbiased (torch.std's
 * default, as veRL computes it), eps 1e-6. With `scaleByStd: false`, A_i = r_i − mean_g
 * (Dr. GRPO, Liu et al. 2025 §3.1). A group whose rewards are all equal carries no signal: its
 * advantages are 0 and it is reported (the zero-variance fraction; dynamic sampling drops it).
 */
export interface GroupAdvantages {
  advantages: Float32Array;
  /** Per group: true when every reward in it is equal. */
  zeroVariance: boolean[];
}

export function groupAdvantages(rewards: ArrayLike<number>, groupSize: number, opts: { scaleByStd?: boolean; eps?: number } = {}): GroupAdvantages {
  if (!Number.isInteger(groupSize) || groupSize < 1) throw new RangeError(`Expected a group size >= 1 but received ${groupSize}`);
  if (rewards.length % groupSize !== 0) throw new RangeError(`${rewards.length} rewards do not split into groups of ${groupSize}`);
  const scale = opts.scaleByStd ?? true;
  const eps = opts.eps ?? 1e-6;
  const out = new Float32Array(rewards.length);
  const zeroVariance: boolean[] = [];
  for (let g = 0; g < rewards.length; g += groupSize) {
    let mean = 0;
    for (let i = 0; i < groupSize; i++) {
      const r = rewards[g + i]!;
      if (!Number.isFinite(r)) throw new RangeError(`Expected finite rewards but reward ${g + i} is ${r}`);
      mean += r;
    }
    mean /= groupSize;
    let ss = 0;
    let allEqual = true;
    for (let i = 0; i < groupSize; i++) {
      const d = rewards[g + i]! - mean;
      ss += d * d;
      if (rewards[g + i] !== rewards[g]) allEqual = false;
    }
    // Unbiased std; a group of one has none (NaN in torch): treat as zero variance.
    const std = groupSize > 1 ? Math.sqrt(ss / (groupSize - 1)) : 0;
    zeroVariance.push(allEqual);
    for (let i = 0; i < groupSize; i++) {
      out[g + i] = allEqual ? 0 : scale ? (rewards[g + i]! - mean) / (std + eps) : rewards[g + i]! - mean;
    }
  }
  return { advantages: out, zeroVariance };
}
