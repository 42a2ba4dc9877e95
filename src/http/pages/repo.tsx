import { ArtifactSizes } from './artifact-sizes-chart';
import type { ArtifactSizesView } from './artifact-sizes-view';
import { TargetsTable } from './targets-table';
import type { TargetRow } from './targets-view';
import { TrendChart } from './chart-svg';
import { formatDuration, percent, shortSha, smokeText, triggerText } from './format';
import { BadgeImg, Breakable, Chips, Layout, Pill, smokeSpec, statusSpec, Time } from './layout';
import type { LatestRun } from '../../store/repos';
import type { LabelSetStats } from '../../core/percentiles';
import { withToken, type RepoView, type RunRow } from './view-models';

function RunsTable(props: { runs: RunRow[]; now: Date }) {
  return (
    <div class="scroll">
      <table>
        <thead>
          <tr>
            {/* What a reader scans for comes first, so a phone shows it without scrolling. */}
            <th scope="col">Commit</th>
            <th scope="col">Status</th>
            <th scope="col" class="num">
              Smoke
            </th>
            <th scope="col">Branch or PR</th>
            <th scope="col">Trigger</th>
            <th scope="col" class="num">
              Duration
            </th>
            <th scope="col">When</th>
          </tr>
        </thead>
        <tbody>
          {props.runs.map((r) => (
            <tr data-run={r.dispatchId}>
              <td>
                <a href={r.url}>
                  <span class="sr">Run of commit </span>
                  <code>{shortSha(r.sha)}</code>
                </a>
              </td>
              <td>
                <Pill status={r.status} />
                {r.attempt > 1 ? <span class="muted"> attempt {r.attempt}</span> : null}
              </td>
              <td class="num">{smokeText(r.smoke)}</td>
              <td>{r.pr ? `PR #${r.pr}` : <code>{r.branch ?? '—'}</code>}</td>
              <td>{triggerText(r.trigger, r.actor)}</td>
              <td class="num">{formatDuration(r.durationSeconds)}</td>
              <td>
                <Time iso={r.startedAt ?? r.createdAt} now={props.now} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function QueueTable(props: { queue: LabelSetStats[] }) {
  return (
    <div class="scroll">
      <table>
        <thead>
          <tr>
            <th scope="col">Runner labels</th>
            <th scope="col" class="num">
              Jobs
            </th>
            <th scope="col" class="num">
              Queue p50
            </th>
            <th scope="col" class="num">
              Queue p90
            </th>
            <th scope="col" class="num">
              Run p50
            </th>
            <th scope="col" class="num">
              Run p90
            </th>
          </tr>
        </thead>
        <tbody>
          {props.queue.map((q) => (
            <tr>
              <td>{q.labels.length ? <Chips items={q.labels} /> : '—'}</td>
              <td class="num">{q.jobs}</td>
              <td class="num">{formatDuration(q.queueSeconds.p50)}</td>
              <td class="num">{formatDuration(q.queueSeconds.p90)}</td>
              <td class="num">{formatDuration(q.durationSeconds.p50)}</td>
              <td class="num">{formatDuration(q.durationSeconds.p90)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function RepoPage(props: {
  view: RepoView;
  latest: LatestRun | null;
  token: string | null;
  now: Date;
  targets?: TargetRow[] | null;
  artifacts?: ArtifactSizesView | null;
}) {
  const v = props.view;
  const withData = v.trends.filter((t) => t.points.length > 0);
  // The preview loads from this server, whatever PUBLIC_URL the snippet names.
  const local = (u: string) => {
    const url = new URL(u);
    return `${url.pathname}${url.search}`;
  };
  const older = v.cursor ? withToken(`${v.url.split('?')[0]}?cursor=${encodeURIComponent(v.cursor)}`, props.token) : null;
  return (
    <Layout title={`${v.repo} · arm64 CI`} script>
      <h1>{v.repo}</h1>
      <div class="row">
        <BadgeImg src={local(v.badge.status)} spec={statusSpec(props.latest)} alt={`arm64 status: ${statusSpec(props.latest).message}`} />
        <BadgeImg src={local(v.badge.smoke)} spec={smokeSpec(props.latest)} alt={`smoke tests: ${smokeSpec(props.latest).message}`} />
        <span class="muted">
          default branch <code>{v.defaultBranch}</code>
        </span>
      </div>
      {props.targets ? <TargetsTable targets={props.targets} /> : null}

      <h2>Runs</h2>
      {v.runs.length === 0 ? <p>No runs yet: push a commit or open a pull request.</p> : <RunsTable runs={v.runs} now={props.now} />}
      {older ? (
        <p class="more">
          <a href={older}>Older runs</a>
        </p>
      ) : null}

      {props.artifacts ? <ArtifactSizes view={props.artifacts} /> : null}

      <h2>Smoke-test pass rate</h2>
      {withData.length === 0 ? (
        <p>No smoke-test results yet.</p>
      ) : (
        <div class="charts">
          {withData.map((t) => (
            <figure data-branch={t.branch}>
              <h3>
                Branch <code>{t.branch}</code>
              </h3>
              <TrendChart trend={t} />
              <figcaption>
                Rolling pass rate {percent(t.rate)} over the last {t.runs} {t.runs === 1 ? 'run' : 'runs'} with results.
              </figcaption>
            </figure>
          ))}
        </div>
      )}

      <h2>Flaky tests</h2>
      {v.flaky.length === 0 ? (
        <p>
          No test passed and failed on the same commit in the recent runs on <code>{v.defaultBranch}</code>.
        </p>
      ) : (
        <div class="scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">Test</th>
                <th scope="col" class="num">
                  Pass rate
                </th>
                <th scope="col" class="num">
                  Runs
                </th>
                <th scope="col">Last flaky on</th>
              </tr>
            </thead>
            <tbody>
              {v.flaky.map((t) => (
                <tr>
                  <td class="text" title={t.id}>
                    <Breakable text={t.name} />
                  </td>
                  <td class="num">{percent(t.passRate)}</td>
                  <td class="num">{t.runs}</td>
                  <td>
                    {t.lastFlakySha ? <code>{shortSha(t.lastFlakySha)}</code> : '—'}{' '}
                    <Time iso={t.lastFlakyAt} now={props.now} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      {v.queue.length > 0 ? (
        <section class="queue">
          <h2>Queue times</h2>
          <p class="muted">From dispatch to a runner picking the job up, and how long jobs ran, over the last 7 days.</p>
          <QueueTable queue={v.queue} />
        </section>
      ) : null}

      <h2>README badge</h2>
      <p>Paste this Markdown into the repository's README{v.private ? ' (it carries the private badge token)' : ''}:</p>
      <div class="snippet">
        <pre id="badge-snippet">{v.badge.markdown}</pre>
        <button type="button" data-copy="badge-snippet" data-status="copy-status" data-label="Copy badge Markdown">
          Copy badge Markdown
        </button>
        <span id="copy-status" class="sr" role="status" aria-live="polite"></span>
      </div>
    </Layout>
  );
}
