/**
 * One test's outcome in one run (TEST#<owner/repo>#<test hash> / <ulid>#<attempt>): a test's
 * history is a query on its partition, newest first. History: carries `ttl` (the repository's
 * `history_days`). Keys and write counts: ./keys.ts.
 */
import type { Outcome } from '../core/test-results';
import { clip } from '../core/text';
import type { Page, PageRequest, StoreContext } from './dynamo';
import { batchGet, batchPut, queryPage } from './dynamo';
import { runKey, testHash, testKey } from './keys';

/** A test as one run saw it, across its result files: what the per-test records are written from. */
export interface TrackedTest {
  hash: string;
  testId: string;
  name: string;
  classname: string | null;
  file: string | null;
  outcome: Outcome;
  /** Passed and failed on this commit (across files, attempts or re-runs). */
  flaky: boolean;
  /** How many result files reported it passing / failing (or erroring) in this run. */
  passed: number;
  failed: number;
}

/** One test's outcome in one run: its history is a query on its partition, newest first. */
export interface TestRunItem {
  pk: string;
  sk: string;
  type: 'test-run';
  repo: string;
  testId: string;
  name: string;
  ref: string;
  sha: string;
  dispatchId: string;
  attempt: number;
  outcome: Outcome;
  flaky: boolean;
  passed: number;
  failed: number;
  at: string;
  ttl: number;
}

/** The run the tests were seen in. */
export interface RunContext {
  repo: string;
  ref: string;
  sha: string;
  dispatchId: string;
  attempt: number;
  at: Date;
  ttl: number;
}

/** Writes each tracked test's outcome in this run: ⌈n/25⌉ BatchWriteItem requests. */
export async function putTestRuns(ctx: StoreContext, run: RunContext, tests: TrackedTest[]): Promise<number> {
  const items: TestRunItem[] = tests.map((t) => ({
    pk: testKey(run.repo, t.hash),
    sk: runKey(run.dispatchId, run.attempt),
    type: 'test-run',
    repo: run.repo,
    testId: clip(t.testId, 1000),
    name: clip(t.name, 500),
    ref: run.ref,
    sha: run.sha,
    dispatchId: run.dispatchId,
    attempt: run.attempt,
    outcome: t.outcome,
    flaky: t.flaky,
    passed: t.passed,
    failed: t.failed,
    at: run.at.toISOString(),
    ttl: run.ttl,
  }));
  return batchPut(ctx, items);
}

/** One test's runs, newest first (all refs). */
export async function testHistory(
  ctx: StoreContext,
  repo: string,
  testId: string,
  opts: PageRequest = {},
): Promise<Page<TestRunItem>> {
  return queryPage<TestRunItem>(
    ctx,
    { where: 'pk = :pk', values: { ':pk': testKey(repo, testHash(testId)) }, descending: true },
    { limit: opts.limit ?? 25, after: opts.after },
  );
}

/** Each given test's record of one run attempt (name, outcome, flaky), keyed by test hash; tests without a record are absent. */
export async function testRunsOf(
  ctx: StoreContext,
  run: { repo: string; dispatchId: string; attempt: number },
  hashes: string[],
): Promise<Map<string, TestRunItem>> {
  const sk = runKey(run.dispatchId, run.attempt);
  const byPk = new Map(hashes.map((h) => [testKey(run.repo, h), h]));
  const items = await batchGet<TestRunItem>(ctx, [...byPk.keys()].map((pk) => ({ pk, sk })), { consistent: false });
  const out = new Map<string, TestRunItem>();
  for (const i of items) {
    const hash = byPk.get(i.pk);
    if (hash) out.set(hash, i);
  }
  return out;
}
