/** `/runners` and `GET /api/runners`: the runner fleet of public repositories. */
import { statsByLabelSet, type LabelSetStats } from '../../../core/percentiles';
import type { RunnerView } from '../../../core/routing';
import { dispatchesOfWorkflowRuns } from '../../../store/dispatches';
import { fleetView, getFleet } from '../../../store/runners';
import { jobTimingsSince, STATS_WINDOW_DAYS } from '../../../store/stats';
import { scopes } from '../../cursors';
import type { HttpDeps } from '../../deps';
import { statusOf, type Tone } from '../format';
import { publicReposPage, runPath, type Paging } from './shared';

/** A runner as the fleet knows it (core/routing.ts), once across the listed repositories. */
export interface RunnerRow extends Omit<RunnerView, 'seenAt'> {
  /** The repositories (of those listed) whose pool has this runner. */
  repos: string[];
  lastJob: { repo: string; name: string; status: { word: string; tone: Tone }; at: string; url: string | null } | null;
}

export interface RunnersView {
  /** Each listed public repository's pool, exactly as `GET /api/runners` gives it. */
  repos: ReturnType<typeof fleetView>[];
  cursor: string | null;
  /** The same runners once each (an organization runner serves many repositories), most recently seen first. */
  runners: RunnerRow[];
  /** Queue time (dispatch → job start) and job duration per label set, last 7 days, over the listed repositories. */
  queue: LabelSetStats[];
}

/**
 * `/runners` and `GET /api/runners`: the runner pools of a page of public repositories (the fleet
 * store, kept current by runner listings and job events), merged per runner, and their queue times.
 * A runner's last job is shown only when it ran in one of these (public) repositories.
 */
export async function runnersView(deps: HttpDeps, paging: Paging): Promise<RunnersView> {
  const now = deps.now();
  const { repos, cursor } = await publicReposPage(deps, scopes.runners(), paging);
  const [fleets, timings] = await Promise.all([
    Promise.all(repos.map((r) => getFleet(deps.store, r.repo))),
    Promise.all(repos.map((r) => jobTimingsSince(deps.store, r.repo, new Date(now.getTime() - STATS_WINDOW_DAYS * 86_400_000)))),
  ]);
  const listed = new Set(repos.map((r) => r.repo.toLowerCase()));
  const runIds = fleets.flatMap((f) => f?.runners.flatMap((r) => (r.lastJob ? [r.lastJob.runId] : [])) ?? []);
  const pointers = runIds.length ? await dispatchesOfWorkflowRuns(deps.store, runIds) : new Map();
  const byName = new Map<string, RunnerRow & { seenAt: string }>();
  for (const f of fleets) {
    if (!f) continue;
    for (const r of f.runners) {
      const key = r.name.toLowerCase();
      const job =
        r.lastJob && listed.has(r.lastJob.repo.toLowerCase())
          ? {
              repo: r.lastJob.repo,
              name: r.lastJob.name,
              status: statusOf(r.lastJob.status, r.lastJob.conclusion),
              at: r.lastJob.at,
              url: pointers.has(r.lastJob.runId) ? runPath(pointers.get(r.lastJob.runId)!.repo, pointers.get(r.lastJob.runId)!.dispatchId) : null,
            }
          : null;
      const prev = byName.get(key);
      // A listing (repo or org) knows the runner's state; a job sighting only that it exists. Newer wins within a kind.
      const better = !prev || (prev.source === 'job' && r.source !== 'job') || ((prev.source === 'job') === (r.source === 'job') && r.seenAt > prev.seenAt);
      const base = better
        ? { name: r.name, labels: r.labels, status: r.status, busy: r.busy, source: r.source, seenAt: r.seenAt }
        : prev!;
      const lastJob = [prev?.lastJob ?? null, job].filter((j) => j !== null).sort((a, b) => (a!.at < b!.at ? 1 : -1))[0] ?? null;
      byName.set(key, { ...base, repos: [...(prev?.repos ?? []), f.repo], lastJob });
    }
  }
  const runners = [...byName.values()]
    .sort((a, b) => (a.seenAt < b.seenAt ? 1 : a.seenAt > b.seenAt ? -1 : a.name.localeCompare(b.name)))
    .map(({ seenAt, ...r }) => r);
  const samples = timings.flat().map((t) => ({ labels: t.labels, queueSeconds: t.queueSeconds ?? null, durationSeconds: t.durationSeconds ?? null }));
  return {
    repos: fleets.flatMap((f) => (f ? [fleetView(f)] : [])),
    cursor,
    runners,
    queue: statsByLabelSet(samples),
  };
}
