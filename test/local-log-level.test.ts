import { afterEach, expect, it, vi } from 'vitest';
import { startLocal } from '../src/local/server';

afterEach(() => {
  vi.restoreAllMocks();
});

/** The JSON lines `npm start` writes to stdout while it starts and stops with this LOG_LEVEL. */
async function startupLines(level: string): Promise<{ level: string; message: string }[]> {
  const lines: string[] = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    lines.push(...String(chunk).split('\n').filter(Boolean));
    return true;
  });
  const local = await startLocal({ env: { PORT: '0', LOG_LEVEL: level }, inMemory: true });
  await local.close();
  vi.restoreAllMocks();
  return lines.map((l) => JSON.parse(l) as { level: string; message: string });
}

it('the local server honours LOG_LEVEL as the functions do', async () => {
  expect((await startupLines('info')).map((l) => l.message)).toContain('listening');
  expect(await startupLines('WARN')).toEqual([]);
});
