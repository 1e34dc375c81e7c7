/**
 * Novel-tool rows for toolrl-mini SFT and RL (issue 8): a train example's tool list with one new
 * synthetic tool (./synthetic.ts, a fresh word-bank tool) added. In half of them the request is for
 * the new tool; in the other half the request and gold calls stay the train example's and the new
 * tool only sits in the list.
 *
 * Why: a held-out prompt lists one tool the model has never seen among the familiar train tools,
 * with a request in words it has never been trained to map to any tool (lib/data/mini/world.ts,
 * "a new tool among familiar ones"). Plain train rows never show that situation, so SFT teaches
 * "every request belongs to a tool I know" — measured after SFT from the shipped base, most held-out
 * misses call a familiar listed tool. The new tool here is matched only by the words its name and
 * description share with the request. The rows where it is a distractor keep "pick the tool I do
 * not know" from being a shortcut.
 */
import type { MiniEpisode, MiniToolView } from './world';
import { MINI_RESERVED_NAMES } from './world';
import { CATALOGUE } from './catalogue';
import { syntheticCall, syntheticTool } from './synthetic';
import type { Rng } from '../rng';

/** Fraction of synthetic topics that are made-up words (as held-out words are to the model). */
const MADE_UP_TOPICS = 0.3;

function words(text: string): string[] {
  return text.toLowerCase().split(/[^a-z]+/).filter((w) => w.length > 0);
}

/**
 * `ep` with a new synthetic tool inserted at a random place in its list (the list keeps its length
 * when it has 4 or more tools: one other tool, never a called one, makes room), and with probability
 * `goldShare` the request and calls replaced by a request for the new tool. Returns `undefined` when
 * a drawn name would touch a held-out identifier or spell a catalogue tool (the caller redraws).
 */
export function withNovelTool(ep: MiniEpisode, rng: Rng, goldShare = 0.5): MiniEpisode | undefined {
  // The new tool's topic must not be a word of the listed tools, or two tools would match one request.
  const taken = new Set(ep.tools.flatMap((v) => [...words(v.def.description), ...words(v.name)]));
  const tool = syntheticTool(rng, taken, 0, MADE_UP_TOPICS);
  const text = `${tool.view.name} ${[...tool.view.paramNames.values()].join(' ')}`;
  if (MINI_RESERVED_NAMES.some((r) => text.includes(r))) return undefined;
  // A word-bank name can spell a catalogue tool (`play_song`): a new tool must be new.
  if (ep.tools.some((v) => v.name === tool.view.name) || CATALOGUE.some((d) => d.name === tool.view.name)) return undefined;
  const gold = rng.chance(goldShare);
  const called = new Set(ep.calls.map((c) => c.name));
  const tools: MiniToolView[] = [...ep.tools];
  if (tools.length >= 4) {
    // With the new tool as gold every listed tool is a distractor; otherwise keep the called ones.
    const removable = tools.map((v, i) => i).filter((i) => gold || !called.has(tools[i]!.name));
    if (removable.length > 0) tools.splice(rng.pick(removable), 1);
  }
  tools.splice(rng.int(tools.length + 1), 0, tool.view);
  if (!gold) return { ...ep, id: `${ep.id}+novel`, tools };
  const call = syntheticCall(rng, tool);
  return {
    ...ep,
    id: `${ep.id}+novel-gold`,
    kind: 'single',
    tools,
    request: call.request,
    calls: [{ name: tool.view.name, parameters: call.parameters }],
    think: `I should call ${tool.view.name}.`,
    response: undefined,
  };
}
