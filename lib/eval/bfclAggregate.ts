/**
 * BFCL summary columns, v3 aggregation (spec/BFCL.md §8): gorilla cd9429cc (2025-08-07, the last
 * v3 commit), the same as the ToolRL-era 791f7aca — `generate_leaderboard_csv` with
 * `calculate_unweighted_accuracy` / `calculate_weighted_accuracy` / `get_category_score`.
 *
 *  - Non-live, unweighted: simple_ast = mean(python simple, java, javascript);
 *    AST summary = mean(simple_ast, multiple, parallel, parallel_multiple);
 *    overall = mean(simple_ast, multiple, parallel, parallel_multiple, irrelevance).
 *  - Live, weighted by entry count: AST summary over live_simple/multiple/parallel/parallel_multiple;
 *    overall over those 4 plus live_irrelevance and live_relevance.
 *  - Irrelevance detection = mean(irrelevance, live_irrelevance); relevance = live_relevance.
 *  - Overall = mean(live overall, non-live overall, multi-turn overall).
 * A category that was not run counts as accuracy 0 with its v3 entry count, displayed "N/A"
 * (summaries over it display "N/A" too, except the "overall" ones). This evaluator runs the
 * Python categories only, so java/javascript and multi-turn are never run: the official formulas
 * then carry zeros. The `python` block gives the same means over the Python categories alone —
 * the numbers to compare with a paper's Python-only table.
 */
import { BFCL_V3_COUNTS, type BfclCategory } from './bfclData';

/** Which aggregation this is, in words (printed with every summary). */
export const BFCL_AGGREGATION_VERSION =
  'BFCL v3 aggregation after 2025-04-09 (gorilla cd9429cc 2025-08-07 = ToolRL-era 791f7aca): non-live unweighted, live weighted by entry count; java, javascript and multi-turn are not run and count as 0 where the official formula includes them';

/** A score in the official form: accuracy, entry count, and whether some part was not run. */
export interface BfclScore {
  accuracy: number;
  count: number;
  /** True when a category in it was not run (the official display shows "N/A"). */
  na: boolean;
}

export interface BfclSummary {
  version: string;
  /** The official columns (java/javascript/multi-turn not run → 0). */
  official: {
    nonLiveAst: BfclScore;
    nonLiveOverall: BfclScore;
    liveAst: BfclScore;
    liveOverall: BfclScore;
    irrelevance: BfclScore;
    relevance: BfclScore;
    overall: BfclScore;
  };
  /** Python-only means: simple_ast = simple; same formulas otherwise. */
  python: {
    nonLiveAst: BfclScore;
    nonLiveOverall: BfclScore;
    liveAst: BfclScore;
    liveOverall: BfclScore;
    irrelevance: BfclScore;
    relevance: BfclScore;
  };
}

/** Per-category accuracy as the summary needs it. */
export interface BfclCategoryScore {
  category: string;
  correct: number;
  total: number;
}

/** `calculate_unweighted_accuracy` (display_na_if_category_missing decides the `na` flag). */
function unweighted(parts: BfclScore[], naIfMissing = true): BfclScore {
  const accuracy = parts.reduce((s, p) => s + p.accuracy, 0) / parts.length;
  const count = parts.reduce((s, p) => s + p.count, 0);
  return { accuracy, count, na: naIfMissing && parts.some((p) => p.na) };
}

/** `calculate_weighted_accuracy` */
function weighted(parts: BfclScore[], naIfMissing = true): BfclScore {
  const count = parts.reduce((s, p) => s + p.count, 0);
  const accuracy = count === 0 ? 0 : parts.reduce((s, p) => s + p.accuracy * p.count, 0) / count;
  return { accuracy, count, na: naIfMissing && parts.some((p) => p.na) };
}

/** The official summary columns and the Python-only means for these per-category results. */
export function summarizeBfcl(results: readonly BfclCategoryScore[]): BfclSummary {
  const byName = new Map(results.map((r) => [r.category, r]));
  // get_category_score: a category not run is 0 with its full v3 entry count, shown "N/A".
  const score = (c: BfclCategory | 'java' | 'javascript' | 'multi_turn'): BfclScore => {
    const r = byName.get(c);
    if (r !== undefined && r.total > 0) return { accuracy: r.correct / r.total, count: r.total, na: false };
    const count = c === 'java' ? 100 : c === 'javascript' ? 50 : c === 'multi_turn' ? 800 : BFCL_V3_COUNTS[c];
    return { accuracy: 0, count, na: true };
  };
  const simple = score('simple');
  const multiple = score('multiple');
  const parallel = score('parallel');
  const parallelMultiple = score('parallel_multiple');
  const irrelevance = score('irrelevance');
  const live = [score('live_simple'), score('live_multiple'), score('live_parallel'), score('live_parallel_multiple')];
  const liveIrrelevance = score('live_irrelevance');
  const liveRelevance = score('live_relevance');

  const simpleAst = unweighted([simple, score('java'), score('javascript')]);
  const nonLiveAst = unweighted([simpleAst, multiple, parallel, parallelMultiple]);
  const nonLiveOverall = unweighted([simpleAst, multiple, parallel, parallelMultiple, irrelevance], false);
  const liveAst = weighted(live);
  const liveOverall = weighted([...live, liveIrrelevance, liveRelevance], false);
  const multiTurn = score('multi_turn'); // mean of 4 categories, none run: 0
  const overall = unweighted([liveOverall, nonLiveOverall, multiTurn], false);

  return {
    version: BFCL_AGGREGATION_VERSION,
    official: {
      nonLiveAst,
      nonLiveOverall,
      liveAst,
      liveOverall,
      irrelevance: unweighted([irrelevance, liveIrrelevance]),
      relevance: liveRelevance,
      overall,
    },
    python: {
      nonLiveAst: unweighted([simple, multiple, parallel, parallelMultiple]),
      nonLiveOverall: unweighted([simple, multiple, parallel, parallelMultiple, irrelevance], false),
      liveAst,
      liveOverall,
      irrelevance: unweighted([irrelevance, liveIrrelevance]),
      relevance: liveRelevance,
    },
  };
}
