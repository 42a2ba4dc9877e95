import type { Tone } from './format';
import { Chips, Layout, Pill, Time, type Live } from './layout';
import { QueueTable } from './repo';
import { Table } from './table';
import type { RunnerRow, RunnersView } from './view-models';

function state(r: RunnerRow): { word: string; tone: Tone } {
  if (r.status === 'offline') return { word: 'offline', tone: 'bad' };
  if (r.status === 'online') return r.busy ? { word: 'online, busy', tone: 'running' } : { word: 'online, idle', tone: 'ok' };
  return { word: 'seen in jobs', tone: 'neutral' };
}

const SOURCE: Record<RunnerRow['source'], string> = { repo: 'repository', org: 'organization', job: 'job events' };

export function RunnersPage(props: { view: RunnersView; now: Date; live?: Live | null }) {
  const v = props.view;
  const denied = v.repos.filter((r) => r.access.repo === 'denied' || r.access.org === 'denied').map((r) => r.repo);
  return (
    <Layout title="Runners · arm64 CI" live={props.live ?? null}>
      <h1>Runners</h1>
      <p class="muted">
        Self-hosted runners of public repositories, as GitHub lists them and as job events show them.
      </p>
      {denied.length > 0 ? (
        <p>
          Some runner listings could not be read (the App needs <code>administration: read</code>, and{' '}
          <code>organization_self_hosted_runners: read</code> for organization runners): {denied.join(', ')}. Runners there are known only
          from the jobs they ran.
        </p>
      ) : null}
      <div id="runners-live" data-live-part>
        {v.runners.length === 0 ? (
          <p>No runner known yet: runners appear once a run is dispatched or a job starts.</p>
        ) : (
          <Table columns={['Runner', 'State', 'Labels', 'Last job', 'Known from']}>
            {v.runners.map((r) => (
              <tr data-runner={r.name}>
                <td>
                  <code>{r.name}</code>
                </td>
                <td>
                  <Pill status={state(r)} />
                </td>
                <td class="text">
                  <Chips items={r.labels} />
                </td>
                <td>
                  {r.lastJob ? (
                    <>
                      {r.lastJob.url ? (
                        <a href={r.lastJob.url}>
                          {r.lastJob.name}
                          <span class="sr"> in {r.lastJob.repo}</span>
                        </a>
                      ) : (
                        r.lastJob.name
                      )}{' '}
                      <span class="muted">{r.lastJob.repo}</span> <Pill status={r.lastJob.status} /> <Time iso={r.lastJob.at} now={props.now} />
                    </>
                  ) : (
                    <span class="muted">—</span>
                  )}
                </td>
                <td>{SOURCE[r.source]}</td>
              </tr>
            ))}
          </Table>
        )}
      </div>
      {v.cursor ? (
        <p class="more">
          <a href={`/runners?cursor=${encodeURIComponent(v.cursor)}`}>Runners of more repositories</a>
        </p>
      ) : null}
      <section class="queue">
        <h2>Queue times</h2>
        {v.queue.length === 0 ? (
          <p>No jobs in the last 7 days.</p>
        ) : (
          <>
            <p class="muted">From dispatch to a runner starting the job, and how long jobs ran, per set of requested labels, over the last 7 days.</p>
            <QueueTable queue={v.queue} />
          </>
        )}
      </section>
    </Layout>
  );
}
