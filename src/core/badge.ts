/** The README badges: what they say, their colour, and their SVG / shields.io endpoint forms. */
import { makeBadge } from 'badge-maker';

export interface BadgeSpec {
  label: string;
  message: string;
  color: string;
}

/** Conclusions GitHub itself counts as passing for a required check. */
const PASSING = new Set(['success', 'neutral', 'skipped']);

export function statusBadge(latest: { status: string; conclusion: string | null } | null): BadgeSpec {
  const label = 'arm64';
  if (latest === null) return { label, message: 'no runs', color: 'lightgrey' };
  if (latest.status !== 'completed') return { label, message: 'running', color: 'blue' };
  if (latest.conclusion !== null && PASSING.has(latest.conclusion))
    return { label, message: 'passing', color: 'brightgreen' };
  // failure, timed_out, cancelled, action_required, startup_failure, stale, or a missing conclusion.
  return { label, message: 'failing', color: 'red' };
}

export function smokeBadge(counts: { passed: number; total: number } | null): BadgeSpec {
  const label = 'smoke tests';
  if (counts === null || !(counts.total > 0)) return { label, message: 'no data', color: 'lightgrey' };
  const total = Math.floor(counts.total);
  const passed = Math.min(total, Math.max(0, Math.floor(counts.passed)));
  const rate = passed / total;
  // Floor, so 999/1000 reads 99%: "100%" must mean every test passed.
  const percent = Math.floor((passed * 100) / total);
  return { label, message: `${passed}/${total} (${percent}%)`, color: rateColor(rate) };
}

function rateColor(rate: number): string {
  if (rate >= 1) return 'brightgreen';
  if (rate >= 0.9) return 'green';
  if (rate >= 0.75) return 'yellowgreen';
  if (rate >= 0.5) return 'yellow';
  if (rate > 0) return 'orange';
  return 'red';
}

/** badge-maker escapes the text and adds `<title>label: message</title>` for screen readers. */
export function renderBadgeSvg(spec: BadgeSpec): string {
  return makeBadge({ label: spec.label, message: spec.message, color: spec.color, style: 'flat' });
}

/** shields.io rejects unknown keys in endpoint JSON: exactly these four. */
export function shieldsEndpoint(spec: BadgeSpec): { schemaVersion: 1; label: string; message: string; color: string } {
  return { schemaVersion: 1, label: spec.label, message: spec.message, color: spec.color };
}
