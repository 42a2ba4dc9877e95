import { describe, expect, it } from 'vitest';
import { repoParts } from './repo-name';

describe('repoParts', () => {
  it('splits owner/name into the parts REST paths take', () => {
    expect(repoParts('octo/arm-lib')).toEqual({ owner: 'octo', repo: 'arm-lib' });
  });

  it('gives empty parts rather than undefined for a malformed name', () => {
    expect(repoParts('octo')).toEqual({ owner: 'octo', repo: '' });
    expect(repoParts('')).toEqual({ owner: '', repo: '' });
  });
});
