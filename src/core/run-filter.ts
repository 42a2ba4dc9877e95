/**
 * The dashboard's run filters (`?branch=&pr=&status=&target=&author=`): parsed from a query with a
 * clear reason for every value refused, and applied to runs. Pure: the web layer reads the store,
 * this decides which runs a reader asked for. Values are bounded here so nothing unbounded reaches
 * a cursor's scope or a page.
 */
import { isTargetName, TARGET_NAME_RULE } from './config/target-name';
import { DEFAULT_TARGET } from './default-target';

/**
 * What a reader can ask for, in GitHub Actions' words where they exist: `queued` (asked for, not
 * started), `in_progress`, `awaiting_approval` (held for `/ok-to-test`), `completed` (any
 * outcome), and the outcomes `success`, `failure` (failed, timed out or failed to start), `cancelled`.
 */
export const RUN_STATUSES = ['queued', 'in_progress', 'awaiting_approval', 'completed', 'success', 'failure', 'cancelled'] as const;
export type RunStatusFilter = (typeof RUN_STATUSES)[number];

export interface RunFilter {
  branch?: string;
  pr?: number;
  status?: RunStatusFilter;
  /** A target's name; runs from before targets existed, and single-target repositories, are `default`. */
  target?: string;
  /** The GitHub login that triggered the run (pusher, pull request author, commenter). */
  author?: string;
}

/** The fields a filter reads: a stored dispatch or a run row both have them. */
export interface FilterableRun {
  branch: string | null;
  pr: number | null;
  state: string;
  conclusion: string | null;
  actor: string | null;
  target?: string | null;
}

/** The query keys, in the order URLs write them (so one filter has one URL). */
const FILTER_KEYS = ['branch', 'pr', 'status', 'target', 'author'] as const;

const MAX_BRANCH_BYTES = 255;
const CONTROL = /[\u0000-\u001f\u007f]/;
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;
/** GitHub logins: 1–39 letters, digits or single hyphens, not at either end; apps end in `[bot]`. */
const LOGIN = /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}(?:\[bot\])?$/;
const FAILED = new Set(['failure', 'timed_out', 'startup_failure']);
const QUEUED = new Set(['pending', 'dispatching', 'dispatched', 'queued', 'waiting', 'requested']);

const utf8Bytes = (s: string) => new TextEncoder().encode(s).length;

export type FilterParse = { ok: true; filter: RunFilter } | { ok: false; error: string };

/**
 * The filter a query asks for. An empty value means "any" (a form's blank field); anything else
 * that could not match a run is refused with the reason, so a typo is a 400, never an empty page
 * that looks like "no runs".
 */
export function parseRunFilter(query: Partial<Record<string, string | undefined>>): FilterParse {
  const filter: RunFilter = {};
  const value = (k: (typeof FILTER_KEYS)[number]) => {
    const v = query[k];
    return v === undefined || v.trim() === '' ? undefined : v;
  };

  const branch = value('branch');
  if (branch !== undefined) {
    if (utf8Bytes(branch) > MAX_BRANCH_BYTES) return { ok: false, error: `invalid branch: longer than ${MAX_BRANCH_BYTES} bytes` };
    if (CONTROL.test(branch) || LONE_SURROGATE.test(branch)) return { ok: false, error: 'invalid branch: contains characters a branch name cannot' };
    filter.branch = branch;
  }

  const pr = value('pr');
  if (pr !== undefined) {
    const n = /^#?\d{1,10}$/.test(pr.trim()) ? Number(pr.trim().replace('#', '')) : NaN;
    if (!Number.isSafeInteger(n) || n <= 0) return { ok: false, error: 'invalid pr: give a pull request number, e.g. pr=42' };
    filter.pr = n;
  }

  const status = value('status');
  if (status !== undefined) {
    if (!(RUN_STATUSES as readonly string[]).includes(status)) {
      return { ok: false, error: `invalid status: use one of ${RUN_STATUSES.join(', ')}` };
    }
    filter.status = status as RunStatusFilter;
  }

  const target = value('target');
  if (target !== undefined) {
    if (!isTargetName(target)) return { ok: false, error: `invalid target: a target name is ${TARGET_NAME_RULE}` };
    filter.target = target;
  }

  const author = value('author');
  if (author !== undefined) {
    const login = author.replace(/^@/, '');
    if (!LOGIN.test(login)) return { ok: false, error: 'invalid author: give a GitHub login, e.g. author=octocat' };
    filter.author = login;
  }
  return { ok: true, filter };
}

/** Whether a run's state and conclusion are what `status` asks for. */
export function statusMatches(status: RunStatusFilter, state: string, conclusion: string | null): boolean {
  switch (status) {
    case 'queued':
      return QUEUED.has(state);
    case 'in_progress':
      return state === 'in_progress';
    case 'awaiting_approval':
      return state === 'awaiting_approval';
    case 'completed':
      return state === 'completed';
    case 'success':
      return state === 'completed' && conclusion === 'success';
    case 'failure':
      return state === 'completed' && FAILED.has(conclusion ?? '');
    case 'cancelled':
      return state === 'completed' && conclusion === 'cancelled';
  }
}

/**
 * Whether a run is one the filter asks for: every given field must match. Branch names compare
 * exactly (git's are case-sensitive); logins and target names as GitHub and the config do,
 * ignoring case. A pull request's runs carry its head branch, so `branch` finds them too.
 */
export function matchesRunFilter(run: FilterableRun, f: RunFilter): boolean {
  if (f.branch !== undefined && run.branch !== f.branch) return false;
  if (f.pr !== undefined && run.pr !== f.pr) return false;
  if (f.status !== undefined && !statusMatches(f.status, run.state, run.conclusion)) return false;
  if (f.target !== undefined && (run.target || DEFAULT_TARGET).toLowerCase() !== f.target.toLowerCase()) return false;
  if (f.author !== undefined && (run.actor ?? '').toLowerCase() !== f.author.toLowerCase()) return false;
  return true;
}

export const isEmptyFilter = (f: RunFilter) => FILTER_KEYS.every((k) => f[k] === undefined);

/** The filter as a query string (`branch=main&status=failure`), keys in a fixed order; '' when empty. */
export function filterQuery(f: RunFilter): string {
  const params = new URLSearchParams();
  for (const k of FILTER_KEYS) if (f[k] !== undefined) params.set(k, String(f[k]));
  return params.toString();
}
