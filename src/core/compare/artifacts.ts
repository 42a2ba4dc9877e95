/**
 * Artifact sizes against the base branch's latest run: a wheel or an image tarball that grows a
 * little on every merge is only noticed when someone looks, so each run says how each artifact
 * changed and warns when one grew more than `artifacts.max_growth`. Sizes come from the artifacts
 * list (nothing is downloaded). Pure.
 */
import { escapeText } from '../markdown';
import { formatBytes, plural } from '../text';
import { fitSection, TRIMMED_NOTE } from './fit';
import { formatChange } from './ratio';

/** The config's default `artifacts.max_growth`: warn when an artifact grew more than 10 %. */
export const DEFAULT_MAX_GROWTH = 0.1;

export interface ArtifactSize {
  name: string;
  sizeBytes: number;
}

export interface ArtifactChange {
  name: string;
  /** null: the base had it and this run does not. */
  sizeBytes: number | null;
  /** null: the base does not have it, or there is no base run. */
  baseSizeBytes: number | null;
  /** (size − base) ÷ base; null unless both sizes are known and the base is not empty. */
  growth: number | null;
  /** null: no base run to compare with. */
  change: 'new' | 'removed' | 'grew' | 'shrank' | 'same' | null;
  /** Grew more than the limit (an empty artifact that now has content counts). */
  warn: boolean;
}

export interface ArtifactReport {
  /** Whether a base run was known. */
  compared: boolean;
  maxGrowth: number;
  /** Every artifact of either run, by name. */
  changes: ArtifactChange[];
  /** The changes with `warn`, largest growth first. */
  warnings: ArtifactChange[];
}

/**
 * Per-artifact change. `base` is null when the base branch has no run to compare with. A size that
 * is not a whole, non-negative number is left out; a name listed twice keeps its first size.
 * Exactly `maxGrowth` does not warn: the limit is what a run may grow.
 */
export function artifactGrowth(
  current: readonly ArtifactSize[],
  base: readonly ArtifactSize[] | null,
  maxGrowth: number = DEFAULT_MAX_GROWTH,
): ArtifactReport {
  const now = bySize(current);
  const before = base === null ? null : bySize(base);
  const names = [...new Set([...now.keys(), ...(before?.keys() ?? [])])].sort((a, b) => a.localeCompare(b));
  const changes = names.map((name): ArtifactChange => {
    const size = now.get(name) ?? null;
    if (before === null) return { name, sizeBytes: size, baseSizeBytes: null, growth: null, change: null, warn: false };
    const was = before.get(name) ?? null;
    if (was === null) return { name, sizeBytes: size, baseSizeBytes: null, growth: null, change: 'new', warn: false };
    if (size === null) return { name, sizeBytes: null, baseSizeBytes: was, growth: null, change: 'removed', warn: false };
    const growth = was === 0 ? null : (size - was) / was;
    const change = size > was ? 'grew' : size < was ? 'shrank' : 'same';
    // The epsilon absorbs floating-point noise only (0.1 × 1000 bytes is exactly the limit).
    const warn = growth === null ? size > 0 : growth > maxGrowth + 1e-12;
    return { name, sizeBytes: size, baseSizeBytes: was, growth, change, warn };
  });
  const warnings = changes
    .filter((c) => c.warn)
    .sort((a, b) => (b.growth ?? Infinity) - (a.growth ?? Infinity) || a.name.localeCompare(b.name));
  return { compared: before !== null, maxGrowth, changes, warnings };
}

function bySize(list: readonly ArtifactSize[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const a of list) if (!m.has(a.name) && Number.isSafeInteger(a.sizeBytes) && a.sizeBytes >= 0) m.set(a.name, a.sizeBytes);
  return m;
}

/**
 * The summary section. `base` names what was compared with, as plain text ("the latest run of
 * main (1a2b3c4)"). "" when there are no artifacts at all.
 */
export function renderArtifactSizes(report: ArtifactReport, labels: { base: string }, opts: { maxBytes: number; maxListed?: number }): string {
  if (report.changes.length === 0) return '';
  const base = escapeText(labels.base);
  const limit = `${Math.round(report.maxGrowth * 1000) / 10}%`;
  // What grew too much first, so a shortened table still shows it.
  const rows = [...report.warnings, ...report.changes.filter((c) => !c.warn)];
  return fitSection(
    (listed) => {
      const lines = ['#### Artifact sizes', ''];
      const allowed = `more than the ${limit} allowed by \`artifacts.max_growth\``;
      for (const w of report.warnings.slice(0, listed))
        lines.push(
          `> ⚠️ **${escapeText(w.name)}** grew ${w.growth === null ? `from empty to ${formatBytes(w.sizeBytes ?? 0)}` : `${formatChange(w.growth)} (${formatBytes(w.baseSizeBytes ?? 0)} → ${formatBytes(w.sizeBytes ?? 0)})`}, ${allowed}.`,
          '>',
        );
      const unlisted = report.warnings.length - Math.min(listed, report.warnings.length);
      if (unlisted > 0)
        lines.push(`> ⚠️ ${unlisted === report.warnings.length ? '' : '… and '}${plural(unlisted, 'artifact')} grew ${allowed}.`, '>');
      if (report.warnings.length > 0) lines.splice(lines.length - 1, 1, '');
      if (!report.compared) lines.push(`No run of ${base} to compare sizes with.`, '');
      if (listed > 0) {
        lines.push(report.compared ? `| Artifact | Size | ${base} | Change |` : '| Artifact | Size |', report.compared ? '|---|---:|---:|---|' : '|---|---:|');
        for (const c of rows.slice(0, listed)) {
          const size = c.sizeBytes === null ? '—' : formatBytes(c.sizeBytes);
          if (!report.compared) {
            lines.push(`| ${escapeText(c.name)} | ${size} |`);
            continue;
          }
          const was = c.baseSizeBytes === null ? '—' : formatBytes(c.baseSizeBytes);
          lines.push(`| ${escapeText(c.name)} | ${size} | ${was} | ${changeCell(c)} |`);
        }
        if (report.changes.length > listed) lines.push('', `… and ${plural(report.changes.length - listed, 'more artifact')}.`);
      } else if (report.changes.length > 0) lines.push(`${plural(report.changes.length, 'artifact')}; the dashboard lists them.`);
      return lines.join('\n').replace(/\n+$/, '');
    },
    opts.maxBytes,
    opts.maxListed ?? 25,
    TRIMMED_NOTE,
  );
}

function changeCell(c: ArtifactChange): string {
  switch (c.change) {
    case 'new':
      return 'new';
    case 'removed':
      return 'removed';
    case 'same':
      return 'same';
    default: {
      const delta = (c.sizeBytes ?? 0) - (c.baseSizeBytes ?? 0);
      const bytes = `${delta >= 0 ? '+' : '−'}${formatBytes(Math.abs(delta))}`;
      const pct = c.growth === null ? '' : ` (${formatChange(c.growth)})`;
      return `${c.warn ? '⚠️ ' : ''}${bytes}${pct}`;
    }
  }
}
