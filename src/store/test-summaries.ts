/**
 * A test's standing on one ref, branch or pull request (TESTS#<owner/repo>#<ref> / <test hash>):
 * its recent outcomes as codes (./test-history-codec.ts), pass rate and flakiness; gsi2 lists a
 * ref's tests by their latest run. History: carries `ttl`. Keys and write counts: ./keys.ts.
 *
 * The read-modify-write is safe because the worker handles one repository's events one at a time
 * (FIFO per repository).
 */
import type { Outcome } from '../core/test-results';
import { clip } from '../core/text';
import type { Page, PageRequest, StoreContext } from './dynamo';
import { batchGet, batchPut, queryPage } from './dynamo';
import { runKey, testSummaryKey } from './keys';
import { GSI } from './schema';
import { outcomeCode, pushRecent, RECENT_RUNS, recentStats } from './test-history-codec';
import type { RunContext, TrackedTest } from './test-runs';

/** A test's standing on one branch (or pull request): recent runs, pass rate, flakiness. */
export interface TestSummaryItem {
  pk: string;
  sk: string;
  type: 'test-summary';
  repo: string;
  ref: string;
  testHash: string;
  testId: string;
  name: string;
  classname: string | null;
  file: string | null;
  /** One code per run, newest first (./test-history-codec.ts `outcomeCode`), at most RECENT_RUNS. */
  recent: string;
  passRate: number | null;
  /** Runs in `recent` that ran the test (skips excluded). */
  runs: number;
  flaky: boolean;
  lastOutcome: Outcome;
  lastRun: string;
  lastSha: string;
  lastAt: string;
  lastFlakySha: string | null;
  lastFlakyAt: string | null;
  /** gsi2 lists a ref's tests by their latest run, newest first. */
  gsi2pk: string;
  gsi2sk: string;
  ttl: number;
}

/**
 * Moves each tracked test's summary on its ref forward by this run: ⌈n/100⌉ BatchGetItem and
 * ⌈n/25⌉ BatchWriteItem requests. A run already counted (a retried message) is not counted twice.
 */
export async function updateTestSummaries(ctx: StoreContext, run: RunContext, tests: TrackedTest[]): Promise<number> {
  const pk = testSummaryKey(run.repo, run.ref);
  const existing = new Map<string, TestSummaryItem>();
  for (const item of await batchGet<TestSummaryItem>(ctx, tests.map((t) => ({ pk, sk: t.hash })), { consistent: true }))
    existing.set(item.sk, item);
  const thisRun = runKey(run.dispatchId, run.attempt);
  const at = run.at.toISOString();
  const items: TestSummaryItem[] = [];
  for (const t of tests) {
    const old = existing.get(t.hash);
    if (old?.lastRun === thisRun) continue;
    const recent = pushRecent(old?.recent ?? '', outcomeCode(t.outcome, t.flaky), RECENT_RUNS);
    const stats = recentStats(recent);
    items.push({
      pk,
      sk: t.hash,
      type: 'test-summary',
      repo: run.repo,
      ref: run.ref,
      testHash: t.hash,
      testId: clip(t.testId, 1000),
      name: clip(t.name, 500),
      classname: t.classname === null ? null : clip(t.classname, 500),
      file: t.file === null ? null : clip(t.file, 500),
      recent,
      passRate: stats.rate,
      runs: stats.ran,
      flaky: stats.flaky,
      lastOutcome: t.outcome,
      lastRun: thisRun,
      lastSha: run.sha,
      lastAt: at,
      lastFlakySha: t.flaky ? run.sha : (old?.lastFlakySha ?? null),
      lastFlakyAt: t.flaky ? at : (old?.lastFlakyAt ?? null),
      gsi2pk: pk,
      gsi2sk: `${thisRun}#${t.hash}`,
      ttl: run.ttl,
    });
  }
  return batchPut(ctx, items);
}

/** A ref's tests, most recently run first. */
export async function listTestSummaries(
  ctx: StoreContext,
  repo: string,
  ref: string,
  opts: PageRequest = {},
): Promise<Page<TestSummaryItem>> {
  return queryPage<TestSummaryItem>(
    ctx,
    { index: GSI.byRef.name, where: `${GSI.byRef.partitionKey} = :pk`, values: { ':pk': testSummaryKey(repo, ref) }, descending: true },
    { limit: opts.limit ?? 25, after: opts.after },
  );
}
