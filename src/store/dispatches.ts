import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Page, PageRequest, StoreContext } from './dynamo';
import { batchGet, getItem, ifCondition, newestFirst, putOnce, queryPage } from './dynamo';
import { commitIndexKey, dispatchSk, refIndexKey, repoKey, ttlAfter, workflowRunKey } from './keys';
import { GSI, type IndexDefinition } from './schema';
import type { ShownCheck } from '../core/check-updates';

/**
 * A dispatch is one arm64 run the coordinator asked for: the check run it owns, the workflow run
 * GitHub made of it, and how far it has got. `progress` only ever grows (see core/conclusion),
 * which is how events arriving out of order are kept from moving a check run backwards.
 */
export type DispatchState =
  | 'pending' // intent recorded, nothing asked of GitHub yet
  | 'dispatching' // the dispatch request is (or was) in flight
  | 'dispatched' // GitHub accepted it; waiting for the workflow run
  | 'awaiting_approval' // untrusted fork: waiting for /ok-to-test
  | 'queued'
  | 'in_progress'
  | 'completed';

export type Trigger = 'push' | 'pull_request' | 'merge_group' | 'command' | 'rerun' | 'approval';

export interface DispatchItem {
  pk: string;
  sk: string;
  type: 'dispatch';
  dispatchId: string;
  repo: string;
  installationId: number;
  private: boolean;
  sha: string;
  branch: string | null;
  pr: number | null;
  trigger: Trigger;
  actor: string | null;
  deliveryId: string;
  workflow: string;
  ref: string;
  runnerLabels: string[];
  inputs: Record<string, string>;
  checkName: string;
  /**
   * The named target this run is for (`dgx`), absent for a file without `targets:`. It keys the
   * run's history (store/keys.ts refName) and badges, and picks what a Re-run runs again.
   */
  target?: string;
  /** The baseline target this run is compared with (`x86`); absent for the baseline itself and without one. */
  baseline?: string;
  /**
   * The comparison with the baseline as the check run shows it (Markdown, core/compare/render.ts),
   * with where the baseline's results came from; set once both sides have results, replaced when
   * the same commit's baseline run finishes later.
   */
  comparison?: {
    markdown: string;
    baselineDispatchId: string;
    baselineAttempt: number;
    sameCommit: boolean;
    /** Total test time arm64 ÷ baseline (null: no test passed with a time on both), for the dashboard. */
    ratio?: number | null;
  };
  checkRunId: number | null;
  state: DispatchState;
  progress: number;
  attempt: number;
  conclusion: string | null;
  workflowRunId: number | null;
  workflowRunUrl: string | null;
  notes: string[];
  createdAt: string;
  updatedAt: string;
  dispatchedAt: string | null;
  startedAt: string | null;
  completedAt: string | null;
  gsi1pk: string;
  gsi1sk: string;
  gsi2pk: string;
  gsi2sk: string;
  ttl: number;
  /** Config the run is judged by, copied at dispatch so completion and the reconciler need no config read. */
  smokeSettings?: {
    artifact: string;
    minPassRate: number;
    annotationsMax: number;
    historyDays: number;
    maxGrowth?: number;
    /** The slowdown rule (`smoke_tests.slowdown_*`, `max_slowdown`); absent on dispatches recorded before it: the defaults. */
    slowdown?: { factor: number; window: number; minSamples: number; max: number | null };
  };
  dispatchTimeoutMinutes?: number;
  timeoutMinutes?: number;
  /**
   * A held dispatch (`awaiting_approval`): when GitHub first showed it as waiting for /ok-to-test,
   * i.e. its check run's `started_at` as GitHub answered the create (GitHub's clock, comparable with
   * a comment's `created_at`; see core/approval.ts). Absent until the check run exists.
   */
  heldAt?: string;
  /**
   * The branch the run is compared with (baseline fallback, slowdowns, artifact sizes): a pull
   * request's base or a merge queue's target branch, from what started it, so completion need not
   * ask GitHub. Absent for a push, and on pull-request runs recorded before it: the default branch.
   */
  prBase?: string;
  /** What its check run last showed (worker/check-run.ts): the next update goes out only on a visible change. */
  checkShown?: ShownCheck;
}

type NewDispatch = Omit<
  DispatchItem,
  'pk' | 'sk' | 'type' | 'gsi1pk' | 'gsi1sk' | 'gsi2pk' | 'gsi2sk' | 'ttl' | 'updatedAt'
> & { historyDays: number };

export function dispatchItem(d: NewDispatch): DispatchItem {
  const { historyDays, ...rest } = d;
  return {
    ...rest,
    pk: repoKey(d.repo),
    sk: dispatchSk(d.dispatchId),
    type: 'dispatch',
    updatedAt: d.createdAt,
    gsi1pk: commitIndexKey(d.repo, d.sha),
    gsi1sk: d.dispatchId,
    gsi2pk: refIndexKey(d.repo, { branch: d.branch, pr: d.pr }),
    gsi2sk: d.dispatchId,
    ttl: ttlAfter(new Date(d.createdAt), historyDays),
  };
}

/** Which commit a run is of and what started it: what every view of a run (page, check run) names first. */
export type RunOrigin = Pick<DispatchItem, 'repo' | 'sha' | 'branch' | 'pr' | 'trigger' | 'actor'>;

export const runOrigin = (d: DispatchItem): RunOrigin => ({ repo: d.repo, sha: d.sha, branch: d.branch, pr: d.pr, trigger: d.trigger, actor: d.actor });

/** Writes the dispatch if it does not exist yet; returns the stored one either way. */
export function putDispatchOnce(ctx: StoreContext, item: DispatchItem): Promise<{ item: DispatchItem; created: boolean }> {
  return putOnce(ctx, item);
}

export async function getDispatch(ctx: StoreContext, repo: string, dispatchId: string): Promise<DispatchItem | null> {
  return getItem<DispatchItem>(ctx, { pk: repoKey(repo), sk: dispatchSk(dispatchId) }, { consistent: true });
}

type Changes = Partial<Omit<DispatchItem, 'pk' | 'sk' | 'type' | 'dispatchId' | 'repo'>>;

function updateParts(changes: Changes, now: Date) {
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const sets: string[] = [];
  for (const [k, v] of Object.entries({ ...changes, updatedAt: now.toISOString() })) {
    if (v === undefined) continue;
    names[`#${k}`] = k;
    values[`:${k}`] = v;
    sets.push(`#${k} = :${k}`);
  }
  return { names, values, expr: `SET ${sets.join(', ')}` };
}

/**
 * Applies `changes` only if the dispatch has not progressed to `progress` or beyond (and, when
 * given, only from one of the `from` states). Returns the updated item, or null when a newer
 * event already moved it further — the caller then does nothing.
 */
export async function advanceDispatch(
  ctx: StoreContext,
  key: { repo: string; dispatchId: string },
  changes: Changes & { progress: number },
  opts: { now: Date; from?: DispatchState[]; allowEqual?: boolean },
): Promise<DispatchItem | null> {
  const { names, values, expr } = updateParts(changes, opts.now);
  const conds = [`attribute_exists(pk)`, opts.allowEqual ? `#progress <= :progress` : `#progress < :progress`];
  if (opts.from?.length) {
    names['#state'] = 'state';
    const keys = opts.from.map((s, i) => {
      values[`:from${i}`] = s;
      return `:from${i}`;
    });
    conds.push(`#state IN (${keys.join(', ')})`);
  }
  const r = await ifCondition(
    ctx.doc.send(
      new UpdateCommand({
        TableName: ctx.table,
        Key: { pk: repoKey(key.repo), sk: dispatchSk(key.dispatchId) },
        UpdateExpression: expr,
        ConditionExpression: conds.join(' AND '),
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
        ReturnValues: 'ALL_NEW',
      }),
    ),
  );
  return (r?.Attributes as DispatchItem | undefined) ?? null;
}

/** Changes that do not move the state (a check run id, a note): unconditional but for existence. */
export async function patchDispatch(
  ctx: StoreContext,
  key: { repo: string; dispatchId: string },
  changes: Changes,
  now: Date,
): Promise<DispatchItem> {
  const { names, values, expr } = updateParts(changes, now);
  const r = await ctx.doc.send(
    new UpdateCommand({
      TableName: ctx.table,
      Key: { pk: repoKey(key.repo), sk: dispatchSk(key.dispatchId) },
      UpdateExpression: expr,
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
      ReturnValues: 'ALL_NEW',
    }),
  );
  return r.Attributes as DispatchItem;
}

export interface WorkflowRunPointer {
  pk: string;
  sk: 'WFRUN';
  repo: string;
  dispatchId: string;
  ttl: number;
}

export async function linkWorkflowRun(
  ctx: StoreContext,
  p: { workflowRunId: number; repo: string; dispatchId: string; ttl: number },
): Promise<void> {
  const item: WorkflowRunPointer = { pk: workflowRunKey(p.workflowRunId), sk: 'WFRUN', repo: p.repo, dispatchId: p.dispatchId, ttl: p.ttl };
  await ctx.doc.send(new PutCommand({ TableName: ctx.table, Item: item }));
}

export async function findByWorkflowRun(ctx: StoreContext, workflowRunId: number): Promise<WorkflowRunPointer | null> {
  return getItem<WorkflowRunPointer>(ctx, { pk: workflowRunKey(workflowRunId), sk: 'WFRUN' }, { consistent: true });
}

/** The dispatch behind each workflow run id (the WFRUN pointers), for links from a runner's last job to its run page. */
export async function dispatchesOfWorkflowRuns(ctx: StoreContext, runIds: number[]): Promise<Map<number, WorkflowRunPointer>> {
  const unique = [...new Set(runIds)];
  const items = await batchGet<WorkflowRunPointer>(ctx, unique.map((id) => ({ pk: workflowRunKey(id), sk: 'WFRUN' })), {
    consistent: false,
  });
  return new Map(items.map((p) => [Number(p.pk.slice('WFRUN#'.length)), p]));
}

/**
 * Newest first. `fields`: only those attributes (store/dynamo.ts ItemQuery), for a listing that
 * shows a few of a dispatch's; the items then hold only them.
 */
export async function listDispatches(
  ctx: StoreContext,
  repo: string,
  opts: PageRequest & { fields?: readonly string[] } = {},
): Promise<Page<DispatchItem>> {
  return newestFirst<DispatchItem>(
    ctx,
    {
      where: 'pk = :pk AND begins_with(sk, :prefix)',
      values: { ':pk': repoKey(repo), ':prefix': 'DISPATCH#' },
      ...(opts.fields ? { fields: opts.fields } : {}),
    },
    opts,
  );
}

/**
 * The indexes carry keys only (schema.ts): query the keys, then read the items themselves,
 * strongly consistent (so a caller sees each dispatch as it is now), newest first.
 */
async function queryIndex(ctx: StoreContext, index: IndexDefinition, value: string, limit: number): Promise<DispatchItem[]> {
  const page = await queryPage<{ pk: string; sk: string }>(
    ctx,
    { index: index.name, where: `${index.partitionKey} = :v`, values: { ':v': value }, descending: true },
    { limit },
  );
  const items = await batchGet<DispatchItem>(ctx, page.items.map((k) => ({ pk: k.pk, sk: k.sk })), { consistent: true });
  const order = new Map(page.items.map((k, i) => [k.sk, i]));
  return items.filter((d) => d.type === 'dispatch').sort((a, b) => order.get(a.sk)! - order.get(b.sk)!);
}

/** Newest first. The index is eventually consistent (a dispatch made a moment ago may be missing); the items are read fresh. */
export const dispatchesOfCommit = (ctx: StoreContext, repo: string, sha: string, limit = 25) =>
  queryIndex(ctx, GSI.byCommit, commitIndexKey(repo, sha), limit);

export const dispatchesOfRef = (ctx: StoreContext, repo: string, ref: { branch?: string | null; pr?: number | null }, limit = 25) =>
  queryIndex(ctx, GSI.byRef, refIndexKey(repo, ref), limit);
