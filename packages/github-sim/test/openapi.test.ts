import { describe, expect, it } from 'vitest';
import { findOperation, validateRequest } from '../src';

const checkRun = { name: 'arm64 CI', head_sha: 'a'.repeat(40), status: 'in_progress' };
const post = (path: string, body: unknown) => validateRequest({ method: 'POST', path, body });

describe('validateRequest (GitHub OpenAPI description)', () => {
  it('accepts a valid check-run creation and names the operation', () => {
    const r = post('/repos/octo/app/check-runs', checkRun);
    expect(r).toMatchObject({ ok: true, operationId: 'checks/create', params: { owner: 'octo', repo: 'app' } });
  });

  it('rejects a conclusion outside the enum', () => {
    const r = post('/repos/octo/app/check-runs', { ...checkRun, conclusion: 'bogus' });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.status).toBe(422);
      expect(r.message).toMatch(/^Invalid request\.\n\n/);
      expect(r.message).toContain('"bogus" is not one of');
    }
  });

  it('rejects a check run without head_sha', () => {
    const r = post('/repos/octo/app/check-runs', { name: 'arm64 CI' });
    expect(r).toMatchObject({ ok: false, status: 422 });
    if (!r.ok) expect(r.message).toContain(`"head_sha" wasn't supplied.`);
  });

  it('rejects an action identifier longer than 20 characters and accepts 20', () => {
    const action = (identifier: string) => ({ label: 'Re-run', description: 'Run again', identifier });
    expect(post('/repos/o/r/check-runs', { ...checkRun, actions: [action('x'.repeat(20))] }).ok).toBe(true);
    const r = post('/repos/o/r/check-runs', { ...checkRun, actions: [action('x'.repeat(21))] });
    expect(r).toMatchObject({ ok: false, status: 422 });
    if (!r.ok) expect(r.message).toContain('actions/0/identifier');
  });

  it('rejects more than 3 actions and more than 50 annotations per request', () => {
    const a = { label: 'l', description: 'd', identifier: 'i' };
    expect(post('/repos/o/r/check-runs', { ...checkRun, actions: [a, a, a, a] }).ok).toBe(false);
    const ann = { path: 'a.py', start_line: 1, end_line: 1, annotation_level: 'failure', message: 'boom' };
    const output = (n: number) => ({ title: 't', summary: 's', annotations: Array.from({ length: n }, () => ann) });
    expect(post('/repos/o/r/check-runs', { ...checkRun, output: output(50) }).ok).toBe(true);
    expect(post('/repos/o/r/check-runs', { ...checkRun, output: output(51) }).ok).toBe(false);
  });

  it('rejects a PATCH that completes a check run without a conclusion (the anyOf rule)', () => {
    const r = validateRequest({ method: 'PATCH', path: '/repos/o/r/check-runs/42', body: { status: 'completed' } });
    expect(r).toMatchObject({ ok: false, status: 422 });
    const ok = validateRequest({
      method: 'PATCH',
      path: '/repos/o/r/check-runs/42',
      body: { status: 'completed', conclusion: 'success' },
    });
    expect(ok).toMatchObject({ ok: true, operationId: 'checks/update', params: { check_run_id: '42' } });
  });

  it('answers 404 when a path parameter has the wrong type (GitHub has no such route)', () => {
    const r = validateRequest({ method: 'GET', path: '/repos/o/r/check-runs/not-a-number' });
    expect(r).toMatchObject({ ok: false, status: 404 });
  });

  it('limits workflow dispatch inputs to 25 properties, as the description says', () => {
    const inputs = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, 'v']));
    const path = '/repos/o/r/actions/workflows/arm64-ci.yml/dispatches';
    expect(post(path, { ref: 'main', inputs: inputs(25) })).toMatchObject({
      ok: true,
      operationId: 'actions/create-workflow-dispatch',
      params: { workflow_id: 'arm64-ci.yml' },
    });
    expect(post(path, { ref: 'main', inputs: inputs(26) })).toMatchObject({ ok: false, status: 422 });
    // The description types `inputs` as a free object: non-string values are GitHub's own rule (the server checks it).
    expect(post(path, { ref: 'main', inputs: { sha: 1 } }).ok).toBe(true);
    expect(post(path, { inputs: {} })).toMatchObject({ ok: false, status: 422 });
  });

  it('rejects an unknown path with 404', () => {
    expect(validateRequest({ method: 'GET', path: '/repos/o/r/not-an-endpoint' })).toMatchObject({ ok: false, status: 404 });
    expect(validateRequest({ method: 'DELETE', path: '/app/hook/deliveries' })).toMatchObject({ ok: false, status: 404 });
  });

  it('checks query parameter types and enums but not date formats (GitHub takes search syntax)', () => {
    const runs = '/repos/o/r/actions/workflows/arm64-ci.yml/runs';
    expect(validateRequest({ method: 'GET', path: runs, query: { per_page: '100', created: '>=2026-01-01T00:00:00Z' } }).ok).toBe(true);
    expect(validateRequest({ method: 'GET', path: runs, query: { per_page: 'many' } })).toMatchObject({ ok: false, status: 422 });
    expect(validateRequest({ method: 'GET', path: runs, query: { status: 'bogus' } })).toMatchObject({ ok: false, status: 422 });
    expect(validateRequest({ method: 'GET', path: runs, query: { status: 'failure' } }).ok).toBe(true);
  });

  it('matches multi-segment and encoded path parameters', () => {
    expect(findOperation('GET', '/repos/o/r/contents/.github/arm64-ci.yml')?.params.path).toBe('.github/arm64-ci.yml');
    expect(findOperation('GET', '/repos/o/r/contents/.github%2Farm64-ci.yml')?.params.path).toBe('.github/arm64-ci.yml');
    expect(findOperation('GET', '/repos/o/r/commits/refs%2Fheads%2Fmain/check-runs')?.params.ref).toBe('refs/heads/main');
  });

  it('prefers literal segments over templated ones', () => {
    // `downloads` is literal in one template and `{runner_id}` in another.
    expect(findOperation('GET', '/repos/o/r/actions/runners')?.operationId).toBe('actions/list-self-hosted-runners-for-repo');
    expect(findOperation('GET', '/repos/o/r/actions/runners/downloads')?.operationId).toBe(
      'actions/list-runner-applications-for-repo',
    );
    expect(findOperation('GET', '/repos/o/r/actions/runners/12')?.operationId).toBe('actions/get-self-hosted-runner-for-repo');
  });

  it('requires a body where the description does', () => {
    expect(validateRequest({ method: 'POST', path: '/repos/o/r/check-runs' })).toMatchObject({ ok: false, status: 422 });
    // The token request body is optional.
    expect(validateRequest({ method: 'POST', path: '/app/installations/7/access_tokens' }).ok).toBe(true);
  });
});
