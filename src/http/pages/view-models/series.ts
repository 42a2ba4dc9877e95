/**
 * Time series the charts draw besides the pass rate: run duration and queue time, one point per
 * run, oldest first. Built from what the store already holds (dispatches, job timings); pure.
 */
import { decodeTime } from 'ulid';
import type { DispatchItem } from '../../../store/dispatches';
import type { JobTimingItem } from '../../../store/stats';

export interface SeriesPoint {
  dispatchId: string;
  /** When the run was dispatched (ISO); the x axis and the tooltip's date. */
  at: string;
  /** Seconds; null when the run has no figure (not finished, no job started). */
  value: number | null;
  sha: string | null;
}

export interface Series {
  /** Oldest first, at most SERIES_POINTS. */
  points: SeriesPoint[];
  /** The newest point's value. */
  latest: number | null;
}

/** As many runs as the pass-rate window, so the columns of a row line up in time. */
export const SERIES_POINTS = 20;

/** When a dispatch id (a ULID) was made, or null for anything that is not one. */
export function dispatchedAt(dispatchId: string): string | null {
  try {
    return new Date(decodeTime(dispatchId)).toISOString();
  } catch {
    return null;
  }
}

function seriesOf(points: SeriesPoint[]): Series {
  const kept = points.slice(-SERIES_POINTS);
  const withValue = kept.filter((p) => p.value !== null);
  return { points: kept, latest: withValue.length ? withValue[withValue.length - 1]!.value : null };
}

/** Start to finish of each completed run (given newest first, as the store lists them). */
export function durationSeries(runs: DispatchItem[]): Series {
  const points = runs
    .filter((d) => d.state === 'completed' && d.startedAt && d.completedAt)
    .map((d) => ({
      dispatchId: d.dispatchId,
      at: dispatchedAt(d.dispatchId) ?? d.createdAt,
      value: Math.max(0, Math.round((Date.parse(d.completedAt!) - Date.parse(d.startedAt!)) / 1000)),
      sha: d.sha,
    }))
    .filter((p) => Number.isFinite(p.value))
    .sort((a, b) => (a.dispatchId < b.dispatchId ? -1 : 1));
  return seriesOf(points);
}

/**
 * Per run, the longest any of its jobs waited from dispatch to a runner picking it up: what the
 * run as a whole waited for the slowest pool. Jobs not started yet have no queue time.
 */
export function queueSeries(timings: Pick<JobTimingItem, 'dispatchId' | 'queueSeconds'>[], shaOf: (dispatchId: string) => string | null = () => null): Series {
  const longest = new Map<string, number | null>();
  for (const t of timings) {
    const prev = longest.get(t.dispatchId) ?? null;
    const q = t.queueSeconds ?? null;
    longest.set(t.dispatchId, q === null ? prev : Math.max(prev ?? 0, q));
  }
  const points = [...longest.entries()]
    .filter(([, v]) => v !== null)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .flatMap(([dispatchId, value]) => {
      const at = dispatchedAt(dispatchId);
      return at ? [{ dispatchId, at, value, sha: shaOf(dispatchId) }] : [];
    });
  return seriesOf(points);
}
