/** Check runs (and the id of the App's check suite of a commit) in GitHub's JSON. */
import { specExample } from '../openapi-spec';
import type { CheckRunRecord } from '../records';
import { integration } from './apps';
import { iso, nodeId, rehost, type Obj, type ShapeContext } from './base';
import { pullsForSha } from './repos';

export function checkRun(ctx: ShapeContext, c: CheckRunRecord): Obj {
  const repo = ctx.state.repos.get(c.repo.toLowerCase());
  const api = `${ctx.apiBase}/repos/${c.repo}`;
  const base = rehost(specExample('check-run'), ctx, { 'github/hello-world': c.repo });
  return {
    ...base,
    id: c.id,
    node_id: nodeId('CheckRun', c.id),
    head_sha: c.headSha,
    external_id: c.externalId ?? '',
    url: `${api}/check-runs/${c.id}`,
    html_url: `${ctx.htmlBase}/${c.repo}/runs/${c.id}`,
    details_url: c.detailsUrl ?? `${ctx.htmlBase}/${c.repo}/runs/${c.id}`,
    status: c.status,
    conclusion: c.conclusion,
    started_at: iso(c.startedAt),
    completed_at: iso(c.completedAt),
    output: {
      title: c.output.title,
      summary: c.output.summary,
      text: c.output.text,
      annotations_count: c.annotations.length,
      annotations_url: `${api}/check-runs/${c.id}/annotations`,
    },
    name: c.name,
    check_suite: { id: checkSuiteId(c.headSha) },
    app: integration(ctx),
    pull_requests: repo ? pullsForSha(ctx, repo, c.headSha) : [],
  };
}

/** One check suite per commit, like the App's own suite on GitHub. */
export function checkSuiteId(sha: string): number {
  return Number.parseInt(sha.slice(0, 8), 16) || 1;
}
