/**
 * `npm start` reads .env (what the App registration writes): the same process, started in a
 * directory whose .env holds an App, comes up in GitHub mode; values in the environment win.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterEach, expect, it } from 'vitest';
import { writeEnvValues } from '../src/local/register/env-file';
import { testKeys } from './support/world';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
let child: ChildProcess | undefined;

afterEach(() => {
  if (child?.pid && child.exitCode === null) child.kill('SIGTERM');
  child = undefined;
});

/** Starts `npm start`'s entry in `cwd` and answers the first line of its banner. */
function startIn(cwd: string, env: Record<string, string> = {}): Promise<string> {
  const { APP_ID: _a, PRIVATE_KEY: _p, WEBHOOK_SECRET: _w, PORT: _port, ...inherited } = process.env;
  // What `--import tsx` loads, by path: the temporary directory has no node_modules.
  child = spawn(process.execPath, ['--import', pathToFileURL(join(ROOT, 'node_modules/tsx/dist/loader.mjs')).href, join(ROOT, 'src/local/main.ts')], {
    cwd,
    env: { ...inherited, DATA_DIR: join(cwd, '.data'), LOG_LEVEL: 'error', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let err = '';
    child!.stderr!.on('data', (c: Buffer) => {
      err += c.toString();
      const line = /^arm64 CI coordinator listening on .*$/m.exec(err)?.[0];
      if (line) resolve(line);
    });
    child!.on('exit', (code) => reject(new Error(`exited ${code}: ${err}`)));
  });
}

it('comes up in GitHub mode with the App from .env, and in sandbox mode without one', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dotenv-'));
  writeEnvValues(join(dir, '.env'), { APP_ID: '4242', PRIVATE_KEY: testKeys().privateKey, WEBHOOK_SECRET: 'from-dotenv', GITHUB_API_URL: 'http://127.0.0.1:9', PORT: '0' });
  expect(await startIn(dir)).toMatch(/\(github mode\)$/);
  child!.kill('SIGTERM');

  const empty = mkdtempSync(join(tmpdir(), 'dotenv-none-'));
  writeFileSync(join(empty, 'README'), 'no .env here\n');
  expect(await startIn(empty, { PORT: '0' })).toMatch(/\(sandbox mode\)$/);
}, 60_000);
