/**
 * The toolrl-mini pretraining corpus (issue 8): what an instruct model knows before tool-use
 * training — reading a tool list, picking the tool a request needs, copying tool names, parameter
 * names and values from the prompt, answering questions about the listed tools — and NOT the
 * ToolRL answer format. Answers are bare JSON call lines (the generic function-calling shape
 * instruct models already emit) or plain replies; `<think>`, `<tool_call>` and `<response>` never
 * appear in an answer. Prompts use a generic "tools" system prompt, not the ToolRL one.
 *
 * Two sources, both renamed freshly per example so nothing can be memorised:
 * - train-split episodes of the mini world, renamed by ./rename.ts (descriptive or made-up names);
 * - synthetic tools from a word bank (./synthetic.ts), which make "find the listed tool that shares
 *   words with the request, then copy" the only way to predict the answer.
 * The held-out tools never appear: their episodes are never drawn, and every example's text is
 * checked against the held-out identifiers (a hit redraws it). Deterministic: example i of a seed
 * is always the same.
 */
import type { ChatMessage } from '../data/types';
import type { ChatTemplate } from '../data/template';
import type { Tokenizer } from '../data/tokenizer';
import { MINI_RESERVED_NAMES, miniToolLine, miniWorld, type MiniToolView, type MiniWorld } from '../data/mini';
import { sampleEpisode } from '../data/mini/world';
import { Rng } from '../data/rng';
import { DEFAULT_PRETRAIN_MINI, type PretrainCorpusConfig } from '../config';
import { renderToolCall, type GoldCall } from '../data/toolrlFormat';
import { renameEpisode } from './rename';
import { swapKeywords } from '../data/mini/swap';
import { letterTokens, madeUpWord, pieceWord } from '../data/mini/rename';
import { cap, randomIdentifier, syntheticCall, syntheticTools, syntheticVerb, type SyntheticTool } from '../data/mini/synthetic';

export type PretrainTask = 'call' | 'synthCall' | 'whichTool' | 'params' | 'listTools' | 'repeat';

export interface PretrainExample {
  /** The task of the first turn. */
  task: PretrainTask;
  /** system (the tool list), then user / assistant turns on that list; the last is an answer. */
  messages: ChatMessage[];
  /** The first turn's answer. */
  answer: string;
}

/** How many synthetic tools a list has (weights for 1, 2, 3, 4). */
export const PRETRAIN_SYNTHETIC_LIST_SIZES: readonly number[] = [0.2, 0.2, 0.3, 0.3];

/** Probability that a synthetic tool's name (and each parameter name) is a random identifier. */
export const PRETRAIN_RANDOM_NAMES = 0.1;

/**
 * The warm-up after the drill (corpus.warmupExamples): mostly synthetic, short lists — copying first,
 * choosing among many tools after (a curriculum; without it no name was copied after 300 steps).
 */
export const PRETRAIN_WARMUP_MIX = Object.freeze({ synthetic: 0.8, listSizes: [0.45, 0.35, 0.2, 0] as readonly number[], randomNames: 0.1 });

/** How many extra turns follow the first (weights for 0, 1, 2). */
export const PRETRAIN_EXTRA_TURNS: readonly number[] = [0.4, 0.35, 0.25];

/** Task mix: mostly request → calls (half of them on synthetic tools), plus questions about the list. */
export const PRETRAIN_TASK_WEIGHTS: Readonly<Record<PretrainTask, number>> = Object.freeze({ call: 0.33, synthCall: 0.34, whichTool: 0.13, params: 0.1, listTools: 0.06, repeat: 0.04 });

/** What a pretraining example answers when no listed tool fits (plain text, not `<response>`). */
export const PRETRAIN_NO_TOOL = 'None of the listed tools can do that.';

const SYSTEM_HEADERS = [
  'You have access to the following tools:',
  'Tools you can use:',
  'Available functions:',
  'The user can be helped with these tools:',
];

/** Any held-out tool or parameter name as a word (an example that shows one is redrawn). */
export const HELD_OUT_NAME_RE = new RegExp(`\\b(${MINI_RESERVED_NAMES.join('|')})\\b`);

/** The corpus's system prompt for a tool list (also what the held-out probe asks with). */
export function pretrainSystemPrompt(tools: readonly MiniToolView[], rng: Rng): string {
  return [SYSTEM_HEADERS[rng.int(SYSTEM_HEADERS.length)]!, ...tools.map(miniToolLine)].join('\n');
}

function callLines(calls: readonly GoldCall[]): string {
  return calls.map(renderToolCall).join('\n');
}

/** A synthetic episode: 1–4 synthetic tools, one or two of them called (or none listed fits). */
function syntheticEpisode(rng: Rng, early: boolean, madeUpTopics: number, pieceShare: number, sharedVerb: number): { tools: MiniToolView[]; synthetic: SyntheticTool[]; request: string; answer: string } {
  // 1-4 tools: lists of one or two make copying learnable before choosing among several is
  // (measured: with 3-4 tools only, no name was copied after 300 steps).
  const phase = early ? PRETRAIN_WARMUP_MIX : { listSizes: PRETRAIN_SYNTHETIC_LIST_SIZES, randomNames: PRETRAIN_RANDOM_NAMES };
  const count = 1 + rng.weighted(phase.listSizes);
  const randomNames = phase.randomNames;
  // One verb for the whole list (drawn only when set, so the corpus without it is the one shipped
  // before it): the verb no longer tells the tools apart, the topic must (corpus.sharedVerbLists).
  const verb = !early && sharedVerb > 0 && count > 1 && rng.chance(sharedVerb) ? syntheticVerb(rng) : undefined;
  const tools = syntheticTools(rng, count + 1, randomNames, madeUpTopics, (r) => madeUp(r, pieceShare), verb);
  // tools[count] is never listed: the "none fits" request asks for it.
  const r = rng.float();
  if (r < 0.08) {
    const { request } = syntheticCall(rng, tools[count]!);
    return { tools: tools.slice(0, count).map((t) => t.view), synthetic: tools.slice(0, count), request, answer: PRETRAIN_NO_TOOL };
  }
  const listed = tools.slice(0, count);
  const a = listed[rng.int(count)]!;
  const first = syntheticCall(rng, a);
  const calls = [{ name: a.view.name, parameters: first.parameters }];
  let request = first.request;
  if (r > 0.8 && count > 1) {
    const b = listed.filter((t) => t !== a)[rng.int(count - 1)]!;
    const second = syntheticCall(rng, b);
    calls.push({ name: b.view.name, parameters: second.parameters });
    request = `${request} ${rng.pick(['Also, ', 'Then ', 'And '])}${second.request.charAt(0).toLowerCase()}${second.request.slice(1)}`;
  }
  return { tools: listed.map((t) => t.view), synthetic: listed, request, answer: callLines(calls) };
}

/** Verbs of an unguessable-name request: they say nothing about which listed tool is meant. */
const GENERIC_VERBS = ['handle', 'do', 'sort out', 'deal with', 'help with', 'work on'];

/**
 * A list of 2-4 synthetic tools whose names cannot be guessed from the request (corpus.unguessableNames):
 * each name joins a made-up word to the tool's topic (`lipoka_seed`, `bishefo_titrados`), the request
 * says the topic with a generic verb ("Please deal with my seed, ..."), so the only way to the answer
 * is to find the line that holds the request's topic and copy the name written there — what a
 * held-out request needs (`start_vacuum` for "Vacuum the kitchen"). Topics are made-up words half of
 * the time (in syllables or vocabulary pieces), so the match cannot be a memorised word pair.
 */
function unguessableEpisode(rng: Rng): { tools: MiniToolView[]; synthetic: SyntheticTool[]; request: string; answer: string } {
  const count = 2 + rng.int(3);
  const word = (r: Rng): string => madeUp(r, 0.5);
  const synthetic = syntheticTools(rng, count, 0, 0.7, word);
  const generic = rng.pick(GENERIC_VERBS);
  const used = new Set<string>();
  const tools = synthetic.map((t) => {
    let v: string;
    do v = word(rng);
    while (used.has(v));
    used.add(v);
    const name = rng.chance(0.7) ? `${v}_${t.topic}` : `${t.topic}_${v}`;
    const description = rng.pick([`${cap(v)} the ${t.topic}.`, `${cap(t.topic)} tool.`, `Works on a ${t.topic}.`, `Lets you ${v} a ${t.topic}.`]);
    const def = { ...t.view.def, name, description };
    return { ...t, verb: generic, view: { def, name, paramNames: t.view.paramNames } };
  });
  const asked = tools[rng.int(count)]!;
  const call = syntheticCall(rng, asked);
  return { tools: tools.map((t) => t.view), synthetic: tools, request: call.request, answer: callLines([{ name: asked.view.name, parameters: call.parameters }]) };
}

/** Letter-only tokens (3+ letters) of the mini vocabulary: the words the drill repeats. */
function words(): readonly string[] {
  return letterTokens(3);
}

/** A made-up word: a piece word with probability `pieceShare` (drawn only when set), else syllables. */
function madeUp(rng: Rng, pieceShare: number): string {
  return pieceShare > 0 && rng.chance(pieceShare) ? pieceWord(rng) : madeUpWord(rng);
}

/** A snake_case identifier to copy: words of the vocabulary, made-up words, or random characters. */
function drillIdentifier(rng: Rng, pieceShare: number): string {
  const r = rng.float();
  if (r < 0.15) return randomIdentifier(rng);
  const parts = Array.from({ length: 1 + rng.int(3) }, () => (rng.chance(0.5) ? madeUp(rng, pieceShare) : rng.pick(words())));
  return parts.join('_');
}

/**
 * The copy drill: repeat 4-9 random words (each one token: pure induction), or 2-4 identifiers
 * (pieces that repeat inside the string, like tool names spelled in pieces). No tool list: short
 * contexts are where copying is learned.
 */
function repeatExample(rng: Rng, identifierDrill: number, pieceShare: number): PretrainExample {
  const said = rng.chance(identifierDrill)
    ? Array.from({ length: 2 + rng.int(3) }, () => drillIdentifier(rng, pieceShare)).join(', ')
    : Array.from({ length: 4 + rng.int(6) }, () => rng.pick(words())).join(' ');
  const messages: ChatMessage[] = [
    { role: 'user', content: `${rng.pick(['Repeat after me:', 'Say this back:', 'Echo:', 'Copy exactly:'])} ${said}` },
    { role: 'assistant', content: said },
  ];
  return { task: 'repeat', messages, answer: said };
}

/** A question about the listed tools and its answer (the reading tasks of the corpus). */
function question(task: 'whichTool' | 'params' | 'listTools', tools: readonly MiniToolView[], rng: Rng): [string, string] {
  const tool = tools[rng.int(tools.length)]!;
  switch (task) {
    case 'whichTool':
      return [
        rng.chance(0.5)
          ? `Which tool does this: ${tool.def.description.replace(/\.$/, '').toLowerCase()}?`
          : `Which tool is named like this: ${tool.name.replace(/_/g, ' ')}?`,
        tool.name,
      ];
    case 'params':
      return [
        `What parameters does ${tool.name} take?`,
        tool.def.params.map((p) => `${tool.paramNames.get(p.name)}${p.required ? '' : ' (optional)'}`).join(', '),
      ];
    default:
      return ['Which tools are available?', tools.map((t) => t.name).join(', ')];
  }
}

/** One pretraining example (attempt > 0: a redraw after a held-out identifier showed up). */
function pretrainExample(seed: number, index: number, world: MiniWorld, attempt: number, c: PretrainCorpusConfig): PretrainExample {
  const rng = Rng.derive(seed, 'pretrain', index, attempt);
  const tasks = Object.keys(PRETRAIN_TASK_WEIGHTS) as PretrainTask[];
  const pickTask = () => tasks[rng.weighted(tasks.map((t) => PRETRAIN_TASK_WEIGHTS[t]))]!;
  const drill = index < c.drillExamples;
  const early = !drill && index < c.drillExamples + c.warmupExamples;
  // Drawn only when set, so the corpus without it is the one shipped before it.
  const unguessable = !drill && !early && (c.unguessableNames ?? 0) > 0 && rng.chance(c.unguessableNames!);
  let task = unguessable ? 'synthCall' : drill || rng.chance(c.drillShare) ? 'repeat' : pickTask();
  if (early && task === 'call' && rng.chance(PRETRAIN_WARMUP_MIX.synthetic)) task = 'synthCall';
  if (task === 'repeat') {
    // The first drill phase repeats words only (learned fastest: pure induction), then both kinds.
    const ex = repeatExample(rng, drill ? 0 : c.identifierDrill, c.pieceWords ?? 0);
    return HELD_OUT_NAME_RE.test(ex.messages.map((m) => m.content).join('\n')) ? pretrainExample(seed, index, world, attempt + 1, c) : ex;
  }
  let tools: MiniToolView[];
  let synthetic: SyntheticTool[] | undefined;
  let request: string;
  let callAnswer: string;
  if (unguessable) {
    ({ tools, synthetic, request, answer: callAnswer } = unguessableEpisode(rng));
  } else if (task === 'synthCall' || (task !== 'call' && rng.chance(early ? PRETRAIN_WARMUP_MIX.synthetic : 0.5))) {
    const ep = syntheticEpisode(rng, early, c.madeUpTopics, c.pieceWords ?? 0, c.sharedVerbLists ?? 0);
    ({ tools, request, answer: callAnswer } = ep);
    synthetic = ep.synthetic;
  } else {
    let plain = sampleEpisode(world.seed, 'train', index * 4 + attempt, world.config, false);
    // Drawn only when the share is set, so a corpus without swaps is the one shipped before it.
    if ((c.keywordSwap ?? 0) > 0 && rng.chance(c.keywordSwap)) plain = swapKeywords(plain, rng);
    const ep = renameEpisode(plain, rng);
    tools = ep.tools;
    request = ep.request;
    callAnswer = ep.calls.length > 0 ? callLines(ep.calls) : (ep.response ?? PRETRAIN_NO_TOOL);
  }
  // Turns on the same tool list: the first is the example's task, later ones (0-2) more requests
  // for the synthetic tools or more questions, so one prompt teaches several answers.
  const turns: [string, string][] = [task === 'call' || task === 'synthCall' ? [request, callAnswer] : question(task, tools, rng)];
  const extra = rng.weighted(PRETRAIN_EXTRA_TURNS);
  for (let k = 0; k < extra; k++) {
    const next = pickTask();
    if ((next === 'call' || next === 'synthCall') && synthetic !== undefined) {
      const t = synthetic[rng.int(synthetic.length)]!;
      const c = syntheticCall(rng, t);
      turns.push([c.request, callLines([{ name: t.view.name, parameters: c.parameters }])]);
    } else if (next === 'whichTool' || next === 'params' || next === 'listTools') {
      turns.push(question(next, tools, rng));
    }
  }
  const messages: ChatMessage[] = [{ role: 'system', content: pretrainSystemPrompt(tools, rng) }];
  for (const [u, a] of turns) messages.push({ role: 'user', content: u }, { role: 'assistant', content: a });
  if (HELD_OUT_NAME_RE.test(messages.map((m) => m.content).join('\n'))) return pretrainExample(seed, index, world, attempt + 1, c);
  return { task, messages, answer: turns[0]![1] };
}

/** Examples [start, start + n) of the corpus for a seed. */
export function pretrainExamples(
  seed: number,
  start: number,
  n: number,
  world: MiniWorld = miniWorld({ seed }),
  corpus: PretrainCorpusConfig = DEFAULT_PRETRAIN_MINI.corpus,
): PretrainExample[] {
  const out: PretrainExample[] = [];
  for (let i = start; i < start + n; i++) out.push(pretrainExample(seed, i, world, 0, corpus));
  return out;
}

/**
 * The token sequence of an example, split for `sftStep`. lossOn 'answers': the prompt is the tool
 * list (if any) and the first request (with the assistant header); the loss covers the rest — the
 * first answer and any later turns (measured: with the whole-sequence loss nothing was copied after
 * 200 steps even in the drill; on answers alone the word drill was learned). lossOn 'all': the loss
 * covers everything after the first header line (language modelling over the lists too).
 */
export function pretrainTokens(
  e: PretrainExample,
  tokenizer: Tokenizer,
  template: ChatTemplate,
  lossOn: PretrainCorpusConfig['lossOn'] = DEFAULT_PRETRAIN_MINI.corpus.lossOn,
): { prompt: Int32Array; completion: Int32Array } {
  const full = template.render(e.messages).replace(/\n$/, '');
  let head: string;
  if (lossOn === 'all') head = full.slice(0, full.indexOf('\n') + 1);
  else {
    const firstUser = e.messages.findIndex((m) => m.role === 'user');
    head = template.render(e.messages.slice(0, firstUser + 1), { addGenerationPrompt: true });
  }
  return { prompt: tokenizer.encode(head), completion: tokenizer.encode(full.slice(head.length)) };
}
