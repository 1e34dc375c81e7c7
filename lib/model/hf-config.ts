/**
 * Hugging Face config.json ⇄ ModelConfig. Reads the fields a Qwen2/Llama checkpoint carries
 * (transformers' Qwen2Config / LlamaConfig names and defaults) and writes them back, so a saved
 * model opens in transformers as Qwen2ForCausalLM / LlamaForCausalLM.
 */
import type { ModelConfig } from '../config';
import { expectBoolean, expectInteger, expectNumber, expectObject, expectOneOf, rejectUnknownKeys } from '../util/validate';

const MODEL_CONFIG_KEYS = [
  'modelType', 'vocabSize', 'hiddenSize', 'numHiddenLayers', 'numAttentionHeads', 'numKeyValueHeads', 'intermediateSize',
  'ropeTheta', 'rmsNormEps', 'tieWordEmbeddings', 'attentionBias', 'maxPositionEmbeddings', 'torchDtype', 'ropeScaling',
  'bosTokenId', 'eosTokenId',
] as const;

/** Fills optional ModelConfig fields with their transformers defaults and checks every field. */
export function resolveModelConfig(input: unknown, name = 'config'): ModelConfig {
  const c = expectObject(input, name);
  rejectUnknownKeys(c, MODEL_CONFIG_KEYS, name);
  const modelType = expectOneOf(c.modelType ?? 'qwen2', ['qwen2', 'llama'] as const, `${name}.modelType`);
  const hiddenSize = expectInteger(c.hiddenSize, `${name}.hiddenSize`, { min: 1 });
  const numAttentionHeads = expectInteger(c.numAttentionHeads, `${name}.numAttentionHeads`, { min: 1 });
  const numKeyValueHeads = expectInteger(c.numKeyValueHeads ?? numAttentionHeads, `${name}.numKeyValueHeads`, { min: 1 });
  if (hiddenSize % numAttentionHeads !== 0) {
    throw new RangeError(`${name}.hiddenSize (${hiddenSize}) must be a multiple of numAttentionHeads (${numAttentionHeads})`);
  }
  if ((hiddenSize / numAttentionHeads) % 2 !== 0) {
    throw new RangeError(`${name}: head dim hiddenSize / numAttentionHeads = ${hiddenSize / numAttentionHeads} must be even (rotary embeddings)`);
  }
  if (numAttentionHeads % numKeyValueHeads !== 0) {
    throw new RangeError(`${name}.numAttentionHeads (${numAttentionHeads}) must be a multiple of numKeyValueHeads (${numKeyValueHeads})`);
  }
  let ropeScaling: ModelConfig['ropeScaling'] = null;
  if (c.ropeScaling !== undefined && c.ropeScaling !== null) {
    const r = expectObject(c.ropeScaling, `${name}.ropeScaling`);
    ropeScaling = {
      ropeType: expectOneOf(r.ropeType, ['llama3'] as const, `${name}.ropeScaling.ropeType`),
      factor: expectNumber(r.factor, `${name}.ropeScaling.factor`, { min: 0, minExclusive: true }),
      lowFreqFactor: expectNumber(r.lowFreqFactor, `${name}.ropeScaling.lowFreqFactor`, { min: 0, minExclusive: true }),
      highFreqFactor: expectNumber(r.highFreqFactor, `${name}.ropeScaling.highFreqFactor`, { min: 0, minExclusive: true }),
      originalMaxPositionEmbeddings: expectInteger(r.originalMaxPositionEmbeddings, `${name}.ropeScaling.originalMaxPositionEmbeddings`, { min: 1 }),
    };
    if (ropeScaling.highFreqFactor <= ropeScaling.lowFreqFactor) {
      throw new RangeError(`${name}.ropeScaling.highFreqFactor must be greater than lowFreqFactor`);
    }
  }
  const eos = c.eosTokenId ?? null;
  return {
    modelType,
    vocabSize: expectInteger(c.vocabSize, `${name}.vocabSize`, { min: 1 }),
    hiddenSize,
    numHiddenLayers: expectInteger(c.numHiddenLayers, `${name}.numHiddenLayers`, { min: 1 }),
    numAttentionHeads,
    numKeyValueHeads,
    intermediateSize: expectInteger(c.intermediateSize, `${name}.intermediateSize`, { min: 1 }),
    ropeTheta: expectNumber(c.ropeTheta ?? 10000, `${name}.ropeTheta`, { min: 0, minExclusive: true }),
    rmsNormEps: expectNumber(c.rmsNormEps ?? 1e-6, `${name}.rmsNormEps`, { min: 0, minExclusive: true }),
    tieWordEmbeddings: expectBoolean(c.tieWordEmbeddings ?? false, `${name}.tieWordEmbeddings`),
    // Qwen2 always has q/k/v bias (no config switch); Llama reads `attention_bias`, default false.
    attentionBias: expectBoolean(c.attentionBias ?? modelType === 'qwen2', `${name}.attentionBias`),
    maxPositionEmbeddings: expectInteger(c.maxPositionEmbeddings ?? 32768, `${name}.maxPositionEmbeddings`, { min: 1 }),
    torchDtype: expectOneOf(c.torchDtype ?? 'float32', ['float32', 'float16', 'bfloat16'] as const, `${name}.torchDtype`),
    ropeScaling,
    bosTokenId: c.bosTokenId === undefined || c.bosTokenId === null ? null : expectInteger(c.bosTokenId, `${name}.bosTokenId`, { min: 0 }),
    eosTokenId:
      eos === null ? null : Array.isArray(eos) ? eos.map((e, i) => expectInteger(e, `${name}.eosTokenId[${i}]`, { min: 0 })) : expectInteger(eos, `${name}.eosTokenId`, { min: 0 }),
  };
}

/** Parses a Hugging Face config.json object (snake_case) into a ModelConfig. `file` names errors. */
export function modelConfigFromHF(json: unknown, file: string): ModelConfig {
  const j = expectObject(json, file);
  const mt = String(j.model_type ?? '');
  if (!['qwen2', 'llama', 'qwen3'].includes(mt) && mt !== '') {
    throw new RangeError(`${file}: model_type "${mt}" is not supported (expected qwen2 or llama)`);
  }
  if (mt === 'qwen3') throw new RangeError(`${file}: model_type "qwen3" (q/k norms) is not supported yet; use a Qwen2/Qwen2.5 or Llama model`);
  const rs = j.rope_scaling as Record<string, unknown> | null | undefined;
  let ropeScaling: unknown = null;
  if (rs && typeof rs === 'object') {
    const type = rs.rope_type ?? rs.type;
    if (type === 'llama3') {
      ropeScaling = {
        ropeType: 'llama3',
        factor: rs.factor,
        lowFreqFactor: rs.low_freq_factor,
        highFreqFactor: rs.high_freq_factor,
        originalMaxPositionEmbeddings: rs.original_max_position_embeddings,
      };
    } else if (type !== 'default' && type !== undefined) {
      throw new RangeError(`${file}: rope_scaling type "${String(type)}" is not supported (only llama3)`);
    }
  }
  const dtype = j.torch_dtype ?? 'float32';
  try {
    return resolveModelConfig(
      {
        modelType: mt === 'llama' ? 'llama' : 'qwen2',
        vocabSize: j.vocab_size,
        hiddenSize: j.hidden_size,
        numHiddenLayers: j.num_hidden_layers,
        numAttentionHeads: j.num_attention_heads,
        numKeyValueHeads: j.num_key_value_heads ?? undefined,
        intermediateSize: j.intermediate_size,
        ropeTheta: j.rope_theta ?? undefined,
        rmsNormEps: j.rms_norm_eps ?? undefined,
        tieWordEmbeddings: j.tie_word_embeddings ?? undefined,
        attentionBias: mt === 'llama' ? (j.attention_bias ?? false) : true,
        maxPositionEmbeddings: j.max_position_embeddings ?? undefined,
        torchDtype: ['float32', 'float16', 'bfloat16'].includes(String(dtype)) ? dtype : 'float32',
        ropeScaling,
        bosTokenId: j.bos_token_id ?? undefined,
        eosTokenId: j.eos_token_id ?? undefined,
      },
      file,
    );
  } catch (err) {
    if (err instanceof Error) err.message = `${file}: ${err.message}`;
    throw err;
  }
}

/** ModelConfig → Hugging Face config.json object. */
export function modelConfigToHF(c: ModelConfig, torchDtype: ModelConfig['torchDtype'] = c.torchDtype): Record<string, unknown> {
  const qwen = c.modelType === 'qwen2';
  const out: Record<string, unknown> = {
    architectures: [qwen ? 'Qwen2ForCausalLM' : 'LlamaForCausalLM'],
    model_type: c.modelType,
    vocab_size: c.vocabSize,
    hidden_size: c.hiddenSize,
    num_hidden_layers: c.numHiddenLayers,
    num_attention_heads: c.numAttentionHeads,
    num_key_value_heads: c.numKeyValueHeads,
    intermediate_size: c.intermediateSize,
    hidden_act: 'silu',
    rope_theta: c.ropeTheta,
    rms_norm_eps: c.rmsNormEps,
    tie_word_embeddings: c.tieWordEmbeddings,
    max_position_embeddings: c.maxPositionEmbeddings,
    torch_dtype: torchDtype,
    bos_token_id: c.bosTokenId,
    eos_token_id: c.eosTokenId,
    initializer_range: 0.02,
    use_cache: true,
  };
  if (!qwen) out.attention_bias = c.attentionBias;
  if (c.ropeScaling) {
    out.rope_scaling = {
      rope_type: 'llama3',
      factor: c.ropeScaling.factor,
      low_freq_factor: c.ropeScaling.lowFreqFactor,
      high_freq_factor: c.ropeScaling.highFreqFactor,
      original_max_position_embeddings: c.ropeScaling.originalMaxPositionEmbeddings,
    };
  }
  return out;
}
