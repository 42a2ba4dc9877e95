/**
 * The settings of `.github/arm64-ci.yml`: their names, types, defaults and rules, as one zod
 * schema, and the RepoConfig it produces. Messages say what a value must be, in the user's terms;
 * ./parse.ts reads the YAML and points each problem at its line.
 */
// zod/mini (imported as a namespace, so esbuild can tree-shake it) runs the same checks as
// classic zod at a fiftieth of the bundle size. Never touch `z.core` at run time: it pulls in all of zod.
import { $ZodPreprocess, type $RefinementCtx, type $ZodType } from 'zod/v4/core';
import * as z from 'zod/mini';
import { isValidPrefix } from '../commands';
import { RESERVED_INPUTS } from '../dispatch-inputs';
import { codeSpan } from '../markdown';
import { clip } from '../text';

export const CONFIG_PATH = '.github/arm64-ci.yml';
/** GitHub accepts at most 25 `workflow_dispatch` inputs; the coordinator always sends its own 4. */
export const MAX_EXTRA_INPUTS = 25 - RESERVED_INPUTS.length;

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

/** A short, human description of a YAML value, for "must be X, not Y" messages. */
function describe(input: unknown): string {
  if (input === null || input === undefined) return 'empty';
  if (typeof input === 'string') return `the text ${codeSpan(clip(input, 41))}`;
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
export const KEY_MARK = '\u0000key';
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
export const INPUT_NOT_STRING = 'input-not-string';

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
export function schemaFor(defaultBranch: string) {
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
export const KNOWN_KEYS: Record<string, readonly string[]> = {
  '': Object.keys(configSchema('main').shape),
  triggers: Object.keys(triggersSchema('main').shape),
  smoke_tests: Object.keys(smokeTestsSchema.shape),
  commands: Object.keys(commandsSchema.shape),
  annotations: Object.keys(annotationsSchema.shape),
};
