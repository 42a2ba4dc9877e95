/**
 * The stand-in's vocabulary, in GitHub's terms: what tests seed (`Seed*`) and the records the
 * stand-in keeps for them and for everything the API creates (`*Record`). `StandInState`
 * (state.ts) holds them.
 */

export type Permission = 'admin' | 'maintain' | 'write' | 'triage' | 'read' | 'none';
export type Conclusion =
  | 'success'
  | 'failure'
  | 'neutral'
  | 'cancelled'
  | 'skipped'
  | 'timed_out'
  | 'action_required'
  | 'stale';

export interface SeedApp {
  id: number;
  slug?: string;
  name?: string;
  /** PEM public key; when given, App JWTs must carry a valid RS256 signature from its private key. */
  publicKeyPem?: string;
  /** The App's permissions (`GET /app`); default: what the stand-in has always answered. */
  permissions?: Record<string, string>;
  /** The events the App subscribes to (`GET /app`). */
  events?: string[];
  /** The App's webhook (`GET /app/hook/config`): its URL and whether a secret is set. */
  hook?: { url: string; secret?: boolean; active?: boolean };
  /** The owner shown on `GET /app`; default the example's. */
  owner?: { login: string; type: 'User' | 'Organization' };
  clientId?: string;
}

/** A manifest posted to the "new App" page, waiting for `POST /app-manifests/{code}/conversions`. */
export interface ManifestCodeRecord {
  code: string;
  manifest: Record<string, any>;
  owner: { login: string; type: 'User' | 'Organization' };
  createdAt: Date;
  /** Set once converted: a code is good for one conversion. */
  used: boolean;
}

export interface SeedWorkflowInput {
  required?: boolean;
  default?: string;
  /** GitHub's input types; values of `string`/`choice`/`environment` inputs must be JSON strings. */
  type?: 'string' | 'boolean' | 'number' | 'choice' | 'environment';
  options?: string[];
}

export interface SeedWorkflow {
  /** File name under .github/workflows, also accepted as `workflow_id`. */
  file: string;
  /** Workflow `name:`; defaults to the file name. */
  name?: string;
  /** `run-name:` template, e.g. `arm64 CI ${{ inputs.dispatch_id }}`; defaults to the workflow name. */
  runName?: string;
  /** `workflow_dispatch` inputs; omit `inputs` entirely for a workflow without a dispatch trigger. */
  inputs?: Record<string, SeedWorkflowInput>;
  /** false → the workflow has no `workflow_dispatch` trigger (dispatching it answers 422). */
  dispatchable?: boolean;
  state?: 'active' | 'disabled_manually';
}

export interface SeedPull {
  number: number;
  headSha: string;
  headRef?: string;
  /** `owner/name` of the head repository; a different one than the base makes it a fork PR. */
  headRepo?: string;
  baseRef?: string;
  user?: string;
  authorAssociation?: string;
  title?: string;
  body?: string;
  state?: 'open' | 'closed';
  draft?: boolean;
  merged?: boolean;
}

export interface SeedRunner {
  id?: number;
  name: string;
  labels: string[];
  status?: 'online' | 'offline';
  busy?: boolean;
  os?: string;
}

export interface SeedRepo {
  owner: string;
  name: string;
  id?: number;
  private?: boolean;
  ownerType?: 'User' | 'Organization';
  defaultBranch?: string;
  installationId: number;
  /** Files on every ref unless overridden by `filesAt` (paths without a leading slash). */
  files?: Record<string, string>;
  /** Per branch or commit sha: files that differ from `files` (null = absent on that ref). */
  filesAt?: Record<string, Record<string, string | null>>;
  workflows?: SeedWorkflow[];
  /** branch → head sha; the default branch gets a generated sha when missing. */
  branches?: Record<string, string>;
  collaborators?: Record<string, Permission>;
  pulls?: SeedPull[];
  runners?: SeedRunner[];
  /** Runners of the owner organization (`GET /orgs/{org}/actions/runners`). */
  orgRunners?: SeedRunner[];
}

export interface WorkflowRecord extends Required<Pick<SeedWorkflow, 'file' | 'name'>> {
  id: number;
  runName?: string;
  inputs?: Record<string, SeedWorkflowInput>;
  dispatchable: boolean;
  state: 'active' | 'disabled_manually';
  path: string;
  createdAt: Date;
}

export interface RunnerRecord {
  id: number;
  name: string;
  labels: string[];
  status: 'online' | 'offline';
  busy: boolean;
  os: string;
}

export interface RepoRecord {
  id: number;
  owner: string;
  ownerId: number;
  ownerType: 'User' | 'Organization';
  name: string;
  fullName: string;
  private: boolean;
  defaultBranch: string;
  installationId: number;
  files: Record<string, string>;
  filesAt: Record<string, Record<string, string | null>>;
  workflows: WorkflowRecord[];
  branches: Record<string, string>;
  collaborators: Record<string, Permission>;
  pulls: SeedPull[];
  runners: RunnerRecord[];
  createdAt: Date;
}

export interface CheckRunHistoryEntry {
  method: 'POST' | 'PATCH';
  body: Record<string, unknown>;
  at: Date;
}

export interface CheckRunRecord {
  id: number;
  repo: string; // full name
  name: string;
  headSha: string;
  status: 'queued' | 'in_progress' | 'completed' | 'waiting' | 'requested' | 'pending';
  conclusion: Conclusion | null;
  detailsUrl: string | null;
  externalId: string | null;
  startedAt: Date | null;
  completedAt: Date | null;
  output: { title: string | null; summary: string | null; text: string | null };
  /** Every annotation ever sent; GitHub appends across PATCHes. */
  annotations: Record<string, unknown>[];
  actions: { label: string; description: string; identifier: string }[];
  /** The POST and each PATCH body, in order. */
  history: CheckRunHistoryEntry[];
  createdAt: Date;
}

export interface JobRecord {
  id: number;
  runId: number;
  repo: string;
  name: string;
  status: 'queued' | 'in_progress' | 'completed' | 'waiting';
  conclusion: Conclusion | null;
  labels: string[];
  runnerId: number | null;
  runnerName: string | null;
  createdAt: Date;
  startedAt: Date | null;
  completedAt: Date | null;
}

export interface ArtifactRecord {
  id: number;
  runId: number;
  repo: string;
  name: string;
  files: Record<string, string>;
  zip: Uint8Array;
  createdAt: Date;
  expiresAt: Date;
}

export interface WorkflowRunRecord {
  id: number;
  repo: string;
  workflowId: number;
  workflowFile: string;
  workflowName: string;
  displayTitle: string;
  headSha: string;
  headBranch: string | null;
  event: string;
  status: 'requested' | 'queued' | 'in_progress' | 'completed' | 'waiting' | 'pending';
  conclusion: Conclusion | null;
  runNumber: number;
  runAttempt: number;
  actor: string;
  inputs: Record<string, unknown>;
  createdAt: Date;
  updatedAt: Date;
  runStartedAt: Date;
  jobs: JobRecord[];
  artifacts: ArtifactRecord[];
}

export interface DispatchRecord {
  repo: string;
  workflow: string;
  ref: string;
  inputs: Record<string, unknown>;
  returnRunDetails: boolean;
  runId: number;
  at: Date;
}

export interface CommentRecord {
  id: number;
  repo: string;
  issueNumber: number;
  body: string;
  user: string;
  createdAt: Date;
  /** true for comments the App posted through the API; false for users' comments sent as events. */
  viaApp: boolean;
}

export interface ReactionRecord {
  id: number;
  repo: string;
  commentId: number;
  content: string;
  user: string;
  createdAt: Date;
}

export interface CancelRecord {
  repo: string;
  runId: number;
  at: Date;
}

export interface TokenRecord {
  token: string;
  installationId: number;
  /** Repository full names the token is limited to, or undefined for all of the installation's. */
  repositories?: string[];
  expiresAt: Date;
  issuedAt: Date;
}

export interface DeliveryRecord {
  id: number;
  guid: string;
  deliveredAt: Date;
  redelivery: boolean;
  /** Seconds. */
  duration: number;
  status: string;
  statusCode: number;
  event: string;
  action: string | null;
  installationId: number | null;
  repositoryId: number | null;
  /** The exact body that was signed and sent (kept so a redelivery sends the same bytes). */
  payload: string;
  responseBody: string;
}
