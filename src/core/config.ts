/**
 * The per-repository config file `.github/arm64-ci.yml`: parse, validate, and explain problems
 * with the field and line a user must fix. Pure: text in, value or problems out, never a throw.
 */
import { LineCounter, isAlias, isMap, isPair, isScalar, isSeq, parseDocument, type Node } from 'yaml';
// zod/mini (imported as a namespace, so esbuild can tree-shake it) runs the same checks as
// classic zod at a fiftieth of the bundle size. Never touch `z.core` at run time: it pulls in all of zod.
import { $ZodPreprocess, type $RefinementCtx, type $ZodType } from 'zod/v4/core';
import * as z from 'zod/mini';
import { isValidPrefix } from './commands';
import { RESERVED_INPUTS } from './dispatch-inputs';

export const CONFIG_PATH = '.github/arm64-ci.yml';
/** The file is fetched from GitHub and parsed inside a webhook worker: bound the work. */
export const MAX_CONFIG_BYTES = 64 * 1024;
/** Legitimate configs use a handful of aliases; a "billion laughs" document uses thousands. */
export const MAX_ALIAS_COUNT = 100;
/** GitHub accepts at most 25 `workflow_dispatch` inputs; the coordinator always sends its own 4. */
export const MAX_EXTRA_INPUTS = 25 - RESERVED_INPUTS.length;
/** At most this many problems are listed in a check run summary; the rest are counted. */
const MAX_LISTED_PROBLEMS = 50;

export type Permission = 'write' | 'maintain' | 'admin';
export const PERMISSIONS = ['write', 'maintain', 'admin'] as const satisfies readonly Permission[];

export interface RepoConfig {
  workflow: string;
  ref: string;
  runner_labels: string[];
  check_name: string;
  triggers: { push: string[]; pull_request: boolean };
  smoke_tests: { artifact: string; min_pass_rate: number };
  inputs: Record<string, string>;
  commands: { prefix: string; min_permission: Permission };
  trusted_users: string[];
  /** Fork pull requests by organization members (OWNER, MEMBER) run without /ok-to-test. */
  trust_org_members: boolean;
  cancel_superseded: boolean;
  timeout_minutes: number;
  dispatch_timeout_minutes: number;
  annotations: { max: number };
  history_days: number;
}

export interface ConfigProblem {
  path: string;
  line: number | null;
  column: number | null;
  message: string;
}
export type ConfigResult = { ok: true; config: RepoConfig } | { ok: false; problems: ConfigProblem[] };

// ---------------------------------------------------------------------------------------------
// Schema

/** A short, human description of a YAML value, for "must be X, not Y" messages. */
function describe(input: unknown): string {
  if (input === null || input === undefined) return 'empty';
  if (typeof input === 'string') return `the text ${codeSpan(input.length > 40 ? `${input.slice(0, 40)}…` : input)}`;
  if (typeof input === 'number') return Number.isFinite(input) ? `the number ${input}` : `${codeSpan(String(input))}`;
  if (typeof input === 'boolean') return codeSpan(String(input));
  if (Array.isArray(input)) return 'a list';
  if (input instanceof Uint8Array) return 'binary data';
  if (typeof input === 'object') return 'a mapping';
  return typeof input;
}

/** Zod error callback: "is required" when absent, else "must be <what>, not <actual>". */
function expected(what: string) {
  return (iss: { input?: unknown }) =>
    iss.input === undefined ? `is required: ${what}` : `must be ${what}, not ${describe(iss.input)}`;
}

/** YAML `key:` with nothing after it yields null: treat that like an absent key (use the default). */
function nullAsMissing<T extends $ZodType>(schema: T) {
  // zod/mini has no preprocess(); this builds exactly what classic zod's preprocess() builds,
  // typed as classic types it (the key stays optional when the inner schema has a default).
  return new $ZodPreprocess({
    type: 'pipe',
    in: z.transform((v: unknown): unknown => (v === null ? undefined : v)),
    out: schema,
  }) as unknown as $ZodPreprocess<T>;
}

/** Accept `key: value` as shorthand for a one-item list, as GitHub's own `runs-on` and `branches` do. */
function listOf<T extends z.ZodMiniType>(item: T, what: string) {
  return z.pipe(
    z.transform((v: unknown): unknown => (typeof v === 'string' ? [v] : v)),
    z.array(item, { error: expected(what) }),
  );
}

const nonEmptyText = (what: string) =>
  z.string({ error: expected(what) }).check(z.refine((s) => s.trim() !== '', { error: 'must not be empty' }));

const wholeNumber = (min: number, max: number, unit: string) =>
  z
    .int({ error: expected(`a whole number of ${unit} from ${min} to ${max}`) })
    .check(z.minimum(min, { error: `must be at least ${min} (${unit})` }), z.maximum(max, { error: `must be at most ${max} (${unit})` }));

/** Path marker in an issue: point the problem at the key itself rather than at its value. */
const KEY_MARK = '\u0000key';
/** Characters actions/upload-artifact refuses in an artifact name. */
const ARTIFACT_FORBIDDEN = /[":<>|*?\r\n\\/]/;
/** GitHub's rule for workflow_dispatch input ids. */
const INPUT_NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/;

function uniqueCaseInsensitive(what: string) {
  return (items: string[], ctx: $RefinementCtx<string[]>) => {
    const seen = new Map<string, number>();
    items.forEach((item, i) => {
      const key = item.toLowerCase();
      const first = seen.get(key);
      if (first === undefined) seen.set(key, i);
      else
        ctx.addIssue({
          code: 'custom',
          path: [i],
          message: `repeats ${what} ${codeSpan(item)} (${what}s are compared without regard to case)`,
        });
    });
  };
}

const triggersSchema = (defaultBranch: string) =>
  z.strictObject(
    {
      push: nullAsMissing(
        z._default(listOf(nonEmptyText('a branch name or glob'), 'a list of branch globs, e.g. [main, "release/*"]'), [
          defaultBranch,
        ]),
      ),
      pull_request: nullAsMissing(z._default(z.boolean({ error: expected('true or false') }), true)),
    },
    { error: expected('a mapping with `push` and `pull_request`') },
  );

const smokeTestsSchema = z.strictObject(
  {
    artifact: nullAsMissing(
      z._default(
        nonEmptyText('an artifact name').check(
          z.refine((s) => !ARTIFACT_FORBIDDEN.test(s), {
            error: 'must be a valid artifact name (no " : < > | * ? \\ / or line breaks)',
          }),
        ),
        'smoke-test-results',
      ),
    ),
    min_pass_rate: nullAsMissing(
      z._default(
        z
          .number({ error: expected('a number between 0 and 1, e.g. 0.9 for 90%') })
          .check(
            z.minimum(0, { error: 'must be between 0 and 1' }),
            z.maximum(1, { error: 'must be between 0 and 1 (write 0.9 for 90%)' }),
          ),
        1,
      ),
    ),
  },
  { error: expected('a mapping with `artifact` and `min_pass_rate`') },
);

/** Marks an input value that is not a string; toProblems words it with the user's own text. */
const INPUT_NOT_STRING = 'input-not-string';

// One refinement checks names and values together, so a file with both kinds of mistakes
// gets every problem in one round trip (zod skips later refinements once a value fails).
const inputsSchema = z.pipe(
  z.record(z.string(), z.unknown(), { error: expected('a mapping of input names to string values') }).check(
    z.superRefine((inputs: Record<string, unknown>, ctx) => {
    const names = Object.keys(inputs);
    if (names.length > MAX_EXTRA_INPUTS)
      ctx.addIssue({
        code: 'custom',
        path: [],
        message: `declares ${names.length} inputs; at most ${MAX_EXTRA_INPUTS} are allowed (GitHub accepts 25 workflow inputs and the coordinator sends ${RESERVED_INPUTS.length}: ${RESERVED_INPUTS.join(', ')})`,
      });
    const seen = new Map<string, string>();
    for (const name of names) {
      const lower = name.toLowerCase();
      if ((RESERVED_INPUTS as readonly string[]).includes(lower))
        ctx.addIssue({
          code: 'custom',
          path: [name, KEY_MARK],
          message: `${codeSpan(name)} is set by the coordinator itself (reserved: ${RESERVED_INPUTS.join(', ')}); choose another name`,
        });
      else if (!INPUT_NAME.test(name))
        ctx.addIssue({
          code: 'custom',
          path: [name, KEY_MARK],
          message: `${codeSpan(name)} is not a valid input name: start with a letter or _, then use letters, digits, - or _`,
        });
      const other = seen.get(lower);
      // GitHub expressions look up `inputs.<name>` without regard to case.
      if (other !== undefined)
        ctx.addIssue({
          code: 'custom',
          path: [name, KEY_MARK],
          message: `${codeSpan(name)} differs from ${codeSpan(other)} only in case; GitHub treats them as the same input`,
        });
      else seen.set(lower, name);
      if (typeof inputs[name] !== 'string')
        ctx.addIssue({
          code: 'custom',
          path: [name],
          params: { kind: INPUT_NOT_STRING },
          message: `must be a string, not ${describe(inputs[name])}`,
        });
    }
    }),
  ),
  z.transform((inputs: Record<string, unknown>) => inputs as Record<string, string>),
);

const commandsSchema = z.strictObject(
  {
    prefix: nullAsMissing(
      z._default(
        z
          .string({ error: expected('a command prefix such as /arm64') })
          // The parser's own rule, so a prefix that passes here can never make it throw in the worker.
          .check(
            z.refine(isValidPrefix, {
              error: 'must start with / and contain no spaces, then a letter or digit and only letters, digits, "_", "." or "-" (e.g. /arm64); /ok-to-test is taken',
            }),
          ),
        '/arm64',
      ),
    ),
    min_permission: nullAsMissing(
      z._default(z.enum(PERMISSIONS, { error: expected(`one of ${PERMISSIONS.join(', ')}`) }), 'write'),
    ),
  },
  { error: expected('a mapping with `prefix` and `min_permission`') },
);

const annotationsSchema = z.strictObject(
  { max: nullAsMissing(z._default(wholeNumber(0, 1000, 'annotations'), 50)) },
  { error: expected('a mapping with `max`') },
);

function configSchema(defaultBranch: string) {
  return z.strictObject({
    workflow: z.string({ error: expected('the file name of a workflow in .github/workflows, e.g. arm64-ci.yml') }).check(
      z.superRefine((s: string, ctx) => {
        if (/[/\\]/.test(s))
          ctx.addIssue({
            code: 'custom',
            message: 'must be a file name only, without a directory: the file must be in .github/workflows (e.g. arm64-ci.yml)',
          });
        else if (!/^\S.*\.ya?ml$/i.test(s))
          ctx.addIssue({ code: 'custom', message: 'must be a workflow file name ending in .yml or .yaml, e.g. arm64-ci.yml' });
      }),
    ),
    ref: nullAsMissing(
      z._default(
        nonEmptyText('a branch name').check(z.refine((s) => !/\s/.test(s), { error: 'must be a branch name without spaces' })),
        defaultBranch,
      ),
    ),
    runner_labels: nullAsMissing(
      z._default(
        listOf(nonEmptyText('a runner label'), 'a list of runner labels, e.g. [self-hosted, arm64]').check(
          z.refine((a: string[]) => a.length > 0, { error: 'must list at least one runner label, e.g. [self-hosted, arm64]' }),
          z.superRefine(uniqueCaseInsensitive('runner label')),
        ),
        ['self-hosted', 'arm64'],
      ),
    ),
    check_name: nullAsMissing(z._default(nonEmptyText('a check name'), 'arm64 CI')),
    triggers: nullAsMissing(z.prefault(triggersSchema(defaultBranch), {})),
    smoke_tests: nullAsMissing(z.prefault(smokeTestsSchema, {})),
    inputs: nullAsMissing(z._default(inputsSchema, {})),
    commands: nullAsMissing(z.prefault(commandsSchema, {})),
    trusted_users: nullAsMissing(
      z._default(
        listOf(
          z.pipe(
            nonEmptyText('a GitHub login').check(z.refine((s) => !/\s/.test(s), { error: 'must be a GitHub login without spaces' })),
            // "@alice" is how people write logins in prose; GitHub logins never contain "@".
            z.transform((s: string) => s.replace(/^@/, '')),
          ),
          'a list of GitHub logins',
        ).check(z.superRefine(uniqueCaseInsensitive('login'))),
        [],
      ),
    ),
    trust_org_members: nullAsMissing(z._default(z.boolean({ error: expected('true or false') }), true)),
    cancel_superseded: nullAsMissing(z._default(z.boolean({ error: expected('true or false') }), true)),
    timeout_minutes: nullAsMissing(z._default(wholeNumber(1, 4320, 'minutes'), 360)),
    dispatch_timeout_minutes: nullAsMissing(z._default(wholeNumber(1, 1440, 'minutes'), 10)),
    annotations: nullAsMissing(z.prefault(annotationsSchema, {})),
    history_days: nullAsMissing(z._default(wholeNumber(1, 3650, 'days'), 90)),
  });
}

/**
 * Building the schema costs more than using it (zod compiles a schema on its first parse), and a
 * worker parses the config on every push: keep the few schemas there are, one per default branch.
 */
const schemas = new Map<string, ReturnType<typeof configSchema>>();
function schemaFor(defaultBranch: string) {
  let schema = schemas.get(defaultBranch);
  if (!schema) {
    if (schemas.size >= 64) schemas.clear();
    schema = configSchema(defaultBranch);
    schemas.set(defaultBranch, schema);
  }
  return schema;
}

// The interface above is what callers read; fail the build if it drifts from the schema.
type SchemaOutput = z.output<ReturnType<typeof configSchema>>;
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const schemaMatchesInterface: Same<SchemaOutput, RepoConfig> = true;
void schemaMatchesInterface;

/** Keys allowed in each mapping, by dotted parent path: used to suggest a fix for a typo. */
const KNOWN_KEYS: Record<string, readonly string[]> = {
  '': Object.keys(configSchema('main').shape),
  triggers: Object.keys(triggersSchema('main').shape),
  smoke_tests: Object.keys(smokeTestsSchema.shape),
  commands: Object.keys(commandsSchema.shape),
  annotations: Object.keys(annotationsSchema.shape),
};

// ---------------------------------------------------------------------------------------------
// Parsing

type Segment = string | number;

interface Position {
  line: number;
  column: number;
}

export function parseConfig(text: string, ctx: { defaultBranch: string }): ConfigResult {
  try {
    return parseConfigUnsafe(text, ctx);
  } catch (err) {
    // Defensive: the libraries are not expected to throw past the checks below.
    return fail([{ path: '', line: null, column: null, message: `could not be read: ${(err as Error).message}` }]);
  }
}

/** Real configs nest three levels; far beyond this, the YAML parser recurses until Node dies. */
export const MAX_NESTING = 32;

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
  const size = text.length > MAX_CONFIG_BYTES ? text.length : new TextEncoder().encode(text).length;
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
        const suggestion = nearest(key, KNOWN_KEYS[formatPath(path)] ?? []);
        problems.push({
          path: formatPath(keyPath),
          line: p?.line ?? null,
          column: p?.column ?? null,
          message: suggestion
            ? `is not a known setting; did you mean ${codeSpan(suggestion)}?`
            : `is not a known setting (known here: ${(KNOWN_KEYS[formatPath(path)] ?? []).join(', ')})`,
        });
      }
      continue;
    }
    const onKey = path[path.length - 1] === KEY_MARK;
    const target = onKey ? path.slice(0, -1) : path;
    const p = locate(root, target, onKey, at);
    let message = issue.message;
    if (issue.code === 'custom' && issue.params?.kind === INPUT_NOT_STRING)
      message = inputValueMessage(String(target[1]), root, target, text);
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

/** The node at a path, or null when the path leaves the document. */
function nodeAt(root: Node, path: Segment[]): Node | null {
  let node: Node | null = root;
  for (const seg of path) {
    const step = child(node, seg);
    if (!step) return null;
    node = step.value;
  }
  return node;
}

function child(node: Node | null, seg: Segment): { key: Node | null; value: Node | null } | null {
  if (isMap(node)) {
    const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(seg));
    return pair ? { key: pair.key as Node, value: (pair.value as Node | null) ?? null } : null;
  }
  if (isSeq(node) && typeof seg === 'number') {
    const item = node.items[seg];
    return item ? { key: null, value: item as Node } : null;
  }
  return null;
}

/**
 * The position of the value at `path` (or of its key when `onKey`, or when the value is empty).
 * If the path leaves the document (a missing key), the position of the deepest node that exists.
 */
function locate(root: Node, path: Segment[], onKey: boolean, at: (offset: number) => Position): Position | null {
  let best: Position | null = root.range ? at(root.range[0]) : null;
  let node: Node | null = root;
  for (let i = 0; i < path.length; i++) {
    const step = child(node, path[i]!);
    if (!step) return best;
    const last = i === path.length - 1;
    if (step.key?.range) best = at(step.key.range[0]);
    const value = step.value;
    const emptyValue = !value || (isScalar(value) && value.value === null && value.range?.[0] === value.range?.[1]);
    if (!(last && onKey && step.key) && !emptyValue && value.range) best = at(value.range[0]);
    node = value;
  }
  return best;
}

export function formatPath(path: readonly Segment[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else out += out === '' ? seg : `.${seg}`;
  }
  return out;
}

/** The known key closest to a typo, when it is close enough to be a likely intent. */
function nearest(key: string, known: readonly string[]): string | null {
  let best: string | null = null;
  let bestDistance = Infinity;
  for (const k of known) {
    const d = editDistance(key.toLowerCase(), k);
    if (d < bestDistance) {
      best = k;
      bestDistance = d;
    }
  }
  return best !== null && bestDistance <= Math.max(2, Math.floor(best.length / 3)) ? best : null;
}

function editDistance(a: string, b: string): number {
  if (a.length > 64 || b.length > 64) return Infinity;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++)
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length]!;
}

/** A markdown code span that survives backticks and line breaks in user text. */
export function codeSpan(s: string): string {
  const flat = s.replace(/\r?\n|\r/g, ' ');
  const longest = Math.max(0, ...(flat.match(/`+/g) ?? []).map((r) => r.length));
  const fence = '`'.repeat(longest + 1);
  const pad = flat.startsWith('`') || flat.endsWith('`') || flat === '' ? ' ' : '';
  return `${fence}${pad}${flat}${pad}${fence}`;
}

// ---------------------------------------------------------------------------------------------
// Rendering for a failed check run

export function renderConfigProblems(problems: ConfigProblem[]): { title: string; summary: string } {
  const n = problems.length;
  const title = `Invalid ${CONFIG_PATH}: ${n} ${n === 1 ? 'problem' : 'problems'}`;
  const lines = problems.slice(0, MAX_LISTED_PROBLEMS).map((p) => {
    const where = [p.line !== null ? `line ${p.line}` : null, p.path !== '' ? codeSpan(p.path) : null]
      .filter((x) => x !== null)
      .join(', ');
    const subject = where === '' ? 'the file' : where;
    return `- ${subject}: ${p.message.replace(/\r?\n|\r/g, ' ')}`;
  });
  if (n > MAX_LISTED_PROBLEMS) lines.push(`- …and ${n - MAX_LISTED_PROBLEMS} more`);
  const summary = [
    `The arm64 CI coordinator could not use \`${CONFIG_PATH}\`, so nothing was dispatched.`,
    '',
    ...lines,
    '',
    'The file is read from the repository\u2019s default branch (a pull request cannot change it): ' +
      'fix it there, then push again.',
  ].join('\n');
  return { title, summary };
}
