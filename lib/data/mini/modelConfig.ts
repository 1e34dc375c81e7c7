/**
 * The shape of the toolrl-mini model: Qwen2-style, its sizes from `MiniModelShape` (defaults and
 * why in lib/config.ts `DEFAULT_MINI_MODEL_SHAPE`; the pretraining run's `model` setting picks one).
 */
import type { MiniModelShape, ModelConfig } from '../../config';
import { checkInteger } from '../validate';
import { DEFAULT_MINI_MODEL_SHAPE, DEFAULT_MINI_WORLD } from '../../config';
import { MINI_EOS_TOKEN_ID } from './tokenizer';

const SHAPE_KEYS = Object.keys(DEFAULT_MINI_MODEL_SHAPE) as (keyof MiniModelShape)[];

/** The mini model's config for a vocabulary of `vocabSize` ids (the mini tokenizer's: 1,024). */
export function miniModelConfig(vocabSize: number, shape: MiniModelShape = DEFAULT_MINI_MODEL_SHAPE): ModelConfig {
  checkInteger(vocabSize, 'vocabSize', MINI_EOS_TOKEN_ID + 1, 2 ** 20);
  if (typeof shape !== 'object' || shape === null) throw new TypeError(`model shape must be an object, got ${String(shape)}`);
  for (const k of Object.keys(shape)) if (!(SHAPE_KEYS as string[]).includes(k)) throw new TypeError(`model shape: unknown setting ${k}`);
  for (const k of SHAPE_KEYS) checkInteger(shape[k], `model.${k}`, 1, 1 << 16);
  const { hiddenSize, numAttentionHeads, numKeyValueHeads } = shape;
  // Heads split the hidden size evenly, in even dimensions (RoPE rotates pairs), and grouped-query
  // attention shares each KV head among a whole number of query heads.
  if (hiddenSize % numAttentionHeads !== 0 || (hiddenSize / numAttentionHeads) % 2 !== 0) {
    throw new RangeError(`model.hiddenSize ${hiddenSize} must split into ${numAttentionHeads} heads of an even size`);
  }
  if (numAttentionHeads % numKeyValueHeads !== 0) {
    throw new RangeError(`model.numAttentionHeads ${numAttentionHeads} must be a multiple of model.numKeyValueHeads ${numKeyValueHeads}`);
  }
  return {
    modelType: 'qwen2',
    vocabSize,
    hiddenSize, //                       Qwen2.5-0.5B: 896
    numHiddenLayers: shape.numHiddenLayers, // 24
    numAttentionHeads, //                14 (head dim 64)
    numKeyValueHeads, //                 2
    intermediateSize: shape.intermediateSize, // 4864 (SwiGLU)
    ropeTheta: 10000, //                 1e6 (contexts here are <= 512 tokens)
    rmsNormEps: 1e-6, //                 1e-6
    tieWordEmbeddings: true, //          true
    attentionBias: true, //              true (Qwen2 has q/k/v bias)
    maxPositionEmbeddings: 2 * DEFAULT_MINI_WORLD.maxTokens, // 32768
    torchDtype: 'float32',
    ropeScaling: null,
    bosTokenId: null,
    eosTokenId: MINI_EOS_TOKEN_ID, // <|im_end|>
  };
}
