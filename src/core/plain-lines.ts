/**
 * Which lines of a comment GitHub shows as plain paragraph text: the only places a slash
 * command may stand (docs/COMMANDS.md, "Where a command counts").
 *
 * The comment is read by a CommonMark parser with GitHub's extensions (markdown-it: tables,
 * strikethrough; footnotes through markdown-it-footnote), never by line heuristics. A line
 * counts when it belongs to a paragraph at the top of the document (not in a list item, block
 * quote, footnote or table; a code block, HTML block or heading is not a paragraph) and it starts
 * in plain text of that paragraph: not inside an HTML comment or other inline HTML, a code span,
 * a link or image, emphasis or strikethrough that began on an earlier line, and not inside an
 * HTML element opened earlier in the comment (`<details>` above all; see html-elements.ts).
 *
 * Why markdown-it rather than micromark (mdast-util-from-markdown): on comments of GitHub's
 * maximum size (65,536 characters) built to be slow, micromark took from seconds to minutes
 * (`*a` repeated: 27 s; `*_` repeated: 165 s; 2,000 nested `>`: 0.9 s and growing
 * quadratically) where markdown-it stays under a few hundred milliseconds. markdown-it does not
 * give inline tokens a source position, so one extra inline rule notes where each line starts
 * while it tokenizes (it consumes nothing and changes no output).
 */
import MarkdownIt, { type StateInline, type Token } from 'markdown-it';
import footnote from 'markdown-it-footnote';
import { openElements, type OpenElements } from './html-elements';

/** `plain`: a command may stand here. `formatted`: it starts as plain text but holds code, HTML,
 * a link or emphasis, so what GitHub shows differs from what was typed. */
type LineKind = 'plain' | 'formatted';

/** Per paragraph: where its lines start in the inline content, and which starts were reached. */
type LineStarts = {
  src: string;
  /** Offset in `src` of each line's first character after spaces and tabs → its 1-based line. */
  starts: Map<number, number>;
  /** Lines whose start the tokenizer reached at the top of the paragraph → the break before it
   * (null for the paragraph's first line). A start inside a code span, link or inline HTML is
   * never reached at the top. */
  reached: Map<number, Token | null>;
};

const LINE_STARTS = 'arm64CiLineStarts';

const md = new MarkdownIt('default', { html: true, linkify: false, typographer: false });
md.use(footnote);
// GitHub has no `^[inline]` footnotes; with it, `^[x]` would be read as markup GitHub shows as text.
md.inline.ruler.disable('footnote_inline');
// Inline content is parsed below, one top-level paragraph at a time, with the line-start rule.
md.core.ruler.enableOnly(['normalize', 'block']);
md.inline.ruler.before('text', 'line_start', noteLineStart);

function noteLineStart(state: StateInline, silent: boolean): boolean {
  if (silent || state.level !== 0) return false;
  const rec = (state.env as Record<string, unknown>)[LINE_STARTS] as LineStarts | undefined;
  if (!rec || state.src !== rec.src) return false;
  const line = rec.starts.get(state.pos);
  if (line === undefined || rec.reached.has(line)) return false;
  if (state.pos === 0) rec.reached.set(line, null);
  else {
    // The tokenizer gets to a line's start only through the line break before it.
    const before = state.tokens.at(-1);
    if (!state.pending && before && (before.type === 'softbreak' || before.type === 'hardbreak')) rec.reached.set(line, before);
  }
  return false;
}

const PLAIN = new Set(['text', 'text_special', 'softbreak', 'hardbreak']);

/**
 * The 1-based numbers of the lines that start as plain paragraph text, each with its kind.
 * Lines are numbered as `\r\n`, `\r` and `\n` end them. Never throws: should the parser fail,
 * no line counts.
 */
export function plainLines(body: string): Map<number, LineKind> {
  const out = new Map<number, LineKind>();
  try {
    const text = body.replace(/\r\n?/g, '\n');
    const lineStart = [0];
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lineStart.push(i + 1);
    const env: Record<string, unknown> = {};
    const tokens = md.parse(text, env);
    const html = openElements();
    // Once the HTML could not be followed nothing after it counts, so the walk stops there.
    for (let i = 0; i < tokens.length && !html.lost; i++) {
      const t = tokens[i] as Token;
      if (t.level !== 0) continue; // inside a list, quote or footnote: the container's end closes its HTML too
      if (t.type === 'html_block') html.read(t.content);
      else if (t.type === 'paragraph_open' && t.map) {
        const inline = tokens[i + 1];
        if (inline?.type === 'inline') readParagraph(text, lineStart, t.map[0], inline, env, html, out);
      }
    }
  } catch {
    out.clear();
  }
  return out;
}

function readParagraph(
  text: string,
  lineStart: number[],
  firstLine: number,
  inline: Token,
  env: Record<string, unknown>,
  html: OpenElements,
  out: Map<number, LineKind>,
): void {
  const src = inline.content;
  // The paragraph's content is its lines with the leading whitespace of the first trimmed (ASCII
  // whitespace in markdown-it 15, all of JavaScript's in older versions): count the line breaks
  // in what was trimmed.
  let line = firstLine + 1;
  const from = lineStart[firstLine] ?? 0;
  const probe = src.slice(0, 64);
  for (let k = from; k < text.length && !text.startsWith(probe, k) && /\s/.test(text[k] as string); k++) {
    if (text[k] === '\n') line++;
  }
  const starts = new Map<number, number>([[0, line]]);
  for (let i = src.indexOf('\n'); i !== -1; i = src.indexOf('\n', i + 1)) {
    let p = i + 1;
    while (src[p] === ' ' || src[p] === '\t') p++;
    starts.set(p, ++line);
  }
  const rec: LineStarts = { src, starts, reached: new Map() };
  env[LINE_STARTS] = rec;
  const children: Token[] = [];
  md.inline.parse(src, md, env, children);
  env[LINE_STARTS] = undefined;

  const lineAfter = new Map<Token, number>();
  let current: { line: number; kind: LineKind | 'hidden'; first: boolean } | null = null;
  let depth = 0; // emphasis and strikethrough open around this point
  const begin = (n: number) => {
    current = { line: n, kind: depth > 0 || html.hiding ? 'hidden' : 'plain', first: true };
  };
  const end = () => {
    if (current && current.kind !== 'hidden') out.set(current.line, current.kind);
    current = null;
  };
  for (const [n, before] of rec.reached) {
    if (before) lineAfter.set(before, n);
    else begin(n);
  }
  for (const t of children) {
    const next = lineAfter.get(t);
    if (next !== undefined) {
      end();
      begin(next);
      continue;
    }
    if (t.type === 'html_inline') html.read(t.content);
    const c = current as { kind: LineKind | 'hidden'; first: boolean } | null;
    if (c) {
      if (c.first) {
        c.first = false;
        if (t.type !== 'text') c.kind = 'hidden';
      } else if (!PLAIN.has(t.type) && c.kind === 'plain') c.kind = 'formatted';
    }
    depth += t.nesting;
  }
  end();
}
