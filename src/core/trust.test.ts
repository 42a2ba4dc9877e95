import { describe, expect, it } from 'vitest';
import { decideTrust, permissionAtLeast } from './trust';

const base = 'octo/arm-lib';
const pr = (more: Partial<Parameters<typeof decideTrust>[0]>) => ({
  base_repo_full_name: base,
  head_repo_full_name: 'stranger/arm-lib',
  author_login: 'stranger',
  author_association: 'CONTRIBUTOR',
  ...more,
});
const none = { trusted_users: [] as string[] };

describe('decideTrust', () => {
  it('trusts a head branch in the same repository, whoever opened it', () => {
    const d = decideTrust(pr({ head_repo_full_name: base, author_association: 'NONE' }), none);
    expect(d).toEqual({ trusted: true, reason: 'the head branch is in this repository' });
  });

  it('compares repository names without regard to case', () => {
    expect(decideTrust(pr({ head_repo_full_name: 'Octo/ARM-lib', author_association: 'NONE' }), none).trusted).toBe(true);
  });

  it('does not trust a pull request whose fork was deleted, even from a member', () => {
    const d = decideTrust(pr({ head_repo_full_name: null, author_association: 'MEMBER' }), none);
    expect(d.trusted).toBe(false);
    expect(d.reason).toMatch(/deleted.*\/ok-to-test/);
  });

  it.each(['OWNER', 'MEMBER', 'COLLABORATOR', 'member'])('trusts a fork from a %s', (association) => {
    const d = decideTrust(pr({ author_association: association }), none);
    expect(d.trusted).toBe(true);
    expect(d.reason).toBe(`@stranger is a ${association.toLowerCase()} of this repository`);
  });

  it.each(['CONTRIBUTOR', 'FIRST_TIME_CONTRIBUTOR', 'FIRST_TIMER', 'MANNEQUIN', 'NONE'])(
    'does not trust a fork from a %s: waits for /ok-to-test',
    (association) => {
      const d = decideTrust(pr({ author_association: association }), none);
      expect(d).toEqual({
        trusted: false,
        reason: '@stranger opened this from a fork and is not a collaborator; waiting for /ok-to-test',
      });
    },
  );

  it('trusts a fork from a user listed in trusted_users, without regard to case', () => {
    const d = decideTrust(pr({ author_login: 'Stranger' }), { trusted_users: ['other', 'stranger'] });
    expect(d).toEqual({ trusted: true, reason: '@Stranger is listed in trusted_users' });
  });

  it('does not trust a login that merely contains a trusted one', () => {
    expect(decideTrust(pr({ author_login: 'stranger2' }), { trusted_users: ['stranger'] }).trusted).toBe(false);
  });
});

describe('permissionAtLeast', () => {
  const order = ['none', 'read', 'triage', 'write', 'maintain', 'admin'];
  it.each(['write', 'maintain', 'admin'] as const)('orders none < read < triage < write < maintain < admin for %s', (req) => {
    for (const actual of order)
      expect(permissionAtLeast(actual, req), `${actual} ≥ ${req}`).toBe(order.indexOf(actual) >= order.indexOf(req));
  });

  it('accepts GitHub values in any case', () => {
    expect(permissionAtLeast('ADMIN', 'maintain')).toBe(true);
  });

  it('grants nothing for an unknown value', () => {
    expect(permissionAtLeast('superuser', 'write')).toBe(false);
    expect(permissionAtLeast('', 'write')).toBe(false);
  });
});
