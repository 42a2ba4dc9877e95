import { formatRatio, formatSeconds } from '../../core/compare/ratio';
import { formatDuration, noteSegments, safeHref, shortSha, triggerText, utc, type Tone } from './format';
import { Chips, Layout, Pill, Time, type Live } from './layout';
import { SmokeSummary } from './smoke-summary';
import { num, Table, TestCell } from './table';
import { withToken, type RunTest, type RunView } from './view-models';

const OUTCOME: Record<RunTest['outcome'], { word: string; tone: Tone }> = {
  failed: { word: 'failed', tone: 'bad' },
  errored: { word: 'error', tone: 'bad' },
  mixed: { word: 'failed in one file', tone: 'bad' },
  passed: { word: 'passed', tone: 'ok' },
  skipped: { word: 'skipped', tone: 'neutral' },
};

function ExternalLink(props: { href: string | null; children: string }) {
  const href = safeHref(props.href);
  return href ? <a href={href}>{props.children}</a> : null;
}

/** A note as text, code and links to the runs it names (format.ts noteSegments). */
function Note(props: { note: string; held: boolean; runUrl: (dispatchId: string) => string }) {
  return (
    <>
      {noteSegments(props.note, { held: props.held }).map((s) =>
        'code' in s ? <code>{s.code}</code> : 'run' in s ? <a href={props.runUrl(s.run)}>{s.run}</a> : s.text,
      )}
    </>
  );
}

/**
 * Re-running and cancelling need a GitHub sign-in, which this dashboard does not have: link to the
 * workflow run on GitHub, where people with write access have both buttons. A held run has neither
 * (only /ok-to-test releases it).
 */
function GitHubActions(props: { view: RunView }) {
  const { run, links } = props.view;
  const href = safeHref(links.workflowRun);
  if (!href || run.state === 'awaiting_approval') return null;
  const done = run.state === 'completed';
  return (
    <p data-github-actions>
      <a href={href}>{done ? 'Re-run on GitHub' : 'Cancel on GitHub'}</a>{' '}
      <span class="muted">
        (the workflow run's page has the “{done ? 'Re-run jobs' : 'Cancel workflow'}” button for people with write access; this dashboard has no
        sign-in)
      </span>
    </p>
  );
}

export function RunPage(props: { view: RunView; token: string | null; now: Date; live?: Live | null }) {
  const { run, links, jobs, smoke, tests } = props.view;
  const repo = props.view.repo;
  const multiAttempt = new Set(jobs.map((j) => j.attempt)).size > 1;
  const more = props.view.cursor ? withToken(`${run.url.split('?')[0]}?cursor=${encodeURIComponent(props.view.cursor)}`, props.token) : null;
  return (
    <Layout title={`${repo} ${shortSha(run.sha)} · ${run.status.word} · arm64 CI`} live={props.live ?? null}>
      <div id="run-live" data-live-part>
        <p class="muted">
          <a href={links.repo}>
            <span class="sr">Back to </span>
            {repo}
          </a>
        </p>
        <h1>
          Run of <code>{shortSha(run.sha)}</code> <Pill status={run.status} />
        </h1>
        <dl class="facts">
          <dt>{run.pr ? 'Pull request' : 'Branch'}</dt>
          <dd>
            <a href={links.ref}>{run.pr ? `#${run.pr} on GitHub` : `${run.branch ?? '—'} on GitHub`}</a>
          </dd>
          <dt>Commit</dt>
          <dd>
            <a href={links.commit}>
              <code>{run.sha}</code>
              <span class="sr"> on GitHub</span>
            </a>
          </dd>
          {run.target ? (
            <>
              <dt>Target</dt>
              <dd>
                {run.target}
                {run.compareUrl ? (
                  <>
                    {' '}
                    · <a href={run.compareUrl}>compared with the baseline</a>
                  </>
                ) : null}
              </dd>
            </>
          ) : null}
          <dt>Trigger</dt>
          <dd>{triggerText(run.trigger, run.actor)}</dd>
          <dt>Started</dt>
          <dd>
            <Time iso={run.startedAt ?? run.createdAt} now={props.now} /> <span class="muted">({utc(run.startedAt ?? run.createdAt)})</span>
          </dd>
          <dt>Duration</dt>
          <dd>{formatDuration(run.durationSeconds)}</dd>
          <dt>Runner labels</dt>
          <dd>
            <Chips items={run.runnerLabels} />
          </dd>
          <dt>Smoke tests</dt>
          <dd>{smoke?.rateText ?? 'no data'}</dd>
          {links.workflowRun ? (
            <>
              <dt>Workflow run</dt>
              <dd>
                <ExternalLink href={links.workflowRun}>{`${run.workflow} run on GitHub${run.attempt > 1 ? ` (attempt ${run.attempt})` : ''}`}</ExternalLink>
              </dd>
            </>
          ) : null}
        </dl>
        <GitHubActions view={props.view} />
        {run.notes.length ? (
          <ul class="notes">
            {run.notes.map((n) => (
              <li>
                <Note note={n} held={run.state === 'awaiting_approval'} runUrl={(id) => withToken(`${links.repo.split('?')[0]}/runs/${encodeURIComponent(id)}`, props.token)} />
              </li>
            ))}
          </ul>
        ) : null}

        <h2>Jobs</h2>
        {jobs.length === 0 ? (
          <p>No jobs reported yet.</p>
        ) : (
          <Table columns={['Job', 'Matrix', ...(multiAttempt ? ['Attempt'] : []), 'Runner', 'Result', num('Queued'), num('Duration')]}>
            {jobs.map((j) => (
              <tr data-job={j.jobId}>
                <td>{safeHref(j.url) ? <a href={safeHref(j.url)!}>{j.name}</a> : j.name}</td>
                <td>{j.matrix.length ? <Chips items={j.matrix} /> : '—'}</td>
                {multiAttempt ? <td>{j.attempt}</td> : null}
                <td>{j.runnerName ? <code>{j.runnerName}</code> : <span class="muted">not assigned</span>}</td>
                <td>
                  <Pill status={j.status} />
                </td>
                <td class="num">{formatDuration(j.queueSeconds)}</td>
                <td class="num">{formatDuration(j.durationSeconds)}</td>
              </tr>
            ))}
          </Table>
        )}

        <h2>Tests</h2>
        {props.view.testsTotal === 0 ? (
          <p>{smoke ? 'No individual test results were kept for this run.' : 'No smoke-test results for this run.'}</p>
        ) : (
          <>
            <p>
              {props.view.testsTotal} {props.view.testsTotal === 1 ? 'test' : 'tests'}
              {smoke && smoke.attempt !== run.attempt ? ` from attempt ${smoke.attempt}` : ''}, failing first
              {props.view.testsTruncated ? ' (more ran than were kept; the counts above include them all)' : ''}.
            </p>
            <Table columns={['Test', 'Outcome']}>
              {tests.map((t) => (
                <tr data-outcome={t.outcome}>
                  <TestCell name={t.name} id={t.id} />
                  <td>
                    <Pill status={OUTCOME[t.outcome]} />
                    {t.flaky ? <span class="pill waiting">flaky</span> : null}
                  </td>
                </tr>
              ))}
            </Table>
            {more ? (
              <p class="more">
                <a href={more}>More tests</a>
              </p>
            ) : null}
          </>
        )}

        {smoke && smoke.slowdowns.length > 0 && smoke.slowdownRule ? (
          <>
            <h2>Slower than usual</h2>
            <p>
              {smoke.slowdownRule.flagged} {smoke.slowdownRule.flagged === 1 ? 'test' : 'tests'} took at least {formatRatio(smoke.slowdownRule.factor)}{' '}
              their median over the last {smoke.slowdownRule.window} runs on <code>{smoke.slowdownRule.branch}</code>
              {smoke.slowdownRule.flagged > smoke.slowdowns.length ? ` (the ${smoke.slowdowns.length} slowest are listed)` : ''}.
            </p>
            <Table data-section="slowdowns" columns={['Test', 'Now', 'Median', 'Factor', 'Runs']}>
              {smoke.slowdowns.map((s) => (
                <tr>
                  <TestCell name={s.name} id={s.id} />
                  <td class="num">{formatSeconds(s.currentSeconds)}</td>
                  <td class="num">{formatSeconds(s.medianSeconds)}</td>
                  <td class="num">{formatRatio(s.factor)}</td>
                  <td class="num">{s.samples}</td>
                </tr>
              ))}
            </Table>
          </>
        ) : null}

        <h2>Check-run summary</h2>
        {smoke ? (
          <>
            <p>
              Decided by: <Note note={smoke.rule} held={false} runUrl={(id) => withToken(`${links.repo.split('?')[0]}/runs/${encodeURIComponent(id)}`, props.token)} />.
            </p>
            {smoke.report ? (
              <SmokeSummary report={smoke.report} />
            ) : links.checkRun ? (
              // Results stored before the section was kept as data: GitHub still shows it.
              <p>
                The details are in <ExternalLink href={links.checkRun}>the check run on GitHub</ExternalLink>.
              </p>
            ) : null}
          </>
        ) : (
          <p>
            {run.state === 'awaiting_approval'
              ? 'Nothing ran: the commit waits for /ok-to-test.'
              : run.status.tone === 'running' || run.status.tone === 'waiting'
                ? 'The run has not finished yet.'
                : 'This run has no smoke-test section.'}
          </p>
        )}
        {props.live ? <p class="muted live-note">This page updates by itself until the run finishes.</p> : null}
      </div>
    </Layout>
  );
}
