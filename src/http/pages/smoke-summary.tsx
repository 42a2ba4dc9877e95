/**
 * A run's smoke-test section, rendered from its stored structure (core/smoke-report.ts): the same
 * facts, in the same order, as the Markdown the check run on GitHub shows. Everything is JSX text,
 * which hono escapes: a test name like `<img onerror=…>` is shown as text.
 */
import type { Child } from 'hono/jsx';
import { formatRate } from '../../core/smoke/verdict';
import type { Listed, ReportedTest, SmokeReport, SmokeReportState } from '../../core/smoke/report';
import { Breakable } from './layout';
import { num, Table } from './table';

const NO_DATA: Record<Exclude<SmokeReportState, 'read'>, string> = {
  missing: 'No smoke-test artifact was found for this run: the conclusion follows the workflow.',
  unreadable: 'No smoke-test results could be read for this run: the conclusion follows the workflow.',
  'over-limit': 'No smoke-test results were read: the artifact was over a limit (see below).',
  'no-files': 'The smoke-test artifact held no JUnit XML files: the conclusion follows the workflow.',
  'no-readable-file': 'No file in the smoke-test artifact could be read: the conclusion follows the workflow.',
};

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function Warnings(props: { lines: string[] }) {
  if (props.lines.length === 0) return null;
  return (
    <blockquote>
      {props.lines.map((l) => (
        <p>⚠️ {l}</p>
      ))}
    </blockquote>
  );
}

function Test(props: { t: ReportedTest }) {
  const { t } = props;
  return (
    <>
      {t.outcome === 'errored' ? '💥' : '❌'}{' '}
      <strong>
        <Breakable text={t.name} />
      </strong>
      {t.outcome === 'errored' ? ' (error)' : ''}
      {t.message ? `: ${t.message}` : ''}
      {t.file !== null ? ` (${t.file})` : ''}
    </>
  );
}

/** A titled list with its length, and how many more there were than it shows. */
function List<T>(props: { title: string; list: Listed<T>; item: (t: T) => Child; more?: string }) {
  const { list } = props;
  if (list.total === 0) return null;
  const rest = list.total - list.items.length;
  return (
    <>
      <h4>
        {props.title} ({list.total})
      </h4>
      <ul>
        {list.items.map((t) => (
          <li>{props.item(t)}</li>
        ))}
        {rest > 0 ? <li>{`… and ${rest} more${props.more ?? ''}`}</li> : null}
      </ul>
    </>
  );
}

export function SmokeSummary(props: { report: SmokeReport }) {
  const r = props.report;
  const problems = r.problems.items.map((p) => `${p.fileName} was not read: ${p.error}`);
  const moreProblems = r.problems.total - r.problems.items.length;
  if (moreProblems > 0) problems.push(`… and ${plural(moreProblems, 'more file')} not read.`);

  if (r.state !== 'read' || r.counts === null) {
    return (
      <div class="smoke-summary">
        <h3>Smoke tests: no data</h3>
        <p>{NO_DATA[r.state === 'read' ? 'missing' : r.state]}</p>
        <Warnings lines={r.notes} />
        <Warnings lines={problems} />
      </div>
    );
  }

  const c = r.counts;
  const base = r.base?.label ?? 'the base';
  return (
    <div class="smoke-summary">
      <h3>Smoke tests: {formatRate(c)}</h3>
      <Table columns={['File', num('Passed'), num('Failed'), num('Errored'), num('Skipped'), 'Result']}>
        {r.files.map((f) => (
          <tr>
            <td>{f.name}</td>
            <td class="num">{f.counts.passed}</td>
            <td class="num">{f.counts.failed}</td>
            <td class="num">{f.counts.errored}</td>
            <td class="num">{f.counts.skipped}</td>
            <td>{formatRate(f.counts)}</td>
          </tr>
        ))}
      </Table>
      <p>
        <strong>Total: {formatRate(c)}</strong>: {c.passed} passed, {c.failed} failed, {c.errored} errored, {c.skipped} skipped
        {r.files.length > 1 ? ` across ${r.files.length} files.` : '.'}
      </p>
      <Warnings lines={r.notes} />
      {r.reruns > 0 ? <p>{plural(r.reruns, 'test')} passed only after a re-run.</p> : null}
      <List title="Failing tests" list={r.failing} item={(t) => <Test t={t} />} more=" (see the annotations)" />
      {r.base ? (
        <>
          {r.base.newlyFailing.total === 0 && r.base.newlyPassing.total === 0 ? (
            <p>No test changed between failing and passing compared with {base}.</p>
          ) : null}
          <List title={`Newly failing compared with ${base}`} list={r.base.newlyFailing} item={(t) => <Test t={t} />} />
          <List
            title={`Newly passing compared with ${base}`}
            list={r.base.newlyPassing}
            item={(name) => (
              <>
                ✅{' '}
                <strong>
                  <Breakable text={name} />
                </strong>
              </>
            )}
          />
        </>
      ) : null}
      <List
        title="Flaky: passed and failed on this commit"
        list={r.flaky}
        item={(f) => (
          <>
            <strong>
              <Breakable text={f.name} />
            </strong>
            : passed {f.passed}×, failed {f.failed}×
          </>
        )}
      />
      <Warnings lines={problems} />
    </div>
  );
}
