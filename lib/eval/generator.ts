/**
 * What the evaluators call to get model outputs: a `TextGenerator` maps a batch of prompts
 * (chat messages) to raw model texts. The runners never touch a model directly, so the same
 * harness runs a real policy (policyGenerator), the oracle (gold answers rendered as model text),
 * or a test double.
 *
 * Outputs are typed `unknown` on purpose: a generator that returns something other than a string
 * for an item is a harness failure the runners report per item (never a crash of the run).
 */
import type { ChatMessage } from '../data/types';
import { invalidType, optionalPositiveInt } from './args';

/**
 * Batch of conversations → one raw model text per conversation, in order. `ids` are the
 * benchmark item ids of the same batch (the oracle uses them; a model ignores them).
 */
export type TextGenerator = (prompts: ChatMessage[][], ids: string[]) => Promise<unknown[]>;

/** The part of the policy (lib/policy.ts) the adapter needs. */
export interface GeneratingPolicy {
  generate(
    prompts: Int32Array[],
    opts: { n: number; maxNewTokens: number; temperature: number; stopTokenIds: number[] },
  ): Promise<{ ids: Int32Array[] }>;
}

/** The part of lib/data's Tokenizer the adapter needs. */
export interface TextTokenizer {
  encode(text: string): Int32Array;
  decode(ids: Int32Array): string;
}

/** The part of lib/data's ChatTemplate the adapter needs. */
export interface PromptTemplate {
  render(messages: ChatMessage[], opts: { addGenerationPrompt: boolean }): string;
}

export interface PolicyGeneratorOptions {
  /** Longest completion, in tokens. */
  maxNewTokens: number;
  /** Token ids that end a completion (EOS, `<|im_end|>`). */
  stopTokenIds: number[];
}

/**
 * A TextGenerator over a policy: renders each conversation with the model's chat template (with
 * the generation prompt), encodes it, generates greedily (temperature 0, one sample), decodes
 * the generated tokens only. Benchmarks are scored on greedy outputs, as BFCL and the paper do.
 */
export function policyGenerator(
  policy: GeneratingPolicy,
  tokenizer: TextTokenizer,
  template: PromptTemplate,
  opts: PolicyGeneratorOptions,
): TextGenerator {
  if (policy === null || typeof policy !== 'object' || typeof policy.generate !== 'function') {
    throw invalidType('a policy with generate()', 'policy', policy);
  }
  if (tokenizer === null || typeof tokenizer !== 'object' || typeof tokenizer.encode !== 'function') {
    throw invalidType('a tokenizer with encode()/decode()', 'tokenizer', tokenizer);
  }
  if (template === null || typeof template !== 'object' || typeof template.render !== 'function') {
    throw invalidType('a chat template with render()', 'template', template);
  }
  const maxNewTokens = optionalPositiveInt(opts?.maxNewTokens, 'opts.maxNewTokens');
  if (maxNewTokens === undefined) throw invalidType('a positive integer', 'opts.maxNewTokens', opts?.maxNewTokens);
  if (!Array.isArray(opts.stopTokenIds) || !opts.stopTokenIds.every((t) => Number.isInteger(t) && t >= 0)) {
    throw invalidType('an array of token ids', 'opts.stopTokenIds', opts.stopTokenIds);
  }
  const stopTokenIds = [...opts.stopTokenIds];
  return async (prompts) => {
    const encoded = prompts.map((messages) => tokenizer.encode(template.render(messages, { addGenerationPrompt: true })));
    const out = await policy.generate(encoded, { n: 1, maxNewTokens, temperature: 0, stopTokenIds });
    return out.ids.map((ids) => tokenizer.decode(stripStop(ids, stopTokenIds)));
  };
}

/** Drops one trailing stop token, so `<|im_end|>` does not end up in the scored text. */
function stripStop(ids: Int32Array, stop: readonly number[]): Int32Array {
  return ids.length > 0 && stop.includes(ids[ids.length - 1]) ? ids.subarray(0, ids.length - 1) : ids;
}

/** One item's generation outcome: the text, or why there is none. */
export type Generated = { text: string } | { failure: string };

/**
 * Runs `generate` over all prompts in batches. A batch whose call throws, or returns the wrong
 * number of outputs, yields a failure for each of its items; a non-string output a failure for
 * that item. Nothing here throws for a bad model or generator.
 */
export async function generateAll(
  generate: TextGenerator,
  prompts: ChatMessage[][],
  ids: string[],
  batchSize: number,
  onBatch?: (done: number, total: number) => void,
): Promise<Generated[]> {
  const out: Generated[] = [];
  for (let start = 0; start < prompts.length; start += batchSize) {
    const p = prompts.slice(start, start + batchSize);
    const batchIds = ids.slice(start, start + batchSize);
    let texts: unknown;
    try {
      texts = await generate(p, batchIds);
    } catch (err) {
      const msg = `generation failed for this batch: ${err instanceof Error ? err.message : String(err)}`;
      for (let i = 0; i < p.length; i++) out.push({ failure: msg });
      onBatch?.(out.length, prompts.length);
      continue;
    }
    if (!Array.isArray(texts) || texts.length !== p.length) {
      const got = Array.isArray(texts) ? `${texts.length} outputs` : `a ${texts === null ? 'null' : typeof texts}`;
      for (let i = 0; i < p.length; i++) out.push({ failure: `the generator returned ${got} for a batch of ${p.length} prompts` });
    } else {
      for (const t of texts) {
        out.push(
          typeof t === 'string'
            ? { text: t }
            : { failure: `the model output is not text: received ${t === null ? 'null' : typeof t}${t === undefined || t === null ? '' : ` ${String(t).slice(0, 40)}`}` },
        );
      }
    }
    onBatch?.(out.length, prompts.length);
  }
  return out;
}
