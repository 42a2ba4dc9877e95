/**
 * The repository page's trends per named target, side by side: each target's smoke pass rate and
 * run time over its recent runs on the default branch, drawn by the dashboard's own charts
 * (chart-svg.tsx: date and value of each point on hover or focus).
 */
import { SecondsChart, TrendChart } from './chart-svg';
import { percent } from './format';
import type { TargetRow } from './targets-view';

export function TargetTrends(props: { targets: TargetRow[]; branch: string }) {
  const shown = props.targets.filter((t) => t.trend.points.length > 0 || t.duration.points.length > 0);
  return (
    <>
      <h2 id="target-trends">Trends per target</h2>
      {shown.length === 0 ? (
        <p>
          No finished runs of any target on <code>{props.branch}</code> yet.
        </p>
      ) : (
        <div class="charts">
          {shown.map((t) => (
            <figure data-target-trend={t.name}>
              <h3>
                {t.name}
                {t.baseline ? <span class="muted"> (baseline)</span> : null} on <code>{props.branch}</code>
              </h3>
              <TrendChart trend={t.trend} title={`Smoke pass rate of ${t.name} on ${props.branch}`} />
              <SecondsChart series={t.duration} what="ran" title={`Run time of ${t.name} on ${props.branch}`} kind="target-duration" />
              <figcaption>
                {t.trend.runs > 0
                  ? `Rolling pass rate ${percent(t.trend.rate)} over the last ${t.trend.runs} ${t.trend.runs === 1 ? 'run' : 'runs'} with results; `
                  : 'No smoke-test results yet; '}
                run time, start to finish, of each recent run.
              </figcaption>
            </figure>
          ))}
        </div>
      )}
    </>
  );
}
