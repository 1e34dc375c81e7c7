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

// ---------------------------------------------------------------------------------------------
// Runtime

/**
 * Thread pools. ATen's intra-op pool runs element-wise ops and attention; the BLAS pool
 * (OpenBLAS's own, which ATen does not control) runs the matrix products. On 2 cores, ATen 1 +
 * BLAS 2 was up to 1.9x faster than 2 + 2 (../notes: oversubscription). `0` = leave as is
 * (ATen's default is half the cores; OpenBLAS's is all of them). Env overrides:
 * TOOLRL_ATEN_THREADS, TOOLRL_BLAS_THREADS. Both pools are process-wide.
 */
export const DEFAULT_THREADS = Object.freeze({ aten: 1, blas: 0 });

// ---------------------------------------------------------------------------------------------
// Generation (policy.generate)

export interface GenerateOptions {
  /** Samples per prompt (GRPO's group size G). Integer >= 1. */
  n: number;
  /** Tokens to generate at most per sample. Integer >= 1. */
  maxNewTokens: number;
  /** Softmax temperature; 0 = greedy (argmax). >= 0. */
  temperature: number;
  /** Nucleus sampling mass in (0, 1]; 1 = off. */
  topP: number;
  /** Keep only the k most likely tokens; 0 = off. */
  topK: number;
  /** RNG seed (integer >= 0). Same seed and inputs give the same samples. */
  seed: number;
  /** Token ids that end a sample (kept as its last token), e.g. EOS or `<|im_end|>`. */
  stopTokenIds: number[];
  /** Most rows decoded at once (memory cap); 0 = all prompts x n in one batch. */
  batchSize: number;
  /** Prefill each prompt once and copy its KV cache to its n samples (off only to measure the gain). */
  sharePrefix: boolean;
}

export const DEFAULT_GENERATE_OPTIONS: Readonly<GenerateOptions> = Object.freeze({
  n: 1,
  maxNewTokens: 256,
  temperature: 1.0, // the paper's rollout temperature (DESIGN.md GRPO table)
  topP: 1.0,
  topK: 0,
  seed: 0,
  stopTokenIds: [],
  batchSize: 0,
  sharePrefix: true,
});

// ---------------------------------------------------------------------------------------------
// Reward

/**
 * Defaults of the ToolRL reward (spec/REWARD.md; lib/rewards/options.ts validates and explains
 * each value). These reproduce the authors' released code with every environment flag unset:
 * format [0, 1] + correctness [-3, 3], no length reward, greedy matching.
 */
export const DEFAULT_REWARD_OPTIONS: Readonly<Required<import('./rewards/options').RewardOptions>> = Object.freeze({
  /** Global training step (0-based) for the schedules of spec §4. */
  step: 0,
  /** 'off' | 'fixed' (WITHLENGTH, L = 512) | 'scheduled' (+SCHEDULELENGTH, L = 384 → 640 over 105 steps). */
  length: 'off',
  /** 'default' | 'equalMax' (CORRECTMAX1) | 'twoStage' (MAX1STEP30MAX3) | 'dynamic' (SCHEDULEREWARD). */
  scale: 'default',
  /** 'default' | 'finegrained' (REFINEDREWARD) | 'intermediate' (INTERMEDIATEREWARD) | 'coarse' (COARSEREWARD). */
  granularity: 'default',
  /** 'greedy' (the reference) | 'optimal' (best assignment of predicted to gold calls). */
  matching: 'greedy',
});
