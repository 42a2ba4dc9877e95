// The smoke-test section of the check-run summary (Markdown, for GitHub only): totals per file,
// failing tests, the comparison with the base, flaky tests, and what a limit left unread.
// Pure: no I/O, no clock.
import { escapeText } from '../markdown';
import { displayName, isFailing, type TestCaseResult } from '../test-results';
import { clip, plural } from '../text';
import type { BaseDiff, FlakyTest } from './compare';
import { formatRate, type SmokeSet } from './verdict';

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
    for (const n of notes) lines.push(`> ⚠️ ${escapeText(n)}`, '>');
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
    lines.push(`| ${escapeText(f.fileName)} | ${k.passed} | ${k.failed} | ${k.errored} | ${k.skipped} | ${formatRate(k)} |`);
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
    for (const { t, f } of failing.slice(0, maxListed)) lines.push(`- ${testLine(t)} (${escapeText(f.fileName)})`);
    if (failing.length > maxListed) {
      lines.push(`- … and ${failing.length - maxListed} more (see the annotations)`);
    }
  }

  const diff = extras.baseDiff;
  if (diff) {
    const base = extras.baseLabel ? escapeText(extras.baseLabel) : 'the base';
    if (diff.newlyFailing.length === 0 && diff.newlyPassing.length === 0) {
      lines.push('', `No test changed between failing and passing compared with ${base}.`);
    }
    pushList(lines, `Newly failing compared with ${base} (${diff.newlyFailing.length})`, diff.newlyFailing.map(testLine), maxListed);
    pushList(
      lines,
      `Newly passing compared with ${base} (${diff.newlyPassing.length})`,
      diff.newlyPassing.map((t) => `✅ **${escapeText(displayName(t))}**`),
      maxListed,
    );
  }

  if (extras.flaky && extras.flaky.length > 0) {
    pushList(
      lines,
      `Flaky: passed and failed on this commit (${extras.flaky.length})`,
      extras.flaky.map((f) => `**${escapeText(f.name)}**: passed ${f.passed}×, failed ${f.failed}×`),
      maxListed,
    );
  }

  pushProblems(lines, smoke);
  return fit(lines, extras.maxChars);
}

function testLine(t: TestCaseResult): string {
  const icon = t.outcome === 'errored' ? '💥' : '❌';
  const first = t.message?.split('\n', 1)[0]?.trim();
  const msg = first ? `: ${escapeText(clip(first, 200))}` : '';
  return `${icon} **${escapeText(displayName(t))}**${t.outcome === 'errored' ? ' (error)' : ''}${msg}`;
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
  for (const p of smoke.problems) lines.push(`> ⚠️ ${escapeText(p.fileName)} was not read: ${escapeText(p.error)}`, '>');
  lines.pop(); // no trailing empty quote line
}

function fit(lines: string[], maxChars = DEFAULT_MAX_CHARS): string {
  const text = lines.join('\n');
  if (text.length <= maxChars) return text;
  const note = '\n\n_… summary trimmed to fit GitHub’s size limit; the annotations list every failure._';
  const cut = text.lastIndexOf('\n', Math.max(0, maxChars - note.length));
  return text.slice(0, Math.max(0, cut)) + note;
}
