/** The repository page's targets, side by side (named targets only). */
import { formatRatio } from '../../core/compare/ratio';
import { shortSha } from './format';
import { Pill } from './layout';
import { num, Table } from './table';
import type { TargetRow } from './targets-view';

export function TargetsTable(props: { targets: TargetRow[] }) {
  const baseline = props.targets.find((t) => t.baseline)?.name ?? null;
  return (
    <>
      <h2 id="targets">Targets</h2>
      <Table
        aria-describedby="targets"
        columns={['Target', 'Status', 'Commit', num('Smoke tests'), num(baseline ? `Test time ÷ ${baseline}` : 'Test time ÷ baseline'), 'Compared']}
      >
        {props.targets.map((t) => (
          <tr data-target={t.name}>
            <th scope="row">
              {t.name}
              {t.baseline ? <span class="muted"> (baseline)</span> : null}
            </th>
            <td>
              <Pill status={t.status} />
            </td>
            <td>{t.sha && t.runUrl ? <a href={t.runUrl}><code>{shortSha(t.sha)}</code></a> : '—'}</td>
            <td class="num">{t.smoke ?? 'no data'}</td>
            <td class="num">{t.baseline ? '—' : formatRatio(t.ratio)}</td>
            <td>{t.compareUrl ? <a href={t.compareUrl}>with {baseline ?? 'the baseline'}</a> : '—'}</td>
          </tr>
        ))}
      </Table>
    </>
  );
}
