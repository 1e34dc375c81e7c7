/**
 * Every option of toolrl, its default, unit and range — the one place defaults live (STYLE.md §7).
 * Native code receives fully resolved values and applies no defaults of its own.
 */

// ---------------------------------------------------------------------------------------------
// Model

/**
 * A Qwen2-family decoder's shape, camelCase mirror of Hugging Face's config.json.
 * Real sizes, for orientation: Qwen2.5-1.5B-Instruct has vocab 151936, hidden 1536, 28 layers,
 * 12 heads / 2 KV heads, ffn 8960, rope_theta 1e6, tied embeddings, q/k/v bias.
 */
export interface ModelConfig {
  /** 'qwen2' (q/k/v bias) or 'llama' (no bias, optional llama3 rope scaling). */
  modelType: 'qwen2' | 'llama';
  vocabSize: number;
  hiddenSize: number;
  numHiddenLayers: number;
  numAttentionHeads: number;
  numKeyValueHeads: number;
  intermediateSize: number;
  ropeTheta: number;
  rmsNormEps: number;
  tieWordEmbeddings: boolean;
  /** Bias on q/k/v projections. Qwen2 always has it; Llama has `attention_bias` (default false). */
  attentionBias: boolean;
  maxPositionEmbeddings: number;
  /** Storage dtype written to config.json; compute is float32 on CPU. */
  torchDtype: 'float32' | 'float16' | 'bfloat16';
  /** Llama 3.x rope scaling (`rope_scaling.rope_type == "llama3"`), or null. */
  ropeScaling: null | {
    ropeType: 'llama3';
    factor: number;
    lowFreqFactor: number;
    highFreqFactor: number;
    originalMaxPositionEmbeddings: number;
  };
  bosTokenId: number | null;
  eosTokenId: number | number[] | null;
}
