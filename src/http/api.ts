import { Hono } from 'hono';
import { getDispatch, listDispatches } from '../store/dispatches';
import { listJobs } from '../store/jobs';
import { listRepos } from '../store/repos';
import { listTestSummaries, refName, type TestSummaryItem } from '../store/results';
import type { HttpDeps } from './deps';
import { visibleRepo } from './visibility';

const limitOf = (v: string | undefined) => Math.min(100, Math.max(1, Number(v) || 25));

/** The JSON behind the pages, cursor-paginated, so scripts read what people see. */
export function apiRoutes(deps: HttpDeps): Hono {
  const api = new Hono();

  api.get('/repos', async (c) => {
    const page = await listRepos(deps.store, { limit: limitOf(c.req.query('limit')), cursor: c.req.query('cursor') });
    const repos = page.items
      .filter((r) => !r.private)
      .map((r) => ({ repo: r.repo, defaultBranch: r.defaultBranch, latest: r.latest ?? null }));
    return c.json({ repos, cursor: page.cursor });
  });

  api.get('/repos/:owner/:repo/runs', async (c) => {
    const repo = `${c.req.param('owner')}/${c.req.param('repo')}`;
    if (!(await visibleRepo(deps, repo, c.req.query('token')))) return c.json({ error: 'not found' }, 404);
    const page = await listDispatches(deps.store, repo, { limit: limitOf(c.req.query('limit')), cursor: c.req.query('cursor') });
    return c.json({ runs: page.items.map(publicDispatch), cursor: page.cursor });
  });

  api.get('/repos/:owner/:repo/runs/:id', async (c) => {
    const repo = `${c.req.param('owner')}/${c.req.param('repo')}`;
    if (!(await visibleRepo(deps, repo, c.req.query('token')))) return c.json({ error: 'not found' }, 404);
    const d = await getDispatch(deps.store, repo, c.req.param('id'));
    if (!d) return c.json({ error: 'not found' }, 404);
    const jobs = await listJobs(deps.store, d.dispatchId);
    return c.json({ run: publicDispatch(d), jobs: jobs.map(({ pk, sk, ttl, ...j }) => j) });
  });

  // Each test's recent pass rate and flakiness on a branch (default: the default branch) or a pull
  // request (?pr=), most recently run first.
  api.get('/repos/:owner/:repo/tests', async (c) => {
    const repo = `${c.req.param('owner')}/${c.req.param('repo')}`;
    const meta = await visibleRepo(deps, repo, c.req.query('token'));
    if (!meta) return c.json({ error: 'not found' }, 404);
    const prText = c.req.query('pr');
    const pr = prText === undefined ? null : Number(prText);
    if (pr !== null && !(Number.isInteger(pr) && pr > 0)) return c.json({ error: 'pr must be a pull request number' }, 400);
    const branch = pr ? null : c.req.query('branch') || meta.defaultBranch;
    const page = await listTestSummaries(deps.store, repo, refName({ branch, pr }), {
      limit: limitOf(c.req.query('limit')),
      cursor: c.req.query('cursor'),
    });
    return c.json({ repo: meta.repo, branch, pr, tests: page.items.map(publicTest), cursor: page.cursor });
  });

  return api;
}

const OUTCOME_WORDS: Record<string, string> = { P: 'passed', F: 'failed', E: 'errored', S: 'skipped' };

function publicTest(t: TestSummaryItem) {
  return {
    id: t.testId,
    name: t.name,
    classname: t.classname,
    file: t.file,
    passRate: t.passRate,
    runs: t.runs,
    flaky: t.flaky,
    lastOutcome: t.lastOutcome,
    lastSha: t.lastSha,
    lastRunAt: t.lastAt,
    lastFlakySha: t.lastFlakySha,
    // Newest first; `flaky` marks a run in which the test passed and failed on the same commit.
    recent: [...t.recent].map((ch) => ({ outcome: OUTCOME_WORDS[ch.toUpperCase()] ?? 'unknown', flaky: ch !== ch.toUpperCase() })),
  };
}

/** Storage keys are ours; readers get the run. */
function publicDispatch<T extends { pk: string; sk: string; gsi1pk: string; gsi1sk: string; gsi2pk: string; gsi2sk: string; ttl: number; inputs: Record<string, string> }>(
  d: T,
) {
  const { pk, sk, gsi1pk, gsi1sk, gsi2pk, gsi2sk, ttl, ...rest } = d;
  return rest;
}
