/**
 * The check run's output: a title that says where the run stands, and a markdown summary of what
 * ran where (commit, trigger, runner, labels and architecture, workflow run, one row per job, the
 * smoke-test section, dashboard link).
 */
import { conclusionWord } from './conclusion';
import { durationSeconds, formatDuration, parseJobName } from './jobs';
import { codeCell, escapeCell, link, truncateMarkdown } from './markdown';
import { clip, utf8Length } from './text';

export interface JobView {
  id: number;
  name: string;
  status: string;
  conclusion: string | null;
  runnerName: string | null;
  labels: string[];
  startedAt: string | null;
  completedAt: string | null;
  htmlUrl: string | null;
}

export interface RunSummaryInput {
  checkName: string;
  repo: string /* owner/name */;
  sha: string;
  branch: string | null;
  pr: number | null;
  trigger: string /* push | pull_request | command | rerun */;
  actor: string | null;
  workflow: string;
  runnerLabels: string[];
  dispatchId: string;
  status: string;
  conclusion: string | null;
  workflowRun: { id: number; htmlUrl: string; attempt: number } | null;
  jobs: JobView[];
  dashboardUrl: string;
  /** Extra markdown lines the worker wants shown (e.g. "dispatch failed: …"), one per entry. */
  notes?: string[];
  /**
   * The smoke-test section: markdown from core/smoke/markdown `renderSmokeMarkdown`, and the headline rate
   * ("5/6 (83%)", null when no test ran) for the title. Absent while the run has no results.
   */
  smoke?: { markdown: string; rate: string | null } | null;
  /**
   * Further sections after the smoke section (the comparison with the baseline, artifact sizes),
   * each already within its own byte budget.
   */
  sections?: string[];
  /** The rule that decided the conclusion, e.g. "smoke pass rate 5/6 (83%) is below the required 100%". */
  decidedBy?: string | null;
  /**
   * The runner-pool section (core/routing `renderFleetSection`): markdown shown under the head
   * table, and a title for a run still waiting when the pool explains the wait. Absent: nothing to say.
   */
  fleet?: { markdown: string; waitingTitle: string | null } | null;
}

/**
 * GitHub's limit for `output.summary` and `output.text`. The docs say characters, but the API
 * checks UTF-8 bytes ("summary exceeds a maximum bytesize of 65535"), so sizes here are in bytes.
 */
export const MAX_OUTPUT_CHARS = 65535;

/** The smoke section's share of the summary: the rest is left to the header and the job table. */
const SMOKE_MAX_BYTES = 30_000;

// ---------------------------------------------------------------------------------------------
// Title

const FAILED = new Set(['failure', 'timed_out', 'startup_failure', 'cancelled', 'action_required', 'stale']);

function labelList(labels: string[]): string {
  return clip(labels.join(', '), 120);
}

function renderTitle(input: RunSummaryInput): string {
  const labels = labelList(input.runnerLabels);
  const total = input.jobs.length;
  const done = input.jobs.filter((j) => j.status === 'completed').length;
  if (input.status === 'completed') {
    const conclusion = input.conclusion ?? 'unknown';
    const word = conclusionWord(conclusion);
    const smoke = input.smoke?.rate ? ` · smoke tests ${input.smoke.rate}` : '';
    if (conclusion === 'success') return `arm64: passed on ${labels}${smoke}`;
    if (conclusion === 'failure') {
      const failed = input.jobs.filter((j) => j.conclusion !== null && FAILED.has(j.conclusion)).length;
      const jobs = total > 0 ? ` (${failed} of ${total} ${total === 1 ? 'job' : 'jobs'} failed)` : '';
      return `arm64: failed on ${labels}${jobs}${smoke}`;
    }
    return `arm64: ${word}`;
  }
  // A run can be "in progress" while every job still waits for a self-hosted runner: say so, as
  // an offline runner is the most common reason a check stays yellow.
  const started = input.jobs.some((j) => j.status === 'in_progress' || j.status === 'completed');
  if (input.status === 'in_progress' && (started || total === 0))
    return total > 0 ? `arm64: running (${done}/${total} jobs done)` : 'arm64: running';
  return input.fleet?.waitingTitle ?? `arm64: queued, waiting for a runner with ${labels}`;
}

// ---------------------------------------------------------------------------------------------
// Summary

const EMOJI: Record<string, string> = {
  success: '✅',
  failure: '❌',
  startup_failure: '❌',
  cancelled: '🚫',
  timed_out: '⏱️',
  skipped: '⏭️',
  neutral: '⚪',
  action_required: '⚠️',
  stale: '💤',
};

function jobResult(job: JobView): string {
  if (job.status === 'completed') {
    const c = job.conclusion ?? 'unknown';
    return `${EMOJI[c] ?? '❔'} ${escapeCell(conclusionWord(c))}`;
  }
  if (job.status === 'in_progress') return '🔄 running';
  return '⏳ queued';
}

function triggerText(trigger: string, actor: string | null): string {
  const what =
    {
      push: 'a push',
      pull_request: 'a pull request',
      merge_group: 'the merge queue',
      command: 'a comment command',
      rerun: 'a re-run request',
    }[trigger] ?? codeCell(trigger);
  return actor ? `${what} by @${escapeCell(actor)}` : what;
}

const shortSha = (sha: string) => sha.slice(0, 7);

/**
 * The CPU architecture runner labels ask for (GitHub's `ARM64`/`X64` or the usual self-hosted
 * spellings); null when the labels do not say.
 */
export function architectureOf(labels: string[]): string | null {
  const set = new Set(labels.map((l) => l.toLowerCase()));
  if (set.has('arm64') || set.has('aarch64')) return 'arm64 (aarch64)';
  if (set.has('x64') || set.has('x86_64') || set.has('amd64')) return 'x64 (x86_64)';
  if (set.has('arm') || set.has('armv7') || set.has('armhf')) return 'arm (32-bit)';
  return null;
}

/** Which runners took the jobs, and the architecture their labels name. */
function runnerText(input: RunSummaryInput): string {
  const names = [...new Set(input.jobs.map((j) => j.runnerName).filter((n): n is string => !!n))];
  const arch = architectureOf([...input.runnerLabels, ...input.jobs.flatMap((j) => j.labels)]);
  const who =
    names.length === 0
      ? input.status === 'completed'
        ? 'none reported'
        : 'not assigned yet'
      : names.length > 5
        ? `${names.slice(0, 5).map(codeCell).join(', ')} and ${names.length - 5} more`
        : names.map(codeCell).join(', ');
  return arch ? `${who} · ${arch}` : who;
}

function renderHead(input: RunSummaryInput): string {
  const rows: [string, string][] = [];
  const run = input.workflowRun;
  rows.push([
    'Workflow',
    run
      ? `${codeCell(input.workflow)}: ${link(`run ${run.id}${run.attempt > 1 ? `, attempt ${run.attempt}` : ''}`, run.htmlUrl)}`
      : `${codeCell(input.workflow)} (${input.status === 'completed' ? 'no workflow run' : 'waiting for GitHub to start the run'})`,
  ]);
  rows.push(['Commit', codeCell(input.sha)]);
  if (input.branch !== null) rows.push(['Branch', codeCell(input.branch)]);
  if (input.pr !== null) rows.push(['Pull request', `#${input.pr}`]);
  rows.push(['Triggered by', triggerText(input.trigger, input.actor)]);
  rows.push(['Runner', runnerText(input)]);
  rows.push(['Runner labels', input.runnerLabels.map(codeCell).join(', ') || '—']);
  rows.push(['Dispatch id', codeCell(input.dispatchId)]);
  if (input.status === 'completed' && input.decidedBy) rows.push(['Decided by', escapeCell(input.decidedBy)]);

  const where = [input.branch !== null ? `on ${codeCell(input.branch)}` : null, input.pr !== null ? `(#${input.pr})` : null]
    .filter(Boolean)
    .join(' ');
  const lines = [
    `**${escapeCell(input.checkName)}** for commit ${codeCell(shortSha(input.sha))}${where ? ` ${where}` : ''} in ${escapeCell(input.repo)}.`,
    '',
    '| | |',
    '|---|---|',
    ...rows.map(([k, v]) => `| ${k} | ${v} |`),
  ];
  const notes = (input.notes ?? []).map((n) => n.replace(/\r\n|\r|\n/g, ' ').trim()).filter((n) => n !== '');
  if (notes.length > 0) lines.push('', ...notes.map((n) => `> ${n}`).flatMap((n, i) => (i > 0 ? ['>', n] : [n])));
  const fleet = input.fleet?.markdown.trim();
  if (fleet) lines.push('', fleet);
  return lines.join('\n');
}

interface TableShape {
  withMatrix: boolean;
}

function tableHeader({ withMatrix }: TableShape): string {
  return withMatrix
    ? '| Job | Matrix | Runner | Result | Duration |\n|---|---|---|---|---|'
    : '| Job | Runner | Result | Duration |\n|---|---|---|---|';
}

function jobRow(job: JobView, { withMatrix }: TableShape): string {
  const { base, matrix } = parseJobName(job.name);
  const jobCell = link(escapeCell(base) || '(unnamed)', job.htmlUrl);
  const runner =
    job.runnerName !== null && job.runnerName !== ''
      ? escapeCell(job.runnerName)
      : job.status === 'completed'
        ? '—'
        : job.labels.length > 0
          ? `waiting for ${job.labels.map(codeCell).join(', ')}`
          : 'waiting for a runner';
  const duration = job.status === 'completed' ? formatDuration(durationSeconds(job.startedAt, job.completedAt)) : '—';
  const cells = [jobCell, ...(withMatrix ? [matrix.map(escapeCell).join(', ') || '—'] : []), runner, jobResult(job), duration];
  return `| ${cells.join(' | ')} |`;
}

function jobsHeading(jobs: JobView[]): string {
  const total = jobs.length;
  const done = jobs.filter((j) => j.status === 'completed').length;
  const failed = jobs.filter((j) => j.status === 'completed' && j.conclusion !== null && FAILED.has(j.conclusion)).length;
  const parts = [`${done} of ${total} done`];
  if (failed > 0) parts.push(`${failed} failed`);
  return `### Jobs (${parts.join(', ')})`;
}

/** Failed first, then running, then queued, then the rest; stable within each group. */
function severity(job: JobView): number {
  if (job.status === 'completed') return job.conclusion !== null && FAILED.has(job.conclusion) ? 0 : 3;
  return job.status === 'in_progress' ? 1 : 2;
}

export function renderCheckOutput(input: RunSummaryInput): { title: string; summary: string; text?: string } {
  const title = renderTitle(input);
  const head = renderHead(input);
  const footer = link(`Open the ${escapeCell(input.checkName)} dashboard`, input.dashboardUrl);
  const runLink = input.workflowRun ? link('the workflow run', input.workflowRun.htmlUrl) : 'the workflow run';
  // Last resort only (e.g. enormous notes): the job table is sized below to fit on its own.
  const safety = `_Truncated (GitHub limits this text to ${MAX_OUTPUT_CHARS} bytes); see ${runLink}._`;
  // The smoke section comes after the jobs and always stays in the summary (it is what a reader
  // acts on), trimmed to its share with a note; the job table makes room for it.
  const smokeMd = input.smoke?.markdown.trim();
  const smoke = smokeMd
    ? [
        '',
        truncateMarkdown(
          smokeMd,
          SMOKE_MAX_BYTES,
          `_Smoke-test section trimmed (GitHub limits this text to ${MAX_OUTPUT_CHARS} bytes); the annotations list every failure._`,
        ),
      ]
    : [];
  for (const section of input.sections ?? []) if (section.trim() !== '') smoke.push('', section.trim());

  if (input.jobs.length === 0) {
    const none = input.status === 'completed' ? 'The workflow run reported no jobs.' : 'No jobs have started yet.';
    const summary = [head, '', '### Jobs', '', none, ...smoke, '', footer].join('\n');
    return { title, summary: truncateMarkdown(summary, MAX_OUTPUT_CHARS, safety) };
  }

  const shape: TableShape = { withMatrix: input.jobs.some((j) => parseJobName(j.name).matrix.length > 0) };
  const heading = jobsHeading(input.jobs);
  const whole = [head, '', heading, '', tableHeader(shape), ...input.jobs.map((j) => jobRow(j, shape)), ...smoke, '', footer].join(
    '\n',
  );
  if (utf8Length(whole) <= MAX_OUTPUT_CHARS)
    return { title, summary: truncateMarkdown(whole, MAX_OUTPUT_CHARS, safety) };

  // Too many jobs for one field: failed jobs first so they are never the ones cut, as many rows
  // as fit in the summary, the rest continued in `text`.
  const rows = input.jobs
    .map((job, i) => ({ job, i }))
    .sort((a, b) => severity(a.job) - severity(b.job) || a.i - b.i)
    .map(({ job }) => jobRow(job, shape));
  const total = rows.length;
  const shownNote = (n: number) =>
    `_Showing ${n} of ${total} jobs, failed first; the rest are listed below${input.workflowRun ? ` and in ${runLink}` : ''}._`;
  const fixed = [head, '', heading, '', tableHeader(shape)].join('\n');
  // Notes name a count, which depends on where the cut falls: reserve room for the longest count.
  const smokeBytes = utf8Length(smoke.join('\n')) + (smoke.length > 0 ? 1 : 0);
  const shown = rowsThatFit(
    rows,
    MAX_OUTPUT_CHARS - utf8Length(fixed) - smokeBytes - utf8Length(`\n\n${shownNote(total)}\n\n${footer}`),
  );
  const summary = [fixed, ...rows.slice(0, shown), '', shownNote(shown), ...smoke, '', footer].join('\n');

  const rest = rows.slice(shown);
  const textHead = ['### Jobs (continued)', '', tableHeader(shape)].join('\n');
  let text = [textHead, ...rest].join('\n');
  if (utf8Length(text) > MAX_OUTPUT_CHARS) {
    const inText = rowsThatFit(rest, MAX_OUTPUT_CHARS - utf8Length(textHead) - utf8Length(`\n\n${omittedNote(rest.length, runLink)}`));
    text = [textHead, ...rest.slice(0, inText), '', omittedNote(rest.length - inText, runLink)].join('\n');
  }
  return {
    title,
    summary: truncateMarkdown(summary, MAX_OUTPUT_CHARS, safety),
    text: truncateMarkdown(text, MAX_OUTPUT_CHARS, safety),
  };
}

/** How many leading rows (each followed by a newline) fit in `budget` bytes. */
function rowsThatFit(rows: string[], budget: number): number {
  let left = budget;
  let n = 0;
  for (const row of rows) {
    const size = utf8Length(row) + 1;
    if (size > left) break;
    left -= size;
    n++;
  }
  return n;
}

function omittedNote(omitted: number, runLink: string): string {
  return `_${omitted} more ${omitted === 1 ? 'job is' : 'jobs are'} not shown (GitHub limits this text to ${MAX_OUTPUT_CHARS} bytes); see ${runLink} or the dashboard._`;
}
