/**
 * Smoke-test results: per run (a dispatch attempt), per test and per branch. Key layout and write
 * counts are in the access-pattern table of ./keys.ts.
 *
 * Every item here is history and carries `ttl` (the repository's `history_days`). Writes are
 * single-item (conditional where two writers could race) or BatchWriteItem puts of independent
 * items; nothing relies on transactions. The read-modify-write of test summaries is safe because
 * the worker handles one repository's events one at a time (FIFO per repository).
 */
import { createHash } from 'node:crypto';
import { BatchGetCommand, BatchWriteCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Counts, Outcome } from '../core/junit';
import type { SmokeReport } from '../core/smoke-report';
import { chunk, outcomeCode, pushRecent, recentStats, rollingRate } from '../core/smoke';
import type { DispatchItem } from './dispatches';
import type { Page, StoreContext, StoreKey } from './dynamo';
import { isConditionFailed } from './dynamo';
import { dispatchKey, dispatchSk, repoKey } from './keys';
import { GSI } from './schema';

/** Runs a branch's rolling pass rate and a test's recent pass rate are taken over. */
export const RECENT_RUNS = 20;
/** Tests whose history is kept per run (failing ones first); beyond it only the totals are kept. */
export const MAX_TRACKED_TESTS = 1000;

// ---------------------------------------------------------------------------------------------
// Keys

/** A branch run or a pull request's runs: results are compared and listed per ref. */
export const refName = (ref: { branch?: string | null; pr?: number | null }) =>
  ref.pr ? `pr:${ref.pr}` : `branch:${ref.branch ?? ''}`;
const pad = (attempt: number) => String(attempt).padStart(3, '0');
/** `<dispatch ulid>#<attempt>`: sorts by time, then attempt. */
export const runKey = (dispatchId: string, attempt: number) => `${dispatchId}#${pad(attempt)}`;
export const resultSk = (attempt: number) => `RESULT#${pad(attempt)}`;
export const testKey = (repo: string, hash: string) => `TEST#${repo.toLowerCase()}#${hash}`;
export const testSummaryKey = (repo: string, ref: string) => `TESTS#${repo.toLowerCase()}#${ref}`;
export const refSmokeSk = (ref: string) => `SMOKE#${ref}`;

/** Test ids can be long (suite path + class + name): keys use a hash, items keep the id. */
export function testHash(testId: string): string {
  return createHash('sha256').update(testId).digest('hex').slice(0, 20);
}

// ---------------------------------------------------------------------------------------------
// Per run

/** Codes in a run's outcome map: P F E S, and X for a test that passed in one matrix file and failed in another. */
export type RunOutcomeCode = 'P' | 'F' | 'E' | 'S' | 'X';

/** What the dispatch item carries about its latest smoke results (lists and badges read only this). */
export interface DispatchSmoke {
  attempt: number;
  /** null when no results could be read (no artifact, expired, unreadable). */
  counts: Counts | null;
  rate: number | null;
  /** "5/6 (83%)", or null without data. */
  rateText: string | null;
  minPassRate: number;
  /** The rule that decided the check run's conclusion. */
  rule: string;
  flaky: number;
}

export type DispatchWithSmoke = DispatchItem & { smoke?: DispatchSmoke | null };

/** The smoke results of a dispatch's current attempt, if they were collected. */
export function currentSmoke(d: DispatchItem): DispatchSmoke | null {
  const s = (d as DispatchWithSmoke).smoke;
  return s && s.attempt === d.attempt ? s : null;
}

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
  createdAt: string;
  ttl: number;
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
  const r = await ctx.doc.send(
    new GetCommand({ TableName: ctx.table, Key: { pk: dispatchKey(dispatchId), sk: resultSk(attempt) }, ConsistentRead: true }),
  );
  return (r.Item as RunResultItem | undefined) ?? null;
}

/** Every attempt's results of one dispatch, oldest first. */
export async function runResultsOf(ctx: StoreContext, dispatchId: string): Promise<RunResultItem[]> {
  const r = await ctx.doc.send(
    new QueryCommand({
      TableName: ctx.table,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :p)',
      ExpressionAttributeValues: { ':pk': dispatchKey(dispatchId), ':p': 'RESULT#' },
      ConsistentRead: true,
    }),
  );
  return (r.Items ?? []) as RunResultItem[];
}

/**
 * Records the results and the conclusion they decided on the dispatch, unless the dispatch moved
 * on meanwhile (a new attempt): one conditional update. Returns the updated dispatch, or null.
 */
export async function recordDispatchSmoke(
  ctx: StoreContext,
  d: DispatchItem,
  smoke: DispatchSmoke,
  conclusion: string,
  now: Date,
): Promise<DispatchItem | null> {
  try {
    const r = await ctx.doc.send(
      new UpdateCommand({
        TableName: ctx.table,
        Key: { pk: repoKey(d.repo), sk: dispatchSk(d.dispatchId) },
        UpdateExpression: 'SET smoke = :smoke, conclusion = :conclusion, updatedAt = :now',
        ConditionExpression: 'attribute_exists(pk) AND attempt = :attempt AND progress = :progress',
        ExpressionAttributeValues: {
          ':smoke': smoke,
          ':conclusion': conclusion,
          ':now': now.toISOString(),
          ':attempt': d.attempt,
          ':progress': d.progress,
        },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return r.Attributes as DispatchItem;
  } catch (err) {
    if (isConditionFailed(err)) return null;
    throw err;
  }
}

// ---------------------------------------------------------------------------------------------
// Per test

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
  /** One code per run, newest first (see core/smoke outcomeCode), at most RECENT_RUNS. */
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

/**
 * Moves each tracked test's summary on its ref forward by this run: ⌈n/100⌉ BatchGetItem and
 * ⌈n/25⌉ BatchWriteItem requests. A run already counted (a retried message) is not counted twice.
 */
export async function updateTestSummaries(ctx: StoreContext, run: RunContext, tests: TrackedTest[]): Promise<number> {
  const pk = testSummaryKey(run.repo, run.ref);
  const existing = new Map<string, TestSummaryItem>();
  for (const item of await batchGet<TestSummaryItem>(ctx, tests.map((t) => ({ pk, sk: t.hash })))) existing.set(item.sk, item);
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
  opts: { limit?: number; after?: StoreKey | null } = {},
): Promise<Page<TestSummaryItem>> {
  const r = await ctx.doc.send(
    new QueryCommand({
      TableName: ctx.table,
      IndexName: GSI.byRef.name,
      KeyConditionExpression: `${GSI.byRef.partitionKey} = :pk`,
      ExpressionAttributeValues: { ':pk': testSummaryKey(repo, ref) },
      ScanIndexForward: false,
      Limit: opts.limit ?? 25,
      ExclusiveStartKey: opts.after ?? undefined,
    }),
  );
  return { items: (r.Items ?? []) as TestSummaryItem[], lastKey: r.LastEvaluatedKey ?? null };
}

/** One test's runs, newest first (all refs). */
export async function testHistory(
  ctx: StoreContext,
  repo: string,
  testId: string,
  opts: { limit?: number; after?: StoreKey | null } = {},
): Promise<Page<TestRunItem>> {
  const r = await ctx.doc.send(
    new QueryCommand({
      TableName: ctx.table,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': testKey(repo, testHash(testId)) },
      ScanIndexForward: false,
      Limit: opts.limit ?? 25,
      ExclusiveStartKey: opts.after ?? undefined,
    }),
  );
  return { items: (r.Items ?? []) as TestRunItem[], lastKey: r.LastEvaluatedKey ?? null };
}

// ---------------------------------------------------------------------------------------------
// Per ref (branch or pull request)

export interface RefRunEntry {
  dispatchId: string;
  attempt: number;
  sha: string;
  counts: Counts;
}

/** A ref's latest runs with results (newest first) and the rolling pass rate over them. */
export interface RefSmokeItem {
  pk: string;
  sk: string;
  type: 'ref-smoke';
  repo: string;
  ref: string;
  runs: RefRunEntry[];
  rollingRate: number | null;
  rollingRuns: number;
  version: number;
  updatedAt: string;
  ttl: number;
}

export async function getRefSmoke(ctx: StoreContext, repo: string, ref: string): Promise<RefSmokeItem | null> {
  const r = await ctx.doc.send(
    new GetCommand({ TableName: ctx.table, Key: { pk: repoKey(repo), sk: refSmokeSk(ref) }, ConsistentRead: true }),
  );
  return (r.Item as RefSmokeItem | undefined) ?? null;
}

/**
 * Adds a run to its ref's window (a new attempt replaces the dispatch's earlier entry) and
 * recomputes the rolling rate. Optimistic concurrency on `version`: one conditional put, re-read
 * and retried on a lost race.
 */
export async function recordRefRun(
  ctx: StoreContext,
  p: { repo: string; ref: string; entry: RefRunEntry; now: Date; ttl: number },
): Promise<RefSmokeItem> {
  for (let tries = 0; ; tries++) {
    const old = await getRefSmoke(ctx, p.repo, p.ref);
    const runs = [p.entry, ...(old?.runs ?? []).filter((r) => r.dispatchId !== p.entry.dispatchId)]
      .sort((a, b) => (a.dispatchId < b.dispatchId ? 1 : a.dispatchId > b.dispatchId ? -1 : 0))
      .slice(0, RECENT_RUNS);
    const rolling = rollingRate(runs.map((r) => r.counts), RECENT_RUNS);
    const item: RefSmokeItem = {
      pk: repoKey(p.repo),
      sk: refSmokeSk(p.ref),
      type: 'ref-smoke',
      repo: p.repo,
      ref: p.ref,
      runs,
      rollingRate: rolling.rate,
      rollingRuns: rolling.runs,
      version: (old?.version ?? 0) + 1,
      updatedAt: p.now.toISOString(),
      ttl: p.ttl,
    };
    try {
      await ctx.doc.send(
        new PutCommand({
          TableName: ctx.table,
          Item: item,
          ConditionExpression: old ? 'version = :v' : 'attribute_not_exists(pk)',
          ...(old ? { ExpressionAttributeValues: { ':v': old.version } } : {}),
        }),
      );
      return item;
    } catch (err) {
      if (!isConditionFailed(err) || tries >= 4) throw err;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Batches

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** DynamoDB returns what it could not take under load; back off and resend, then give up (the queue retries). */
const BATCH_TRIES = 6;

async function batchPut(ctx: StoreContext, items: object[]): Promise<number> {
  let requests = 0;
  for (const group of chunk(items, 25)) {
    let pending: Record<string, unknown>[] = group.map((Item) => ({ PutRequest: { Item } }));
    for (let tries = 0; pending.length > 0; tries++) {
      if (tries >= BATCH_TRIES) throw new Error(`DynamoDB left ${pending.length} writes unprocessed after ${tries} tries`);
      if (tries > 0) await sleep(20 * 2 ** tries);
      const r = await ctx.doc.send(new BatchWriteCommand({ RequestItems: { [ctx.table]: pending as never } }));
      requests++;
      pending = (r.UnprocessedItems?.[ctx.table] ?? []) as Record<string, unknown>[];
    }
  }
  return requests;
}

async function batchGet<T>(ctx: StoreContext, keys: { pk: string; sk: string }[]): Promise<T[]> {
  const out: T[] = [];
  for (const group of chunk(keys, 100)) {
    let pending: Record<string, unknown>[] = group;
    for (let tries = 0; pending.length > 0; tries++) {
      if (tries >= BATCH_TRIES) throw new Error(`DynamoDB left ${pending.length} reads unprocessed after ${tries} tries`);
      if (tries > 0) await sleep(20 * 2 ** tries);
      const r = await ctx.doc.send(
        new BatchGetCommand({ RequestItems: { [ctx.table]: { Keys: pending, ConsistentRead: true } } }),
      );
      out.push(...((r.Responses?.[ctx.table] ?? []) as T[]));
      pending = (r.UnprocessedKeys?.[ctx.table]?.Keys ?? []) as Record<string, unknown>[];
    }
  }
  return out;
}

function clip(s: string, max: number): string {
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}
