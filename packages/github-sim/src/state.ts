/**
 * The stand-in's in-memory world: the App, installations, repositories (files, branches, workflows,
 * pulls, collaborators, runners) and everything the API creates (check runs, workflow runs, jobs,
 * artifacts, comments, reactions, dispatches, tokens, webhook deliveries).
 *
 * Records are plain objects in GitHub's vocabulary; `shapes/` turns them into API/webhook JSON.
 */
import { createHash, randomBytes } from 'node:crypto';

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

/** A 40-hex sha derived from a seed string (stable, so tests can predict it). */
export function fakeSha(seed: string): string {
  return createHash('sha1').update(seed).digest('hex');
}

export function randomSha(): string {
  return randomBytes(20).toString('hex');
}

const PERMISSIONS: Permission[] = ['none', 'read', 'triage', 'write', 'maintain', 'admin'];
export function permissionRank(p: Permission): number {
  return PERMISSIONS.indexOf(p);
}

export class StandInState {
  app: (Required<Pick<SeedApp, 'id' | 'slug' | 'name'>> & Omit<SeedApp, 'id' | 'slug' | 'name'>) | undefined;
  /** Codes handed out by the "new App" page (manifest flow), by code. */
  readonly manifestCodes = new Map<string, ManifestCodeRecord>();
  readonly repos = new Map<string, RepoRecord>();
  readonly checkRunList: CheckRunRecord[] = [];
  readonly runList: WorkflowRunRecord[] = [];
  readonly dispatches: DispatchRecord[] = [];
  readonly comments: CommentRecord[] = [];
  readonly reactions: ReactionRecord[] = [];
  readonly cancelled: CancelRecord[] = [];
  readonly tokens = new Map<string, TokenRecord>();
  readonly deliveries: DeliveryRecord[] = [];
  private nextIds = new Map<string, number>();

  constructor(readonly now: () => Date) {}

  /** Ids per kind start at distinct bases so a check-run id is never mistaken for a run id. */
  nextId(kind: 'repo' | 'user' | 'checkRun' | 'run' | 'job' | 'artifact' | 'comment' | 'reaction' | 'workflow' | 'runner' | 'delivery'): number {
    const bases = {
      repo: 100_000,
      user: 500_000,
      checkRun: 4_000_000_000,
      run: 9_000_000_000,
      job: 20_000_000_000,
      artifact: 3_000_000,
      comment: 1_500_000_000,
      reaction: 200_000_000,
      workflow: 60_000_000,
      runner: 10,
      delivery: 70_000_000_000,
    } as const;
    const next = (this.nextIds.get(kind) ?? bases[kind]) + 1;
    this.nextIds.set(kind, next);
    return next;
  }

  private userIds = new Map<string, number>();
  /** A stable numeric id per login. */
  userId(login: string): number {
    let id = this.userIds.get(login.toLowerCase());
    if (id === undefined) {
      id = this.nextId('user');
      this.userIds.set(login.toLowerCase(), id);
    }
    return id;
  }

  seedApp(app: SeedApp): void {
    this.app = {
      ...app,
      id: app.id,
      slug: app.slug ?? 'arm64-ci',
      name: app.name ?? app.slug ?? 'arm64 CI',
    };
  }

  seedRepo(seed: SeedRepo): RepoRecord {
    const fullName = `${seed.owner}/${seed.name}`;
    const defaultBranch = seed.defaultBranch ?? 'main';
    const branches = { ...(seed.branches ?? {}) };
    branches[defaultBranch] ??= fakeSha(`${fullName}@${defaultBranch}`);
    // A pull request from a branch of this repository means that branch exists here.
    for (const p of seed.pulls ?? []) {
      if (p.headRef && (!p.headRepo || p.headRepo.toLowerCase() === fullName.toLowerCase())) branches[p.headRef] ??= p.headSha;
    }
    const toRunner = (r: SeedRunner): RunnerRecord => ({
      id: r.id ?? this.nextId('runner'),
      name: r.name,
      labels: [...r.labels],
      status: r.status ?? 'online',
      busy: r.busy ?? false,
      os: r.os ?? 'Linux',
    });
    const record: RepoRecord = {
      id: seed.id ?? this.nextId('repo'),
      owner: seed.owner,
      ownerId: this.userId(seed.owner),
      ownerType: seed.ownerType ?? 'Organization',
      name: seed.name,
      fullName,
      private: seed.private ?? false,
      defaultBranch,
      installationId: seed.installationId,
      files: { ...(seed.files ?? {}) },
      filesAt: structuredClone(seed.filesAt ?? {}),
      workflows: (seed.workflows ?? []).map((w) => ({
        id: this.nextId('workflow'),
        file: w.file,
        name: w.name ?? w.file,
        runName: w.runName,
        inputs: w.inputs,
        dispatchable: w.dispatchable ?? w.inputs !== undefined,
        state: w.state ?? 'active',
        path: `.github/workflows/${w.file}`,
        createdAt: this.now(),
      })),
      branches,
      collaborators: { ...(seed.collaborators ?? {}) },
      pulls: (seed.pulls ?? []).map((p) => ({ ...p })),
      runners: (seed.runners ?? []).map(toRunner),
      createdAt: this.now(),
    };
    this.repos.set(fullName.toLowerCase(), record);
    const orgKey = seed.owner.toLowerCase();
    if (seed.orgRunners) this.orgRunners.set(orgKey, seed.orgRunners.map(toRunner));
    return record;
  }

  readonly orgRunners = new Map<string, RunnerRecord[]>();

  repo(owner: string, name: string): RepoRecord | undefined {
    return this.repos.get(`${owner}/${name}`.toLowerCase());
  }

  requireRepo(owner: string, name: string): RepoRecord {
    const repo = this.repo(owner, name);
    if (!repo) throw new Error(`stand-in: repository ${owner}/${name} was not seeded`);
    return repo;
  }

  /** Repositories of an installation. */
  installationRepos(installationId: number): RepoRecord[] {
    return [...this.repos.values()].filter((r) => r.installationId === installationId);
  }

  /** The account (owner login) an installation belongs to. */
  installationAccount(installationId: number): { login: string; id: number; type: 'User' | 'Organization' } | undefined {
    const repo = this.installationRepos(installationId)[0];
    return repo ? { login: repo.owner, id: repo.ownerId, type: repo.ownerType } : undefined;
  }

  /** The head sha of a branch or pull ref, or the ref itself when it is a commit sha. */
  resolveRef(repo: RepoRecord, ref: string): string | undefined {
    const short = ref.replace(/^refs\/heads\//, '');
    const branch = repo.branches[short];
    if (branch) return branch;
    const pull = /^refs\/pull\/(\d+)\/(head|merge)$/.exec(ref);
    if (pull) return repo.pulls.find((p) => p.number === Number(pull[1]))?.headSha;
    if (/^[0-9a-f]{40}$/i.test(ref)) return ref.toLowerCase();
    if (ref in repo.filesAt) return fakeSha(`${repo.fullName}@${ref}`);
    return undefined;
  }

  /** A file's content at a ref (branch, sha, or a `filesAt` key), or undefined. */
  fileAt(repo: RepoRecord, path: string, ref?: string): string | undefined {
    const clean = path.replace(/^\/+/, '');
    const effectiveRef = ref ?? repo.defaultBranch;
    const short = effectiveRef.replace(/^refs\/heads\//, '');
    const sha = this.resolveRef(repo, effectiveRef);
    // A commit is also reachable by the names of the branches whose head it is.
    const names = Object.entries(repo.branches)
      .filter(([, head]) => head === sha)
      .map(([name]) => name);
    for (const key of [effectiveRef, short, sha, ...names]) {
      if (key === undefined) continue;
      const overlay = repo.filesAt[key];
      if (overlay && clean in overlay) return overlay[clean] ?? undefined;
    }
    return repo.files[clean];
  }

  setBranch(repo: RepoRecord, branch: string, sha: string | null): void {
    if (sha === null) delete repo.branches[branch];
    else repo.branches[branch] = sha;
  }

  findWorkflow(repo: RepoRecord, workflowId: string): WorkflowRecord | undefined {
    return repo.workflows.find((w) => w.file === workflowId || String(w.id) === workflowId);
  }

  checkRuns(owner: string, name: string): CheckRunRecord[] {
    const full = `${owner}/${name}`.toLowerCase();
    return this.checkRunList.filter((c) => c.repo.toLowerCase() === full);
  }

  checkRun(id: number): CheckRunRecord | undefined {
    return this.checkRunList.find((c) => c.id === id);
  }

  workflowRuns(owner: string, name: string): WorkflowRunRecord[] {
    const full = `${owner}/${name}`.toLowerCase();
    return this.runList.filter((r) => r.repo.toLowerCase() === full);
  }

  run(id: number): WorkflowRunRecord | undefined {
    return this.runList.find((r) => r.id === id);
  }

  job(id: number): { run: WorkflowRunRecord; job: JobRecord } | undefined {
    for (const run of this.runList) {
      const job = run.jobs.find((j) => j.id === id);
      if (job) return { run, job };
    }
    return undefined;
  }

  artifact(id: number): { run: WorkflowRunRecord; artifact: ArtifactRecord } | undefined {
    for (const run of this.runList) {
      const artifact = run.artifacts.find((a) => a.id === id);
      if (artifact) return { run, artifact };
    }
    return undefined;
  }
}
