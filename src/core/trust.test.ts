import { describe, expect, it } from 'vitest';
import { decideTrust, needsAuthorPermission, permissionAtLeast } from './trust';

const base = 'octo/arm-lib';
const pr = (more: Partial<Parameters<typeof decideTrust>[0]>) => ({
  base_repo_full_name: base,
  head_repo_full_name: 'stranger/arm-lib',
  author_login: 'stranger',
  author_association: 'CONTRIBUTOR',
  ...more,
});
const none = { trusted_users: [] as string[], trust_org_members: true, commands: { min_permission: 'write' as const } };
const strict = { ...none, trust_org_members: false };

describe('decideTrust', () => {
  it('trusts a head branch in the same repository, whoever opened it', () => {
    const d = decideTrust(pr({ head_repo_full_name: base, author_association: 'NONE' }), none);
    expect(d).toEqual({ trusted: true, reason: 'the head branch is in this repository' });
  });

  it('compares repository names without regard to case', () => {
    expect(decideTrust(pr({ head_repo_full_name: 'Octo/ARM-lib', author_association: 'NONE' }), none).trusted).toBe(true);
  });

  it('does not trust a pull request whose fork was deleted, even from a member with admin permission', () => {
    const d = decideTrust(pr({ head_repo_full_name: null, author_association: 'MEMBER', author_permission: 'admin' }), none);
    expect(d.trusted).toBe(false);
    expect(d.reason).toBe('the head repository was deleted');
  });

  it.each([
    ['OWNER', 'an owner'],
    ['MEMBER', 'a member'],
    ['member', 'a member'],
  ])('trusts a fork from an organization %s with trust_org_members (the default), without asking their permission', (association, what) => {
    expect(needsAuthorPermission(pr({ author_association: association }), none)).toBe(false);
    const d = decideTrust(pr({ author_association: association }), none);
    expect(d).toEqual({ trusted: true, reason: `@stranger is ${what} of the organization (trust_org_members)` });
  });

  it.each(['OWNER', 'MEMBER'])('with trust_org_members: false, a %s needs the permission like a collaborator', (association) => {
    expect(needsAuthorPermission(pr({ author_association: association }), strict)).toBe(true);
    expect(decideTrust(pr({ author_association: association }), strict).trusted).toBe(false);
    expect(decideTrust(pr({ author_association: association, author_permission: 'read' }), strict)).toEqual({
      trusted: false,
      reason: '@stranger opened this from a fork and is an organization member (trust_org_members is off) with `read` permission, below `write`',
    });
    expect(decideTrust(pr({ author_association: association, author_permission: 'write' }), strict).trusted).toBe(true);
  });

  it('does not trust a COLLABORATOR by the label: their permission decides', () => {
    const collab = pr({ author_association: 'COLLABORATOR' });
    expect(needsAuthorPermission(collab, none)).toBe(true);
    // Not asked (or not answered): no permission at all.
    expect(decideTrust(collab, none).trusted).toBe(false);
    expect(decideTrust({ ...collab, author_permission: null }, none).trusted).toBe(false);
    expect(decideTrust({ ...collab, author_permission: 'read' }, none)).toEqual({
      trusted: false,
      reason: '@stranger opened this from a fork and is a collaborator with `read` permission, below `write`',
    });
    expect(decideTrust({ ...collab, author_permission: 'triage' }, none).trusted).toBe(false);
    expect(decideTrust({ ...collab, author_permission: 'write' }, none)).toEqual({
      trusted: true,
      reason: '@stranger has `write` permission on this repository',
    });
  });

  it('holds a collaborator to commands.min_permission', () => {
    const collab = pr({ author_association: 'COLLABORATOR', author_permission: 'write' });
    expect(decideTrust(collab, { ...none, commands: { min_permission: 'maintain' } }).trusted).toBe(false);
    expect(decideTrust({ ...collab, author_permission: 'MAINTAIN' }, { ...none, commands: { min_permission: 'maintain' } }).trusted).toBe(true);
    expect(decideTrust({ ...collab, author_permission: 'maintain' }, { ...none, commands: { min_permission: 'admin' } }).trusted).toBe(false);
  });

  it('grants nothing for a permission name it does not know', () => {
    expect(decideTrust(pr({ author_association: 'COLLABORATOR', author_permission: 'superuser' }), none).trusted).toBe(false);
  });

  it.each(['CONTRIBUTOR', 'FIRST_TIME_CONTRIBUTOR', 'FIRST_TIMER', 'MANNEQUIN', 'NONE'])(
    'does not trust a fork from a %s, and does not ask GitHub: waits for /ok-to-test',
    (association) => {
      expect(needsAuthorPermission(pr({ author_association: association }), none)).toBe(false);
      // Even a permission passed in by mistake does not lift someone with no role in the repository.
      const d = decideTrust(pr({ author_association: association, author_permission: 'admin' }), none);
      expect(d).toEqual({
        trusted: false,
        reason: '@stranger opened this from a fork and is not a collaborator',
      });
    },
  );

  it('trusts a fork from a user listed in trusted_users, without regard to case, without asking GitHub', () => {
    const config = { ...strict, trusted_users: ['other', 'STRANGER'] };
    const collab = pr({ author_login: 'Stranger', author_association: 'COLLABORATOR' });
    expect(needsAuthorPermission(collab, config)).toBe(false);
    expect(decideTrust({ ...collab, author_permission: 'read' }, config)).toEqual({ trusted: true, reason: '@Stranger is listed in trusted_users' });
  });

  it('does not trust a login that merely contains a trusted one', () => {
    expect(decideTrust(pr({ author_login: 'stranger2' }), { ...none, trusted_users: ['stranger'] }).trusted).toBe(false);
  });

  it('does not trust an author without a login through an empty entry', () => {
    expect(decideTrust(pr({ author_login: '' }), { ...none, trusted_users: [''] }).trusted).toBe(false);
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
