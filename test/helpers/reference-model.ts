/**
 * An independent eager Qwen2/Llama forward in plain JavaScript (float64), written from Hugging Face's
 * modeling_qwen2.py / modeling_llama.py, to check the native model's log-probs. No batching, no
 * cache: one sequence, every position, full softmax over the vocabulary.
 */
import type { ModelConfig } from '../../lib/config';

type W = Map<string, Float32Array>;

function get(w: W, name: string): Float32Array {
  const t = w.get(name);
  if (!t) throw new Error(`reference model: missing ${name}`);
  return t;
}

/** y = x W^T + b for x (n_in), W (n_out, n_in). */
function linear(x: Float64Array, Wt: Float32Array, nOut: number, b?: Float32Array): Float64Array {
  const nIn = x.length;
  const y = new Float64Array(nOut);
  for (let o = 0; o < nOut; o++) {
    let s = b ? b[o]! : 0;
    for (let i = 0; i < nIn; i++) s += Wt[o * nIn + i]! * x[i]!;
    y[o] = s;
  }
  return y;
}

function rmsnorm(x: Float64Array, w: Float32Array, eps: number): Float64Array {
  let ss = 0;
  for (const v of x) ss += v * v;
  const r = 1 / Math.sqrt(ss / x.length + eps);
  return x.map((v, i) => v * r * w[i]!);
}

/** Rotary inverse frequencies with optional llama3 scaling (transformers' _compute_llama3_parameters). */
export function invFreq(c: ModelConfig): Float64Array {
  const D = c.hiddenSize / c.numAttentionHeads;
  const inv = new Float64Array(D / 2);
  for (let i = 0; i < D / 2; i++) inv[i] = 1 / c.ropeTheta ** ((2 * i) / D);
  const rs = c.ropeScaling;
  if (rs) {
    const lowWave = rs.originalMaxPositionEmbeddings / rs.lowFreqFactor;
    const highWave = rs.originalMaxPositionEmbeddings / rs.highFreqFactor;
    for (let i = 0; i < inv.length; i++) {
      const wave = (2 * Math.PI) / inv[i]!;
      if (wave < highWave) continue;
      if (wave > lowWave) inv[i] = inv[i]! / rs.factor;
      else {
        const smooth = (rs.originalMaxPositionEmbeddings / wave - rs.lowFreqFactor) / (rs.highFreqFactor - rs.lowFreqFactor);
        inv[i] = ((1 - smooth) * inv[i]!) / rs.factor + smooth * inv[i]!;
      }
    }
  }
  return inv;
}

function rope(x: Float64Array, pos: number, inv: Float64Array): Float64Array {
  const half = inv.length;
  const out = new Float64Array(x.length);
  for (let i = 0; i < half; i++) {
    const a = pos * inv[i]!;
    const c = Math.cos(a);
    const s = Math.sin(a);
    out[i] = x[i]! * c - x[i + half]! * s;
    out[i + half] = x[i + half]! * c + x[i]! * s;
  }
  return out;
}

/** Log-softmax rows (T x V) for every position of `ids`. */
export function referenceLogits(c: ModelConfig, w: W, ids: ArrayLike<number>): Float64Array[] {
  const H = c.hiddenSize, NH = c.numAttentionHeads, NKV = c.numKeyValueHeads, D = H / NH, G = NH / NKV;
  const F = c.intermediateSize, V = c.vocabSize, T = ids.length;
  const inv = invFreq(c);
  const E = get(w, 'model.embed_tokens.weight');
  let xs: Float64Array[] = Array.from(ids, (id) => Float64Array.from(E.subarray(id * H, (id + 1) * H)));
  for (let l = 0; l < c.numHiddenLayers; l++) {
    const p = `model.layers.${l}.`;
    const bias = (n: string) => (c.attentionBias ? get(w, `${p}self_attn.${n}_proj.bias`) : undefined);
    const qs: Float64Array[][] = [], ks: Float64Array[][] = [], vs: Float64Array[][] = [];
    for (let t = 0; t < T; t++) {
      const h = rmsnorm(xs[t]!, get(w, `${p}input_layernorm.weight`), c.rmsNormEps);
      const q = linear(h, get(w, `${p}self_attn.q_proj.weight`), NH * D, bias('q'));
      const k = linear(h, get(w, `${p}self_attn.k_proj.weight`), NKV * D, bias('k'));
      const v = linear(h, get(w, `${p}self_attn.v_proj.weight`), NKV * D, bias('v'));
      qs.push(Array.from({ length: NH }, (_, hh) => rope(q.subarray(hh * D, (hh + 1) * D), t, inv)));
      ks.push(Array.from({ length: NKV }, (_, hh) => rope(k.subarray(hh * D, (hh + 1) * D), t, inv)));
      vs.push(Array.from({ length: NKV }, (_, hh) => v.slice(hh * D, (hh + 1) * D)));
    }
    const next: Float64Array[] = [];
    for (let t = 0; t < T; t++) {
      const attn = new Float64Array(NH * D);
      for (let hh = 0; hh < NH; hh++) {
        const kv = Math.floor(hh / G);
        const scores = new Float64Array(t + 1);
        let max = -Infinity;
        for (let s = 0; s <= t; s++) {
          let dot = 0;
          for (let d = 0; d < D; d++) dot += qs[t]![hh]![d]! * ks[s]![kv]![d]!;
          scores[s] = dot / Math.sqrt(D);
          max = Math.max(max, scores[s]!);
        }
        let z = 0;
        for (let s = 0; s <= t; s++) z += (scores[s] = Math.exp(scores[s]! - max));
        for (let s = 0; s <= t; s++) for (let d = 0; d < D; d++) attn[hh * D + d]! += (scores[s]! / z) * vs[s]![kv]![d]!;
      }
      const o = linear(attn, get(w, `${p}self_attn.o_proj.weight`), H);
      const x1 = xs[t]!.map((v, i) => v + o[i]!);
      const h2 = rmsnorm(x1, get(w, `${p}post_attention_layernorm.weight`), c.rmsNormEps);
      const g = linear(h2, get(w, `${p}mlp.gate_proj.weight`), F);
      const u = linear(h2, get(w, `${p}mlp.up_proj.weight`), F);
      const act = g.map((gv, i) => (gv / (1 + Math.exp(-gv))) * u[i]!);
      const m = linear(act, get(w, `${p}mlp.down_proj.weight`), H);
      next.push(x1.map((v, i) => v + m[i]!));
    }
    xs = next;
  }
  const head = c.tieWordEmbeddings ? E : get(w, 'lm_head.weight');
  return xs.map((x) => {
    const logits = linear(rmsnorm(x, get(w, 'model.norm.weight'), c.rmsNormEps), head, V);
    let max = -Infinity;
    for (const v of logits) max = Math.max(max, v);
    let z = 0;
    for (const v of logits) z += Math.exp(v - max);
    const lz = Math.log(z) + max;
    return logits.map((v) => v - lz);
  });
}

/** log p(s[t] | s[<t]) for t = start .. s.length - 1. */
export function referenceLogprobs(c: ModelConfig, w: W, seq: Int32Array, start: number): number[] {
  const rows = referenceLogits(c, w, seq);
  const out: number[] = [];
  for (let t = start; t < seq.length; t++) out.push(rows[t - 1]![seq[t]!]!);
  return out;
}

/** Random weights under Hugging Face names (normal-ish, std ~0.1 so logits are not flat). */
export function randomWeights(c: ModelConfig, r: () => number, scale = 0.1): Map<string, { shape: number[]; values: Float32Array }> {
  const H = c.hiddenSize, NH = c.numAttentionHeads, NKV = c.numKeyValueHeads, D = H / NH, F = c.intermediateSize, V = c.vocabSize;
  const out = new Map<string, { shape: number[]; values: Float32Array }>();
  const add = (name: string, shape: number[], kind: 'w' | 'norm' = 'w') => {
    const n = shape.reduce((a, b) => a * b, 1);
    const values = new Float32Array(n);
    for (let i = 0; i < n; i++) values[i] = kind === 'norm' ? 1 + (r() - 0.5) * 0.2 : (r() * 2 - 1) * scale * 1.7;
    out.set(name, { shape, values });
  };
  add('model.embed_tokens.weight', [V, H]);
  for (let l = 0; l < c.numHiddenLayers; l++) {
    const p = `model.layers.${l}.`;
    add(`${p}input_layernorm.weight`, [H], 'norm');
    add(`${p}self_attn.q_proj.weight`, [NH * D, H]);
    add(`${p}self_attn.k_proj.weight`, [NKV * D, H]);
    add(`${p}self_attn.v_proj.weight`, [NKV * D, H]);
    if (c.attentionBias) {
      add(`${p}self_attn.q_proj.bias`, [NH * D]);
      add(`${p}self_attn.k_proj.bias`, [NKV * D]);
      add(`${p}self_attn.v_proj.bias`, [NKV * D]);
    }
    add(`${p}self_attn.o_proj.weight`, [H, NH * D]);
    add(`${p}post_attention_layernorm.weight`, [H], 'norm');
    add(`${p}mlp.gate_proj.weight`, [F, H]);
    add(`${p}mlp.up_proj.weight`, [F, H]);
    add(`${p}mlp.down_proj.weight`, [H, F]);
  }
  add('model.norm.weight', [H], 'norm');
  if (!c.tieWordEmbeddings) add('lm_head.weight', [V, H]);
  return out;
}
