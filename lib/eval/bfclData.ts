/**
 * Loading BFCL v3 Python categories from a directory laid out as BFCL ships them
 * (spec/BFCL.md §1, §9): `BFCL_v3_<category>.json` — JSON Lines despite the name, most without a
 * final newline — and `possible_answer/BFCL_v3_<category>.json` for the AST categories.
 *
 * Lines are parsed with Python's json.loads rules (lib/pycompat), so `5` and `5.0` in the answers
 * stay an int and a float. Entries are sorted by BFCL's `sort_key` (the number after the last `_`,
 * before any `-`), as the official runner does before zipping entries with answers.
 *
 * A missing file is an error (with the paths that are missing); a malformed line or entry is kept
 * as an entry with a `problem`, which the runner scores invalid with that reason.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isPyDict, pyLoads, type PyValue } from '../pycompat';
import { invalidType, invalidValue, optionalPositiveInt } from './args';
import { isRelevanceCategory } from './bfclCheck';

/** The 11 Python categories of BFCL v3 this evaluator covers, in leaderboard order. */
export const BFCL_V3_CATEGORIES = Object.freeze([
  'simple',
  'multiple',
  'parallel',
  'parallel_multiple',
  'irrelevance',
  'live_simple',
  'live_multiple',
  'live_parallel',
  'live_parallel_multiple',
  'live_irrelevance',
  'live_relevance',
] as const);

export type BfclCategory = (typeof BFCL_V3_CATEGORIES)[number];

/**
 * Entry counts of v3 (gorilla cd9429cc, spec §9). The official aggregation scores a category that
 * was not run as 0 with this many entries (`get_category_score`), which matters for the weighted
 * live means.
 */
export const BFCL_V3_COUNTS: Readonly<Record<BfclCategory, number>> = Object.freeze({
  simple: 400,
  multiple: 200,
  parallel: 200,
  parallel_multiple: 200,
  irrelevance: 240,
  live_simple: 258,
  live_multiple: 1053,
  live_parallel: 16,
  live_parallel_multiple: 24,
  live_irrelevance: 882,
  live_relevance: 18,
});

/** One BFCL entry, as Python values. */
export interface BfclEntry {
  id: string;
  category: string;
  /** The first (only) turn's messages: `question[0]`, a list of {role, content}. */
  messages: PyValue;
  /** The entry's `function` list. */
  functions: PyValue;
  /** `ground_truth` of the matching possible answer; null for (ir)relevance categories. */
  possibleAnswer: PyValue | null;
  /** Set when the line or entry is malformed: the runner scores the entry invalid with this reason. */
  problem?: string;
}

export interface BfclCategoryData {
  category: string;
  file: string;
  answerFile: string | null;
  entries: BfclEntry[];
  /** Entries in the file before `limit` was applied. */
  totalInFile: number;
  /** Notes about the files themselves (e.g. answer ids that do not line up with the entries). */
  warnings: string[];
}

export interface BfclDataset {
  dir: string;
  categories: BfclCategoryData[];
}

export interface LoadBfclOptions {
  /** Categories to load (default: all 11 of BFCL_V3_CATEGORIES). */
  categories?: readonly string[];
  /** Keep only the first N entries (after sorting by id) of each category. */
  limit?: number;
}

/** `BFCL_v3_<category>.json` */
export function bfclFileName(category: string): string {
  return `BFCL_v3_${category}.json`;
}

/** BFCL's `sort_key`: (category, int index), or null when the id has no `_<number>` suffix. */
export function bfclSortKey(id: string): [string, number] | null {
  const cut = id.lastIndexOf('_');
  if (cut < 0) return null;
  let index = id.slice(cut + 1);
  if (index.includes('-')) index = index.split('-')[0];
  if (!/^\s*[+-]?\d+\s*$/.test(index)) return null;
  return [id.slice(0, cut), Number.parseInt(index, 10)];
}

/** Stable sort by sort_key; entries whose id has no key go last, in file order (as found). */
function sortEntries<T extends { id: string }>(items: T[]): T[] {
  const keyed = items.map((item, i) => ({ item, i, key: bfclSortKey(item.id) }));
  keyed.sort((a, b) => {
    if (a.key === null || b.key === null) return a.key === null ? (b.key === null ? a.i - b.i : 1) : -1;
    if (a.key[0] !== b.key[0]) return a.key[0] < b.key[0] ? -1 : 1;
    return a.key[1] - b.key[1] || a.i - b.i;
  });
  return keyed.map((k) => k.item);
}

interface Line {
  n: number; // 1-based line number
  text: string;
}

/** Non-blank lines of a JSON Lines file (Python's readlines; blank lines are skipped, not errors). */
function readLines(file: string): Line[] {
  const text = fs.readFileSync(file, 'utf8');
  const out: Line[] = [];
  text.split('\n').forEach((t, i) => {
    if (t.trim() !== '') out.push({ n: i + 1, text: t });
  });
  return out;
}

function parseEntry(category: string, file: string, line: Line): BfclEntry {
  const where = `${path.basename(file)} line ${line.n}`;
  const bad = (id: string, problem: string): BfclEntry => ({
    id,
    category,
    messages: [],
    functions: [],
    possibleAnswer: null,
    problem: `${where}: ${problem}`,
  });
  let v: PyValue;
  try {
    v = pyLoads(line.text);
  } catch (err) {
    return bad(`${category}#line${line.n}`, `malformed JSON (${(err as Error).message})`);
  }
  if (!isPyDict(v)) return bad(`${category}#line${line.n}`, 'not a JSON object');
  const id = v.get('id');
  if (typeof id !== 'string') return bad(`${category}#line${line.n}`, 'no string "id"');
  const question = v.get('question');
  const functions = v.get('function');
  if (!Array.isArray(question) || question.length === 0 || !Array.isArray(question[0])) {
    return bad(id, '"question" is not a non-empty list of turns');
  }
  if (functions === undefined) return bad(id, 'no "function" list');
  const entry: BfclEntry = { id, category, messages: question[0], functions, possibleAnswer: null };
  if (question.length > 1) entry.problem = `${where}: ${question.length} turns; only single-turn entries are scored`;
  if (bfclSortKey(id) === null) entry.problem = `${where}: id ${JSON.stringify(id)} has no _<number> suffix (BFCL's sort_key fails)`;
  return entry;
}

/** Loads one category: entries sorted by id, paired with their possible answers. */
export function loadBfclCategory(dir: string, category: string, limit?: number): BfclCategoryData {
  const file = path.join(dir, bfclFileName(category));
  const relevance = isRelevanceCategory(category);
  const answerFile = relevance ? null : path.join(dir, 'possible_answer', bfclFileName(category));
  const missing = [file, ...(answerFile ? [answerFile] : [])].filter((f) => !fs.existsSync(f));
  if (missing.length > 0) {
    throw new Error(
      `BFCL category "${category}": missing ${missing.join(' and ')}. HINT: --data must be a BFCL v3 data directory ` +
        '(BFCL_v3_<category>.json files and a possible_answer/ folder), or choose categories with --categories.',
    );
  }
  const warnings: string[] = [];
  const entries = sortEntries(readLines(file).map((l) => parseEntry(category, file, l)));

  if (answerFile !== null) {
    const answers = sortEntries(
      readLines(answerFile).map((l) => {
        try {
          const v = pyLoads(l.text);
          const id = isPyDict(v) ? v.get('id') : undefined;
          const gt = isPyDict(v) ? v.get('ground_truth') : undefined;
          if (typeof id !== 'string' || gt === undefined) return { id: `#line${l.n}`, gt: null, problem: `no "id"/"ground_truth" on line ${l.n}` };
          return { id, gt, problem: null };
        } catch (err) {
          return { id: `#line${l.n}`, gt: null, problem: `malformed JSON on line ${l.n} (${(err as Error).message})` };
        }
      }),
    );
    // The official runner zips the two sorted lists by position; the ids agree in all v3 files.
    // When they do not, pair by id instead and say so, rather than score against another entry.
    const sameIds = answers.length === entries.length && answers.every((a, i) => a.id === entries[i].id);
    if (!sameIds) {
      warnings.push(`ids in ${path.basename(answerFile)} do not line up with ${path.basename(file)}; answers paired by id`);
    }
    const byId = new Map<string, (typeof answers)[number]>();
    for (const a of answers) if (!byId.has(a.id)) byId.set(a.id, a);
    entries.forEach((e, i) => {
      const a = sameIds ? answers[i] : byId.get(e.id);
      if (a === undefined) e.problem ??= `no possible answer with id ${JSON.stringify(e.id)} in ${path.basename(answerFile)}`;
      else if (a.problem !== null) e.problem ??= `${path.basename(answerFile)}: ${a.problem}`;
      else e.possibleAnswer = a.gt;
    });
  }
  const totalInFile = entries.length;
  return { category, file, answerFile, entries: limit === undefined ? entries : entries.slice(0, limit), totalInFile, warnings };
}

/**
 * Loads BFCL v3 categories from `dir` (default: all 11). Throws when the directory or any
 * requested category file is missing, naming every missing path.
 */
export function loadBfcl(dir: string, opts: LoadBfclOptions = {}): BfclDataset {
  if (typeof dir !== 'string' || dir === '') throw invalidType('a BFCL data directory path', 'dir', dir);
  const limit = optionalPositiveInt(opts.limit, 'opts.limit');
  const categories = opts.categories ?? BFCL_V3_CATEGORIES;
  if (!Array.isArray(categories) || categories.length === 0) throw invalidType('a non-empty list of categories', 'opts.categories', categories);
  for (const c of categories) {
    if (!(BFCL_V3_CATEGORIES as readonly string[]).includes(c)) {
      throw invalidValue(`one of ${BFCL_V3_CATEGORIES.join(', ')}`, 'a category in opts.categories', c);
    }
  }
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
    throw new Error(`BFCL data directory not found: ${dir}. HINT: pass the folder that holds BFCL_v3_*.json and possible_answer/.`);
  }
  const missing: string[] = [];
  for (const c of categories) {
    const f = path.join(dir, bfclFileName(c));
    if (!fs.existsSync(f)) missing.push(f);
    if (!isRelevanceCategory(c)) {
      const a = path.join(dir, 'possible_answer', bfclFileName(c));
      if (!fs.existsSync(a)) missing.push(a);
    }
  }
  if (missing.length > 0) {
    throw new Error(
      `BFCL data incomplete in ${dir}; missing:\n  ${missing.join('\n  ')}\nHINT: choose the categories you have with --categories (e.g. --categories simple,multiple).`,
    );
  }
  return { dir, categories: categories.map((c) => loadBfclCategory(dir, c, limit)) };
}
