import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { eventGaps, permissionGaps, renderChecks, workflowProblems } from './doctor';

describe('workflowProblems', () => {
  it('finds nothing wrong with the example workflow the README ships', () => {
    expect(workflowProblems(readFileSync(new URL('../../examples/arm64-ci.yml', import.meta.url), 'utf8'))).toEqual([]);
  });

  it('names each missing input, a missing run-name, and a missing trigger', () => {
    const wf = `on:\n  workflow_dispatch:\n    inputs:\n      sha: {}\n      pr: {}\njobs: {}\n`;
    expect(workflowProblems(wf)).toEqual([
      'does not declare the input runner_labels',
      'does not declare the input dispatch_id',
      'has no run-name with ${{ inputs.dispatch_id }}',
    ]);
    expect(workflowProblems('on: push\nrun-name: x ${{ inputs.dispatch_id }}\njobs: {}\n')[0]).toBe('has no workflow_dispatch trigger');
    expect(workflowProblems('on: [push\n')[0]).toMatch(/^is not valid YAML/);
  });
});

describe('permissionGaps and eventGaps', () => {
  it('counts write as covering read, and reports what is short', () => {
    expect(permissionGaps({ contents: 'read', checks: 'write', actions: 'write' }, { contents: 'write', checks: 'read' })).toEqual([
      { name: 'checks', need: 'write', have: 'read' },
      { name: 'actions', need: 'write', have: 'none' },
    ]);
    expect(eventGaps(['push', 'workflow_run'], ['push'])).toEqual(['workflow_run']);
  });
});

it('renders one line per check, the fix on the failing line', () => {
  expect(renderChecks([{ ok: true, text: 'a' }, { ok: false, text: 'b', fix: 'do c' }])).toBe('✔ a\n✘ b — fix: do c');
});
