import { describe, expect, it } from 'vitest';
import {
  carriesAll,
  isHostedRequest,
  matchRunner,
  normalizeLabels,
  rankRunners,
  renderFleetSection,
  routeLabels,
  type FleetAccess,
  type FleetSectionInput,
  type RunnerView,
} from './routing';

const LABELS = ['self-hosted', 'arm64', 'dgx'];
const OK: FleetAccess = { repo: 'ok', org: 'ok' };

function runner(name: string, labels: string[], status: RunnerView['status'] = 'online', busy: boolean | null = false, more: Partial<RunnerView> = {}): RunnerView {
  return { name, labels, status, busy, source: 'repo', ...more };
}

describe('normalizeLabels', () => {
  it('trims, drops empties and case-insensitive duplicates, keeping the first spelling', () => {
    expect(normalizeLabels([' self-hosted', 'ARM64', 'arm64', '', '  ', 'dgx '])).toEqual(['self-hosted', 'ARM64', 'dgx']);
  });
});

describe('matchRunner / carriesAll', () => {
  it('compares labels case-insensitively, as GitHub does', () => {
    const r = runner('a', ['Self-Hosted', 'Linux', 'ARM64', 'DGX']);
    expect(carriesAll(LABELS, r)).toBe(true);
    expect(matchRunner(LABELS, r)).toMatchObject({ has: LABELS, lacks: [] });
  });

  it('needs ALL requested labels; extra labels on the runner do not matter', () => {
    const r = runner('a', ['self-hosted', 'arm64', 'gpu', 'linux']);
    expect(carriesAll(LABELS, r)).toBe(false);
    expect(matchRunner(LABELS, r)).toMatchObject({ has: ['self-hosted', 'arm64'], lacks: ['dgx'] });
  });

  it('reports the lacking labels in the requested spelling', () => {
    expect(matchRunner(['self-hosted', 'ARM64'], runner('x', ['self-hosted', 'x64'])).lacks).toEqual(['ARM64']);
  });

  it('does not match a label by substring', () => {
    expect(carriesAll(['arm'], runner('a', ['arm64']))).toBe(false);
  });

  it('an empty request matches every runner', () => {
    expect(carriesAll([], runner('a', []))).toBe(true);
  });
});

describe('rankRunners', () => {
  it('orders by most labels in common, then online before offline, idle before busy, then name', () => {
    const ranked = rankRunners(LABELS, [
      runner('z-offline-full', LABELS, 'offline'),
      runner('b-online-busy-full', LABELS, 'online', true),
      runner('a-online-idle-full', LABELS, 'online', false),
      runner('c-online-lacks-one', ['self-hosted', 'arm64']),
      runner('d-offline-lacks-one', ['self-hosted', 'arm64'], 'offline'),
      runner('e-lacks-all', ['windows']),
      runner('f-seen-in-job', LABELS, null, null, { source: 'job' }),
    ]).map((m) => m.runner.name);
    expect(ranked).toEqual([
      'a-online-idle-full',
      'b-online-busy-full',
      'f-seen-in-job',
      'z-offline-full',
      'c-online-lacks-one',
      'd-offline-lacks-one',
      'e-lacks-all',
    ]);
  });
});

describe('isHostedRequest', () => {
  it('recognises GitHub-hosted image labels', () => {
    expect(isHostedRequest(['ubuntu-24.04-arm'])).toBe(true);
    expect(isHostedRequest(['macos-latest'])).toBe(true);
  });
  it('is false as soon as self-hosted or a custom label is asked for', () => {
    expect(isHostedRequest(['self-hosted', 'ubuntu-24.04-arm'])).toBe(false);
    expect(isHostedRequest(['ubuntu-24.04-arm', 'dgx'])).toBe(false);
    expect(isHostedRequest([])).toBe(false);
  });
  // A target on these is routed without a self-hosted match and never warned about missing runners.
  it.each([
    ['ubuntu-latest'],
    ['ubuntu-24.04'],
    ['ubuntu-22.04-arm'],
    ['ubuntu-slim'],
    ['windows-latest'],
    ['windows-2025'],
    ['windows-11-arm'],
    ['macos-15'],
    ['macos-14-large'],
    ['macos-15-xlarge'],
    ['UBUNTU-24.04'],
    [' ubuntu-24.04 '],
  ])('%j is a GitHub-hosted runner', (label) => {
    expect(isHostedRequest([label])).toBe(true);
  });
  it.each<[string[]]>([
    [['self-hosted']],
    [['Self-Hosted', 'ubuntu-24.04']],
    [['linux', 'arm64']],
    [['ubuntu']],
    [['ubuntu-']],
    [['my-ubuntu-24.04']],
    [['ubuntu-24.04', 'gpu']],
    [[' ']],
  ])('%j is not a GitHub-hosted runner', (labels) => {
    expect(isHostedRequest(labels)).toBe(false);
  });
});

describe('routeLabels', () => {
  const route = (runners: RunnerView[], access: FleetAccess = OK) => routeLabels(LABELS, { runners, access });

  it('ready: an online idle runner carries all labels', () => {
    const r = route([runner('dgx-01', LABELS), runner('other', ['self-hosted'])]);
    expect(r.verdict).toBe('ready');
    expect(r.matching.map((m) => m.name)).toEqual(['dgx-01']);
  });

  it('busy: every online match is busy', () => {
    expect(route([runner('dgx-01', LABELS, 'online', true), runner('dgx-02', LABELS, 'offline')]).verdict).toBe('busy');
  });

  it('offline: matches exist but none online', () => {
    const r = route([runner('dgx-01', LABELS, 'offline'), runner('gpu', ['self-hosted', 'arm64'])]);
    expect(r.verdict).toBe('offline');
    expect(r.closest.map((m) => [m.runner.name, m.lacks])).toEqual([
      ['dgx-01', []],
      ['gpu', ['dgx']],
    ]);
  });

  it('none: no runner carries all labels (including an empty fleet)', () => {
    expect(route([runner('gpu', ['self-hosted', 'arm64'])]).verdict).toBe('none');
    expect(route([]).verdict).toBe('none');
  });

  it('a runner known only from a job event is not counted as online', () => {
    expect(route([runner('dgx-01', LABELS, null, null, { source: 'job' })]).verdict).toBe('none');
  });

  it('unknown: neither listing could be read', () => {
    expect(route([runner('dgx-01', LABELS)], { repo: 'denied', org: 'denied' }).verdict).toBe('unknown');
    expect(routeLabels(LABELS, null).verdict).toBe('unknown');
    // A personal account whose repository listing is denied: nothing listed at all.
    expect(route([], { repo: 'denied', org: 'not_org' }).verdict).toBe('unknown');
  });

  it('partial: one listing denied still decides, and says which part is missing', () => {
    const r = route([runner('gpu', ['self-hosted'])], { repo: 'ok', org: 'denied' });
    expect(r).toMatchObject({ verdict: 'none', partial: 'org' });
    expect(route([], { repo: 'denied', org: 'ok' }).partial).toBe('repo');
    // A personal account has no organization runners: nothing is missing.
    expect(route([], { repo: 'ok', org: 'not_org' }).partial).toBeNull();
  });

  it('hosted: GitHub-hosted labels need no self-hosted runner', () => {
    expect(routeLabels(['ubuntu-24.04-arm'], { runners: [], access: OK }).verdict).toBe('hosted');
  });

  it('keeps at most `closest` runners', () => {
    const many = Array.from({ length: 10 }, (_, i) => runner(`r${i}`, ['self-hosted']));
    expect(routeLabels(LABELS, { runners: many, access: OK }, { closest: 2 }).closest).toHaveLength(2);
  });
});

describe('renderFleetSection', () => {
  const T0 = '2026-11-25T12:00:00.000Z';
  const at = (s: number) => new Date(Date.parse(T0) + s * 1000);
  const input = (more: Partial<FleetSectionInput> = {}): FleetSectionInput => ({
    labels: LABELS,
    fleet: { runners: [runner('gpu-02', ['self-hosted', 'arm64']), runner('dgx-01', LABELS, 'offline')], access: OK },
    status: 'queued',
    since: T0,
    now: at(125),
    jobs: [],
    ...more,
  });

  it('no online runner: names the labels, how long it waited, the closest runners and what they lack', () => {
    const s = renderFleetSection(input({ fleet: { runners: [runner('gpu-02', ['self-hosted', 'arm64'])], access: OK } }))!;
    expect(s.markdown).toContain('No runner has all the requested labels');
    expect(s.markdown).toContain('Waiting 2m 05s for a runner with `self-hosted`, `arm64`, `dgx`');
    expect(s.markdown).toContain('| gpu-02 | online, idle | `dgx` |');
    expect(s.waitingTitle).toBe('arm64: queued, no runner has self-hosted, arm64, dgx');
  });

  it('matching runners all offline: says so and lists them first', () => {
    const s = renderFleetSection(input())!;
    expect(s.markdown).toContain('No online runner has all the requested labels');
    const rows = s.markdown.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| Runner'));
    expect(rows).toEqual(['| dgx-01 | offline | — |', '| gpu-02 | online, idle | `dgx` |']);
    expect(s.waitingTitle).toContain('is offline');
  });

  it('an empty fleet says that no runner is registered', () => {
    const s = renderFleetSection(input({ fleet: { runners: [], access: OK } }))!;
    expect(s.markdown).toContain('No self-hosted runner is registered');
    expect(s.markdown).not.toContain('| Runner |');
  });

  it('a usable runner: a one-line note with the wait, no warning and the default title', () => {
    const s = renderFleetSection(input({ fleet: { runners: [runner('dgx-01', LABELS)], access: OK } }))!;
    expect(s.markdown).toBe('**Runner pool:** Waiting 2m 05s for a runner with `self-hosted`, `arm64`, `dgx`. Online and idle with all labels: `dgx-01`.');
    expect(s.waitingTitle).toBeNull();
  });

  it('all matching runners busy: says the job waits for one to be free', () => {
    const s = renderFleetSection(input({ fleet: { runners: [runner('dgx-01', LABELS, 'online', true)], access: OK } }))!;
    expect(s.markdown).toContain('Every online runner with all labels is busy (`dgx-01`)');
    expect(s.waitingTitle).toContain('busy');
  });

  it('listing denied: says once that the pool is unknown and which permissions are needed', () => {
    const s = renderFleetSection(input({ fleet: { runners: [], access: { repo: 'denied', org: 'denied' } } }))!;
    expect(s.markdown.match(/administration: read/g)).toHaveLength(1);
    expect(s.markdown).toContain('organization_self_hosted_runners: read');
    expect(s.waitingTitle).toBeNull();
  });

  it('organization listing denied: hedges the verdict', () => {
    const s = renderFleetSection(input({ fleet: { runners: [runner('gpu-02', ['self-hosted'])], access: { repo: 'ok', org: 'denied' } } }))!;
    expect(s.markdown).toContain('Organization runners could not be listed');
  });

  it('a job picked up: names the runner and the queue time from the dispatch', () => {
    const s = renderFleetSection(
      input({ status: 'in_progress', jobs: [{ name: 'test', status: 'in_progress', runnerName: 'dgx-01', startedAt: at(125).toISOString() }] }),
    )!;
    expect(s.markdown).toBe('**Runner pool:** Picked up by `dgx-01` after 2m 05s in the queue (dispatch → job start).');
    expect(s.waitingTitle).toBeNull();
  });

  it('several jobs picked up: the first and the slowest', () => {
    const s = renderFleetSection(
      input({
        status: 'in_progress',
        jobs: [
          { name: 'b', status: 'in_progress', runnerName: 'dgx-02', startedAt: at(400).toISOString() },
          { name: 'a', status: 'in_progress', runnerName: 'dgx-01', startedAt: at(5).toISOString() },
          { name: 'c', status: 'queued', runnerName: null, startedAt: null },
        ],
      }),
    )!;
    expect(s.markdown).toContain('Picked up by `dgx-01` after 5s');
    expect(s.markdown).toContain('2 jobs started; the last waited 6m 40s (`dgx-02`)');
  });

  it('a finished run speaks only when the pool explains why no job started, with the wait up to its end', () => {
    expect(renderFleetSection(input({ status: 'completed', fleet: { runners: [runner('dgx-01', LABELS)], access: OK } }))).toBeNull();
    const s = renderFleetSection(input({ status: 'completed', completedAt: at(60).toISOString(), now: at(9999) }))!;
    expect(s.markdown).toContain('No runner picked up a job of this run (it waited 1m 00s).');
    expect(s.markdown).not.toContain('keeps the job queued');
  });

  it('says nothing for GitHub-hosted labels', () => {
    expect(renderFleetSection(input({ labels: ['ubuntu-24.04-arm'] }))).toBeNull();
  });

  it('escapes runner names that could break the table', () => {
    const s = renderFleetSection(input({ fleet: { runners: [runner('evil|<b>', ['self-hosted'])], access: OK } }))!;
    expect(s.markdown).toContain('| evil\\|\\<b\\> |');
  });
});

describe('the fleet section in the check run output', () => {
  it('sits under the head table, and its waiting title replaces the generic one', async () => {
    const { renderCheckOutput } = await import('./summary');
    const fleet = renderFleetSection({
      labels: LABELS,
      fleet: { runners: [runner('gpu-02', ['self-hosted'])], access: OK },
      status: 'queued',
      since: '2026-11-25T12:00:00Z',
      now: new Date('2026-11-25T12:01:00Z'),
      jobs: [],
    });
    const out = renderCheckOutput({
      checkName: 'arm64 CI',
      repo: 'o/r',
      sha: 'a'.repeat(40),
      branch: 'main',
      pr: null,
      trigger: 'push',
      actor: null,
      workflow: 'arm64-ci.yml',
      runnerLabels: LABELS,
      dispatchId: '01JD5XQ7ZT3M9K4B6N8P2R5V7W',
      status: 'queued',
      conclusion: null,
      workflowRun: null,
      jobs: [],
      dashboardUrl: 'https://ci.example.com/x',
      fleet,
    });
    expect(out.title).toBe('arm64: queued, no runner has self-hosted, arm64, dgx');
    const summary = out.summary;
    expect(summary.indexOf('No runner has all the requested labels')).toBeGreaterThan(summary.indexOf('| Dispatch id |'));
    expect(summary.indexOf('No runner has all the requested labels')).toBeLessThan(summary.indexOf('### Jobs'));
  });
});
