/** `/repos/{owner}/{repo}/runs/{id}` and its JSON: one run, its jobs, smoke results and tests. */
import { durationSeconds } from '../../../core/jobs';
import type { SmokeReport } from '../../../core/smoke/report';
import { formatRate } from '../../../core/smoke/verdict';
import { currentSmoke } from '../../../store/dispatch-smoke';
import { getDispatch, type DispatchItem } from '../../../store/dispatches';
import { listJobs, type JobItem } from '../../../store/jobs';
import type { RepoMeta } from '../../../store/repos';
import { getRunResult, runResultsOf, type RunResultItem } from '../../../store/run-results';
import type { RunOutcomeCode } from '../../../store/test-history-codec';
import { readRunTests } from '../../../store/run-history';
import { DEFAULT_TARGET } from '../../../core/default-target';
import type { Slowdown } from '../../../core/compare/slowdown';
import { cursorsOf, fits, scopes } from '../../cursors';
import type { HttpDeps } from '../../deps';
import { runSeconds, statusOf, type Tone } from '../format';
import { githubWeb, MAX_LIMIT, repoPath, runRow, seg, withToken, type Paging, type RunRow, type SmokeCounts } from './shared';

interface JobRow {
  jobId: number;
  name: string;
  matrix: string[];
  attempt: number;
  status: { word: string; tone: Tone };
  conclusion: string | null;
  runnerName: string | null;
  labels: string[];
  /** Waiting for a runner: created → started. */
  queueSeconds: number | null;
  durationSeconds: number | null;
  createdAt: string | null;
  startedAt: string | null;
  completedAt: string | null;
  url: string | null;
}

const WAITING = new Set(['queued', 'waiting', 'requested', 'pending']);

function jobRow(j: JobItem, now: Date): JobRow {
  // GitHub reports started_at = created_at while a job waits: only a started job has a start.
  const waiting = WAITING.has(j.status);
  return {
    jobId: j.jobId,
    name: j.name,
    matrix: j.matrix,
    attempt: j.runAttempt,
    status: statusOf(j.status, j.conclusion),
    conclusion: j.conclusion,
    runnerName: j.runnerName,
    labels: j.labels,
    queueSeconds: durationSeconds(j.createdAt, waiting ? now.toISOString() : j.startedAt),
    durationSeconds: waiting ? null : runSeconds(j.startedAt, j.completedAt, now),
    createdAt: j.createdAt,
    startedAt: j.startedAt,
    completedAt: j.completedAt,
    url: j.htmlUrl,
  };
}

type TestOutcome = 'failed' | 'errored' | 'mixed' | 'passed' | 'skipped';

export interface RunTest {
  id: string | null;
  name: string;
  outcome: TestOutcome;
  /** Passed and failed on this commit (across files or attempts). */
  flaky: boolean;
}

const OUTCOME_OF_CODE: Record<RunOutcomeCode, TestOutcome> = { F: 'failed', E: 'errored', X: 'mixed', P: 'passed', S: 'skipped' };
// Failing first: what a reader of a red run looks for.
const RANK: Record<TestOutcome, number> = { failed: 0, errored: 1, mixed: 2, passed: 3, skipped: 4 };

export interface RunView {
  repo: string;
  run: RunRow;
  links: {
    commit: string;
    ref: string;
    workflowRun: string | null;
    /** The check run on GitHub, where its summary is shown in full. */
    checkRun: string | null;
    repo: string;
  };
  jobs: JobRow[];
  smoke:
    | (SmokeCounts & {
        attempt: number;
        rule: string;
        minPassRate: number;
        flaky: number;
        /** The smoke section of the check-run summary, as posted to GitHub. */
        markdown: string | null;
        /** The same section as data (what the run page shows); null for results stored before it was kept. */
        report: SmokeReport | null;
        /** Tests slower than their base-branch median (the first 25, largest factor first). */
        slowdowns: Slowdown[];
        /** What the slowdowns were measured against; null when none were flagged. */
        slowdownRule: { branch: string; factor: number; window: number; flagged: number } | null;
      })
    | null;
  /** This page of the run's tracked tests, failing first, then by name. */
  tests: RunTest[];
  testsTotal: number;
  /** More tests than were tracked for this run (only the totals know them all). */
  testsTruncated: boolean;
  cursor: string | null;
}


/** The attempt whose results the run shows: the current attempt's, else the newest collected. */
async function resultOf(deps: HttpDeps, d: DispatchItem): Promise<RunResultItem | null> {
  const smoke = currentSmoke(d);
  if (smoke) return getRunResult(deps.store, d.dispatchId, smoke.attempt);
  const all = await runResultsOf(deps.store, d.dispatchId);
  return all[all.length - 1] ?? null;
}

export async function runView(
  deps: HttpDeps,
  meta: RepoMeta,
  dispatchId: string,
  token: string | null,
  paging: Paging,
): Promise<RunView | null> {
  const d = await getDispatch(deps.store, meta.repo, dispatchId);
  if (!d) return null;
  const cursors = await cursorsOf(deps);
  const scope = scopes.runTests(meta.repo, d.dispatchId);
  const offset = cursors.open(scope, paging.cursor, fits.offset) ?? 0;
  const now = deps.now();
  const [jobs, result] = await Promise.all([listJobs(deps.store, d.dispatchId), resultOf(deps, d)]);
  // Every test of the run is in its packed record: two reads (the run and its catalog), whatever the count.
  const list = result
    ? await readRunTests(deps.store, { repo: meta.repo, target: result.target ?? DEFAULT_TARGET, ref: result.ref, dispatchId: d.dispatchId, attempt: result.attempt })
    : null;
  const flakyIds = new Set((result?.flaky ?? []).map((f) => f.id ?? f.name));
  const all: RunTest[] = (list?.tests ?? [])
    .map((t) => ({
      id: t.id,
      name: t.name,
      outcome: OUTCOME_OF_CODE[t.code as RunOutcomeCode] ?? 'skipped',
      flaky: t.code === 'X' || flakyIds.has(t.id),
    }))
    .sort((a, b) => RANK[a.outcome] - RANK[b.outcome] || a.name.localeCompare(b.name));
  const limit = paging.limit ?? MAX_LIMIT;
  const web = githubWeb(d);
  const smoke = currentSmoke(d);
  const counts = result?.counts ?? smoke?.counts ?? null;
  return {
    repo: meta.repo,
    run: runRow(d, now, meta.private ? token : null),
    links: {
      commit: `${web}/${meta.repo}/commit/${d.sha}`,
      ref: d.pr ? `${web}/${meta.repo}/pull/${d.pr}` : `${web}/${meta.repo}/tree/${(d.branch ?? '').split('/').map(seg).join('/')}`,
      workflowRun: d.workflowRunUrl,
      checkRun: d.checkRunId ? `${web}/${meta.repo}/runs/${d.checkRunId}` : null,
      repo: withToken(repoPath(meta.repo), meta.private ? token : null),
    },
    jobs: jobs.map((j) => jobRow(j, now)),
    smoke:
      result || smoke
        ? {
            passed: counts?.passed ?? 0,
            failed: counts?.failed ?? 0,
            errored: counts?.errored ?? 0,
            skipped: counts?.skipped ?? 0,
            total: counts?.total ?? 0,
            rate: result?.rate ?? smoke?.rate ?? null,
            rateText: smoke?.rateText ?? (counts ? formatRate(counts) : null),
            attempt: result?.attempt ?? smoke!.attempt,
            rule: result?.rule ?? smoke!.rule,
            minPassRate: smoke?.minPassRate ?? 1,
            flaky: result?.flaky.length ?? smoke?.flaky ?? 0,
            markdown: result?.markdown ?? null,
            report: result?.report ?? null,
            slowdowns: result?.slowdowns ?? [],
            slowdownRule: result?.slowdownRule ?? null,
          }
        : null,
    tests: all.slice(offset, offset + limit),
    testsTotal: all.length,
    testsTruncated: false,
    cursor: offset + limit < all.length ? cursors.seal(scope, offset + limit) : null,
  };
}
