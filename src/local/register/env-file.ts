import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { parse } from 'dotenv';
import type { RegisteredApp } from './convert';

/**
 * Writes `values` into a dotenv file, keeping the other lines' values, readable by its owner only
 * (0600: it holds the App's private key). The file is in .gitignore.
 */
export function writeEnvValues(path: string, values: Record<string, string>): void {
  const current = existsSync(path) ? parse(readFileSync(path, 'utf8')) : {};
  const merged = { ...current, ...values };
  const lines = Object.entries(merged).map(([k, v]) => `${k}=${quote(k, v)}`);
  writeFileSync(path, `# Written by the arm64 CI coordinator's App registration. Keep it secret.\n${lines.join('\n')}\n`, { mode: 0o600 });
  // writeFileSync's mode applies only to a new file.
  chmodSync(path, 0o600);
}

/** Double-quoted, newlines as `\n` (dotenv turns them back); a value with a quote cannot be written safely. */
function quote(key: string, value: string): string {
  if (value.includes('"')) throw new Error(`${key}: a value containing a double quote cannot be written to .env`);
  return `"${value.replace(/\r?\n/g, '\\n')}"`;
}

/** The .env lines of a registered App. */
export function envOfApp(app: RegisteredApp, webhookProxyUrl: string | null): Record<string, string> {
  return {
    APP_ID: app.appId,
    PRIVATE_KEY: app.privateKey,
    WEBHOOK_SECRET: app.webhookSecret,
    GITHUB_CLIENT_ID: app.clientId,
    GITHUB_CLIENT_SECRET: app.clientSecret,
    ...(app.apiUrl !== 'https://api.github.com' ? { GITHUB_API_URL: app.apiUrl } : {}),
    ...(webhookProxyUrl ? { WEBHOOK_PROXY_URL: webhookProxyUrl } : {}),
  };
}
