/** The comparison of an arm64 run with the baseline's: the pass/fail diff table and the per-test duration ratios. */
import { formatRatio, formatSeconds } from '../../core/compare/ratio';
import type { OneSidedFailure, TestRatio } from '../../core/compare/runs';
import { formatRate } from '../../core/smoke/verdict';
import { shortSha } from './format';
import { Layout } from './layout';
import { num, Table } from './table';
import type { CompareView } from './compare-view';

/** Tests listed per side in the pass/fail table: a run where thousands fail stays a readable page. */
export const DIFF_ROWS = 100;

const BAR = '#cf222e';
const FASTER = '#1a7f37';
const AXIS = '#57606a';

/** One bar per test from the 1× line: right (red) when arm64 is slower, left (green) when faster; log scale. */
function RatioChart(props: { ratios: TestRatio[]; target: string; baseline: string }) {
  const rows = props.ratios;
  const width = 640;
  const label = 230;
  const row = 22;
  const height = rows.length * row + 28;
  const span = Math.max(1, ...rows.map((r) => Math.abs(Math.log2(r.ratio))));
  const mid = label + (width - label) / 2;
  const half = (width - label) / 2 - 50;
  const x = (r: number) => mid + (Math.log2(r) / span) * half;
  const name = `Duration ratio per test, ${props.target} ÷ ${props.baseline}: ${rows.length} tests, the largest ${rows[0] ? formatRatio(rows[0].ratio) : 'none'}`;
  return (
    <svg class="chart" xmlns="http://www.w3.org/2000/svg" width={width} height={height} viewBox={`0 0 ${width} ${height}`} role="img" aria-label={name} data-bars={rows.length}>
      <title>{name}</title>
      <line x1={mid} x2={mid} y1={0} y2={height - 20} stroke={AXIS} stroke-width={1} />
      <text x={mid} y={height - 6} font-size={11} fill={AXIS} text-anchor="middle">
        1× (same time)
      </text>
      {rows.map((r, i) => {
        const y = i * row + 4;
        const end = x(r.ratio);
        const clipped = r.name.length > 34 ? `${r.name.slice(0, 33)}…` : r.name;
        return (
          <g data-test={r.name}>
            <title>{`${r.name}: ${formatSeconds(r.targetSeconds)} on ${props.target}, ${formatSeconds(r.baselineSeconds)} on ${props.baseline} (${formatRatio(r.ratio)})`}</title>
            <text x={label - 6} y={y + 13} font-size={12} fill="#1f2328" text-anchor="end">
              {clipped}
            </text>
            <rect x={Math.min(mid, end)} y={y + 2} width={Math.max(1, Math.abs(end - mid))} height={row - 8} fill={r.ratio >= 1 ? BAR : FASTER} />
            <text x={Math.max(mid, end) + 4} y={y + 13} font-size={11} fill={AXIS}>
              {formatRatio(r.ratio)}
            </text>
          </g>
        );
      })}
    </svg>
  );
}

function DiffRows(props: { items: OneSidedFailure[]; failingSide: 'target' | 'baseline' }) {
  return (
    <>
      {props.items.slice(0, DIFF_ROWS).map((f) => {
        const mine = f.outcome === 'errored' ? 'error' : 'failed';
        const other = f.other === 'absent' ? 'not run' : f.other;
        return (
          <tr>
            <td class="text">{f.name}</td>
            <td class={props.failingSide === 'target' ? 'bad' : ''}>{props.failingSide === 'target' ? mine : other}</td>
            <td class={props.failingSide === 'baseline' ? 'bad' : ''}>{props.failingSide === 'baseline' ? mine : other}</td>
          </tr>
        );
      })}
    </>
  );
}

/** What the table left out, per side, and where every test is. */
function MoreRows(props: { counts: [number, string][]; json: string }) {
  const left = props.counts.filter(([n]) => n > DIFF_ROWS).map(([n, side]) => `the first ${DIFF_ROWS} of the ${n} tests failing only on ${side}`);
  if (left.length === 0) return null;
  return (
    <p class="muted">
      Showing {left.join(' and ')}. <a href={props.json}>The JSON</a> lists every test, failing only on one side first.
    </p>
  );
}

export function ComparePage(props: { view: CompareView }) {
  const { run, baseline, comparison: c, links, repo } = props.view;
  const t = run.target;
  return (
    <Layout title={`${repo} ${shortSha(run.sha)} ${t} compared · arm64 CI`}>
      <p class="muted">
        <a href={links.repo}>{repo}</a> · <a href={links.run}>the {t} run</a>
      </p>
      {!baseline || !c ? (
        <>
          <h1>
            Run of <code>{shortSha(run.sha)}</code> on {t}
          </h1>
          <p>Nothing to compare yet: this run has no baseline results to set it against (a baseline target, and results on both sides).</p>
        </>
      ) : (
        <>
          <h1>
            {t} compared with {baseline.target} <span class="muted">at</span> <code>{shortSha(run.sha)}</code>
          </h1>
          {baseline.sameCommit ? null : (
            <p class="muted">
              The baseline is <a href={baseline.url}>{baseline.target}'s run of <code>{shortSha(baseline.sha)}</code></a>: this commit had no {baseline.target} results when it was compared.
            </p>
          )}
          <Table columns={['', num(t), num(`${baseline.target} (baseline)`)]}>
            <tr>
              <th scope="row">Smoke tests</th>
              <td class="num">{formatRate(c.target.counts)}</td>
              <td class="num">{formatRate(c.baseline.counts)}</td>
            </tr>
            <tr>
              <th scope="row">Failing only here</th>
              <td class="num">{c.failingOnlyOnTarget.length}</td>
              <td class="num">{c.failingOnlyOnBaseline.length}</td>
            </tr>
            <tr>
              <th scope="row">Time of the {c.total.tests} tests passed on both</th>
              <td class="num">{formatSeconds(c.total.targetSeconds)}</td>
              <td class="num">{formatSeconds(c.total.baselineSeconds)}</td>
            </tr>
            <tr>
              <th scope="row">Ratio ({t} ÷ {baseline.target})</th>
              <td class="num" colspan={2}>
                {formatRatio(c.total.ratio)}
              </td>
            </tr>
          </Table>

          <h2 id="diff">Pass/fail differences</h2>
          {c.failingOnlyOnTarget.length + c.failingOnlyOnBaseline.length === 0 ? (
            <p>No test fails on one side only{c.failingOnBoth > 0 ? ` (${c.failingOnBoth} fail on both)` : ''}.</p>
          ) : (
            <>
              <Table aria-describedby="diff" columns={['Test', t, baseline.target]}>
                <DiffRows items={c.failingOnlyOnTarget} failingSide="target" />
                <DiffRows items={c.failingOnlyOnBaseline} failingSide="baseline" />
              </Table>
              <MoreRows
                counts={[
                  [c.failingOnlyOnTarget.length, t],
                  [c.failingOnlyOnBaseline.length, baseline.target],
                ]}
                json={links.json}
              />
            </>
          )}

          <h2>Duration ratio per test</h2>
          {c.largestRatios.length === 0 ? (
            <p>No test passed with a time on both sides (JUnit `time` attributes).</p>
          ) : (
            <figure>
              <RatioChart ratios={c.largestRatios} target={t} baseline={baseline.target} />
              <figcaption>
                {t} ÷ {baseline.target}, largest first, logarithmic; times under {formatSeconds(c.floorSeconds)} count as {formatSeconds(c.floorSeconds)}.
              </figcaption>
            </figure>
          )}
        </>
      )}
    </Layout>
  );
}
