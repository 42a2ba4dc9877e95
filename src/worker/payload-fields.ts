/**
 * The payload fields the worker's handlers read, per event: what the shape check before a handler
 * runs guards (process.ts `payloadProblem`). A validly signed payload is GitHub's, but a handler
 * that met `ref: {}` or `repository: 5` would throw deep inside, and the message would be retried
 * until dead-lettered.
 *
 * Not shipped itself: scripts/generate-payload-shapes.ts takes each event's schema from
 * GitHub's webhook description (@octokit/openapi-webhooks, the source of @octokit/webhooks'
 * types), keeps only these paths with their types, and writes src/generated/payload-shapes.ts.
 * A handler that starts reading a field adds its path here and runs `npm run generate`.
 *
 * Paths are dotted; `[]` steps into an array's items; a `?` after a name says the handler copes
 * when it is absent or null (`?.`, `??`). Types come from GitHub's schema, presence from here.
 */
import type { HandledEvent } from '../core/events';

const REPOSITORY = ['repository.name', 'repository.full_name', 'repository.owner.login', 'repository.private?', 'repository.default_branch?'];
/** What repoRef (deps.ts) and the actor of a run read from every repository event. */
const REPO_EVENT = [...REPOSITORY, 'installation?.id', 'sender?.login', 'sender?.type?'];
/** Handlers of workflow events never look at the action. */
const WORKFLOW_EVENT = ['action?', ...REPO_EVENT];
const COMMON = ['action', ...REPO_EVENT];

export const PAYLOAD_FIELDS: Record<HandledEvent, readonly string[]> = {
  push: [...REPO_EVENT, 'ref', 'after', 'before?', 'deleted?', 'pusher?.name?'],
  // GitHub's schema lets a merge_group's repository be absent: repoRef then answers null and it is dropped.
  merge_group: [
    'action',
    ...REPOSITORY.map((p) => p.replace(/^repository\./, 'repository?.')),
    'installation?.id',
    'sender?.login',
    'sender?.type?',
    'merge_group.head_sha',
    'merge_group.head_ref',
    'merge_group.base_ref',
  ],
  pull_request: [
    ...COMMON,
    'before?',
    'pull_request.number',
    'pull_request.state',
    'pull_request.draft?',
    'pull_request.merged?',
    'pull_request.user?.login',
    'pull_request.user?.type?',
    'pull_request.author_association?',
    'pull_request.head.sha',
    'pull_request.head.ref',
    'pull_request.head.repo?.full_name',
    'pull_request.base.ref',
    'pull_request.base.repo.full_name',
  ],
  issue_comment: [...COMMON, 'issue.number', 'comment.id', 'comment.body?', 'comment.user?.login', 'comment.user?.type?', 'comment.created_at?'],
  check_run: [...COMMON, 'requested_action?.identifier?', 'check_run.id', 'check_run.head_sha', 'check_run.external_id?'],
  check_suite: [...COMMON, 'check_suite.head_sha'],
  workflow_run: [
    ...WORKFLOW_EVENT,
    'workflow_run.id',
    'workflow_run.status?',
    'workflow_run.conclusion?',
    'workflow_run.run_attempt?',
    'workflow_run.html_url?',
    'workflow_run.display_title?',
    'workflow_run.event?',
    'workflow_run.head_sha?',
    'workflow_run.run_started_at?',
    'workflow_run.updated_at?',
    'workflow_run.pull_requests?[].number',
  ],
  workflow_job: [
    ...WORKFLOW_EVENT,
    'workflow_job.id',
    'workflow_job.run_id',
    'workflow_job.run_attempt?',
    'workflow_job.name',
    'workflow_job.status',
    'workflow_job.conclusion?',
    'workflow_job.runner_name?',
    'workflow_job.labels?[]',
    'workflow_job.html_url?',
    'workflow_job.created_at?',
    'workflow_job.started_at?',
    'workflow_job.completed_at?',
  ],
  installation: ['action', 'installation.id', 'repositories?[].full_name', 'repositories?[].private'],
  installation_repositories: [
    'action',
    'installation.id',
    'repositories_added?[].full_name',
    'repositories_added?[].private',
    // GitHub's schema of the `added` action leaves these open (its list is empty).
    'repositories_removed?[].full_name?',
    'repositories_removed?[].private?',
  ],
  repository: COMMON,
};
