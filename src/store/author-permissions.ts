/**
 * A fork author's repository permission, as GitHub answered it for one pull request and head
 * commit, so the trust rule asks GitHub once per pull request and head however many events and
 * commands of that head need it:
 *
 *   author permission           REPO#<owner/repo> / AUTHORPERM#<pr>#<sha>#<login>   (put; TTL 7 days)
 *
 * A new head asks again, so a permission taken away counts from the next push on.
 */
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { StoreContext } from './dynamo';
import { getItem } from './dynamo';
import { repoKey, ttlAfter } from './keys';

/** Long enough for a pull request's events and comments on one head; a new head asks again. */
const TTL_DAYS = 7;

interface AuthorPermissionItem {
  pk: string;
  sk: string;
  type: 'author-permission';
  login: string;
  permission: string;
  fetchedAt: string;
  ttl: number;
}

const sk = (pr: number, sha: string, login: string) => `AUTHORPERM#${pr}#${sha.toLowerCase()}#${login.toLowerCase()}`;

export async function getAuthorPermission(
  ctx: StoreContext,
  k: { repo: string; pr: number; sha: string; login: string },
): Promise<string | null> {
  const item = await getItem<AuthorPermissionItem>(ctx, { pk: repoKey(k.repo), sk: sk(k.pr, k.sha, k.login) }, { consistent: false });
  return item?.permission ?? null;
}

export async function putAuthorPermission(
  ctx: StoreContext,
  p: { repo: string; pr: number; sha: string; login: string; permission: string; now: Date },
): Promise<void> {
  const item: AuthorPermissionItem = {
    pk: repoKey(p.repo),
    sk: sk(p.pr, p.sha, p.login),
    type: 'author-permission',
    login: p.login,
    permission: p.permission,
    fetchedAt: p.now.toISOString(),
    ttl: ttlAfter(p.now, TTL_DAYS),
  };
  await ctx.doc.send(new PutCommand({ TableName: ctx.table, Item: item }));
}
