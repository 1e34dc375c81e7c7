/**
 * Tiny model configs for tests, built from a seed (STYLE.md §4). Real Qwen2.5-1.5B values in comments.
 */
import type { ModelConfig } from '../../lib/config';
import { miniModelConfig } from '../../lib/data/mini';

export const tinyQwen: ModelConfig = {
  modelType: 'qwen2',
  vocabSize: 256, // 151936
  hiddenSize: 64, // 1536
  numHiddenLayers: 2, // 28
  numAttentionHeads: 4, // 12
  numKeyValueHeads: 2, // 2
  intermediateSize: 112, // 8960
  ropeTheta: 10000, // 1000000
  rmsNormEps: 1e-6, // 1e-6
  tieWordEmbeddings: true, // true
  attentionBias: true, // Qwen2: always
  maxPositionEmbeddings: 512, // 32768
  torchDtype: 'float32', // bfloat16
  ropeScaling: null,
  bosTokenId: null,
  eosTokenId: 255,
};

/** Llama-3.2 shape in miniature: no q/k/v bias, untied head, llama3 rope scaling (factor 32, as 3.2-3B). */
export const tinyLlama: ModelConfig = {
  ...tinyQwen,
  modelType: 'llama',
  vocabSize: 263,
  attentionBias: false,
  tieWordEmbeddings: false,
  ropeTheta: 500000,
  ropeScaling: { ropeType: 'llama3', factor: 32, lowFreqFactor: 1, highFreqFactor: 4, originalMaxPositionEmbeddings: 64 },
};

export { mulberry32 as rng } from '../../lib/util/prng';

export function randomIds(r: () => number, length: number, vocab: number): Int32Array {
  return Int32Array.from({ length }, () => Math.floor(r() * vocab));
}

/** The toolrl-mini model shape in miniature (hidden 64, 2 layers; the mini default is ~1.1M parameters). */
export function tinyMiniConfig(vocabSize: number): ModelConfig {
  return { ...miniModelConfig(vocabSize), hiddenSize: 64, numHiddenLayers: 2, intermediateSize: 128 };
}
