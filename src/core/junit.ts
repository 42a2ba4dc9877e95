// JUnit XML → test results. Pure: text in, values out; never throws.
//
// The input comes from a workflow artifact, i.e. from whoever can push a commit, so it is treated as
// hostile: size and nesting depth are bounded by a cheap linear pre-scan before any parser sees the
// text, DOCTYPE/ENTITY declarations are refused outright (no entity expansion, so no "billion
// laughs"), and only the first `maxTestCases` test cases are parsed: the pre-scan counts the rest.
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { ARTIFACT_LIMITS } from './artifact-limits';

export type Outcome = 'passed' | 'failed' | 'errored' | 'skipped';

export interface TestCaseResult {
  /** Stable across runs (suite path + classname + name) so history can be kept per test. */
  id: string;
  name: string;
  classname: string | null;
  /** Enclosing suite names, outermost first, joined with " / "; "" when unnamed. */
  suite: string;
  file: string | null;
  line: number | null;
  outcome: Outcome;
  message: string | null;
  /** Failure/error text (usually a stack trace), trimmed to about 4 KB. */
  details: string | null;
  durationSeconds: number | null;
}

export interface Counts {
  passed: number;
  failed: number;
  errored: number;
  skipped: number;
  total: number;
}

export interface JUnitFile {
  fileName: string;
  tests: TestCaseResult[];
  counts: Counts;
  /** Tests that passed only after a re-run (Surefire `flakyFailure`/`flakyError`); counted as passed. */
  flakyReruns: number;
  /**
   * Test cases in the file after the first `maxTestCases`: counted by the pre-scan, never parsed,
   * so they are in neither `tests` nor `counts`. 0 when the whole file was read.
   */
  unread: number;
}

export type ParseResult =
  | { ok: true; file: JUnitFile }
  /**
   * `overLimit`: refused by a limit real results can reach (bytes, elements), rather than for not
   * being JUnit XML; such a file may hold failures nobody read (see decideConclusion in ./smoke.ts).
   */
  | { ok: false; fileName: string; error: string; overLimit?: true };

interface JUnitLimits {
  maxBytes: number;
  maxDepth: number;
  /** Test cases read; later ones are only counted (JUnitFile.unread). */
  maxTestCases: number;
  /** Elements in the part that is read (up to the first unread test case). */
  maxElements: number;
}

export const JUNIT_LIMITS: Readonly<JUnitLimits> = Object.freeze({
  maxBytes: ARTIFACT_LIMITS.fileBytes,
  maxDepth: ARTIFACT_LIMITS.depth,
  maxTestCases: ARTIFACT_LIMITS.casesPerFile,
  maxElements: ARTIFACT_LIMITS.elementsPerFile,
});

const MAX_DETAILS_CHARS = 4096;
const MAX_MESSAGE_CHARS = 1024;
// Real JUnit elements carry a dozen attributes at most; thousands only make the parser slow.
const MAX_ATTRIBUTES = 256;
// Nor are their tags kilobytes long; the validator is slow (seconds per megabyte) on very long tags.
const MAX_TAG_CHARS = 64 * 1024;

const ARRAY_TAGS = new Set([
  'testsuite',
  'testcase',
  'failure',
  'error',
  'skipped',
  'flakyFailure',
  'flakyError',
  'rerunFailure',
  'rerunError',
]);

/**
 * Parse one JUnit XML file. `limits` exists for tests and callers with tighter budgets; the
 * defaults are {@link JUNIT_LIMITS}.
 */
export function parseJUnit(
  fileName: string,
  xml: string | Uint8Array,
  limits: Partial<JUnitLimits> = {},
): ParseResult {
  const lim: JUnitLimits = { ...JUNIT_LIMITS, ...limits };
  const fail = (error: string, overLimit = false): ParseResult =>
    overLimit ? { ok: false, fileName, error, overLimit } : { ok: false, fileName, error };
  try {
    const size = typeof xml === 'string' ? utf8Length(xml, lim.maxBytes) : xml.byteLength;
    if (size > lim.maxBytes) {
      return fail(
        `the file is ${formatBytes(size)}${typeof xml === 'string' ? ' or more' : ''}, over the ${formatBytes(lim.maxBytes)} limit; it was not parsed`,
        true,
      );
    }
    const decoded = typeof xml === 'string' ? { ok: true as const, text: xml } : decodeXmlBytes(xml);
    if (!decoded.ok) return fail(decoded.error);
    const text = decoded.text.charCodeAt(0) === 0xfeff ? decoded.text.slice(1) : decoded.text;
    if (text.trim() === '') return fail('the file is empty');

    const scan = preScan(text, lim);
    if ('error' in scan) return fail(scan.error, scan.overLimit);
    // Over the cap: parse the document up to the first unread test case, closed where it was cut.
    const read = scan.cut === null ? text : text.slice(0, scan.cut.at) + scan.cut.open.map((name) => `</${name}>`).join('');

    const valid = XMLValidator.validate(read, { allowBooleanAttributes: false });
    if (valid !== true) return fail(`not well-formed XML: ${describeValidationError(valid.err)}`);

    const doc = new XMLParser({
      ignoreAttributes: false,
      attributeNamePrefix: '@_',
      parseTagValue: false,
      parseAttributeValue: false,
      // Declared entities are refused by the pre-scan; on top of that the parser must never expand
      // any. The five predefined references and character references are decoded by decodeRefs().
      processEntities: false,
      htmlEntities: false,
      ignoreDeclaration: true,
      ignorePiTags: true,
      cdataPropName: '#cdata',
      maxNestedTags: lim.maxDepth + 1,
      isArray: (name, _path, _leaf, isAttribute) => !isAttribute && ARRAY_TAGS.has(name),
    }).parse(read) as unknown;

    return toFile(fileName, doc, fail, scan.cut === null ? 0 : scan.testCases - lim.maxTestCases);
  } catch (e) {
    // The validator and pre-scan should have caught everything; this keeps the "never throws" promise.
    return fail(`could not be parsed: ${e instanceof Error ? e.message : String(e)}`);
  }
}

export function sumCounts(parts: Counts[]): Counts {
  const sum: Counts = { passed: 0, failed: 0, errored: 0, skipped: 0, total: 0 };
  for (const c of parts) {
    sum.passed += c.passed;
    sum.failed += c.failed;
    sum.errored += c.errored;
    sum.skipped += c.skipped;
    sum.total += c.total;
  }
  return sum;
}

/**
 * passed / (total - skipped), or null when nothing ran.
 * Skipped tests are excluded because a skip is a decision not to run (wrong platform, missing
 * service), not evidence either way: counting it as a failure would punish skipping on arm64,
 * counting it as a pass would let a suite that skips everything look healthy.
 */
export function passRate(c: Counts): number | null {
  const ran = c.total - c.skipped;
  return ran > 0 ? c.passed / ran : null;
}

/**
 * Bytes → text. UTF-8 by default; a UTF-16 byte-order mark or a non-UTF-8 `encoding=` in the XML
 * declaration is honoured, because some Windows and Java tools still write those.
 */
export function decodeXmlBytes(bytes: Uint8Array): { ok: true; text: string } | { ok: false; error: string } {
  const b0 = bytes[0];
  const b1 = bytes[1];
  try {
    if (b0 === 0xff && b1 === 0xfe) return { ok: true, text: new TextDecoder('utf-16le').decode(bytes) };
    if (b0 === 0xfe && b1 === 0xff) return { ok: true, text: new TextDecoder('utf-16be').decode(bytes) };
  } catch {
    return { ok: false, error: 'the file has a UTF-16 byte-order mark but is not valid UTF-16 text' };
  }
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 200));
  const declared = /^\s*<\?xml[^>]*\bencoding\s*=\s*["']([A-Za-z0-9._-]+)["']/.exec(head)?.[1]?.toLowerCase();
  const label = declared && declared !== 'utf8' && !declared.startsWith('utf-') ? declared : 'utf-8';
  try {
    return { ok: true, text: new TextDecoder(label, { fatal: true }).decode(bytes) };
  } catch (e) {
    if (e instanceof RangeError) return { ok: false, error: `the declared encoding "${declared}" is not supported` };
    return { ok: false, error: `the file is not valid ${label === 'utf-8' ? 'UTF-8' : label} text` };
  }
}

// ---------------------------------------------------------------------------------------------
// Pre-scan: one linear pass over the markup. Before the validator and parser run it refuses what
// could make them slow or large: declarations (DOCTYPE/ENTITY), nesting deeper than maxDepth, an
// element with too many attributes, a tag that is unclosed or longer than MAX_TAG_CHARS, and more
// than maxElements in the part that will be read. It counts the test cases and, past maxTestCases,
// remembers where the first unread one starts and which elements are open there, so the parse can
// stop at it. Other well-formedness is left to the validator (which sees only the part read): on
// odd input the scan just stops and lets the validator say what is wrong.

interface Scan {
  /** Test cases seen (all of them, read or not). */
  testCases: number;
  /** Where the first test case over maxTestCases starts, and the elements open there, innermost first. */
  cut: { at: number; open: string[] } | null;
}

function preScan(text: string, lim: JUnitLimits): Scan | { error: string; overLimit: boolean } {
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
      if (end < 0) return refuse(`not well-formed XML: the tag ${clipLine(text.slice(lt, lt + 42), 41)} is not closed (${position(text, lt)})`);
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
    if (end < 0) return refuse(`not well-formed XML: the tag <${clipLine(text.slice(lt + 1, nameEnd), 40)} is not closed (${position(text, lt)})`);
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

function describeValidationError(err: { code: string; msg: string; line: number; col: number }): string {
  // The validator reports unclosed elements as a JSON array of tag names; say it plainly.
  const unclosed = /^Invalid '\[(.*)\]' found\.$/s.exec(err.msg);
  if (unclosed) {
    const names = (unclosed[1] ?? '').match(/"[^"]*"/g)?.map((s) => `<${s.slice(1, -1)}>`) ?? [];
    const list = names.length > 0 ? names.join(', ') : 'some elements';
    return `the file ends before ${clipLine(list, 300)} ${names.length === 1 ? 'is' : 'are'} closed (truncated?)`;
  }
  const where = err.line ? ` (line ${err.line}${err.col ? `, column ${err.col}` : ''})` : '';
  // Messages quote tag names, which hostile input can make megabytes long.
  return `${clipLine(err.msg, 300)}${where}`;
}

function clipLine(s: string, max: number): string {
  return s.length > max ? `${s.slice(0, max)}…` : s;
}

function utf8Length(s: string, stopAbove: number): number {
  // Cheap exits first: every UTF-16 unit is at least one byte and at most three.
  if (s.length > stopAbove) return s.length;
  if (s.length * 3 <= stopAbove) return s.length;
  let bytes = 0;
  for (let k = 0; k < s.length; k++) {
    const c = s.charCodeAt(k);
    bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : c >= 0xd800 && c <= 0xdfff ? 2 : 3;
  }
  return bytes;
}

function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${Math.round((n / (1024 * 1024)) * 10) / 10} MiB`;
  if (n >= 1024) return `${Math.round((n / 1024) * 10) / 10} KiB`;
  return `${n} bytes`;
}

// ---------------------------------------------------------------------------------------------
// Parsed document → results

type Node = Record<string, unknown>;

function toFile(fileName: string, doc: unknown, fail: (e: string) => ParseResult, unread: number): ParseResult {
  if (!isNode(doc)) return fail('no root element');
  const tests: TestCaseResult[] = [];
  const seen = new Map<string, number>();
  const flaky = { count: 0 };
  const roots = doc['testsuites'];
  const bare = doc['testsuite'];
  if (roots !== undefined) {
    const root = isNode(roots) ? roots : {};
    for (const s of asArray(root['testsuite'])) walkSuite(s, [], null, tests, seen, flaky);
    // Some writers put testcases straight under <testsuites>; keep them rather than lose them.
    for (const tc of asArray(root['testcase'])) tests.push(testCase(tc, [], null, seen, flaky));
  } else if (bare !== undefined) {
    for (const s of asArray(bare)) walkSuite(s, [], null, tests, seen, flaky);
  } else {
    const name = Object.keys(doc).find((k) => !k.startsWith('#') && !k.startsWith('?'));
    return fail(
      `the root element is <${name ?? '?'}>, expected <testsuites> or <testsuite>; is this a JUnit XML file?`,
    );
  }
  const counts: Counts = { passed: 0, failed: 0, errored: 0, skipped: 0, total: tests.length };
  for (const t of tests) counts[t.outcome]++;
  return { ok: true, file: { fileName, tests, counts, flakyReruns: flaky.count, unread } };
}

function walkSuite(
  node: unknown,
  path: string[],
  inheritedFile: string | null,
  out: TestCaseResult[],
  seen: Map<string, number>,
  flaky: { count: number },
): void {
  if (!isNode(node)) return; // <testsuite/> with neither attributes nor children
  const name = attr(node, 'name');
  const here = name ? [...path, name] : path;
  const file = attr(node, 'file') ?? inheritedFile;
  for (const tc of asArray(node['testcase'])) out.push(testCase(tc, here, file, seen, flaky));
  for (const child of asArray(node['testsuite'])) walkSuite(child, here, file, out, seen, flaky);
}

function testCase(
  raw: unknown,
  suitePath: string[],
  suiteFile: string | null,
  seen: Map<string, number>,
  flaky: { count: number },
): TestCaseResult {
  const node = isNode(raw) ? raw : {};
  const name = attr(node, 'name') ?? '(unnamed test)';
  const classname = attr(node, 'classname');
  const suite = suitePath.join(' / ');

  const failure = asArray(node['failure']);
  const error = asArray(node['error']);
  const skipped = asArray(node['skipped']);
  let outcome: Outcome = 'passed';
  let source: unknown;
  if (failure.length > 0) [outcome, source] = ['failed', failure[0]];
  else if (error.length > 0) [outcome, source] = ['errored', error[0]];
  else if (skipped.length > 0) [outcome, source] = ['skipped', skipped[0]];

  if (
    outcome === 'passed' &&
    (asArray(node['flakyFailure']).length > 0 || asArray(node['flakyError']).length > 0)
  ) {
    flaky.count++;
  }

  const { message, details } = failureText(source, outcome);

  // Same test → same id on every run, so history and flaky detection can match it. The file name
  // is left out on purpose: matrix entries (results-py3.10.xml, -py3.11.xml) hold the same tests.
  let id = `${suitePath.join('/')}::${classname ?? ''}::${name}`;
  const n = (seen.get(id) ?? 0) + 1;
  seen.set(id, n);
  if (n > 1) id = `${id} #${n}`; // a repeated test in one file still gets its own, order-stable id

  const file = attr(node, 'file') ?? suiteFile ?? fileFromClassname(classname);
  return {
    id,
    name,
    classname,
    suite,
    file,
    line: nonNegativeInt(attr(node, 'line')) ?? lineFromDetails(file, details),
    outcome,
    message,
    details,
    durationSeconds: seconds(attr(node, 'time')),
  };
}

function failureText(source: unknown, outcome: Outcome): { message: string | null; details: string | null } {
  if (outcome === 'passed' || source === undefined) return { message: null, details: null };
  const node = isNode(source) ? source : null;
  const text = node ? textOf(node) : typeof source === 'string' ? decodeRefs(source).trim() : '';
  const firstLine = text.split('\n', 1)[0]?.trim() || null;
  let message = (node && (attr(node, 'message') || attr(node, 'type'))) || firstLine;
  // go-junit-report writes a fixed "Failed"/"Skipped"/"Build error"; the text's first line says more.
  if (message && firstLine && GENERIC_MESSAGE.test(message)) message = firstLine;
  return {
    message: message ? clip(message, MAX_MESSAGE_CHARS) : null,
    details: text ? clip(text, MAX_DETAILS_CHARS) : null,
  };
}

const GENERIC_MESSAGE = /^(?:failed|failure|error|skipped|build error|runtime error)$/i;

function textOf(node: Node): string {
  const parts: string[] = [];
  for (const t of asArray(node['#text'])) if (typeof t === 'string') parts.push(decodeRefs(t));
  // CDATA is literal text: no reference decoding.
  for (const t of asArray(node['#cdata'])) if (typeof t === 'string') parts.push(t);
  return parts.join('\n').trim();
}

function clip(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max)}\n… (${(s.length - max).toLocaleString('en-US')} more characters)`;
}

/** A path, not a package or class name: vitest writes the test file's path as the classname. */
function fileFromClassname(classname: string | null): string | null {
  if (!classname || /\s/.test(classname)) return null;
  return /\.(?:[cm]?[jt]sx?|py|rb|go|rs|java|kt|cs|php|swift|vue|svelte)$/i.test(classname) ? classname : null;
}

/**
 * vitest and jest give no line attribute, but their stack traces name `file:line:column`; the
 * first such mention of the test's own file is where the annotation belongs.
 */
function lineFromDetails(file: string | null, details: string | null): number | null {
  if (!file || !details) return null;
  const at = details.indexOf(`${file}:`);
  if (at < 0 || (at > 0 && !/[\s(/\\]/.test(details.charAt(at - 1)))) return null;
  const m = /^:(\d{1,9})(?::\d+)?/.exec(details.slice(at + file.length, at + file.length + 24));
  return m ? nonNegativeInt(m[1] ?? null) : null;
}

function attr(node: Node, name: string): string | null {
  const v = node[`@_${name}`];
  if (typeof v !== 'string') return null;
  const s = decodeRefs(v).trim();
  return s === '' ? null : s;
}

function nonNegativeInt(s: string | null): number | null {
  if (s === null || !/^\d{1,9}$/.test(s)) return null;
  return Number(s);
}

function seconds(s: string | null): number | null {
  if (s === null) return null;
  // Some Surefire versions write thousands separators ("1,234.5").
  const v = Number(s.replace(/,/g, ''));
  return Number.isFinite(v) && v >= 0 ? v : null;
}

const PREDEFINED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/**
 * XML's five predefined references and numeric character references. The parser runs with entity
 * processing off (declared entities must never expand), so this restores the harmless ones.
 */
function decodeRefs(s: string): string {
  if (!s.includes('&')) return s;
  return s.replace(/&(?:#(\d{1,7})|#x([0-9a-fA-F]{1,6})|(lt|gt|amp|quot|apos));/g, (all, dec, hex, named) => {
    if (named) return PREDEFINED[named as string] ?? all;
    const cp = dec ? Number.parseInt(dec as string, 10) : Number.parseInt(hex as string, 16);
    return cp > 0 && cp <= 0x10ffff && !(cp >= 0xd800 && cp <= 0xdfff) ? String.fromCodePoint(cp) : all;
  });
}

function isNode(v: unknown): v is Node {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function asArray(v: unknown): unknown[] {
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}
