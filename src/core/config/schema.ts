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
import { SLOWDOWN_DEFAULTS } from '../compare/slowdown';
import { isTargetName, MAX_TARGET_NAME, TARGET_NAME_RULE } from './target-name';
import { mergeInputs, targetCheckName } from './targets';

export const CONFIG_PATH = '.github/arm64-ci.yml';
/** GitHub accepts at most 25 `workflow_dispatch` inputs; the coordinator always sends its own 4. */
const MAX_EXTRA_INPUTS = 25 - RESERVED_INPUTS.length;

export type Permission = 'write' | 'maintain' | 'admin';
export const PERMISSIONS = ['write', 'maintain', 'admin'] as const satisfies readonly Permission[];

export interface RepoConfig {
  workflow: string;
  ref: string;
  runner_labels: string[];
  check_name: string;
  triggers: { push: string[]; pull_request: boolean };
  smoke_tests: SmokeTestsSettings;
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
  /** Absent unless written: ./targets.ts fills the default (see DEFAULT_MAX_GROWTH). */
  artifacts?: { max_growth?: number };
  /**
   * The `targets:` mapping as written (validated), absent for a single-target file. Callers read
   * the resolved list from `targetsOf(config)` in ./targets.ts, never this.
   */
  targets?: Record<string, TargetSettings>;
}

/**
 * `smoke_tests` as written. The slowdown keys stay absent unless written (so a file without them
 * parses to exactly what it did before targets existed); ./targets.ts resolves their defaults.
 */
export interface SmokeTestsSettings {
  artifact: string;
  min_pass_rate: number;
  slowdown_factor?: number;
  slowdown_window?: number;
  slowdown_min_samples?: number;
  /** `false` (or absent): a slowdown never fails the check. */
  max_slowdown?: number | false;
}

/** One entry of `targets:` as written: what it does not set comes from the top level. */
export interface TargetSettings {
  runner_labels: string[];
  baseline: boolean;
  check_name?: string;
  workflow?: string;
  inputs?: Record<string, string>;
  smoke_tests?: Partial<SmokeTestsSettings>;
  timeout_minutes?: number;
}

/** Each target is one dispatch per push, one check run and one runner pool busy: keep it a handful. */
const MAX_TARGETS = 8;

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

const artifactName = nonEmptyText('an artifact name').check(
  z.refine((s) => !ARTIFACT_FORBIDDEN.test(s), {
    error: 'must be a valid artifact name (no " : < > | * ? \\ / or line breaks)',
  }),
);

const fraction = (example: string) =>
  z
    .number({ error: expected(`a number between 0 and 1, e.g. ${example}`) })
    .check(
      z.minimum(0, { error: 'must be between 0 and 1' }),
      z.maximum(1, { error: `must be between 0 and 1 (write ${example})` }),
    );

const minPassRate = fraction('0.9 for 90%');

const slowdownFactor = z
  .number({ error: expected('a number above 1, e.g. 1.5 to flag a test that takes 50% longer than usual') })
  .check(
    z.refine((n: number) => n > 1, { error: 'must be above 1 (1.5 flags a test that takes 50% longer than its median)' }),
    z.maximum(100, { error: 'must be at most 100' }),
  );

/** Largest accepted `max_slowdown`: any count a real suite reaches. */
const MAX_SLOWDOWN_LIMIT = 100_000;

/** A whole number of flagged tests the check tolerates, or `false` (slowdowns never fail it). */
const maxSlowdown = z.pipe(
  z.unknown().check(
    z.refine((v: unknown) => v === false || (Number.isInteger(v) && (v as number) >= 0 && (v as number) <= MAX_SLOWDOWN_LIMIT), {
      error: (iss: { input?: unknown }) =>
        `must be how many flagged slowdowns the check tolerates (a whole number; 0 fails it on any slowdown) or false, not ${describe(iss.input)}`,
    }),
  ),
  z.transform((v: unknown) => v as number | false),
);

/**
 * The slowdown keys of `smoke_tests`. They have no schema default, so a file that omits them
 * parses exactly as before they existed; ./targets.ts resolves them.
 */
const slowdownFields = {
  slowdown_factor: nullAsMissing(z.optional(slowdownFactor)),
  slowdown_window: nullAsMissing(z.optional(wholeNumber(1, 100, 'runs'))),
  slowdown_min_samples: nullAsMissing(z.optional(wholeNumber(1, 100, 'runs'))),
  max_slowdown: nullAsMissing(z.optional(maxSlowdown)),
};

const smokeTestsError = { error: expected('a mapping with `artifact` and `min_pass_rate`') };

const topSmokeTestsSchema = z.strictObject(
  {
    artifact: nullAsMissing(z._default(artifactName, 'smoke-test-results')),
    min_pass_rate: nullAsMissing(z._default(minPassRate, 1)),
    ...slowdownFields,
  },
  smokeTestsError,
);

/** Inside a target every key is optional: what it leaves out comes from the top level. */
const targetSmokeTestsSchema = z.strictObject(
  { artifact: nullAsMissing(z.optional(artifactName)), min_pass_rate: nullAsMissing(z.optional(minPassRate)), ...slowdownFields },
  smokeTestsError,
);

const artifactsSchema = z.strictObject(
  { max_growth: nullAsMissing(z.optional(fraction('0.1 for 10%'))) },
  { error: expected('a mapping with `max_growth`') },
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

const workflowSchema = z.string({ error: expected('the file name of a workflow in .github/workflows, e.g. arm64-ci.yml') }).check(
  z.superRefine((s: string, ctx) => {
    if (/[/\\]/.test(s))
      ctx.addIssue({
        code: 'custom',
        message: 'must be a file name only, without a directory: the file must be in .github/workflows (e.g. arm64-ci.yml)',
      });
    else if (!/^\S.*\.ya?ml$/i.test(s))
      ctx.addIssue({ code: 'custom', message: 'must be a workflow file name ending in .yml or .yaml, e.g. arm64-ci.yml' });
  }),
);

const runnerLabelsSchema = listOf(nonEmptyText('a runner label'), 'a list of runner labels, e.g. [self-hosted, arm64]').check(
  z.refine((a: string[]) => a.length > 0, { error: 'must list at least one runner label, e.g. [self-hosted, arm64]' }),
  z.superRefine(uniqueCaseInsensitive('runner label')),
);

const DEFAULT_RUNNER_LABELS = ['self-hosted', 'arm64'];

/** One entry of `targets:`. A target is a runner pool, so it names its labels itself. */
const targetSchema = z.strictObject(
  {
    runner_labels: nullAsMissing(runnerLabelsSchema),
    baseline: nullAsMissing(z._default(z.boolean({ error: expected('true or false') }), false)),
    check_name: nullAsMissing(z.optional(nonEmptyText('a check name'))),
    workflow: nullAsMissing(z.optional(workflowSchema)),
    inputs: nullAsMissing(z.optional(inputsSchema)),
    smoke_tests: nullAsMissing(z.optional(targetSmokeTestsSchema)),
    timeout_minutes: nullAsMissing(z.optional(wholeNumber(1, 4320, 'minutes'))),
  },
  { error: expected('a mapping of target settings with at least `runner_labels`, e.g. `{ runner_labels: [self-hosted, arm64, dgx] }`') },
);

const targetsSchema = z.record(z.string(), targetSchema, {
  error: expected('a mapping of target names to their settings, e.g. `dgx: { runner_labels: [self-hosted, arm64, dgx] }`'),
});

function configObject(defaultBranch: string) {
  return z.strictObject({
    workflow: workflowSchema,
    ref: nullAsMissing(
      z._default(
        nonEmptyText('a branch name').check(z.refine((s) => !/\s/.test(s), { error: 'must be a branch name without spaces' })),
        defaultBranch,
      ),
    ),
    // No schema default: the rules below must know whether it was written (see configSchema).
    runner_labels: nullAsMissing(z.optional(runnerLabelsSchema)),
    check_name: nullAsMissing(z._default(nonEmptyText('a check name'), 'arm64 CI')),
    triggers: nullAsMissing(z.prefault(triggersSchema(defaultBranch), {})),
    smoke_tests: nullAsMissing(z.prefault(topSmokeTestsSchema, {})),
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
    artifacts: nullAsMissing(z.optional(artifactsSchema)),
    targets: nullAsMissing(z.optional(targetsSchema)),
  });
}

type ConfigObject = z.output<ReturnType<typeof configObject>>;

/**
 * The rules that relate one setting to another: the slowdown window against its sample count, and
 * the `targets:` rules. zod runs them once every value has the right type (a type error elsewhere
 * is reported first, with any unknown keys), but also when a value failed a range or text check,
 * so they must not assume any value passed its own checks.
 *
 * With `targets:`:
 * - at least one target, at most MAX_TARGETS (each is a dispatch per push);
 * - names are safe identifiers, distinct without regard to case (they appear in URLs and commands);
 * - at most one `baseline: true` (the comparison needs one reference), at least one target that is
 *   not the baseline (a baseline alone measures nothing);
 * - top-level `runner_labels` is an error: a target is a runner pool and names its own labels, so a
 *   target that silently ran on a default pool (an x86 baseline on arm64 runners) cannot happen;
 * - check names, after defaults, are distinct without regard to case (branch protection tells
 *   checks apart by name);
 * - a target's inputs merged over the top level's still fit GitHub's input limit.
 */
function crossRules(c: ConfigObject, ctx: $RefinementCtx<ConfigObject>): void {
  const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path, message });

  const sampleRule = (smoke: Partial<SmokeTestsSettings>, merged: Partial<SmokeTestsSettings>, at: (string | number)[]) => {
    const window = merged.slowdown_window ?? SLOWDOWN_DEFAULTS.window;
    const samples = merged.slowdown_min_samples ?? SLOWDOWN_DEFAULTS.minSamples;
    // zod runs this rule even when a range check failed: a value out of range has its own problem.
    const inRange = (n: number) => Number.isInteger(n) && n >= 1 && n <= 100;
    if (samples <= window || !inRange(window) || !inRange(samples)) return;
    // Point at whichever of the two this level wrote (the sample count when it wrote both).
    const key = smoke.slowdown_min_samples !== undefined ? 'slowdown_min_samples' : 'slowdown_window';
    issue(
      [...at, key],
      `leaves slowdown_min_samples (${samples}) above slowdown_window (${window}): the last ${window} runs never hold ${samples} samples, so no slowdown could ever be flagged`,
    );
  };
  sampleRule(c.smoke_tests, c.smoke_tests, ['smoke_tests']);

  const targets = c.targets;
  if (targets === undefined) return;
  const names = Object.keys(targets);
  if (c.runner_labels !== undefined)
    issue(
      ['runner_labels', KEY_MARK],
      'cannot be used together with `targets`: each target names its own runner_labels (move these into a target)',
    );
  if (names.length === 0) {
    issue(
      ['targets'],
      'must declare at least one target, e.g. `dgx: { runner_labels: [self-hosted, arm64, dgx] }` (or remove `targets:` to use the top-level settings as one target)',
    );
    return;
  }
  if (names.length > MAX_TARGETS)
    issue(['targets', KEY_MARK], `declares ${names.length} targets; at most ${MAX_TARGETS} are allowed (each is a dispatch and a check run on every push)`);

  const seenNames = new Map<string, string>();
  const seenChecks = new Map<string, string>();
  let baseline: string | null = null;
  for (const name of names) {
    const t = targets[name]!;
    if (!isTargetName(name))
      issue(
        ['targets', name, KEY_MARK],
        `${codeSpan(clip(name, MAX_TARGET_NAME + 9))} is not a valid target name: use ${TARGET_NAME_RULE}`,
      );
    const other = seenNames.get(name.toLowerCase());
    if (other !== undefined)
      issue(['targets', name, KEY_MARK], `${codeSpan(name)} differs from ${codeSpan(other)} only in case; target names are compared without regard to case`);
    else seenNames.set(name.toLowerCase(), name);

    if (t.baseline) {
      if (baseline === null) baseline = name;
      else issue(['targets', name, 'baseline'], `only one target can be the baseline, and ${codeSpan(baseline)} already is`);
    }

    const checkName = targetCheckName(c.check_name, name, t);
    const clash = seenChecks.get(checkName.toLowerCase());
    if (clash === undefined) seenChecks.set(checkName.toLowerCase(), name);
    // Two names differing only in case already have their problem; their default check names would repeat it.
    else if (!(other !== undefined && t.check_name === undefined))
      issue(
        t.check_name !== undefined ? ['targets', name, 'check_name'] : ['targets', name, KEY_MARK],
        `gives the check name ${codeSpan(checkName)}, which target ${codeSpan(clash)} already uses; check names must differ (branch protection tells checks apart by name)`,
      );

    if (t.inputs !== undefined) {
      const merged = Object.keys(mergeInputs(c.inputs, t.inputs)).length;
      if (merged > MAX_EXTRA_INPUTS)
        issue(
          ['targets', name, 'inputs'],
          `makes ${merged} inputs together with the top-level inputs; at most ${MAX_EXTRA_INPUTS} are allowed (GitHub accepts 25 workflow inputs and the coordinator sends ${RESERVED_INPUTS.length})`,
        );
    }
    // Only a target that sets one of the two can break the rule on its own (the top level's own pair was checked above).
    const own = t.smoke_tests;
    if (own !== undefined && (own.slowdown_window !== undefined || own.slowdown_min_samples !== undefined))
      sampleRule(own, { ...c.smoke_tests, ...definedOnly(own) }, ['targets', name, 'smoke_tests']);
  }
  if (baseline !== null && names.length === 1)
    issue(['targets', baseline, 'baseline'], 'leaves no target to compare with the baseline: declare at least one target without `baseline: true`');
}

/** The keys of `o` whose value is not undefined (so a spread does not overwrite with undefined). */
function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/**
 * The whole file: its settings, the rules across them, then the one default that needed to know
 * whether it was written (top-level `runner_labels`).
 */
function configSchema(defaultBranch: string) {
  return z.pipe(
    configObject(defaultBranch).check(z.superRefine(crossRules)),
    z.transform((c: ConfigObject) => ({ ...c, runner_labels: c.runner_labels ?? [...DEFAULT_RUNNER_LABELS] })),
  );
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
type SchemaOutput = Omit<ConfigObject, 'runner_labels'> & { runner_labels: string[] };
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const schemaMatchesInterface: Same<SchemaOutput, RepoConfig> = true;
void schemaMatchesInterface;

/** Keys allowed in each mapping, by dotted parent path: used to suggest a fix for a typo. */
export const KNOWN_KEYS: Record<string, readonly string[]> = {
  '': Object.keys(configObject('main').shape),
  triggers: Object.keys(triggersSchema('main').shape),
  smoke_tests: Object.keys(topSmokeTestsSchema.shape),
  commands: Object.keys(commandsSchema.shape),
  annotations: Object.keys(annotationsSchema.shape),
  artifacts: Object.keys(artifactsSchema.shape),
  'targets.*': Object.keys(targetSchema.shape),
  'targets.*.smoke_tests': Object.keys(targetSmokeTestsSchema.shape),
};

/** The KNOWN_KEYS entry for a mapping's path: any target's settings share `targets.*`. */
export function knownKeysAt(path: readonly (string | number)[]): readonly string[] {
  const parts = path.map(String);
  if (parts[0] === 'targets' && parts.length >= 2) parts[1] = '*';
  return KNOWN_KEYS[parts.join('.')] ?? [];
}
