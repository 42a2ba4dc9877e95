import type { QueueMessage } from '../queue/queue';
import type { WorkerDeps } from './deps';
import { onCheckRun } from './on-check-run';
import { onCheckSuite } from './on-check-suite';
import { onInstallation } from './on-installation';
import { onIssueComment } from './on-issue-comment';
import { onPullRequest } from './on-pull-request';
import { onPush } from './on-push';
import { onWorkflowJob } from './on-workflow-job';
import { onWorkflowRun } from './on-workflow-run';

/** Thrown for a message that can never succeed: it is logged and dropped, not retried. */
export class PoisonMessageError extends Error {
  override name = 'PoisonMessageError';
}

type Handler = (deps: WorkerDeps, deliveryId: string, payload: any, event: any) => Promise<void>;

const HANDLERS: Record<string, Handler> = {
  push: onPush,
  pull_request: onPullRequest,
  issue_comment: onIssueComment,
  check_run: onCheckRun,
  check_suite: onCheckSuite,
  workflow_run: onWorkflowRun,
  workflow_job: onWorkflowJob,
  installation: onInstallation,
  installation_repositories: onInstallation,
};

/** Registers more handlers (slash commands, re-runs) without this module knowing them. */
export function registerHandler(event: string, handler: Handler): void {
  HANDLERS[event] = handler;
}

/**
 * The worker's entry: one queued webhook in, its effects on GitHub and the store out. Throws to
 * have the message retried (GitHub or DynamoDB unavailable); every step is idempotent per delivery.
 */
export async function processMessage(deps: WorkerDeps, msg: QueueMessage): Promise<void> {
  let payload: unknown;
  try {
    payload = JSON.parse(msg.payload);
  } catch {
    throw new PoisonMessageError(`delivery ${msg.deliveryId}: payload is not JSON`);
  }
  if (!payload || typeof payload !== 'object') throw new PoisonMessageError(`delivery ${msg.deliveryId}: payload is not an object`);
  const handler = HANDLERS[msg.event];
  if (!handler) return;
  const log = deps.log.child({ deliveryId: msg.deliveryId, event: msg.event, action: (payload as { action?: unknown }).action });
  const started = Date.now();
  await handler({ ...deps, log }, msg.deliveryId, payload, msg.event);
  log.info('processed', { ms: Date.now() - started });
}
