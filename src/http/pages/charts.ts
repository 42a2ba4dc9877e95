/**
 * Geometry of the dashboard's line charts (trend charts and sparklines), drawn as server-side SVG.
 * Pure: values in, coordinates out. The page components in chart-svg.tsx turn them into markup.
 */

export interface ChartValue {
  /** A rate in [min, max]; null when the run had no data (drawn as a gap). */
  value: number | null;
  /** What the point is, for its tooltip, e.g. "abc1234: 5/6 (83%)". */
  label: string;
}

interface ChartPoint {
  x: number;
  y: number;
  value: number;
  label: string;
}

interface ChartGeometry {
  width: number;
  height: number;
  /** The plot area inside the padding. */
  plot: { left: number; top: number; right: number; bottom: number };
  /** Points with a value, in input order (left to right). */
  points: ChartPoint[];
  /** SVG `points` attributes of the polylines: consecutive points, split where a value is missing. */
  segments: string[];
  /** Horizontal guide lines with their labels (e.g. 0%, 50%, 100%). */
  ticks: { y: number; label: string }[];
}

interface ChartOptions {
  width: number;
  height: number;
  pad?: { top: number; right: number; bottom: number; left: number };
  /** The value range drawn from bottom to top; values outside are clamped. Default [0, 1]. */
  domain?: [number, number];
  /** Values at which to draw guide lines. Default none. */
  ticks?: number[];
  tickLabel?: (v: number) => string;
}

// One decimal keeps the markup short and is finer than a CSS pixel at any zoom that matters.
const round = (n: number) => Math.round(n * 10) / 10;

export function lineChart(values: ChartValue[], opts: ChartOptions): ChartGeometry {
  const pad = opts.pad ?? { top: 0, right: 0, bottom: 0, left: 0 };
  const [min, max] = opts.domain ?? [0, 1];
  const plot = { left: pad.left, top: pad.top, right: opts.width - pad.right, bottom: opts.height - pad.bottom };
  const w = Math.max(0, plot.right - plot.left);
  const h = Math.max(0, plot.bottom - plot.top);
  const span = max - min || 1;
  const yOf = (v: number) => round(plot.bottom - ((Math.min(max, Math.max(min, v)) - min) / span) * h);
  const n = values.length;
  // One point sits in the middle; more spread edge to edge.
  const xOf = (i: number) => round(n <= 1 ? plot.left + w / 2 : plot.left + (i * w) / (n - 1));

  const points: ChartPoint[] = [];
  const segments: string[] = [];
  let current: string[] = [];
  values.forEach((v, i) => {
    if (v.value === null || !Number.isFinite(v.value)) {
      if (current.length) segments.push(current.join(' '));
      current = [];
      return;
    }
    const p = { x: xOf(i), y: yOf(v.value), value: v.value, label: v.label };
    points.push(p);
    current.push(`${p.x},${p.y}`);
  });
  if (current.length) segments.push(current.join(' '));

  const label = opts.tickLabel ?? ((v: number) => `${Math.round(v * 100)}%`);
  const ticks = (opts.ticks ?? []).map((t) => ({ y: yOf(t), label: label(t) }));
  return { width: opts.width, height: opts.height, plot, points, segments, ticks };
}

/** A small chart with no axes for a table cell: the line and the newest point. */
export function sparkline(
  values: ChartValue[],
  size: { width: number; height: number } = { width: 100, height: 24 },
  domain?: [number, number],
): ChartGeometry {
  // Room for the stroke and the end dot, so neither is clipped at 0% or 100%.
  return lineChart(values, { ...size, pad: { top: 3, right: 3, bottom: 3, left: 3 }, ...(domain ? { domain } : {}) });
}

/**
 * A y range for durations: from 0 to a round number at or above the longest, so guide lines read
 * "0s / 1m 00s / 2m 00s" rather than odd values. Never empty (a flat series still has a height).
 */
export function secondsDomain(values: ChartValue[]): [number, number] {
  const max = Math.max(0, ...values.map((v) => (v.value !== null && Number.isFinite(v.value) ? v.value : 0)));
  const steps = [10, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 14400, 28800, 86400];
  const top = steps.find((s) => s >= max) ?? Math.ceil(max / 86400) * 86400;
  return [0, top];
}

/** The accessible name of a chart of durations: "Run time on main over the last 5 runs: latest 1m 35s, shortest 1m 02s, longest 3m 10s". */
export function describeSeconds(what: string, values: ChartValue[], format: (s: number) => string): string {
  const known = values.map((v) => v.value).filter((v): v is number => v !== null && Number.isFinite(v));
  if (known.length === 0) return `${what}: no runs yet`;
  const latest = known[known.length - 1]!;
  if (known.length === 1) return `${what}: 1 run, ${format(latest)}`;
  return `${what} over the last ${known.length} runs: latest ${format(latest)}, shortest ${format(Math.min(...known))}, longest ${format(Math.max(...known))}`;
}

/** One sentence for screen readers (the chart's accessible name). */
export function describeRates(what: string, values: ChartValue[]): string {
  const known = values.map((v) => v.value).filter((v): v is number => v !== null && Number.isFinite(v));
  if (known.length === 0) return `${what}: no runs with results yet`;
  const pct = (v: number) => `${Math.round(v * 100)}%`;
  const runs = `${known.length} ${known.length === 1 ? 'run' : 'runs'}`;
  const latest = known[known.length - 1]!;
  if (known.length === 1) return `${what}: ${runs}, ${pct(latest)}`;
  return `${what} over the last ${runs}: latest ${pct(latest)}, lowest ${pct(Math.min(...known))}, highest ${pct(Math.max(...known))}`;
}
