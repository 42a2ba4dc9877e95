/**
 * Every test of a comparison as one row: what each side did with it, its time on each side and the
 * duration ratio, for the compare JSON's paged `tests` listing. The order puts what a reader looks
 * for first and is stable, so an offset pages it: failing only on the target, failing only on the
 * baseline, failing on both, then tests that passed with a time on both by ratio (largest first,
 * ties as the comparison's largest ratios), then the rest by name. Pure.
 */
import { isFailing, type Outcome } from '../test-results';
import { DURATION_FLOOR_SECONDS, durationRatio } from './ratio';
import { mergeTests, type MergedTest, type TimedTest } from './tests';

export interface RowSide {
  outcome: Outcome;
  /** The mean passing time (merged across matrix reports); null when it never passed with a time. */
  seconds: number | null;
}

export interface ComparedTestRow {
  id: string;
  name: string;
  /** null: the side did not report the test. */
  target: RowSide | null;
  baseline: RowSide | null;
  /** target ÷ baseline (times clamped to the floor) when it passed with a time on both sides, else null. */
  ratio: number | null;
}

const group = (r: ComparedTestRow): number => {
  const mine = r.target !== null && isFailing(r.target.outcome);
  const theirs = r.baseline !== null && isFailing(r.baseline.outcome);
  if (mine && !theirs) return 0;
  if (theirs && !mine) return 1;
  if (mine && theirs) return 2;
  return r.ratio !== null ? 3 : 4;
};

const sideOf = (t: MergedTest | undefined): RowSide | null => (t ? { outcome: t.outcome, seconds: t.durationSeconds } : null);

export function comparedTestRows(target: readonly TimedTest[], baseline: readonly TimedTest[], floor = DURATION_FLOOR_SECONDS): ComparedTestRow[] {
  const mine = mergeTests(target);
  const theirs = mergeTests(baseline);
  const rows: ComparedTestRow[] = [];
  for (const id of new Set([...mine.keys(), ...theirs.keys()])) {
    const t = mine.get(id);
    const b = theirs.get(id);
    const bothPassed = t?.outcome === 'passed' && b?.outcome === 'passed';
    rows.push({
      id,
      name: (t ?? b)!.name,
      target: sideOf(t),
      baseline: sideOf(b),
      ratio: bothPassed ? durationRatio(t.durationSeconds, b.durationSeconds, floor) : null,
    });
  }
  const gap = (r: ComparedTestRow) => (r.target?.seconds ?? 0) - (r.baseline?.seconds ?? 0);
  return rows.sort(
    (a, b) =>
      group(a) - group(b) ||
      (a.ratio !== null && b.ratio !== null ? b.ratio - a.ratio || gap(b) - gap(a) : 0) ||
      a.name.localeCompare(b.name) ||
      (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
}
