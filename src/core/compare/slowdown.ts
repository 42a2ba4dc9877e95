/**
 * Slowdowns: a test that now takes at least `slowdown_factor` times its median over the base
 * branch's recent runs. One slow run of a test says little; a test well above its own usual time,
 * measured on the same target, is worth a reader's look (and, opted in with
 * `smoke_tests.max_slowdown`, a failed check). Pure.
 */
import { codeSpan, escapeText } from '../markdown';
import { plural } from '../text';
import { fitSection, TRIMMED_NOTE } from './fit';
import { DURATION_FLOOR_SECONDS, durationRatio, formatRatio, formatSeconds, isDuration, median } from './ratio';
import { mergeTests, type TimedTest } from './tests';

/** The config's defaults (`smoke_tests.slowdown_factor`, `slowdown_window`, `slowdown_min_samples`). */
export const SLOWDOWN_DEFAULTS = { factor: 1.5, window: 10, minSamples: 5 } as const;

export interface SlowdownOptions {
  /** Flag at or above this many times the median (default 1.5). */
  factor?: number;
  /** The median is over at most this many recent runs (default 10)… */
  window?: number;
  /** …and needs at least this many timed samples among them (default 5). */
  minSamples?: number;
  /** See DURATION_FLOOR_SECONDS: a 0.01 s test going to 0.03 s is noise, not a 3× slowdown. */
  floorSeconds?: number;
}

export interface Slowdown {
  id: string;
  name: string;
  currentSeconds: number;
  medianSeconds: number;
  /** current ÷ median, both clamped to the floor. */
  factor: number;
  /** How many runs the median is over. */
  samples: number;
}

/**
 * The tests of this run that passed with a time at least `factor` times their median.
 *
 * `history` holds, per test id, the test's time in each recent base-branch run of the same
 * target, newest first, without this run; null (or a negative or non-finite number) for a run that
 * has no time for it (it failed, was skipped, or its report had no `time`). The window counts runs,
 * so a test that rarely passes is judged on its few timed runs only if they reach `minSamples`.
 * A test reported by several matrix files counts with its mean time (./tests.ts). Largest factor
 * first.
 */
export function findSlowdowns(
  current: readonly TimedTest[],
  history: ReadonlyMap<string, readonly (number | null)[]>,
  opts: SlowdownOptions = {},
): Slowdown[] {
  const factor = opts.factor ?? SLOWDOWN_DEFAULTS.factor;
  const window = Math.max(0, Math.floor(opts.window ?? SLOWDOWN_DEFAULTS.window));
  const minSamples = Math.max(1, Math.floor(opts.minSamples ?? SLOWDOWN_DEFAULTS.minSamples));
  const floor = opts.floorSeconds ?? DURATION_FLOOR_SECONDS;
  const out: Slowdown[] = [];
  for (const t of mergeTests(current).values()) {
    if (t.outcome !== 'passed' || !isDuration(t.durationSeconds)) continue;
    const samples = (history.get(t.id) ?? []).slice(0, window).filter(isDuration);
    if (samples.length < minSamples) continue;
    const med = median(samples)!;
    const ratio = durationRatio(t.durationSeconds, med, floor);
    // The epsilon absorbs floating-point noise only: exactly `factor` times the median is flagged.
    if (ratio === null || ratio + 1e-9 < factor) continue;
    out.push({ id: t.id, name: t.name, currentSeconds: t.durationSeconds, medianSeconds: med, factor: ratio, samples: samples.length });
  }
  return out.sort((a, b) => b.factor - a.factor || a.name.localeCompare(b.name) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

export interface SlowdownLabels {
  /** The base branch whose history the median is over, e.g. `main`. */
  branch: string;
  factor: number;
  window: number;
}

/** The summary section; "" when nothing was flagged (a section that says nothing is noise). */
export function renderSlowdowns(
  flagged: readonly Slowdown[],
  labels: SlowdownLabels,
  opts: { maxBytes: number; maxListed?: number },
): string {
  if (flagged.length === 0) return '';
  const base = codeSpan(labels.branch);
  return fitSection(
    (listed) => {
      const lines = [
        `#### Slower than usual (${flagged.length})`,
        '',
        `${plural(flagged.length, 'test')} took at least ${formatRatio(labels.factor)} ${flagged.length === 1 ? 'its' : 'their'} median over the last ${plural(labels.window, 'run')} on ${base}.`,
      ];
      if (listed > 0) {
        lines.push('', '| Test | Now | Median | Factor | Runs |', '|---|---:|---:|---:|---:|');
        for (const s of flagged.slice(0, listed))
          lines.push(
            `| ${escapeText(s.name)} | ${formatSeconds(s.currentSeconds)} | ${formatSeconds(s.medianSeconds)} | ${formatRatio(s.factor)} | ${s.samples} |`,
          );
      }
      if (flagged.length > listed) lines.push('', `… and ${flagged.length - listed} more.`);
      return lines.join('\n');
    },
    opts.maxBytes,
    opts.maxListed ?? 25,
    TRIMMED_NOTE,
  );
}
