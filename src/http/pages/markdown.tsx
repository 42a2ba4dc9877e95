/**
 * A small, safe subset of GitHub Markdown for the check-run summary: headings, paragraphs, tables,
 * lists, block quotes, fenced code; inline code, bold, italic, backslash escapes and http(s) links.
 * Everything becomes JSX text or elements, which hono escapes: raw HTML in the source (a test name
 * like `<img onerror=…>`) is shown as text, never parsed, and links other than http(s) lose their href.
 */
import type { Child } from 'hono/jsx';

// Backslash escapes: CommonMark's ASCII punctuation.
const ESCAPABLE = /[!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]/;

/** Only absolute http(s) URLs become links. */
export function safeHref(url: string | null | undefined): string | null {
  if (!url) return null;
  const u = url.trim();
  return /^https?:\/\/[^\s]+$/i.test(u) ? u : null;
}

export function renderInline(src: string): Child[] {
  const out: Child[] = [];
  let text = '';
  const flush = () => {
    if (text) out.push(text);
    text = '';
  };
  let i = 0;
  while (i < src.length) {
    const ch = src[i]!;
    if (ch === '\\' && i + 1 < src.length && ESCAPABLE.test(src[i + 1]!)) {
      text += src[i + 1];
      i += 2;
      continue;
    }
    if (ch === '`') {
      let run = 1;
      while (src[i + run] === '`') run++;
      const fence = '`'.repeat(run);
      // The closing run must be exactly as long as the opening one.
      let close = -1;
      for (let j = i + run; j < src.length; ) {
        const k = src.indexOf(fence, j);
        if (k < 0) break;
        let end = k + run;
        if (src[end] === '`') {
          while (src[end] === '`') end++;
          j = end;
          continue;
        }
        close = k;
        break;
      }
      if (close < 0) {
        text += fence;
        i += run;
        continue;
      }
      let code = src.slice(i + run, close);
      if (code.length > 2 && code.startsWith(' ') && code.endsWith(' ') && code.trim() !== '') code = code.slice(1, -1);
      flush();
      out.push(<code>{code}</code>);
      i = close + run;
      continue;
    }
    if (ch === '*' && src[i + 1] === '*') {
      const close = findClosing(src, '**', i + 2);
      if (close > i + 2) {
        flush();
        out.push(<strong>{renderInline(src.slice(i + 2, close))}</strong>);
        i = close + 2;
        continue;
      }
    }
    if ((ch === '_' || ch === '*') && (i === 0 || /[\s(]/.test(src[i - 1]!)) && src[i + 1] !== ch && src[i + 1] !== ' ') {
      const close = findClosing(src, ch, i + 1);
      if (close > i + 1 && (close + 1 >= src.length || /[\s.,;:!?)]/.test(src[close + 1]!))) {
        flush();
        out.push(<em>{renderInline(src.slice(i + 1, close))}</em>);
        i = close + 1;
        continue;
      }
    }
    if (ch === '[') {
      const link = parseLink(src, i);
      if (link) {
        flush();
        const href = safeHref(link.url);
        out.push(href ? <a href={href}>{renderInline(link.text)}</a> : <>{renderInline(link.text)}</>);
        i = link.end;
        continue;
      }
    }
    text += ch;
    i++;
  }
  flush();
  return out;
}

/** The next unescaped `marker` at or after `from`, outside code spans; -1 when none. */
function findClosing(src: string, marker: string, from: number): number {
  for (let j = from; j < src.length; j++) {
    if (src[j] === '\\') {
      j++;
      continue;
    }
    if (src[j] === '`') {
      const end = src.indexOf('`', j + 1);
      if (end > 0) j = end;
      continue;
    }
    if (src.startsWith(marker, j)) return j;
  }
  return -1;
}

function parseLink(src: string, start: number): { text: string; url: string; end: number } | null {
  let depth = 0;
  for (let j = start; j < src.length; j++) {
    const c = src[j];
    if (c === '\\') {
      j++;
      continue;
    }
    if (c === '[') depth++;
    else if (c === ']') {
      depth--;
      if (depth === 0) {
        if (src[j + 1] !== '(') return null;
        const close = src.indexOf(')', j + 2);
        if (close < 0) return null;
        return { text: src.slice(start + 1, j), url: src.slice(j + 2, close), end: close + 1 };
      }
    }
  }
  return null;
}

const TABLE_SEP = /^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$/;
const FENCE = /^\s{0,3}(`{3,}|~{3,})/;

/** A table row's cells: split on unescaped pipes; `\|` inside a cell is a literal pipe (even in code, as on GitHub). */
function cells(line: string): string[] {
  let s = line.trim();
  if (s.startsWith('|')) s = s.slice(1);
  if (s.endsWith('|') && !s.endsWith('\\|')) s = s.slice(0, -1);
  const out: string[] = [];
  let cur = '';
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '\\' && s[i + 1] === '|') {
      cur += '|';
      i++;
    } else if (s[i] === '|') {
      out.push(cur.trim());
      cur = '';
    } else cur += s[i];
  }
  out.push(cur.trim());
  return out;
}

function alignments(sep: string): ('left' | 'right' | 'center' | null)[] {
  return cells(sep).map((c) => {
    const l = c.startsWith(':');
    const r = c.endsWith(':');
    return l && r ? 'center' : r ? 'right' : l ? 'left' : null;
  });
}

/** Block structure. `minHeading` keeps the document's headings below the page's own (h3 under an h2 section). */
export function renderBlocks(src: string, minHeading = 3): Child[] {
  const lines = src.replace(/\r\n?/g, '\n').split('\n');
  const out: Child[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    if (line.trim() === '') {
      i++;
      continue;
    }
    const fence = FENCE.exec(line);
    if (fence) {
      const marker = fence[1]!;
      const body: string[] = [];
      i++;
      while (i < lines.length && !lines[i]!.trim().startsWith(marker)) body.push(lines[i++]!);
      i++;
      out.push(
        <pre>
          <code>{body.join('\n')}</code>
        </pre>,
      );
      continue;
    }
    const heading = /^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$/.exec(line);
    if (heading) {
      const level = Math.min(6, Math.max(minHeading, heading[1]!.length));
      const content = renderInline(heading[2]!);
      out.push(
        level === 3 ? <h3>{content}</h3> : level === 4 ? <h4>{content}</h4> : level === 5 ? <h5>{content}</h5> : level === 6 ? <h6>{content}</h6> : <h2>{content}</h2>,
      );
      i++;
      continue;
    }
    if (line.trim().startsWith('|') && i + 1 < lines.length && TABLE_SEP.test(lines[i + 1]!)) {
      const head = cells(line);
      const align = alignments(lines[i + 1]!);
      i += 2;
      const rows: string[][] = [];
      while (i < lines.length && lines[i]!.trim().startsWith('|')) rows.push(cells(lines[i++]!));
      const cls = (k: number) => (align[k] === 'right' ? 'num' : undefined);
      out.push(
        <div class="scroll">
          <table>
            <thead>
              <tr>{head.map((h, k) => <th class={cls(k)}>{renderInline(h)}</th>)}</tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr>{head.map((_, k) => <td class={cls(k)}>{renderInline(r[k] ?? '')}</td>)}</tr>
              ))}
            </tbody>
          </table>
        </div>,
      );
      continue;
    }
    if (/^\s{0,3}>/.test(line)) {
      const inner: string[] = [];
      while (i < lines.length && /^\s{0,3}>/.test(lines[i]!)) inner.push(lines[i++]!.replace(/^\s{0,3}> ?/, ''));
      out.push(<blockquote>{renderBlocks(inner.join('\n'), minHeading)}</blockquote>);
      continue;
    }
    const bullet = /^\s{0,3}[-*+]\s+/;
    const numbered = /^\s{0,3}\d{1,9}[.)]\s+/;
    if (bullet.test(line) || numbered.test(line)) {
      const marker = bullet.test(line) ? bullet : numbered;
      const items: string[] = [];
      while (i < lines.length && marker.test(lines[i]!)) items.push(lines[i++]!.replace(marker, ''));
      const lis = items.map((it) => <li>{renderInline(it)}</li>);
      out.push(marker === bullet ? <ul>{lis}</ul> : <ol>{lis}</ol>);
      continue;
    }
    const para: string[] = [];
    while (
      i < lines.length &&
      lines[i]!.trim() !== '' &&
      !FENCE.test(lines[i]!) &&
      !/^\s{0,3}(#{1,6}\s|>|[-*+]\s|\d{1,9}[.)]\s)/.test(lines[i]!) &&
      !(lines[i]!.trim().startsWith('|') && TABLE_SEP.test(lines[i + 1] ?? ''))
    ) {
      para.push(lines[i++]!.trim());
    }
    // Never stall on a line no rule above took.
    if (para.length === 0) para.push(lines[i++]!.trim());
    out.push(<p>{renderInline(para.join(' '))}</p>);
  }
  return out;
}

export function Markdown(props: { source: string; minHeading?: number }) {
  return <div class="markdown">{renderBlocks(props.source, props.minHeading ?? 3)}</div>;
}
