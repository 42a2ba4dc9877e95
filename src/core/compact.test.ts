import { describe, expect, it } from 'vitest';
import { compactPayload } from './compact';

const big = (n: number) => 'x'.repeat(n);

describe('compactPayload', () => {
  it('leaves a payload that fits untouched', () => {
    const payload = { ref: 'refs/heads/main', commits: [{ id: 'a' }] };
    const text = JSON.stringify(payload);
    expect(compactPayload('push', text, payload, 1024)).toEqual({ ok: true, text, compacted: false });
  });

  it('drops the commit list of a large push but keeps what the worker reads', () => {
    const payload = { ref: 'refs/heads/main', after: 'b'.repeat(40), commits: Array.from({ length: 100 }, () => ({ message: big(100) })) };
    const r = compactPayload('push', JSON.stringify(payload), payload, 2048);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.compacted).toBe(true);
    expect(JSON.parse(r.text)).toEqual({ ref: 'refs/heads/main', after: 'b'.repeat(40) });
  });

  it('keeps an installation event\'s repository list, which the worker needs', () => {
    const payload = { action: 'created', repositories: [{ full_name: 'o/r', private: false }], filler: big(3000) };
    const r = compactPayload('installation', JSON.stringify(payload), payload, 1024);
    expect(r.ok).toBe(false);
  });

  it('refuses, rather than throws, when even the compacted payload is too big', () => {
    const payload = { ref: 'x', sender: { bio: big(5000) } };
    const r = compactPayload('push', JSON.stringify(payload), payload, 1024);
    expect(r).toMatchObject({ ok: false });
  });

  it('refuses a payload nested deeper than the stack instead of throwing', () => {
    let deep: unknown = 0;
    for (let i = 0; i < 300_000; i++) deep = [deep];
    const text = '['.repeat(300_000) + '0' + ']'.repeat(300_000);
    const r = compactPayload('push', text, { deep } as object, 1024);
    expect(r).toMatchObject({ ok: false, reason: expect.stringContaining('nested too deeply') });
  });
});
