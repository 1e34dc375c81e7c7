/**
 * Sampling a call of a catalogue tool — typed values for its parameters — and rendering the
 * user's request for it from one of the tool's templates (see catalogue.ts for the template
 * syntax). The value written in the request is exactly the value in the gold call: strings
 * verbatim, numbers in their canonical decimal form, booleans and list items by phrase.
 */
import type { Rng } from '../rng';
import type { ParamDef, ToolDef } from './catalogue';
import { drawFromPool } from './pools';

export type MiniValue = string | number | boolean | string[];

/** A call of a catalogue tool: the parameters that are present, in the tool's order. */
export interface SampledCall {
  tool: ToolDef;
  values: Map<string, MiniValue>;
}

function drawValue(rng: Rng, p: ParamDef, taken: Map<string, MiniValue>): MiniValue {
  switch (p.type) {
    case 'integer': {
      const [lo, hi] = p.range!;
      return rng.range(lo, hi);
    }
    case 'number': {
      const d = p.decimals ?? 1;
      const scale = 10 ** d;
      const [lo, hi] = p.range!;
      let k: number;
      do k = rng.range(lo * scale, hi * scale);
      while (k % 10 === 0); // the last decimal is never 0: the text "12.5" is the value's only form
      return k / scale;
    }
    case 'boolean':
      return rng.chance(0.5);
    case 'enum':
    case 'string': {
      const other = p.distinctFrom === undefined ? undefined : taken.get(p.distinctFrom);
      let v: string;
      do v = p.type === 'enum' ? rng.pick(p.options!) : drawFromPool(rng, p.pool!);
      while (v === other);
      return v;
    }
    case 'list': {
      const [lo, hi] = p.listSize ?? [2, 3];
      const k = rng.range(lo, hi);
      const items = new Set<string>();
      while (items.size < k) items.add(drawFromPool(rng, p.pool!));
      return [...items];
    }
  }
}

/** Present-parameter values for a call of `tool`; each optional parameter with probability `optionalRate`. */
export function sampleCall(rng: Rng, tool: ToolDef, optionalRate: number): SampledCall {
  const values = new Map<string, MiniValue>();
  for (const p of tool.params) {
    if (!p.required && !rng.chance(optionalRate)) continue;
    values.set(p.name, drawValue(rng, p, values));
  }
  return { tool, values };
}

/** The text a value is written as in a request. */
function surface(rng: Rng, p: ParamDef, v: MiniValue): string {
  if (typeof v === 'boolean') return rng.pick(v ? p.yes! : p.no!);
  if (typeof v === 'number') return p.type === 'number' ? v.toFixed(p.decimals ?? 1) : String(v);
  if (Array.isArray(v)) return v.length === 1 ? v[0] : `${v.slice(0, -1).join(', ')} and ${v[v.length - 1]}`;
  return v;
}

/** The user's request for a sampled call, from a random template of its tool. */
export function renderRequest(rng: Rng, call: SampledCall): string {
  const t = call.tool;
  const template = rng.pick(t.requests);
  const byName = new Map(t.params.map((p) => [p.name, p]));
  return template
    .replace(/\[([a-z_0-9]+)\]/g, (_, name: string) => {
      const p = byName.get(name)!;
      const v = call.values.get(name);
      if (v === undefined) return '';
      if (p.type === 'boolean') return surface(rng, p, v);
      return rng.pick(p.say!).replace('{}', surface(rng, p, v));
    })
    .replace(/\{([a-z_0-9]+)\}/g, (_, name: string) => surface(rng, byName.get(name)!, call.values.get(name)!));
}

/** Joins two requests into one message, for two calls in one turn. */
export function joinRequests(rng: Rng, a: string, b: string): string {
  const lower = /^I\b/.test(b) ? b : b[0].toLowerCase() + b.slice(1);
  switch (rng.int(4)) {
    case 0:
      return `${a} Also, ${lower}`;
    case 1:
      return `${a} Then ${lower}`;
    case 2:
      return `${a} And ${lower}`;
    default:
      return `${a} ${b}`;
  }
}
