/** The charts' markup: geometry from charts.ts, fixed width/height so the page never shifts. */
import { describeRates, lineChart, sparkline, type ChartValue } from './charts';
import { shortSha } from './format';
import type { Trend } from './view-models';

const LINE = '#0969da';
const AXIS = '#d0d7de';
const LABEL = '#57606a';

function trendValues(trend: Trend): ChartValue[] {
  return trend.points.map((p) => ({
    value: p.rate,
    label: `${shortSha(p.sha)}: ${p.ran > 0 ? `${p.passed}/${p.ran} (${Math.floor((p.passed * 100) / p.ran)}%)` : 'no tests ran'}`,
  }));
}

export function TrendChart(props: { trend: Trend; width?: number; height?: number }) {
  const values = trendValues(props.trend);
  const g = lineChart(values, {
    // About a phone's width, so its labels stay legible when the chart shrinks to fit one.
    width: props.width ?? 400,
    height: props.height ?? 170,
    pad: { top: 12, right: 14, bottom: 26, left: 44 },
    ticks: [0, 0.5, 1],
  });
  const name = describeRates(`Smoke pass rate on ${props.trend.branch}`, values);
  return (
    <svg
      class="chart"
      xmlns="http://www.w3.org/2000/svg"
      width={g.width}
      height={g.height}
      viewBox={`0 0 ${g.width} ${g.height}`}
      role="img"
      aria-label={name}
      data-points={g.points.length}
    >
      <title>{name}</title>
      {g.ticks.map((t) => (
        <g>
          <line x1={g.plot.left} x2={g.plot.right} y1={t.y} y2={t.y} stroke={AXIS} stroke-width="1" />
          <text x={g.plot.left - 6} y={t.y + 4} text-anchor="end" font-size="12" fill={LABEL}>
            {t.label}
          </text>
        </g>
      ))}
      <text x={g.plot.left} y={g.height - 6} font-size="12" fill={LABEL}>
        older
      </text>
      <text x={g.plot.right} y={g.height - 6} text-anchor="end" font-size="12" fill={LABEL}>
        newest
      </text>
      {g.segments.map((s) => (
        <polyline points={s} fill="none" stroke={LINE} stroke-width="2" stroke-linejoin="round" />
      ))}
      {g.points.map((p) => (
        <circle class="point" cx={p.x} cy={p.y} r="4" fill={LINE} stroke="#fff" stroke-width="1">
          <title>{p.label}</title>
        </circle>
      ))}
    </svg>
  );
}

export function Sparkline(props: { trend: Trend }) {
  const values = trendValues(props.trend);
  const g = sparkline(values, { width: 100, height: 24 });
  const last = g.points[g.points.length - 1];
  return (
    <svg
      class="spark"
      xmlns="http://www.w3.org/2000/svg"
      width={g.width}
      height={g.height}
      viewBox={`0 0 ${g.width} ${g.height}`}
      role="img"
      aria-label={describeRates(`Smoke pass rate on ${props.trend.branch}`, values)}
      data-points={g.points.length}
    >
      <line x1="0" x2={g.width} y1={g.plot.top} y2={g.plot.top} stroke={AXIS} stroke-width="1" stroke-dasharray="2 2" />
      {g.segments.map((s) => (
        <polyline points={s} fill="none" stroke={LINE} stroke-width="1.5" stroke-linejoin="round" />
      ))}
      {last ? <circle cx={last.x} cy={last.y} r="2.5" fill={LINE} /> : null}
    </svg>
  );
}
