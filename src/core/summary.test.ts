import { describe, expect, it } from 'vitest';
import { renderSmokeMarkdown } from './smoke/markdown';
import { combine } from './smoke/verdict';
import { parseJUnit } from './junit';
import {
  MAX_OUTPUT_CHARS,
  architectureOf,
  renderCheckOutput,
  type JobView,
  type RunSummaryInput,
} from './summary';
import { utf8Length } from './text';

const SHA = '3f786850e387550fdab836ed7e6dc881de23001b';
const RUN_URL = 'https://github.com/octo/arm-lib/actions/runs/991';
const DASHBOARD = 'https://ci.example.com/repos/octo/arm-lib';

function job(id: number, name: string, status: string, conclusion: string | null, more: Partial<JobView> = {}): JobView {
  return {
    id,
    name,
    status,
    conclusion,
    runnerName: status === 'queued' ? null : 'dgx-spark-01',
    labels: ['self-hosted', 'arm64', 'dgx'],
    startedAt: status === 'queued' ? null : '2024-05-01T10:00:00Z',
    completedAt: status === 'completed' ? '2024-05-01T10:01:05Z' : null,
    htmlUrl: `${RUN_URL}/job/${id}`,
    ...more,
  };
}

const MATRIX = [
  job(1, 'test (3.8)', 'completed', 'success'),
  job(2, 'test (3.9)', 'completed', 'failure'),
  job(3, 'test (3.10)', 'in_progress', null),
  job(4, 'test (3.11)', 'queued', null),
];

function input(more: Partial<RunSummaryInput> = {}): RunSummaryInput {
  return {
    checkName: 'arm64 CI',
    repo: 'octo/arm-lib',
    sha: SHA,
    branch: 'main',
    pr: null,
    trigger: 'push',
    actor: 'alice',
    workflow: 'arm64-ci.yml',
    runnerLabels: ['self-hosted', 'arm64', 'dgx'],
    dispatchId: '01JD5XQ7ZT3M9K4B6N8P2R5V7W',
    status: 'completed',
    conclusion: 'success',
    workflowRun: { id: 991, htmlUrl: RUN_URL, attempt: 1 },
    jobs: [job(1, 'build', 'completed', 'success')],
    dashboardUrl: DASHBOARD,
    ...more,
  };
}

describe('renderCheckOutput: title', () => {
  it.each<[string, Partial<RunSummaryInput>, string]>([
    ['passed', {}, 'arm64: passed on self-hosted, arm64, dgx'],
    [
      'failed, with how many jobs',
      { conclusion: 'failure', jobs: MATRIX.map((j) => ({ ...j, status: 'completed', conclusion: j.id === 2 ? 'failure' : 'success' })) },
      'arm64: failed on self-hosted, arm64, dgx (1 of 4 jobs failed)',
    ],
    ['failed with a single job', { conclusion: 'failure', jobs: [job(1, 'build', 'completed', 'timed_out')] }, 'arm64: failed on self-hosted, arm64, dgx (1 of 1 job failed)'],
    ['failed before any job', { conclusion: 'failure', jobs: [] }, 'arm64: failed on self-hosted, arm64, dgx'],
    ['cancelled', { conclusion: 'cancelled' }, 'arm64: cancelled'],
    ['timed out', { conclusion: 'timed_out' }, 'arm64: timed out'],
    ['action required', { conclusion: 'action_required' }, 'arm64: action required'],
    ['startup failure', { conclusion: 'startup_failure' }, 'arm64: failed to start'],
    ['skipped', { conclusion: 'skipped' }, 'arm64: skipped'],
    ['an unknown conclusion', { conclusion: 'brand_new' }, 'arm64: brand new'],
    ['no conclusion', { conclusion: null }, 'arm64: unknown'],
    ['running', { status: 'in_progress', conclusion: null, jobs: MATRIX }, 'arm64: running (2/4 jobs done)'],
    ['running before jobs are known', { status: 'in_progress', conclusion: null, jobs: [] }, 'arm64: running'],
    [
      'in progress but every job waits for a runner',
      { status: 'in_progress', conclusion: null, jobs: [job(1, 'a', 'queued', null), job(2, 'b', 'waiting', null)] },
      'arm64: queued, waiting for a runner with self-hosted, arm64, dgx',
    ],
    ['queued', { status: 'queued', conclusion: null, jobs: [], workflowRun: null }, 'arm64: queued, waiting for a runner with self-hosted, arm64, dgx'],
    ['dispatched', { status: 'dispatched', conclusion: null, jobs: [], workflowRun: null }, 'arm64: queued, waiting for a runner with self-hosted, arm64, dgx'],
  ])('%s', (_, more, title) => {
    expect(renderCheckOutput(input(more)).title).toBe(title);
  });

  it('shortens a very long label list', () => {
    const labels = Array.from({ length: 40 }, (_, i) => `label-${i}`);
    const { title } = renderCheckOutput(input({ runnerLabels: labels }));
    expect(title.length).toBeLessThan(150);
    expect(title.endsWith('…')).toBe(true);
  });
});

describe('renderCheckOutput: summary', () => {
  it('says what ran, where, why, and links the run and the dashboard', () => {
    const { summary, text } = renderCheckOutput(input({ pr: 12, branch: 'feature/arm', trigger: 'pull_request', actor: 'bob' }));
    expect(summary).toContain('**arm64 CI** for commit `3f78685` on `feature/arm` (#12) in octo/arm-lib.');
    expect(summary).toContain(`| Workflow | \`arm64-ci.yml\`: [run 991](${RUN_URL}) |`);
    expect(summary).toContain(`| Commit | \`${SHA}\` |`);
    expect(summary).toContain('| Branch | `feature/arm` |');
    expect(summary).toContain('| Pull request | #12 |');
    expect(summary).toContain('| Triggered by | a pull request by @bob |');
    expect(summary).toContain('| Runner labels | `self-hosted`, `arm64`, `dgx` |');
    expect(summary).toContain('| Dispatch id | `01JD5XQ7ZT3M9K4B6N8P2R5V7W` |');
    expect(summary).toContain(`[Open the arm64 CI dashboard](${DASHBOARD})`);
    expect(text).toBeUndefined();
  });

  it('names the attempt of a re-run', () => {
    const { summary } = renderCheckOutput(input({ workflowRun: { id: 991, htmlUrl: RUN_URL, attempt: 3 }, trigger: 'rerun' }));
    expect(summary).toContain(`[run 991, attempt 3](${RUN_URL})`);
    expect(summary).toContain('| Triggered by | a re-run request by @alice |');
  });

  it.each<[string, string | null, string]>([
    ['push', 'alice', 'a push by @alice'],
    ['command', 'carol', 'a comment command by @carol'],
    ['push', null, 'a push'],
    ['schedule', null, '`schedule`'],
  ])('describes the trigger %s by %s', (trigger, actor, text) => {
    expect(renderCheckOutput(input({ trigger, actor })).summary).toContain(`| Triggered by | ${text} |`);
  });

  it('leaves out branch and pull request when there are none', () => {
    const { summary } = renderCheckOutput(input({ branch: null, pr: null }));
    expect(summary).not.toContain('| Branch |');
    expect(summary).not.toContain('| Pull request |');
    expect(summary).toContain('**arm64 CI** for commit `3f78685` in octo/arm-lib.');
  });

  it('says when the workflow run has not started yet', () => {
    const { summary } = renderCheckOutput(input({ status: 'queued', conclusion: null, workflowRun: null, jobs: [] }));
    expect(summary).toContain('| Workflow | `arm64-ci.yml` (waiting for GitHub to start the run) |');
    expect(summary).toContain('No jobs have started yet.');
  });

  it('says when a completed run had no workflow run or jobs', () => {
    const { summary } = renderCheckOutput(input({ conclusion: 'failure', workflowRun: null, jobs: [] }));
    expect(summary).toContain('`arm64-ci.yml` (no workflow run)');
    expect(summary).toContain('The workflow run reported no jobs.');
  });

  it('shows the worker’s notes, one per quoted paragraph, on one line each', () => {
    const { summary } = renderCheckOutput(
      input({ notes: ['dispatch failed: 422 Unexpected inputs\nprovided: ["foo"]', '  ', 'retrying in 1 minute'] }),
    );
    expect(summary).toContain('> dispatch failed: 422 Unexpected inputs provided: ["foo"]\n>\n> retrying in 1 minute');
  });

  it('lists each job with matrix values, runner, result and duration', () => {
    const { summary } = renderCheckOutput(input({ status: 'in_progress', conclusion: null, jobs: MATRIX }));
    expect(summary).toContain('### Jobs (2 of 4 done, 1 failed)');
    expect(summary).toContain('| Job | Matrix | Runner | Result | Duration |');
    expect(summary).toContain(`| [test](${RUN_URL}/job/1) | 3.8 | dgx-spark-01 | ✅ passed | 1m 05s |`);
    expect(summary).toContain(`| [test](${RUN_URL}/job/2) | 3.9 | dgx-spark-01 | ❌ failed | 1m 05s |`);
    expect(summary).toContain(`| [test](${RUN_URL}/job/3) | 3.10 | dgx-spark-01 | 🔄 running | — |`);
    expect(summary).toContain(`| [test](${RUN_URL}/job/4) | 3.11 | waiting for \`self-hosted\`, \`arm64\`, \`dgx\` | ⏳ queued | — |`);
    // Jobs keep the workflow's order when everything fits.
    expect(summary.indexOf('/job/1)')).toBeLessThan(summary.indexOf('/job/2)'));
  });

  it('drops the matrix column when no job has matrix values', () => {
    const { summary } = renderCheckOutput(input({ jobs: [job(1, 'build', 'completed', 'success'), job(2, 'lint', 'completed', 'skipped', { runnerName: null })] }));
    expect(summary).toContain('| Job | Runner | Result | Duration |');
    expect(summary).not.toContain('Matrix');
    expect(summary).toContain(`| [lint](${RUN_URL}/job/2) | — | ⏭️ skipped | 1m 05s |`);
  });

  it.each<[string, string]>([
    ['cancelled', '🚫 cancelled'],
    ['timed_out', '⏱️ timed out'],
    ['neutral', '⚪ neutral'],
    ['action_required', '⚠️ action required'],
    ['startup_failure', '❌ failed to start'],
    ['weird_new', '❔ weird new'],
  ])('shows a job concluding %s as %s', (conclusion, cell) => {
    expect(renderCheckOutput(input({ jobs: [job(1, 'build', 'completed', conclusion)] })).summary).toContain(`| ${cell} |`);
  });

  it('escapes pipes, newlines and markdown in job and runner names', () => {
    const { summary } = renderCheckOutput(
      input({
        jobs: [job(1, 'test | lint\n<img src=x> [click](http://evil) (a|b, *c*)', 'completed', 'success', { runnerName: 'dgx|01\r\nb_c' })],
      }),
    );
    const row = summary.split('\n').find((l) => l.includes('/job/1)'))!;
    expect(row).toBe(
      `| [test \\| lint \\<img src=x\\> \\[click\\](http://evil)](${RUN_URL}/job/1) | a\\|b, \\*c\\* | dgx\\|01 b\\_c | ✅ passed | 1m 05s |`,
    );
    // Five cells: the row has exactly six unescaped pipes.
    expect(row.replace(/\\\|/g, '').split('|')).toHaveLength(7);
  });

  it('escapes pipes inside code spans of labels', () => {
    const { summary } = renderCheckOutput(input({ runnerLabels: ['a|b'], jobs: [job(1, 'x', 'queued', null, { labels: ['a|b'] })] }));
    expect(summary).toContain('| Runner labels | `a\\|b` |');
    expect(summary).toContain('waiting for `a\\|b`');
  });

  it('links only http(s) URLs, encoding characters that would break the link', () => {
    const { summary } = renderCheckOutput(
      input({
        jobs: [
          job(1, 'a', 'completed', 'success', { htmlUrl: 'javascript:alert(1)' }),
          job(2, 'b', 'completed', 'success', { htmlUrl: 'https://x.test/a b)(|' }),
          job(3, 'c', 'completed', 'success', { htmlUrl: null }),
        ],
      }),
    );
    expect(summary).toContain('| a | dgx-spark-01 |');
    expect(summary).toContain('| [b](https://x.test/a%20b%29%28%7C) |');
    expect(summary).toContain('| c | dgx-spark-01 |');
    expect(summary).not.toContain('javascript:');
  });
});

describe('renderCheckOutput: 5,000 jobs', () => {
  const many = Array.from({ length: 5000 }, (_, i) =>
    job(i + 1, `test (py3.${i % 12}, shard ${i} of 5000, ümlaut-✓)`, 'completed', i === 4321 ? 'failure' : 'success'),
  );
  const out = renderCheckOutput(input({ conclusion: 'failure', jobs: many }));

  it('keeps summary and text within GitHub’s limit, counted in bytes', () => {
    expect(utf8Length(out.summary)).toBeLessThanOrEqual(MAX_OUTPUT_CHARS);
    expect(utf8Length(out.text!)).toBeLessThanOrEqual(MAX_OUTPUT_CHARS);
    expect(Buffer.byteLength(out.summary)).toBeLessThanOrEqual(MAX_OUTPUT_CHARS);
    expect(Buffer.byteLength(out.text!)).toBeLessThanOrEqual(MAX_OUTPUT_CHARS);
    // Nearly full: the budget is used, not wasted.
    expect(utf8Length(out.summary)).toBeGreaterThan(MAX_OUTPUT_CHARS - 500);
  });

  it('shows the failed job first, and says explicitly how much is shown and left out', () => {
    const rows = out.summary.split('\n').filter((l) => l.startsWith('| [test]'));
    expect(rows[0]).toContain('/job/4322)');
    expect(rows[0]).toContain('❌ failed');
    expect(out.summary).toContain(`_Showing ${rows.length} of 5000 jobs, failed first; the rest are listed below and in [the workflow run](${RUN_URL})._`);
    expect(out.summary).toContain('### Jobs (5000 of 5000 done, 1 failed)');
    // The dashboard link survives the cut.
    expect(out.summary.trimEnd().endsWith(`[Open the arm64 CI dashboard](${DASHBOARD})`)).toBe(true);

    const textRows = out.text!.split('\n').filter((l) => l.startsWith('| [test]'));
    expect(out.text!.startsWith('### Jobs (continued)\n\n| Job | Matrix |')).toBe(true);
    const omitted = 5000 - rows.length - textRows.length;
    expect(omitted).toBeGreaterThan(0);
    expect(out.text).toContain(`_${omitted} more jobs are not shown (GitHub limits this text to 65535 bytes); see [the workflow run](${RUN_URL}) or the dashboard._`);
    // No row is shown twice.
    expect(new Set([...rows, ...textRows]).size).toBe(rows.length + textRows.length);
  });

  it('continues in text without a note when the rest fits there', () => {
    const some = Array.from({ length: 900 }, (_, i) => job(i + 1, `test (${i})`, 'completed', 'success'));
    const r = renderCheckOutput(input({ jobs: some }));
    const inSummary = r.summary.split('\n').filter((l) => l.startsWith('| [test]')).length;
    const inText = r.text!.split('\n').filter((l) => l.startsWith('| [test]')).length;
    expect(inSummary).toBeGreaterThan(0);
    expect(inSummary + inText).toBe(900);
    expect(r.text).not.toMatch(/not shown/);
  });

  it('trims enormous notes with an explicit note rather than failing the API call', () => {
    const r = renderCheckOutput(input({ notes: Array.from({ length: 2000 }, (_, i) => `note ${i} ${'x'.repeat(60)}`) }));
    expect(utf8Length(r.summary)).toBeLessThanOrEqual(MAX_OUTPUT_CHARS);
    expect(r.summary).toMatch(/_Truncated \(GitHub limits this text to 65535 bytes\); see \[the workflow run\]\(.+\)\._$/);
  });
});

describe('renderCheckOutput: smoke tests, deciding rule, runner', () => {
  const junit = `<testsuite name="pytest">
    <testcase classname="tests.test_arm64_basic" name="test_python_version" file="tests/test_arm64_basic.py" line="10"/>
    <testcase classname="tests.test_arm64_basic" name="test_basic_api_availability" file="tests/test_arm64_basic.py" line="52"><failure message="api missing"/></testcase>
  </testsuite>`;
  const smoke = { markdown: renderSmokeMarkdown(combine([parseJUnit('smoke-py3.11.xml', junit)])), rate: '1/2 (50%)' };

  it('shows the smoke section after the jobs, the rate in the title, and the rule that decided', () => {
    const out = renderCheckOutput(
      input({ conclusion: 'failure', smoke, decidedBy: 'smoke pass rate 1/2 (50%) is below the required 100%' }),
    );
    expect(out.title).toBe('arm64: failed on self-hosted, arm64, dgx (0 of 1 job failed) · smoke tests 1/2 (50%)');
    expect(out.summary).toContain('| Decided by | smoke pass rate 1/2 (50%) is below the required 100% |');
    const jobs = out.summary.indexOf('### Jobs');
    const section = out.summary.indexOf('### Smoke tests: 1/2 (50%)');
    expect(jobs).toBeGreaterThan(0);
    expect(section).toBeGreaterThan(jobs);
    expect(out.summary).toContain('| smoke-py3.11.xml | 1 | 1 | 0 | 0 | 1/2 (50%) |');
    expect(out.summary.trimEnd().endsWith(`[Open the arm64 CI dashboard](${DASHBOARD})`)).toBe(true);
  });

  it('names the runner and the architecture its labels ask for', () => {
    expect(renderCheckOutput(input()).summary).toContain('| Runner | `dgx-spark-01` · arm64 (aarch64) |');
    const queued = renderCheckOutput(input({ status: 'queued', conclusion: null, jobs: [job(1, 'build', 'queued', null)] }));
    expect(queued.summary).toContain('| Runner | not assigned yet · arm64 (aarch64) |');
    expect(architectureOf(['self-hosted', 'Linux', 'ARM64'])).toBe('arm64 (aarch64)');
    expect(architectureOf(['ubuntu-latest'])).toBeNull();
  });

  it('leaves the rule out while the run is not finished', () => {
    const out = renderCheckOutput(input({ status: 'in_progress', conclusion: null, decidedBy: 'x' }));
    expect(out.summary).not.toContain('Decided by');
  });

  it('keeps a huge smoke section and 5,000 jobs within the limit, each trimmed with a note', () => {
    const many = Array.from({ length: 5000 }, (_, i) => job(i + 1, `test (shard ${i})`, 'completed', 'success'));
    const huge = { markdown: `### Smoke tests: 0/9000 (0%)\n\n${'- ❌ **a failing test with a long name**\n'.repeat(9000)}`, rate: '0/9000 (0%)' };
    const out = renderCheckOutput(input({ conclusion: 'failure', jobs: many, smoke: huge }));
    expect(utf8Length(out.summary)).toBeLessThanOrEqual(MAX_OUTPUT_CHARS);
    expect(out.summary).toContain('### Smoke tests: 0/9000 (0%)');
    expect(out.summary).toContain('_Smoke-test section trimmed (GitHub limits this text to 65535 bytes); the annotations list every failure._');
    expect(out.summary).toMatch(/_Showing \d+ of 5000 jobs, failed first/);
    expect(out.summary.trimEnd().endsWith(`[Open the arm64 CI dashboard](${DASHBOARD})`)).toBe(true);
  });
});
