/**
 * Keyword swap for the toolrl-mini pretraining corpus (issue 8): in a train episode, the words the
 * request shares with its tool's description and name (`weather` in "What is the weather in
 * Paris?" and `get_weather` - "Current weather for a city.") become one made-up word everywhere in
 * the example — descriptions, names, request and values — so the request reads "What is the
 * zorvak in Paris?" and the tool `get_zorvak` - "Current zorvak for a city.".
 *
 * Why: a held-out request is a natural sentence whose key words the base has never seen ("How
 * strong is the sun in Zurich?" for `get_uv_index` - "Sun UV index of a city."), listed among
 * familiar tools. Renamed train episodes can be solved from memory (36 descriptions, each with its
 * request templates), synthetic tools from a fixed request frame; neither makes "match an unknown
 * word of the request to the listed tool that has it" necessary in natural sentences. Measured
 * before this (shipped base of 2026-12-05, 200 held-out probes): 38% of the answers called another
 * listed tool with the same kind of values (`set_thermostat` for "Vacuum the kitchen.").
 *
 * Other listed tools get a word of their own description swapped too (half of them), so "call the
 * tool with the odd word" is not enough: the odd word must be the request's.
 */
import type { ToolDef } from './catalogue';
import type { MiniEpisode, MiniToolView } from './world';
import { madeUpWord } from './rename';
import type { Rng } from '../rng';

/** Words never swapped: too common to identify a tool (and parts of the fixed prompt text). */
const KEEP = new Set([
  'a', 'an', 'the', 'of', 'for', 'to', 'in', 'on', 'and', 'or', 'with', 'by', 'at', 'is', 'it', 'me', 'my', 'your',
  'from', 'get', 'set', 'some', 'two', 'all', 'new', 'what', 'how', 'this', 'that', 'between', 'coming',
]);

function contentWords(text: string): string[] {
  return [...new Set(text.toLowerCase().split(/[^a-z]+/).filter((w) => w.length > 2 && !KEEP.has(w)))];
}

/** Whole-word replacement, keeping a capital first letter ("Weather" → "Zorvak"). */
function replaceWords(text: string, map: ReadonlyMap<string, string>): string {
  return text.replace(/[A-Za-z]+/g, (w) => {
    const m = map.get(w.toLowerCase());
    if (m === undefined) return w;
    return w[0] === w[0]!.toUpperCase() ? m.charAt(0).toUpperCase() + m.slice(1) : m;
  });
}

function replaceValue(v: unknown, map: ReadonlyMap<string, string>): unknown {
  if (typeof v === 'string') return replaceWords(v, map);
  if (Array.isArray(v)) return v.map((x) => replaceValue(x, map));
  return v;
}

/**
 * The episode with its keywords swapped (see above), or the episode itself when the request shares
 * no content word with any called tool (e.g. "Is it cold in Oslo today?" for `get_weather`).
 * Catalogue names become `get_zorvak`; made-up names (renamed views) stay; the corpus renames afterwards.
 */
export function swapKeywords(ep: MiniEpisode, rng: Rng): MiniEpisode {
  const map = new Map<string, string>();
  const used = new Set<string>();
  const fresh = (): string => {
    for (;;) {
      const w = madeUpWord(rng);
      if (!used.has(w)) {
        used.add(w);
        return w;
      }
    }
  };
  // Enum options are values the signature spells out: swapping them would break the call.
  const options = new Set(ep.tools.flatMap((v) => v.def.params.flatMap((p) => p.options ?? [])).map((o) => o.toLowerCase()));
  const requestWords = new Set(contentWords(ep.request).filter((w) => !options.has(w)));
  const called = new Set(ep.calls.map((c) => c.name));
  for (const v of ep.tools) {
    if (!called.has(v.name)) continue;
    for (const w of contentWords(`${v.def.description} ${v.def.name.replace(/_/g, ' ')}`)) if (requestWords.has(w) && !map.has(w)) map.set(w, fresh());
  }
  if (map.size === 0) return ep;
  for (const v of ep.tools) {
    if (called.has(v.name) || !rng.chance(0.5)) continue;
    const own = contentWords(v.def.description).filter((w) => !map.has(w) && !requestWords.has(w) && !options.has(w));
    if (own.length > 0) map.set(rng.pick(own), fresh());
  }
  const views = new Map<string, MiniToolView>();
  for (const v of ep.tools) {
    const swapped = v.def.name.split('_').map((p) => map.get(p) ?? p).join('_');
    const def: ToolDef = { ...v.def, name: swapped, description: replaceWords(v.def.description, map) };
    // A renamed tool (made-up name) keeps its name; a catalogue name gets the swapped words.
    views.set(v.name, { def, name: v.name === v.def.name ? swapped : v.name, paramNames: v.paramNames });
  }
  const calls = ep.calls.map((c) => {
    const parameters: Record<string, unknown> = {};
    for (const [k, val] of Object.entries(c.parameters)) parameters[k] = replaceValue(val, map);
    return { name: views.get(c.name)!.name, parameters };
  });
  return { ...ep, tools: ep.tools.map((v) => views.get(v.name)!), request: replaceWords(ep.request, map), calls };
}
