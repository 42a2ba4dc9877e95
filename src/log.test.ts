import { describe, expect, it } from 'vitest';
import { createLogger, logLevelOf, registerSecret, type Level } from './log';

function capture(level: Level = 'info') {
  const lines: Record<string, any>[] = [];
  const log = createLogger({ level, write: (l) => lines.push(JSON.parse(l)) });
  return { log, lines };
}

describe('the logger (Powertools Logger behind src/log.ts)', () => {
  it("writes one JSON object per line in Powertools' shape, from the level up", () => {
    const { log, lines } = capture('warn');
    log.info('not written');
    log.warn('written', { repo: 'octo-org/widget' });
    expect(lines).toEqual([expect.objectContaining({ level: 'WARN', message: 'written', service: 'arm64-ci', repo: 'octo-org/widget', timestamp: expect.any(String) })]);
  });

  it('reads LOG_LEVEL in any case, and nothing else', () => {
    expect(logLevelOf('DEBUG')).toBe('debug');
    expect(logLevelOf(' warn ')).toBe('warn');
    expect(logLevelOf('verbose')).toBeNull();
  });

  it('logs an error with its stack and its cause, without the HTTP request and response it carries', () => {
    const { log, lines } = capture();
    const cause = Object.assign(new Error('Bad credentials'), { status: 401, request: { headers: { authorization: 'token ghs_x' } }, response: { data: 'x'.repeat(10) } });
    log.error('delivery failed', { error: new Error('dispatch failed', { cause }) });
    const error = lines[0]!.error;
    expect(error).toMatchObject({ name: 'Error', message: 'dispatch failed', stack: expect.stringContaining('log.test.ts') });
    expect(error.cause).toMatchObject({ message: 'Bad credentials', status: 401, stack: expect.stringContaining('Error: Bad credentials') });
    expect(error.cause.request).toBeUndefined();
    expect(error.cause.response).toBeUndefined();
  });

  it('redacts secret keys by their exact name, not every key that contains the word', () => {
    const { log, lines } = capture();
    log.info('x', { token: 'ghs_abc', privateKey: 'pem', webhook_secret: 'w', Authorization: 'Bearer b', tokenCount: 3, secretsLoaded: true });
    expect(lines[0]).toMatchObject({ token: '[redacted]', privateKey: '[redacted]', webhook_secret: '[redacted]', Authorization: '[redacted]', tokenCount: 3, secretsLoaded: true });
  });

  it('redacts a registered secret value wherever it appears: message, fields, nested, error stack', () => {
    const { log, lines } = capture();
    const value = 'ghs_registeredTokenValue123';
    registerSecret(value);
    log.warn(`request with ${value} failed`, { note: { deep: [`x${value}y`] }, error: new Error(`token ${value} refused`) });
    const text = JSON.stringify(lines);
    expect(text).not.toContain(value);
    expect(lines[0]!.message).toBe('request with [redacted] failed');
    expect(lines[0]!.note.deep[0]).toBe('x[redacted]y');
    expect(lines[0]!.error.stack).toContain('token [redacted] refused');
  });

  it('redacts each line of a registered PEM key, should an error quote part of it', () => {
    const { log, lines } = capture();
    const body = 'MIIEowIBAAKCAQEAsomethingLongEnoughToBeAKeyLine0123456789';
    registerSecret(`-----BEGIN RSA PRIVATE KEY-----\n${body}\n-----END RSA PRIVATE KEY-----\n`);
    log.error('key rejected', { detail: `bad key line ${body}` });
    expect(JSON.stringify(lines)).not.toContain(body);
  });

  it("keeps a field named like one of Powertools' own keys, under an underscore", () => {
    const { log, lines } = capture();
    log.warn('dispatch refused', { message: 'Workflow does not have workflow_dispatch trigger', level: 3 });
    expect(lines[0]).toMatchObject({ message: 'dispatch refused', level: 'WARN', _message: 'Workflow does not have workflow_dispatch trigger', _level: 3 });
  });

  it('a child carries its keys on every line, and appendKeys adds to them; the parent is unchanged', () => {
    const { log, lines } = capture();
    const child = log.child({ deliveryId: 'd-1', event: 'push' });
    child.appendKeys({ dispatchId: '01J' });
    child.info('processed');
    log.info('other');
    expect(lines[0]).toMatchObject({ deliveryId: 'd-1', event: 'push', dispatchId: '01J', message: 'processed' });
    expect(lines[1]).not.toHaveProperty('deliveryId');
    expect(lines[1]).not.toHaveProperty('dispatchId');
  });
});
