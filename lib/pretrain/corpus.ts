/**
 * The toolrl-mini pretraining corpus (issue 8): what an instruct model knows before tool-use
 * training — reading a tool list, picking the tool a request needs, copying tool names, parameter
 * names and values from the prompt, answering questions about the listed tools — and NOT the
 * ToolRL answer format. Answers are bare JSON call lines (the generic function-calling shape
 * instruct models already emit) or plain replies; `<think>`, `<tool_call>` and `<response>` never
 * appear in an answer. Prompts use a generic "tools" system prompt, not the ToolRL one.
 *
 * Every example comes from a *renamed* train-split episode of the mini world (fresh tool and
 * parameter names per example), so nothing can be memorised and the held-out tools never appear.
 * Deterministic: example i of a seed is always the same.
 */
import type { ChatMessage } from '../data/types';
import { miniToolLine, miniWorld, type MiniEpisode, type MiniWorld } from '../data/mini';
import { sampleEpisode } from '../data/mini/world';
import { Rng } from '../data/rng';
import { renderToolCall } from '../data/toolrlFormat';

export type PretrainTask = 'call' | 'whichTool' | 'params' | 'listTools';

export interface PretrainExample {
  task: PretrainTask;
  messages: ChatMessage[];
  answer: string;
}

/** Task mix: mostly request → calls, plus questions that make the model read the list. */
export const PRETRAIN_TASK_WEIGHTS: Readonly<Record<PretrainTask, number>> = Object.freeze({ call: 0.7, whichTool: 0.12, params: 0.12, listTools: 0.06 });

const SYSTEM_HEADERS = [
  'You have access to the following tools:',
  'Tools you can use:',
  'Available functions:',
  'The user can be helped with these tools:',
];

function systemPrompt(ep: MiniEpisode, rng: Rng): string {
  return [SYSTEM_HEADERS[rng.int(SYSTEM_HEADERS.length)]!, ...ep.tools.map(miniToolLine)].join('\n');
}

/** One pretraining example from a renamed train episode. */
export function pretrainExampleFrom(ep: MiniEpisode, rng: Rng): PretrainExample {
  const tasks = Object.keys(PRETRAIN_TASK_WEIGHTS) as PretrainTask[];
  const task = tasks[rng.weighted(tasks.map((t) => PRETRAIN_TASK_WEIGHTS[t]))]!;
  const system = systemPrompt(ep, rng);
  const tool = ep.tools[rng.int(ep.tools.length)]!;
  let user: string;
  let answer: string;
  switch (task) {
    case 'call':
      user = ep.request;
      answer = ep.calls.length > 0 ? ep.calls.map(renderToolCall).join('\n') : (ep.response ?? '');
      break;
    case 'whichTool':
      user = `Which tool does this: ${tool.def.description.replace(/\.$/, '').toLowerCase()}?`;
      answer = tool.name;
      break;
    case 'params':
      user = `What parameters does ${tool.name} take?`;
      answer = tool.def.params.map((p) => `${tool.paramNames.get(p.name)}${p.required ? '' : ' (optional)'}`).join(', ');
      break;
    default:
      user = 'Which tools are available?';
      answer = ep.tools.map((t) => t.name).join(', ');
  }
  return { task, messages: [{ role: 'system', content: system }, { role: 'user', content: user }], answer };
}

/** Examples [start, start + n) of the corpus for a seed. */
export function pretrainExamples(seed: number, start: number, n: number, world: MiniWorld = miniWorld({ seed })): PretrainExample[] {
  const out: PretrainExample[] = [];
  for (let i = start; i < start + n; i++) {
    const ep = sampleEpisode(world.seed, 'train', i, world.config, true);
    out.push(pretrainExampleFrom(ep, Rng.derive(seed, 'pretrain', i)));
  }
  return out;
}
