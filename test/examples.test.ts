/**
 * The example workflows are meant to be copied as they are, so they must be safe to copy: no
 * `${{ … }}` inside a `run:` script. GitHub pastes an expression's value into the script before the
 * shell reads it, so a workflow input (set by `/arm64 run key=value`), a matrix value built from
 * one, a branch name or any other event text could inject shell commands. Values go through `env:`
 * and the script reads "$VAR".
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const dir = new URL('../examples/', import.meta.url);
const files = readdirSync(dir).filter((f) => /\.ya?ml$/i.test(f));

/** Every `run:` script in a parsed workflow or action, with where it is. */
function runScripts(node: unknown, path = ''): { path: string; script: string }[] {
  if (Array.isArray(node)) return node.flatMap((v, i) => runScripts(v, `${path}[${i}]`));
  if (node === null || typeof node !== 'object') return [];
  return Object.entries(node).flatMap(([key, value]) => {
    const here = path ? `${path}.${key}` : key;
    // `defaults.run` is an object of settings (shell, working-directory), not a script.
    if (key === 'run' && typeof value === 'string') return [{ path: here, script: value }];
    return runScripts(value, here);
  });
}

const injectable = (yamlText: string) =>
  runScripts(parse(yamlText))
    .filter((r) => r.script.includes('${{'))
    .map((r) => r.path);

describe('examples/', () => {
  it('holds the workflow the README points at', () => {
    expect(files).toContain('arm64-ci.yml');
  });

  it.each(files)('%s expands no ${{ }} expression inside a run: script (script injection)', (file) => {
    const text = readFileSync(new URL(file, dir), 'utf8');
    // Not vacuous: the file parses and has scripts to check.
    expect(runScripts(parse(text)).length).toBeGreaterThan(0);
    expect(injectable(text)).toEqual([]);
  });

  it('the check finds an expression in a run: script wherever it is, and allows it elsewhere', () => {
    const workflow = `
name: x
run-name: x \${{ inputs.dispatch_id }}
defaults: { run: { shell: bash } }
jobs:
  t:
    runs-on: \${{ fromJSON(inputs.runner_labels) }}
    steps:
      - uses: actions/checkout@v4
        with: { ref: "\${{ inputs.sha }}" }
      - env: { V: "\${{ matrix.python }}" }
        run: echo "$V"
      - run: |
          echo ok
          pytest --junitxml=out-\${{ matrix.python }}.xml
      - run: echo "\${{ github.event.pull_request.title }}"
`;
    expect(injectable(workflow)).toEqual(['jobs.t.steps[2].run', 'jobs.t.steps[3].run']);
  });
});
