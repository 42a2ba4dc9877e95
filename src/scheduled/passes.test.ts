import { describe, expect, it } from 'vitest';
import { createLogger } from '../log';
import type { ScheduledDeps, ScheduledPass } from './pass';
import { runPasses, schedulePasses } from './passes';

const lines: string[] = [];
// The passes below never touch the store or GitHub: only the runner's behaviour is under test.
const deps = { log: createLogger({ write: (l) => lines.push(l) }), now: () => new Date(0) } as unknown as ScheduledDeps;

const pass = (name: string, run: () => Promise<Record<string, unknown>>): ScheduledPass => ({ name, run: () => run() });

describe('runPasses', () => {
  it('runs every pass in order; one that fails neither stops the others nor throws', async () => {
    const order: string[] = [];
    const out = await runPasses(deps, [
      pass('first', async () => (order.push('first'), { n: 1 })),
      pass('broken', async () => {
        order.push('broken');
        throw new Error('store unreachable');
      }),
      pass('last', async () => (order.push('last'), {})),
    ]);
    expect(order).toEqual(['first', 'broken', 'last']);
    expect(out.map((o) => [o.name, o.ok, o.error ?? null])).toEqual([
      ['first', true, null],
      ['broken', false, 'store unreachable'],
      ['last', true, null],
    ]);
    expect(out[0]!.result).toEqual({ n: 1 });
    expect(lines.some((l) => l.includes('scheduled pass failed') && l.includes('broken'))).toBe(true);
  });
});

describe('schedulePasses', () => {
  it('runs on demand, never two ticks at once, and waits for a running tick when stopped', async () => {
    let running = 0;
    let most = 0;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const slow = pass('slow', async () => {
      running++;
      most = Math.max(most, running);
      await gate;
      running--;
      return {};
    });
    const s = schedulePasses(deps, 0, [slow]);
    const a = s.runNow();
    const b = s.runNow(); // each waits for the tick before it
    const c = s.runNow();
    release();
    await Promise.all([a, b, c]);
    expect(most).toBe(1);
    await s.stop();
  });
});
