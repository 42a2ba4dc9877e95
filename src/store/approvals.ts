/**
 * `/ok-to-test` as stored facts (access patterns, all under the repository's partition):
 *
 *   approval of a commit        REPO#<owner/repo> / APPROVAL#<sha>       (conditional put: the first
 *                                                                          approval of a commit wins; TTL history_days)
 *   latest /ok-to-test of a PR  REPO#<owner/repo> / OKTOTEST#<pr>        (put only if not older; TTL history_days)
 *
 * The approval item is the approval's claim: whichever comment or delivery writes it first owns
 * the one dispatch of that commit, so two comments (or a comment and a redelivery of it) approving
 * the same sha never dispatch twice. Reads are strongly consistent, unlike the commit index.
 */
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { StoreContext } from './dynamo';
import { getItem, ifCondition, putOnce } from './dynamo';
import { repoKey, ttlAfter } from './keys';

export interface ApprovalItem {
  pk: string;
  sk: string;
  type: 'approval';
  repo: string;
  sha: string;
  pr: number;
  /** Who commented `/ok-to-test`, and when GitHub says they did (`created_at`). */
  by: string;
  commentAt: string;
  /** The delivery that approved it, and the dispatch that runs it (one per commit). */
  deliveryId: string;
  dispatchId: string;
  createdAt: string;
  ttl: number;
}

interface OkToTestItem {
  pk: string;
  sk: string;
  type: 'ok-to-test';
  repo: string;
  pr: number;
  by: string;
  commentAt: string;
  /** The commit it approved, or null when it approved nothing (the head had moved). */
  sha: string | null;
  ttl: number;
}

const approvalSk = (sha: string) => `APPROVAL#${sha.toLowerCase()}`;
const okToTestSk = (pr: number) => `OKTOTEST#${pr}`;

/** Records the approval of a commit unless one exists; returns the stored one either way. */
export async function claimApproval(
  ctx: StoreContext,
  a: Omit<ApprovalItem, 'pk' | 'sk' | 'type' | 'createdAt' | 'ttl'> & { now: Date; ttlDays: number },
): Promise<{ item: ApprovalItem; first: boolean }> {
  const { now, ttlDays, ...rest } = a;
  const item: ApprovalItem = {
    ...rest,
    pk: repoKey(a.repo),
    sk: approvalSk(a.sha),
    type: 'approval',
    createdAt: now.toISOString(),
    ttl: ttlAfter(now, ttlDays),
  };
  const stored = await putOnce(ctx, item);
  return { item: stored.item, first: stored.created };
}

export async function getApproval(ctx: StoreContext, repo: string, sha: string): Promise<ApprovalItem | null> {
  return getItem<ApprovalItem>(ctx, { pk: repoKey(repo), sk: approvalSk(sha) }, { consistent: true });
}

/** Remembers an `/ok-to-test` as the pull request's latest, unless a later one is already stored. */
export async function rememberOkToTest(
  ctx: StoreContext,
  o: { repo: string; pr: number; by: string; commentAt: string; sha: string | null; now: Date; ttlDays: number },
): Promise<void> {
  const item: OkToTestItem = {
    pk: repoKey(o.repo),
    sk: okToTestSk(o.pr),
    type: 'ok-to-test',
    repo: o.repo,
    pr: o.pr,
    by: o.by,
    commentAt: o.commentAt,
    sha: o.sha,
    ttl: ttlAfter(o.now, o.ttlDays),
  };
  await ifCondition(
    ctx.doc.send(
      new PutCommand({
        TableName: ctx.table,
        Item: item,
        // GitHub's ISO times of one format order as strings; a replayed older comment changes nothing.
        ConditionExpression: 'attribute_not_exists(pk) OR commentAt <= :c',
        ExpressionAttributeValues: { ':c': o.commentAt },
      }),
    ),
  );
}

export async function latestOkToTest(ctx: StoreContext, repo: string, pr: number): Promise<OkToTestItem | null> {
  return getItem<OkToTestItem>(ctx, { pk: repoKey(repo), sk: okToTestSk(pr) }, { consistent: true });
}
