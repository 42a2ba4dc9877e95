import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { encodeTime } from 'ulid';
import { labelSetKey, statsByLabelSet, type LabelSetStats, type TimingSample } from '../core/percentiles';
import type { StoreContext } from './dynamo';
import { queryAll, queryPage } from './dynamo';
import { statsKey, ttlAfter } from './keys';

/**
 * Queue time (dispatch → job start) and run time (start → end) of each job, one small item per
 * job keyed by its dispatch id (a ULID, so the sort key is time-ordered) and kept a little longer
 * than the 7-day window the stats API reports on. Percentiles need the samples themselves: they
 * cannot be merged from daily aggregates.
 */
export const STATS_WINDOW_DAYS = 7;
const STATS_TTL_DAYS = STATS_WINDOW_DAYS + 1;
/** A repository running more jobs than this a week is reported on its most recent ones. */
const MAX_SAMPLES = 20_000;

export interface JobTimingItem {
  pk: string;
  sk: string;
  type: 'job-timing';
  repo: string;
  dispatchId: string;
  jobId: number;
  labels: string[];
  runnerName: string | null;
  queueSeconds?: number;
  durationSeconds?: number;
  at: string;
  ttl: number;
}

/** Records what is known of a job's timing; a redelivered event writes the same values again. */
export async function recordJobTiming(
  ctx: StoreContext,
  t: {
    repo: string;
    dispatchId: string;
    jobId: number;
    labels: string[];
    runnerName: string | null;
    queueSeconds?: number | null;
    durationSeconds?: number | null;
    now: Date;
  },
): Promise<void> {
  const values: Record<string, unknown> = {
    ':type': 'job-timing',
    ':repo': t.repo,
    ':did': t.dispatchId,
    ':jid': t.jobId,
    ':labels': labelSetKey(t.labels),
    ':runner': t.runnerName,
    ':at': t.now.toISOString(),
    ':ttl': ttlAfter(t.now, STATS_TTL_DAYS),
  };
  const sets = ['#type = :type', '#repo = :repo', 'dispatchId = :did', 'jobId = :jid', 'labels = :labels', 'runnerName = :runner', '#at = :at', '#ttl = :ttl'];
  if (t.queueSeconds != null) {
    values[':q'] = t.queueSeconds;
    sets.push('queueSeconds = :q');
  }
  if (t.durationSeconds != null) {
    values[':d'] = t.durationSeconds;
    sets.push('durationSeconds = :d');
  }
  await ctx.doc.send(
    new UpdateCommand({
      TableName: ctx.table,
      Key: { pk: statsKey(t.repo), sk: `${t.dispatchId}#${t.jobId}` },
      UpdateExpression: `SET ${sets.join(', ')}`,
      ExpressionAttributeNames: { '#type': 'type', '#repo': 'repo', '#at': 'at', '#ttl': 'ttl' },
      ExpressionAttributeValues: values,
    }),
  );
}

/** Timings of jobs dispatched since `since`, newest first. */
export async function jobTimingsSince(ctx: StoreContext, repo: string, since: Date): Promise<JobTimingItem[]> {
  const items = await queryAll<JobTimingItem>(
    ctx,
    { where: 'pk = :pk AND sk >= :from', values: { ':pk': statsKey(repo), ':from': encodeTime(since.getTime(), 10) }, descending: true },
    MAX_SAMPLES,
  );
  return items.slice(0, MAX_SAMPLES);
}

interface RepoStats {
  repo: string;
  window: { days: number; from: string; to: string };
  labelSets: LabelSetStats[];
}

/** p50/p90 of queue time and job duration per label set over the last 7 days. */
export async function repoStats(ctx: StoreContext, repo: string, now: Date): Promise<RepoStats> {
  const from = new Date(now.getTime() - STATS_WINDOW_DAYS * 86_400_000);
  const items = await jobTimingsSince(ctx, repo, from);
  const samples: TimingSample[] = items.map((i) => ({
    labels: i.labels,
    queueSeconds: i.queueSeconds ?? null,
    durationSeconds: i.durationSeconds ?? null,
  }));
  return {
    repo,
    window: { days: STATS_WINDOW_DAYS, from: from.toISOString(), to: now.toISOString() },
    labelSets: statsByLabelSet(samples),
  };
}

/** The newest `limit` job timings (one query, one page), for sparklines that need recent runs, not the whole window. */
export async function recentJobTimings(ctx: StoreContext, repo: string, limit = 100): Promise<JobTimingItem[]> {
  const page = await queryPage<JobTimingItem>(ctx, { where: 'pk = :pk', values: { ':pk': statsKey(repo) }, descending: true }, { limit });
  return page.items;
}
