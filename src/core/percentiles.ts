/**
 * Percentiles of queue times and job durations. Nearest-rank: the value reported is one that
 * actually occurred (a p90 of "12m 03s" is a real job's wait, never an interpolation between two),
 * which reads better for small samples. Pure.
 */

/**
 * The `p`-th percentile (0 < p ≤ 100) of `values` by the nearest-rank method: the smallest value
 * with at least p% of the values at or below it. null for no values; NaN and infinities are ignored.
 */
export function percentile(values: readonly number[], p: number): number | null {
  if (!(p > 0 && p <= 100)) throw new RangeError(`percentile must be in (0, 100], got ${p}`);
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return null;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.max(0, rank - 1)]!;
}

interface Spread {
  count: number;
  p50: number | null;
  p90: number | null;
}

export function spread(values: readonly number[]): Spread {
  const finite = values.filter((v) => Number.isFinite(v));
  return { count: finite.length, p50: percentile(finite, 50), p90: percentile(finite, 90) };
}

/** One job's figures, in seconds; null where not known (not started yet, still running). */
export interface TimingSample {
  labels: string[];
  queueSeconds: number | null;
  durationSeconds: number | null;
}

export interface LabelSetStats {
  /** Lower-cased and sorted: `[ARM64, self-hosted]` and `[self-hosted, arm64]` are one set. */
  labels: string[];
  jobs: number;
  queueSeconds: Spread;
  durationSeconds: Spread;
}

export const labelSetKey = (labels: readonly string[]) =>
  [...new Set(labels.map((l) => l.trim().toLowerCase()).filter((l) => l !== ''))].sort();

/** Queue time and duration spreads per label set, the busiest set first. */
export function statsByLabelSet(samples: readonly TimingSample[]): LabelSetStats[] {
  const groups = new Map<string, { labels: string[]; queue: number[]; duration: number[]; jobs: number }>();
  for (const s of samples) {
    const labels = labelSetKey(s.labels);
    const k = JSON.stringify(labels);
    const g = groups.get(k) ?? { labels, queue: [], duration: [], jobs: 0 };
    g.jobs++;
    if (s.queueSeconds !== null) g.queue.push(s.queueSeconds);
    if (s.durationSeconds !== null) g.duration.push(s.durationSeconds);
    groups.set(k, g);
  }
  return [...groups.values()]
    .map((g) => ({ labels: g.labels, jobs: g.jobs, queueSeconds: spread(g.queue), durationSeconds: spread(g.duration) }))
    .sort((a, b) => b.jobs - a.jobs || a.labels.join(',').localeCompare(b.labels.join(',')));
}
