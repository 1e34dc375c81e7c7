/**
 * Evaluation throughput: BFCL items scored per second by the checker alone (decoded calls →
 * verdict, spec/BFCL.md §1–§6), and with the ToolRL harness decoder in front (text → verdict).
 * No model: the texts are the oracle's answers plus the golden checker cases.
 *
 *   npm run bench -- eval                       # the fixture subset (test/fixtures/bfcl)
 *   npm run bench -- eval --data DIR            # a full BFCL v3 data folder (3,491 entries)
 *
 * Prints one JSON line: {"bench":"eval","items_per_s":<checker only>,...}.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { bfclCheckDecoded } from '../lib/eval/bfclCheck';
import { loadBfcl } from '../lib/eval/bfclData';
import { bfclDecodePy } from '../lib/eval/bfclDecode';
import { bfclOracle } from '../lib/eval/bfclOracle';
import type { PyValue } from '../lib/pycompat';

interface Case {
  category: string;
  functions: PyValue;
  answers: PyValue | null;
  text: string;
}

function timeLoop(fn: () => number, minSeconds: number): number {
  let items = 0;
  const t0 = process.hrtime.bigint();
  let elapsed = 0;
  while (elapsed < minSeconds) {
    items += fn();
    elapsed = Number(process.hrtime.bigint() - t0) / 1e9;
  }
  return items / elapsed;
}

export async function main(args: string[]): Promise<void> {
  const fixture = path.join(__dirname, '..', 'test', 'fixtures', 'bfcl');
  const at = args.indexOf('--data');
  const dir = at >= 0 ? args[at + 1] : fixture;
  const ds = loadBfcl(dir);
  const entries = ds.categories.flatMap((c) => c.entries);
  const byId = new Map(entries.map((e) => [e.id, e]));
  const oracle = bfclOracle(entries);
  const cases: Case[] = entries.map((e) => ({
    category: e.category,
    functions: e.functions,
    answers: e.possibleAnswer,
    text: oracle.answers.get(e.id)!.text,
  }));
  // Wrong answers too, so the failure paths are timed (fixture golden cases, when present).
  const golden = path.join(fixture, 'checker_golden.jsonl');
  if (dir === fixture && fs.existsSync(golden)) {
    for (const line of fs.readFileSync(golden, 'utf8').split('\n').filter(Boolean)) {
      const c = JSON.parse(line) as { id: string; decoded: string };
      const e = byId.get(c.id)!;
      // as model text: one call per line
      const calls = JSON.parse(c.decoded);
      const lines = Array.isArray(calls)
        ? calls.map((x: unknown) => (x && typeof x === 'object' && !Array.isArray(x) && Object.keys(x).length === 1 ? JSON.stringify({ name: Object.keys(x)[0], parameters: Object.values(x)[0] }) : JSON.stringify(x)))
        : [JSON.stringify(calls)];
      cases.push({ category: e.category, functions: e.functions, answers: e.possibleAnswer, text: `<tool_call>\n${lines.join('\n')}\n</tool_call>` });
    }
  }
  const decoded = cases.map((c) => bfclDecodePy(c.text));
  let valid = 0;
  cases.forEach((c, i) => (valid += bfclCheckDecoded(c.category, c.functions, c.answers, decoded[i]).valid ? 1 : 0));

  const checkOnly = timeLoop(() => {
    for (let i = 0; i < cases.length; i++) bfclCheckDecoded(cases[i].category, cases[i].functions, cases[i].answers, decoded[i]);
    return cases.length;
  }, 2);
  const decodeAndCheck = timeLoop(() => {
    for (const c of cases) bfclCheckDecoded(c.category, c.functions, c.answers, bfclDecodePy(c.text));
    return cases.length;
  }, 2);
  process.stdout.write(
    `${JSON.stringify({
      bench: 'eval',
      items_per_s: Math.round(checkOnly),
      decode_and_check_items_per_s: Math.round(decodeAndCheck),
      items: cases.length,
      valid,
      data: dir === fixture ? 'test/fixtures/bfcl (+ golden cases)' : dir,
    })}\n`,
  );
}
