/**
 * Markdown for GitHub (check-run summaries, comments): escaping text a user or a tested project
 * wrote, code spans, links, and cutting to GitHub's size limits without breaking the document.
 */
import { clipBytes, utf8Length } from './text';

/** A code span that survives backticks and line breaks in user text. */
export function codeSpan(s: string): string {
  const flat = s.replace(/\r?\n|\r/g, ' ');
  const longest = Math.max(0, ...(flat.match(/`+/g) ?? []).map((r) => r.length));
  const fence = '`'.repeat(longest + 1);
  const pad = flat.startsWith('`') || flat.endsWith('`') || flat === '' ? ' ' : '';
  return `${fence}${pad}${flat}${pad}${fence}`;
}

/** A code span inside a table cell: a pipe ends a cell even inside a code span. */
export function codeCell(s: string): string {
  return codeSpan(s).replace(/\|/g, '\\|');
}

/** Text for a table cell: one line, no pipes, no markdown or HTML that a name could smuggle in. */
export function escapeCell(s: string): string {
  return s
    .replace(/\r\n|\r|\n/g, ' ')
    .replace(/[\\`*_[\]<>|~&]/g, (c) => `\\${c}`)
    .trim();
}

/**
 * Text written by someone else (a test's name or message) on one line, with everything Markdown
 * or HTML would interpret escaped, so a table or list stays intact.
 */
export function escapeText(s: string): string {
  return s.replace(/\s+/g, ' ').trim().replace(/[\\`*_[\]<>|#~&!]/g, (ch) => `\\${ch}`);
}

/** Only http(s) links, with the characters that would end a markdown link or table cell encoded. */
function safeUrl(url: string | null | undefined): string | null {
  if (!url || !/^https?:\/\//i.test(url)) return null;
  return url.replace(/[\s()<>|\\[\]`]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

/** `[text](url)`, or the text alone when the url is not http(s). */
export function link(text: string, url: string | null | undefined): string {
  const safe = safeUrl(url);
  return safe ? `[${text}](${safe})` : text;
}

const FENCE = /^ {0,3}(```|~~~)/;

/**
 * Cut markdown to at most `max` (UTF-8 bytes, hence also UTF-16 units) at a line boundary, close a
 * code fence left open, and end with `note` in its own paragraph so nobody mistakes the cut for
 * the whole story. Text that already fits is returned unchanged.
 */
export function truncateMarkdown(md: string, max: number, note: string): string {
  if (utf8Length(md) <= max) return md;
  const tail = `\n\n${note}`;
  const budget = max - utf8Length(tail);
  if (budget <= 0) return clipBytes(note, max, '');

  const lines = md.split('\n');
  const kept: string[] = [];
  let size = 0;
  for (const line of lines) {
    const add = utf8Length(line) + (kept.length > 0 ? 1 : 0);
    if (size + add > budget) break;
    kept.push(line);
    size += add;
  }
  // A first line longer than the budget: better part of it than nothing.
  if (kept.length === 0) return `${clipBytes(lines[0] ?? '', budget, '')}${tail}`;

  const fenceOpen = () => kept.filter((l) => FENCE.test(l)).length % 2 === 1;
  const closer = '\n```';
  while (kept.length > 0 && fenceOpen() && size + closer.length > budget) {
    size -= utf8Length(kept.pop()!) + (kept.length > 0 ? 1 : 0);
  }
  let body = kept.join('\n').replace(/\s+$/, '');
  if (fenceOpen()) body += closer;
  return `${body}${tail}`;
}
