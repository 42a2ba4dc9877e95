import type { EmitterWebhookEvent } from '@octokit/webhooks';
import * as z from 'zod/mini';
import type { HandledEvent } from '../core/events';
import { PAYLOAD_SHAPES } from '../generated/payload-shapes';
import { githubMessage, httpStatus } from '../github/client';
import type { QueueMessage } from '../queue/queue';
import { correlationKeys } from './correlation';
import type { WorkerDeps } from './deps';
import { onCheckRun } from './on-check-run';
import { onCheckSuite } from './on-check-suite';
import { onInstallation } from './on-installation';
import { onIssueComment } from './on-issue-comment';
import { onPullRequest } from './on-pull-request';
import { onMergeGroup } from './on-merge-group';
import { onPush } from './on-push';
import { onRepository } from './on-repository';
import { onWorkflowJob } from './on-workflow-job';
import { onWorkflowRun } from './on-workflow-run';
import { Outcome } from './outcome';

/** Thrown for a message that can never succeed: it is logged and dropped, not retried. */
export class PoisonMessageError extends Error {
  override name = 'PoisonMessageError';
}

type Handler<E extends HandledEvent> = (deps: WorkerDeps, deliveryId: string, payload: EmitterWebhookEvent<E>['payload'], event: E) => Promise<void>;

/** Each handled event's handler, given the payload @octokit/webhooks describes for that event. */
const HANDLERS: { [E in HandledEvent]: Handler<E> } = {
  push: onPush,
  merge_group: onMergeGroup,
  pull_request: onPullRequest,
  issue_comment: onIssueComment,
  check_run: onCheckRun,
  check_suite: onCheckSuite,
  workflow_run: onWorkflowRun,
  workflow_job: onWorkflowJob,
  installation: onInstallation,
  installation_repositories: onInstallation,
  repository: onRepository,
};

const isHandled = (event: string): event is HandledEvent => Object.hasOwn(HANDLERS, event);

// A validly signed payload is GitHub's, but a handler that meets `ref: {}` or `repository: 5`
// would throw a TypeError deep inside and the message would be retried until it is dead-lettered.
// The checks (src/generated/payload-shapes.ts) cover the fields the handlers read
// (payload-fields.ts) with the types GitHub's webhook schemas give them; anything else passes, so
// a field GitHub adds never drops an event.

/** Why a payload cannot be handled (the first field whose type is wrong), or null when it can. */
export function payloadProblem(event: string, payload: unknown): string | null {
  if (!isHandled(event)) return null;
  const r = z.safeParse(PAYLOAD_SHAPES[event], payload);
  if (r.success) return null;
  const issue = r.error.issues[0];
  return issue ? `${issue.path.map(String).join('.') || '(root)'}: ${issue.message}` : 'unexpected shape';
}

/**
 * GitHub answers that the same request will always get again: our request is wrong (400, 422) or
 * its subject is gone (404, 410). Retrying the message would only repeat them until it is
 * dead-lettered; 401/403/409/429/5xx may pass and are retried.
 */
const PERMANENT_GITHUB_STATUS = new Set([400, 404, 410, 422]);

/**
 * The worker's entry: one queued webhook in, its effects on GitHub and the store out. Throws to
 * have the message retried (GitHub or DynamoDB unavailable); every step is idempotent per delivery.
 * Throws PoisonMessageError for what can never succeed (logged and dropped, not retried): a
 * payload of the wrong shape, a permanent 4xx from GitHub, a TypeError from a handler or a
 * request DynamoDB rejects as invalid.
 */
export async function processMessage(deps: WorkerDeps, msg: QueueMessage): Promise<void> {
  let payload: unknown;
  try {
    payload = JSON.parse(msg.payload);
  } catch {
    throw new PoisonMessageError(`delivery ${msg.deliveryId}: payload is not JSON`);
  }
  if (!payload || typeof payload !== 'object') throw new PoisonMessageError(`delivery ${msg.deliveryId}: payload is not an object`);
  const event = msg.event;
  if (!isHandled(event)) return;
  const problem = payloadProblem(msg.event, payload);
  if (problem) throw new PoisonMessageError(`delivery ${msg.deliveryId}: ${msg.event} payload has an unexpected shape at ${problem}`);
  const action = (payload as { action?: unknown }).action;
  // Every line of this delivery carries these keys (handlers add the dispatch id once known).
  const log = deps.log.child({
    deliveryId: msg.deliveryId,
    event: msg.event,
    ...(typeof action === 'string' ? { action } : {}),
    ...correlationKeys(event, payload),
  });
  const outcome = new Outcome();
  const started = Date.now();
  try {
    // HANDLERS pairs each event with its payload type; the check above vouches for the fields read.
    const handler = HANDLERS[event] as (deps: WorkerDeps, deliveryId: string, payload: unknown, event: HandledEvent) => Promise<void>;
    await handler({ ...deps, log, outcome }, msg.deliveryId, payload, event);
  } catch (err) {
    const failure = asFailure(msg, err);
    // Logged here, under the delivery's keys and with the stack; the queue decides retry or drop.
    log.error(failure instanceof PoisonMessageError ? 'delivery failed for good' : 'delivery failed', { error: failure, ms: Date.now() - started });
    throw failure;
  }
  log.info('processed', { outcome: outcome.toString(), ms: Date.now() - started });
}

function asFailure(msg: QueueMessage, err: unknown): unknown {
  const status = httpStatus(err);
  if (status !== null && PERMANENT_GITHUB_STATUS.has(status)) {
    return new PoisonMessageError(`delivery ${msg.deliveryId}: GitHub answered ${status}: ${githubMessage(err)}`, { cause: err });
  }
  // A payload shape no check above foresaw (a TypeError in a handler, a value DynamoDB refuses):
  // it would fail the same way on every retry.
  if (err instanceof TypeError || (err as Error | null)?.name === 'ValidationException') {
    return new PoisonMessageError(`delivery ${msg.deliveryId}: ${(err as Error).message}`, { cause: err });
  }
  return err;
}
