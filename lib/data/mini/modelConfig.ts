/**
 * The shape of the toolrl-mini model: Qwen2-style, sized by the feasibility run
 * (../shared/notes/MINI-WORLD-FEASIBILITY.md: hidden 128, 4 layers, 4 heads / 2 KV heads, tied
 * embeddings, ~3M parameters with a byte-level vocabulary; ~8,000 training tokens/s on 2 cores —
 * hidden 256 was 2.4x slower and learned less in the same minutes). 8 query / 4 KV heads of 16
 * dimensions rather than 4 / 2 of 32: the same parameters and matmul sizes, twice the attention
 * patterns for a model whose main skill is copying names from a tool list (the second base).
 */
import type { ModelConfig } from '../../config';
import { checkInteger } from '../validate';
import { DEFAULT_MINI_WORLD } from '../../config';
import { MINI_EOS_TOKEN_ID } from './tokenizer';

/** The mini model's config for a vocabulary of `vocabSize` ids (the mini tokenizer's: 512). */
export function miniModelConfig(vocabSize: number): ModelConfig {
  checkInteger(vocabSize, 'vocabSize', MINI_EOS_TOKEN_ID + 1, 2 ** 20);
  return {
    modelType: 'qwen2',
    vocabSize,
    hiddenSize: 128, //             Qwen2.5-0.5B: 896
    numHiddenLayers: 4, //          24
    numAttentionHeads: 8, //        14 (head dim 16; Qwen: 64)
    numKeyValueHeads: 4, //         2
    intermediateSize: 512, //       4864 (SwiGLU; 4x hidden here)
    ropeTheta: 10000, //            1e6 (contexts here are <= 512 tokens)
    rmsNormEps: 1e-6, //            1e-6
    tieWordEmbeddings: true, //     true
    attentionBias: true, //         true (Qwen2 has q/k/v bias)
    maxPositionEmbeddings: 2 * DEFAULT_MINI_WORLD.maxTokens, // 32768
    torchDtype: 'float32',
    ropeScaling: null,
    bosTokenId: null,
    eosTokenId: MINI_EOS_TOKEN_ID, // <|im_end|>
  };
}
