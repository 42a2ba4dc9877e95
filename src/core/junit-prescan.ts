// The first line of defence of the JUnit reader (./junit.ts): the input comes from a workflow
// artifact, i.e. from whoever can push a commit, so it is treated as hostile.
import type { JUnitLimits } from './junit';
import { clip, formatBytes } from './text';

// Real JUnit elements carry a dozen attributes at most; thousands only make the parser slow.
const MAX_ATTRIBUTES = 256;
// Nor are their tags kilobytes long; the validator is slow (seconds per megabyte) on very long tags.
const MAX_TAG_CHARS = 64 * 1024;

// Pre-scan: one linear pass over the markup. Before the validator and parser run it refuses what
// could make them slow or large: declarations (DOCTYPE/ENTITY), nesting deeper than maxDepth, an
// element with too many attributes, a tag that is unclosed or longer than MAX_TAG_CHARS, and more
// than maxElements in the part that will be read. It counts the test cases and, past maxTestCases,
// remembers where the first unread one starts and which elements are open there, so the parse can
// stop at it. Other well-formedness is left to the validator (which sees only the part read): on
// odd input the scan just stops and lets the validator say what is wrong.

export interface Scan {
  /** Test cases seen (all of them, read or not). */
  testCases: number;
  /** Where the first test case over maxTestCases starts, and the elements open there, innermost first. */
  cut: { at: number; open: string[] } | null;
}

export function preScan(text: string, lim: JUnitLimits): Scan | { error: string; overLimit: boolean } {
  const refuse = (error: string, overLimit = false) => ({ error, overLimit });
  const n = text.length;
  let i = 0;
  // Names of the open elements; never longer than maxDepth, which is refused.
  const open: string[] = [];
  let testCases = 0;
  let elements = 0;
  let cut: Scan['cut'] = null;
  while (i < n) {
    const lt = text.indexOf('<', i);
    if (lt < 0) break;
    const c1 = text.charCodeAt(lt + 1);
    if (c1 === 0x21 /* ! */) {
      if (text.startsWith('<!--', lt)) {
        const end = text.indexOf('-->', lt + 4);
        if (end < 0) break;
        i = end + 3;
        continue;
      }
      if (text.startsWith('<![CDATA[', lt)) {
        const end = text.indexOf(']]>', lt + 9);
        if (end < 0) break;
        i = end + 3;
        continue;
      }
      const word = /^<!([A-Za-z]*)/.exec(text.slice(lt, lt + 12))?.[1] ?? '';
      return refuse(`entity declarations are not allowed (found <!${word} at ${position(text, lt)})`);
    }
    if (c1 === 0x3f /* ? */) {
      const end = text.indexOf('?>', lt + 2);
      if (end < 0) break;
      i = end + 2;
      continue;
    }
    if (c1 === 0x2f /* / */) {
      const end = text.indexOf('>', lt + 2);
      if (end < 0) return refuse(`not well-formed XML: the tag ${clip(text.slice(lt, lt + 43), 42)} is not closed (${position(text, lt)})`);
      if (end - lt > MAX_TAG_CHARS) {
        return refuse(`a tag is longer than ${formatBytes(MAX_TAG_CHARS)} (at ${position(text, lt)}); the file was not parsed`);
      }
      open.pop();
      i = end + 1;
      continue;
    }
    // A start tag: find its '>' while stepping over quoted attribute values (which may hold '>').
    let j = lt + 1;
    while (j < n && !isNameEnd(text.charCodeAt(j)) && text.charCodeAt(j) !== 0x3c) j++;
    const nameEnd = j;
    let end = -1;
    let attributes = 0;
    while (j < n) {
      const c = text.charCodeAt(j);
      if (c === 0x3d /* = */) {
        if (++attributes > MAX_ATTRIBUTES) {
          return refuse(`an element has more than ${MAX_ATTRIBUTES} attributes (at ${position(text, lt)}); the file was not parsed`);
        }
        j++;
      } else if (c === 0x22 || c === 0x27) {
        const close = text.indexOf(c === 0x22 ? '"' : "'", j + 1);
        if (close < 0) break;
        j = close + 1;
      } else if (c === 0x3e /* > */) {
        end = j;
        break;
      } else if (c === 0x3c /* < */) {
        break; // malformed; the validator will say where
      } else {
        j++;
      }
    }
    // An unclosed start tag is malformed whatever follows; refused here because the validator reads
    // the rest of the file as its attributes, slowly (seconds per megabyte).
    if (end < 0) return refuse(`not well-formed XML: the tag <${clip(text.slice(lt + 1, nameEnd), 41)} is not closed (${position(text, lt)})`);
    if (end - lt > MAX_TAG_CHARS) {
      return refuse(`a tag is longer than ${formatBytes(MAX_TAG_CHARS)} (at ${position(text, lt)}); the file was not parsed`);
    }
    if (nameEnd - lt - 1 === 8 && text.startsWith('testcase', lt + 1)) {
      testCases++;
      if (testCases === lim.maxTestCases + 1) cut = { at: lt, open: [...open].reverse() };
    }
    // Only the part that is read costs parsing; past the cut the scan just counts test cases.
    if (cut === null && ++elements > lim.maxElements) {
      return refuse(
        `more than ${lim.maxElements.toLocaleString('en-US')} elements (the limit per file, at ${position(text, lt)}); the file was not parsed`,
        true,
      );
    }
    if (text.charCodeAt(end - 1) !== 0x2f /* not self-closing */) {
      open.push(text.slice(lt + 1, nameEnd));
      if (open.length > lim.maxDepth) {
        return refuse(`elements are nested more than ${lim.maxDepth} deep (at ${position(text, lt)}); the file was not parsed`);
      }
    }
    i = end + 1;
  }
  return { testCases, cut };
}

function isNameEnd(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d || c === 0x2f || c === 0x3e || Number.isNaN(c);
}

function position(text: string, index: number): string {
  let line = 1;
  let lineStart = 0;
  for (let k = text.indexOf('\n'); k >= 0 && k < index; k = text.indexOf('\n', k + 1)) {
    line++;
    lineStart = k + 1;
  }
  return `line ${line}, column ${index - lineStart + 1}`;
}
