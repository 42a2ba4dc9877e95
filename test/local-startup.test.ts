/** What a newcomer sees when `npm start` cannot start: one line that says what to change. */
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, expect, it } from 'vitest';
import { startLocal } from '../src/local/server';
import { createLogger } from '../src/log';

const run = promisify(execFile);
const quiet = () => createLogger({ level: 'error', write: () => {} });
let cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanup.reverse()) await c();
  cleanup = [];
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'arm64-ci-start-'));
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

it('a busy port: `npm start` prints one line naming PORT and exits 2', async () => {
  const busy: Server = createServer();
  await new Promise<void>((r) => busy.listen(0, '127.0.0.1', () => r()));
  cleanup.push(() => new Promise<void>((r) => busy.close(() => r())));
  const port = (busy.address() as AddressInfo).port;

  const res = await run(process.execPath, ['--import', 'tsx', 'src/local/main.ts'], {
    env: { ...process.env, PORT: String(port), DATA_DIR: tempDir(), LOG_LEVEL: 'error', APP_ID: '' },
  }).then(
    () => ({ code: 0, stdout: '', stderr: '' }),
    (e: { code: number; stdout: string; stderr: string }) => e,
  );
  expect(res.code).toBe(2);
  expect(res.stdout).toBe('');
  expect(res.stderr.trim().split('\n')).toEqual([`configuration error: PORT ${port} is already in use on 127.0.0.1: stop what listens there, or set PORT to a free port (PORT=0 picks one)`]);
}, 60_000);

it('two local servers on one DATA_DIR: the second is refused with a clear reason, and the directory is free again once the first stops', async () => {
  const dir = tempDir();
  const env = { PORT: '0', DATA_DIR: dir };
  const first = await startLocal({ env, log: quiet() });
  let firstOpen = true;
  cleanup.push(async () => {
    if (firstOpen) await first.close();
  });

  await expect(startLocal({ env, log: quiet() })).rejects.toThrow(`DATA_DIR ${dir} is in use by another local server: stop it, or set DATA_DIR to another directory`);
  // The first is unharmed by the attempt.
  expect((await fetch(`${first.url}/healthz`)).status).toBeLessThan(500);

  await first.close();
  firstOpen = false;
  const again = await startLocal({ env, log: quiet() });
  await again.close();
});

it('the sandbox home page, before any demo, says to run `npm run demo`', async () => {
  const local = await startLocal({ env: { PORT: '0' }, inMemory: true, log: quiet() });
  cleanup.push(() => local.close());
  const html = await (await fetch(`${local.url}/`)).text();
  expect(html).toContain('Run <code>npm run demo</code>');
});

it('`npm run demo -- --help` prints its usage and starts nothing', async () => {
  const res = await run(process.execPath, ['--import', 'tsx', 'scripts/demo.ts', '--help'], { env: { ...process.env, PORT: '1' } });
  expect(res.stdout).toMatch(/^Usage: npm run demo/);
  expect(res.stdout).toContain('--comment');
  expect(res.stdout).toContain('--targets');
  expect(res.stdout).not.toContain('Starting a sandbox server');
}, 60_000);

it('`npm run demo -- --targets` plays the three-target repository offline and prints how dgx compares with x86', async () => {
  // Nothing listens on port 1: the demo starts its own sandbox server, with its data in a temporary directory.
  const res = await run(process.execPath, ['--import', 'tsx', 'scripts/demo.ts', '--targets'], {
    env: { ...process.env, PORT: '1', DATA_DIR: tempDir(), APP_ID: '' },
  });
  expect(res.stdout).toContain('(three targets)');
  expect(res.stdout).toContain('### dgx compared with x86');
  expect(res.stdout).toContain('#### Failing only on dgx (1)');
  expect(res.stdout).toMatch(/Badges graviton .*status\.svg\?target=graviton/);
}, 120_000);

it('`npm start` writes only JSON lines to stdout; the banner for people goes to stderr', async () => {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/local/main.ts'], {
    env: { ...process.env, PORT: '0', DATA_DIR: tempDir(), APP_ID: '', LOG_LEVEL: 'info' },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += String(d)));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  // Stopped once the banner is out (it is written after the server listens).
  await new Promise<void>((resolve) =>
    child.stderr.on('data', (d) => {
      stderr += String(d);
      if (stderr.includes('dashboard:')) resolve();
    }),
  );
  child.kill('SIGTERM');
  expect(await exited).toBe(0);
  expect(stderr).toMatch(/^arm64 CI coordinator listening on http:\/\/127\.0\.0\.1:\d+ \(sandbox mode\)/);
  const lines = stdout.split('\n').filter(Boolean);
  expect(lines.map((l) => (JSON.parse(l) as { message: string }).message)).toContain('listening');
}, 60_000);
