/** `/arm64 status`: the pull request's latest runs as a markdown table. */
import { codeSpan } from '../../core/markdown';
import { dispatchesOfRef, type DispatchItem } from '../../store/dispatches';
import { runPageUrl } from '../deps';
import type { CommandContext } from './context';

/** Enough to see the head commit's runs and the ones before it, short enough to read. */
const STATUS_ROWS = 10;

const TRIGGER_WORDS: Record<string, string> = {
  push: 'push',
  pull_request: 'pull request',
  command: 'comment',
  merge_group: 'merge queue',
  rerun: 're-run',
  approval: '/ok-to-test',
};

function stateText(d: DispatchItem): string {
  if (d.state === 'awaiting_approval') return '⏸️ waiting for /ok-to-test';
  if (d.state === 'completed') {
    const c = d.conclusion ?? 'unknown';
    const icon = c === 'success' ? '✅' : c === 'failure' || c === 'timed_out' ? '❌' : c === 'cancelled' ? '⏹️' : '➖';
    return `${icon} ${c.replace(/_/g, ' ')}`;
  }
  if (d.state === 'in_progress') return '🔄 running';
  // Dispatched: GitHub has the run but no runner has picked it up yet.
  return d.state === 'pending' || d.state === 'dispatching' ? '⏳ dispatching' : '⏳ queued';
}

/** A pure rendering of stored dispatches (newest first). */
export function statusTable(list: DispatchItem[], opts: { publicUrl: string; headSha: string | null; prNumber: number }): string {
  if (list.length === 0) return `No arm64 runs for #${opts.prNumber} yet.`;
  // A repository with named targets gets a column saying which target each run is for.
  const targets = list.some((d) => d.target !== undefined);
  const rows = list.map((d) => {
    const commit = `${codeSpan(d.sha.slice(0, 7))}${d.sha === opts.headSha ? ' (head)' : ''}`;
    const link = d.workflowRunUrl
      ? `[workflow run](${d.workflowRunUrl})`
      : `[details](${runPageUrl(opts.publicUrl, d.repo, d.dispatchId)})`;
    const who = d.actor ? `@${d.actor}` : '—';
    const target = targets ? ` ${d.target === undefined ? '—' : codeSpan(d.target)} |` : '';
    return `| ${commit} |${target} ${TRIGGER_WORDS[d.trigger] ?? d.trigger} | ${who} | ${stateText(d)} | ${link} |`;
  });
  return [
    `**arm64 runs of #${opts.prNumber}** (newest first)`,
    '',
    targets ? '| commit | target | trigger | by | state | link |' : '| commit | trigger | by | state | link |',
    targets ? '|---|---|---|---|---|---|' : '|---|---|---|---|---|',
    ...rows,
  ].join('\n');
}

export async function renderStatus(ctx: CommandContext): Promise<string> {
  const list = await dispatchesOfRef(ctx.deps.store, ctx.repo.fullName, { pr: ctx.prNumber }, STATUS_ROWS);
  const pull = await ctx.pull();
  return statusTable(list, { publicUrl: ctx.deps.publicUrl, headSha: pull?.headSha ?? null, prNumber: ctx.prNumber });
}
