import { GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { StoreContext } from './dynamo';
import { isConditionFailed } from './dynamo';
import { decodeCursor, encodeCursor, type Page } from './dispatches';
import { latestSk, repoKey } from './keys';
import { GSI } from './schema';

/** The newest run of a branch, all a status badge needs. */
export interface LatestRun {
  dispatchId: string;
  progress: number;
  state: string;
  conclusion: string | null;
  sha: string;
  updatedAt: string;
  smoke?: { passed: number; failed: number; errored: number; skipped: number; total: number } | null;
}

export interface RepoMeta {
  pk: string;
  sk: 'META';
  repo: string;
  owner: string;
  name: string;
  private: boolean;
  defaultBranch: string;
  installationId: number | null;
  installed: boolean;
  updatedAt: string;
  /** A copy of the default branch's LATEST item, so a default badge costs exactly one read. */
  latest?: LatestRun;
}

export interface LatestItem extends LatestRun {
  pk: string;
  sk: string;
  repo: string;
  branch: string;
  private: boolean;
}

/** Keeps what GitHub tells us about a repository current; every event carries it. */
export async function upsertRepo(
  ctx: StoreContext,
  r: {
    repo: string;
    private: boolean;
    defaultBranch: string;
    installationId: number | null;
    installed?: boolean;
    now: Date;
    /** Installation events do not know the default branch: keep the one stored, if any. */
    keepDefaultBranch?: boolean;
  },
): Promise<void> {
  const [owner = '', name = ''] = r.repo.split('/');
  await ctx.doc.send(
    new UpdateCommand({
      TableName: ctx.table,
      Key: { pk: repoKey(r.repo), sk: 'META' },
      UpdateExpression:
        `SET gsi1pk = :list, gsi1sk = :key, #repo = :repo, #owner = :owner, #name = :name, #private = :private, installationId = :iid, installed = :inst, updatedAt = :now, defaultBranch = ${
          r.keepDefaultBranch ? 'if_not_exists(defaultBranch, :db)' : ':db'
        }`,
      ExpressionAttributeNames: { '#repo': 'repo', '#owner': 'owner', '#name': 'name', '#private': 'private' },
      ExpressionAttributeValues: {
        ':list': REPO_LIST_KEY,
        ':key': r.repo.toLowerCase(),
        ':repo': r.repo,
        ':owner': owner,
        ':name': name,
        ':private': r.private,
        ':db': r.defaultBranch,
        ':iid': r.installationId,
        ':inst': r.installed ?? true,
        ':now': r.now.toISOString(),
      },
    }),
  );
}

export async function getRepo(ctx: StoreContext, repo: string): Promise<RepoMeta | null> {
  const r = await ctx.doc.send(new GetCommand({ TableName: ctx.table, Key: { pk: repoKey(repo), sk: 'META' } }));
  return (r.Item as RepoMeta | undefined) ?? null;
}

export async function getLatest(ctx: StoreContext, repo: string, branch: string): Promise<LatestItem | null> {
  const r = await ctx.doc.send(new GetCommand({ TableName: ctx.table, Key: { pk: repoKey(repo), sk: latestSk(branch) } }));
  return (r.Item as LatestItem | undefined) ?? null;
}

/**
 * Moves a branch's "latest" forward: a newer dispatch (ULIDs sort by time) or further progress
 * of the same one. Older news is dropped. Mirrors into the repo's META item for the default branch.
 */
export async function recordLatest(
  ctx: StoreContext,
  l: { repo: string; branch: string; private: boolean; isDefaultBranch: boolean; run: LatestRun },
): Promise<boolean> {
  const values = { ':id': l.run.dispatchId, ':progress': l.run.progress };
  let moved = false;
  try {
    await ctx.doc.send(
      new UpdateCommand({
        TableName: ctx.table,
        Key: { pk: repoKey(l.repo), sk: latestSk(l.branch) },
        UpdateExpression:
          'SET dispatchId = :id, progress = :progress, #state = :state, conclusion = :conclusion, sha = :sha, updatedAt = :updatedAt, smoke = :smoke, #repo = :repo, branch = :branch, #private = :private',
        ConditionExpression: 'attribute_not_exists(pk) OR dispatchId < :id OR (dispatchId = :id AND progress < :progress)',
        ExpressionAttributeNames: { '#state': 'state', '#repo': 'repo', '#private': 'private' },
        ExpressionAttributeValues: {
          ...values,
          ':state': l.run.state,
          ':conclusion': l.run.conclusion,
          ':sha': l.run.sha,
          ':updatedAt': l.run.updatedAt,
          ':smoke': l.run.smoke ?? null,
          ':repo': l.repo,
          ':branch': l.branch,
          ':private': l.private,
        },
      }),
    );
    moved = true;
  } catch (err) {
    if (!isConditionFailed(err)) throw err;
  }
  if (moved && l.isDefaultBranch) {
    try {
      await ctx.doc.send(
        new UpdateCommand({
          TableName: ctx.table,
          Key: { pk: repoKey(l.repo), sk: 'META' },
          UpdateExpression: 'SET latest = :run',
          ConditionExpression:
            'attribute_exists(pk) AND (attribute_not_exists(latest) OR latest.dispatchId < :id OR (latest.dispatchId = :id AND latest.progress < :progress))',
          ExpressionAttributeValues: { ...values, ':run': { ...l.run, smoke: l.run.smoke ?? null } },
        }),
      );
    } catch (err) {
      if (!isConditionFailed(err)) throw err;
    }
  }
  return moved;
}

/** Repository items share one gsi1 partition, so listing every repository is a query, not a scan. */
export const REPO_LIST_KEY = 'REPOS';

export async function listRepos(ctx: StoreContext, opts: { limit?: number; cursor?: string | null } = {}): Promise<Page<RepoMeta>> {
  const r = await ctx.doc.send(
    new QueryCommand({
      TableName: ctx.table,
      IndexName: GSI.byCommit.name,
      KeyConditionExpression: `${GSI.byCommit.partitionKey} = :k`,
      ExpressionAttributeValues: { ':k': REPO_LIST_KEY },
      Limit: opts.limit ?? 50,
      ExclusiveStartKey: decodeCursor(opts.cursor),
    }),
  );
  return { items: (r.Items ?? []) as RepoMeta[], cursor: encodeCursor(r.LastEvaluatedKey) };
}
