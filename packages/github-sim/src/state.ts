/**
 * The stand-in's in-memory world: the App, installations, repositories (files, branches, workflows,
 * pulls, collaborators, runners) and everything the API creates (check runs, workflow runs, jobs,
 * artifacts, comments, reactions, dispatches, tokens, webhook deliveries).
 *
 * Records are plain objects in GitHub's vocabulary (their types: records.ts); `shapes/` turns them
 * into API/webhook JSON.
 */
import { createHash, randomBytes } from 'node:crypto';
import type {
  ArtifactRecord,
  CancelRecord,
  CheckRunRecord,
  CommentRecord,
  DeliveryRecord,
  DispatchRecord,
  JobRecord,
  ManifestCodeRecord,
  Permission,
  ReactionRecord,
  RepoRecord,
  RunnerRecord,
  SeedApp,
  SeedRepo,
  SeedRunner,
  TokenRecord,
  WorkflowRecord,
  WorkflowRunRecord,
} from './records';

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
