/**
 * The smoke results of one run attempt (DISPATCH#<ulid> / RESULT#<attempt>): counts, the rule
 * that decided, the rendered section and the flaky tests. Every test's outcome and duration is in
 * the packed run (./run-tests.ts, keyed by `target` and `ref`).
 * History: carries `ttl` (the repository's `history_days`). Keys and write counts: ./keys.ts.
 */
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Slowdown } from '../core/compare/slowdown';
import type { SmokeReport } from '../core/smoke/report';
import type { TimedTest } from '../core/compare/tests';
import type { Counts, Outcome } from '../core/test-results';
import type { StoreContext } from './dynamo';
import { getItem, queryPage } from './dynamo';
import { dispatchKey, resultSk } from './keys';

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
  /** The config target the run belongs to (`default` for a single-target config); absent on results stored before targets. */
  target?: string;
  counts: Counts | null;
  rate: number | null;
  rule: string;
  conclusion: string;
  /** The rendered smoke section, so later check-run updates show it without re-reading the artifact. */
  markdown: string;
  /** The same section as data, for the dashboard; absent on results stored before it was kept. */
  report?: SmokeReport;
  /** Tests that passed and failed on this commit; `id` absent on results stored before it was kept. */
  flaky: { hash: string; name: string; id?: string }[];
  /** Tests flagged as slower than usual (the first 25, largest factor first); absent before slowdowns were kept. */
  slowdowns?: Slowdown[];
  /** What they were measured against, and how many were flagged in all. */
  slowdownRule?: { branch: string; factor: number; window: number; flagged: number };
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

/** Timed rows of results stored before every test was packed (./run-history.ts timedTestsOf reads both). */
export function legacyTimedTests(r: RunResultItem): TimedTest[] {
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
