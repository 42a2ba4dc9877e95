import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { repoParts } from '../core/repo-name';
import type { Page, StoreContext, StoreKey } from './dynamo';
import { batchGet, getItem, ifCondition, queryPage } from './dynamo';
import { latestSk, latestTargetSk, repoKey } from './keys';
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
  /**
   * The one place readers take visibility from (pages, API, badges of every branch, runner pools).
   * Any delivery saying `private: true` sets it; only `repository.publicized` clears it again
   * (setRepoVisibility), so a late or redelivered event from before a repository went private
   * can never reopen it.
   */
  private: boolean;
  defaultBranch: string;
  installationId: number | null;
  installed: boolean;
  updatedAt: string;
  /**
   * A copy of the default branch's LATEST item, so a default badge costs exactly one read. With
   * named targets: the default badge target's (the first that is not the baseline).
   */
  latest?: LatestRun;
  /**
   * The named targets of the config the worker last read (absent for a file without `targets:`):
   * which `?target=` badges exist, and which one a badge without `?target=` shows.
   */
  targets?: RepoTargets;
  /** The repository list's index keys (REPOS / lower-case full name). */
  gsi1pk: string;
  gsi1sk: string;
}

export interface RepoTargets {
  names: string[];
  /** defaultBadgeTarget's name. */
  badge: string;
  /** The baseline target's name, when there is one. */
  baseline?: string;
}

/** The stored spelling of a named target, matched as commands match it (exactly, else ignoring case). */
export function namedTarget(targets: RepoTargets | undefined, asked: string): string | undefined {
  if (!targets) return undefined;
  return targets.names.find((n) => n === asked) ?? targets.names.find((n) => n.toLowerCase() === asked.toLowerCase());
}

/** A branch's newest run. It carries no visibility: readers check the repository's META item. */
interface LatestItem extends LatestRun {
  pk: string;
  sk: string;
  repo: string;
  branch: string;
}

/**
 * Keeps what GitHub tells us about a repository current; every event carries it. `private: true`
 * closes the repository; `private: false` only sets a new repository's visibility and never
 * reopens a private one (see RepoMeta.private).
 */
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
    /** From a config just read: its named targets, or null for a file without `targets:`. Absent: unchanged. */
    targets?: RepoTargets | null;
  },
): Promise<void> {
  const { owner, repo: name } = repoParts(r.repo);
  const targets = r.targets === undefined ? '' : r.targets === null ? ' REMOVE targets' : ', targets = :targets';
  await ctx.doc.send(
    new UpdateCommand({
      TableName: ctx.table,
      Key: { pk: repoKey(r.repo), sk: 'META' },
      UpdateExpression:
        `SET gsi1pk = :list, gsi1sk = :key, #repo = :repo, #owner = :owner, #name = :name, #private = ${
          r.private ? ':private' : 'if_not_exists(#private, :private)'
        }, installationId = :iid, installed = :inst, updatedAt = :now, defaultBranch = ${
          r.keepDefaultBranch ? 'if_not_exists(defaultBranch, :db)' : ':db'
        }${targets}`,
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
        ...(r.targets ? { ':targets': r.targets } : {}),
      },
    }),
  );
}

export async function getRepo(ctx: StoreContext, repo: string): Promise<RepoMeta | null> {
  return getItem<RepoMeta>(ctx, { pk: repoKey(repo), sk: 'META' }, { consistent: false });
}

/** The branch's latest run; of one named target when `target` is given. */
export async function getLatest(ctx: StoreContext, repo: string, branch: string, target?: string): Promise<LatestItem | null> {
  const sk = target === undefined ? latestSk(branch) : latestTargetSk(target, branch);
  return getItem<LatestItem>(ctx, { pk: repoKey(repo), sk }, { consistent: false });
}

/**
 * Moves a branch's "latest" forward: a newer dispatch (ULIDs sort by time) or further progress
 * of the same one. Older news is dropped. Mirrors into the repo's META item for the default branch.
 */
export async function recordLatest(
  ctx: StoreContext,
  l: {
    repo: string;
    branch: string;
    /** Mirror into META.latest (the default branch's run behind a badge without `?branch=`). */
    isDefaultBranch: boolean;
    run: LatestRun;
    /** A named target's own item (never mirrored: META.latest is the default badge target's). */
    target?: string;
  },
): Promise<boolean> {
  const values = { ':id': l.run.dispatchId, ':progress': l.run.progress };
  const moved =
    (await ifCondition(
      ctx.doc.send(
        new UpdateCommand({
          TableName: ctx.table,
          Key: { pk: repoKey(l.repo), sk: l.target === undefined ? latestSk(l.branch) : latestTargetSk(l.target, l.branch) },
          UpdateExpression:
            'SET dispatchId = :id, progress = :progress, #state = :state, conclusion = :conclusion, sha = :sha, updatedAt = :updatedAt, smoke = :smoke, #repo = :repo, branch = :branch',
          ConditionExpression: 'attribute_not_exists(pk) OR dispatchId < :id OR (dispatchId = :id AND progress < :progress)',
          ExpressionAttributeNames: { '#state': 'state', '#repo': 'repo' },
          ExpressionAttributeValues: {
            ...values,
            ':state': l.run.state,
            ':conclusion': l.run.conclusion,
            ':sha': l.run.sha,
            ':updatedAt': l.run.updatedAt,
            ':smoke': l.run.smoke ?? null,
            ':repo': l.repo,
            ':branch': l.branch,
          },
        }),
      ),
    )) !== null;
  if (moved && l.isDefaultBranch && l.target === undefined) {
    await ifCondition(
      ctx.doc.send(
        new UpdateCommand({
          TableName: ctx.table,
          Key: { pk: repoKey(l.repo), sk: 'META' },
          UpdateExpression: 'SET latest = :run',
          ConditionExpression:
            'attribute_exists(pk) AND (attribute_not_exists(latest) OR latest.dispatchId < :id OR (latest.dispatchId = :id AND latest.progress < :progress))',
          ExpressionAttributeValues: { ...values, ':run': { ...l.run, smoke: l.run.smoke ?? null } },
        }),
      ),
    );
  }
  return moved;
}

/**
 * Closes a repository GitHub now says is private (any delivery with `repository.private: true`):
 * one conditional write that changes nothing unless the stored item says public. Unknown
 * repositories stay unknown. True when this call closed it.
 */
export async function hideRepo(ctx: StoreContext, repo: string, now: Date): Promise<boolean> {
  return setPrivate(ctx, repo, true, now, 'attribute_exists(pk) AND #private <> :private');
}

/** `repository.privatized` / `publicized`: the only way back from private. Unknown repositories are left alone. */
export async function setRepoVisibility(ctx: StoreContext, repo: string, isPrivate: boolean, now: Date): Promise<boolean> {
  return setPrivate(ctx, repo, isPrivate, now, 'attribute_exists(pk)');
}

/** Sets a known repository's `private` flag when `condition` holds; true when it was written. */
async function setPrivate(ctx: StoreContext, repo: string, isPrivate: boolean, now: Date, condition: string): Promise<boolean> {
  const r = await ifCondition(
    ctx.doc.send(
      new UpdateCommand({
        TableName: ctx.table,
        Key: { pk: repoKey(repo), sk: 'META' },
        UpdateExpression: 'SET #private = :private, updatedAt = :now',
        ConditionExpression: condition,
        ExpressionAttributeNames: { '#private': 'private' },
        ExpressionAttributeValues: { ':private': isPrivate, ':now': now.toISOString() },
      }),
    ),
  );
  return r !== null;
}

/** Repository items share one gsi1 partition, so listing every repository is a query, not a scan. */
export const REPO_LIST_KEY = 'REPOS';

/** Where the repository list resumes after `r` (a gsi1 query's start key: the table's and the index's keys). */
const repoListKey = (r: RepoMeta): StoreKey => ({ pk: r.pk, sk: r.sk, gsi1pk: r.gsi1pk, gsi1sk: r.gsi1sk });

/**
 * Public repositories by name, `limit` at a time. Pages are filled from the filtered stream and
 * `lastKey` is the last *returned* repository, set only when another public one follows: a page is
 * never short, never followed by an empty one, and nothing about it depends on the private
 * repositories between (a short page followed by "more" would count them).
 */
export async function listPublicRepos(ctx: StoreContext, opts: { limit: number; after?: StoreKey | null }): Promise<Page<RepoMeta>> {
  const found: RepoMeta[] = [];
  let after: StoreKey | null = opts.after ?? null;
  do {
    const page: Page<RepoMeta> = await queryPage<RepoMeta>(
      ctx,
      {
        index: GSI.byCommit.name,
        where: `${GSI.byCommit.partitionKey} = :k`,
        // Fail closed: an item without the attribute is not shown.
        filter: '#private = :public',
        names: { '#private': 'private' },
        values: { ':k': REPO_LIST_KEY, ':public': false },
      },
      // Limit counts items read before the filter: read in steps of at least 100.
      { limit: Math.max(opts.limit + 1, 100), after },
    );
    // The index carries keys and `private` only (schema.ts): read the items, and filter again on
    // what they say now (fail closed: a repository that just went private is not shown).
    const order = new Map(page.items.map((k, i) => [k.sk === 'META' ? k.pk : '', i]));
    const metas = await batchGet<RepoMeta>(ctx, page.items.map((k) => ({ pk: k.pk, sk: k.sk })), { consistent: false });
    found.push(...metas.filter((m) => m.private === false).sort((a, b) => order.get(a.pk)! - order.get(b.pk)!));
    after = page.lastKey;
  } while (after && found.length <= opts.limit);
  const items = found.slice(0, opts.limit);
  return { items, lastKey: found.length > opts.limit ? repoListKey(items[items.length - 1]!) : null };
}
