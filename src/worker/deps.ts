import type { SmokeArtifact } from '../core/smoke/artifact';
import type { GitHubClients } from '../github/client';
import type { Logger } from '../log';
import type { StoreContext } from '../store/dynamo';
import type { Outcome } from './outcome';

/** What every event handler of the worker is given; tests pass a controllable clock and ids. */
export interface WorkerDeps {
  store: StoreContext;
  github: Pick<GitHubClients, 'forInstallation'>;
  log: Logger;
  now: () => Date;
  /** New dispatch ids: ULIDs, so they sort by creation time. */
  newId: () => string;
  /** Base of links in check runs (details_url, dashboard). */
  publicUrl: string;
  /**
   * Unzips and parses a smoke-test artifact (core/smoke/artifact `readSmokeArtifact`): seconds of
   * CPU for a large one. Inline on Lambda, where nothing else shares the event loop; in a worker
   * thread in the local server, where webhook intake does (src/local/artifact-thread.ts).
   */
  parseSmokeArtifact: ParseSmokeArtifact;
  /** The delivery being processed: what it came to, for its `processed` line (src/worker/process.ts). */
  outcome?: Outcome;
}

export type ParseSmokeArtifact = (zip: Uint8Array) => Promise<SmokeArtifact>;

/**
 * A ParseSmokeArtifact rejects with this when the artifact itself was too much for the parser
 * (locally: it exhausted the parser thread's memory). It is reported like any other limit; any other
 * rejection is the parser's own failure, and the event is retried.
 */
export class ArtifactOverLimitError extends Error {
  override name = 'ArtifactOverLimitError';
}

/** The repository an event is about, in the few fields the worker uses. */
export interface RepoRef {
  owner: string;
  name: string;
  fullName: string;
  private: boolean;
  defaultBranch: string;
  installationId: number;
}

/**
 * Reads the repository and installation from any event payload, checking the types at run time:
 * a validly signed payload with odd fields is ignored, never a crash that would be retried forever.
 */
export function repoRef(payload: { repository?: unknown; installation?: unknown }): RepoRef | null {
  const r = payload.repository as Record<string, unknown> | null | undefined;
  const iid = (payload.installation as { id?: unknown } | null | undefined)?.id;
  if (!r || typeof r !== 'object' || typeof iid !== 'number') return null;
  const owner = (r.owner as { login?: unknown } | null | undefined)?.login;
  if (typeof r.name !== 'string' || typeof r.full_name !== 'string' || typeof owner !== 'string') return null;
  return {
    owner,
    name: r.name,
    fullName: r.full_name,
    private: r.private === true,
    defaultBranch: typeof r.default_branch === 'string' ? r.default_branch : 'main',
    installationId: iid,
  };
}

export const runPageUrl = (publicUrl: string, repo: string, dispatchId: string) =>
  `${publicUrl}/repos/${repo}/runs/${dispatchId}`;
