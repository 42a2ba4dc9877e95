/**
 * The GitHub App's credentials on AWS: one Secrets Manager secret (SECRET_ARN) holding
 *   { "appId": "123", "privateKey": "-----BEGIN RSA PRIVATE KEY-----\n…", "webhookSecret": "…", "badgeSecret"?: "…" }
 * read once per cold start. Nothing here logs, and no error message carries a secret value:
 * errors name the secret and the key, never what it holds. This module reads the secret through
 * whatever client it is given (./app-secrets.ts: the AWS SDK; the ingest function: its own).
 */
import { registerSecret } from '../log';

export interface AppSecrets {
  appId: string;
  /** PEM text with real newlines. */
  privateKey: string;
  webhookSecret: string;
  /** HMAC key for private-repository badge tokens; absent → private badges stay hidden. */
  badgeSecret?: string;
}

/** A problem with the secret's contents: fixable by the owner, so the message says how. */
export class AppSecretsError extends Error {
  override readonly name = 'AppSecretsError';
}

const HELP = 'see "Store the App credentials" in docs/DEPLOY.md';

/**
 * Parse and check the secret's JSON text. Pure. `source` names the secret in errors.
 * A private key stored with `\n` escapes (one line) is given its real newlines back.
 */
export function parseAppSecrets(secretString: string, source: string): AppSecrets {
  let json: unknown;
  try {
    json = JSON.parse(secretString);
  } catch {
    // JSON.parse's own message quotes the text it choked on, i.e. the secret: drop it.
    throw new AppSecretsError(`secret ${source} is not valid JSON; ${HELP}`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new AppSecretsError(`secret ${source} must be a JSON object; ${HELP}`);
  }
  // Four fields, checked by hand: a schema library here would be most of the ingest bundle.
  const obj = json as Record<string, unknown>;
  const text = (key: string) => (typeof obj[key] === 'string' ? (obj[key] as string).trim() : '');
  // The manifest conversion answers a numeric id; either form is accepted.
  const appId =
    typeof obj.appId === 'number' && Number.isInteger(obj.appId) && obj.appId > 0 ? String(obj.appId) : text('appId');
  const bad = (['appId', 'privateKey', 'webhookSecret'] as const).filter((key) => (key === 'appId' ? !appId : !text(key)));
  if (obj.badgeSecret !== undefined && typeof obj.badgeSecret !== 'string') bad.push('badgeSecret' as never);
  if (bad.length) {
    // Only key names leave this function, never values.
    const missing = bad.map((key) => (key in obj ? `"${key}" (empty or not a string)` : `"${key}"`));
    throw new AppSecretsError(`secret ${source} is missing ${missing.join(', ')}; ${HELP}`);
  }
  const webhookSecret = text('webhookSecret');
  const badgeSecret = text('badgeSecret');
  const privateKey = text('privateKey').replace(/\\n/g, '\n').replace(/\r\n/g, '\n').trim() + '\n';
  if (!/^-----BEGIN [A-Z ]*PRIVATE KEY-----\n[\s\S]+\n-----END [A-Z ]*PRIVATE KEY-----\n$/.test(privateKey)) {
    throw new AppSecretsError(
      `secret ${source} has a "privateKey" that is not a PEM private key (-----BEGIN … PRIVATE KEY-----); ${HELP}`,
    );
  }
  // Known to the logger from now on, so no line can carry them (src/log.ts).
  for (const s of [privateKey, webhookSecret, badgeSecret]) registerSecret(s);
  return { appId, privateKey, webhookSecret, ...(badgeSecret ? { badgeSecret } : {}) };
}

/**
 * A function that reads the secret on its first call and then answers from memory for the
 * life of the process (one Lambda execution environment). A failed read is not remembered,
 * so a transient error, or a secret the owner has just completed, works on the next call.
 * `read` answers the secret's SecretString (undefined for a binary secret).
 */
export function createSecretsLoader(secretId: string, read: (secretId: string) => Promise<string | undefined>): () => Promise<AppSecrets> {
  let cached: Promise<AppSecrets> | undefined;
  const load = async (): Promise<AppSecrets> => {
    let secretString: string | undefined;
    try {
      secretString = await read(secretId);
    } catch (error) {
      // The clients' errors (access denied, not found, throttled) describe the call, not the value.
      const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      throw new AppSecretsError(`could not read secret ${secretId}: ${reason}`, { cause: error });
    }
    if (secretString === undefined) {
      throw new AppSecretsError(`secret ${secretId} has no SecretString (binary secrets are not supported)`);
    }
    return parseAppSecrets(secretString, secretId);
  };
  return () => {
    cached ??= load().catch((error: unknown) => {
      cached = undefined;
      throw error;
    });
    return cached;
  };
}
