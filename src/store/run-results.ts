/**
 * The smoke results of one run attempt (DISPATCH#<ulid> / RESULT#<attempt>): counts, the rule
 * that decided, the rendered section, and an outcome code per tracked test (./test-history-codec.ts).
 * History: carries `ttl` (the repository's `history_days`). Keys and write counts: ./keys.ts.
 */
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { SmokeReport } from '../core/smoke/report';
import type { TimedTest } from '../core/compare/tests';
import type { Counts, Outcome } from '../core/test-results';
import type { StoreContext } from './dynamo';
import { getItem, queryPage } from './dynamo';
import { dispatchKey, resultSk } from './keys';
import type { RunOutcomeCode } from './test-history-codec';

/** Tests whose history is kept per run (failing ones first); beyond it only the totals are kept. */
export const MAX_TRACKED_TESTS = 1000;

export interface RunResultItem {
  pk: string;
  sk: string;
  type: 'smoke-result';
  repo: string;
  dispatchId: string;
  attempt: number;
  workflowRunId: number | null;
  sha: string;
  ref: string;
  counts: Counts | null;
  rate: number | null;
  rule: string;
  conclusion: string;
  /** The rendered smoke section, so later check-run updates show it without re-reading the artifact. */
  markdown: string;
  /** The same section as data, for the dashboard; absent on results stored before it was kept. */
  report?: SmokeReport;
  /** Tracked tests by hash (see MAX_TRACKED_TESTS), for flaky detection and base comparison. */
  outcomes: Record<string, RunOutcomeCode>;
  /** More tests than were tracked. */
  truncated: boolean;
  flaky: { hash: string; name: string }[];
  /**
   * The tracked tests merged per test (core/compare/tests.ts) as `[hash, name, outcome, seconds]`,
   * for the comparison of an arm64 target with the baseline. Absent on results stored before it was kept.
   */
  timed?: TimedRow[];
  /** The artifact-size section (core/compare/artifacts.ts), rendered once; absent when the run had no artifacts. */
  artifactsMarkdown?: string;
  createdAt: string;
  ttl: number;
}

export type TimedRow = [hash: string, name: string, outcome: Outcome, seconds: number | null];

/** The comparison's view of a stored result (core/compare/tests.ts TimedTest, id = the test hash). */
export function timedTestsOf(r: RunResultItem): TimedTest[] {
  return (r.timed ?? []).map(([id, name, outcome, durationSeconds]) => ({ id, name, outcome, durationSeconds }));
}

export async function putRunResult(ctx: StoreContext, item: Omit<RunResultItem, 'pk' | 'sk' | 'type'>): Promise<void> {
  // Unconditional: collecting the same attempt again (a retried message) writes the same facts.
  await ctx.doc.send(
    new PutCommand({
      TableName: ctx.table,
      Item: { ...item, pk: dispatchKey(item.dispatchId), sk: resultSk(item.attempt), type: 'smoke-result' },
    }),
  );
}

export async function getRunResult(ctx: StoreContext, dispatchId: string, attempt: number): Promise<RunResultItem | null> {
  return getItem<RunResultItem>(ctx, { pk: dispatchKey(dispatchId), sk: resultSk(attempt) }, { consistent: true });
}

/** Every attempt's results of one dispatch, oldest first. */
export async function runResultsOf(ctx: StoreContext, dispatchId: string): Promise<RunResultItem[]> {
  const page = await queryPage<RunResultItem>(ctx, {
    where: 'pk = :pk AND begins_with(sk, :p)',
    values: { ':pk': dispatchKey(dispatchId), ':p': 'RESULT#' },
    consistent: true,
  });
  return page.items;
}
