/** Workflow job names and durations, as shown in the check run's jobs table. */

const OPEN = '([{';
const CLOSE = ')]}';

/**
 * GitHub names a matrix job "<name> (<value>, <value>, …)". Split that back into the job's base
 * name and its matrix values, keeping commas and brackets that sit inside a value.
 */
export function parseJobName(name: string): { base: string; matrix: string[] } {
  const trimmed = name.trim();
  const plain = { base: trimmed, matrix: [] as string[] };
  if (!trimmed.endsWith(')')) return plain;

  // Walk back from the final ")" to its matching "(".
  let depth = 0;
  let open = -1;
  for (let i = trimmed.length - 1; i >= 0; i--) {
    const c = trimmed[i]!;
    if (CLOSE.includes(c)) depth++;
    else if (OPEN.includes(c)) {
      depth--;
      if (depth === 0) {
        open = i;
        break;
      }
    }
  }
  // Unbalanced, or the whole name is in parentheses: nothing to split off.
  if (open <= 0) return plain;
  const base = trimmed.slice(0, open).trimEnd();
  if (base === '' || trimmed[open] !== '(') return plain;

  const inner = trimmed.slice(open + 1, -1);
  const matrix: string[] = [];
  let current = '';
  depth = 0;
  for (const c of inner) {
    if (OPEN.includes(c)) depth++;
    else if (CLOSE.includes(c)) depth = Math.max(0, depth - 1);
    if (c === ',' && depth === 0) {
      matrix.push(current.trim());
      current = '';
    } else current += c;
  }
  matrix.push(current.trim());
  if (matrix.length === 1 && matrix[0] === '') return { base, matrix: [] };
  return { base, matrix };
}

/** Whole seconds between two ISO timestamps; null when either is missing, invalid, or reversed. */
export function durationSeconds(start: string | null, end: string | null): number | null {
  if (!start || !end) return null;
  const a = Date.parse(start);
  const b = Date.parse(end);
  // GitHub's times are whole seconds while ours carry milliseconds: an end up to a second
  // "before" the start is the clocks' granularity, not a wrong order.
  if (Number.isNaN(a) || Number.isNaN(b) || b < a - 1000) return null;
  return Math.max(0, Math.round((b - a) / 1000));
}

/** "45s", "1m 05s", "2h 03m"; "—" when unknown. */
export function formatDuration(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds) || seconds < 0) return '—';
  const s = Math.floor(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${pad(s % 60)}s`;
  return `${Math.floor(s / 3600)}h ${pad(Math.floor((s % 3600) / 60))}m`;
}

const pad = (n: number) => String(n).padStart(2, '0');
