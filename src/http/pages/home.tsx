import { Sparkline } from './chart-svg';
import { percent, shortSha } from './format';
import { BadgeImg, Layout, Pill, statusSpec, Time } from './layout';
import { RegisterForm } from './register-form';
import type { RepoCard } from './view-models';

export function HomePage(props: { repos: RepoCard[]; cursor: string | null; now: Date; setup?: { web: string; needsChannel: boolean } | null; sandbox?: boolean }) {
  return (
    <Layout title="Repositories · arm64 CI">
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
        <ul class="cards">
          {props.repos.map((r) => (
            <li class="card" data-repo={r.repo}>
              <h2>
                <a href={r.url}>{r.repo}</a>
              </h2>
              <div class="row">
                {r.latest ? <Pill status={r.latest.status} /> : <span class="pill neutral">no runs</span>}
                <span class="muted">
                  on <code>{r.defaultBranch}</code>
                </span>
                {r.latest ? (
                  <a href={r.latest.url}>
                    <span class="sr">Latest run, commit </span>
                    {shortSha(r.latest.sha)}
                  </a>
                ) : null}
              </div>
              <div class="row">
                <span>
                  Last run: <Time iso={r.lastRunAt} now={props.now} />
                </span>
              </div>
              <div class="row">
                <span>
                  Smoke pass rate: <strong>{percent(r.smoke.rate)}</strong>
                  {r.smoke.runs > 0 ? <span class="muted"> over {r.smoke.runs} {r.smoke.runs === 1 ? 'run' : 'runs'}</span> : null}
                </span>
                <Sparkline trend={r.smoke} />
              </div>
              <div class="row">
                <BadgeImg src={r.badges.status} spec={statusSpec(r.latest)} alt={`arm64 status badge of ${r.repo}`} />
              </div>
            </li>
          ))}
        </ul>
      )}
      {props.cursor ? (
        <p class="more">
          <a href={`/?cursor=${encodeURIComponent(props.cursor)}`}>More repositories</a>
        </p>
      ) : null}
    </Layout>
  );
}
