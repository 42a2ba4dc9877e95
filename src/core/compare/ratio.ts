/**
 * The arithmetic the comparisons share: a duration ratio that timer noise cannot blow up, the
 * median of a sample, and how both read in a summary. Pure.
 */

/**
 * Durations under this count as this in a ratio. JUnit times of fast tests are mostly timer and
 * scheduler noise: 0.001 s against 0.004 s is not "4× slower". Clamping (rather than dropping
 * such tests) keeps a real jump visible: a test that went from 0.01 s to 2 s still reads 20×.
 */
export const DURATION_FLOOR_SECONDS = 0.1;

/**
 * `value ÷ reference`, each clamped up to `floor` seconds; null when either is unknown (null,
 * negative, not finite) or the floor is not positive and the reference is 0.
 */
export function durationRatio(
  value: number | null | undefined,
  reference: number | null | undefined,
  floor = DURATION_FLOOR_SECONDS,
): number | null {
  if (!isDuration(value) || !isDuration(reference)) return null;
  const f = Number.isFinite(floor) && floor > 0 ? floor : 0;
  const den = Math.max(reference, f);
  if (den === 0) return null;
  return Math.max(value, f) / den;
}

/** A duration a ratio can use: finite and not negative. */
export function isDuration(v: number | null | undefined): v is number {
  return typeof v === 'number' && Number.isFinite(v) && v >= 0;
}

/** The median of the finite values (the mean of the middle two for an even count); null for none. */
export function median(values: readonly number[]): number | null {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  const n = sorted.length;
  if (n === 0) return null;
  const mid = Math.floor(n / 2);
  return n % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** "1.52×", "12.3×", "140×": two significant decimals where they mean something. */
export function formatRatio(r: number | null): string {
  if (r === null || !Number.isFinite(r)) return '—';
  if (r >= 100) return `${Math.round(r)}×`;
  if (r >= 10) return `${r.toFixed(1)}×`;
  return `${r.toFixed(2)}×`;
}

/** Test times: "0.004 s", "0.31 s", "4.2 s", "1m 05s", "2h 03m"; "—" when unknown. */
export function formatSeconds(s: number | null | undefined): string {
  if (!isDuration(s)) return '—';
  if (s < 0.01) return `${s.toFixed(3)} s`;
  if (s < 1) return `${s.toFixed(2)} s`;
  if (s < 60) return `${s.toFixed(1)} s`;
  const whole = Math.round(s);
  const pad = (n: number) => String(n).padStart(2, '0');
  if (whole < 3600) return `${Math.floor(whole / 60)}m ${pad(whole % 60)}s`;
  return `${Math.floor(whole / 3600)}h ${pad(Math.floor((whole % 3600) / 60))}m`;
}

/** "+14.8%", "−3.0%", "0%": a relative change for a reader. */
export function formatChange(fraction: number): string {
  if (!Number.isFinite(fraction)) return '—';
  const pct = Math.round(fraction * 1000) / 10;
  if (pct === 0) return '0%';
  return `${pct > 0 ? '+' : '−'}${Math.abs(pct).toFixed(1)}%`;
}
