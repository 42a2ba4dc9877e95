/** The repository page's artifact-size charts: one line per artifact over the default branch's runs. */
import { formatBytes } from '../../core/text';
import { lineChart } from './charts';
import { ChartFrame, Gridlines } from './chart-svg';
import { shortSha } from './format';
import type { ArtifactSeries, ArtifactSizesView } from './artifact-sizes-view';

const LINE = '#8250df';

function SizeChart(props: { series: ArtifactSeries; branch: string }) {
  const known = props.series.points.map((p) => p.bytes).filter((b): b is number => b !== null);
  const max = Math.max(1, ...known);
  const g = lineChart(
    props.series.points.map((p) => ({ value: p.bytes, label: `${shortSha(p.sha)}: ${p.bytes === null ? 'not uploaded' : formatBytes(p.bytes)}` })),
    { width: 400, height: 170, pad: { top: 12, right: 14, bottom: 26, left: 70 }, domain: [0, max], ticks: [0, max / 2, max], tickLabel: (v) => formatBytes(Math.round(v)) },
  );
  const last = known.at(-1);
  const name = `Size of ${props.series.name} on ${props.branch}: ${known.length} runs, now ${last === undefined ? 'unknown' : formatBytes(last)}`;
  return (
    <ChartFrame class="chart" g={g} name={name}>
      <Gridlines g={g} />
      {g.segments.map((s) => (
        <polyline points={s} fill="none" stroke={LINE} stroke-width="2" stroke-linejoin="round" />
      ))}
      {g.points.map((p) => (
        <circle cx={p.x} cy={p.y} r="4" fill={LINE} stroke="#fff" stroke-width="1">
          <title>{p.label}</title>
        </circle>
      ))}
    </ChartFrame>
  );
}

export function ArtifactSizes(props: { view: ArtifactSizesView }) {
  const v = props.view;
  if (v.series.length === 0) return null;
  return (
    <>
      <h2>Artifact sizes</h2>
      <p class="muted">
        On <code>{v.branch}</code>
        {v.target ? ` (target ${v.target})` : ''}, oldest run on the left.
      </p>
      <div class="charts">
        {v.series.map((s) => (
          <figure data-artifact={s.name}>
            <SizeChart series={s} branch={v.branch} />
            <figcaption>{s.name}</figcaption>
          </figure>
        ))}
      </div>
    </>
  );
}
