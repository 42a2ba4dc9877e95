import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { StoreContext } from './dynamo';
import { ifCondition, queryAll } from './dynamo';
import { dispatchKey, jobSk } from './keys';

/** One job of a workflow run (a matrix entry), as `workflow_job` events describe it. */
export interface JobItem {
  pk: string;
  sk: string;
  type: 'job';
  dispatchId: string;
  jobId: number;
  runId: number;
  runAttempt: number;
  name: string;
  matrix: string[];
  status: string;
  conclusion: string | null;
  progress: number;
  runnerName: string | null;
  labels: string[];
  htmlUrl: string | null;
  createdAt: string | null;
  startedAt: string | null;
  completedAt: string | null;
  ttl: number;
}

/** Upserts a job unless a later event for it was already stored (out-of-order deliveries). */
export async function recordJob(ctx: StoreContext, job: Omit<JobItem, 'pk' | 'sk' | 'type'>): Promise<JobItem | null> {
  const { dispatchId, jobId, ...rest } = job;
  const fields = { ...rest, dispatchId, jobId, type: 'job' };
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const sets = Object.entries(fields).map(([k, v]) => {
    names[`#${k}`] = k;
    values[`:${k}`] = v ?? null;
    return `#${k} = :${k}`;
  });
  const r = await ifCondition(
    ctx.doc.send(
      new UpdateCommand({
        TableName: ctx.table,
        Key: { pk: dispatchKey(dispatchId), sk: jobSk(jobId) },
        UpdateExpression: `SET ${sets.join(', ')}`,
        ConditionExpression: 'attribute_not_exists(pk) OR #progress < :progress',
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
        ReturnValues: 'ALL_NEW',
      }),
    ),
  );
  return (r?.Attributes as JobItem | undefined) ?? null;
}

export async function listJobs(ctx: StoreContext, dispatchId: string): Promise<JobItem[]> {
  // A matrix rarely exceeds a page, but a 256-job matrix is allowed by GitHub: follow the pages.
  const items = await queryAll<JobItem>(ctx, {
    where: 'pk = :pk AND begins_with(sk, :p)',
    values: { ':pk': dispatchKey(dispatchId), ':p': 'JOB#' },
    consistent: true,
  });
  return items.sort((a, b) => a.jobId - b.jobId);
}
