/**
 * Which webhook events and actions the coordinator acts on. Everything else is answered
 * `202 {"status":"ignored"}` without being stored or queued.
 */
const HANDLED = {
  push: 'any',
  // The merge queue's temporary commit: checked like a push, so a required check can gate the queue.
  merge_group: ['checks_requested'],
  pull_request: ['opened', 'synchronize', 'reopened', 'closed'],
  issue_comment: ['created'],
  workflow_run: ['requested', 'in_progress', 'completed'],
  workflow_job: ['queued', 'waiting', 'in_progress', 'completed'],
  check_run: ['rerequested', 'requested_action'],
  check_suite: ['rerequested'],
  installation: ['created', 'deleted', 'suspend', 'unsuspend', 'new_permissions_accepted'],
  installation_repositories: ['added', 'removed'],
  // Visibility changes: a repository turning private closes its pages and badges at once.
  repository: ['privatized', 'publicized'],
} as const satisfies Record<string, readonly string[] | 'any'>;

export type HandledEvent = keyof typeof HANDLED;

type EventClass = { handled: true } | { handled: false; reason: string };

export function classifyEvent(event: string, payload: unknown): EventClass {
  // Own keys only: an event named `constructor` is not used either.
  const actions: readonly string[] | 'any' | undefined = Object.hasOwn(HANDLED, event) ? HANDLED[event as HandledEvent] : undefined;
  if (!actions) return { handled: false, reason: `event "${event}" is not used` };
  if (actions === 'any') return { handled: true };
  const action = (payload as { action?: unknown } | null | undefined)?.action;
  if (typeof action !== 'string') return { handled: false, reason: `event "${event}" has no action` };
  if (!actions.includes(action)) return { handled: false, reason: `${event}.${action} is not used` };
  return { handled: true };
}

export const HANDLED_EVENTS = Object.keys(HANDLED) as HandledEvent[];
