/** Words and numbers as the dashboard shows them. Pure: `now` is passed in. */
import { checkStatus } from '../../core/check-status';
import { conclusionWord } from '../../core/conclusion';
import { durationSeconds, formatDuration } from '../../core/jobs';

export type Tone = 'ok' | 'bad' | 'running' | 'waiting' | 'neutral';

/** A finished run's colour family by its conclusion; any other is neutral. */
const TONES: Record<string, Tone> = {
  success: 'ok',
  failure: 'bad',
  startup_failure: 'bad',
  timed_out: 'bad',
  action_required: 'waiting',
};

/** A run's (or job's) standing in one word and a colour family. */
export function statusOf(state: string, conclusion: string | null): { word: string; tone: Tone } {
  if (state === 'awaiting_approval') return { word: 'awaiting /ok-to-test', tone: 'waiting' };
  const status = checkStatus(state === 'waiting' || state === 'requested' || state === 'pending' ? 'queued' : state);
  if (status === 'completed') return { word: conclusionWord(conclusion ?? 'unknown'), tone: TONES[conclusion ?? ''] ?? 'neutral' };
  if (status === 'in_progress') return { word: 'running', tone: 'running' };
  return { word: 'queued', tone: 'waiting' };
}

const TRIGGERS: Record<string, string> = {
  push: 'push',
  pull_request: 'pull request',
  command: 'comment command',
  rerun: 're-run',
  approval: '/ok-to-test',
  // GitHub calls the feature the merge queue; the event's name (merge group) is not what users see.
  merge_group: 'merge queue',
};

export function triggerText(trigger: string, actor: string | null): string {
  const what = TRIGGERS[trigger] ?? trigger.replace(/_/g, ' ');
  return actor ? `${what} by ${actor}` : what;
}

export const shortSha = (sha: string) => sha.slice(0, 7);

/** A link from stored data (GitHub's or a run's) becomes an href only as an absolute http(s) URL. */
export function safeHref(url: string | null | undefined): string | null {
  if (!url) return null;
  const u = url.trim();
  return /^https?:\/\/[^\s]+$/i.test(u) ? u : null;
}

/** "12s ago", "5 min ago", "3 h ago", "4 days ago"; a future time (clock skew) reads "just now". */
export function ago(iso: string | null | undefined, now: Date): string {
  if (!iso) return '—';
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return '—';
  const s = Math.floor((now.getTime() - t) / 1000);
  if (s < 5) return 'just now';
  if (s < 60) return `${s}s ago`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ago`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h} h ago`;
  return `${Math.floor(h / 24)} days ago`;
}

/** "2026-11-25 12:00 UTC": absolute, for a tooltip or a screen reader next to `ago`. */
export function utc(iso: string | null | undefined): string {
  if (!iso || Number.isNaN(Date.parse(iso))) return '';
  return `${new Date(iso).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** Seconds a run took, or has been running so far when it has not finished. */
export function runSeconds(startedAt: string | null, completedAt: string | null, now: Date): number | null {
  if (!startedAt) return null;
  return durationSeconds(startedAt, completedAt ?? now.toISOString());
}

export { formatDuration };

export function percent(rate: number | null | undefined): string {
  return rate === null || rate === undefined || !Number.isFinite(rate) ? '—' : `${Math.floor(rate * 100)}%`;
}

/** Passed out of the tests that ran (skips excluded), as the smoke badge counts. */
export function smokeText(counts: { passed: number; total: number; skipped: number } | null | undefined): string {
  if (!counts) return '—';
  const ran = counts.total - counts.skipped;
  return ran > 0 ? `${counts.passed}/${ran}` : 'no tests';
}

/** A piece of a run's note: plain text, a code span, or another run of the same repository named by its dispatch id. */
export type NoteSegment = { text: string } | { code: string } | { run: string };

const HELD_PREFIX = /^Waiting for \/ok-to-test:\s*/;
/** A dispatch id as notes write it ("dispatch 01J…", "Re-run of dispatch 01J…"): a ULID. */
const DISPATCH_REF = /(\bdispatch )([0-9A-HJKMNP-TV-Z]{26})\b/g;

/**
 * A run's note as the page shows it. Notes are written once for the check run's Markdown, so
 * their `code spans` become code here, not literal backticks, and a dispatch id they mention
 * becomes a link to that run. A held run's pill already says "awaiting /ok-to-test": its note
 * then starts with the reason rather than saying so twice.
 */
export function noteSegments(note: string, opts: { held: boolean }): NoteSegment[] {
  let text = note.replace(/\r\n|\r|\n/g, ' ').trim();
  if (opts.held && HELD_PREFIX.test(text)) {
    text = text.replace(HELD_PREFIX, '');
    text = text.charAt(0).toUpperCase() + text.slice(1);
  }
  const out: NoteSegment[] = [];
  // Odd pieces sit between backticks. An unmatched backtick stays as text.
  const parts = text.split(/`([^`\n]+)`/);
  parts.forEach((part, i) => {
    if (part === '') return;
    if (i % 2 === 1) {
      out.push({ code: part });
      return;
    }
    let last = 0;
    for (const m of part.matchAll(DISPATCH_REF)) {
      const start = m.index! + m[1]!.length;
      if (start > last) out.push({ text: part.slice(last, start) });
      out.push({ run: m[2]! });
      last = start + m[2]!.length;
    }
    if (last < part.length) out.push({ text: part.slice(last) });
  });
  return out;
}
