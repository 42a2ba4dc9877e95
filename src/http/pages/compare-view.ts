/**
 * The comparison view of one arm64 run with the baseline run it was compared with (the one its
 * check run names): pass rates, the tests that fail on one side only, and the per-test duration
 * ratios, recomputed from the stored results with core/compare (six reads, whatever the suite's
 * size). Callers decide visibility first (../visibility.ts).
 */
import { comparedTestRows, type ComparedTestRow } from '../../core/compare/rows';
import { compareRuns, type Leg, type RunComparison } from '../../core/compare/runs';
import { durationSeconds } from '../../core/jobs';
import { currentSmoke } from '../../store/dispatch-smoke';
import { getDispatch, type DispatchItem } from '../../store/dispatches';
import { listJobs } from '../../store/jobs';
import type { RepoMeta } from '../../store/repos';
import { getRunResult, type RunResultItem } from '../../store/run-results';
import { timedTestsOf } from '../../store/run-history';
import { cursorsOf, fits, scopes } from '../cursors';
import type { HttpDeps } from '../deps';
import { repoPath, runPath } from './view-models/shared';
import { withToken } from './view-models';

/** Per-test ratios the view shows (the largest first). */
export const COMPARE_TESTS = 100;

interface Side {
  dispatchId: string;
  target: string;
  sha: string;
  attempt: number;
  url: string;
}

export interface CompareView {
  repo: string;
  run: Side;
  /** Null while the run has nothing to compare with (no baseline, or no results on either side). */
  baseline: (Side & { sameCommit: boolean }) | null;
  comparison: RunComparison | null;
  /** `json`: this comparison's JSON, whose paged `tests` list every test (the page shows at most DIFF_ROWS per side). */
  links: { repo: string; run: string; json: string };
}

/** The JSON's answer: the view plus a page of every test, one row each (core/compare/rows.ts). */
export interface CompareListing extends CompareView {
  tests: ComparedTestRow[];
  /** Sealed; pass it back as `?cursor=` for the next page; null on the last. */
  cursor: string | null;
}

export const comparePath = (repo: string, id: string) => `${runPath(repo, id)}/compare`;

async function sideOf(deps: HttpDeps, d: DispatchItem, result: RunResultItem) {
  const jobs = (await listJobs(deps.store, d.dispatchId)).filter((j) => j.runAttempt === result.attempt);
  const legs: Leg[] = jobs.map((j) => ({ name: j.name, conclusion: j.conclusion, durationSeconds: durationSeconds(j.startedAt, j.completedAt) }));
  return { tests: await timedTestsOf(deps.store, result), ...(result.counts ? { counts: result.counts } : {}), jobs: legs };
}

export function compareView(deps: HttpDeps, meta: RepoMeta, dispatchId: string, token: string | null): Promise<CompareView | null>;
export function compareView(
  deps: HttpDeps,
  meta: RepoMeta,
  dispatchId: string,
  token: string | null,
  paging: { limit: number; cursor?: string | undefined },
): Promise<CompareListing | null>;
/**
 * With `paging` (the JSON), also a page of the tests: the cursor is opened once the run is found
 * (an unknown run is a 404 whatever the cursor), and a forged or stale one is a 400.
 */
export async function compareView(
  deps: HttpDeps,
  meta: RepoMeta,
  dispatchId: string,
  token: string | null,
  paging?: { limit: number; cursor?: string | undefined },
): Promise<CompareView | CompareListing | null> {
  const d = await getDispatch(deps.store, meta.repo, dispatchId);
  if (!d) return null;
  const side = (x: DispatchItem, attempt: number): Side => ({
    dispatchId: x.dispatchId,
    target: x.target ?? 'default',
    sha: x.sha,
    attempt,
    url: withToken(runPath(x.repo, x.dispatchId), token),
  });
  const links = {
    repo: withToken(repoPath(meta.repo), token),
    run: withToken(runPath(meta.repo, d.dispatchId), token),
    json: withToken(`/api${runPath(meta.repo, d.dispatchId)}/compare`, token),
  };
  const smoke = currentSmoke(d);
  const stored = d.comparison;
  // What the listing compares; a cursor is bound to it (no comparison: no cursor fits).
  const basis = stored && smoke ? `${smoke.attempt}:${stored.baselineDispatchId}:${stored.baselineAttempt}` : 'none';
  const page = paging ? await pageOf(deps, scopes.compareTests(meta.repo, d.dispatchId, basis), paging) : null;
  const empty: CompareView = { repo: meta.repo, run: side(d, d.attempt), baseline: null, comparison: null, links };
  const done = (view: CompareView, rows: ComparedTestRow[]) => (page ? { ...view, ...page.of(rows) } : view);
  if (!stored || !smoke) return done(empty, []);
  const [mine, base, baseResult] = await Promise.all([
    getRunResult(deps.store, d.dispatchId, smoke.attempt),
    getDispatch(deps.store, meta.repo, stored.baselineDispatchId),
    getRunResult(deps.store, stored.baselineDispatchId, stored.baselineAttempt),
  ]);
  if (!mine || !base || !baseResult) return done(empty, []);
  const [ours, theirs] = [await sideOf(deps, d, mine), await sideOf(deps, base, baseResult)];
  const comparison = compareRuns(ours, theirs, { top: COMPARE_TESTS });
  const view: CompareView = {
    ...empty,
    run: side(d, mine.attempt),
    baseline: { ...side(base, baseResult.attempt), sameCommit: stored.sameCommit },
    comparison,
  };
  return done(view, page ? comparedTestRows(ours.tests, theirs.tests, comparison.floorSeconds) : []);
}

/** An offset listing under `scope`: the cursor checked before anything else is read. */
async function pageOf(deps: HttpDeps, scope: string, paging: { limit: number; cursor?: string | undefined }) {
  const cursors = await cursorsOf(deps);
  const offset = cursors.open(scope, paging.cursor, fits.offset) ?? 0;
  return {
    of: (rows: ComparedTestRow[]) => ({
      tests: rows.slice(offset, offset + paging.limit),
      cursor: offset + paging.limit < rows.length ? cursors.seal(scope, offset + paging.limit) : null,
    }),
  };
}
