/**
 * The smoke results a dispatch item carries (its `smoke` attribute): the latest attempt's counts
 * and the rule that decided its conclusion, so lists and badges need no extra read.
 */
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Counts } from '../core/test-results';
import type { DispatchItem } from './dispatches';
import type { StoreContext } from './dynamo';
import { ifCondition } from './dynamo';
import { dispatchSk, repoKey } from './keys';

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
  const r = await ifCondition(
    ctx.doc.send(
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
    ),
  );
  return (r?.Attributes as DispatchItem | undefined) ?? null;
}
