/**
 * Synthetic tools for the toolrl-mini pretraining corpus and novel-tool rows (issue 8; novel.ts): an
 * endless supply of tools made from a word bank, each with a descriptive snake_case name, a one-line
 * description and typed parameters, plus a request that mentions its key words and values.
 *
 * Why: the mini world has only 36 train tools, so a model trained on them alone memorises "this
 * description ↔ this kind of request" and never learns the skill held-out tools need — find the
 * listed tool whose name and description share words with the request, copy its name, copy the
 * parameter names, and copy each value next to the right parameter. Synthetic tools make that the
 * only way to predict the answer. Measured in the first attempt without them: 0% of held-out tool
 * names right after ~800 steps (issue 8 notes).
 *
 * The word bank holds no held-out identifier and the corpus checks every example's text against
 * them (corpus.ts), so the held-out split stays unseen.
 */
import type { ParamDef, ToolDef } from './catalogue';
import type { MiniToolView } from './world';
import { POOLS } from './pools';
import type { Rng } from '../rng';
import { madeUpWord } from './rename';

/** Verbs that start a tool name and its description (base form, description form). */
const VERBS = [
  'check', 'find', 'fetch', 'show', 'list', 'count', 'make', 'create', 'open', 'close', 'rate', 'sort',
  'clean', 'draw', 'paint', 'print', 'scan', 'save', 'load', 'share', 'order', 'plan', 'measure',
  'compare', 'estimate', 'renew', 'cancel', 'refill', 'report', 'review', 'water', 'feed', 'wash',
  'repair', 'rent', 'sell', 'buy', 'ship', 'pack', 'track', 'play', 'pause', 'mute', 'record',
] as const;

/** Things tools act on. */
const TOPICS = [
  'plant', 'garden', 'bike', 'boat', 'ticket', 'invoice', 'parcel', 'receipt', 'recipe', 'playlist',
  'podcast', 'photo', 'album', 'library', 'museum', 'park', 'beach', 'river', 'train', 'bus', 'taxi',
  'printer', 'laptop', 'camera', 'window', 'garage', 'fridge', 'oven', 'coffee', 'tea', 'pizza',
  'salad', 'bread', 'cake', 'wine', 'juice', 'shirt', 'shoe', 'jacket', 'hat', 'watch', 'ring',
  'lamp', 'sofa', 'desk', 'chair', 'carpet', 'mirror', 'clock', 'battery', 'charger', 'cable',
  'router', 'password', 'account', 'budget', 'bill', 'tax', 'salary', 'rent', 'mortgage', 'insurance',
  'doctor', 'dentist', 'pharmacy', 'vaccine', 'pet', 'dog', 'cat', 'horse', 'bird', 'fish', 'tree',
  'flower', 'seed', 'soil', 'rain', 'snow', 'wind', 'storm', 'moon', 'star', 'planet', 'song', 'poem',
  'story', 'letter', 'parking', 'fuel', 'tire', 'engine', 'bridge', 'road', 'map', 'route', 'hotel',
  'cruise', 'island', 'castle', 'festival', 'match', 'team', 'score', 'game', 'puzzle', 'quiz',
  'lesson', 'course', 'exam', 'grade', 'homework', 'school', 'teacher', 'student', 'job', 'resume',
] as const;

/** Parameters: a word for the name, the kind of value, and a cue the request puts before it. */
interface ParamKind {
  word: string;
  type: 'string' | 'integer' | 'number' | 'enum' | 'boolean';
  pool?: keyof typeof POOLS;
  range?: readonly [number, number];
  decimals?: 1 | 2;
  options?: readonly string[];
  cues: readonly string[];
}

const PARAM_KINDS: readonly ParamKind[] = [
  { word: 'city', type: 'string', pool: 'city', cues: ['in', 'near', 'for', 'around'] },
  { word: 'town', type: 'string', pool: 'city', cues: ['in', 'at'] },
  { word: 'nation', type: 'string', pool: 'country', cues: ['in', 'for', 'from'] },
  { word: 'person', type: 'string', pool: 'fullName', cues: ['for', 'with', 'by'] },
  { word: 'owner', type: 'string', pool: 'fullName', cues: ['owned by', 'for', 'of'] },
  { word: 'friend', type: 'string', pool: 'firstName', cues: ['with', 'for', 'and'] },
  { word: 'email', type: 'string', pool: 'email', cues: ['to', 'at', 'email'] },
  { word: 'phone', type: 'string', pool: 'phone', cues: ['at', 'number', 'phone'] },
  { word: 'label', type: 'string', pool: 'eventTitle', cues: ['called', 'named', 'labelled'] },
  { word: 'topic', type: 'string', pool: 'topic', cues: ['about', 'on', 'covering'] },
  { word: 'memo', type: 'string', pool: 'note', cues: ['for', 'memo', 'noting'] },
  { word: 'phrase', type: 'string', pool: 'phrase', cues: ['saying', 'with the words', 'text'] },
  { word: 'symbol', type: 'string', pool: 'ticker', cues: ['for', 'ticker', 'symbol'] },
  { word: 'airport', type: 'string', pool: 'airport', cues: ['from', 'at', 'via'] },
  { word: 'count', type: 'integer', range: [1, 12], cues: ['count', 'x', 'times'] },
  { word: 'limit', type: 'integer', range: [2, 50], cues: ['at most', 'up to', 'limit'] },
  { word: 'year', type: 'integer', range: [1990, 2035], cues: ['in', 'from', 'year'] },
  { word: 'level', type: 'integer', range: [1, 10], cues: ['level', 'at level', 'grade'] },
  { word: 'days', type: 'integer', range: [1, 30], cues: ['for', 'over', 'days'] },
  { word: 'size', type: 'integer', range: [1, 99], cues: ['size', 'of size', 'number'] },
  { word: 'price', type: 'number', range: [1, 900], decimals: 2, cues: ['for', 'at', 'price'] },
  { word: 'budget', type: 'number', range: [10, 5000], decimals: 2, cues: ['under', 'budget', 'below'] },
  { word: 'ratio', type: 'number', range: [0, 9], decimals: 1, cues: ['ratio', 'at', 'factor'] },
  { word: 'height', type: 'number', range: [1, 300], decimals: 1, cues: ['height', 'tall', 'at'] },
  { word: 'color', type: 'enum', options: ['red', 'blue', 'green', 'black', 'white'], cues: ['in', 'colored', 'color'] },
  { word: 'speed', type: 'enum', options: ['slow', 'normal', 'fast'], cues: ['at', 'speed', 'going'] },
  { word: 'mode', type: 'enum', options: ['auto', 'manual', 'quiet', 'eco'], cues: ['in', 'mode', 'using'] },
  { word: 'format', type: 'enum', options: ['pdf', 'csv', 'html', 'text'], cues: ['as', 'in', 'format'] },
  { word: 'urgent', type: 'boolean', cues: [] },
  { word: 'public', type: 'boolean', cues: [] },
];

const PREFIXES = ['', '', '', 'new', 'max', 'min', 'target', 'main', 'my', 'start', 'end', 'extra'];

export interface SyntheticTool {
  view: MiniToolView;
  /** Words a request uses to ask for this tool. */
  verb: string;
  topic: string;
  kinds: ParamKind[];
}

/** `s` with its first letter upper-cased (a description or request opening). */
export function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/**
 * A random identifier (letters and digits, like the paper's `iPrldEx5MCu`): nothing about it can
 * be predicted, so the only way to write it is to copy it — the signal that makes copying emerge
 * (measured: with guessable names only, no name was copied after 300 steps).
 */
export function randomIdentifier(rng: Rng): string {
  const letters = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
  const chars = letters + '0123456789';
  let s = letters[rng.int(letters.length)]!;
  const n = 3 + rng.int(6);
  for (let i = 0; i < n; i++) s += chars[rng.int(chars.length)]!;
  return s;
}

/** A verb of the word bank (for lists whose tools share one verb: corpus.ts sharedVerbLists). */
export function syntheticVerb(rng: Rng): string {
  return rng.pick(VERBS);
}

/**
 * A fresh synthetic tool whose topic differs from `avoidTopics`; with probability `randomNames`
 * its name and each parameter name are random identifiers instead of descriptive words; with
 * probability `madeUpTopics` its topic is a made-up word (`makeWord`). `verb`: the verb to use
 * instead of a random one (no draw is made for it then).
 */
export function syntheticTool(rng: Rng, avoidTopics: ReadonlySet<string>, randomNames = 0, madeUpTopics = 0, makeWord: (rng: Rng) => string = madeUpWord, verb: string = rng.pick(VERBS)): SyntheticTool {
  let topic: string;
  // A made-up topic is spelled in pieces (no token of its own), as held-out words are: lower case it
  // is the same pieces in the name (`wash_vorpak`) and the request (the mini tokenizer splits at
  // words), capitalised ("Vorpak: wash it", "Vacuum the kitchen" for `start_vacuum`) it is not, so
  // the request and the name must sometimes be matched by spelling rather than token identity.
  do topic = rng.chance(madeUpTopics) ? makeWord(rng) : rng.pick(TOPICS);
  while (avoidTopics.has(topic));
  const extra = rng.chance(0.3) ? rng.pick(TOPICS.filter((t) => t !== topic)) : undefined;
  const nameParts = rng.chance(0.8) ? [verb, topic] : [topic, verb];
  if (extra !== undefined) nameParts.splice(rng.int(nameParts.length + 1), 0, extra);
  const name = rng.chance(randomNames) ? randomIdentifier(rng) : nameParts.join('_');
  const descriptions = [
    `${cap(verb)} a ${topic}${extra ? ` ${extra}` : ''}.`,
    `${cap(verb)} the ${topic}${extra ? ` and ${extra}` : ''}.`,
    `${cap(topic)}${extra ? ` ${extra}` : ''}: ${verb} it.`,
    `Lets you ${verb} your ${topic}${extra ? ` ${extra}` : ''}.`,
  ];
  const description = rng.pick(descriptions);
  const nParams = 1 + rng.weighted([0.45, 0.4, 0.15]);
  const kinds = rng.sample(PARAM_KINDS, nParams);
  const params: ParamDef[] = [];
  const paramNames = new Map<string, string>();
  for (const [i, k] of kinds.entries()) {
    const prefix = rng.chance(0.3) ? topic : rng.pick(PREFIXES);
    const shown = rng.chance(randomNames) ? randomIdentifier(rng) : prefix === '' ? k.word : `${prefix}_${k.word}`;
    const p: ParamDef = {
      name: `p${i}`,
      type: k.type,
      // The first parameter is required; later ones are optional half the time; flags never.
      required: k.type !== 'boolean' && (i === 0 || rng.chance(0.5)),
      ...(k.pool ? { pool: k.pool } : {}),
      ...(k.range ? { range: k.range } : {}),
      ...(k.decimals ? { decimals: k.decimals } : {}),
      ...(k.options ? { options: k.options } : {}),
    };
    params.push(p);
    paramNames.set(p.name, shown);
  }
  const def: ToolDef = { name, domain: 'synthetic', description, params, requests: [] };
  return { view: { def, name, paramNames }, verb, topic, kinds };
}

/**
 * `n` synthetic tools with distinct topics (syntheticTool's arguments; `verb` shared by all when
 * given, else each draws its own), drawn one after another from `rng`.
 */
export function syntheticTools(rng: Rng, n: number, randomNames = 0, madeUpTopics = 0, makeWord: (rng: Rng) => string = madeUpWord, verb?: string): SyntheticTool[] {
  const topics = new Set<string>();
  const tools: SyntheticTool[] = [];
  for (let i = 0; i < n; i++) {
    const t = syntheticTool(rng, topics, randomNames, madeUpTopics, makeWord, verb);
    topics.add(t.topic);
    tools.push(t);
  }
  return tools;
}

function numberValue(rng: Rng, k: ParamKind): number {
  const [lo, hi] = k.range!;
  if (k.type === 'integer') return rng.range(lo, hi);
  // A float whose last digit is not 0, so its text is canonical and it stays a float in JSON.
  const scale = k.decimals === 2 ? 100 : 10;
  for (;;) {
    const v = Math.round((lo + rng.float() * (hi - lo)) * scale);
    if (v % 10 !== 0) return v / scale;
  }
}

/** A request for `tool` and its gold parameters (values in the order the request says them). */
export function syntheticCall(rng: Rng, tool: SyntheticTool): { request: string; parameters: Record<string, unknown> } {
  const parts: { text: string; key: string; value: unknown }[] = [];
  const flags: string[] = [];
  const parameters: Record<string, unknown> = {};
  tool.view.def.params.forEach((p, i) => {
    const k = tool.kinds[i]!;
    const shown = tool.view.paramNames.get(p.name)!;
    if (!p.required && rng.chance(0.5)) return;
    if (k.type === 'boolean') {
      const v = rng.chance(0.5);
      flags.push(v ? `make it ${k.word}` : `not ${k.word}`);
      parameters[shown] = v;
      return;
    }
    let value: unknown;
    let surface: string;
    if (k.type === 'enum') value = surface = rng.pick(k.options!);
    else if (k.type === 'string') value = surface = rng.pick(POOLS[k.pool!]);
    else surface = String((value = numberValue(rng, k)));
    const cue = rng.chance(0.5) ? shown.replace(/_/g, ' ') : rng.pick(k.cues);
    parts.push({ text: `${cue} ${surface}`, key: shown, value });
  });
  rng.shuffle(parts);
  for (const part of parts) parameters[part.key] = part.value;
  // Keys in the order the tool lists them: the JSON a model writes follows the signature.
  const ordered: Record<string, unknown> = {};
  for (const shown of tool.view.paramNames.values()) if (shown in parameters) ordered[shown] = parameters[shown];
  const args = [...parts.map((p) => p.text), ...flags].join(rng.pick([', ', ' ', ' and ']));
  const topic = tool.topic;
  const openings = [
    `${cap(tool.verb)} the ${topic} ${args}.`,
    `Please ${tool.verb} my ${topic} ${args}.`,
    `I need to ${tool.verb} a ${topic}, ${args}.`,
    `Can you ${tool.verb} the ${topic}? ${cap(args)}.`,
    `${cap(topic)}: ${tool.verb} it, ${args}.`,
  ];
  return { request: rng.pick(openings).replace(/\s+/g, ' ').replace(' .', '.'), parameters: ordered };
}
