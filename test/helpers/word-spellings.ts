/** Token spellings of words, for the piece-dropout tests (lib/pretrain/pieceDropout.ts). */
/**
 * Each word (a run of `letters` ids) of `seqs` → the distinct token spellings it has there, skipping
 * words right after `keepAfter` (role names): piece dropout must give every word one spelling.
 */
export function wordSpellings(seqs: Int32Array[], letters: ReadonlySet<number>, decode: (x: Int32Array) => string, keepAfter: number): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const d of seqs) {
    for (let a = 0; a < d.length; ) {
      if (!letters.has(d[a]!)) {
        a++;
        continue;
      }
      let b = a;
      while (b < d.length && letters.has(d[b]!)) b++;
      if (d[a - 1] !== keepAfter) {
        const text = decode(d.subarray(a, b));
        out.set(text, (out.get(text) ?? new Set()).add(d.subarray(a, b).join(',')));
      }
      a = b;
    }
  }
  return out;
}
