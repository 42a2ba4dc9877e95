// The smoke-test verdict: the results of one run summed across its files, the check run's
// conclusion they decide (with the rule that decided it), and the rate as a reader sees it.
// Pure: no I/O, no clock.
import type { CheckConclusion } from '../conclusion';
import { checkStateFromWorkflowRun } from '../conclusion';
import { passRate, sumCounts, type Counts, type JUnitFile, type ParseResult } from '../test-results';
import { plural } from '../text';

export interface SmokeSet {
  files: JUnitFile[];
  problems: { fileName: string; error: string }[];
  /** Totals and pass rate of the test cases that were read. */
  counts: Counts;
  rate: number | null;
  /** What the artifact limits left unread (src/core/artifact-limits.ts); the verdict assumes the worst of it. */
  unread: Unread;
}

export interface Unread {
  /** Test cases counted in the files but not read (over the per-file or per-run cap). */
  cases: number;
  /** Parts not read at all (files or bytes over a cap): how many test cases they hold is unknown. */
  uncounted: boolean;
  /** One plain-text sentence per cut, for the summary. */
  notes: string[];
}

const nothingUnread = (): Unread => ({ cases: 0, uncounted: false, notes: [] });

/**
 * Several files per artifact (one per matrix entry) are kept apart and summed. `unread` says what
 * the limits left out (see readSmokeArtifact); the files' own `unread` counts are in it.
 */
export function combine(results: ParseResult[], unread: Unread = nothingUnread()): SmokeSet {
  const files: JUnitFile[] = [];
  const problems: { fileName: string; error: string }[] = [];
  for (const r of results) {
    if (r.ok) files.push(r.file);
    else problems.push({ fileName: r.fileName, error: r.error });
  }
  const counts = sumCounts(files.map((f) => f.counts));
  return { files, problems, counts, rate: passRate(counts), unread };
}

/** The slowdowns of a run (src/core/compare/slowdown.ts) against `smoke_tests.max_slowdown`. */
export interface SlowdownVerdictInput {
  /** How many tests were flagged as slower than usual. */
  flagged: number;
  /** More than this many fail the check; null: slowdowns never decide (the default). */
  max: number | null;
}

/**
 * A workflow that did not succeed decides on its own; smoke results can only turn a success into a
 * failure (never rescue a failed workflow, never fail a cancelled one). Results a limit left unread
 * count as failed for the verdict (see below); files that are not JUnit at all are reported and
 * left out, as a missing artifact is. Slowdowns, when the repository opted in with
 * `smoke_tests.max_slowdown`, can likewise only turn a success into a failure; without `slowdown`
 * (or with `max: null`) the verdict is exactly what it was before slowdowns existed.
 */
export function decideConclusion(args: {
  workflowConclusion: string | null;
  smoke: SmokeSet | null;
  minPassRate: number;
  slowdown?: SlowdownVerdictInput;
}): { conclusion: CheckConclusion; rule: string } {
  const verdict = smokeVerdict(args);
  const s = args.slowdown;
  if (s === undefined || s.max === null || verdict.conclusion !== 'success') return verdict;
  const max = Math.max(0, Math.floor(s.max));
  const flagged = `${plural(s.flagged, 'test')} flagged as slower than usual`;
  if (s.flagged > max)
    return {
      conclusion: 'failure',
      rule: `${flagged}, more than the ${max} that smoke_tests.max_slowdown allows (${verdict.rule})`,
    };
  return { conclusion: 'success', rule: `${verdict.rule}; ${flagged}, within the ${max} that smoke_tests.max_slowdown allows` };
}

function smokeVerdict(args: {
  workflowConclusion: string | null;
  smoke: SmokeSet | null;
  minPassRate: number;
}): { conclusion: CheckConclusion; rule: string } {
  const { workflowConclusion, smoke } = args;
  if (workflowConclusion !== 'success') {
    // The check run's own mapping (core/conclusion), so both agree: a missing or unknown conclusion
    // fails closed (neutral would satisfy a required check), `stale` reads as timed out.
    const { conclusion } = checkStateFromWorkflowRun({ status: 'completed', conclusion: workflowConclusion });
    const rule =
      workflowConclusion === null ? 'the workflow finished without a conclusion' : `workflow concluded ${workflowConclusion}`;
    return { conclusion: conclusion ?? 'failure', rule };
  }

  if (smoke === null) {
    return { conclusion: 'success', rule: 'no smoke-test artifact: conclusion follows the workflow' };
  }
  const unread = smoke.unread;
  const cut = unread.uncounted || unread.cases > 0;
  if (smoke.files.length === 0 && !cut) {
    const why =
      smoke.problems.length === 0
        ? 'it held no JUnit XML files'
        : `${plural(smoke.problems.length, 'file')} could not be read`;
    return {
      conclusion: 'success',
      rule: `no smoke-test data (${why}): conclusion follows the workflow`,
    };
  }
  const unreadable =
    smoke.problems.length > 0 ? `; ${plural(smoke.problems.length, 'file')} could not be read` : '';
  const min = Number.isFinite(args.minPassRate) ? Math.min(1, Math.max(0, args.minPassRate)) : 1;
  const required = formatPercent(min);
  // The epsilon only absorbs floating-point noise (e.g. a rate written as 0.7 vs 7/10).
  const below = (rate: number) => rate + 1e-9 < min;
  const rateText = formatRate(smoke.counts);

  if (!cut) {
    if (smoke.rate === null) {
      return {
        conclusion: 'success',
        rule: `no smoke tests ran (${smoke.counts.skipped} skipped): conclusion follows the workflow${unreadable}`,
      };
    }
    return below(smoke.rate)
      ? { conclusion: 'failure', rule: `smoke pass rate ${rateText} is below the required ${required}${unreadable}` }
      : { conclusion: 'success', rule: `smoke pass rate ${rateText} meets the required ${required}${unreadable}` };
  }

  // A limit left results unread. Padding a file with passing cases can push failures past a cap,
  // so the rate of what was read cannot decide alone: the check passes only if the required rate
  // holds even when every unread test case failed, and never when how much went unread is unknown
  // (unless any rate passes).
  const ran = smoke.counts.total - smoke.counts.skipped;
  const worst = unread.uncounted ? 0 : smoke.counts.passed / (ran + unread.cases);
  const cases = `${unread.cases.toLocaleString('en-US')} test case${unread.cases === 1 ? '' : 's'}`;
  const what = unread.uncounted ? 'part of the smoke-test results was over a limit and not read' : `${cases} over the limit ${unread.cases === 1 ? 'was' : 'were'} not read`;
  const readPart = smoke.rate === null ? 'no test that was read ran' : `${rateText} of the test cases read passed`;
  if (smoke.rate !== null && below(smoke.rate)) {
    return { conclusion: 'failure', rule: `smoke pass rate ${rateText} is below the required ${required}; ${what}${unreadable}` };
  }
  if (below(worst)) {
    return {
      conclusion: 'failure',
      rule: `${what}, so the required ${required} cannot be confirmed (${readPart})${unreadable}`,
    };
  }
  return {
    conclusion: 'success',
    rule: unread.uncounted
      ? `any smoke pass rate meets the required ${required} (${readPart}; ${what})${unreadable}`
      : `smoke pass rate ${rateText} meets the required ${required} even if the ${cases} not read (over the limit) all failed${unreadable}`,
  };
}

/**
 * "5/6 (83%)": passed out of the tests that ran (skipped excluded, as in passRate). The percentage
 * is floored so 99.9% reads 99% and 100% always means every test passed. "no tests" when none ran.
 */
export function formatRate(counts: Counts): string {
  const ran = counts.total - counts.skipped;
  if (ran <= 0) return 'no tests';
  return `${counts.passed}/${ran} (${Math.floor((counts.passed * 100) / ran)}%)`;
}

function formatPercent(rate: number): string {
  return `${Math.round(rate * 1000) / 10}%`;
}
