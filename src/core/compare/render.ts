/**
 * The comparison with the baseline as a section of an arm64 target's check-run summary
 * (Markdown, for GitHub): the side-by-side table, the tests failing on one side only, the largest
 * duration ratios and the matrix legs. It keeps to the byte budget it is given. Pure.
 */
import { escapeText } from '../markdown';
import { formatRate } from '../smoke/verdict';
import { plural } from '../text';
import { fitSection, TRIMMED_NOTE } from './fit';
import { formatRatio, formatSeconds } from './ratio';
import type { LegTiming, OneSidedFailure, RunComparison } from './runs';

export interface ComparisonLabels {
  /** The arm64 target's name, e.g. `dgx`. */
  target: string;
  /** The baseline target's name, e.g. `x86`. */
  baseline: string;
  /**
   * Where the baseline's results come from when it is not this commit, as plain text, e.g.
   * "the latest run of main (1a2b3c4): this commit has no x86 results yet".
   */
  baselineNote?: string;
}

export interface RenderOptions {
  /** UTF-8 bytes the section may take. */
  maxBytes: number;
  /** Longest list (failing tests, legs) before it is shortened; default 25. */
  maxListed?: number;
}

export function renderComparison(c: RunComparison, labels: ComparisonLabels, opts: RenderOptions): string {
  return fitSection((listed) => render(c, labels, listed), opts.maxBytes, opts.maxListed ?? 25, TRIMMED_NOTE);
}

function render(c: RunComparison, labels: ComparisonLabels, listed: number): string {
  const t = escapeText(labels.target);
  const b = escapeText(labels.baseline);
  const lines: string[] = [`### ${t} compared with ${b}`, ''];
  if (labels.baselineNote && labels.baselineNote.trim() !== '') lines.push(`_Baseline: ${escapeText(labels.baselineNote)}._`, '');

  lines.push(
    `| | ${t} | ${b} (baseline) |`,
    '|---|---:|---:|',
    `| Smoke tests | ${formatRate(c.target.counts)} | ${formatRate(c.baseline.counts)} |`,
    `| Failing only here | ${c.failingOnlyOnTarget.length} | ${c.failingOnlyOnBaseline.length} |`,
  );
  if (c.total.tests > 0)
    lines.push(
      `| Time of the ${plural(c.total.tests, 'test')} passed on both | ${formatSeconds(c.total.targetSeconds)} | ${formatSeconds(c.total.baselineSeconds)} |`,
    );
  lines.push('');
  lines.push(
    c.total.ratio === null
      ? `No test passed with a time on both sides, so there is no duration ratio (JUnit \`time\` attributes).`
      : `**Test time: ${t} takes ${formatRatio(c.total.ratio)} as long as ${b}** (${plural(c.total.tests, 'test')} that passed on both; times under ${formatSeconds(c.floorSeconds)} count as ${formatSeconds(c.floorSeconds)}).`,
  );

  const failList = (heading: string, items: OneSidedFailure[], other: string) => {
    if (items.length === 0) return;
    lines.push('', `#### ${heading} (${items.length})`, '');
    for (const f of items.slice(0, listed))
      lines.push(`- ${f.outcome === 'errored' ? '💥' : '❌'} **${escapeText(f.name)}** (${other}: ${f.other === 'absent' ? 'not run' : f.other})`);
    if (items.length > listed) lines.push(`- … and ${items.length - listed} more`);
  };
  failList(`Failing only on ${t}`, c.failingOnlyOnTarget, b);
  failList(`Failing only on ${b}`, c.failingOnlyOnBaseline, t);
  if (c.failingOnBoth > 0) lines.push('', `${plural(c.failingOnBoth, 'test')} fail${c.failingOnBoth === 1 ? 's' : ''} on both.`);

  const ratios = c.largestRatios.slice(0, listed);
  if (ratios.length > 0) {
    lines.push('', `#### Largest duration ratios (${t} ÷ ${b})`, '', `| Test | ${t} | ${b} | Ratio |`, '|---|---:|---:|---:|');
    for (const r of ratios)
      lines.push(`| ${escapeText(r.name)} | ${formatSeconds(r.targetSeconds)} | ${formatSeconds(r.baselineSeconds)} | ${formatRatio(r.ratio)} |`);
  }

  if (c.legs.length > 0) {
    lines.push('', '#### Matrix legs', '', `| Leg | ${t} | ${b} | Ratio |`, '|---|---|---|---:|');
    for (const leg of c.legs.slice(0, listed)) {
      const name = leg.matrix.length > 0 ? `${leg.job} (${leg.matrix.join(', ')})` : leg.job;
      lines.push(`| ${escapeText(name)} | ${legCell(leg.target)} | ${legCell(leg.baseline)} | ${formatRatio(leg.ratio)} |`);
    }
    if (c.legs.length > listed) lines.push('', `… and ${plural(c.legs.length - listed, 'more leg')}.`);
  }
  return lines.join('\n');
}

function legCell(leg: LegTiming | null): string {
  if (leg === null) return 'not run';
  return `${conclusionIcon(leg.conclusion)} ${formatSeconds(leg.durationSeconds)}`;
}

function conclusionIcon(conclusion: string | null): string {
  switch (conclusion) {
    case 'success':
      return '✅';
    case 'failure':
    case 'timed_out':
      return '❌';
    case 'cancelled':
      return '⏹️';
    case 'skipped':
    case 'neutral':
      return '⏭️';
    case null:
      return '⏳';
    default:
      return '⚠️';
  }
}
