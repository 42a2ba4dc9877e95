/**
 * The charts' markup: geometry from charts.ts, fixed width/height so the page never shifts. Each
 * point says its date and value twice: an SVG <title> (the browser's own tooltip, and what is
 * there without the script) and `data-tip`, which the dashboard script (client-script.ts) shows
 * at once on hover or keyboard focus.
 */
import type { Child } from 'hono/jsx';
import { describeRates, describeSeconds, lineChart, secondsDomain, sparkline, type ChartValue } from './charts';
import { formatDuration, shortSha, utc } from './format';
import type { Series, Trend } from './view-models';

const LINE = '#0969da';
const AXIS = '#d0d7de';
const LABEL = '#57606a';

/** "2026-12-03 02:00 UTC · 5/6 passed (83%) · abc1234": date first, then the value, then which run. */
/** The horizontal gridlines of a line chart, each labelled with its value on the left. */
export function Gridlines(props: { g: { plot: { left: number; right: number }; ticks: { y: number; label: string }[] } }) {
  const { g } = props;
  return (
    <>
      {g.ticks.map((t) => (
        <g>
          <line x1={g.plot.left} x2={g.plot.right} y1={t.y} y2={t.y} stroke={AXIS} stroke-width="1" />
          <text x={g.plot.left - 6} y={t.y + 4} text-anchor="end" font-size="12" fill={LABEL}>
            {t.label}
          </text>
        </g>
      ))}
    </>
  );
}

const tip = (at: string | null, value: string, sha: string | null) => [utc(at) || null, value, sha ? shortSha(sha) : null].filter(Boolean).join(' · ');

function trendValues(trend: Trend): ChartValue[] {
  return trend.points.map((p) => ({
    value: p.rate,
    label: tip(p.at, p.ran > 0 ? `${p.passed}/${p.ran} passed (${Math.floor((p.passed * 100) / p.ran)}%)` : 'no tests ran', p.sha),
  }));
}

function seriesValues(series: Series, what: string): ChartValue[] {
  return series.points.map((p) => ({ value: p.value, label: tip(p.at, `${what} ${formatDuration(p.value)}`, p.sha) }));
}

/** A chart's frame: its fixed size, and its name for screen readers and as the tooltip. */
export function ChartFrame(props: { class: string; g: { width: number; height: number; points: unknown[] }; name: string; kind?: string; children: Child }) {
  const { g } = props;
  return (
    <svg
      class={props.class}
      xmlns="http://www.w3.org/2000/svg"
      width={g.width}
      height={g.height}
      viewBox={`0 0 ${g.width} ${g.height}`}
      role="img"
      aria-label={props.name}
      data-points={g.points.length}
      data-chart={props.kind}
    >
      <title>{props.name}</title>
      {props.children}
    </svg>
  );
}

function Chart(props: { values: ChartValue[]; name: string; domain?: [number, number]; ticks: number[]; tickLabel?: (v: number) => string; kind: string }) {
  const g = lineChart(props.values, {
    // About a phone's width, so its labels stay legible when the chart shrinks to fit one.
    width: 400,
    height: 170,
    pad: { top: 12, right: 14, bottom: 26, left: 56 },
    ticks: props.ticks,
    ...(props.domain ? { domain: props.domain } : {}),
    ...(props.tickLabel ? { tickLabel: props.tickLabel } : {}),
  });
  return (
    <ChartFrame class="chart" g={g} name={props.name} kind={props.kind}>
      <Gridlines g={g} />
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
        // Focusable, so a keyboard reaches each point's tooltip too.
        <circle class="point" cx={p.x} cy={p.y} r="5" fill={LINE} stroke="#fff" stroke-width="1.5" tabindex="0" data-tip={p.label}>
          <title>{p.label}</title>
        </circle>
      ))}
    </ChartFrame>
  );
}

/** `title` names what the rates are of (a target's); by default, the trend's branch. */
export function TrendChart(props: { trend: Trend; title?: string }) {
  const values = trendValues(props.trend);
  return <Chart values={values} kind="pass-rate" name={describeRates(props.title ?? `Smoke pass rate on ${props.trend.branch}`, values)} ticks={[0, 0.5, 1]} />;
}

/** Durations over runs (run time, queue time): 0 at the bottom, a round number at the top. */
export function SecondsChart(props: { series: Series; what: string; title: string; kind: string }) {
  const values = seriesValues(props.series, props.what);
  const domain = secondsDomain(values);
  return (
    <Chart
      values={values}
      kind={props.kind}
      name={describeSeconds(props.title, values, formatDuration)}
      domain={domain}
      ticks={[0, domain[1] / 2, domain[1]]}
      tickLabel={(v) => formatDuration(v)}
    />
  );
}

function Spark(props: { values: ChartValue[]; name: string; domain?: [number, number] }) {
  const g = sparkline(props.values, { width: 100, height: 24 }, props.domain);
  const last = g.points[g.points.length - 1];
  return (
    <ChartFrame class="spark" g={g} name={props.name}>
      <line x1="0" x2={g.width} y1={g.plot.top} y2={g.plot.top} stroke={AXIS} stroke-width="1" stroke-dasharray="2 2" />
      {g.segments.map((s) => (
        <polyline points={s} fill="none" stroke={LINE} stroke-width="1.5" stroke-linejoin="round" />
      ))}
      {last ? <circle cx={last.x} cy={last.y} r="2.5" fill={LINE} /> : null}
    </ChartFrame>
  );
}

export function Sparkline(props: { trend: Trend }) {
  const values = trendValues(props.trend);
  return <Spark values={values} name={describeRates(`Smoke pass rate on ${props.trend.branch}`, values)} />;
}

export function SecondsSparkline(props: { series: Series; what: string; title: string }) {
  const values = seriesValues(props.series, props.what);
  return <Spark values={values} domain={secondsDomain(values)} name={describeSeconds(props.title, values, formatDuration)} />;
}
