// JUnit XML → test results. Pure: text in, values out; never throws.
//
// The input comes from a workflow artifact, i.e. from whoever can push a commit, so it is treated as
// hostile: size and nesting depth are bounded by a cheap linear pre-scan before any parser sees the
// text, DOCTYPE/ENTITY declarations are refused outright (no entity expansion, so no "billion
// laughs"), and only the first `maxTestCases` test cases are parsed: the pre-scan counts the rest.
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { ARTIFACT_LIMITS } from './artifact-limits';
import { preScan } from './junit-prescan';
import type { Counts, Outcome, ParseResult, TestCaseResult } from './test-results';
import { clip, formatBytes, utf8Length } from './text';

export interface JUnitLimits {
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
    const size = typeof xml === 'string' ? utf8Size(xml, lim.maxBytes) : xml.byteLength;
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

function describeValidationError(err: { code: string; msg: string; line: number; col: number }): string {
  // The validator reports unclosed elements as a JSON array of tag names; say it plainly.
  const unclosed = /^Invalid '\[(.*)\]' found\.$/s.exec(err.msg);
  if (unclosed) {
    const names = (unclosed[1] ?? '').match(/"[^"]*"/g)?.map((s) => `<${s.slice(1, -1)}>`) ?? [];
    const list = names.length > 0 ? names.join(', ') : 'some elements';
    return `the file ends before ${clip(list, 301)} ${names.length === 1 ? 'is' : 'are'} closed (truncated?)`;
  }
  const where = err.line ? ` (line ${err.line}${err.col ? `, column ${err.col}` : ''})` : '';
  // Messages quote tag names, which hostile input can make megabytes long.
  return `${clip(err.msg, 301)}${where}`;
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
    message: message ? clipText(message, MAX_MESSAGE_CHARS) : null,
    details: text ? clipText(text, MAX_DETAILS_CHARS) : null,
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

function clipText(s: string, max: number): string {
  const kept = clip(s, max, '');
  return kept === s ? s : `${kept}\n… (${(s.length - kept.length).toLocaleString('en-US')} more characters)`;
}

/** UTF-8 size, or any number above `stopAbove` once it must exceed it: files can be megabytes. */
function utf8Size(s: string, stopAbove: number): number {
  // Every UTF-16 unit is at least one byte and at most three.
  if (s.length > stopAbove || s.length * 3 <= stopAbove) return s.length;
  return utf8Length(s);
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
