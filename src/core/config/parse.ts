/**
 * The per-repository config file `.github/arm64-ci.yml`: read it as hostile input (size, nesting
 * and alias limits before and while YAML parses it), validate it against ./schema.ts, and report
 * each problem at the field and line a user must fix. Pure: text in, value or problems out, never a throw.
 */
import { LineCounter, isAlias, isMap, isScalar, isSeq, parseDocument, type Node } from 'yaml';
import { codeSpan } from '../markdown';
import { utf8Length } from '../text';
import { formatPath, locate, nearest, nodeAt, type Position, type Segment } from './locate';
import type { ConfigProblem } from './problems';
import { INPUT_NOT_STRING, KEY_MARK, KNOWN_KEYS, knownKeysAt, schemaFor, type RepoConfig } from './schema';

/** The file is fetched from GitHub and parsed inside a webhook worker: bound the work. */
export const MAX_CONFIG_BYTES = 64 * 1024;
/** Legitimate configs use a handful of aliases; a "billion laughs" document uses thousands. */
const MAX_ALIAS_COUNT = 100;

export type ConfigResult = { ok: true; config: RepoConfig } | { ok: false; problems: ConfigProblem[] };

export function parseConfig(text: string, ctx: { defaultBranch: string }): ConfigResult {
  try {
    return parseConfigUnsafe(text, ctx);
  } catch (err) {
    // Defensive: the libraries are not expected to throw past the checks below.
    return fail([{ path: '', line: null, column: null, message: `could not be read: ${(err as Error).message}` }]);
  }
}

/** Real configs nest three levels; far beyond this, the YAML parser recurses until Node dies. */
const MAX_NESTING = 32;

/**
 * Refuses pathologically nested YAML before it reaches the parser: a 2 KB file of a thousand
 * nested sequences (`- - - … x`, `[[[…]]]`) exhausts V8 inside the parser, which no try/catch
 * survives. A cheap, linear over-approximation is enough: any real config is far below it.
 */
function tooDeep(text: string): { line: number; message: string } | null {
  const message = `is nested more than ${MAX_NESTING} levels deep; a config needs three`;
  let flow = 0;
  let line = 1;
  let quote: '"' | "'" | null = null;
  let lineStart = true;
  let indent = 0;
  let dashes = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '\n') {
      line++;
      lineStart = true;
      indent = 0;
      dashes = 0;
      if (quote === "'") quote = null; // a single-quoted scalar rarely spans lines; be lenient
      continue;
    }
    if (quote) {
      if (ch === quote && text[i - 1] !== '\\') quote = null;
      continue;
    }
    if (lineStart) {
      if (ch === ' ') {
        if (++indent > MAX_NESTING * 4) return { line, message };
        continue;
      }
      if (ch === '-' && (text[i + 1] === ' ' || text[i + 1] === '\t')) {
        if (++dashes > MAX_NESTING) return { line, message };
        i++;
        continue;
      }
      lineStart = false;
    }
    if (ch === '#' && (i === 0 || /\s/.test(text[i - 1]!))) {
      const end = text.indexOf('\n', i);
      i = (end < 0 ? text.length : end) - 1;
      continue;
    }
    if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '[' || ch === '{') {
      if (++flow > MAX_NESTING) return { line, message };
    } else if ((ch === ']' || ch === '}') && flow > 0) flow--;
  }
  return null;
}

function parseConfigUnsafe(text: string, ctx: { defaultBranch: string }): ConfigResult {
  // UTF-8 is never shorter than UTF-16 code units, so the cheap test first.
  const size = text.length > MAX_CONFIG_BYTES ? text.length : utf8Length(text);
  if (size > MAX_CONFIG_BYTES)
    return fail([
      {
        path: '',
        line: null,
        column: null,
        message: `is ${Math.ceil(size / 1024)} KiB; at most ${MAX_CONFIG_BYTES / 1024} KiB is read`,
      },
    ]);

  const deep = tooDeep(text);
  if (deep) return fail([{ path: '', line: deep.line, column: null, message: deep.message }]);

  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const at = (offset: number): Position => {
    const p = lineCounter.linePos(offset);
    return { line: p.line, column: p.col };
  };

  if (doc.errors.length > 0)
    return fail(
      doc.errors.map((e) => {
        const p = at(e.pos[0]);
        return { path: '', line: p.line, column: p.column, message: `is not valid YAML: ${e.message}` };
      }),
    );

  const root = doc.contents;
  if (root === null || (isScalar(root) && (root.value === null || root.value === '')))
    return fail([
      {
        path: '',
        line: null,
        column: null,
        message: 'is empty; it needs at least `workflow: <file name in .github/workflows>`',
      },
    ]);
  if (!isMap(root)) {
    const p = root.range ? at(root.range[0]) : null;
    return fail([
      {
        path: '',
        line: p?.line ?? null,
        column: p?.column ?? null,
        message: `must be a mapping of settings (like \`workflow: arm64-ci.yml\`), not ${isSeq(root) ? 'a list' : 'a single value'}`,
      },
    ]);
  }

  const keyProblems = complexKeys(root, at);
  if (keyProblems.length > 0) return fail(keyProblems);

  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (err) {
    if (err instanceof ReferenceError && /alias/i.test(err.message))
      return fail([
        {
          path: '',
          line: null,
          column: null,
          message: `expands YAML aliases (*name) too many times (limit ${MAX_ALIAS_COUNT}); write the values out instead`,
        },
      ]);
    throw err;
  }

  const parsed = schemaFor(ctx.defaultBranch).safeParse(data);
  if (parsed.success) return { ok: true, config: parsed.data };

  const problems: ConfigProblem[] = [];
  for (const issue of parsed.error.issues) {
    const path = issue.path.filter((s): s is Segment => typeof s === 'string' || typeof s === 'number');
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        const keyPath = [...path, key];
        const p = locate(root, keyPath, true, at);
        const known = knownKeysAt(path);
        const suggestion = nearest(key, known);
        // `ref:` inside a target: a real setting, only not one a target can change.
        const topLevelOnly = path.length === 2 && path[0] === 'targets' && (KNOWN_KEYS[''] ?? []).includes(key);
        problems.push({
          path: formatPath(keyPath),
          line: p?.line ?? null,
          column: p?.column ?? null,
          message: topLevelOnly
            ? `cannot be set per target; set it at the top level (a target can set ${known.join(', ')})`
            : suggestion
              ? `is not a known setting; did you mean ${codeSpan(suggestion)}?`
              : `is not a known setting (known here: ${known.join(', ')})`,
        });
      }
      continue;
    }
    const onKey = path[path.length - 1] === KEY_MARK;
    const target = onKey ? path.slice(0, -1) : path;
    const p = locate(root, target, onKey, at);
    let message = issue.message;
    if (issue.code === 'custom' && issue.params?.kind === INPUT_NOT_STRING)
      message = inputValueMessage(String(target[target.length - 1]), root, target, text);
    problems.push({ path: formatPath(target), line: p?.line ?? null, column: p?.column ?? null, message });
  }
  return fail(problems);
}

function fail(problems: ConfigProblem[]): ConfigResult {
  // Top to bottom as in the file; problems without a line (whole-file ones) first.
  const sorted = problems
    .map((p, i) => ({ p, i }))
    .sort((a, b) => (a.p.line ?? 0) - (b.p.line ?? 0) || (a.p.column ?? 0) - (b.p.column ?? 0) || a.i - b.i)
    .map(({ p }) => p);
  return { ok: false, problems: sorted };
}

/** `inputs.python: 3.10` is read by YAML as the number 3.1: show the user's text, quoted. */
function inputValueMessage(name: string, root: Node, path: Segment[], text: string): string {
  const node = nodeAt(root, path);
  const source = node?.range ? text.slice(node.range[0], node.range[1]).trim() : '';
  if (!node || source === '')
    return `must be a string; write ${codeSpan(`${name}: ''`)} for an empty value`;
  if (isScalar(node) && source !== '' && !source.includes('\n'))
    return `must be a string: put the value in quotes, e.g. ${codeSpan(`${name}: '${source.replace(/'/g, "''")}'`)}`;
  return `must be a string (workflow inputs are text; write lists and mappings as a quoted JSON string)`;
}

/** Mapping keys that are lists or mappings (`? [a, b]`) cannot name a setting. */
function complexKeys(root: Node, at: (offset: number) => Position): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const stack: Node[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (isMap(node)) {
      for (const pair of node.items) {
        if (pair.key !== null && !isScalar(pair.key) && !isAlias(pair.key)) {
          const range = (pair.key as Node).range;
          const p = range ? at(range[0]) : null;
          problems.push({
            path: '',
            line: p?.line ?? null,
            column: p?.column ?? null,
            message: 'has a key that is a list or mapping; keys must be plain names',
          });
        }
        if (pair.value) stack.push(pair.value as Node);
      }
    } else if (isSeq(node)) {
      for (const item of node.items) if (item) stack.push(item as Node);
    }
  }
  return problems;
}
