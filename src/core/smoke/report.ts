// The smoke-test section of a run as data: what the check-run summary says in Markdown
// (renderSmokeMarkdown in ./smoke.ts), kept with the run's results so the dashboard renders the
// same facts as HTML without parsing Markdown. Pure: no I/O, no clock.
import { clip } from '../text';
import { displayName, isFailing, type Counts, type Outcome } from '../test-results';
import type { BaseDiff, FlakyTest } from './compare';
import type { SmokeSet } from './verdict';

/**
 * Why there are (no) results: `read` — some JUnit files were read; otherwise the conclusion followed
 * the workflow because the artifact was `missing`, could not be fetched or used (`unreadable`, see
 * notes), held `no-files`, held `no-readable-file` (see problems), or was `over-limit` (see notes).
 */
export type SmokeReportState = 'read' | 'missing' | 'unreadable' | 'no-files' | 'no-readable-file' | 'over-limit';

/** A failing test as the summary lists it: one line each, clipped; plain text written by the tested project. */
export interface ReportedTest {
  name: string;
  outcome: Extract<Outcome, 'failed' | 'errored'>;
  /** The first line of the failure message. */
  message: string | null;
  /** The result file that reported it; null where the list is not per file (the base comparison). */
  file: string | null;
}

/** The first `maxListed` entries of a list and how long it was. */
export interface Listed<T> {
  items: T[];
  total: number;
}

export interface SmokeReport {
  state: SmokeReportState;
  /** Totals of what was read; null unless `read`. */
  counts: Counts | null;
  files: { name: string; counts: Counts }[];
  /** Plain-text warnings about the artifact as a whole, what a limit left unread first. */
  notes: string[];
  /** Tests that passed only after a re-run. */
  reruns: number;
  failing: Listed<ReportedTest>;
  /** Compared with the latest run on the base; null when there is none. */
  base: { label: string | null; newlyFailing: Listed<ReportedTest>; newlyPassing: Listed<string> } | null;
  flaky: Listed<{ name: string; passed: number; failed: number }>;
  /** Files of the artifact that were not read, and why. */
  problems: Listed<{ fileName: string; error: string }>;
}

/** As many as the Markdown summary lists. */
const MAX_LISTED = 25;
/** Clipped so the stored item stays small whatever the tested project writes. */
const MAX_NAME = 300;
const MAX_MESSAGE = 200;
const MAX_FILE = 200;
const MAX_ERROR = 300;

const oneLine = (s: string, max: number) => clip(s.replace(/\s+/g, ' ').trim(), max);

function listed<T, U>(all: T[], max: number, map: (t: T) => U): Listed<U> {
  return { items: all.slice(0, max).map(map), total: all.length };
}

export function smokeReport(
  smoke: SmokeSet | null,
  extras: { baseDiff?: BaseDiff | null; baseLabel?: string; flaky?: FlakyTest[]; notes?: string[]; maxListed?: number } = {},
): SmokeReport {
  const max = extras.maxListed ?? MAX_LISTED;
  const notes = [...(smoke?.unread.notes ?? []), ...(extras.notes ?? [])].filter((n) => n.trim() !== '');
  const failingTest = (file: string | null) => (t: SmokeSet['files'][number]['tests'][number]): ReportedTest => {
    const first = t.message?.split('\n', 1)[0]?.trim();
    return {
      name: oneLine(displayName(t), MAX_NAME),
      outcome: t.outcome === 'errored' ? 'errored' : 'failed',
      message: first ? oneLine(first, MAX_MESSAGE) : null,
      file: file === null ? null : oneLine(file, MAX_FILE),
    };
  };
  const empty = { items: [], total: 0 };
  const problems = listed(smoke?.problems ?? [], max, (p) => ({ fileName: oneLine(p.fileName, MAX_FILE), error: oneLine(p.error, MAX_ERROR) }));
  const none = { counts: null, files: [], notes, reruns: 0, failing: empty, base: null, flaky: empty, problems };

  if (smoke === null) return { ...none, state: notes.length === 0 ? 'missing' : 'unreadable' };
  if (smoke.files.length === 0) {
    const state =
      smoke.unread.uncounted || smoke.unread.cases > 0 ? 'over-limit' : smoke.problems.length === 0 ? 'no-files' : 'no-readable-file';
    return { ...none, state };
  }

  const failing = smoke.files.flatMap((f) => f.tests.filter((t) => isFailing(t.outcome)).map((t) => ({ t, f: f.fileName })));
  const diff = extras.baseDiff;
  return {
    state: 'read',
    counts: smoke.counts,
    files: smoke.files.map((f) => ({ name: oneLine(f.fileName, MAX_FILE), counts: f.counts })),
    notes,
    reruns: smoke.files.reduce((n, f) => n + f.flakyReruns, 0),
    failing: listed(failing, max, ({ t, f }) => failingTest(f)(t)),
    base: diff
      ? {
          label: extras.baseLabel ?? null,
          newlyFailing: listed(diff.newlyFailing, max, failingTest(null)),
          newlyPassing: listed(diff.newlyPassing, max, (t) => oneLine(displayName(t), MAX_NAME)),
        }
      : null,
    flaky: listed(extras.flaky ?? [], max, (f) => ({ name: oneLine(f.name, MAX_NAME), passed: f.passed, failed: f.failed })),
    problems,
  };
}
