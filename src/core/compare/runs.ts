/**
 * An arm64 target's run against the baseline's run (x86, usually) of the same commit, or of the
 * base branch when the commit has none yet: pass rates side by side, the tests failing on one side
 * only, how much longer the tests take (in total and per test, from the JUnit `time` attributes),
 * and the matrix legs side by side. The result is plain data: the check-run summary renders it
 * (./render.ts) and the dashboard serves it as JSON. Pure.
 */
import { parseJobName } from '../jobs';
import { isFailing, passRate, type Counts, type Outcome } from '../test-results';
import { DURATION_FLOOR_SECONDS, durationRatio, isDuration } from './ratio';
import { mergeTests, type MergedTest, type TimedTest } from './tests';

/** A workflow job (a matrix leg) as the store keeps it (src/store/jobs.ts). */
export interface Leg {
  /** The job's name as GitHub shows it, e.g. `test (3.11, numpy)`. */
  name: string;
  /** Its matrix values; parsed from the name when absent. */
  matrix?: string[];
  conclusion: string | null;
  durationSeconds: number | null;
}

/** One side of the comparison. */
export interface RunResults {
  tests: readonly TimedTest[];
  jobs?: readonly Leg[];
  /**
   * The run's smoke counts as its check run shows them (every test case of every file). Absent:
   * counted from `tests`, one per test id.
   */
  counts?: Counts;
}

export interface CompareOptions {
  /** See DURATION_FLOOR_SECONDS. */
  floorSeconds?: number;
  /** How many of the largest per-test ratios to keep (default 10). */
  top?: number;
}

export interface SideSummary {
  counts: Counts;
  /** passed ÷ (total − skipped), null when nothing ran. */
  rate: number | null;
}

/** A test that failed (or errored) on one side and did not on the other. */
export interface OneSidedFailure {
  id: string;
  name: string;
  outcome: Extract<Outcome, 'failed' | 'errored'>;
  /** What the other side did with it: `absent` when it did not report the test at all. */
  other: 'passed' | 'skipped' | 'absent';
}

export interface TestRatio {
  id: string;
  name: string;
  targetSeconds: number;
  baselineSeconds: number;
  /** target ÷ baseline, both clamped to the floor. */
  ratio: number;
}

export interface LegTiming {
  name: string;
  conclusion: string | null;
  durationSeconds: number | null;
}

/** One matrix leg on both sides; a side is null when it had no such leg. */
export interface LegPair {
  /** The job's name without its matrix part (`test`). */
  job: string;
  matrix: string[];
  target: LegTiming | null;
  baseline: LegTiming | null;
  /** target ÷ baseline job duration (whole seconds, floored at 1 s); null unless both are known. */
  ratio: number | null;
}

export interface RunComparison {
  target: SideSummary;
  baseline: SideSummary;
  /** By name. */
  failingOnlyOnTarget: OneSidedFailure[];
  failingOnlyOnBaseline: OneSidedFailure[];
  failingOnBoth: number;
  /**
   * Over the tests that passed with a time on both sides (`tests` of them): raw sums of their
   * times, and the ratio of the sums. Tests only one side ran or passed are left out, so a side
   * that skipped half the suite does not look fast.
   */
  total: { tests: number; targetSeconds: number; baselineSeconds: number; ratio: number | null };
  /** The largest per-test ratios of those tests, largest first (ties: the larger gap in seconds first). */
  largestRatios: TestRatio[];
  /** The target's legs in its order, then legs only the baseline ran. */
  legs: LegPair[];
  floorSeconds: number;
}

const DEFAULT_TOP_RATIOS = 10;
/** Job durations are whole seconds: below one, a ratio means nothing. */
const LEG_FLOOR_SECONDS = 1;

export function compareRuns(target: RunResults, baseline: RunResults, opts: CompareOptions = {}): RunComparison {
  const floor = opts.floorSeconds ?? DURATION_FLOOR_SECONDS;
  const top = Math.max(0, Math.floor(opts.top ?? DEFAULT_TOP_RATIOS));
  const mine = mergeTests(target.tests);
  const theirs = mergeTests(baseline.tests);

  const failingOnlyOnTarget = oneSided(mine, theirs);
  const failingOnlyOnBaseline = oneSided(theirs, mine);
  let failingOnBoth = 0;
  for (const [id, t] of mine) if (isFailing(t.outcome) && isFailing(theirs.get(id)?.outcome ?? 'skipped')) failingOnBoth++;

  const ratios: TestRatio[] = [];
  let targetSeconds = 0;
  let baselineSeconds = 0;
  for (const [id, t] of mine) {
    const b = theirs.get(id);
    if (t.outcome !== 'passed' || b?.outcome !== 'passed') continue;
    if (!isDuration(t.durationSeconds) || !isDuration(b.durationSeconds)) continue;
    targetSeconds += t.durationSeconds;
    baselineSeconds += b.durationSeconds;
    ratios.push({
      id,
      name: t.name,
      targetSeconds: t.durationSeconds,
      baselineSeconds: b.durationSeconds,
      ratio: durationRatio(t.durationSeconds, b.durationSeconds, floor)!,
    });
  }
  ratios.sort(
    (a, b) =>
      b.ratio - a.ratio ||
      b.targetSeconds - b.baselineSeconds - (a.targetSeconds - a.baselineSeconds) ||
      byName(a, b),
  );

  return {
    target: side(target, mine),
    baseline: side(baseline, theirs),
    failingOnlyOnTarget,
    failingOnlyOnBaseline,
    failingOnBoth,
    total: {
      tests: ratios.length,
      targetSeconds,
      baselineSeconds,
      ratio: ratios.length === 0 ? null : durationRatio(targetSeconds, baselineSeconds, floor),
    },
    largestRatios: ratios.slice(0, top),
    legs: pairLegs(target.jobs ?? [], baseline.jobs ?? []),
    floorSeconds: floor,
  };
}

const byName = (a: { name: string; id: string }, b: { name: string; id: string }) =>
  a.name.localeCompare(b.name) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

function side(run: RunResults, merged: Map<string, MergedTest>): SideSummary {
  const counts = run.counts ?? countOf(merged);
  return { counts, rate: passRate(counts) };
}

function countOf(merged: Map<string, MergedTest>): Counts {
  const c: Counts = { passed: 0, failed: 0, errored: 0, skipped: 0, total: 0 };
  for (const t of merged.values()) {
    c[t.outcome]++;
    c.total++;
  }
  return c;
}

/** Tests failing in `here` and not failing in `there`. */
function oneSided(here: Map<string, MergedTest>, there: Map<string, MergedTest>): OneSidedFailure[] {
  const out: OneSidedFailure[] = [];
  for (const [id, t] of here) {
    if (t.outcome !== 'failed' && t.outcome !== 'errored') continue;
    const other = there.get(id);
    if (other && isFailing(other.outcome)) continue;
    out.push({ id, name: t.name, outcome: t.outcome, other: other ? (other.outcome as 'passed' | 'skipped') : 'absent' });
  }
  return out.sort(byName);
}

interface KeyedLeg {
  job: string;
  matrix: string[];
  timing: LegTiming;
}

function keyed(legs: readonly Leg[]): KeyedLeg[] {
  // One attempt's jobs are expected; a name seen twice keeps its first report.
  const seen = new Set<string>();
  const out: KeyedLeg[] = [];
  for (const l of legs) {
    const parsed = parseJobName(l.name);
    const matrix = l.matrix ?? parsed.matrix;
    const k = legKey(parsed.base, matrix);
    if (seen.has(k)) continue;
    seen.add(k);
    out.push({ job: parsed.base, matrix, timing: { name: l.name, conclusion: l.conclusion, durationSeconds: l.durationSeconds } });
  }
  return out;
}

const legKey = (job: string, matrix: readonly string[]) => JSON.stringify([job, ...matrix]);
const matrixKey = (matrix: readonly string[]) => JSON.stringify(matrix);

/**
 * Legs matched by job name and matrix values; then, among those left, by matrix values alone when
 * they are unique on both sides (a target whose workflow names its job differently still lines
 * up: `test-arm (3.11)` with `test (3.11)`).
 */
function pairLegs(targetLegs: readonly Leg[], baselineLegs: readonly Leg[]): LegPair[] {
  const mine = keyed(targetLegs);
  const theirs = keyed(baselineLegs);
  const theirsByKey = new Map(theirs.map((l) => [legKey(l.job, l.matrix), l]));
  const used = new Set<KeyedLeg>();
  const partner = new Map<KeyedLeg, KeyedLeg>();
  for (const l of mine) {
    const b = theirsByKey.get(legKey(l.job, l.matrix));
    if (b) {
      partner.set(l, b);
      used.add(b);
    }
  }
  const uniqueByMatrix = (legs: KeyedLeg[]) => {
    const groups = new Map<string, KeyedLeg[]>();
    for (const l of legs) if (l.matrix.length > 0) groups.set(matrixKey(l.matrix), [...(groups.get(matrixKey(l.matrix)) ?? []), l]);
    return new Map([...groups].filter(([, g]) => g.length === 1).map(([k, g]) => [k, g[0]!]));
  };
  const myLeft = uniqueByMatrix(mine.filter((l) => !partner.has(l)));
  const theirLeft = uniqueByMatrix(theirs.filter((l) => !used.has(l)));
  for (const [k, l] of myLeft) {
    const b = theirLeft.get(k);
    if (b) {
      partner.set(l, b);
      used.add(b);
    }
  }

  const pair = (a: KeyedLeg | null, b: KeyedLeg | null): LegPair => ({
    job: (a ?? b)!.job,
    matrix: (a ?? b)!.matrix,
    target: a?.timing ?? null,
    baseline: b?.timing ?? null,
    ratio: a && b ? durationRatio(a.timing.durationSeconds, b.timing.durationSeconds, LEG_FLOOR_SECONDS) : null,
  });
  return [...mine.map((l) => pair(l, partner.get(l) ?? null)), ...theirs.filter((b) => !used.has(b)).map((b) => pair(null, b))];
}
