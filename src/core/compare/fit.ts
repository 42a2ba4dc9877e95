/**
 * Fitting a summary section into a byte budget: the check-run summary is shared by several
 * sections under GitHub's 65,535-character limit, so each one gets a budget and must keep to it.
 * Pure.
 */
import { truncateMarkdown } from '../markdown';
import { utf8Length } from '../text';

/** Lists are shortened through these lengths (never above the caller's own) before text is cut. */
const STEPS = [25, 10, 5, 3, 1, 0];

/**
 * `render(listed)` with the longest list length that fits in `maxBytes` (UTF-8), trying
 * `maxListed` and then the shorter STEPS; when even empty lists do not fit, that rendering cut at
 * a line with `note` at the end. Never longer than `maxBytes`; "" for a budget under one byte.
 */
export function fitSection(render: (listed: number) => string, maxBytes: number, maxListed: number, note: string): string {
  const budget = Math.floor(maxBytes);
  if (!(budget > 0)) return '';
  const tries = [Math.max(0, Math.floor(maxListed)), ...STEPS.filter((s) => s < maxListed)];
  let last = '';
  for (const listed of tries) {
    last = render(listed);
    if (utf8Length(last) <= budget) return last;
  }
  return truncateMarkdown(last, budget, note);
}

export const TRIMMED_NOTE = '_… trimmed to fit the summary; the dashboard has the rest._';
