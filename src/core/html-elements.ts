/**
 * Which HTML elements a comment's raw HTML leaves open, so that the text after an opening
 * `<details>` (collapsed on GitHub) or `<blockquote>`, `<code>`, `<a>`, `<del>` … is known not to
 * be a plain paragraph line.
 *
 * Tags are read the way a browser's tokenizer reads them (comments end at the first `-->` or
 * `--!>`; `"` and `'` quote an attribute value only right after `=`), so a `</details>` inside a
 * comment or an attribute value does not count as a close. Everything here errs on one side:
 * when the HTML cannot be followed (a tag or comment left unfinished, or a close that does not
 * match the innermost open element, which browsers resolve in ways this does not model), the
 * tracker says "hidden" for the rest of the comment.
 */

/**
 * Elements whose content GitHub shows collapsed, inert, quoted, as code or a link, or styled in
 * a way a reader would not take for a plain line. Left out on purpose: `div`, `span` and `p`
 * (wrappers that change nothing about how text reads), void elements (`br`, `img`, `hr`, …),
 * elements whose end tag browsers let writers omit (`li`, `td`, `tr`, …; their container is
 * tracked), and names that are not HTML (`<T>` in "Vec<T>" is not an element).
 */
const TRACKED = new Set([
  // hidden or inert
  'details', 'summary', 'template', 'noscript', 'dialog', 'select', 'datalist', 'video', 'audio',
  'object', 'canvas', 'svg', 'math', 'map',
  // quoted, code, link, table, list, heading
  'blockquote', 'q', 'cite', 'pre', 'code', 'kbd', 'samp', 'tt', 'var', 'a', 'table', 'ul', 'ol',
  'dl', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'figure', 'figcaption', 'picture',
  // styled
  'b', 'strong', 'i', 'em', 'u', 's', 'strike', 'del', 'ins', 'mark', 'small', 'big', 'sub', 'sup',
  'abbr', 'dfn', 'bdo', 'bdi', 'time', 'ruby', 'font', 'center', 'marquee',
]);

export type OpenElements = {
  /** Reads one piece of raw HTML (an HTML block or inline HTML), in document order. */
  read(html: string): void;
  /** True while a tracked element is open, and for good once the HTML could not be followed. */
  readonly hiding: boolean;
  /** The HTML could not be followed: nothing after this point counts as plain. */
  readonly lost: boolean;
};

export function openElements(): OpenElements {
  const stack: string[] = [];
  const open = new Map<string, number>(); // how many of each name are on the stack
  let lost = false;
  return {
    read(html) {
      if (lost) return;
      const complete = scanTags(html, (name, closing) => {
        if (lost || !TRACKED.has(name)) return;
        if (!closing) {
          stack.push(name);
          open.set(name, (open.get(name) ?? 0) + 1);
        } else if (stack.at(-1) === name) {
          stack.pop();
          open.set(name, (open.get(name) ?? 1) - 1);
        } else if (open.get(name)) lost = true;
        // A close of an element that is not open is ignored, as browsers ignore it.
      });
      if (!complete) lost = true;
    },
    get hiding() {
      return lost || stack.length > 0;
    },
    get lost() {
      return lost;
    },
  };
}

const isAsciiAlpha = (c: string | undefined) => c !== undefined && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'));
const isHtmlSpace = (c: string | undefined) => c === ' ' || c === '\t' || c === '\n' || c === '\f' || c === '\r';

/**
 * Calls `onTag` for each start and end tag in `html`, with the name in lower case. Returns
 * false when `html` ends inside a tag or comment: what follows it in the rendered page would be
 * read as part of it.
 */
export function scanTags(html: string, onTag: (name: string, closing: boolean) => void): boolean {
  const n = html.length;
  let i = 0;
  let arrow = -2; // where the next `-->` is (-1: none left, -2: not looked for yet)
  let bang = -2;
  for (;;) {
    const lt = html.indexOf('<', i);
    if (lt === -1) return true;
    if (html.startsWith('<!--', lt)) {
      // `<!-->` and `<!--->` are empty comments; otherwise the first `-->` or `--!>` ends one.
      const j = lt + 4;
      if (html[j] === '>') i = j + 1;
      else if (html.startsWith('->', j)) i = j + 2;
      else {
        // Remembered, so a page of comments is not searched to its end once per comment.
        if (arrow !== -1 && arrow < j) arrow = html.indexOf('-->', j);
        if (bang !== -1 && bang < j) bang = html.indexOf('--!>', j);
        const a = arrow;
        const b = bang;
        if (a === -1 && b === -1) return false;
        i = b === -1 || (a !== -1 && a < b) ? a + 3 : b + 4;
      }
      continue;
    }
    const next = html[lt + 1];
    const closing = next === '/';
    const nameStart = closing ? lt + 2 : lt + 1;
    if (next === '!' || next === '?' || (closing && !isAsciiAlpha(html[nameStart]))) {
      if (closing && html[nameStart] === '>') {
        i = nameStart + 1; // `</>` is dropped
        continue;
      }
      // A doctype, CDATA section, processing instruction or `</1`: a bogus comment up to `>`.
      const gt = html.indexOf('>', lt + 2);
      if (gt === -1) return false;
      i = gt + 1;
      continue;
    }
    if (!isAsciiAlpha(html[nameStart])) {
      i = lt + 1; // a `<` before anything but a letter is text
      continue;
    }
    let j = nameStart;
    while (j < n && !isHtmlSpace(html[j]) && html[j] !== '/' && html[j] !== '>') j++;
    const name = html.slice(nameStart, j).toLowerCase();
    const end = endOfTag(html, j);
    if (end === -1) return false;
    onTag(name, closing);
    i = end;
  }
}

/**
 * The index after the `>` that ends a tag whose attributes start at `j`, or -1. The attribute
 * states of the HTML tokenizer: only a quote right after `=` (spaces allowed) opens a value.
 */
function endOfTag(html: string, j: number): number {
  type State = 'beforeName' | 'name' | 'afterName' | 'beforeValue' | 'unquoted';
  let state: State = 'beforeName';
  for (; j < html.length; j++) {
    const c = html[j];
    if (c === '>' && state !== 'beforeValue') return j + 1;
    switch (state) {
      case 'beforeName':
        if (!isHtmlSpace(c) && c !== '/') state = 'name';
        break;
      case 'name':
        if (isHtmlSpace(c)) state = 'afterName';
        else if (c === '/') state = 'beforeName';
        else if (c === '=') state = 'beforeValue';
        break;
      case 'afterName':
        if (c === '/') state = 'beforeName';
        else if (c === '=') state = 'beforeValue';
        else if (!isHtmlSpace(c)) state = 'name';
        break;
      case 'beforeValue':
        if (c === '>') return j + 1;
        if (c === '"' || c === "'") {
          const close = html.indexOf(c, j + 1);
          if (close === -1) return -1;
          j = close;
          state = 'beforeName';
        } else if (!isHtmlSpace(c)) state = 'unquoted';
        break;
      case 'unquoted':
        if (isHtmlSpace(c)) state = 'beforeName';
        break;
    }
  }
  return -1;
}
