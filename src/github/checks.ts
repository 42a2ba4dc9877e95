import type { components } from '@octokit/openapi-types';
import type { GitHub } from './client';

type CheckRun = components['schemas']['check-run'];
export type CheckOutput = { title: string; summary: string; text?: string };
/** The annotation fields of PATCH /check-runs (at most 50 per request; GitHub appends across requests). */
interface CheckAnnotation {
  path: string;
  start_line: number;
  end_line: number;
  annotation_level: 'notice' | 'warning' | 'failure';
  message: string;
  title?: string;
}
export type CheckAction = { label: string; description: string; identifier: string };

interface NewCheckRun {
  owner: string;
  repo: string;
  name: string;
  head_sha: string;
  external_id: string;
  details_url: string;
  status: 'queued' | 'in_progress' | 'completed';
  conclusion?: string;
  started_at?: string;
  completed_at?: string;
  output: CheckOutput;
  actions?: CheckAction[];
}

export async function createCheckRun(gh: GitHub, c: NewCheckRun): Promise<CheckRun> {
  const r = await gh.request('POST /repos/{owner}/{repo}/check-runs', c as never);
  return r.data as CheckRun;
}

interface CheckRunUpdate {
  owner: string;
  repo: string;
  check_run_id: number;
  status?: 'queued' | 'in_progress' | 'completed';
  conclusion?: string;
  started_at?: string;
  completed_at?: string;
  details_url?: string;
  output?: CheckOutput & { annotations?: CheckAnnotation[] };
  actions?: CheckAction[];
}

export async function updateCheckRun(gh: GitHub, u: CheckRunUpdate): Promise<CheckRun> {
  const r = await gh.request('PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}', u as never);
  return r.data as CheckRun;
}

/**
 * Finds the check run we created for a dispatch, by external_id. Used only when a retried worker
 * cannot tell whether its first attempt created one, so a crash never leaves two check runs.
 */
export async function findCheckRun(
  gh: GitHub,
  p: { owner: string; repo: string; sha: string; name: string; externalId: string },
): Promise<CheckRun | null> {
  const r = await gh.request('GET /repos/{owner}/{repo}/commits/{ref}/check-runs', {
    owner: p.owner,
    repo: p.repo,
    ref: p.sha,
    check_name: p.name,
    per_page: 100,
  });
  return (r.data.check_runs as CheckRun[]).find((c) => c.external_id === p.externalId) ?? null;
}
