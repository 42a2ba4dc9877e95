import { describe, expect, it } from 'vitest';
import { parseCommands } from '../commands';
import { codeSpan } from '../markdown';
import { formatPath } from './locate';
import { MAX_CONFIG_BYTES, parseConfig, type ConfigResult } from './parse';
import type { ConfigProblem } from './problems';
import type { RepoConfig } from './schema';

const ctx = { defaultBranch: 'main' };

function ok(text: string, c = ctx): RepoConfig {
  const r = parseConfig(text, c);
  if (!r.ok) throw new Error(`expected ok, got ${JSON.stringify(r.problems, null, 2)}`);
  return r.config;
}

function problems(text: string, c = ctx): ConfigProblem[] {
  const r: ConfigResult = parseConfig(text, c);
  if (r.ok) throw new Error(`expected problems, got ${JSON.stringify(r.config)}`);
  return r.problems;
}

/** The single problem reported for a file. */
function problem(text: string): ConfigProblem {
  const ps = problems(text);
  expect(ps, JSON.stringify(ps, null, 2)).toHaveLength(1);
  return ps[0]!;
}

const w = 'workflow: arm64-ci.yml\n';

// The start of the example in README.md ("Configure a repository"), verbatim.
const CONTRACT_EXAMPLE = `workflow: arm64-ci.yml              # required: file in .github/workflows with a workflow_dispatch trigger
ref: main                           # branch the workflow is dispatched on; default: default branch
runner_labels: [self-hosted, arm64, dgx]   # default [self-hosted, arm64]
check_name: arm64 CI                # default "arm64 CI"
triggers:
  push: [main, "release/*"]         # branch globs whose pushes are checked; default [default branch]
  pull_request: true                # check pull requests; default true
smoke_tests:
  artifact: smoke-test-results      # artifact of JUnit XML files; default "smoke-test-results"
  min_pass_rate: 1.0                # below it the check run fails; default 1.0
inputs:                             # extra workflow inputs (strings), overridable by /arm64 run key=value
  python-versions: '["3.8","3.9","3.10","3.11"]'
commands:
  prefix: /arm64                    # default /arm64
  min_permission: write             # write | maintain | admin; default write
trusted_users: []                   # outside contributors whose PRs run without /ok-to-test
`;

describe('parseConfig: valid files', () => {
  it('parses the example from the README', () => {
    expect(ok(CONTRACT_EXAMPLE)).toEqual({
      workflow: 'arm64-ci.yml',
      ref: 'main',
      runner_labels: ['self-hosted', 'arm64', 'dgx'],
      check_name: 'arm64 CI',
      triggers: { push: ['main', 'release/*'], pull_request: true },
      smoke_tests: { artifact: 'smoke-test-results', min_pass_rate: 1 },
      inputs: { 'python-versions': '["3.8","3.9","3.10","3.11"]' },
      commands: { prefix: '/arm64', min_permission: 'write' },
      trusted_users: [],
      trust_org_members: true,
      cancel_superseded: true,
      timeout_minutes: 360,
      dispatch_timeout_minutes: 10,
      annotations: { max: 50 },
      history_days: 90,
    });
  });

  it('fills every default from just the workflow, using the default branch for ref and push', () => {
    expect(ok(w, { defaultBranch: 'trunk' })).toEqual({
      workflow: 'arm64-ci.yml',
      ref: 'trunk',
      runner_labels: ['self-hosted', 'arm64'],
      check_name: 'arm64 CI',
      triggers: { push: ['trunk'], pull_request: true },
      smoke_tests: { artifact: 'smoke-test-results', min_pass_rate: 1 },
      inputs: {},
      commands: { prefix: '/arm64', min_permission: 'write' },
      trusted_users: [],
      trust_org_members: true,
      cancel_superseded: true,
      timeout_minutes: 360,
      dispatch_timeout_minutes: 10,
      annotations: { max: 50 },
      history_days: 90,
    });
  });

  it('accepts .yaml workflow files', () => {
    expect(ok('workflow: ci.yaml\n').workflow).toBe('ci.yaml');
  });

  it('treats keys left empty (`key:`) as absent, so defaults apply', () => {
    const c = ok(
      `${w}ref:\nrunner_labels:\ntriggers:\nsmoke_tests:\ninputs:\ncommands:\ntrusted_users:\ntimeout_minutes:\nannotations:\n`,
    );
    expect(c.ref).toBe('main');
    expect(c.runner_labels).toEqual(['self-hosted', 'arm64']);
    expect(c.triggers).toEqual({ push: ['main'], pull_request: true });
    expect(c.smoke_tests.min_pass_rate).toBe(1);
    expect(c.inputs).toEqual({});
    expect(c.commands.prefix).toBe('/arm64');
    expect(c.timeout_minutes).toBe(360);
    expect(c.annotations.max).toBe(50);
  });

  it('fills defaults inside a partly written section', () => {
    const c = ok(`${w}triggers:\n  pull_request: false\nsmoke_tests:\n  min_pass_rate: 0.8\n`);
    expect(c.triggers).toEqual({ push: ['main'], pull_request: false });
    expect(c.smoke_tests).toEqual({ artifact: 'smoke-test-results', min_pass_rate: 0.8 });
  });

  it('accepts a single string where a list is expected, as GitHub does for runs-on and branches', () => {
    const c = ok(`${w}runner_labels: arm64\ntriggers:\n  push: main\ntrusted_users: alice\n`);
    expect(c.runner_labels).toEqual(['arm64']);
    expect(c.triggers.push).toEqual(['main']);
    expect(c.trusted_users).toEqual(['alice']);
  });

  it('accepts an empty push list (pull requests only)', () => {
    expect(ok(`${w}triggers:\n  push: []\n`).triggers.push).toEqual([]);
  });

  it('reads trust_org_members (default true) as a boolean', () => {
    expect(ok(w).trust_org_members).toBe(true);
    expect(ok(`${w}trust_org_members: false\n`).trust_org_members).toBe(false);
    expect(ok(`${w}trust_org_members:\n`).trust_org_members).toBe(true);
  });

  it('strips a leading @ from trusted users', () => {
    expect(ok(`${w}trusted_users: ['@alice', bob]\n`).trusted_users).toEqual(['alice', 'bob']);
  });

  it('accepts every permission level and the range limits', () => {
    for (const p of ['write', 'maintain', 'admin'])
      expect(ok(`${w}commands:\n  min_permission: ${p}\n`).commands.min_permission).toBe(p);
    const lo = ok(
      `${w}timeout_minutes: 1\ndispatch_timeout_minutes: 1\nannotations: {max: 0}\nhistory_days: 1\nsmoke_tests: {min_pass_rate: 0}\n`,
    );
    expect([lo.timeout_minutes, lo.dispatch_timeout_minutes, lo.annotations.max, lo.history_days]).toEqual([1, 1, 0, 1]);
    expect(lo.smoke_tests.min_pass_rate).toBe(0);
    const hi = ok(`${w}timeout_minutes: 4320\ndispatch_timeout_minutes: 1440\nannotations: {max: 1000}\nhistory_days: 3650\n`);
    expect([hi.timeout_minutes, hi.dispatch_timeout_minutes, hi.annotations.max, hi.history_days]).toEqual([
      4320, 1440, 1000, 3650,
    ]);
  });

  it('accepts exactly 21 extra inputs', () => {
    const inputs = Array.from({ length: 21 }, (_, i) => `  in${i}: 'v'`).join('\n');
    expect(Object.keys(ok(`${w}inputs:\n${inputs}\n`).inputs)).toHaveLength(21);
  });

  it('keeps quoted input values exactly, including empty strings', () => {
    expect(ok(`${w}inputs:\n  python: '3.10'\n  flags: ""\n  _under: x\n`).inputs).toEqual({
      python: '3.10',
      flags: '',
      _under: 'x',
    });
  });

  it('reads a few aliases (a legitimate use) and a byte-order mark', () => {
    const c = ok(`\ufeff${w}runner_labels: &labels [self-hosted, arm64]\ntrusted_users: *labels\n`);
    expect(c.trusted_users).toEqual(['self-hosted', 'arm64']);
  });

  it('reads CRLF line endings', () => {
    expect(ok('workflow: a.yml\r\nref: dev\r\n').ref).toBe('dev');
  });

  it('accepts a file of exactly 64 KiB', () => {
    const text = `${w}#${'x'.repeat(MAX_CONFIG_BYTES - w.length - 2)}\n`;
    expect(text.length).toBe(MAX_CONFIG_BYTES);
    expect(ok(text).workflow).toBe('arm64-ci.yml');
  });
});

describe('parseConfig: whole-file problems', () => {
  it.each([
    ['empty', ''],
    ['only whitespace', '  \n\n'],
    ['only comments', '# arm64 CI config\n# todo\n'],
  ])('says an %s file is empty', (_, text) => {
    const p = problem(text);
    expect(p.path).toBe('');
    expect(p.message).toMatch(/empty.*workflow/);
  });

  it('refuses a list at the root', () => {
    const p = problem('- workflow: a.yml\n');
    expect(p).toMatchObject({ path: '', line: 1 });
    expect(p.message).toMatch(/mapping.*not a list/);
  });

  it('refuses a plain value at the root', () => {
    expect(problem('arm64-ci.yml\n').message).toMatch(/not a single value/);
  });

  it('refuses text over 64 KiB without parsing it', () => {
    const p = problem(`${w}#${'x'.repeat(MAX_CONFIG_BYTES)}\n`);
    expect(p).toMatchObject({ path: '', line: null });
    expect(p.message).toMatch(/at most 64 KiB/);
  });

  it('counts the size in bytes, not characters', () => {
    // 33,000 "é" are 66,000 bytes: over 64 KiB in UTF-8 though under it in characters.
    const text = `${w}# ${'é'.repeat(33_000)}\n`;
    expect(text.length).toBeLessThan(MAX_CONFIG_BYTES);
    expect(problem(text).message).toMatch(/65 KiB; at most 64 KiB/);
  });

  it('refuses a YAML alias bomb instead of expanding it', () => {
    let text = `${w}a: &a [x, x, x, x, x, x, x, x, x]\n`;
    let prev = 'a';
    for (let i = 0; i < 9; i++) {
      text += `b${i}: &b${i} [${Array(9).fill(`*${prev}`).join(', ')}]\n`;
      prev = `b${i}`;
    }
    const p = problem(text);
    expect(p.path).toBe('');
    expect(p.message).toMatch(/aliases/);
  });

  it('refuses keys that are lists or mappings', () => {
    const p = problem(`${w}? [a, b]\n: 1\n`);
    expect(p.line).toBe(2);
    expect(p.message).toMatch(/plain names/);
  });
});

describe('parseConfig: YAML syntax errors', () => {
  it.each([
    ['an unclosed flow list', `${w}runner_labels: [self-hosted, arm64\ncheck_name: x\n`, 3],
    ['a duplicated key', `${w}ref: main\nref: dev\n`, 3],
    ['tab indentation', `${w}triggers:\n\tpush: [main]\n`, 3],
    ['a nested mapping on one line', `${w}check_name: a: b\n`, 2],
    ['an unterminated quote', `${w}check_name: "arm64\n`, 3],
    ['a second document', `${w}---\nref: dev\n`, 2],
    ['a reserved character', `${w}check_name: @arm64\n`, 2],
  ])('reports %s with its line, never throws', (_, text, line) => {
    const ps = problems(text);
    expect(ps.length).toBeGreaterThan(0);
    expect(ps[0]).toMatchObject({ path: '', line });
    expect(ps[0]!.column).toBeGreaterThanOrEqual(1);
    expect(ps[0]!.message).toMatch(/^is not valid YAML: /);
    // The message is one plain line; the rendering adds the position.
    expect(ps[0]!.message).not.toMatch(/\n/);
  });
});

describe('parseConfig: unknown keys', () => {
  it('names an unknown top-level key and its line, suggesting the nearest known one', () => {
    expect(problem(`${w}check_name: x\nrunner_label: [self-hosted, arm64]\n`)).toEqual({
      path: 'runner_label',
      line: 3,
      column: 1,
      message: 'is not a known setting; did you mean `runner_labels`?',
    });
  });

  it('suggests despite a different case', () => {
    expect(problem(`Workflow: a.yml\nworkflow: b.yml\n`).message).toMatch(/did you mean `workflow`/);
  });

  it('lists the known keys when nothing is close', () => {
    const p = problem(`${w}banana: 1\n`);
    expect(p.message).toMatch(/known here: workflow, ref, runner_labels/);
    expect(p.message).not.toMatch(/did you mean/);
  });

  it('reports unknown keys inside sections too', () => {
    const ps = problems(
      `${w}triggers:\n  pull_requests: true\nsmoke_tests:\n  min_passrate: 0.5\ncommands:\n  permission: admin\nannotations:\n  maximum: 3\n`,
    );
    expect(ps.map((p) => [p.path, p.line])).toEqual([
      ['triggers.pull_requests', 3],
      ['smoke_tests.min_passrate', 5],
      ['commands.permission', 7],
      ['annotations.maximum', 9],
    ]);
    expect(ps[0]!.message).toMatch(/did you mean `pull_request`/);
    expect(ps[1]!.message).toMatch(/did you mean `min_pass_rate`/);
    expect(ps[3]!.message).toMatch(/known here: max/);
  });

  it('reports every unknown key, each at its own line', () => {
    const ps = problems(`${w}foo: 1\nbar: 2\n`);
    expect(ps.map((p) => [p.path, p.line])).toEqual([
      ['foo', 2],
      ['bar', 3],
    ]);
  });

  it('quotes a key holding backticks safely', () => {
    const p = problem(`${w}"a\`b": 1\n`);
    expect(p.path).toBe('a`b');
  });
});

describe('parseConfig: workflow', () => {
  it('is required: the problem points at the root', () => {
    expect(problem('# config\nref: main\n')).toMatchObject({ path: 'workflow', line: 2 });
    expect(problem('ref: main\n').message).toMatch(/^is required/);
  });

  it('reports an empty workflow at its key', () => {
    const p = problem('check_name: x\nworkflow:\n');
    expect(p).toMatchObject({ path: 'workflow', line: 2, column: 1 });
    expect(p.message).toMatch(/not empty/);
  });

  it.each([
    ['.github/workflows/arm64-ci.yml', /file name only/],
    ['workflows\\arm64.yml', /file name only/],
    ['arm64-ci', /ending in .yml or .yaml/],
    ['arm64-ci.json', /ending in .yml or .yaml/],
    ['" arm64.yml"', /ending in .yml or .yaml/],
    ['123', /not the number 123/],
    ['[a.yml]', /not a list/],
  ])('refuses %s', (value, message) => {
    const p = problem(`check_name: x\nworkflow: ${value}\n`);
    expect(p).toMatchObject({ path: 'workflow', line: 2, column: 11 });
    expect(p.message).toMatch(message);
  });
});

describe('parseConfig: each field refuses its invalid forms at the right line', () => {
  it.each<[string, string, string, number, RegExp]>([
    ['ref empty string', 'ref: ""', 'ref', 2, /must not be empty/],
    ['ref with spaces', 'ref: my branch', 'ref', 2, /without spaces/],
    ['ref as a number', 'ref: 1', 'ref', 2, /must be a branch name, not the number 1/],
    ['runner_labels empty list', 'runner_labels: []', 'runner_labels', 2, /at least one runner label/],
    ['runner_labels as a mapping', 'runner_labels: {a: 1}', 'runner_labels', 2, /list of runner labels.*not a mapping/],
    ['runner_labels with a number', 'runner_labels: [self-hosted, 64]', 'runner_labels[1]', 2, /not the number 64/],
    ['runner_labels with a blank', 'runner_labels: [self-hosted, " "]', 'runner_labels[1]', 2, /must not be empty/],
    ['check_name empty', 'check_name: ""', 'check_name', 2, /must not be empty/],
    ['check_name a list', 'check_name: [a]', 'check_name', 2, /not a list/],
    ['triggers a string', 'triggers: main', 'triggers', 2, /must be a mapping.*not the text `main`/],
    ['smoke_tests a list', 'smoke_tests: [a]', 'smoke_tests', 2, /must be a mapping/],
    ['commands a number', 'commands: 1', 'commands', 2, /must be a mapping/],
    ['annotations true', 'annotations: true', 'annotations', 2, /must be a mapping.*not `true`/],
    ['inputs a list', 'inputs: [a, b]', 'inputs', 2, /mapping of input names.*not a list/],
    ['trusted_users a mapping', 'trusted_users: {alice: true}', 'trusted_users', 2, /list of GitHub logins/],
    ['trusted_users with spaces', 'trusted_users: [alice smith]', 'trusted_users[0]', 2, /without spaces/],
    ['trust_org_members no', 'trust_org_members: no', 'trust_org_members', 2, /true or false, not the text `no`/],
    ['cancel_superseded yes', 'cancel_superseded: yes', 'cancel_superseded', 2, /true or false, not the text `yes`/],
    ['cancel_superseded 1', 'cancel_superseded: 1', 'cancel_superseded', 2, /true or false/],
    ['timeout_minutes 0', 'timeout_minutes: 0', 'timeout_minutes', 2, /at least 1/],
    ['timeout_minutes too big', 'timeout_minutes: 4321', 'timeout_minutes', 2, /at most 4320/],
    ['timeout_minutes fractional', 'timeout_minutes: 1.5', 'timeout_minutes', 2, /whole number of minutes/],
    ['timeout_minutes text', 'timeout_minutes: "60"', 'timeout_minutes', 2, /whole number.*not the text `60`/],
    ['dispatch_timeout_minutes too big', 'dispatch_timeout_minutes: 1441', 'dispatch_timeout_minutes', 2, /at most 1440/],
    ['dispatch_timeout_minutes negative', 'dispatch_timeout_minutes: -1', 'dispatch_timeout_minutes', 2, /at least 1/],
    ['history_days 0', 'history_days: 0', 'history_days', 2, /at least 1 \(days\)/],
    ['history_days too big', 'history_days: 3651', 'history_days', 2, /at most 3650/],
    ['history_days infinite', 'history_days: .inf', 'history_days', 2, /not `Infinity`/],
  ])('%s', (_, line, path, lineNo, message) => {
    const p = problem(`${w}${line}\n`);
    expect(p.path).toBe(path);
    expect(p.line).toBe(lineNo);
    expect(p.message).toMatch(message);
  });

  it('points at the offending list item on its own line', () => {
    const p = problem(`${w}runner_labels:\n  - self-hosted\n  - 64\n  - dgx\n`);
    expect(p).toMatchObject({ path: 'runner_labels[1]', line: 4, column: 5 });
  });

  it('refuses runner labels that repeat without regard to case, at the repeat', () => {
    const p = problem(`${w}runner_labels:\n  - self-hosted\n  - ARM64\n  - arm64\n`);
    expect(p).toMatchObject({ path: 'runner_labels[2]', line: 5 });
    expect(p.message).toMatch(/repeats runner label `arm64`/);
  });

  it('refuses repeated trusted users', () => {
    expect(problem(`${w}trusted_users: [alice, '@Alice']\n`)).toMatchObject({ path: 'trusted_users[1]' });
  });

  it.each<[string, string, RegExp]>([
    ['90', 'smoke_tests.min_pass_rate', /between 0 and 1 \(write 0.9 for 90%\)/],
    ['-0.1', 'smoke_tests.min_pass_rate', /between 0 and 1/],
    ['"90%"', 'smoke_tests.min_pass_rate', /a number between 0 and 1.*not the text `90%`/],
    ['.nan', 'smoke_tests.min_pass_rate', /not `NaN`/],
  ])('refuses min_pass_rate %s at its line', (value, path, message) => {
    const p = problem(`${w}smoke_tests:\n  artifact: results\n  min_pass_rate: ${value}\n`);
    expect(p).toMatchObject({ path, line: 4, column: 18 });
    expect(p.message).toMatch(message);
  });

  it.each(['junit/results', 'a:b', 'what?', 'a*'])('refuses artifact name %s', (name) => {
    const p = problem(`${w}smoke_tests:\n  artifact: "${name}"\n`);
    expect(p).toMatchObject({ path: 'smoke_tests.artifact', line: 3 });
    expect(p.message).toMatch(/valid artifact name/);
  });

  it.each(['arm64', '/arm 64', '/', ''])('refuses command prefix %j', (prefix) => {
    const p = problem(`${w}commands:\n  prefix: "${prefix}"\n`);
    expect(p).toMatchObject({ path: 'commands.prefix', line: 3 });
    expect(p.message).toMatch(/start with \/ and contain no spaces/);
  });

  it.each(['/ok-to-test', '/OK-to-Test', '/-arm', '/arm64!', '/ci/x', '/ärm'])('refuses command prefix %j the parser would reject', (prefix) => {
    const p = problem(`${w}commands:\n  prefix: "${prefix}"\n`);
    expect(p).toMatchObject({ path: 'commands.prefix', line: 3 });
    expect(p.message).toMatch(/\/ok-to-test is taken/);
  });

  it.each(['/arm64', '/ci', '/dgx-ci', '/a.b_c'])('accepts command prefix %j, and the parser takes it', (prefix) => {
    const r = parseConfig(`${w}commands:\n  prefix: "${prefix}"\n`, { defaultBranch: 'main' });
    expect(r.ok).toBe(true);
    if (r.ok) expect(parseCommands(`${prefix} status`, r.config.commands.prefix)).toEqual([{ kind: 'status', line: 1 }]);
  });

  it.each(['read', 'triage', 'Write', 'owner'])('refuses min_permission %s', (perm) => {
    const p = problem(`${w}commands:\n  min_permission: ${perm}\n`);
    expect(p).toMatchObject({ path: 'commands.min_permission', line: 3 });
    expect(p.message).toMatch(/one of write, maintain, admin/);
  });

  it('refuses a non-boolean pull_request and a bad push glob list', () => {
    const ps = problems(`${w}triggers:\n  push: [main, 7]\n  pull_request: "no"\n`);
    expect(ps.map((p) => [p.path, p.line])).toEqual([
      ['triggers.push[1]', 3],
      ['triggers.pull_request', 4],
    ]);
  });

  it('refuses annotations.max out of range', () => {
    expect(problem(`${w}annotations:\n  max: 1001\n`)).toMatchObject({ path: 'annotations.max', line: 3 });
  });

  it('reports every problem at once, in file order', () => {
    const ps = problems(
      `runner_labels: []\ntimeout_minutes: 0\nsmoke_tests:\n  min_pass_rate: 2\nworkflow: x/y.yml\n`,
    );
    expect(ps.map((p) => [p.path, p.line])).toEqual([
      ['runner_labels', 1],
      ['timeout_minutes', 2],
      ['smoke_tests.min_pass_rate', 4],
      ['workflow', 5],
    ]);
  });
});

describe('parseConfig: inputs', () => {
  it.each(RESERVED())('refuses the reserved input name %s, pointing at the key', (name) => {
    const p = problem(`${w}inputs:\n  other: x\n  ${name}: abc\n`);
    expect(p).toMatchObject({ path: `inputs.${name}`, line: 4, column: 3 });
    expect(p.message).toMatch(/set by the coordinator itself/);
  });

  it('refuses reserved names in another case (GitHub compares input names without case)', () => {
    expect(problem(`${w}inputs:\n  SHA: abc\n`).message).toMatch(/set by the coordinator/);
  });

  it('refuses two inputs that differ only in case', () => {
    const p = problem(`${w}inputs:\n  Python: '3'\n  python: '3'\n`);
    expect(p).toMatchObject({ path: 'inputs.python', line: 4 });
    expect(p.message).toMatch(/only in case/);
  });

  it.each(['1st', 'has space', 'dot.ted', '-dash'])('refuses the input name %j', (name) => {
    const p = problem(`${w}inputs:\n  "${name}": x\n`);
    expect(p.path).toBe(`inputs.${name}`);
    expect(p.message).toMatch(/not a valid input name/);
  });

  it('refuses more than 21 inputs, at the inputs key', () => {
    const inputs = Array.from({ length: 22 }, (_, i) => `  in${i}: 'v'`).join('\n');
    const p = problem(`${w}inputs:\n${inputs}\n`);
    expect(p).toMatchObject({ path: 'inputs', line: 3 });
    expect(p.message).toMatch(/declares 22 inputs; at most 21/);
  });

  it.each<[string, string, string]>([
    ['a version YAML reads as a number', 'python: 3.10', "`python: '3.10'`"],
    ['an integer', 'retries: 3', "`retries: '3'`"],
    ['a boolean', 'debug: true', "`debug: 'true'`"],
    ['a null written out', 'extra: null', "`extra: 'null'`"],
  ])('explains how to quote %s, with the text as written', (_, line, hint) => {
    const p = problem(`${w}inputs:\n  ${line}\n`);
    expect(p.line).toBe(3);
    expect(p.message).toBe(`must be a string: put the value in quotes, e.g. ${hint}`);
  });

  it('explains an empty input value', () => {
    const p = problem(`${w}inputs:\n  extra:\n`);
    expect(p).toMatchObject({ path: 'inputs.extra', line: 3, column: 3 });
    expect(p.message).toMatch(/write `extra: ''` for an empty value/);
  });

  it('explains a list or mapping value', () => {
    expect(problem(`${w}inputs:\n  versions: ["3.8", "3.9"]\n`).message).toMatch(/quoted JSON string/);
  });

  it('reports name and value problems together', () => {
    const ps = problems(`${w}inputs:\n  sha: 1\n  ok: x\n  n: 2\n`);
    expect(ps.map((p) => [p.path, p.line])).toEqual([
      ['inputs.sha', 3],
      ['inputs.sha', 3],
      ['inputs.n', 5],
    ]);
  });
});

function RESERVED() {
  return ['sha', 'pr', 'runner_labels', 'dispatch_id'];
}

describe('formatPath and codeSpan', () => {
  it('formats dotted paths with indices', () => {
    expect(formatPath(['runner_labels', 1])).toBe('runner_labels[1]');
    expect(formatPath(['triggers', 'push', 0])).toBe('triggers.push[0]');
    expect(formatPath([])).toBe('');
  });

  it('wraps text containing backticks in a longer fence', () => {
    expect(codeSpan('a')).toBe('`a`');
    expect(codeSpan('a`b')).toBe('``a`b``');
    expect(codeSpan('`x')).toBe('`` `x ``');
    expect(codeSpan('a\nb')).toBe('`a b`');
  });
});

describe('pathological nesting', () => {
  const ctx = { defaultBranch: 'main' };
  it.each([
    ['nested block sequences', '- '.repeat(1000) + 'x'],
    ['nested flow sequences', 'workflow: a.yml\ninputs: ' + '['.repeat(1000) + ']'.repeat(1000)],
    ['nested flow mappings', 'workflow: a.yml\ninputs: ' + '{a: '.repeat(200) + '1' + '}'.repeat(200)],
    ['deep indentation', 'workflow: a.yml\n' + Array.from({ length: 200 }, (_, i) => ' '.repeat(i) + `k${i}:`).join('\n') + ' 1'],
  ])('refuses %s before parsing, naming the problem', (_name, text) => {
    const r = parseConfig(text, ctx);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems[0]!.message).toContain('nested more than');
  });

  it('does not mistake brackets inside quotes or comments for nesting', () => {
    const text = `workflow: a.yml # ${'['.repeat(100)}\ninputs:\n  matrix: '${'['.repeat(100)}'\n  other: "${'{'.repeat(100)}"\n`;
    const r = parseConfig(text, ctx);
    expect(r.ok).toBe(true);
  });
});
