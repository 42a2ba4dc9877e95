// Decisions over parsed smoke-test results: totals, the check-run conclusion, differences with the
// base, flaky tests, annotations and the summary text. Pure: no I/O, no clock.
import { checkStateFromWorkflowRun } from './conclusion';
import { passRate, sumCounts, type Counts, type JUnitFile, type Outcome, type ParseResult, type TestCaseResult } from './junit';

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

export const nothingUnread = (): Unread => ({ cases: 0, uncounted: false, notes: [] });

export type CheckConclusion =
  | 'success'
  | 'failure'
  | 'cancelled'
  | 'timed_out'
  | 'neutral'
  | 'skipped'
  | 'action_required';

export interface BaseDiff {
  newlyFailing: TestCaseResult[];
  newlyPassing: TestCaseResult[];
}

export interface TestOutcomeRecord {
  testId: string;
  name: string;
  outcome: Outcome;
  /** Which attempt / matrix file reported it, e.g. "attempt 2 · results-py3.11.xml". */
  source: string;
}

export interface FlakyTest {
  testId: string;
  name: string;
  passed: number;
  failed: number;
}

export interface CheckAnnotation {
  path: string;
  start_line: number;
  end_line: number;
  annotation_level: 'failure';
  title: string;
  message: string;
}

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

/**
 * A workflow that did not succeed decides on its own; smoke results can only turn a success into a
 * failure (never rescue a failed workflow, never fail a cancelled one). Results a limit left unread
 * count as failed for the verdict (see below); files that are not JUnit at all are reported and
 * left out, as a missing artifact is.
 */
export function decideConclusion(args: {
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
    return { conclusion: (conclusion ?? 'failure') as CheckConclusion, rule };
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

export const isFailing = (o: Outcome): boolean => o === 'failed' || o === 'errored';

/**
 * Tests that fail now but did not fail on the base (including tests the base does not have), and
 * tests that pass now but failed on the base. A test seen in several matrix files counts as
 * failing if any of them failed. `base === null` (no base run known) → nothing to compare.
 */
export function compareWithBase(
  current: TestCaseResult[],
  base: { id: string; outcome: Outcome }[] | null,
): BaseDiff {
  if (base === null) return { newlyFailing: [], newlyPassing: [] };
  const baseFailing = new Map<string, boolean>();
  for (const b of base) baseFailing.set(b.id, (baseFailing.get(b.id) ?? false) || isFailing(b.outcome));

  const byId = new Map<string, { first: TestCaseResult; failing: TestCaseResult | null; passed: boolean }>();
  for (const t of current) {
    const seen = byId.get(t.id) ?? { first: t, failing: null, passed: false };
    if (isFailing(t.outcome) && seen.failing === null) seen.failing = t;
    if (t.outcome === 'passed') seen.passed = true;
    byId.set(t.id, seen);
  }

  const newlyFailing: TestCaseResult[] = [];
  const newlyPassing: TestCaseResult[] = [];
  for (const [id, s] of byId) {
    const wasFailing = baseFailing.get(id);
    if (s.failing !== null) {
      if (wasFailing !== true) newlyFailing.push(s.failing);
    } else if (s.passed && wasFailing === true) {
      newlyPassing.push(s.first);
    }
  }
  return { newlyFailing, newlyPassing };
}

/**
 * A flaky test passed and failed (or errored) on the same commit, across attempts, re-runs or
 * matrix entries. The same (test, source) reported twice counts once, so ingesting an artifact
 * again cannot invent flakiness.
 */
export function findFlaky(outcomes: TestOutcomeRecord[]): FlakyTest[] {
  const seen = new Set<string>();
  const byId = new Map<string, FlakyTest>();
  for (const o of outcomes) {
    const key = `${o.testId}\u0000${o.source}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const f = byId.get(o.testId) ?? { testId: o.testId, name: o.name, passed: 0, failed: 0 };
    if (o.outcome === 'passed') f.passed++;
    else if (isFailing(o.outcome)) f.failed++;
    byId.set(o.testId, f);
  }
  return [...byId.values()]
    .filter((f) => f.passed > 0 && f.failed > 0)
    .sort((a, b) => a.name.localeCompare(b.name) || a.testId.localeCompare(b.testId));
}

/** Pass rate over the most recent runs. `runs` is newest first; the first `window` are used. */
export function rollingRate(runs: Counts[], window = 20): { rate: number | null; runs: number } {
  const n = Math.max(0, Math.floor(window));
  const recent = runs.slice(0, n);
  return { rate: passRate(sumCounts(recent)), runs: recent.length };
}

const MAX_TITLE_CHARS = 255;
const MAX_ANNOTATION_MESSAGE_BYTES = 64 * 1024;

/**
 * Check-run annotations for failed and errored tests, at most `max`: one per test, even when
 * several matrix files report the same failure (they would all point at the same line). A test
 * without a usable repository path is pinned to the workflow file, line 1, so it still shows on
 * the pull request.
 */
export function selectAnnotations(
  tests: TestCaseResult[],
  args: { max: number; workflowPath: string },
): CheckAnnotation[] {
  const failures = new Map<string, number>();
  for (const t of tests) if (isFailing(t.outcome)) failures.set(t.id, (failures.get(t.id) ?? 0) + 1);
  const done = new Set<string>();
  const out: CheckAnnotation[] = [];
  for (const t of tests) {
    if (out.length >= args.max) break;
    if (!isFailing(t.outcome) || done.has(t.id)) continue;
    done.add(t.id);
    const times = failures.get(t.id) ?? 1;
    const path = t.file === null ? null : repoRelative(t.file);
    const line = path === null ? 1 : Math.max(1, t.line ?? 1);
    const verb = t.outcome === 'errored' ? 'Error' : 'Failed';
    const where =
      (path === null && t.file !== null ? `\n(reported in ${t.file})` : '') +
      (times > 1 ? `\n(failed in ${times} result files)` : '');
    const body = [t.message, t.details && t.details !== t.message ? t.details : null]
      .filter((s): s is string => !!s)
      .join('\n\n');
    out.push({
      path: path ?? args.workflowPath,
      start_line: line,
      end_line: line,
      annotation_level: 'failure',
      title: clipChars(`${verb}: ${displayName(t)}`, MAX_TITLE_CHARS),
      message: clipUtf8(`${body || `The test ${t.outcome === 'errored' ? 'errored' : 'failed'}.`}${where}`, MAX_ANNOTATION_MESSAGE_BYTES),
    });
  }
  return out;
}

/**
 * Reporters often write absolute runner paths (/home/runner/work/repo/repo/src/x.ts, or
 * …/_work/repo/repo/… on self-hosted runners); annotations need a path inside the repository.
 * Returns null when no repository-relative path can be told.
 */
function repoRelative(file: string): string | null {
  let p = file.replace(/\\/g, '/');
  const runner = /\/_?work\/([^/]+)\/\1\/(.+)$/.exec(p);
  if (runner?.[2]) p = runner[2];
  else if (p.startsWith('/') || /^[A-Za-z]:\//.test(p)) return null;
  p = p.replace(/^(?:\.\/)+/, '');
  return p === '' || p.split('/').includes('..') ? null : p;
}

/** "Class › name", or the name alone when it already says the class. */
export function displayName(t: TestCaseResult): string {
  return t.classname && !t.name.includes(t.classname) && t.classname !== t.file
    ? `${t.classname} › ${t.name}`
    : t.name;
}

export function chunk<T>(items: T[], size: number): T[][] {
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`chunk size must be a positive integer, got ${size}`);
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

// ---------------------------------------------------------------------------------------------
// Markdown for the check-run summary

/** GitHub's limit for a check run's output.summary is 65,535 characters; leave room for a header. */
const DEFAULT_MAX_CHARS = 60_000;
const DEFAULT_MAX_LISTED = 25;

/**
 * `notes` are about the artifact as a whole (missing, expired, too large, from an earlier attempt,
 * unreadable zip entries); they are shown as warnings under the heading. They are plain text.
 */
export function renderSmokeMarkdown(
  smoke: SmokeSet | null,
  extras: {
    baseDiff?: BaseDiff | null;
    /** What the base is, e.g. "`main` (run 01J…)"; plain text. Default "the base". */
    baseLabel?: string;
    flaky?: FlakyTest[];
    notes?: string[];
    maxListed?: number;
    maxChars?: number;
  } = {},
): string {
  const maxListed = extras.maxListed ?? DEFAULT_MAX_LISTED;
  const lines: string[] = [];
  // What a limit left unread comes first: the counts below cover only what was read.
  const notes = [...(smoke?.unread.notes ?? []), ...(extras.notes ?? [])].filter((n) => n.trim() !== '');
  const pushNotes = () => {
    if (notes.length === 0) return;
    lines.push('');
    for (const n of notes) lines.push(`> ⚠️ ${md(n)}`, '>');
    lines.pop();
  };

  if (smoke === null) {
    lines.push('### Smoke tests: no data', '');
    lines.push(
      notes.length === 0
        ? 'No smoke-test artifact was found for this run: the conclusion follows the workflow.'
        : 'No smoke-test results could be read for this run: the conclusion follows the workflow.',
    );
    pushNotes();
    return fit(lines, extras.maxChars);
  }

  if (smoke.files.length === 0) {
    lines.push('### Smoke tests: no data', '');
    lines.push(
      smoke.unread.uncounted || smoke.unread.cases > 0
        ? 'No smoke-test results were read: the artifact was over a limit (see below).'
        : smoke.problems.length === 0
          ? 'The smoke-test artifact held no JUnit XML files: the conclusion follows the workflow.'
          : 'No file in the smoke-test artifact could be read: the conclusion follows the workflow.',
    );
    pushNotes();
    pushProblems(lines, smoke);
    return fit(lines, extras.maxChars);
  }

  const c = smoke.counts;
  lines.push(`### Smoke tests: ${formatRate(c)}`, '');
  lines.push('| File | Passed | Failed | Errored | Skipped | Result |', '|---|---:|---:|---:|---:|---|');
  for (const f of smoke.files) {
    const k = f.counts;
    lines.push(`| ${md(f.fileName)} | ${k.passed} | ${k.failed} | ${k.errored} | ${k.skipped} | ${formatRate(k)} |`);
  }
  lines.push('');
  lines.push(
    `**Total: ${formatRate(c)}**: ${c.passed} passed, ${c.failed} failed, ${c.errored} errored, ${c.skipped} skipped` +
      (smoke.files.length > 1 ? ` across ${smoke.files.length} files.` : '.'),
  );
  pushNotes();
  const reruns = smoke.files.reduce((n, f) => n + f.flakyReruns, 0);
  if (reruns > 0) lines.push('', `${plural(reruns, 'test')} passed only after a re-run.`);

  const failing = smoke.files.flatMap((f) => f.tests.filter((t) => isFailing(t.outcome)).map((t) => ({ t, f })));
  if (failing.length > 0) {
    lines.push('', `#### Failing tests (${failing.length})`, '');
    for (const { t, f } of failing.slice(0, maxListed)) lines.push(`- ${testLine(t)} (${md(f.fileName)})`);
    if (failing.length > maxListed) {
      lines.push(`- … and ${failing.length - maxListed} more (see the annotations)`);
    }
  }

  const diff = extras.baseDiff;
  if (diff) {
    const base = extras.baseLabel ? md(extras.baseLabel) : 'the base';
    if (diff.newlyFailing.length === 0 && diff.newlyPassing.length === 0) {
      lines.push('', `No test changed between failing and passing compared with ${base}.`);
    }
    pushList(lines, `Newly failing compared with ${base} (${diff.newlyFailing.length})`, diff.newlyFailing.map(testLine), maxListed);
    pushList(
      lines,
      `Newly passing compared with ${base} (${diff.newlyPassing.length})`,
      diff.newlyPassing.map((t) => `✅ **${md(displayName(t))}**`),
      maxListed,
    );
  }

  if (extras.flaky && extras.flaky.length > 0) {
    pushList(
      lines,
      `Flaky: passed and failed on this commit (${extras.flaky.length})`,
      extras.flaky.map((f) => `**${md(f.name)}**: passed ${f.passed}×, failed ${f.failed}×`),
      maxListed,
    );
  }

  pushProblems(lines, smoke);
  return fit(lines, extras.maxChars);
}

function testLine(t: TestCaseResult): string {
  const icon = t.outcome === 'errored' ? '💥' : '❌';
  const first = t.message?.split('\n', 1)[0]?.trim();
  const msg = first ? `: ${md(clipChars(first, 200))}` : '';
  return `${icon} **${md(displayName(t))}**${t.outcome === 'errored' ? ' (error)' : ''}${msg}`;
}

function pushList(lines: string[], heading: string, items: string[], max: number): void {
  if (items.length === 0) return;
  lines.push('', `#### ${heading}`, '');
  for (const item of items.slice(0, max)) lines.push(`- ${item}`);
  if (items.length > max) lines.push(`- … and ${items.length - max} more`);
}

function pushProblems(lines: string[], smoke: SmokeSet): void {
  if (smoke.problems.length === 0) return;
  lines.push('');
  for (const p of smoke.problems) lines.push(`> ⚠️ ${md(p.fileName)} was not read: ${md(p.error)}`, '>');
  lines.pop(); // no trailing empty quote line
}

function fit(lines: string[], maxChars = DEFAULT_MAX_CHARS): string {
  const text = lines.join('\n');
  if (text.length <= maxChars) return text;
  const note = '\n\n_… summary trimmed to fit GitHub’s size limit; the annotations list every failure._';
  const cut = text.lastIndexOf('\n', Math.max(0, maxChars - note.length));
  return text.slice(0, Math.max(0, cut)) + note;
}

/**
 * Test names and messages are written by the tested project: escape what Markdown or HTML would
 * interpret, and keep each on one line so a table or list stays intact.
 */
function md(s: string): string {
  return s.replace(/\s+/g, ' ').trim().replace(/[\\`*_[\]<>|#~&!]/g, (ch) => `\\${ch}`);
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export function clipChars(s: string, max: number): string {
  if (s.length <= max) return s;
  let cut = max - 1;
  const last = s.charCodeAt(cut - 1);
  if (last >= 0xd800 && last <= 0xdbff) cut--; // never split a surrogate pair
  return `${s.slice(0, cut)}…`;
}

function clipUtf8(s: string, maxBytes: number): string {
  if (s.length * 3 <= maxBytes) return s;
  const suffix = '\n… (trimmed)';
  const budget = maxBytes - new TextEncoder().encode(suffix).length;
  let bytes = 0;
  let end = 0;
  for (const ch of s) {
    const cp = ch.codePointAt(0) ?? 0;
    const size = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    if (bytes + size > budget) return s.slice(0, end) + suffix;
    bytes += size;
    end += ch.length;
  }
  return s;
}

// ---------------------------------------------------------------------------------------------
// A test's recent history on a branch, kept as one short string (one character per run, newest
// first) so a test's pass rate and flakiness are one item read, not a query over its runs.

const CODES: Record<Outcome, string> = { passed: 'P', failed: 'F', errored: 'E', skipped: 'S' };

/** P passed, F failed, E errored, S skipped; lower case when the test was flaky on that commit. */
export function outcomeCode(outcome: Outcome, flaky: boolean): string {
  const c = CODES[outcome];
  return flaky ? c.toLowerCase() : c;
}

export function outcomeOfCode(code: string): Outcome | null {
  switch (code.toUpperCase()) {
    case 'P':
      return 'passed';
    case 'F':
      return 'failed';
    case 'E':
      return 'errored';
    case 'S':
      return 'skipped';
    default:
      return null;
  }
}

/** The newest run first, the oldest dropped beyond `window`. */
export function pushRecent(recent: string, code: string, window = 20): string {
  return (code + recent).slice(0, Math.max(1, window));
}

/**
 * Pass rate over the runs in `recent` that ran the test (skips excluded, as in passRate), and
 * whether it was flaky in any of them.
 */
export function recentStats(recent: string): { rate: number | null; ran: number; passed: number; flaky: boolean } {
  let ran = 0;
  let passed = 0;
  let flaky = false;
  for (const ch of recent) {
    const o = outcomeOfCode(ch);
    if (o === null) continue;
    if (ch !== ch.toUpperCase()) flaky = true;
    if (o === 'skipped') continue;
    ran++;
    if (o === 'passed') passed++;
  }
  return { rate: ran > 0 ? passed / ran : null, ran, passed, flaky };
}

/**
 * One outcome for a test reported several times in one run (matrix files): any failure or error
 * wins (errors before failures only when nothing failed), then a pass, then a skip.
 */
export function aggregateOutcome(outcomes: Outcome[]): Outcome {
  if (outcomes.includes('failed')) return 'failed';
  if (outcomes.includes('errored')) return 'errored';
  if (outcomes.includes('passed')) return 'passed';
  return 'skipped';
}
