/**
 * A dispatch's workflow run completed: collect its smoke-test artifact → parse the JUnit XML →
 * store counts, per-test outcomes and the branch's rolling rate → decide the conclusion (a pass
 * rate below `smoke_tests.min_pass_rate` fails the check run even when the workflow succeeded) →
 * summarize (the smoke section of the check run) → annotate failing tests.
 *
 * Each step has its own file: the settings (smoke-settings.ts), reading the artifact
 * (smoke-artifact.ts), the run's tests against earlier runs (smoke-history.ts), the branch it is
 * compared with (base-branch.ts) and the artifact sizes (artifact-sizes.ts).
 *
 * The caller syncs the check run afterwards with the dispatch and the annotations this returns, so
 * the conclusion, the summary and the first 50 annotations land in one PATCH (worker/check-run.ts).
 */
import { renderSlowdowns } from '../core/compare/slowdown';
import { selectAnnotations, type CheckAnnotation } from '../core/smoke/annotations';
import { renderSmokeMarkdown } from '../core/smoke/markdown';
import { smokeReport } from '../core/smoke/report';
import { decideConclusion, formatRate, type SmokeSet } from '../core/smoke/verdict';
import type { GitHub } from '../github/client';
import type { ReportedRun } from '../github/workflow-runs';
import { metrics } from '../metrics/metrics';
import type { DispatchItem } from '../store/dispatches';
import { recordDispatchSmoke, type DispatchSmoke } from '../store/dispatch-smoke';
import { DEFAULT_TARGET } from '../core/default-target';
import { refName, testHash, ttlAfter } from '../store/keys';
import { recordRefRun } from '../store/ref-smoke';
import { recordRunTests } from '../store/run-history';
import { putRunResult } from '../store/run-results';
import { artifactSizes } from './artifact-sizes';
import { baseBranchOf } from './base-branch';
import type { RepoRef, WorkerDeps } from './deps';
import { readSmokeArtifact } from './smoke-artifact';
import { baseComparison, findRunSlowdowns, flakyTests, runTests } from './smoke-history';
import { DEFAULT_SLOWDOWN, settingsFor } from './smoke-settings';

/** Slowdowns listed on the result item (the run page); the summary counts them all. */
const MAX_STORED_SLOWDOWNS = 25;

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
  const { smoke, notes, all } = await readSmokeArtifact(deps, gh, d, run, settings.artifact);

  const hasData = smoke !== null && smoke.files.length > 0;
  // Single-target configs (and dispatches stored before targets) mean `default`.
  const target = d.target ?? DEFAULT_TARGET;
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

/** Failing tests as annotations, `annotationsMax` at most (sent with the conclusion, 50 per PATCH). */
function annotationsOf(d: DispatchItem, smoke: SmokeSet, max: number): CheckAnnotation[] {
  if (!d.checkRunId || max <= 0) return [];
  const tests = smoke.files.flatMap((f) => f.tests);
  return selectAnnotations(tests, { max, workflowPath: `.github/workflows/${d.workflow}` });
}
