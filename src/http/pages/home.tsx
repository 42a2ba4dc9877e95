import { SecondsSparkline, Sparkline } from './chart-svg';
import { formatDuration, percent, shortSha } from './format';
import { BadgeImg, Layout, Pill, statusSpec, Time, type Live } from './layout';
import { RegisterForm } from './register-form';
import { num, Table } from './table';
import type { RepoCard } from './view-models';

/**
 * Every public repository in one table, a row each, so a wide screen shows many at a glance: the
 * default branch's status, its latest commit, when it last ran, and sparklines of its pass rate,
 * run time and queue time with the newest figure beside each. On a phone the table scrolls sideways.
 */
export function HomePage(props: {
  repos: RepoCard[];
  cursor: string | null;
  now: Date;
  live?: Live | null;
  setup?: { web: string; needsChannel: boolean } | null;
  sandbox?: boolean;
}) {
  return (
    <Layout title="Repositories · arm64 CI" live={props.live ?? null} wide>
      {props.setup ? (
        <section class="setup" aria-labelledby="setup-title">
          <h2 id="setup-title">Sandbox mode: connect a real GitHub</h2>
          <p class="muted">
            Until then, the repositories here live in a local stand-in for GitHub (<code>npm run demo</code>). To check your own repositories,
            register the GitHub App; this server then restarts in GitHub mode.
          </p>
          <RegisterForm web={props.setup.web} needsChannel={props.setup.needsChannel} offerChannel />
        </section>
      ) : null}
      <h1>Repositories</h1>
      {props.repos.length === 0 && props.sandbox ? (
        <p>
          This is the sandbox: a local stand-in plays GitHub. Run <code>npm run demo</code> in another terminal to push a commit to{' '}
          <code>octo-org/arm64-demo</code> and follow it through the whole loop; it shows up here.
        </p>
      ) : props.repos.length === 0 ? (
        <p>
          No public repositories here yet. Install the GitHub App on a repository with a <code>.github/arm64-ci.yml</code>, then push a
          commit.
        </p>
      ) : (
        <Table
          box={{ id: 'repos-live', 'data-live-part': true }}
          class="repos"
          columns={[
            'Repository',
            'Status',
            'Latest run',
            'Last run',
            num('Smoke pass rate'),
            { head: <span class="sr">Pass-rate trend</span> },
            num('Run time'),
            { head: <span class="sr">Run-time trend</span> },
            num('Queue time'),
            { head: <span class="sr">Queue-time trend</span> },
            'Badge',
          ]}
        >
          {props.repos.map((r) => (
            <tr data-repo={r.repo}>
              <th scope="row">
                <a href={r.url}>{r.repo}</a>
              </th>
              <td>
                {r.latest ? <Pill status={r.latest.status} /> : <span class="pill neutral">no runs</span>}{' '}
                <span class="muted">
                  on <code>{r.defaultBranch}</code>
                </span>
              </td>
              <td>
                {r.latest ? (
                  <a href={r.latest.url}>
                    <span class="sr">Latest run, commit </span>
                    <code>{shortSha(r.latest.sha)}</code>
                  </a>
                ) : (
                  <span class="muted">—</span>
                )}
              </td>
              <td>
                <Time iso={r.lastRunAt} now={props.now} />
              </td>
              <td class="num" data-col="smoke">
                <strong>{percent(r.smoke.rate)}</strong>
                {r.smoke.runs > 0 ? <span class="muted"> over {r.smoke.runs}</span> : null}
              </td>
              <td>
                <Sparkline trend={r.smoke} />
              </td>
              <td class="num" data-col="duration">
                {formatDuration(r.duration.latest)}
              </td>
              <td>
                <SecondsSparkline series={r.duration} what="ran" title={`Run time on ${r.defaultBranch}`} />
              </td>
              <td class="num" data-col="queue">
                {formatDuration(r.queue.latest)}
              </td>
              <td>
                <SecondsSparkline series={r.queue} what="waited" title="Queue time" />
              </td>
              <td>
                <BadgeImg src={r.badges.status} spec={statusSpec(r.latest)} alt={`arm64 status badge of ${r.repo}`} />
              </td>
            </tr>
          ))}
        </Table>
      )}
      {props.cursor ? (
        <p class="more">
          <a href={`/?cursor=${encodeURIComponent(props.cursor)}`}>More repositories</a>
        </p>
      ) : null}
      {props.live ? <p class="muted live-note">This table updates by itself.</p> : null}
    </Layout>
  );
}
