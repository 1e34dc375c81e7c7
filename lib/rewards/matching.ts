/**
 * Maximum-weight assignment of predicted calls to gold calls (the Hungarian algorithm, in the
 * O(n^3) potentials form), for `matching: 'optimal'` ("Beyond the reference" in spec/REWARD.md).
 *
 * Weights are non-negative *integers* here (correctness.ts scales the per-pair rationals by their
 * common denominator), so the search is exact: no float ties decide which assignment wins.
 */

/**
 * assign[g] = column matched to row g, or -1, maximising the summed weight of matched pairs.
 * w is rows × cols of non-negative integers; a pair with weight 0 is as good as unmatched.
 */
export function maxWeightAssignment(w: readonly (readonly number[])[], rows: number, cols: number): number[] {
  const k = Math.max(rows, cols);
  let maxW = 0;
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) if (w[i][j] > maxW) maxW = w[i][j];
  // cost[i][j] = maxW - w[i][j] (padding rows/cols cost maxW): minimising cost maximises weight.
  const cost = (i: number, j: number): number => (i < rows && j < cols ? maxW - w[i][j] : maxW);
  const INF = Number.MAX_VALUE;
  const u = new Array<number>(k + 1).fill(0);
  const v = new Array<number>(k + 1).fill(0);
  const p = new Array<number>(k + 1).fill(0); // p[j] = row (1-based) matched to column j
  const way = new Array<number>(k + 1).fill(0);
  for (let i = 1; i <= k; i++) {
    p[0] = i;
    let j0 = 0;
    const minv = new Array<number>(k + 1).fill(INF);
    const used = new Array<boolean>(k + 1).fill(false);
    do {
      used[j0] = true;
      const i0 = p[j0];
      let delta = INF;
      let j1 = 0;
      for (let j = 1; j <= k; j++) {
        if (used[j]) continue;
        const cur = cost(i0 - 1, j - 1) - u[i0] - v[j];
        if (cur < minv[j]) {
          minv[j] = cur;
          way[j] = j0;
        }
        if (minv[j] < delta) {
          delta = minv[j];
          j1 = j;
        }
      }
      for (let j = 0; j <= k; j++) {
        if (used[j]) {
          u[p[j]] += delta;
          v[j] -= delta;
        } else {
          minv[j] -= delta;
        }
      }
      j0 = j1;
    } while (p[j0] !== 0);
    do {
      const j1 = way[j0];
      p[j0] = p[j1];
      j0 = j1;
    } while (j0 !== 0);
  }
  const assign = new Array<number>(rows).fill(-1);
  for (let j = 1; j <= k; j++) {
    const i = p[j] - 1;
    if (i < rows && j - 1 < cols && w[i][j - 1] > 0) assign[i] = j - 1;
  }
  return assign;
}
