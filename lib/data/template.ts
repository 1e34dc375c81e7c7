/**
 * Chat templates: messages → the prompt text a model was trained on.
 *
 * A model's own `chat_template` (tokenizer_config.json, or chat_template.jinja beside it) is
 * rendered with @huggingface/jinja — Hugging Face's JavaScript Jinja used by Transformers.js, with
 * the globals transformers provides (`raise_exception`, `strftime_now`, `namespace`, `tojson`) and
 * the special-token variables (`bos_token`, `eos_token`, ...) taken from the config, as
 * `apply_chat_template` does. Models without a template get the built-in ChatML one.
 *
 * With the ToolRL rows (system + user) and `addGenerationPrompt`, Qwen2.5's template gives
 * `<|im_start|>system\n{system}<|im_end|>\n<|im_start|>user\n{user}<|im_end|>\n<|im_start|>assistant\n`
 * — the prompt the paper trains on; ChatML and Qwen3's template give the same string.
 *
 * Known difference from Python's Jinja (@huggingface/jinja 0.5.11): `str.rstrip('\n')` ignores its
 * argument and strips all white space. Qwen3's template uses it on assistant turns that contain
 * `<think>`; prompts (system/user turns) are unaffected.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { Template } from '@huggingface/jinja';
import type { ChatMessage, ToolUseExample } from './types';
import { checkBoolean, checkOptions, invalidType } from './validate';

/**
 * ChatML, the format Qwen models use, as a template of our own: each message is
 * `<|im_start|>{role}\n{content}<|im_end|>\n`, and the generation prompt is `<|im_start|>assistant\n`.
 */
const CHATML_SOURCE = [
  '{%- for message in messages -%}',
  "{{- '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>\\n' -}}",
  '{%- endfor -%}',
  "{%- if add_generation_prompt -%}{{- '<|im_start|>assistant\\n' -}}{%- endif -%}",
].join('\n');

const SPECIAL_KEYS = ['bos_token', 'eos_token', 'unk_token', 'pad_token', 'sep_token', 'cls_token', 'mask_token'];

function tokenName(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (v !== null && typeof v === 'object' && typeof (v as { content?: unknown }).content === 'string') return (v as { content: string }).content;
  return undefined;
}

export interface RenderOptions {
  /** Append the assistant header the model continues from (default false, as in transformers). */
  addGenerationPrompt?: boolean;
  /** Tool definitions for templates that render a `tools` variable (JSON Schema functions). */
  tools?: unknown[];
  /** Extra template variables, e.g. `{ enable_thinking: false }` for Qwen3. */
  variables?: Record<string, unknown>;
}

export class ChatTemplate {
  private readonly compiled: Template;

  private constructor(
    /** The Jinja source. */
    readonly source: string,
    /** Special-token variables (`bos_token`, `eos_token`, ...) available to the template. */
    readonly specialTokens: Readonly<Record<string, string>>,
    where: string,
  ) {
    try {
      this.compiled = new Template(source);
    } catch (e) {
      throw new Error(`${where}: cannot parse the chat template (${(e as Error).message})`);
    }
  }

  /**
   * The chat template of a model: `file` is its tokenizer_config.json or the model directory.
   * A `chat_template` given as a list of named templates uses the one named "default"; a config
   * without one falls back to chat_template.jinja in the same directory.
   */
  static async fromTokenizerConfig(file: string): Promise<ChatTemplate> {
    if (typeof file !== 'string') throw invalidType('a path to tokenizer_config.json', 'path', file);
    let cfgPath = file;
    try {
      if ((await fs.stat(file)).isDirectory()) cfgPath = path.join(file, 'tokenizer_config.json');
    } catch {
      // reported below
    }
    let cfg: Record<string, unknown>;
    try {
      cfg = JSON.parse(await fs.readFile(cfgPath, 'utf8')) as Record<string, unknown>;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new Error(`${cfgPath}: cannot read tokenizer_config.json (${code === 'ENOENT' ? 'no such file' : (e as Error).message})`);
    }
    let source: unknown = cfg.chat_template;
    if (Array.isArray(source)) {
      const named = source.find((t) => (t as { name?: unknown }).name === 'default') as { template?: unknown } | undefined;
      source = named?.template;
    }
    let where = cfgPath;
    if (typeof source !== 'string') {
      const jinjaPath = path.join(path.dirname(cfgPath), 'chat_template.jinja');
      try {
        source = await fs.readFile(jinjaPath, 'utf8');
        where = jinjaPath;
      } catch {
        throw new Error(`${cfgPath}: no chat_template (and no chat_template.jinja beside it). HINT: use ChatTemplate.chatml() for a model without one`);
      }
    }
    const specials: Record<string, string> = {};
    for (const k of SPECIAL_KEYS) {
      const name = tokenName(cfg[k]);
      if (name !== undefined) specials[k] = name;
    }
    return new ChatTemplate(source as string, specials, where);
  }

  /** The built-in ChatML template (for models whose tokenizer has none, e.g. toolrl-mini). */
  static chatml(): ChatTemplate {
    return new ChatTemplate(CHATML_SOURCE, { eos_token: '<|im_end|>' }, 'ChatTemplate.chatml');
  }

  /** A template from Jinja source, with optional special-token variables. */
  static fromString(source: string, specialTokens: Record<string, string> = {}): ChatTemplate {
    if (typeof source !== 'string') throw invalidType('a Jinja template string', 'source', source);
    return new ChatTemplate(source, { ...specialTokens }, 'ChatTemplate.fromString');
  }

  /** Renders `messages` (each `{role, content}`, other fields passed through to the template). */
  render(messages: readonly ChatMessage[], opts?: RenderOptions): string {
    const o = checkOptions(opts, ['addGenerationPrompt', 'tools', 'variables'], 'render options');
    const addGenerationPrompt = o.addGenerationPrompt === undefined ? false : checkBoolean(o.addGenerationPrompt, 'addGenerationPrompt');
    if (!Array.isArray(messages)) throw invalidType('an array of messages', 'messages', messages);
    messages.forEach((m, i) => {
      if (m === null || typeof m !== 'object') throw invalidType('a {role, content} message', `messages[${i}]`, m);
      if (typeof m.role !== 'string') throw invalidType('a string', `messages[${i}].role`, m.role);
      if (typeof m.content !== 'string') throw invalidType('a string', `messages[${i}].content`, m.content);
    });
    if (o.tools !== undefined && !Array.isArray(o.tools)) throw invalidType('an array of tools', 'tools', o.tools);
    if (o.variables !== undefined && (o.variables === null || typeof o.variables !== 'object')) throw invalidType('an object', 'variables', o.variables);

    const context: Record<string, unknown> = {
      ...this.specialTokens,
      ...(o.variables ?? {}),
      messages: messages.map((m) => ({ ...m })),
      add_generation_prompt: addGenerationPrompt,
    };
    if (o.tools !== undefined) context.tools = o.tools;
    try {
      return this.compiled.render(context);
    } catch (e) {
      throw new Error(`Cannot render the chat template: ${(e as Error).message}`);
    }
  }
}

/** The prompt text of an example: its messages with the generation prompt appended. */
export function renderPrompt(example: Pick<ToolUseExample, 'messages'>, template: ChatTemplate): string {
  return template.render(example.messages, { addGenerationPrompt: true });
}
