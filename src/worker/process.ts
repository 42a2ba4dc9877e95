// A namespace import lets esbuild tree-shake zod/mini; `import { z }` pulls in all of zod (~420 KB).
import * as z from 'zod/mini';
import { githubMessage, httpStatus } from '../github/client';
import type { QueueMessage } from '../queue/queue';
import type { WorkerDeps } from './deps';
import { onCheckRun } from './on-check-run';
import { onCheckSuite } from './on-check-suite';
import { onInstallation } from './on-installation';
import { onIssueComment } from './on-issue-comment';
import { onPullRequest } from './on-pull-request';
import { onPush } from './on-push';
import { onRepository } from './on-repository';
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
  repository: onRepository,
};

/** Registers more handlers (slash commands, re-runs) without this module knowing them. */
export function registerHandler(event: string, handler: Handler): void {
  HANDLERS[event] = handler;
}

// ---- Payload shapes -------------------------------------------------------------------------
// A validly signed payload is GitHub's, but a handler that meets `ref: {}` or `repository: 5`
// would throw a TypeError deep inside and the message would be retried until it is dead-lettered.
// These checks cover the fields the handlers read without checking, with the types they assume;
// anything else passes through (looseObject), so a field GitHub adds never drops an event.
const str = z.string();
// GitHub's ids and numbers are positive integers; DynamoDB refuses some other numbers (underflow).
const num = z.int().check(z.positive());
const opt = <T extends z.ZodMiniType>(t: T) => z.optional(z.nullable(t));
const login = z.looseObject({ login: str, type: opt(str) });
const repository = z.looseObject({
  name: str,
  full_name: str,
  owner: z.looseObject({ login: str }),
  private: opt(z.boolean()),
  default_branch: opt(str),
});
const installation = z.looseObject({ id: num });
const common = { action: z.optional(str), repository, installation: z.optional(installation), sender: opt(login) };
const listedRepo = z.looseObject({ full_name: str, private: z.boolean() });

const SHAPES: Record<string, z.ZodMiniType> = {
  push: z.looseObject({
    ...common,
    ref: str,
    after: str,
    before: opt(str),
    deleted: opt(z.boolean()),
    pusher: opt(z.looseObject({ name: opt(str) })),
  }),
  pull_request: z.looseObject({
    ...common,
    action: str,
    before: opt(str),
    pull_request: z.looseObject({
      number: num,
      state: str,
      draft: opt(z.boolean()),
      merged: opt(z.boolean()),
      user: opt(login),
      author_association: opt(str),
      head: z.looseObject({ sha: str, ref: str, repo: opt(z.looseObject({ full_name: str })) }),
      base: z.looseObject({ ref: str, repo: z.looseObject({ full_name: str }) }),
    }),
  }),
  issue_comment: z.looseObject({
    ...common,
    action: str,
    issue: z.looseObject({ number: num }),
    comment: z.looseObject({ id: num, body: opt(str), user: opt(login), created_at: opt(str) }),
  }),
  check_run: z.looseObject({
    ...common,
    action: str,
    requested_action: opt(z.looseObject({ identifier: opt(str) })),
    check_run: z.looseObject({ id: num, head_sha: str, external_id: opt(str) }),
  }),
  check_suite: z.looseObject({ ...common, action: str, check_suite: z.looseObject({ head_sha: str }) }),
  workflow_run: z.looseObject({
    ...common,
    workflow_run: z.looseObject({
      id: num,
      status: opt(str),
      conclusion: opt(str),
      run_attempt: opt(num),
      html_url: opt(str),
      display_title: opt(str),
      event: opt(str),
      head_sha: opt(str),
      run_started_at: opt(str),
      updated_at: opt(str),
      pull_requests: opt(z.array(z.looseObject({ number: num }))),
    }),
  }),
  workflow_job: z.looseObject({
    ...common,
    workflow_job: z.looseObject({
      id: num,
      run_id: num,
      run_attempt: opt(num),
      name: str,
      status: str,
      conclusion: opt(str),
      runner_name: opt(str),
      labels: opt(z.array(str)),
      html_url: opt(str),
      created_at: opt(str),
      started_at: opt(str),
      completed_at: opt(str),
    }),
  }),
  installation: z.looseObject({ action: str, installation, repositories: opt(z.array(listedRepo)) }),
  repository: z.looseObject({ ...common, action: str }),
  installation_repositories: z.looseObject({
    action: str,
    installation,
    repositories_added: opt(z.array(listedRepo)),
    repositories_removed: opt(z.array(listedRepo)),
  }),
};

/** Why a payload cannot be handled (the first field whose type is wrong), or null when it can. */
export function payloadProblem(event: string, payload: unknown): string | null {
  const shape = SHAPES[event];
  if (!shape) return null;
  const r = z.safeParse(shape, payload);
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
  const handler = HANDLERS[msg.event];
  if (!handler) return;
  const problem = payloadProblem(msg.event, payload);
  if (problem) throw new PoisonMessageError(`delivery ${msg.deliveryId}: ${msg.event} payload has an unexpected shape at ${problem}`);
  const action = (payload as { action?: unknown }).action;
  const log = deps.log.child({ deliveryId: msg.deliveryId, event: msg.event, action });
  const started = Date.now();
  try {
    await handler({ ...deps, log }, msg.deliveryId, payload, msg.event);
  } catch (err) {
    const status = httpStatus(err);
    if (status !== null && PERMANENT_GITHUB_STATUS.has(status)) {
      throw new PoisonMessageError(`delivery ${msg.deliveryId}: GitHub answered ${status}: ${githubMessage(err)}`, { cause: err });
    }
    // A payload shape no check above foresaw (a TypeError in a handler, a value DynamoDB refuses):
    // it would fail the same way on every retry.
    if (err instanceof TypeError || (err as Error | null)?.name === 'ValidationException') {
      throw new PoisonMessageError(`delivery ${msg.deliveryId}: ${(err as Error).message}`, { cause: err });
    }
    throw err;
  }
  log.info('processed', { ms: Date.now() - started });
}
