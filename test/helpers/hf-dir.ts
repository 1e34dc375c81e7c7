/** Writes a Hugging Face model directory "by another program": config.json by hand + safetensors. */
import * as fs from 'node:fs';
import * as path from 'node:path';

import type { ModelConfig } from '../../lib/config';
import { randomWeights } from './reference-model';
import { rng } from './tiny-models';
import { type Dtype, writeSafetensors } from './safetensors-writer';

export function hfConfigJson(c: ModelConfig): Record<string, unknown> {
  const j: Record<string, unknown> = {
    architectures: [c.modelType === 'llama' ? 'LlamaForCausalLM' : 'Qwen2ForCausalLM'],
    model_type: c.modelType,
    vocab_size: c.vocabSize,
    hidden_size: c.hiddenSize,
    num_hidden_layers: c.numHiddenLayers,
    num_attention_heads: c.numAttentionHeads,
    num_key_value_heads: c.numKeyValueHeads,
    intermediate_size: c.intermediateSize,
    rope_theta: c.ropeTheta,
    rms_norm_eps: c.rmsNormEps,
    tie_word_embeddings: c.tieWordEmbeddings,
    max_position_embeddings: c.maxPositionEmbeddings,
    torch_dtype: 'bfloat16',
    hidden_act: 'silu',
  };
  if (c.modelType === 'llama') j.attention_bias = c.attentionBias;
  if (c.ropeScaling) {
    j.rope_scaling = {
      rope_type: 'llama3', factor: c.ropeScaling.factor, low_freq_factor: c.ropeScaling.lowFreqFactor,
      high_freq_factor: c.ropeScaling.highFreqFactor, original_max_position_embeddings: c.ropeScaling.originalMaxPositionEmbeddings,
    };
  }
  return j;
}

/**
 * Writes config.json + weights (dtype per tensor chosen by `dtypeOf`), optionally sharded into two
 * files with model.safetensors.index.json. Returns the weights as the loader must see them.
 */
export function writeHfDir(
  dir: string,
  c: ModelConfig,
  seed: number,
  opts: { dtypeOf?: (name: string, i: number) => Dtype; sharded?: boolean } = {},
): Map<string, Float32Array> {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify(hfConfigJson(c), null, 2));
  const weights = [...randomWeights(c, rng(seed)).entries()].map(([name, t], i) => ({
    name, shape: t.shape, values: t.values, dtype: opts.dtypeOf ? opts.dtypeOf(name, i) : ('F32' as Dtype),
  }));
  if (!opts.sharded) return writeSafetensors(path.join(dir, 'model.safetensors'), weights);
  const half = Math.ceil(weights.length / 2);
  const parts = [weights.slice(0, half), weights.slice(half)];
  const out = new Map<string, Float32Array>();
  const weightMap: Record<string, string> = {};
  parts.forEach((part, k) => {
    const file = `model-0000${k + 1}-of-00002.safetensors`;
    for (const [n, v] of writeSafetensors(path.join(dir, file), part)) out.set(n, v);
    for (const t of part) weightMap[t.name] = file;
  });
  fs.writeFileSync(path.join(dir, 'model.safetensors.index.json'), JSON.stringify({ metadata: {}, weight_map: weightMap }));
  return out;
}
