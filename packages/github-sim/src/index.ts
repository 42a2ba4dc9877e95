/**
 * GitHub stand-in: a local HTTP server that answers like api.github.com for the endpoints the
 * coordinator calls, and rejects what GitHub would reject. Used by integration tests and by the
 * sandbox mode (`npm start` without APP_ID). Never used when APP_ID is set.
 *
 * Start and stop
 *   const gh = await startGitHubStandIn({ app: { id: 1, publicKeyPem }, repos: [seed], webhook: { target, secret } });
 *   gh.url            → base URL for GITHUB_API_URL (http://127.0.0.1:<port>)
 *   gh.fetch(req)     → the same server without a socket
 *   await gh.settled()→ waits for background webhook deliveries / auto-played runs
 *   await gh.close()
 *
 * Every request is validated against `@octokit/openapi` (api.github.com) before anything else:
 *   - unknown route → 404 {"message":"Not Found"}; invalid parameters/body → 422 {"message":"Invalid request.\n\n…"};
 *   - each is appended to `gh.violations` (kind 'spec'); GitHub's own rules the description does not
 *     carry (unexpected dispatch inputs, completed check run without conclusion, …) are 422s with kind 'semantic'.
 *   - `gh.requests` records every request ({ method, path, query, body, status, at, operationId }).
 *   - operations GitHub has but the stand-in does not implement answer 404 and land in `gh.unimplemented`.
 *
 * Auth (like GitHub)
 *   - `/app/**` and `GET /repos/{o}/{r}/installation` need `Authorization: Bearer <App JWT>`: RS256, `iss` = the
 *     seeded app id, signature checked when `publicKeyPem` was seeded, iat/exp checked against the real clock
 *     (`opts.jwtNow`). `POST /app/installations/{id}/access_tokens` → 201 { token, expires_at } (TTL `opts.tokenTtlMs`,
 *     default 1 h of `opts.now`); `gh.tokensIssued` counts them.
 *   - everything else needs `token <t>` / `Bearer <t>`: unknown or expired → 401 Bad credentials; a repository the
 *     token's installation does not cover (or that is not seeded) → 404 Not Found, as GitHub hides it.
 *
 * Seeding (also `opts.app`, `opts.repos`)
 *   gh.seedApp({ id, slug?, name?, publicKeyPem?, permissions?, events?, hook?: { url, secret? }, owner?, clientId? })
 *     (generateAppKeys() → { privateKey, publicKey } for the App)
 *
 * Manifest flow (registering an App)
 *   POST /settings/apps/new?state=… (or /organizations/{org}/settings/apps/new), form field `manifest` → 302 to the
 *   manifest's redirect_url with ?code&state; POST /app-manifests/{code}/conversions (no auth, once) → 201 with
 *   id, slug, pem, webhook_secret, client_id, client_secret; the App is then the one the stand-in models.
 *   The REST API also answers under /api/v3 (GitHub Enterprise Server's base path).
 *   gh.seedRepo({ owner, name, installationId, private?, defaultBranch?, files?, filesAt?, workflows?, branches?,
 *                 collaborators?, pulls?, runners?, orgRunners? })  → RepoRecord
 *     workflows: [{ file: 'arm64-ci.yml', name?, runName?: 'arm64 CI ${{ inputs.dispatch_id }}',
 *                   inputs?: { sha: { required: true }, … } }]   (no `inputs` → no workflow_dispatch trigger)
 *   gh.setBranch(owner, repo, branch, sha | null)
 *   await gh.setVisibility(owner, repo, 'private' | 'public', { deliver? })  → delivers repository.privatized / publicized
 *
 * Reading what the coordinator did
 *   gh.checkRuns(owner, repo) (each with `history` of POST/PATCH bodies, appended `annotations`, `output`)
 *   gh.workflowRuns(owner, repo) · gh.dispatches · gh.comments (posted by the App) · gh.reactions · gh.cancelled
 *   gh.deliveries (the webhook delivery log) · gh.state (everything)
 *
 * Rate limit and conditional requests (as GitHub: https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api)
 *   - every installation-token answer carries `x-ratelimit-limit/-remaining/-used/-reset/-resource` for
 *     that installation (limit `opts.rateLimit`, default 5,000 an hour of `opts.now`); once it is used up
 *     requests get 403 "API rate limit exceeded for installation ID N."
 *   - every 200 to a GET carries an `ETag`; the same ETag in `If-None-Match` → 304, no body, not counted.
 *   - `gh.rateLimitedRequests(installationId?)` lists the counted requests (`rec.rateLimited`);
 *     `gh.rateLimit(id)` → { limit, remaining, used, resetAt }; `gh.setRateLimit(id, { remaining?, limit? })`.
 *
 * Fault injection
 *   gh.failNext({ method?, pathPattern?, status, times?, headers?, body? })
 *     defaults: 403 → secondary-rate-limit message + retry-after; 429 → rate limit + retry-after/x-ratelimit-*;
 *     5xx → {"message":"Server Error"}.
 *
 * Webhooks
 *   gh.webhookTarget = url | fetchLike | { fetch, url }     (or opts.webhook.target); gh.webhookSecret
 *   gh.events.pushEvent / pullRequestEvent / issueCommentEvent / workflowRunEvent / workflowJobEvent /
 *     checkRunEvent / checkSuiteEvent / installationEvent / installationRepositoriesEvent /
 *     repositoryEvent → { event, payload }
 *   await gh.deliver(ev) → { deliveryId, id, status, body }  (signed X-Hub-Signature-256, logged)
 *   signAndDeliver(target, { event, payload, secret, deliveryId?, state? }) for use without a stand-in
 *   `GET /app/hook/deliveries` serves the log (cursor pagination); `POST …/{id}/attempts` redelivers (same guid).
 *
 * Playing workflow runs (each step updates state and delivers the matching webhook when a target is set)
 *   gh.requestRun(runId) · gh.queueJob(runId, { name, labels? }) → JobRecord · gh.startRun(runId)
 *   gh.startJob(jobId, { runnerName? }) · gh.completeJob(jobId, conclusion) · gh.addArtifact(runId, { name, files })
 *   gh.completeRun(runId, conclusion?) · gh.play(runId, script, { delayMs? })
 *   gh.rerunRun(runId) → a new attempt of a finished run (run_attempt + 1, workflow_run.requested again)
 *   gh.deleteRun(runId) → the run is gone (GET 404, not listed), as when a maintainer deletes it; no webhook
 *   runners: seeded per repository (`runners`) and per organization (`orgRunners`); change them in place
 *     (gh.state.repo(o, r)!.runners[i].status = 'offline', .busy = true). `GET /orgs/{org}/actions/runners`
 *     answers 404 for a personal account's installation, as GitHub does.
 *   artifact zips: `GET …/artifacts/{id}/zip` answers 302 to a one-minute `/_standin/artifacts/…` link (410 once expired)
 *   opts.autoPlay = { script | (run) => script, delayMs? } plays every dispatched run in the background.
 */
export { startGitHubStandIn, GitHubStandIn } from './server';
export type { StandInOptions } from './server';
export type { RecordedRequest, Violation } from './pipeline';
export type { PlayScript } from './play';
export type { Fault } from './faults';
export type { RateLimitStatus } from './rate-limit';
export { validateRequest, validateResponse, validateWebhookPayload } from './validate';
export type { ValidationResult, RequestToValidate } from './validate';
export { findOperation } from './find-operation';
export type { MatchedOperation } from './find-operation';
export { loadSpec, specExample } from './openapi-spec';
export { examplePayload } from './webhook-examples';
export { eventBuilders } from './event-builders';
export type { EventBuilders } from './event-builders';
export { signAndDeliver, DEFAULT_HOOK_URL } from './sign-and-deliver';
export type { WebhookEvent, WebhookTarget, FetchLike, DeliveryResult, SignAndDeliverOptions } from './sign-and-deliver';
export { StandInState, fakeSha, randomSha, permissionRank } from './state';
export type {
  SeedApp,
  SeedRepo,
  SeedWorkflow,
  SeedWorkflowInput,
  SeedPull,
  SeedRunner,
  Permission,
  Conclusion,
  RepoRecord,
  WorkflowRecord,
  RunnerRecord,
  CheckRunRecord,
  CheckRunHistoryEntry,
  WorkflowRunRecord,
  JobRecord,
  ArtifactRecord,
  DispatchRecord,
  CommentRecord,
  ReactionRecord,
  CancelRecord,
  TokenRecord,
  DeliveryRecord,
  ManifestCodeRecord,
} from './records';
export { matchesCreated, renderRunName } from './routes';
export { zipFiles } from './zip';
export { generateAppKeys } from './keys';
