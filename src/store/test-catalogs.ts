/**
 * A ref's tests with their names (CATALOG#<owner/repo> / <catalog id>#<part>): content-addressed
 * (./test-pack.ts), so runs and refs with the same tests share one, and it is written only when
 * the set of tests changes. History: carries `ttl`, moved forward when a run reuses it. Keys: ./keys.ts.
 */
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { StoreContext } from './dynamo';
import { batchGet, getItem } from './dynamo';
import { catalogKey, catalogSk } from './keys';
import { decodeCatalog, joinParts, splitParts, type CatalogTest } from './test-pack';

export interface CatalogItem {
  pk: string;
  sk: string;
  type: 'test-catalog';
  repo: string;
  catalog: string;
  /** Parts in all (on part 0). */
  parts: number;
  tests: number;
  data: Uint8Array;
  ttl: number;
}

/**
 * Writes the catalog unless part 0 already exists with a TTL at least `ttl - slack` (one read).
 * Returns the items written.
 */
export async function putCatalogOnce(
  ctx: StoreContext,
  c: { repo: string; id: string; bytes: Uint8Array; tests: number; ttl: number },
): Promise<number> {
  const existing = await getItem<Pick<CatalogItem, 'ttl'>>(ctx, { pk: catalogKey(c.repo), sk: catalogSk(c.id, 0) }, { consistent: false });
  // A catalog outlives every run that names it: refresh it when it would expire within a week of them.
  if (existing && existing.ttl >= c.ttl - 7 * 86_400) return 0;
  const parts = splitParts(c.bytes);
  // The last part first: a reader that finds part 0 finds them all.
  for (let i = parts.length - 1; i >= 0; i--) {
    const item: CatalogItem = {
      pk: catalogKey(c.repo),
      sk: catalogSk(c.id, i),
      type: 'test-catalog',
      repo: c.repo,
      catalog: c.id,
      parts: parts.length,
      tests: c.tests,
      data: parts[i]!,
      ttl: c.ttl,
    };
    await ctx.doc.send(new PutCommand({ TableName: ctx.table, Item: item }));
  }
  return parts.length;
}

/** The catalog's tests, or null when it is gone (expired). */
export async function getCatalog(ctx: StoreContext, repo: string, id: string): Promise<CatalogTest[] | null> {
  const first = await getItem<CatalogItem>(ctx, { pk: catalogKey(repo), sk: catalogSk(id, 0) }, { consistent: false });
  if (!first) return null;
  const rest =
    first.parts > 1
      ? await batchGet<CatalogItem>(
          ctx,
          Array.from({ length: first.parts - 1 }, (_, i) => ({ pk: catalogKey(repo), sk: catalogSk(id, i + 1) })),
          { consistent: false },
        )
      : [];
  if (rest.length !== first.parts - 1) return null;
  const ordered = [first, ...rest.sort((a, b) => partOf(a.sk) - partOf(b.sk))];
  return decodeCatalog(joinParts(ordered.map((p) => p.data)));
}

const partOf = (sk: string) => Number(sk.slice(sk.lastIndexOf('#') + 1));
