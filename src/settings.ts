import { readFileSync } from 'node:fs';
import { rateLimitReserveOf } from './github/rate-budget';
import { logLevelOf, registerSecret, type Level } from './log';
import { DEFAULT_TABLE_NAME } from './store/schema';

/**
 * Everything the process needs from its environment, resolved once at start-up. Names and
 * defaults are the README's environment table (README.md, "Two commands"): users rely on them.
 */
export interface Settings {
  /** `sandbox` when APP_ID is unset: a local GitHub stand-in plays GitHub. */
  mode: 'github' | 'sandbox';
  appId: string | null;
  privateKey: string | null;
  webhookSecret: string;
  githubApiUrl: string;
  host: string;
  port: number;
  publicUrl: string;
  /** Whether PUBLIC_URL was set (an address GitHub can reach), not derived from HOST and PORT. */
  publicUrlSet: boolean;
  /** WEBHOOK_PROXY_URL: a smee.io channel the local server forwards to its webhook route. */
  webhookProxyUrl: string | null;
  tableName: string;
  dynamodbEndpoint: string | null;
  dataDir: string;
  badgeSecret: string | null;
  /** Key material for sealing pagination cursors: CURSOR_SECRET, else BADGE_SECRET, else the webhook secret. */
  cursorSecret: string;
  /** LOG_LEVEL: the least severe level written; default info. */
  logLevel: Level;
  /** GITHUB_RATE_LIMIT_RESERVE: requests kept for dispatches and conclusions; below it progress waits. Default 500. */
  githubRateLimitReserve: number;
}

export class SettingsError extends Error {
  override name = 'SettingsError';
}

const DEV_WEBHOOK_SECRET = 'development';

type Env = Record<string, string | undefined>;

/** PEM keys pasted into env files often carry literal `\n`; GitHub's download has real newlines. */
function normalizePem(text: string): string {
  return text.includes('\\n') ? text.replace(/\\n/g, '\n') : text;
}

export function loadSettings(env: Env, opts: { lambda?: boolean; readFile?: (p: string) => string } = {}): Settings {
  const read = opts.readFile ?? ((p: string) => readFileSync(p, 'utf8'));
  const appId = env.APP_ID?.trim() || null;
  let privateKey: string | null = null;
  if (env.PRIVATE_KEY?.trim()) privateKey = normalizePem(env.PRIVATE_KEY.trim());
  else if (env.PRIVATE_KEY_PATH?.trim()) {
    try {
      privateKey = read(env.PRIVATE_KEY_PATH.trim());
    } catch (err) {
      throw new SettingsError(`PRIVATE_KEY_PATH: cannot read ${env.PRIVATE_KEY_PATH}: ${(err as Error).message}`);
    }
  }
  if (appId && !privateKey && !opts.lambda) {
    throw new SettingsError('APP_ID is set but neither PRIVATE_KEY nor PRIVATE_KEY_PATH is: the App cannot authenticate');
  }
  if (appId && !/^\d+$/.test(appId)) throw new SettingsError(`APP_ID must be the App's numeric id, got "${appId}"`);

  const webhookSecret = env.WEBHOOK_SECRET || (opts.lambda || appId ? '' : DEV_WEBHOOK_SECRET);
  if (!webhookSecret && !opts.lambda) {
    throw new SettingsError('WEBHOOK_SECRET is required when APP_ID is set (the dev secret is for sandbox mode only)');
  }

  const logLevel = env.LOG_LEVEL?.trim() ? logLevelOf(env.LOG_LEVEL) : 'info';
  if (!logLevel) throw new SettingsError(`LOG_LEVEL must be debug, info, warn or error, got "${env.LOG_LEVEL}"`);

  let githubRateLimitReserve: number;
  try {
    githubRateLimitReserve = rateLimitReserveOf(env.GITHUB_RATE_LIMIT_RESERVE);
  } catch (err) {
    throw new SettingsError((err as Error).message);
  }
  const host = env.HOST || '127.0.0.1';
  const port = env.PORT ? Number(env.PORT) : 3000;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new SettingsError(`PORT must be 0..65535, got "${env.PORT}"`);

  const webhookProxyUrl = env.WEBHOOK_PROXY_URL?.trim() || null;
  if (webhookProxyUrl && !/^https?:\/\/[^/\s]+\/\S+$/.test(webhookProxyUrl)) {
    throw new SettingsError(`WEBHOOK_PROXY_URL must be a channel URL such as https://smee.io/AbC123, got "${webhookProxyUrl}"`);
  }
  // Known to the logger from now on, so no line can carry them (src/log.ts). The sandbox's
  // published development secret is no secret, and redacting the word would garble lines.
  for (const s of [privateKey, webhookSecret === DEV_WEBHOOK_SECRET ? null : webhookSecret, env.BADGE_SECRET, env.CURSOR_SECRET, env.GITHUB_CLIENT_SECRET]) registerSecret(s);

  return {
    mode: appId ? 'github' : 'sandbox',
    appId,
    privateKey,
    webhookSecret,
    githubApiUrl: (env.GITHUB_API_URL || 'https://api.github.com').replace(/\/+$/, ''),
    host,
    port,
    publicUrl: (env.PUBLIC_URL || `http://${host}:${port}`).replace(/\/+$/, ''),
    publicUrlSet: Boolean(env.PUBLIC_URL),
    webhookProxyUrl,
    tableName: env.TABLE_NAME || DEFAULT_TABLE_NAME,
    dynamodbEndpoint: env.DYNAMODB_ENDPOINT || null,
    dataDir: env.DATA_DIR || '.data',
    badgeSecret: env.BADGE_SECRET || null,
    // Cursors are sealed with a key derived (HKDF) from this; any secret the server already keeps
    // will do, so none has to be added. Several servers paging one table need the same one.
    cursorSecret: env.CURSOR_SECRET || env.BADGE_SECRET || webhookSecret,
    logLevel,
    githubRateLimitReserve,
  };
}
