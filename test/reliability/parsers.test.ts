import fc from 'fast-check';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { MAX_COMMANDS, parseCommands } from '../../src/core/commands';
import { parseConfig } from '../../src/core/config/parse';
import { parseJUnit } from '../../src/core/junit';
import { figures } from '../support/rig';

/**
 * The three parsers that read text a repository's users control: never an exception, and no
 * input that makes one of them hang. The time bound is a guard against pathological inputs
 * (exponential backtracking, entity or alias expansion), not a performance target.
 */
const PATHOLOGY_BOUND_MS = 1_000;

function timed<T>(f: () => T): { value: T; ms: number } {
  const t = performance.now();
  const value = f();
  return { value, ms: performance.now() - t };
}

/** Runs `f` on every input: it must return (never throw) within the bound. Returns the slowest time. */
function guard<I, T>(inputs: I[], f: (i: I) => T, check: (out: T, input: I) => void): number {
  let slowest = 0;
  for (const input of inputs) {
    const first = timed(() => f(input));
    check(first.value, input);
    // A garbage collection or a JIT pause can land on any input: a slow one is timed again, and
    // only an input slow both times counts (the machine is shared).
    const ms = first.ms > PATHOLOGY_BOUND_MS / 4 ? Math.min(first.ms, timed(() => f(input)).ms) : first.ms;
    slowest = Math.max(slowest, ms);
    expect(ms, `input starting ${JSON.stringify(String(input).slice(0, 80))}`).toBeLessThan(PATHOLOGY_BOUND_MS);
  }
  return slowest;
}

/** Inserts, deletes or truncates at random places: text that is almost right. */
const mutate = (base: string) =>
  fc
    .array(fc.tuple(fc.nat(), fc.constantFrom('insert', 'delete', 'truncate'), fc.string({ maxLength: 8 })), { minLength: 1, maxLength: 6 })
    .map((ops) => {
      let s = base;
      for (const [at, op, text] of ops) {
        const i = s.length ? at % s.length : 0;
        if (op === 'insert') s = s.slice(0, i) + text + s.slice(i);
        else if (op === 'delete') s = s.slice(0, i) + s.slice(i + text.length + 1);
        else s = s.slice(0, i);
      }
      return s;
    });

const VALID_CONFIG = `workflow: arm64-ci.yml
ref: main
runner_labels: [self-hosted, arm64, dgx]
check_name: arm64 CI
triggers:
  push: [main, "release/*"]
  pull_request: true
smoke_tests:
  artifact: smoke-test-results
  min_pass_rate: 0.8
inputs:
  python-versions: '["3.10","3.11"]'
commands:
  prefix: /arm64
  min_permission: write
trusted_users: [octocat]
`;

describe('parseConfig', () => {
  it('never throws and always explains a refusal, on random, mangled and pathological YAML', () => {
    const configish = fc
      .record(
        {
          workflow: fc.anything(),
          ref: fc.anything(),
          runner_labels: fc.anything(),
          triggers: fc.oneof(fc.anything(), fc.record({ push: fc.anything(), pull_request: fc.anything() })),
          smoke_tests: fc.oneof(fc.anything(), fc.record({ artifact: fc.anything(), min_pass_rate: fc.anything() })),
          inputs: fc.dictionary(fc.string(), fc.anything()),
          commands: fc.oneof(fc.anything(), fc.record({ prefix: fc.anything(), min_permission: fc.anything() })),
          trusted_users: fc.anything(),
        },
        { requiredKeys: [] },
      )
      .map((o) => {
        try {
          return YAML.stringify(o);
        } catch {
          return String(o);
        }
      });
    const inputs = fc.sample(
      fc.oneof(fc.string({ maxLength: 500 }), fc.json().map((j) => YAML.stringify(JSON.parse(j))), configish, mutate(VALID_CONFIG)),
      { numRuns: 400, seed: 1 },
    );
    // Deeper nesting overflows the yaml parser's stack, which can kill the process: see the known bug below.
    const depth = 500;
    const pathological = [
      '['.repeat(depth) + ']'.repeat(depth),
      // "Billion laughs" with YAML aliases.
      ['a: &a [x, x, x, x, x, x, x, x, x, x]', ...Array.from({ length: 9 }, (_, i) => `${'bcdefghij'[i]}: &${'bcdefghij'[i]} [${Array(10).fill(`*${'abcdefghi'[i]}`).join(', ')}]`)].join('\n'),
      'workflow: ' + 'x'.repeat(70_000),
      Array.from({ length: 5_000 }, (_, i) => `key${i}: ${i}`).join('\n'),
      'inputs:\n' + Array.from({ length: 2_000 }, (_, i) => `  k${i}: v`).join('\n'),
      '\t'.repeat(10_000) + 'workflow: x',
      'workflow: "' + '\\'.repeat(20_000) + '"',
      '%YAML 1.2\n---\n'.repeat(1_000),
      '\u0000\uffff\ud800'.repeat(1_000),
    ];
    const all = [...inputs, ...pathological];
    const slowest = guard(
      all,
      (t) => parseConfig(t, { defaultBranch: 'main' }),
      (out) => {
        if (!out.ok) expect(out.problems.length).toBeGreaterThan(0);
      },
    );
    expect(parseConfig(VALID_CONFIG, { defaultBranch: 'main' }).ok).toBe(true);
    figures('parseConfig', { inputs: all.length, pathological: pathological.length, throws: 0, slowestMs: Math.round(slowest) });
  });

  // A 2 KB config of 1,000 nested sequences used to kill Node 20 inside the YAML parser ("FATAL
  // ERROR: RegExpCompiler Allocation failed"), which no try/catch survives; config/parse.ts now refuses
  // deep nesting before parsing. Run in a child process, since a regression crashes Node.
  it('survives a deeply nested config read twice (runs in a child process: it crashes Node)', () => {
    const config = fileURLToPath(new URL('../../src/core/config/parse.ts', import.meta.url));
    const code = `const { parseConfig } = await import(${JSON.stringify(config)});
      const text = '- '.repeat(1000) + 'x';
      for (let i = 0; i < 2; i++) parseConfig(text, { defaultBranch: 'main' });
      console.log('survived');`;
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { encoding: 'utf8', timeout: 30_000 });
    expect(child.stderr).not.toContain('FATAL ERROR');
    expect(child.stdout).toContain('survived');
  });
});

describe('parseCommands', () => {
  it('never throws and returns at most MAX_COMMANDS, on random, command-like and pathological comments', () => {
    const fragment = fc.constantFrom('/arm64', '/ARM64', '/ok-to-test', ' run', ' retest', ' cancel', ' status', ' help', ' key=value', ' a="b c"', " 'x'", '=', '"', '```', '~~~', '`', '>', '> ', '\n', '\r\n', ' ', '\t', '<!--', '-->', '\\', '/', 'é', '\u200b');
    const commandish = fc.array(fragment, { maxLength: 60 }).map((a) => a.join(''));
    const inputs = fc.sample(
      fc.tuple(fc.oneof(fc.string({ maxLength: 500 }), commandish, fc.string({ unit: 'binary', maxLength: 300 })), fc.constantFrom('/arm64', '/ci', '/a.b-c_d')),
      { numRuns: 500, seed: 2 },
    );
    const pathological: [string, string][] = [
      ['/arm64 run a=b\n'.repeat(60_000), '/arm64'],
      ['`'.repeat(200_000), '/arm64'],
      ['```\n'.repeat(50_000), '/arm64'],
      ['>'.repeat(200_000) + ' /arm64 run', '/arm64'],
      ['/arm64 run ' + 'k=v '.repeat(50_000), '/arm64'],
      ['/arm64 run "' + 'x'.repeat(200_000), '/arm64'],
      ['/arm64 run ' + '"'.repeat(100_000), '/arm64'],
      [' '.repeat(500_000) + '/arm64', '/arm64'],
      ['/arm64'.repeat(100_000), '/arm64'],
    ];
    const all = [...inputs, ...pathological];
    const slowest = guard(
      all,
      ([body, prefix]) => parseCommands(body, prefix),
      (out) => {
        expect(Array.isArray(out)).toBe(true);
        expect(out.length).toBeLessThanOrEqual(MAX_COMMANDS);
      },
    );
    figures('parseCommands', { inputs: all.length, pathological: pathological.length, throws: 0, slowestMs: Math.round(slowest) });
  });
});

describe('parseJUnit', () => {
  const fixtures = readdirSync(fileURLToPath(new URL('../fixtures/junit/', import.meta.url)))
    .filter((f) => f.endsWith('.xml'))
    .map((f) => readFileSync(fileURLToPath(new URL(`../fixtures/junit/${f}`, import.meta.url)), 'utf8'));

  it('never throws, on random, mangled and pathological XML', () => {
    const attr = fc.oneof(fc.string({ maxLength: 12 }), fc.integer().map(String), fc.constantFrom('NaN', '-1', '1e309', '0x10', ''));
    const testcase = fc
      .record({ name: attr, classname: attr, time: attr, kind: fc.constantFrom('', 'failure', 'error', 'skipped', 'flakyFailure', 'rerunFailure') })
      .map((t) => {
        const esc = (s: string) => s.replace(/[<&"]/g, '');
        const inner = t.kind ? `<${t.kind} message="${esc(t.name)}">${esc(t.classname)}</${t.kind}>` : '';
        return `<testcase name="${esc(t.name)}" classname="${esc(t.classname)}" time="${esc(t.time)}">${inner}</testcase>`;
      });
    const suite = fc
      .tuple(fc.array(testcase, { maxLength: 8 }), attr, attr)
      .map(([cases, tests, failures]) => `<testsuite name="s" tests="${tests.replace(/[<&"]/g, '')}" failures="${failures.replace(/[<&"]/g, '')}">${cases.join('')}</testsuite>`);
    const structured = fc.array(suite, { maxLength: 4 }).map((s) => `<?xml version="1.0"?><testsuites>${s.join('')}</testsuites>`);
    const inputs = fc.sample(
      fc.oneof(fc.string({ maxLength: 500 }), structured, structured.chain(mutate), fc.constantFrom(...fixtures).chain(mutate)),
      { numRuns: 400, seed: 3 },
    );
    const bytes = fc.sample(fc.uint8Array({ maxLength: 2_000 }), { numRuns: 100, seed: 4 });
    const laughs =
      '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">' +
      Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i || ''};`.repeat(10)}">`).join('') +
      ']><testsuites><testsuite name="&lol9;"/></testsuites>';
    const pathological: (string | Uint8Array)[] = [
      laughs,
      '<a>'.repeat(100_000) + '</a>'.repeat(100_000),
      `<testsuite>${'<testcase name="t"/>'.repeat(60_000)}</testsuite>`,
      `<testsuite name="${'x'.repeat(500_000)}"/>`,
      `<testsuite ${Array.from({ length: 5_000 }, (_, i) => `a${i}="v"`).join(' ')}/>`,
      '<testsuite>' + '<![CDATA['.repeat(50_000) + '</testsuite>',
      '<'.repeat(500_000),
      '<testsuite><testcase name="a"><failure>' + '&amp;'.repeat(50_000) + '</failure></testcase></testsuite>',
      new Uint8Array(10 * 1024 * 1024 + 1).fill(0x3c),
      new Uint8Array([0xff, 0xfe, 0x3c, 0x00, 0x61, 0x00]),
    ];
    const all = [...inputs, ...bytes, ...pathological];
    const slowest = guard(
      all,
      (x) => parseJUnit('results.xml', x),
      (out) => {
        if (!out.ok) expect(typeof out.error).toBe('string');
      },
    );
    for (const f of fixtures) expect(parseJUnit('f.xml', f).ok).toBe(true);
    figures('parseJUnit', { inputs: all.length, pathological: pathological.length, throws: 0, slowestMs: Math.round(slowest) });
  });
});
