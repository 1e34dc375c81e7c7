/**
 * Renaming for the pretraining corpus (issue 8): every listed tool and parameter of a train
 * episode gets a new name per example, so nothing can be memorised. Unlike the mini world's
 * made-up names (lib/data/mini/rename.ts), most names here are *descriptive* — built from the
 * words of the tool's description and its catalogue name (`tip_bill`, `check_restaurant_tip`) —
 * because real tool names, the held-out ones included (`start_vacuum`, `apply_discount`), share
 * words with the request; a base model should learn to use that, and still copy the exact name.
 * A third of the names stay made-up, so copying never depends on meaning alone.
 */
import { CATALOGUE } from '../data/mini/catalogue';
import { MINI_RESERVED_NAMES, type MiniEpisode, type MiniToolView } from '../data/mini';
import { freshIdentifier } from '../data/mini/rename';
import type { Rng } from '../data/rng';

const STOP = new Set(['a', 'an', 'the', 'of', 'for', 'to', 'in', 'on', 'and', 'or', 'with', 'by', 'your', 'my', 'it', 'is', 'from', 'between', 'days', 'coming']);
const VERB_PREFIXES = ['get', 'find', 'check', 'do', 'run', 'show', 'make', 'lookup', 'fetch', 'calc'];
const PARAM_AFFIXES = ['the', 'new', 'target', 'input', 'main', 'value', 'name', 'id'];
const CATALOGUE_NAMES = new Set(CATALOGUE.map((t) => t.name));

/** Not a held-out identifier, does not contain one, not a catalogue tool name. */
function allowed(name: string, taken: ReadonlySet<string>): boolean {
  return !taken.has(name) && !CATALOGUE_NAMES.has(name) && !MINI_RESERVED_NAMES.some((r) => name === r || name.includes(r));
}

function words(text: string): string[] {
  return [...new Set(text.toLowerCase().split(/[^a-z]+/).filter((w) => w.length > 1 && !STOP.has(w)))];
}

function toolName(rng: Rng, view: MiniToolView, taken: ReadonlySet<string>): string {
  const pool = words(`${view.def.description} ${view.def.name.replace(/_/g, ' ')}`);
  for (let tries = 0; tries < 20 && rng.chance(0.67); tries++) {
    const parts = rng.sample(pool, Math.min(pool.length, 1 + rng.int(2)));
    if (rng.chance(0.5)) parts.unshift(rng.pick(VERB_PREFIXES));
    const name = parts.join('_');
    if (allowed(name, taken)) return name;
  }
  return freshIdentifier(rng, MINI_RESERVED_NAMES, taken);
}

function paramName(rng: Rng, original: string, taken: ReadonlySet<string>): string {
  const parts = original.split('_');
  for (let tries = 0; tries < 20 && rng.chance(0.67); tries++) {
    const core = rng.chance(0.5) ? parts : [rng.pick(parts)];
    const affix = rng.pick(PARAM_AFFIXES);
    const name = (rng.chance(0.5) ? [affix, ...core] : [...core, affix]).join('_');
    if (allowed(name, taken)) return name;
  }
  return freshIdentifier(rng, MINI_RESERVED_NAMES, taken);
}

/** The episode with every tool and parameter renamed (calls follow; request and values do not change). */
export function renameEpisode(ep: MiniEpisode, rng: Rng): MiniEpisode {
  const taken = new Set<string>();
  const views = new Map<string, MiniToolView>();
  for (const v of ep.tools) {
    const name = toolName(rng, v, taken);
    taken.add(name);
    const local = new Set<string>();
    const paramNames = new Map<string, string>();
    for (const p of v.def.params) {
      const n = paramName(rng, p.name, local);
      local.add(n);
      paramNames.set(p.name, n);
    }
    views.set(v.name, { def: v.def, name, paramNames });
  }
  const calls = ep.calls.map((c) => {
    const v = views.get(c.name)!;
    const parameters: Record<string, unknown> = {};
    for (const [k, val] of Object.entries(c.parameters)) parameters[v.paramNames.get(k)!] = val;
    return { name: v.name, parameters };
  });
  return { ...ep, tools: ep.tools.map((v) => views.get(v.name)!), calls };
}
