/**
 * Cutting text to a limit without breaking what a reader sees: GitHub's limits count UTF-16 code
 * units (characters) or UTF-8 bytes, and a cut inside a surrogate pair or a grapheme (an emoji
 * sequence, a flag, a letter and its accents) would leave a broken character on the page.
 */

const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });
/** A grapheme rarely spans more than a few dozen code units; what follows the cut beyond it cannot move the boundary. */
const LOOKAHEAD = 64;

/** The largest grapheme boundary at or before `index` (a code-unit offset into `s`). */
function graphemeFloor(s: string, index: number): number {
  if (index <= 0) return 0;
  if (index >= s.length) return s.length;
  // Only the text up to the cut matters, so the work is bounded by the limit, not by `s`.
  const around = graphemes.segment(s.slice(0, index + LOOKAHEAD)).containing(index);
  return around ? around.index : index;
}

/**
 * `s` in at most `max` code units, ending in `ellipsis` when it had to be cut. The cut falls on a
 * grapheme boundary, so the kept text may be a little shorter than the limit.
 */
export function clip(s: string, max: number, ellipsis = '…'): string {
  if (s.length <= max) return s;
  const room = max - ellipsis.length;
  if (room < 0) return s.slice(0, graphemeFloor(s, max));
  return s.slice(0, graphemeFloor(s, room)) + ellipsis;
}

/** As {@link clip}, for a limit in UTF-8 bytes. */
export function clipBytes(s: string, maxBytes: number, ellipsis = '…'): string {
  // Every code unit is at least one byte and at most three (a pair is four bytes for two units).
  if (s.length * 3 <= maxBytes || utf8Length(s) <= maxBytes) return s;
  const suffixBytes = utf8Length(ellipsis);
  const room = maxBytes - suffixBytes;
  if (room < 0) return s.slice(0, graphemeFloor(s, unitsWithin(s, maxBytes)));
  return s.slice(0, graphemeFloor(s, unitsWithin(s, room))) + ellipsis;
}

/** Size as UTF-8 (and GitHub) counts it; a lone surrogate is written as U+FFFD, three bytes. */
export function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (isHighSurrogate(c) && isLowSurrogate(s.charCodeAt(i + 1))) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

/** How many leading code units of `s` fit in `maxBytes` of UTF-8, never ending inside a surrogate pair. */
function unitsWithin(s: string, maxBytes: number): number {
  let bytes = 0;
  let i = 0;
  while (i < s.length) {
    const c = s.charCodeAt(i);
    const pair = isHighSurrogate(c) && isLowSurrogate(s.charCodeAt(i + 1));
    const size = c < 0x80 ? 1 : c < 0x800 ? 2 : pair ? 4 : 3;
    if (bytes + size > maxBytes) break;
    bytes += size;
    i += pair ? 2 : 1;
  }
  return i;
}

const isHighSurrogate = (c: number) => c >= 0xd800 && c <= 0xdbff;
const isLowSurrogate = (c: number) => c >= 0xdc00 && c <= 0xdfff;

/** "1 file", "3 files". */
export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** "512 bytes", "1.5 KiB", "10 MiB", "2.7 GiB": sizes in limits, refusals and artifact growth. */
export function formatBytes(n: number): string {
  if (n >= 1024 ** 3) return `${Math.round((n / 1024 ** 3) * 10) / 10} GiB`;
  if (n >= 1024 * 1024) return `${Math.round((n / (1024 * 1024)) * 10) / 10} MiB`;
  if (n >= 1024) return `${Math.round((n / 1024) * 10) / 10} KiB`;
  return `${n} bytes`;
}
