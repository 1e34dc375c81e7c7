/**
 * policyGenerator: the adapter from a policy (lib/policy.ts) to the evaluators' TextGenerator.
 * Stubs stand in for the policy, tokenizer and template, so this runs without the native addon.
 */
import test from 'ava';
import { policyGenerator, type GeneratingPolicy, type PromptTemplate, type TextTokenizer } from '../lib/eval';

const template: PromptTemplate = {
  render: (messages, opts) => `${messages.map((m) => `[${m.role}]${m.content}`).join('')}${opts.addGenerationPrompt ? '[assistant]' : ''}`,
};

/** One id per char code: enough to check what goes in and comes out. */
const tokenizer: TextTokenizer = {
  encode: (text) => Int32Array.from([...text].map((c) => c.charCodeAt(0))),
  decode: (ids) => String.fromCharCode(...ids),
};

const STOP = 0;

test('renders with the generation prompt, generates greedily once per prompt, drops the stop token', async (t) => {
  const seen: { prompts: string[]; opts: unknown }[] = [];
  const policy: GeneratingPolicy = {
    async generate(prompts, opts) {
      seen.push({ prompts: prompts.map((p) => tokenizer.decode(p)), opts });
      return { ids: prompts.map((_, i) => Int32Array.from([...'<tool_call>'].map((c) => c.charCodeAt(0)).concat(i === 0 ? [STOP] : []))) };
    },
  };
  const generate = policyGenerator(policy, tokenizer, template, { maxNewTokens: 64, stopTokenIds: [STOP] });
  const out = await generate(
    [
      [{ role: 'system', content: 'S' }, { role: 'user', content: 'U' }],
      [{ role: 'user', content: 'V' }],
    ],
    ['a', 'b'],
  );
  t.deepEqual(out, ['<tool_call>', '<tool_call>']);
  t.deepEqual(seen, [{ prompts: ['[system]S[user]U[assistant]', '[user]V[assistant]'], opts: { n: 1, maxNewTokens: 64, temperature: 0, stopTokenIds: [STOP] } }]);
});

test('bad arguments are TypeErrors', (t) => {
  const policy: GeneratingPolicy = { generate: async () => ({ ids: [] }) };
  t.throws(() => policyGenerator({} as never, tokenizer, template, { maxNewTokens: 1, stopTokenIds: [] }), { instanceOf: TypeError, message: /policy with generate\(\)/ });
  t.throws(() => policyGenerator(policy, null as never, template, { maxNewTokens: 1, stopTokenIds: [] }), { instanceOf: TypeError, message: /tokenizer/ });
  t.throws(() => policyGenerator(policy, tokenizer, {} as never, { maxNewTokens: 1, stopTokenIds: [] }), { instanceOf: TypeError, message: /chat template/ });
  t.throws(() => policyGenerator(policy, tokenizer, template, { maxNewTokens: 0, stopTokenIds: [] }), { instanceOf: RangeError, message: /opts\.maxNewTokens/ });
  t.throws(() => policyGenerator(policy, tokenizer, template, { maxNewTokens: 8, stopTokenIds: [-1] }), { instanceOf: TypeError, message: /opts\.stopTokenIds/ });
});
