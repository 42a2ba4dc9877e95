import { DEFAULT_TARGET } from '../../core/default-target';
import { ArtifactSizes } from './artifact-sizes-chart';
import type { ArtifactSizesView } from './artifact-sizes-view';
import { TargetsTable } from './targets-table';
import { TargetTrends } from './targets-trends';
import type { TargetRow } from './targets-view';
import type { LabelSetStats } from '../../core/percentiles';
import { filterQuery, isEmptyFilter, RUN_STATUSES, type RunFilter, type RunStatusFilter } from '../../core/run-filter';
import type { LatestRun } from '../../store/repos';
import { SecondsChart, TrendChart } from './chart-svg';
import { formatDuration, percent, shortSha, smokeText, triggerText } from './format';
import { BadgeImg, Chips, Layout, Pill, smokeSpec, statusSpec, Time, type Live } from './layout';
import { num, Table, TestCell } from './table';
import { withToken, type RepoView, type RunRow } from './view-models';

const STATUS_WORDS: Record<RunStatusFilter, string> = {
  queued: 'queued',
  in_progress: 'running',
  awaiting_approval: 'awaiting /ok-to-test',
  completed: 'finished (any result)',
  success: 'passed',
  failure: 'failed',
  cancelled: 'cancelled',
};

/** A filter typed in, with the values seen on this page as suggestions. */
function SuggestField(props: { name: string; label: string; value: string | undefined; options: string[] }) {
  const id = `filter-${props.name}`;
  return (
    <>
      <div class="field">
        <label for={id}>{props.label}</label>
        <input id={id} name={props.name} value={props.value ?? ''} list={`${props.name}-options`} autocomplete="off" />
      </div>
      <datalist id={`${props.name}-options`}>
        {props.options.map((o) => (
          <option value={o} />
        ))}
      </datalist>
    </>
  );
}

/** A filter chosen from a list, or `any` (blank, left out of the URL). */
function ChoiceField(props: { name: string; label: string; value: string | undefined; options: { value: string; word: string }[] }) {
  const id = `filter-${props.name}`;
  return (
    <div class="field">
      <label for={id}>{props.label}</label>
      <select id={id} name={props.name}>
        <option value="">any</option>
        {props.options.map((o) => (
          <option value={o.value} selected={props.value === o.value}>
            {o.word}
          </option>
        ))}
      </select>
    </div>
  );
}

/**
 * The run filters as a plain GET form: submitting it is a URL anyone can share (blank fields are
 * left out by the dashboard script). Suggestions come from the runs on this page.
 */
function Filters(props: { filter: RunFilter; runs: RunRow[]; defaultBranch: string; base: string; token: string | null; targets: string[] }) {
  const f = props.filter;
  const branches = [...new Set([props.defaultBranch, ...props.runs.map((r) => r.branch).filter((b): b is string => !!b)])];
  const authors = [...new Set(props.runs.map((r) => r.actor).filter((a): a is string => !!a))];
  // A run without a named target is the `default` one (core/run-filter.ts).
  const targets = [...new Set([...(props.targets.length ? props.targets : [DEFAULT_TARGET]), ...props.runs.map((r) => r.target ?? DEFAULT_TARGET)])];
  return (
    <form class="filters" method="get" action={props.base} data-filters role="search" aria-label="Filter runs">
      <SuggestField name="branch" label="Branch" value={f.branch} options={branches} />
      <div class="field">
        <label for="filter-pr">Pull request</label>
        <input id="filter-pr" name="pr" class="short" value={f.pr === undefined ? '' : String(f.pr)} inputmode="numeric" autocomplete="off" />
      </div>
      <ChoiceField name="status" label="Status" value={f.status} options={RUN_STATUSES.map((st) => ({ value: st, word: STATUS_WORDS[st] }))} />
      <ChoiceField
        name="target"
        label="Target"
        value={f.target}
        options={[...targets, ...(f.target && !targets.includes(f.target) ? [f.target] : [])].map((t) => ({ value: t, word: t }))}
      />
      <SuggestField name="author" label="Author" value={f.author} options={authors} />
      {props.token ? <input type="hidden" name="token" value={props.token} /> : null}
      <button type="submit">Filter</button>
      {isEmptyFilter(f) ? null : <a href={withToken(props.base, props.token)}>Clear filters</a>}
    </form>
  );
}

function RunsTable(props: { runs: RunRow[]; now: Date }) {
  return (
    // What a reader scans for comes first, so a phone shows it without scrolling.
    <Table columns={['Commit', 'Status', num('Smoke'), 'Branch or PR', 'Trigger', num('Duration'), 'When']}>
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
    </Table>
  );
}

export function QueueTable(props: { queue: LabelSetStats[] }) {
  return (
    <Table columns={['Runner labels', num('Jobs'), num('Queue p50'), num('Queue p90'), num('Run p50'), num('Run p90')]}>
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
    </Table>
  );
}

export function RepoPage(props: {
  view: RepoView;
  latest: LatestRun | null;
  token: string | null;
  now: Date;
  live?: Live | null;
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
  const base = v.url.split('?')[0]!;
  const query = filterQuery(v.filter);
  const older = v.cursor ? withToken(`${base}?${query ? `${query}&` : ''}cursor=${encodeURIComponent(v.cursor)}`, props.token) : null;
  const filtered = !isEmptyFilter(v.filter);
  return (
    <Layout title={`${v.repo} · arm64 CI`} script live={props.live ?? null}>
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
      <Filters filter={v.filter} runs={v.runs} defaultBranch={v.defaultBranch} base={base} token={props.token} targets={(props.targets ?? []).map((t) => t.name)} />
      <div id="runs-live" data-live-part>
        {v.runs.length === 0 ? (
          <p>{filtered ? (older ? 'No runs on this page match these filters; older runs may.' : 'No runs match these filters.') : 'No runs yet: push a commit or open a pull request.'}</p>
        ) : (
          <RunsTable runs={v.runs} now={props.now} />
        )}
        {older ? (
          <p class="more">
            <a href={older}>Older runs</a>
          </p>
        ) : null}
        {props.live ? <p class="muted live-note">This list updates by itself while runs are in flight.</p> : null}
      </div>

      {props.artifacts ? <ArtifactSizes view={props.artifacts} /> : null}

      <div id="charts-live" data-live-part>
        {props.targets ? <TargetTrends targets={props.targets} branch={v.defaultBranch} /> : null}
        <h2>
          Smoke-test pass rate{v.target ? <> of <code>{v.target}</code> by branch</> : null}
        </h2>
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

        <h2>Run time and queue time</h2>
        {v.duration.points.length === 0 && v.queueTrend.points.length === 0 ? (
          <p>No finished runs yet.</p>
        ) : (
          <div class="charts">
            <figure data-series="duration">
              <h3>
                Run time {v.target ? <>of <code>{v.target}</code> </> : null}on <code>{v.defaultBranch}</code>
              </h3>
              <SecondsChart series={v.duration} what="ran" title={`Run time ${v.target ? `of ${v.target} ` : ''}on ${v.defaultBranch}`} kind="duration" />
              <figcaption>Start to finish of each recent run on the default branch{v.target ? ' (the target the plain badge shows)' : ''}.</figcaption>
            </figure>
            <figure data-series="queue">
              <h3>Queue time</h3>
              <SecondsChart series={v.queueTrend} what="waited" title="Queue time" kind="queue" />
              <figcaption>Per run of the last 7 days (any branch), the longest a job waited for a runner.</figcaption>
            </figure>
          </div>
        )}
      </div>

      <h2>Flaky tests</h2>
      {v.flaky.length === 0 ? (
        <p>
          No test passed and failed on the same commit in the recent runs on <code>{v.defaultBranch}</code>.
        </p>
      ) : (
        <Table columns={[...(v.target ? ['Target'] : []), 'Test', num('Pass rate'), num('Runs'), 'Last flaky on']}>
          {v.flaky.map((t) => (
            <tr>
              {v.target ? <td>{t.target}</td> : null}
              <TestCell name={t.name} id={t.id} />
              <td class="num">{percent(t.passRate)}</td>
              <td class="num">{t.runs}</td>
              <td>
                {t.lastFlakySha ? <code>{shortSha(t.lastFlakySha)}</code> : '—'}{' '}
                <Time iso={t.lastFlakyAt} now={props.now} />
              </td>
            </tr>
          ))}
        </Table>
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
