/**
 * Label routing: which self-hosted runners could take a job that asks for `runner_labels`, and
 * what the check run should say while it waits. GitHub hands a job to a runner that carries ALL
 * the labels of `runs-on`, compared case-insensitively; a job nobody can take stays queued (for up
 * to 24 hours) without a word, which is what the fleet section below exists to explain. Pure.
 */
import { formatDuration } from './jobs';
import { escapeCell } from './markdown';

/** A runner as the fleet knows it. `status` null: seen only in a job event (no runner listing). */
export interface RunnerView {
  name: string;
  labels: string[];
  status: 'online' | 'offline' | null;
  busy: boolean | null;
  source: 'repo' | 'org' | 'job';
  /** Last time a listing or a job event showed it. */
  seenAt?: string | null;
}

/** Whether the runner listings could be read: a 403/404 leaves that part of the fleet unknown. */
export interface FleetAccess {
  repo: 'ok' | 'denied' | 'unknown';
  org: 'ok' | 'denied' | 'not_org' | 'unknown';
}

interface FleetView {
  runners: RunnerView[];
  access: FleetAccess;
}

interface RunnerMatch {
  runner: RunnerView;
  /** Requested labels it carries, in the requested spelling. */
  has: string[];
  /** Requested labels it does not carry. */
  lacks: string[];
}

/**
 * - `hosted`: the labels name a GitHub-hosted runner image; the self-hosted fleet is irrelevant.
 * - `ready`: an online, idle runner carries all labels.
 * - `busy`: online runners carry all labels, every one of them busy.
 * - `offline`: runners carry all labels, none of them online.
 * - `none`: no runner carries all labels.
 * - `unknown`: the runner listings could not be read at all.
 */
type Verdict = 'hosted' | 'ready' | 'busy' | 'offline' | 'none' | 'unknown';

interface Routing {
  verdict: Verdict;
  requested: string[];
  /** Runners carrying every requested label, whatever their status. */
  matching: RunnerView[];
  /** The closest runners, best first (see `rankRunners`). */
  closest: RunnerMatch[];
  /** One of the two listings could not be read: a matching runner may exist there. */
  partial: 'repo' | 'org' | null;
}

const key = (label: string) => label.trim().toLowerCase();

/** Trimmed, without empties and case-insensitive duplicates (the first spelling wins). */
export function normalizeLabels(labels: readonly string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const l of labels) {
    const k = key(l);
    if (k === '' || seen.has(k)) continue;
    seen.add(k);
    out.push(l.trim());
  }
  return out;
}

export function matchRunner(requested: readonly string[], runner: RunnerView): RunnerMatch {
  const carried = new Set(runner.labels.map(key));
  const has: string[] = [];
  const lacks: string[] = [];
  for (const l of normalizeLabels(requested)) (carried.has(key(l)) ? has : lacks).push(l);
  return { runner, has, lacks };
}

/** GitHub's rule: a runner can take the job when it carries all requested labels (any case). */
export const carriesAll = (requested: readonly string[], runner: RunnerView) => matchRunner(requested, runner).lacks.length === 0;

const statusRank = (r: RunnerView) => (r.status === 'online' ? (r.busy === true ? 1 : 0) : r.status === null ? 2 : 3);

/**
 * All runners, closest first: fewest requested labels missing (most in common), then online before
 * unknown before offline, idle before busy, then by name so the order is stable.
 */
export function rankRunners(requested: readonly string[], runners: readonly RunnerView[]): RunnerMatch[] {
  return runners
    .map((r) => matchRunner(requested, r))
    .sort(
      (a, b) =>
        a.lacks.length - b.lacks.length ||
        statusRank(a.runner) - statusRank(b.runner) ||
        a.runner.name.localeCompare(b.runner.name),
    );
}

/**
 * Labels of GitHub-hosted runner images (`ubuntu-24.04-arm`, `macos-latest`, …). A job asking
 * only for those (and not for `self-hosted`) runs on GitHub's machines, not on the fleet.
 */
const HOSTED = /^(ubuntu|windows|macos)-[a-z0-9.-]+$/i;

export function isHostedRequest(requested: readonly string[]): boolean {
  const labels = normalizeLabels(requested);
  return labels.length > 0 && labels.every((l) => HOSTED.test(l)) && !labels.some((l) => key(l) === 'self-hosted');
}

export function routeLabels(requested: readonly string[], fleet: FleetView | null, opts: { closest?: number } = {}): Routing {
  const labels = normalizeLabels(requested);
  const limit = opts.closest ?? 3;
  const runners = fleet?.runners ?? [];
  const ranked = rankRunners(labels, runners);
  const matching = ranked.filter((m) => m.lacks.length === 0).map((m) => m.runner);
  const base = { requested: labels, matching, closest: ranked.slice(0, limit) };
  const repoOk = fleet?.access.repo === 'ok';
  // A personal account has no organization runners: nothing is missing there.
  const orgKnown = fleet?.access.org === 'ok' || fleet?.access.org === 'not_org';
  if (isHostedRequest(labels)) return { ...base, verdict: 'hosted', partial: null };
  // Nothing was listed at all: any verdict would be a guess.
  if (!fleet || (!repoOk && fleet.access.org !== 'ok')) return { ...base, verdict: 'unknown', partial: null };
  const partial = !repoOk ? 'repo' : !orgKnown ? 'org' : null;
  const online = matching.filter((r) => r.status === 'online');
  const verdict: Verdict =
    online.length > 0 ? (online.some((r) => r.busy !== true) ? 'ready' : 'busy') : matching.some((r) => r.status === 'offline') ? 'offline' : 'none';
  return { ...base, verdict, partial };
}

// ---------------------------------------------------------------------------------------------
// The check run's fleet section

interface FleetJob {
  name: string;
  status: string;
  runnerName: string | null;
  startedAt: string | null;
}

export interface FleetSectionInput {
  labels: string[];
  /** null: nothing is known about the fleet yet (never listed, no job seen). */
  fleet: FleetView | null;
  /** The check run's status. */
  status: string;
  /** When the job started waiting: the dispatch (or, for a re-run attempt, the attempt's start). */
  since: string | null;
  now: Date;
  /** When the run finished (a finished run's wait ends there, not at `now`). */
  completedAt?: string | null;
  /** Jobs of the current attempt. */
  jobs: FleetJob[];
}

export interface FleetSection {
  markdown: string;
  /** A check-run title for a run still waiting, when the fleet explains the wait; else null. */
  waitingTitle: string | null;
}

function codeSpan(s: string): string {
  const flat = s.replace(/\r\n|\r|\n/g, ' ');
  const longest = Math.max(0, ...(flat.match(/`+/g) ?? []).map((r) => r.length));
  const fence = '`'.repeat(longest + 1);
  const pad = flat.startsWith('`') || flat.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${flat}${pad}${fence}`.replace(/\|/g, '\\|');
}

const codes = (labels: readonly string[]) => labels.map(codeSpan).join(', ');

function secondsBetween(from: string | null, to: string | Date | null): number | null {
  if (!from || !to) return null;
  const a = Date.parse(from);
  const b = typeof to === 'string' ? Date.parse(to) : to.getTime();
  if (Number.isNaN(a) || Number.isNaN(b)) return null;
  // Our clock and GitHub's may disagree by a little: never show a negative wait.
  return Math.max(0, Math.round((b - a) / 1000));
}

function ago(seenAt: string | null | undefined, now: Date): string {
  const s = secondsBetween(seenAt ?? null, now);
  return s === null ? '' : ` ${formatDuration(s)} ago`;
}

function statusText(r: RunnerView, now: Date): string {
  if (r.status === 'online') return r.busy === true ? 'online, busy' : 'online, idle';
  if (r.status === 'offline') return 'offline';
  return `seen in a job${ago(r.seenAt, now)}`;
}

function table(matches: RunnerMatch[], now: Date): string[] {
  return [
    '| Runner | Status | Lacks |',
    '|---|---|---|',
    ...matches.map((m) => `| ${escapeCell(m.runner.name)} | ${statusText(m.runner, now)} | ${m.lacks.length ? codes(m.lacks) : '—'} |`),
  ];
}

const PERMISSIONS =
  'the App needs the `administration: read` permission for repository runners and `organization_self_hosted_runners: read` for organization runners';

function pickedUp(input: FleetSectionInput): string | null {
  const started = input.jobs
    .filter((j) => j.runnerName && j.startedAt)
    .sort((a, b) => Date.parse(a.startedAt!) - Date.parse(b.startedAt!));
  const first = started[0];
  if (!first) return null;
  const wait = (j: FleetJob) => formatDuration(secondsBetween(input.since, j.startedAt));
  const head = `Picked up by ${codeSpan(first.runnerName!)} after ${wait(first)} in the queue (dispatch → job start).`;
  if (started.length === 1) return head;
  const last = started[started.length - 1]!;
  return `${head} ${started.length} jobs started; the last waited ${wait(last)} (${codeSpan(last.runnerName!)}).`;
}

/**
 * The markdown the check run shows about the runner pool, or null when there is nothing worth
 * saying: who picked the job up and after how long; or, while it waits, for how long, whether any
 * online runner carries all labels, and if not the closest runners and what each lacks.
 */
export function renderFleetSection(input: FleetSectionInput): FleetSection | null {
  const picked = pickedUp(input);
  if (picked) return { markdown: `**Runner pool:** ${picked}`, waitingTitle: null };

  const routing = routeLabels(input.labels, input.fleet);
  const labels = codes(routing.requested);
  const short = routing.requested.join(', ');
  const done = input.status === 'completed';
  const waited = formatDuration(secondsBetween(input.since, done && input.completedAt ? input.completedAt : input.now));
  // A finished run says something only when the pool explains why no job ever started.
  if (done && routing.verdict !== 'none' && routing.verdict !== 'offline') return null;
  const waiting = done ? `No runner picked up a job of this run (it waited ${waited}).` : `Waiting ${waited} for a runner with ${labels}.`;
  const partial =
    routing.partial === 'org'
      ? [`_Organization runners could not be listed (${PERMISSIONS}); one of them may match._`]
      : routing.partial === 'repo'
        ? [`_Repository runners could not be listed (${PERMISSIONS}); one of them may match._`]
        : [];

  switch (routing.verdict) {
    case 'hosted':
      return null;
    case 'ready': {
      const idle = routing.matching.filter((r) => r.status === 'online' && r.busy !== true).map((r) => codeSpan(r.name));
      const names = idle.length > 3 ? `${idle.slice(0, 3).join(', ')} and ${idle.length - 3} more` : idle.join(', ');
      return { markdown: `**Runner pool:** ${waiting} Online and idle with all labels: ${names}.`, waitingTitle: null };
    }
    case 'busy': {
      const busy = routing.matching.filter((r) => r.status === 'online').map((r) => codeSpan(r.name));
      const names = busy.length > 3 ? `${busy.slice(0, 3).join(', ')} and ${busy.length - 3} more` : busy.join(', ');
      return {
        markdown: `**Runner pool:** ${waiting} Every online runner with all labels is busy (${names}); the job starts when one is free.`,
        waitingTitle: `arm64: queued, every runner with ${short} is busy`,
      };
    }
    case 'unknown': {
      const seen = routing.closest.filter((m) => m.lacks.length === 0).map((m) => `${codeSpan(m.runner.name)}${ago(m.runner.seenAt, input.now)}`);
      return {
        markdown: [
          `**Runner pool:** ${waiting} Which runners are online is unknown: the runner list could not be read (${PERMISSIONS}).`,
          ...(seen.length ? ['', `Last seen running jobs with these labels: ${seen.join(', ')}.`] : []),
        ].join('\n'),
        waitingTitle: null,
      };
    }
    case 'offline':
      return {
        markdown: [
          '### ⚠️ No online runner has all the requested labels',
          '',
          `${waiting} Runners with ${labels} exist but are offline${done ? '.' : '; GitHub keeps the job queued until one comes online (for up to 24 hours).'}`,
          '',
          'Closest runners:',
          '',
          ...table(routing.closest, input.now),
          ...(partial.length ? ['', ...partial] : []),
        ].join('\n'),
        waitingTitle: `arm64: queued, every runner with ${short} is offline`,
      };
    case 'none': {
      const empty = input.fleet?.runners.length === 0;
      return {
        markdown: [
          '### ⚠️ No runner has all the requested labels',
          '',
          empty
            ? `${waiting} No self-hosted runner is registered for this repository or its organization${done ? '.' : `; GitHub keeps the job queued until one with ${labels} is (for up to 24 hours).`}`
            : `${waiting} No self-hosted runner carries all of ${labels}${done ? '.' : '; GitHub keeps the job queued until one does (for up to 24 hours).'} Add the missing labels to a runner, or change \`runner_labels\` in \`.github/arm64-ci.yml\`.`,
          ...(empty ? [] : ['', 'Closest runners:', '', ...table(routing.closest, input.now)]),
          ...(partial.length ? ['', ...partial] : []),
        ].join('\n'),
        waitingTitle: `arm64: queued, no runner has ${short}`,
      };
    }
  }
}
