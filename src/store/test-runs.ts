/**
 * One test's outcome in one run (TEST#<owner/repo>#<test hash> / <ulid>#<attempt>), kept only
 * for runs where the test failed, was flaky or changed (./run-history.ts): a test's notable
 * history is a query on its partition, newest first. Every run's every test is in the packed
 * run (./run-tests.ts). History: carries `ttl` (the repository's
 * `history_days`). Keys and write counts: ./keys.ts.
 */
import type { Outcome } from '../core/test-results';
import { clip } from '../core/text';
import type { Page, PageRequest, StoreContext } from './dynamo';
import { newestFirst } from './dynamo';
import { runKey, testHash, testKey } from './keys';

/** One notable test's outcome in one run (failing, flaky or changed; see ./run-history.ts). */
export interface TestRunItem {
  pk: string;
  sk: string;
  type: 'test-run';
  repo: string;
  target: string;
  testId: string;
  name: string;
  ref: string;
  sha: string;
  dispatchId: string;
  attempt: number;
  outcome: Outcome;
  flaky: boolean;
  durationSeconds: number | null;
  at: string;
  ttl: number;
}

/** The run the tests were seen in. */
export interface RunContext {
  repo: string;
  target: string;
  ref: string;
  sha: string;
  dispatchId: string;
  attempt: number;
  at: Date;
  ttl: number;
}

export function testRunItem(
  run: RunContext,
  t: { id: string; name: string; outcome: Outcome; flaky: boolean; durationSeconds: number | null },
): TestRunItem {
  return {
    pk: testKey(run.repo, testHash(t.id)),
    sk: runKey(run.dispatchId, run.attempt),
    type: 'test-run',
    repo: run.repo,
    target: run.target,
    testId: clip(t.id, 1000),
    name: clip(t.name, 500),
    ref: run.ref,
    sha: run.sha,
    dispatchId: run.dispatchId,
    attempt: run.attempt,
    outcome: t.outcome,
    flaky: t.flaky,
    durationSeconds: t.durationSeconds,
    at: run.at.toISOString(),
    ttl: run.ttl,
  };
}

/** One test's notable runs, newest first (all refs and targets). */
export async function testHistory(
  ctx: StoreContext,
  repo: string,
  testId: string,
  opts: PageRequest = {},
): Promise<Page<TestRunItem>> {
  return newestFirst<TestRunItem>(ctx, { where: 'pk = :pk', values: { ':pk': testKey(repo, testHash(testId)) } }, opts);
}
