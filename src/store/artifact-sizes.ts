/**
 * The name and size of every artifact of a completed run (ARTSIZES#<owner/repo>#<ref> /
 * <ulid>#<attempt>), from the run's artifact list: nothing is downloaded. Read back as the base
 * branch's latest sizes (the summary's growth warning) and as a series per artifact (the
 * dashboard's chart). History: carries `ttl` (the repository's `history_days`). Keys: ./keys.ts.
 */
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { ArtifactSize } from '../core/compare/artifacts';
import type { StoreContext } from './dynamo';
import { queryPage } from './dynamo';
import { artifactSizesKey, runKey } from './keys';

export interface ArtifactSizesItem {
  pk: string;
  sk: string;
  type: 'artifact-sizes';
  repo: string;
  ref: string;
  dispatchId: string;
  attempt: number;
  sha: string;
  sizes: ArtifactSize[];
  createdAt: string;
  ttl: number;
}

/** Unconditional: the same attempt collected again writes the same facts. */
export async function putArtifactSizes(ctx: StoreContext, item: Omit<ArtifactSizesItem, 'pk' | 'sk' | 'type'>): Promise<void> {
  await ctx.doc.send(
    new PutCommand({
      TableName: ctx.table,
      Item: { ...item, pk: artifactSizesKey(item.repo, item.ref), sk: runKey(item.dispatchId, item.attempt), type: 'artifact-sizes' },
    }),
  );
}

/** A ref's recorded runs, newest first. */
export async function listArtifactSizes(ctx: StoreContext, repo: string, ref: string, limit = 50): Promise<ArtifactSizesItem[]> {
  const page = await queryPage<ArtifactSizesItem>(
    ctx,
    { where: 'pk = :pk', values: { ':pk': artifactSizesKey(repo, ref) }, descending: true },
    { limit },
  );
  return page.items;
}

/** The newest run of `ref` other than `dispatchId` (a push to the base branch compares with the run before it). */
export async function latestArtifactSizes(ctx: StoreContext, repo: string, ref: string, dispatchId: string): Promise<ArtifactSizesItem | null> {
  return (await listArtifactSizes(ctx, repo, ref, 5)).find((i) => i.dispatchId !== dispatchId) ?? null;
}
