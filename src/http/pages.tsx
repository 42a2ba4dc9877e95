import { Hono } from 'hono';
import type { Child } from 'hono/jsx';
import { getDispatch, listDispatches } from '../store/dispatches';
import { listJobs } from '../store/jobs';
import { listRepos } from '../store/repos';
import { badgeToken } from './badge-token';
import type { HttpDeps } from './deps';
import { baseUrl, visibleRepo } from './visibility';

const STYLE = `
body{font:15px/1.5 system-ui,sans-serif;margin:0 auto;max-width:960px;padding:1rem;color:#1f2328;background:#fff}
a{color:#0550ae}table{border-collapse:collapse;width:100%;margin:1rem 0}
th,td{border-bottom:1px solid #d0d7de;padding:.4rem .5rem;text-align:left;vertical-align:top}
code,pre{font:13px ui-monospace,monospace;background:#f6f8fa;padding:.1rem .3rem;border-radius:4px}
pre{padding:.75rem;overflow-x:auto;white-space:pre-wrap}
img{vertical-align:middle}
`;

function Layout(props: { title: string; children: Child }) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{props.title}</title>
        <style>{STYLE}</style>
      </head>
      <body>
        <nav>
          <a href="/">arm64 CI</a>
        </nav>
        <main>{props.children}</main>
      </body>
    </html>
  );
}

const short = (sha: string) => sha.slice(0, 7);

/** Server-rendered dashboard pages: the target of every check run's "Details" link. */
export function pageRoutes(deps: HttpDeps): Hono {
  const pages = new Hono();

  pages.get('/', async (c) => {
    const { items } = await listRepos(deps.store, { limit: 100 });
    const repos = items.filter((r) => !r.private);
    return c.html(
      <Layout title="arm64 CI">
        <h1>Repositories</h1>
        {repos.length === 0 ? (
          <p>No repositories yet. Install the GitHub App on a repository with a <code>.github/arm64-ci.yml</code>.</p>
        ) : (
          <table>
            <thead>
              <tr><th>Repository</th><th>Default branch</th><th>Status</th></tr>
            </thead>
            <tbody>
              {repos.map((r) => (
                <tr>
                  <td><a href={`/repos/${r.repo}`}>{r.repo}</a></td>
                  <td>{r.defaultBranch}</td>
                  <td><img src={`/badges/${r.repo}/status.svg`} alt={`arm64 status of ${r.repo}`} height="20" /></td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Layout>,
    );
  });

  pages.get('/repos/:owner/:repo', async (c) => {
    const repo = `${c.req.param('owner')}/${c.req.param('repo')}`;
    const token = c.req.query('token');
    const meta = await visibleRepo(deps, repo, token);
    if (!meta) return c.html(<Layout title="Not found"><h1>Not found</h1></Layout>, 404);
    const { items } = await listDispatches(deps.store, repo, { limit: 50 });
    const base = baseUrl(deps, c.req.url);
    const secret = meta.private ? await deps.badgeSecret() : null;
    const suffix = secret ? `?token=${badgeToken(secret, repo)}` : '';
    const snippet = `[![arm64](${base}/badges/${meta.repo}/status.svg${suffix})](${base}/repos/${meta.repo})`;
    return c.html(
      <Layout title={`${meta.repo} · arm64 CI`}>
        <h1>{meta.repo}</h1>
        <p><img src={`/badges/${meta.repo}/status.svg${suffix}`} alt="arm64 status" height="20" /></p>
        <h2>README badge</h2>
        <pre id="badge-snippet">{snippet}</pre>
        <h2>Runs</h2>
        <table>
          <thead>
            <tr><th>Run</th><th>Commit</th><th>Branch / PR</th><th>Trigger</th><th>Status</th></tr>
          </thead>
          <tbody>
            {items.map((d) => (
              <tr>
                <td><a href={`/repos/${meta.repo}/runs/${d.dispatchId}${suffix}`}>{d.dispatchId.slice(-8)}</a></td>
                <td><code>{short(d.sha)}</code></td>
                <td>{d.pr ? `PR #${d.pr}` : d.branch}</td>
                <td>{d.trigger}{d.actor ? ` by ${d.actor}` : ''}</td>
                <td>{d.state === 'completed' ? d.conclusion : d.state}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Layout>,
    );
  });

  pages.get('/repos/:owner/:repo/runs/:id', async (c) => {
    const repo = `${c.req.param('owner')}/${c.req.param('repo')}`;
    const meta = await visibleRepo(deps, repo, c.req.query('token'));
    const d = meta ? await getDispatch(deps.store, repo, c.req.param('id')) : null;
    if (!meta || !d) return c.html(<Layout title="Not found"><h1>Not found</h1></Layout>, 404);
    const jobs = await listJobs(deps.store, d.dispatchId);
    return c.html(
      <Layout title={`${meta.repo} ${short(d.sha)} · arm64 CI`}>
        <h1>{meta.repo} · <code>{short(d.sha)}</code></h1>
        <p>
          {d.pr ? `Pull request #${d.pr}` : `Branch ${d.branch}`} · {d.trigger}{d.actor ? ` by ${d.actor}` : ''} ·{' '}
          <strong>{d.state === 'completed' ? d.conclusion : d.state}</strong>
          {d.workflowRunUrl ? <> · <a href={d.workflowRunUrl}>workflow run on GitHub</a></> : null}
        </p>
        <p>Runner labels: {d.runnerLabels.map((l) => <code>{l}</code>)}</p>
        {d.notes.length ? <ul>{d.notes.map((n) => <li>{n}</li>)}</ul> : null}
        <h2>Jobs</h2>
        <table>
          <thead>
            <tr><th>Job</th><th>Runner</th><th>Status</th></tr>
          </thead>
          <tbody>
            {jobs.map((j) => (
              <tr>
                <td>{j.htmlUrl ? <a href={j.htmlUrl}>{j.name}</a> : j.name}</td>
                <td>{j.runnerName ?? '—'}</td>
                <td>{j.status === 'completed' ? j.conclusion : j.status}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Layout>,
    );
  });

  return pages;
}
