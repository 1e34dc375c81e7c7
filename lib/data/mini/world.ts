/**
 * toolrl-mini: the seeded synthetic tool-use world behind `node train.js`'s default
 * (../shared/DESIGN.md "The embedded default"; issue 4 §5).
 *
 * An example ("episode") lists a few tools in a compact form of the paper's system
 * prompt, asks for something in the user's words, and gives the gold turn in the ToolRL output
 * format. Kinds (weights in lib/config.ts `DEFAULT_MINI_WORLD`):
 * - `single`     one call of a listed tool (optional parameters present when the request says so);
 * - `same`       two calls of the same tool with different values, in one request;
 * - `different`  calls of two different listed tools;
 * - `chitchat`   a greeting or thanks: `<response>` only;
 * - `outOfScope` a request no tool of the world can serve: `<response>` only;
 * - `unlisted`   a request for a tool of the split that is not in this prompt's list (none of
 *                its domain is): `<response>` only — the answer depends on reading the list.
 *
 * Train prompts list train tools only. Held-out prompts call held-out tools, listed among tools
 * of the whole catalogue (a new tool among familiar ones, as when an API is added to a known
 * toolset), so held-out names are unseen but the rest of the prompt is not.
 *
 * The catalogue and its train/held-out split are fixed (catalogue.ts), so a base model
 * pretrained on the train tools never sees the held-out ones whatever the seed; the seed decides
 * the examples. Example i of a split is drawn from its own generator (`Rng.derive(seed, split,
 * i)`): `train(n)` is a prefix of `train(n + 1)`, and the same seed always gives the same world.
 */
import { Rng } from '../rng';
import { renderAnswer, type GoldCall } from '../toolrlFormat';
import type { ToolUseExample } from '../types';
import { CANNOT_HELP, CATALOGUE, CHITCHAT, OUT_OF_SCOPE, type ToolDef, type ParamDef } from './catalogue';
import { joinRequests, renderRequest, sampleCall, type SampledCall } from './sample';
import { freshIdentifier } from './rename';
import type { MiniWorldConfig } from '../../config';

export type MiniSplit = 'train' | 'heldOut';
export type MiniKind = 'single' | 'same' | 'different' | 'chitchat' | 'outOfScope' | 'unlisted';
export const MINI_KINDS: readonly MiniKind[] = ['single', 'same', 'different', 'chitchat', 'outOfScope', 'unlisted'];

/** A tool as one example lists it (names possibly renamed). */
export interface MiniToolView {
  def: ToolDef;
  /** The name shown in the prompt and expected in calls. */
  name: string;
  /** Catalogue parameter name → the name shown. */
  paramNames: ReadonlyMap<string, string>;
}

/** One example in structured form, for the prompt/answer renderer and for other corpora (issue 8). */
export interface MiniEpisode {
  id: string;
  split: MiniSplit;
  kind: MiniKind;
  /** The listed tools, in prompt order. */
  tools: MiniToolView[];
  /** The user's request. */
  request: string;
  /** Gold calls, with the shown names (empty for response-only kinds). */
  calls: GoldCall[];
  think: string;
  /** The gold reply of response-only kinds. */
  response?: string;
}

export const MINI_TRAIN_TOOLS: readonly ToolDef[] = CATALOGUE.filter((t) => !t.heldOut);
export const MINI_HELD_OUT_TOOLS: readonly ToolDef[] = CATALOGUE.filter((t) => t.heldOut === true);

/** Held-out tool and parameter names: never in the train split, never a fresh name. */
export const MINI_RESERVED_NAMES: readonly string[] = MINI_HELD_OUT_TOOLS.flatMap((t) => [t.name, ...t.params.map((p) => p.name)]);

// ---------------------------------------------------------------------------------------------
// Prompt text

const TYPE_NAMES = { string: 'str', integer: 'int', number: 'float', boolean: 'bool', list: 'list[str]' } as const;

function paramSignature(p: ParamDef, shown: string): string {
  const type = p.type === 'enum' ? p.options!.join('|') : TYPE_NAMES[p.type];
  return `${shown}${p.required ? '' : '?'}:${type}`;
}

/**
 * `name(param:type,opt?:a|b) - description`: the compact form of one tool (`?` marks an optional
 * parameter; enums list their values), the fewest tokens that still say everything a call needs.
 *
 * Measured, not kept: the description first (`description - name(...)`), so that a causal model
 * reads what a tool does before its name starts (the name-first base chooses among synthetic tools
 * by the name's first word). A full pretraining run in that format (seed 0, 5,000 steps, 92 min,
 * tokenizer regenerated: 4 tokens differ; 2026-12-07) copied names from unseen corpus lists 78.5% of
 * the time (name-first base: 60.5%) and chose by the topic alone 47.0% (42.5%), but named held-out
 * tools right 10.0% in its own format (12.5%); `node train.js` seeds 0 / 1, held-out accuracy /
 * reward / names: SFT 0.115 / -0.92 / 0.229 and 0.095 / -1.29 / 0.119, SFT+GRPO 0.135 / -0.85 /
 * 0.261 and 0.100 / -1.08 / 0.169, against (README table, shipped base) SFT 0.150 / -0.91 / 0.20 and
 * 0.120 / -1.29 / 0.15, SFT+GRPO 0.180 / -0.83 / 0.20 and 0.090 / -1.09 / 0.17 — better reading of
 * lists like those it was trained on, no better on new tools.
 */
export function miniToolLine(view: MiniToolView): string {
  const params = view.def.params.map((p) => paramSignature(p, view.paramNames.get(p.name)!)).join(',');
  return `${view.name}(${params}) - ${view.def.description}`;
}

/**
 * The paper's system prompt (../shared/data/toolrl/system_prompt_template.txt), compacted: the
 * same sections — role, **Available Tools**, **Output Format**, **Notes** — in fewer words, and
 * one line per tool (miniToolLine) instead of a numbered JSON schema. The sections keep the paper's
 * order: with the tools listed last instead (next to the request), SFT from the shipped base (seed 0)
 * named 15.7% of held-out tools right against 20.3% — distance from the list is not what limits it.
 */
export function miniSystemPrompt(tools: readonly MiniToolView[]): string {
  return [
    'You are a helpful assistant that can call tools.',
    '',
    '**Available Tools**',
    ...tools.map(miniToolLine),
    '',
    '**Output Format**',
    '<think> reasoning </think>',
    '<tool_call>',
    '{"name": "tool", "parameters": {"param": value}}',
    '</tool_call>',
    '<response> reply </response>',
    '',
    '**Notes**',
    'Think first, then give <tool_call> (one JSON per line), <response>, or both. ? marks optional parameters.',
  ].join('\n');
}

/** The user turn, as the paper's data writes a turn of the dialogue history. */
export function miniUserPrompt(request: string): string {
  return `<user> ${request} </user>`;
}

/** An episode as a ToolUseExample (system + user messages, gold answer). */
export function renderMiniExample(ep: MiniEpisode): ToolUseExample {
  return {
    id: ep.id,
    messages: [
      { role: 'system', content: miniSystemPrompt(ep.tools) },
      { role: 'user', content: miniUserPrompt(ep.request) },
    ],
    groundTruth: renderAnswer({ think: ep.think, calls: ep.calls, response: ep.response }),
  };
}

// ---------------------------------------------------------------------------------------------
// Sampling

function view(def: ToolDef, rng: Rng | undefined, taken: Set<string>, pieceShare: number): MiniToolView {
  if (rng === undefined) return { def, name: def.name, paramNames: new Map(def.params.map((p) => [p.name, p.name])) };
  const name = freshIdentifier(rng, MINI_RESERVED_NAMES, taken, pieceShare);
  taken.add(name);
  const local = new Set<string>();
  const paramNames = new Map<string, string>();
  for (const p of def.params) {
    const n = freshIdentifier(rng, MINI_RESERVED_NAMES, local, pieceShare);
    local.add(n);
    paramNames.set(p.name, n);
  }
  return { def, name, paramNames };
}

/** The gold call: integer parameters are ints, number parameters floats (never integral). */
function goldCall(call: SampledCall, v: MiniToolView): GoldCall {
  const parameters: Record<string, unknown> = {};
  for (const [k, val] of call.values) parameters[v.paramNames.get(k)!] = val;
  return { name: v.name, parameters };
}

/** Tools listed besides `must`: distinct, from `pool`, avoiding `avoid`, shuffled in. */
function listTools(rng: Rng, pool: readonly ToolDef[], must: ToolDef[], count: number, avoid: (t: ToolDef) => boolean): ToolDef[] {
  const others = pool.filter((t) => !must.includes(t) && !avoid(t));
  const extra = rng.sample(others, Math.min(others.length, Math.max(0, count - must.length)));
  return rng.shuffle([...must, ...extra]);
}

/**
 * Example `index` of a split. `attempt` > 0 draws a replacement from its own stream (the world
 * redraws an example that is over the token limit; see index.ts). `pieceShare`: the chance that a
 * fresh name's word is spelled in vocabulary pieces (rename.ts freshIdentifier).
 */
export function sampleEpisode(seed: number, split: MiniSplit, index: number, cfg: MiniWorldConfig, renamed: boolean | number, attempt = 0, pieceShare = 0): MiniEpisode {
  // `renamed` as a number: each listed tool is renamed with that probability (a stream of its own).
  const share = renamed === true ? 1 : renamed === false ? 0 : renamed;
  const stream = share === 0 ? 'plain' : share === 1 ? 'renamed' : `renamed@${share}`;
  const labels: (string | number)[] = ['mini', split, stream, index];
  if (attempt > 0) labels.push('redraw', attempt);
  const rng = Rng.derive(seed, ...labels);
  // Gold tools come from the split; the other listed tools of a held-out prompt from the whole
  // catalogue (a new tool among familiar ones, as when an API is added to a known toolset).
  const pool = split === 'train' ? MINI_TRAIN_TOOLS : MINI_HELD_OUT_TOOLS;
  const listPool = split === 'train' ? MINI_TRAIN_TOOLS : CATALOGUE;
  const w = cfg.kindWeights;
  const kind = MINI_KINDS[rng.weighted(MINI_KINDS.map((k) => w[k]))];
  const count = rng.range(cfg.toolsPerPrompt[0], cfg.toolsPerPrompt[1]);
  const id = `mini/${split}${share === 0 ? '' : `-${stream}`}/${seed}/${index}`;

  let listed: ToolDef[];
  let calls: SampledCall[] = [];
  let request: string;
  let response: string | undefined;
  switch (kind) {
    case 'single':
    case 'same':
    case 'different': {
      const a = rng.pick(pool);
      const b = kind === 'same' ? a : kind === 'different' ? rng.pick(pool.filter((t) => t !== a)) : undefined;
      calls = [sampleCall(rng, a, cfg.optionalRate)];
      if (b !== undefined) {
        let second = sampleCall(rng, b, cfg.optionalRate);
        // Two calls of one tool must differ, or the request would just repeat itself.
        while (b === a && sameValues(second, calls[0])) second = sampleCall(rng, b, cfg.optionalRate);
        calls.push(second);
      }
      listed = listTools(rng, listPool, b === undefined || b === a ? [a] : [a, b], count, () => false);
      const texts = calls.map((c) => renderRequest(rng, c));
      request = texts.length === 1 ? texts[0] : joinRequests(rng, texts[0], texts[1]);
      break;
    }
    case 'chitchat': {
      const [u, r] = rng.pick(CHITCHAT);
      listed = listTools(rng, listPool, [], count, () => false);
      request = u;
      response = r;
      break;
    }
    case 'outOfScope':
      listed = listTools(rng, listPool, [], count, () => false);
      request = rng.pick(OUT_OF_SCOPE);
      response = CANNOT_HELP;
      break;
    case 'unlisted': {
      const wanted = rng.pick(pool);
      listed = listTools(rng, listPool, [], count, (t) => t.domain === wanted.domain);
      request = renderRequest(rng, sampleCall(rng, wanted, cfg.optionalRate));
      response = CANNOT_HELP;
      break;
    }
  }

  const taken = new Set<string>();
  const views = listed.map((t) => view(t, share === 1 || (share > 0 && rng.chance(share)) ? rng : undefined, taken, pieceShare));
  const viewOf = (t: ToolDef): MiniToolView => views.find((v) => v.def === t)!;
  const gold = calls.map((c) => goldCall(c, viewOf(c.tool)));
  // Tried (2026-12-07), not kept: a think that first checks each listed tool in order,
  // `start_vacuum (Start the robot vacuum) yes; set_thermostat (...) no; I should call start_vacuum.`,
  // so that each choice compares a just-copied description with the request. SFT from the shipped
  // base (examples chosen by their length with this short think, --max-new-tokens 256), held-out
  // names seeds 0 / 1: 0.163 / 0.138 against 0.203 / 0.163, format 0.69 against ~0.8: the model
  // wrote train tools' descriptions from memory (`reserve_room (Book a hotel room)`) instead of copying.
  let think: string;
  if (kind === 'single') think = `I should call ${gold[0].name}.`;
  else if (kind === 'same') think = `I should call ${gold[0].name} twice.`;
  else if (kind === 'different') think = `I should call ${gold[0].name} and ${gold[1].name}.`;
  else if (kind === 'chitchat') think = 'No tool is needed; I can reply directly.';
  else think = 'None of the listed tools can do this.';
  return { id, split, kind, tools: views, request, calls: gold, think, response };
}

function sameValues(a: SampledCall, b: SampledCall): boolean {
  return JSON.stringify([...a.values]) === JSON.stringify([...b.values]);
}
