import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseConfig } from './parse';
import { renderConfigProblems, type ConfigProblem } from './problems';
import type { RepoConfig } from './schema';
import { baselineTarget, configForTarget, defaultBadgeTarget, mergeInputs, resolveTargets, targetsOf, type ResolvedTarget } from './targets';

const ctx = { defaultBranch: 'main' };

function ok(text: string): RepoConfig {
  const r = parseConfig(text, ctx);
  if (!r.ok) throw new Error(`expected ok, got ${JSON.stringify(r.problems, null, 2)}`);
  return r.config;
}

function problems(text: string): ConfigProblem[] {
  const r = parseConfig(text, ctx);
  if (r.ok) throw new Error(`expected problems, got ${JSON.stringify(r.config)}`);
  return r.problems;
}

function problem(text: string): ConfigProblem {
  const ps = problems(text);
  expect(ps, JSON.stringify(ps, null, 2)).toHaveLength(1);
  return ps[0]!;
}

const w = 'workflow: arm64-ci.yml\n';

// The example in README.md ("Several targets"), verbatim: a newcomer copies exactly this.
const THREE_TARGETS = `workflow: arm64-ci.yml
targets:
  dgx:      { runner_labels: [self-hosted, arm64, dgx] }
  graviton: { runner_labels: [self-hosted, arm64, graviton], smoke_tests: { min_pass_rate: 0.9 } }
  x86:      { runner_labels: [ubuntu-24.04], baseline: true }
`;

const SMOKE_DEFAULTS = {
  artifact: 'smoke-test-results',
  min_pass_rate: 1,
  slowdown_factor: 1.5,
  slowdown_window: 10,
  slowdown_min_samples: 5,
  max_slowdown: null,
};

const names = (ts: ResolvedTarget[]) => ts.map((t) => t.name);

describe('targetsOf: a file without targets is one target called default', () => {
  it('resolves every setting from the top level, keeping today’s check name', () => {
    const config = ok(
      `${w}runner_labels: [self-hosted, arm64, dgx]\ninputs:\n  python: '3.12'\ntimeout_minutes: 30\nsmoke_tests:\n  min_pass_rate: 0.8\n`,
    );
    expect(config.targets).toBeUndefined();
    expect(targetsOf(config)).toEqual([
      {
        name: 'default',
        baseline: false,
        runner_labels: ['self-hosted', 'arm64', 'dgx'],
        hosted: false,
        check_name: 'arm64 CI',
        workflow: 'arm64-ci.yml',
        inputs: { python: '3.12' },
        timeout_minutes: 30,
        smoke_tests: { ...SMOKE_DEFAULTS, min_pass_rate: 0.8 },
        artifacts: { max_growth: 0.1 },
      },
    ]);
  });

  it('uses the default labels and a custom top-level check name', () => {
    const [t] = targetsOf(ok(`${w}check_name: arm64 (spark)\n`));
    expect(t).toMatchObject({ name: 'default', runner_labels: ['self-hosted', 'arm64'], check_name: 'arm64 (spark)' });
  });

  it('reads the slowdown and artifact settings when written', () => {
    const [t] = targetsOf(
      ok(
        `${w}smoke_tests:\n  slowdown_factor: 2\n  slowdown_window: 20\n  slowdown_min_samples: 8\n  max_slowdown: 0\nartifacts:\n  max_growth: 0.25\n`,
      ),
    );
    expect(t!.smoke_tests).toEqual({ ...SMOKE_DEFAULTS, slowdown_factor: 2, slowdown_window: 20, slowdown_min_samples: 8, max_slowdown: 0 });
    expect(t!.artifacts).toEqual({ max_growth: 0.25 });
  });

  it('reads max_slowdown: false as off, and empty keys as their defaults', () => {
    expect(targetsOf(ok(`${w}smoke_tests:\n  max_slowdown: false\n`))[0]!.smoke_tests.max_slowdown).toBeNull();
    const [t] = targetsOf(ok(`${w}targets:\nartifacts:\nsmoke_tests:\n  slowdown_factor:\n  max_slowdown:\n`));
    expect(t).toMatchObject({ name: 'default', smoke_tests: SMOKE_DEFAULTS, artifacts: { max_growth: 0.1 } });
  });

  it('marks GitHub-hosted labels as hosted', () => {
    expect(targetsOf(ok(`${w}runner_labels: ubuntu-24.04-arm\n`))[0]!.hosted).toBe(true);
  });

  it('hands out copies: changing a resolved target does not change the config', () => {
    const config = ok(`${w}inputs:\n  a: x\n`);
    const [t] = targetsOf(config);
    t!.inputs['a'] = 'changed';
    t!.runner_labels.push('extra');
    expect(config.inputs).toEqual({ a: 'x' });
    expect(config.runner_labels).toEqual(['self-hosted', 'arm64']);
  });
});

describe('targetsOf: named targets', () => {
  it('resolves the README example: three targets in declaration order, named checks, x86 the hosted baseline', () => {
    const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
    expect(readme).toContain(THREE_TARGETS);
    const targets = targetsOf(ok(THREE_TARGETS));
    expect(targets).toEqual([
      {
        name: 'dgx',
        baseline: false,
        runner_labels: ['self-hosted', 'arm64', 'dgx'],
        hosted: false,
        check_name: 'arm64 CI (dgx)',
        workflow: 'arm64-ci.yml',
        inputs: {},
        timeout_minutes: 360,
        smoke_tests: SMOKE_DEFAULTS,
        artifacts: { max_growth: 0.1 },
      },
      {
        name: 'graviton',
        baseline: false,
        runner_labels: ['self-hosted', 'arm64', 'graviton'],
        hosted: false,
        check_name: 'arm64 CI (graviton)',
        workflow: 'arm64-ci.yml',
        inputs: {},
        timeout_minutes: 360,
        smoke_tests: { ...SMOKE_DEFAULTS, min_pass_rate: 0.9 },
        artifacts: { max_growth: 0.1 },
      },
      {
        name: 'x86',
        baseline: true,
        runner_labels: ['ubuntu-24.04'],
        hosted: true,
        check_name: 'arm64 CI (x86)',
        workflow: 'arm64-ci.yml',
        inputs: {},
        timeout_minutes: 360,
        smoke_tests: SMOKE_DEFAULTS,
        artifacts: { max_growth: 0.1 },
      },
    ]);
  });

  it('keeps the declaration order, whatever the names', () => {
    const config = ok(`${w}targets:\n  zeta: {runner_labels: [z]}\n  alpha: {runner_labels: [a]}\n  m-1: {runner_labels: [m]}\n`);
    expect(names(targetsOf(config))).toEqual(['zeta', 'alpha', 'm-1']);
  });

  it('lets a target override workflow, timeout, check name, inputs and smoke settings, inheriting the rest', () => {
    const config = ok(`${w}check_name: arm64
timeout_minutes: 90
inputs:
  python: '3.12'
  Mode: fast
smoke_tests:
  artifact: junit
  min_pass_rate: 0.95
  slowdown_factor: 2
  max_slowdown: 3
artifacts: {max_growth: 0.2}
targets:
  spark:
    runner_labels: [self-hosted, arm64, dgx]
    check_name: arm64 CI
    workflow: spark.yml
    timeout_minutes: 30
    inputs:
      mode: thorough
      cuda: '12.4'
    smoke_tests:
      min_pass_rate: 0.5
      max_slowdown: false
  pi:
    runner_labels: [self-hosted, arm64, pi]
`);
    const [spark, pi] = targetsOf(config);
    expect(spark).toEqual({
      name: 'spark',
      baseline: false,
      runner_labels: ['self-hosted', 'arm64', 'dgx'],
      hosted: false,
      check_name: 'arm64 CI',
      workflow: 'spark.yml',
      inputs: { python: '3.12', mode: 'thorough', cuda: '12.4' },
      timeout_minutes: 30,
      smoke_tests: { ...SMOKE_DEFAULTS, artifact: 'junit', min_pass_rate: 0.5, slowdown_factor: 2, max_slowdown: null },
      artifacts: { max_growth: 0.2 },
    });
    expect(pi).toEqual({
      name: 'pi',
      baseline: false,
      runner_labels: ['self-hosted', 'arm64', 'pi'],
      hosted: false,
      check_name: 'arm64 (pi)',
      workflow: 'arm64-ci.yml',
      inputs: { python: '3.12', Mode: 'fast' },
      timeout_minutes: 90,
      smoke_tests: { ...SMOKE_DEFAULTS, artifact: 'junit', min_pass_rate: 0.95, slowdown_factor: 2, max_slowdown: 3 },
      artifacts: { max_growth: 0.2 },
    });
  });

  it('accepts exactly 8 targets and a 32-character name', () => {
    const long = `a${'b'.repeat(31)}`;
    const list = Array.from({ length: 7 }, (_, i) => `  t${i}: {runner_labels: [l${i}]}`).join('\n');
    const targets = targetsOf(ok(`${w}targets:\n${list}\n  ${long}: {runner_labels: [x], baseline: true}\n`));
    expect(targets).toHaveLength(8);
    expect(targets[7]).toMatchObject({ name: long, check_name: `arm64 CI (${long})`, baseline: true });
  });

});

describe('mergeInputs', () => {
  it('lets the target replace a top-level input named the same without regard to case, in its own spelling', () => {
    expect(mergeInputs({ Python: '3.11', keep: 'k' }, { python: '3.12' })).toEqual({ keep: 'k', python: '3.12' });
  });

  it('keeps an input named __proto__ as data, never as the prototype', () => {
    const top = JSON.parse('{"__proto__": "top", "other": "x"}') as Record<string, string>;
    const merged = mergeInputs(top, { extra: 'y' });
    expect(Object.keys(merged)).toEqual(['__proto__', 'other', 'extra']);
    expect(Object.getPrototypeOf(merged)).toBe(Object.prototype);
  });
});

describe('defaultBadgeTarget and baselineTarget', () => {
  it('picks the first target that is not the baseline, even when the baseline comes first', () => {
    const config = ok(`${w}targets:\n  x86: {runner_labels: [ubuntu-24.04], baseline: true}\n  dgx: {runner_labels: [dgx]}\n  pi: {runner_labels: [pi]}\n`);
    expect(defaultBadgeTarget(config).name).toBe('dgx');
    expect(baselineTarget(config)?.name).toBe('x86');
  });

  it('is the default target for a single-target file, which has no baseline', () => {
    const config = ok(w);
    expect(defaultBadgeTarget(config).name).toBe('default');
    expect(baselineTarget(config)).toBeNull();
  });

  it('has no baseline when no target is marked', () => {
    expect(baselineTarget(ok(`${w}targets:\n  a: {runner_labels: [a]}\n  b: {runner_labels: [b]}\n`))).toBeNull();
  });
});

describe('resolveTargets', () => {
  const three = ok(THREE_TARGETS);

  it('no target named → every target, the baseline included, in order', () => {
    const r = resolveTargets(three, null);
    expect(r.ok && names(r.targets)).toEqual(['dgx', 'graviton', 'x86']);
  });

  it('a name → that target alone, matched exactly or without regard to case', () => {
    for (const asked of ['graviton', 'Graviton', 'GRAVITON']) {
      const r = resolveTargets(three, asked);
      expect(r.ok && names(r.targets)).toEqual(['graviton']);
    }
    const x86 = resolveTargets(three, 'x86');
    expect(x86.ok && x86.targets[0]!.baseline).toBe(true);
  });

  it('an unknown name → an error listing the valid names and the likeliest one', () => {
    const r = resolveTargets(three, 'graviton2');
    expect(r).toEqual({
      ok: false,
      error: "there is no target `graviton2`; this repository's targets are `dgx`, `graviton`, `x86`. Did you mean `graviton`?",
    });
    const far = resolveTargets(three, 'raspberry');
    expect(!far.ok && far.error).toBe("there is no target `raspberry`; this repository's targets are `dgx`, `graviton`, `x86`.");
  });

  it('a single-target repository answers to `default` and explains that it has only that one', () => {
    const single = ok(w);
    const r = resolveTargets(single, 'default');
    expect(r.ok && names(r.targets)).toEqual(['default']);
    const bad = resolveTargets(single, 'dgx');
    expect(!bad.ok && bad.error).toMatch(/^there is no target `dgx`: this repository has a single target, `default` \(declare more under `targets:`/);
  });

  it('clips a huge or odd requested name in the error', () => {
    const r = resolveTargets(three, 'x'.repeat(5000));
    expect(!r.ok && r.error.length).toBeLessThan(200);
    const tick = resolveTargets(three, 'a`b');
    expect(!tick.ok && tick.error).toContain('``a`b``');
  });
});

describe('targets: problems name the target and the line', () => {
  it('words a bad value inside a target the way the check run shows it', () => {
    const text = `workflow: arm64-ci.yml
targets:
  dgx:      { runner_labels: [self-hosted, arm64, dgx] }
  graviton: { runner_labels: [self-hosted, arm64, graviton], smoke_tests: { min_pass_rate: 90 } }
  x86:      { runner_labels: [ubuntu-24.04], baseline: true }
`;
    const { summary } = renderConfigProblems(problems(text));
    expect(summary).toContain('- line 4, `targets.graviton.smoke_tests.min_pass_rate`: must be between 0 and 1 (write 0.9 for 90%)');
  });

  it('points a missing runner_labels at the target’s own line', () => {
    const p = problem(`${w}targets:\n  dgx: {runner_labels: [dgx]}\n  pi:\n    check_name: pi\n`);
    expect(p).toMatchObject({ path: 'targets.pi.runner_labels', line: 4, column: 3 });
    expect(p.message).toMatch(/^is required: a list of runner labels/);
  });

  it.each<[string, string, string, number, RegExp]>([
    ['an empty mapping', 'targets: {}', 'targets', 2, /must declare at least one target.*or remove `targets:`/],
    ['a list', 'targets: [dgx, x86]', 'targets', 2, /mapping of target names to their settings.*not a list/],
    ['a string', 'targets: dgx', 'targets', 2, /mapping of target names.*not the text `dgx`/],
    ['an empty target', 'targets:\n  dgx:', 'targets.dgx', 3, /mapping of target settings with at least `runner_labels`.*not empty/],
    ['a target as a list', 'targets:\n  dgx: [self-hosted]', 'targets.dgx', 3, /mapping of target settings.*not a list/],
  ])('refuses %s', (_, yaml, path, line, message) => {
    const p = problem(`${w}${yaml}\n`);
    expect(p).toMatchObject({ path, line });
    expect(p.message).toMatch(message);
  });

  it.each<[string, string, string, RegExp]>([
    ['baseline not a boolean', 'baseline: yes', 'targets.t.baseline', /true or false, not the text `yes`/],
    ['a workflow with a directory', 'workflow: .github/workflows/x.yml', 'targets.t.workflow', /file name only/],
    ['a workflow that is not YAML', 'workflow: x.json', 'targets.t.workflow', /ending in .yml/],
    ['timeout 0', 'timeout_minutes: 0', 'targets.t.timeout_minutes', /at least 1/],
    ['an empty check name', 'check_name: ""', 'targets.t.check_name', /must not be empty/],
    ['a reserved input', 'inputs: {sha: x}', 'targets.t.inputs.sha', /set by the coordinator itself/],
    ['an unquoted number input', 'inputs: {python: 3.10}', 'targets.t.inputs.python', /put the value in quotes, e.g. `python: '3.10'`/],
    ['smoke tests as a list', 'smoke_tests: [a]', 'targets.t.smoke_tests', /must be a mapping/],
    ['a bad artifact name', 'smoke_tests: {artifact: "a/b"}', 'targets.t.smoke_tests.artifact', /valid artifact name/],
    ['a slowdown factor of 1', 'smoke_tests: {slowdown_factor: 1}', 'targets.t.smoke_tests.slowdown_factor', /must be above 1/],
  ])('refuses %s inside a target, at its line', (_, setting, path, message) => {
    const p = problem(`${w}targets:\n  dgx: {runner_labels: [dgx]}\n  t:\n    runner_labels: [t]\n    ${setting}\n`);
    expect(p).toMatchObject({ path, line: 6 });
    expect(p.message).toMatch(message);
  });

  it.each<[string, string, string, RegExp]>([
    ['no runner labels', '[]', 'targets.t.runner_labels', /at least one runner label/],
    ['a repeated label', '[arm64, ARM64]', 'targets.t.runner_labels[1]', /repeats runner label `ARM64`/],
    ['a mapping of labels', '{a: 1}', 'targets.t.runner_labels', /list of runner labels.*not a mapping/],
  ])('refuses %s as a target’s runner_labels', (_, labels, path, message) => {
    const p = problem(`${w}targets:\n  dgx: {runner_labels: [dgx]}\n  t:\n    runner_labels: ${labels}\n`);
    expect(p).toMatchObject({ path, line: 5 });
    expect(p.message).toMatch(message);
  });

  it('suggests the nearest target setting for a typo, and names top-level-only settings as such', () => {
    const ps = problems(
      `${w}targets:\n  dgx:\n    runner_label: [dgx]\n    ref: dev\n    smoke_tests: {min_passrate: 0.5}\n    triggers: {push: [main]}\n`,
    );
    expect(ps.map((p) => [p.path, p.line])).toEqual([
      // The typo leaves the target without its required labels: both are said, at the target and the typo.
      ['targets.dgx.runner_labels', 3],
      ['targets.dgx.runner_label', 4],
      ['targets.dgx.ref', 5],
      ['targets.dgx.smoke_tests.min_passrate', 6],
      ['targets.dgx.triggers', 7],
    ]);
    expect(ps[1]!.message).toBe('is not a known setting; did you mean `runner_labels`?');
    expect(ps[2]!.message).toMatch(/^cannot be set per target; set it at the top level \(a target can set runner_labels, baseline, check_name/);
    expect(ps[3]!.message).toBe('is not a known setting; did you mean `min_pass_rate`?');
    expect(ps[4]!.message).toMatch(/^cannot be set per target/);
  });
});

describe('targets: the rules across targets', () => {
  it('refuses top-level runner_labels together with targets, at that key', () => {
    const p = problem(`${w}runner_labels: [self-hosted, arm64]\ntargets:\n  dgx: {runner_labels: [dgx]}\n`);
    expect(p).toMatchObject({ path: 'runner_labels', line: 2, column: 1 });
    expect(p.message).toMatch(/cannot be used together with `targets`: each target names its own runner_labels/);
  });

  it('refuses more than 8 targets, at the targets key', () => {
    const list = Array.from({ length: 9 }, (_, i) => `  t${i}: {runner_labels: [l${i}]}`).join('\n');
    const p = problem(`${w}targets:\n${list}\n`);
    expect(p).toMatchObject({ path: 'targets', line: 2, column: 1 });
    expect(p.message).toMatch(/declares 9 targets; at most 8/);
  });

  it.each(['1st', 'has space', 'a.b', '-x', 'ä', `a${'b'.repeat(32)}`])('refuses the target name %j, at its key', (name) => {
    const p = problem(`${w}targets:\n  ok: {runner_labels: [a]}\n  "${name}": {runner_labels: [b]}\n`);
    expect(p).toMatchObject({ path: `targets.${name}`, line: 4, column: 3 });
    expect(p.message).toMatch(/is not a valid target name: use a letter, then letters, digits, - or _ \(at most 32 characters\)/);
  });

  it('refuses names that differ only in case, once, at the second', () => {
    const p = problem(`${w}targets:\n  dgx: {runner_labels: [a]}\n  DGX: {runner_labels: [b]}\n`);
    expect(p).toMatchObject({ path: 'targets.DGX', line: 4 });
    expect(p.message).toBe('`DGX` differs from `dgx` only in case; target names are compared without regard to case');
  });

  it('refuses a second baseline, at its baseline key', () => {
    const p = problem(
      `${w}targets:\n  dgx: {runner_labels: [a]}\n  x86: {runner_labels: [ubuntu-24.04], baseline: true}\n  amd:\n    runner_labels: [b]\n    baseline: true\n`,
    );
    expect(p).toMatchObject({ path: 'targets.amd.baseline', line: 7 });
    expect(p.message).toBe('only one target can be the baseline, and `x86` already is');
  });

  it('refuses a baseline with nothing to compare', () => {
    const p = problem(`${w}targets:\n  x86: {runner_labels: [ubuntu-24.04], baseline: true}\n`);
    expect(p).toMatchObject({ path: 'targets.x86.baseline', line: 3 });
    expect(p.message).toMatch(/no target to compare with the baseline/);
  });

  it('refuses a check name another target already gets, without regard to case', () => {
    const ps = problems(
      `${w}targets:\n  dgx: {runner_labels: [a]}\n  spark: {runner_labels: [b], check_name: "ARM64 ci (DGX)"}\n  pi: {runner_labels: [c], check_name: "arm64 CI (dgx)"}\n`,
    );
    expect(ps.map((p) => [p.path, p.line])).toEqual([
      ['targets.spark.check_name', 4],
      ['targets.pi.check_name', 5],
    ]);
    expect(ps[0]!.message).toBe(
      'gives the check name `ARM64 ci (DGX)`, which target `dgx` already uses; check names must differ (branch protection tells checks apart by name)',
    );
  });

  it('refuses a default check name that a target set explicitly before it, at the later target', () => {
    const p = problem(`${w}targets:\n  a: {runner_labels: [a], check_name: "arm64 CI (b)"}\n  b: {runner_labels: [b]}\n`);
    expect(p).toMatchObject({ path: 'targets.b', line: 4 });
  });

  it('counts a target’s inputs together with the top level’s, overrides counted once', () => {
    const top = Array.from({ length: 20 }, (_, i) => `  in${i}: v`).join('\n');
    // in0 overrides (case ignored); one new input makes 21: allowed.
    expect(targetsOf(ok(`${w}inputs:\n${top}\ntargets:\n  a:\n    runner_labels: [a]\n    inputs: {IN0: x, extra: y}\n`))[0]!.inputs).toHaveProperty(
      'IN0',
      'x',
    );
    const p = problem(`${w}inputs:\n${top}\ntargets:\n  a:\n    runner_labels: [a]\n    inputs: {extra1: x, extra2: y}\n`);
    expect(p).toMatchObject({ path: 'targets.a.inputs', line: 26 });
    expect(p.message).toMatch(/makes 22 inputs together with the top-level inputs; at most 21/);
  });

  it('checks the slowdown sample count against the window after merging a target over the top level', () => {
    const p = problem(`${w}smoke_tests:\n  slowdown_min_samples: 8\ntargets:\n  a:\n    runner_labels: [a]\n    smoke_tests: {slowdown_window: 6}\n`);
    expect(p).toMatchObject({ path: 'targets.a.smoke_tests.slowdown_window', line: 7 });
    expect(p.message).toMatch(/slowdown_min_samples \(8\) above slowdown_window \(6\)/);
  });

  it('reports a top-level sample count above the window once, not again for each target that inherits it', () => {
    const p = problem(`${w}smoke_tests:\n  slowdown_window: 3\ntargets:\n  a:\n    runner_labels: [a]\n    smoke_tests: {min_pass_rate: 0.5}\n  b: {runner_labels: [b]}\n`);
    expect(p).toMatchObject({ path: 'smoke_tests.slowdown_window', line: 3 });
  });

  it('reports unknown keys together with the rules, since neither stops the other', () => {
    const ps = problems(`${w}runner_labels: [a]\nbogus: 1\ntargets:\n  a: {runner_labels: [a]}\n`);
    expect(ps.map((p) => p.path)).toEqual(['runner_labels', 'bogus']);
  });
});

describe('the slowdown and artifact settings: each refuses its invalid forms at its line', () => {
  it.each<[string, string, string, RegExp]>([
    ['slowdown_factor of 1', 'smoke_tests:\n  slowdown_factor: 1', 'smoke_tests.slowdown_factor', /must be above 1 \(1.5 flags a test that takes 50% longer/],
    ['slowdown_factor below 1', 'smoke_tests:\n  slowdown_factor: 0.5', 'smoke_tests.slowdown_factor', /must be above 1/],
    ['slowdown_factor too big', 'smoke_tests:\n  slowdown_factor: 101', 'smoke_tests.slowdown_factor', /at most 100/],
    ['slowdown_factor as text', 'smoke_tests:\n  slowdown_factor: "1.5x"', 'smoke_tests.slowdown_factor', /a number above 1.*not the text `1.5x`/],
    ['slowdown_window 0', 'smoke_tests:\n  slowdown_window: 0', 'smoke_tests.slowdown_window', /at least 1 \(runs\)/],
    ['slowdown_window 101', 'smoke_tests:\n  slowdown_window: 101', 'smoke_tests.slowdown_window', /at most 100 \(runs\)/],
    ['slowdown_min_samples fractional', 'smoke_tests:\n  slowdown_min_samples: 2.5', 'smoke_tests.slowdown_min_samples', /whole number of runs/],
    ['slowdown_min_samples above the window', 'smoke_tests:\n  slowdown_min_samples: 11', 'smoke_tests.slowdown_min_samples', /\(11\) above slowdown_window \(10\)/],
    ['a window below the default sample count', 'smoke_tests:\n  slowdown_window: 3', 'smoke_tests.slowdown_window', /\(5\) above slowdown_window \(3\)/],
    ['max_slowdown true', 'smoke_tests:\n  max_slowdown: true', 'smoke_tests.max_slowdown', /a whole number; 0 fails it on any slowdown\) or false, not `true`/],
    ['max_slowdown negative', 'smoke_tests:\n  max_slowdown: -1', 'smoke_tests.max_slowdown', /or false, not the number -1/],
    ['max_slowdown fractional', 'smoke_tests:\n  max_slowdown: 1.5', 'smoke_tests.max_slowdown', /or false, not the number 1.5/],
    ['max_growth 10 (meant as percent)', 'artifacts:\n  max_growth: 10', 'artifacts.max_growth', /between 0 and 1 \(write 0.1 for 10%\)/],
    ['max_growth negative', 'artifacts:\n  max_growth: -0.1', 'artifacts.max_growth', /between 0 and 1/],
    ['max_growth as text', 'artifacts:\n  max_growth: 10%', 'artifacts.max_growth', /not the text `10%`/],
  ])('%s', (_, yaml, path, message) => {
    const p = problem(`${w}${yaml}\n`);
    expect(p).toMatchObject({ path, line: 3 });
    expect(p.message).toMatch(message);
  });

  it('refuses artifacts as a list and unknown artifact keys, suggesting the known one', () => {
    expect(problem(`${w}artifacts: [wheel]\n`)).toMatchObject({ path: 'artifacts', line: 2 });
    expect(problem(`${w}artifacts:\n  max_grow: 0.1\n`).message).toBe('is not a known setting; did you mean `max_growth`?');
  });

  it('accepts the limits: factor just above 1, window 1 with one sample, max_slowdown 0, max_growth 0 and 1', () => {
    const [t] = targetsOf(
      ok(`${w}smoke_tests:\n  slowdown_factor: 1.01\n  slowdown_window: 1\n  slowdown_min_samples: 1\n  max_slowdown: 0\nartifacts: {max_growth: 0}\n`),
    );
    expect(t!.smoke_tests).toMatchObject({ slowdown_factor: 1.01, slowdown_window: 1, slowdown_min_samples: 1, max_slowdown: 0 });
    expect(t!.artifacts.max_growth).toBe(0);
    expect(targetsOf(ok(`${w}artifacts: {max_growth: 1}\n`))[0]!.artifacts.max_growth).toBe(1);
  });
});

describe('configForTarget', () => {
  it('is the config itself for a file without targets', () => {
    const config = ok(`${w}runner_labels: [self-hosted, arm64]\n`);
    expect(configForTarget(config, targetsOf(config)[0]!)).toBe(config);
  });

  it("gives each named target the top-level settings with its own over them, and no targets", () => {
    const config = ok(THREE_TARGETS.replace('smoke_tests: { min_pass_rate: 0.9 }', "smoke_tests: { min_pass_rate: 0.9 }, workflow: g.yml, timeout_minutes: 30, inputs: { py: '3.12' }"));
    const graviton = configForTarget(config, targetsOf(config)[1]!);
    expect(graviton.targets).toBeUndefined();
    expect(graviton).toMatchObject({
      workflow: 'g.yml',
      runner_labels: ['self-hosted', 'arm64', 'graviton'],
      check_name: 'arm64 CI (graviton)',
      inputs: { py: '3.12' },
      timeout_minutes: 30,
      smoke_tests: { artifact: 'smoke-test-results', min_pass_rate: 0.9 },
      triggers: config.triggers,
      commands: config.commands,
    });
    expect(targetsOf(graviton)).toHaveLength(1);
  });
});
