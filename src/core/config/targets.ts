/**
 * Targets: the runner pools a repository is checked on, each with its own dispatch, check run,
 * smoke rules and badges. A config without `targets:` is one target called `default` built from
 * the top-level settings; with `targets:`, each entry inherits what it does not set from the top
 * level. This module turns a parsed RepoConfig into fully resolved targets and picks targets by
 * name (slash commands, badge queries). Pure.
 */
import { DEFAULT_MAX_GROWTH } from '../compare/artifacts';
import { SLOWDOWN_DEFAULTS } from '../compare/slowdown';
import { DEFAULT_TARGET } from '../default-target';
import { codeSpan } from '../markdown';
import { isHostedRequest } from '../routing';
import { clip } from '../text';
import { nearest } from './locate';
import type { RepoConfig, SmokeTestsSettings, TargetSettings } from './schema';

export interface ResolvedSmokeTests {
  artifact: string;
  min_pass_rate: number;
  /** A test at least this many times its base-branch median is flagged as a slowdown. */
  slowdown_factor: number;
  /** The median is taken over at most this many recent base-branch runs… */
  slowdown_window: number;
  /** …and only when at least this many of them timed the test. */
  slowdown_min_samples: number;
  /** More flagged slowdowns than this fail the check; null: slowdowns never fail it. */
  max_slowdown: number | null;
}

/** One target with every setting decided: what the worker dispatches, checks and records. */
export interface ResolvedTarget {
  /** `default` for a config without `targets:`. */
  name: string;
  /** The reference the other targets are compared with (x86, usually). At most one per config. */
  baseline: boolean;
  runner_labels: string[];
  /** The labels name a GitHub-hosted image: no self-hosted runner to match or to warn about. */
  hosted: boolean;
  /** `arm64 CI` for the single default target; `arm64 CI (dgx)` for a named one unless it sets its own. */
  check_name: string;
  workflow: string;
  /** Top-level inputs with the target's merged over them. */
  inputs: Record<string, string>;
  timeout_minutes: number;
  smoke_tests: ResolvedSmokeTests;
  artifacts: { max_growth: number };
}

/**
 * Every target, in declaration order (the order of dispatches and check runs). Never empty: the
 * schema refuses `targets: {}`.
 */
export function targetsOf(config: RepoConfig): ResolvedTarget[] {
  const artifacts = { max_growth: config.artifacts?.max_growth ?? DEFAULT_MAX_GROWTH };
  if (config.targets === undefined)
    return [
      {
        name: DEFAULT_TARGET,
        baseline: false,
        runner_labels: [...config.runner_labels],
        hosted: isHostedRequest(config.runner_labels),
        check_name: config.check_name,
        workflow: config.workflow,
        inputs: { ...config.inputs },
        timeout_minutes: config.timeout_minutes,
        smoke_tests: resolveSmoke(config.smoke_tests, undefined),
        artifacts,
      },
    ];
  return Object.entries(config.targets).map(([name, t]) => ({
    name,
    baseline: t.baseline,
    runner_labels: [...t.runner_labels],
    hosted: isHostedRequest(t.runner_labels),
    check_name: targetCheckName(config.check_name, name, t),
    workflow: t.workflow ?? config.workflow,
    inputs: t.inputs === undefined ? { ...config.inputs } : mergeInputs(config.inputs, t.inputs),
    timeout_minutes: t.timeout_minutes ?? config.timeout_minutes,
    smoke_tests: resolveSmoke(config.smoke_tests, t.smoke_tests),
    artifacts: { ...artifacts },
  }));
}

/** The target whose badge a URL without `?target=` shows: the first that is not the baseline. */
export function defaultBadgeTarget(config: RepoConfig): ResolvedTarget {
  const targets = targetsOf(config);
  // The schema guarantees a non-baseline target; the fallback only keeps the type honest.
  return targets.find((t) => !t.baseline) ?? targets[0]!;
}

/** The baseline target, or null when none is declared (then nothing is compared). */
export function baselineTarget(config: RepoConfig): ResolvedTarget | null {
  return targetsOf(config).find((t) => t.baseline) ?? null;
}

export type TargetChoice = { ok: true; targets: ResolvedTarget[] } | { ok: false; error: string };

/**
 * The targets a command or a query names: `null` → every target (the baseline included, so a
 * comparison has its reference); a name → that target, matched exactly or else without regard to
 * case. An unknown name is an error (Markdown, for a reply) that lists the valid names and the
 * likeliest one.
 */
export function resolveTargets(config: RepoConfig, requested: string | null): TargetChoice {
  const targets = targetsOf(config);
  if (requested === null) return { ok: true, targets };
  const found =
    targets.find((t) => t.name === requested) ?? targets.find((t) => t.name.toLowerCase() === requested.toLowerCase());
  if (found) return { ok: true, targets: [found] };

  const asked = codeSpan(clip(requested, 41));
  if (config.targets === undefined)
    return {
      ok: false,
      error: `there is no target ${asked}: this repository has a single target, ${codeSpan(DEFAULT_TARGET)} (declare more under \`targets:\` in \`.github/arm64-ci.yml\`)`,
    };
  const names = targets.map((t) => t.name);
  const guess = nearest(requested, names.map((n) => n.toLowerCase()));
  const hint = guess === null ? '' : ` Did you mean ${codeSpan(names.find((n) => n.toLowerCase() === guess)!)}?`;
  return {
    ok: false,
    error: `there is no target ${asked}; this repository's targets are ${names.map((n) => codeSpan(n)).join(', ')}.${hint}`,
  };
}

/**
 * `<check_name> (<target>)` unless the target sets its own: several check runs on one commit need
 * distinct names, and the target's name is the part a reader looks for.
 */
export function targetCheckName(topCheckName: string, name: string, target: Pick<TargetSettings, 'check_name'>): string {
  return target.check_name ?? `${topCheckName} (${name})`;
}

/**
 * Target inputs over top-level ones. GitHub compares input names without regard to case, so a
 * target's `Python` replaces a top-level `python` (the target's spelling is kept).
 */
export function mergeInputs(top: Record<string, string>, target: Record<string, string>): Record<string, string> {
  const overridden = new Set(Object.keys(target).map((k) => k.toLowerCase()));
  // fromEntries defines properties, so an input named `__proto__` stays an input.
  return Object.fromEntries([...Object.entries(top).filter(([k]) => !overridden.has(k.toLowerCase())), ...Object.entries(target)]);
}

function resolveSmoke(top: SmokeTestsSettings, target: Partial<SmokeTestsSettings> | undefined): ResolvedSmokeTests {
  const pick = <K extends keyof SmokeTestsSettings>(key: K): SmokeTestsSettings[K] | undefined =>
    target?.[key] !== undefined ? target[key] : top[key];
  const max = pick('max_slowdown');
  return {
    artifact: pick('artifact') ?? top.artifact,
    min_pass_rate: pick('min_pass_rate') ?? top.min_pass_rate,
    slowdown_factor: pick('slowdown_factor') ?? SLOWDOWN_DEFAULTS.factor,
    slowdown_window: pick('slowdown_window') ?? SLOWDOWN_DEFAULTS.window,
    slowdown_min_samples: pick('slowdown_min_samples') ?? SLOWDOWN_DEFAULTS.minSamples,
    max_slowdown: max === undefined || max === false ? null : max,
  };
}

/** Whether the file declares `targets:` (then dispatches, history and badges carry a target name). */
export const hasNamedTargets = (config: RepoConfig): boolean => config.targets !== undefined;

/**
 * The config as one target sees it: the top-level settings a target may override replaced by its
 * resolved ones, and no `targets:`. Everything that dispatches, checks and judges one run reads a
 * RepoConfig; handing it this view keeps one code path for a single-target file (where the view is
 * the config itself) and for each named target.
 */
export function configForTarget(config: RepoConfig, target: ResolvedTarget): RepoConfig {
  if (!hasNamedTargets(config)) return config;
  const { targets: _named, ...rest } = config;
  const smoke: SmokeTestsSettings = {
    artifact: target.smoke_tests.artifact,
    min_pass_rate: target.smoke_tests.min_pass_rate,
    slowdown_factor: target.smoke_tests.slowdown_factor,
    slowdown_window: target.smoke_tests.slowdown_window,
    slowdown_min_samples: target.smoke_tests.slowdown_min_samples,
    ...(target.smoke_tests.max_slowdown === null ? {} : { max_slowdown: target.smoke_tests.max_slowdown }),
  };
  return {
    ...rest,
    workflow: target.workflow,
    runner_labels: [...target.runner_labels],
    check_name: target.check_name,
    inputs: { ...target.inputs },
    timeout_minutes: target.timeout_minutes,
    smoke_tests: smoke,
    artifacts: { ...target.artifacts },
  };
}
