/**
 * Evaluation reports: the table printed at the end of a run, and the JSON report that keeps every
 * item (prompt, raw output, decoded calls, verdict, error type) so failures can be inspected.
 *
 * Decoded calls and gold answers are written as the text Python's json.dumps gives (a string
 * field), because JSON numbers in a report would lose what the checker saw: `5.0` vs `5`.
 */
import { pyDumps, type PyValue } from '../pycompat';
import type { ApiBankRunResult } from './apiBank';
import type { BfclScore } from './bfclAggregate';
import type { BfclRunResult } from './bfclRunner';

function pct(x: number): string {
  return `${(x * 100).toFixed(2)}%`;
}

function pad(s: string, n: number, right = false): string {
  return right ? s.padStart(n) : s.padEnd(n);
}

function scoreCell(s: BfclScore): string {
  return s.na ? `N/A (${pct(s.accuracy)})` : pct(s.accuracy);
}

/** The BFCL table: per category, then the summary columns (official and Python-only). */
export function formatBfclTable(r: BfclRunResult): string {
  const lines: string[] = [];
  lines.push(`${pad('category', 24)}${pad('entries', 9, true)}${pad('correct', 9, true)}${pad('accuracy', 10, true)}  top errors`);
  for (const c of r.categories) {
    const top = Object.entries(c.errorTypes)
      .sort((a, b) => b[1] - a[1])
      .slice(0, 2)
      .map(([k, n]) => `${k} ${n}`)
      .join(', ');
    const limited = c.total < c.totalInFile ? ` (of ${c.totalInFile})` : '';
    lines.push(`${pad(c.category, 24)}${pad(String(c.total), 9, true)}${pad(String(c.correct), 9, true)}${pad(pct(c.accuracy), 10, true)}  ${top}${limited}`);
  }
  const o = r.summary.official;
  const p = r.summary.python;
  lines.push('');
  lines.push(`Summary — ${r.summary.version}`);
  lines.push(`${pad('', 26)}${pad('Python categories only', 24)}official formula`);
  const row = (name: string, py: BfclScore | null, off: BfclScore) =>
    lines.push(`${pad(name, 26)}${pad(py === null ? '' : scoreCell(py), 24)}${scoreCell(off)}`);
  row('Non-live AST', p.nonLiveAst, o.nonLiveAst);
  row('Non-live overall', p.nonLiveOverall, o.nonLiveOverall);
  row('Live AST (weighted)', p.liveAst, o.liveAst);
  row('Live overall (weighted)', p.liveOverall, o.liveOverall);
  row('Irrelevance detection', p.irrelevance, o.irrelevance);
  row('Relevance detection', p.relevance, o.relevance);
  row('Overall (multi-turn = 0)', null, o.overall);
  if (Object.values(o).some((x) => x.na) || Object.values(p).some((x) => x.na)) {
    lines.push('N/A: a part was not run; the value in brackets counts it as 0, as the official formula does.');
  }
  if (r.oracle !== undefined) {
    const o = r.oracle;
    lines.push('');
    lines.push(`Oracle: ${o.satisfiableValid}/${o.satisfiable} satisfiable entries valid${o.unexpectedFailures.length > 0 ? ' — HARNESS FAILURES below' : ''}`);
    const n = o.unsatisfiable.length + o.emptyStringOnly.length;
    if (n > 0) lines.push(`Unsatisfiable entries (${n}; spec/BFCL.md §9 names 5 in v3):`);
    for (const u of o.unsatisfiable) lines.push(`  ${pad(u.id, 26)}no output passes (${u.errorType ?? 'valid'}): ${u.reason}`);
    for (const u of o.emptyStringOnly) {
      lines.push(`  ${pad(u.id, 26)}no real value passes: ${u.reason} (the oracle sends "", scored ${u.valid ? 'valid' : 'invalid'})`);
    }
    for (const u of o.unexpectedFailures.slice(0, 20)) lines.push(`  HARNESS FAILURE ${u.id}: ${u.errorType} ${u.error ?? ''}`);
  }
  return lines.join('\n');
}

/** The API-Bank table: per level and overall. */
export function formatApiBankTable(r: ApiBankRunResult): string {
  const lines = [`${pad('level', 10)}${pad('items', 8, true)}${pad('correct', 9, true)}${pad('accuracy', 10, true)}`];
  for (const l of r.levels) {
    lines.push(`${pad(l.level === 0 ? '?' : String(l.level), 10)}${pad(String(l.total), 8, true)}${pad(String(l.correct), 9, true)}${pad(pct(l.accuracy), 10, true)}`);
  }
  lines.push(`${pad('overall', 10)}${pad(String(r.overall.total), 8, true)}${pad(String(r.overall.correct), 9, true)}${pad(pct(r.overall.accuracy), 10, true)}`);
  return lines.join('\n');
}

function py(v: PyValue | null): string | null {
  return v === null ? null : pyDumps(v, { ensureAscii: false });
}

/** The JSON report object for a run (items included); `meta` says how it was produced. */
export function reportObject(r: BfclRunResult | ApiBankRunResult, meta: Record<string, unknown>): Record<string, unknown> {
  if (r.bench === 'bfcl') {
    return {
      ...meta,
      bench: 'bfcl',
      dataDir: r.dataDir,
      aggregation: r.summary.version,
      categories: r.categories,
      summary: r.summary,
      oracle: r.oracle,
      items: r.items.map((i) => ({ ...i, decoded: py(i.decoded) })),
    };
  }
  return {
    ...meta,
    bench: 'apibank',
    dataPath: r.dataPath,
    levels: r.levels,
    overall: r.overall,
    items: r.items.map((i) => ({ ...i, decoded: py(i.decoded), gold: py(i.gold) })),
  };
}
