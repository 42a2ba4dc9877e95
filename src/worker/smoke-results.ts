/**
 * A dispatch's workflow run completed: collect its smoke-test artifact → parse the JUnit XML →
 * store counts, per-test outcomes and the branch's rolling rate → decide the conclusion (a pass
 * rate below `smoke_tests.min_pass_rate` fails the check run even when the workflow succeeded) →
 * summarize (the smoke section of the check run) → annotate failing tests.
 *
 * The caller syncs the check run afterwards with the dispatch and the annotations this returns, so
 * the conclusion, the summary and the first 50 annotations land in one PATCH (worker/check-run.ts).
 */
import type { RepoConfig } from '../core/config/schema';
import { configForTarget, targetsOf } from '../core/config/targets';
import { repoParts } from '../core/repo-name';
import { selectAnnotations, type CheckAnnotation } from '../core/smoke/annotations';
import { unreadArtifact } from '../core/smoke/artifact';
import { compareWithBase, findFlaky, type BaseDiff, type FlakyTest, type TestOutcomeRecord } from '../core/smoke/compare';
import { renderSmokeMarkdown } from '../core/smoke/markdown';
import { decideConclusion, formatRate, type SmokeSet } from '../core/smoke/verdict';
import type { Outcome, TestCaseResult } from '../core/test-results';
import { smokeReport } from '../core/smoke/report';
import { downloadArtifact, listRunArtifacts, MAX_ARTIFACT_BYTES, type Artifact } from '../github/artifacts';
import { githubMessage, httpStatus, type GitHub } from '../github/client';
import { conditionalGet } from '../github/conditional';
import type { ReportedRun } from '../github/workflow-runs';
import { dispatchesOfCommit, type DispatchItem } from '../store/dispatches';
import { recordDispatchSmoke, type DispatchSmoke } from '../store/dispatch-smoke';
import { DEFAULT_TARGET, refName, testHash, ttlAfter } from '../store/keys';
import { getRefSmoke, recordRefRun } from '../store/ref-smoke';
import { getRunResult, putRunResult, runResultsOf, type RunResultItem } from '../store/run-results';
import { durationHistory, readRunTests, recordRunTests } from '../store/run-history';
import type { CatalogTest } from '../store/test-pack';
import type { RunTest } from '../store/test-standing';
import { findSlowdowns, renderSlowdowns, SLOWDOWN_DEFAULTS, type Slowdown } from '../core/compare/slowdown';
import { artifactGrowth, DEFAULT_MAX_GROWTH, renderArtifactSizes } from '../core/compare/artifacts';
import { latestArtifactSizes, putArtifactSizes } from '../store/artifact-sizes';
import { aggregateOutcome, outcomeOfRunCode, runCodeSides, runOutcomeCode, type RunOutcomeCode } from '../store/test-history-codec';
import { ArtifactOverLimitError, type RepoRef, type WorkerDeps } from './deps';
import { loadRepoConfig } from './repo-config';
import { metrics } from '../metrics/metrics';

/** The few config settings needed once a run completes. */
interface SmokeSettings {
  artifact: string;
  minPassRate: number;
  annotationsMax: number;
  historyDays: number;
  /** `artifacts.max_growth`; absent on dispatches stored before it existed (the default applies). */
  maxGrowth?: number;
  /** The slowdown rule (`smoke_tests.slowdown_*`, `max_slowdown`); absent on dispatches stored before it: the defaults. */
  slowdown?: SlowdownSettings;
}
interface SlowdownSettings {
  factor: number;
  window: number;
  minSamples: number;
  max: number | null;
}
const DEFAULT_SLOWDOWN: SlowdownSettings = { ...SLOWDOWN_DEFAULTS, max: null };

export function smokeSettingsOf(config: RepoConfig): SmokeSettings {
  return {
    artifact: config.smoke_tests.artifact,
    minPassRate: config.smoke_tests.min_pass_rate,
    annotationsMax: config.annotations.max,
    historyDays: config.history_days,
    maxGrowth: config.artifacts?.max_growth ?? DEFAULT_MAX_GROWTH,
    // The config as one target sees it (configForTarget): unset slowdown keys take the defaults.
    slowdown: {
      factor: config.smoke_tests.slowdown_factor ?? SLOWDOWN_DEFAULTS.factor,
      window: config.smoke_tests.slowdown_window ?? SLOWDOWN_DEFAULTS.window,
      minSamples: config.smoke_tests.slowdown_min_samples ?? SLOWDOWN_DEFAULTS.minSamples,
      max: typeof config.smoke_tests.max_slowdown === 'number' ? config.smoke_tests.max_slowdown : null,
    },
  };
}

/**
 * Records the name and size of every artifact of the run, and renders them against the base
 * branch's latest run of the same target (a warning above `artifacts.max_growth`). "" when the run
 * has no artifacts.
 */
async function artifactSizes(
  deps: WorkerDeps,
  gh: GitHub,
  d: DispatchItem,
  a: { run: ReportedRun; repo: RepoRef; all: Artifact[]; ref: string; ttl: number; maxGrowth?: number; now: Date },
): Promise<string> {
  // An expired artifact's size is still listed, but it no longer exists: it is not this run's output any more.
  const sizes = a.all.filter((x) => !x.expired).map((x) => ({ name: x.name, sizeBytes: x.size_in_bytes }));
  if (sizes.length === 0) return '';
  await putArtifactSizes(deps.store, {
    repo: d.repo,
    ref: a.ref,
    dispatchId: d.dispatchId,
    attempt: d.attempt,
    sha: d.sha,
    sizes,
    createdAt: a.now.toISOString(),
    ttl: a.ttl,
  });
  const branch = await baseBranchOf(gh, d, a.run, a.repo);
  const base = await latestArtifactSizes(deps.store, d.repo, refName({ branch, target: d.target }), d.dispatchId);
  const report = artifactGrowth(sizes, base?.sizes ?? null, a.maxGrowth ?? DEFAULT_MAX_GROWTH);
  const label = base ? `${branch} (${base.sha.slice(0, 7)})` : branch;
  return renderArtifactSizes(report, { base: label }, { maxBytes: ARTIFACT_SIZES_MAX_BYTES });
}

/** The artifact table's share of the check-run summary. */
const ARTIFACT_SIZES_MAX_BYTES = 6_000;

/** The config schema's defaults, for a repository whose config vanished or broke before completion. */
const DEFAULT_SETTINGS: SmokeSettings = { artifact: 'smoke-test-results', minPassRate: 1, annotationsMax: 50, historyDays: 90 };

/** Earlier dispatches of the same commit looked at for flaky tests (re-runs, /arm64 retest). */
const EARLIER_DISPATCHES = 10;

export async function collectSmokeResults(
  deps: WorkerDeps,
  gh: GitHub,
  d: DispatchItem,
  ev: { run: ReportedRun; repo: RepoRef },
): Promise<{ dispatch: DispatchItem; annotations: CheckAnnotation[] }> {
  const { run, repo } = ev;
  const now = deps.now();
  const attempt = d.attempt;
  const settings = await settingsFor(gh, d, repo);
  const { smoke, notes, all } = await collect(deps, gh, d, run, settings.artifact);

  const hasData = smoke !== null && smoke.files.length > 0;
  const target = targetOf(d);
  const baseBranch = hasData ? await baseBranchOf(gh, d, run, repo) : repo.defaultBranch;
  const slowRule = settings.slowdown ?? DEFAULT_SLOWDOWN;
  const slowdowns = hasData ? await findRunSlowdowns(deps, d, smoke, { target, branch: baseBranch, rule: slowRule }) : [];
  const decision = decideConclusion({
    workflowConclusion: run.conclusion,
    smoke,
    minPassRate: settings.minPassRate,
    ...(hasData ? { slowdown: { flagged: slowdowns.length, max: slowRule.max } } : {}),
  });
  const tests = hasData ? runTests(smoke) : [];
  const flaky = hasData ? await flakyTests(deps, d, smoke, tests) : [];
  const flakyIds = new Set(flaky.map((f) => f.testId));
  for (const t of tests) t.flaky = flakyIds.has(t.id);
  const base = hasData ? await baseComparison(deps, d, baseBranch, smoke) : null;

  const section = {
    baseDiff: base?.diff ?? null,
    ...(base ? { baseLabel: base.label } : {}),
    flaky,
    notes,
  };
  // The same section twice: Markdown for the check run, data for the dashboard's run page.
  // The check-run summary keeps this section within 30,000 bytes anyway; the item stays small.
  const slowMarkdown = renderSlowdowns(slowdowns, { branch: baseBranch, factor: slowRule.factor, window: slowRule.window }, { maxBytes: 6_000 });
  const smokeMarkdown = renderSmokeMarkdown(smoke, { ...section, maxChars: 30_000 - slowMarkdown.length - 2 });
  const markdown = slowMarkdown ? `${smokeMarkdown}\n\n${slowMarkdown}` : smokeMarkdown;
  const report = smokeReport(smoke, section);
  const ttl = ttlAfter(now, settings.historyDays);
  const ref = refName(d);
  const counts = hasData ? smoke.counts : null;
  const artifactsMarkdown = all ? await artifactSizes(deps, gh, d, { run, repo, all, ref, ttl, maxGrowth: settings.maxGrowth, now }) : '';

  await putRunResult(deps.store, {
    repo: d.repo,
    dispatchId: d.dispatchId,
    attempt,
    workflowRunId: Number(run.id),
    sha: d.sha,
    ref,
    target,
    counts,
    rate: smoke?.rate ?? null,
    rule: decision.rule,
    conclusion: decision.conclusion,
    markdown,
    report,
    flaky: flaky.map((f) => ({ hash: testHash(f.testId), id: f.testId, name: f.name })),
    slowdowns: slowdowns.slice(0, MAX_STORED_SLOWDOWNS),
    ...(slowdowns.length > 0 ? { slowdownRule: { branch: baseBranch, factor: slowRule.factor, window: slowRule.window, flagged: slowdowns.length } } : {}),
    ...(artifactsMarkdown ? { artifactsMarkdown } : {}),
    createdAt: now.toISOString(),
    ttl,
  });
  const summary: DispatchSmoke = {
    attempt,
    counts,
    rate: smoke?.rate ?? null,
    rateText: counts ? formatRate(counts) : null,
    minPassRate: settings.minPassRate,
    rule: decision.rule,
    flaky: flaky.length,
  };
  const updated = await recordDispatchSmoke(deps.store, d, summary, decision.conclusion, now);

  let items = 2;
  let notable = 0;
  if (hasData && counts) {
    const runCtx = { repo: d.repo, target, ref, sha: d.sha, dispatchId: d.dispatchId, attempt, at: now, ttl };
    const stored = await recordRunTests(deps.store, runCtx, tests);
    items += stored.items + 1;
    notable = stored.notable;
    await recordRefRun(deps.store, { repo: d.repo, ref, entry: { dispatchId: d.dispatchId, attempt, sha: d.sha, counts }, now, ttl });
  }
  if (hasData) {
    metrics.count('smokeRuns');
    if (decision.conclusion === 'success') metrics.count('smokePassed');
  }
  deps.log.info('smoke results stored', {
    dispatchId: d.dispatchId,
    attempt,
    rate: summary.rateText,
    conclusion: decision.conclusion,
    tests: tests.length,
    notableTests: notable,
    itemsWritten: items,
  });
  // A newer attempt started meanwhile: its own completion will report; these results stay as history.
  if (!updated) return { dispatch: d, annotations: [] };
  return { dispatch: updated, annotations: hasData ? annotationsOf(updated, smoke, settings.annotationsMax) : [] };
}

// ---------------------------------------------------------------------------------------------
// Settings

/**
 * Settings are needed at completion. Stored on the dispatch item at dispatch time they cost no
 * GitHub call (the config was loaded then anyway), and the run is judged by the settings it was
 * dispatched under; loading `.github/arm64-ci.yml` again would cost one contents request per
 * completed run. So the stored copy wins; dispatches recorded without one fall back to a load.
 */
async function settingsFor(gh: GitHub, d: DispatchItem, repo: RepoRef): Promise<SmokeSettings> {
  const stored = d.smokeSettings;
  if (stored) return stored;
  const cfg = await loadRepoConfig(gh, repo);
  if (cfg.kind !== 'ok') return DEFAULT_SETTINGS;
  const target = d.target === undefined ? undefined : targetsOf(cfg.config).find((t) => t.name === d.target);
  return smokeSettingsOf(target ? configForTarget(cfg.config, target) : cfg.config);
}

// ---------------------------------------------------------------------------------------------
// Collect

async function collect(
  deps: WorkerDeps,
  gh: GitHub,
  d: DispatchItem,
  run: ReportedRun,
  name: string,
): Promise<{ smoke: SmokeSet | null; notes: string[]; all?: Artifact[] }> {
  const { owner, repo } = repoParts(d.repo);
  try {
    // Every artifact in one listing: the smoke artifact is found in it, and all their sizes are recorded.
    const all = await listRunArtifacts(gh, { owner, repo, runId: Number(run.id) });
    const artifacts = all.filter((a) => a.name === name);
    const found = await collectFrom(deps, gh, d, run, name, artifacts);
    return { ...found, all };
  } catch (err) {
    const status = httpStatus(err);
    // Outages and rate limits are retried by the queue (the completion is processed again);
    // anything else GitHub refuses for good is reported instead of failing forever.
    if (status === null || status >= 500 || status === 429) throw err;
    deps.log.warn('smoke artifact unavailable', { dispatchId: d.dispatchId, status, error: githubMessage(err) });
    return { smoke: null, notes: [`The smoke-test artifact could not be fetched (HTTP ${status}): ${githubMessage(err)}`] };
  }
}

async function collectFrom(
  deps: WorkerDeps,
  gh: GitHub,
  d: DispatchItem,
  run: ReportedRun,
  name: string,
  artifacts: Artifact[],
): Promise<{ smoke: SmokeSet | null; notes: string[] }> {
  const { owner, repo } = repoParts(d.repo);
  const artifact = newest(artifacts.filter((a) => !a.expired)) ?? null;
  if (!artifact) {
    const expired = artifacts.length > 0;
    return {
      smoke: null,
      notes: [
        expired
          ? `The artifact "${name}" of this run has expired, so its results could not be read.`
          : `This run uploaded no artifact named "${name}" (smoke_tests.artifact in .github/arm64-ci.yml).`,
      ],
    };
  }
  // On a re-run, an artifact of the same name may still be the previous attempt's (upload-artifact
  // refuses to replace it without `overwrite: true`): counting it again would report old results.
  const attempt = run.run_attempt ?? 1;
  if (attempt > 1 && run.run_started_at && Date.parse(artifact.created_at ?? '') < Date.parse(run.run_started_at)) {
    return {
      smoke: null,
      notes: [
        `The artifact "${name}" was uploaded before attempt ${attempt} started, so it holds an earlier attempt's results; upload it with \`overwrite: true\` to report re-runs.`,
      ],
    };
  }
  // Too large to read is a limit, not an absence: the results may hold failures (see decideConclusion).
  if (artifact.size_in_bytes > MAX_ARTIFACT_BYTES) {
    return {
      smoke: unreadArtifact(`The artifact "${name}" is ${mib(artifact.size_in_bytes)}, over the ${mib(MAX_ARTIFACT_BYTES)} limit; it was not downloaded.`),
      notes: [],
    };
  }
  const download = await downloadArtifact(gh, { owner, repo, artifactId: artifact.id });
  if (!download.ok) {
    const note = `The artifact "${name}" could not be read: ${download.message}.`;
    return download.reason === 'too_large' ? { smoke: unreadArtifact(note), notes: [] } : { smoke: null, notes: [note] };
  }
  let parsed;
  try {
    parsed = await deps.parseSmokeArtifact(download.bytes);
  } catch (err) {
    // The artifact was too much for the parser (locally: it exhausted the thread's memory): a
    // limit like the others. Anything else is the parser's own trouble: retried, never a verdict.
    if (!(err instanceof ArtifactOverLimitError)) throw err;
    deps.log.warn('smoke artifact over the parser limits', { dispatchId: d.dispatchId, error: err.message });
    return { smoke: unreadArtifact(`The artifact "${name}" could not be parsed within the limits (${err.message}).`), notes: [] };
  }
  return { smoke: parsed.smoke, notes: parsed.problems.map((p) => `In the artifact "${name}": ${p}.`) };
}

function newest(list: Artifact[]): Artifact | undefined {
  return [...list].sort((a, b) => Date.parse(b.created_at ?? '') - Date.parse(a.created_at ?? '') || b.id - a.id)[0];
}

const mib = (n: number) => `${Math.round((n / (1024 * 1024)) * 10) / 10} MiB`;

// ---------------------------------------------------------------------------------------------
// Tests: tracking, flakiness, base comparison

/** The run's tests, one per id across its result files (mean time of the files that passed it). */
function runTests(smoke: SmokeSet): RunTest[] {
  const byId = new Map<string, { first: TestCaseResult; outcomes: Outcome[]; sum: number; timed: number }>();
  for (const f of smoke.files) {
    for (const t of f.tests) {
      const seen = byId.get(t.id) ?? { first: t, outcomes: [], sum: 0, timed: 0 };
      seen.outcomes.push(t.outcome);
      if (t.outcome === 'passed' && t.durationSeconds !== null && Number.isFinite(t.durationSeconds) && t.durationSeconds >= 0) {
        seen.sum += t.durationSeconds;
        seen.timed++;
      }
      byId.set(t.id, seen);
    }
  }
  return [...byId.values()].map(({ first, outcomes, sum, timed }) => {
    const passed = outcomes.filter((o) => o === 'passed').length;
    const failed = outcomes.filter((o) => o === 'failed' || o === 'errored').length;
    const outcome = aggregateOutcome(outcomes);
    return {
      id: first.id,
      name: first.name,
      classname: first.classname,
      file: first.file,
      outcome,
      code: runOutcomeCode({ outcome, passed, failed }),
      flaky: false,
      durationSeconds: timed > 0 ? sum / timed : null,
    };
  });
}

/** The config target a dispatch runs for; single-target configs (and dispatches stored before targets) mean `default`. */
export function targetOf(d: DispatchItem): string {
  return d.target ?? DEFAULT_TARGET;
}

/** A stored result's packed tests by id (codes), or null when they are not stored (or expired). */
async function resultTests(
  deps: WorkerDeps,
  r: RunResultItem,
  catalogs: Map<string, CatalogTest[] | null>,
): Promise<{ id: string; code: string }[] | null> {
  const list = await readRunTests(
    deps.store,
    { repo: r.repo, target: r.target ?? DEFAULT_TARGET, ref: r.ref, dispatchId: r.dispatchId, attempt: r.attempt },
    catalogs,
  );
  return list?.tests ?? null;
}

/**
 * Tests that passed and failed on this commit: across this run's matrix files, this dispatch's
 * earlier attempts, and other dispatches of the same commit (re-runs, /arm64 retest).
 */
async function flakyTests(deps: WorkerDeps, d: DispatchItem, smoke: SmokeSet, tests: RunTest[]): Promise<FlakyTest[]> {
  const records: TestOutcomeRecord[] = [];
  for (const f of smoke.files) {
    for (const t of f.tests) {
      records.push({ testId: t.id, name: t.name, outcome: t.outcome, source: `attempt ${d.attempt} · ${f.fileName}` });
    }
  }
  const names = new Map(tests.map((t) => [t.id, t.name]));
  const catalogs = new Map<string, CatalogTest[] | null>();
  for (const earlier of await earlierResults(deps, d)) {
    const source = `dispatch ${earlier.dispatchId} attempt ${earlier.attempt}`;
    for (const { id, code } of (await resultTests(deps, earlier, catalogs)) ?? []) {
      const name = names.get(id);
      if (name === undefined) continue; // not in this run: nothing to flag now
      // X: that run itself passed it in one file and failed it in another.
      const sides = runCodeSides(code as RunOutcomeCode);
      if (sides.passed) records.push({ testId: id, name, outcome: 'passed', source: `${source} (passing)` });
      if (sides.failed) records.push({ testId: id, name, outcome: 'failed', source: `${source} (failing)` });
    }
  }
  return findFlaky(records);
}

async function earlierResults(deps: WorkerDeps, d: DispatchItem): Promise<RunResultItem[]> {
  const others = (await dispatchesOfCommit(deps.store, d.repo, d.sha, EARLIER_DISPATCHES + 1))
    .map((x) => x.dispatchId)
    .filter((id) => id !== d.dispatchId)
    .slice(0, EARLIER_DISPATCHES);
  const lists = await Promise.all([d.dispatchId, ...others].map((id) => runResultsOf(deps.store, id)));
  return lists.flat().filter((r) => !(r.dispatchId === d.dispatchId && r.attempt === d.attempt) && r.counts !== null);
}

/**
 * Newly failing / passing tests against the latest run with results on the base: the pull
 * request's base branch, or the default branch for a push (for a push to the default branch
 * that is the previous run).
 */
async function baseComparison(
  deps: WorkerDeps,
  d: DispatchItem,
  branch: string,
  smoke: SmokeSet,
): Promise<{ diff: BaseDiff; label: string } | null> {
  const refItem = await getRefSmoke(deps.store, d.repo, refName({ branch, target: d.target }));
  const entry = refItem?.runs.find((r) => r.dispatchId !== d.dispatchId);
  if (!entry) return null;
  const result = await getRunResult(deps.store, entry.dispatchId, entry.attempt);
  if (!result) return null;
  const tests = await resultTests(deps, result, new Map());
  if (!tests) return null;
  const base = tests.map(({ id, code }) => ({ id, outcome: outcomeOfRunCode(code as RunOutcomeCode) }));
  const current = smoke.files.flatMap((f) => f.tests);
  return { diff: compareWithBase(current, base), label: `${branch} at ${entry.sha.slice(0, 7)}` };
}

/** The branch a run is compared with: the stored base (pull request, merge queue), the pull request's, or the default branch for a push. */
async function baseBranchOf(gh: GitHub, d: DispatchItem, run: ReportedRun, repo: RepoRef): Promise<string> {
  if (d.prBase) return d.prBase;
  return d.pr ? pullBaseBranch(gh, d, run, repo) : repo.defaultBranch;
}

/** Slowdowns listed on the result item (the run page); the summary counts them all. */
const MAX_STORED_SLOWDOWNS = 25;

/**
 * Tests now at least `factor` times their median over the base branch's last `window` runs of
 * the same target (core/compare/slowdown.ts), from the packed runs: one query and a catalog read.
 */
async function findRunSlowdowns(
  deps: WorkerDeps,
  d: DispatchItem,
  smoke: SmokeSet,
  p: { target: string; branch: string; rule: SlowdownSettings },
): Promise<Slowdown[]> {
  const history = await durationHistory(deps.store, { repo: d.repo, target: p.target, ref: refName({ branch: p.branch, target: d.target }) }, p.rule.window, d.dispatchId);
  if (history.size === 0) return [];
  return findSlowdowns(smoke.files.flatMap((f) => f.tests), history, { factor: p.rule.factor, window: p.rule.window, minSamples: p.rule.minSamples });
}

/**
 * The base stored with the dispatch (from the pull_request event), else the one the event names
 * (dispatched runs usually list no pull requests), else one conditional request, else the default branch.
 */
async function pullBaseBranch(gh: GitHub, d: DispatchItem, run: ReportedRun, repo: RepoRef): Promise<string> {
  if (d.prBase) return d.prBase;
  const listed = run.pull_requests?.find((p) => p?.number === d.pr)?.base.ref;
  if (listed) return listed;
  try {
    const pull = await conditionalGet(gh, 'GET /repos/{owner}/{repo}/pulls/{pull_number}', { owner: repo.owner, repo: repo.name, pull_number: d.pr! });
    return pull.base.ref;
  } catch (err) {
    if (httpStatus(err) !== 404) throw err;
    return repo.defaultBranch;
  }
}

// ---------------------------------------------------------------------------------------------
// Annotations

/** Failing tests as annotations, `annotationsMax` at most (sent with the conclusion, 50 per PATCH). */
function annotationsOf(d: DispatchItem, smoke: SmokeSet, max: number): CheckAnnotation[] {
  if (!d.checkRunId || max <= 0) return [];
  const tests = smoke.files.flatMap((f) => f.tests);
  return selectAnnotations(tests, { max, workflowPath: `.github/workflows/${d.workflow}` });
}
