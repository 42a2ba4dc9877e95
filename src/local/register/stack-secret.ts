import { randomBytes } from 'node:crypto';
import { GetSecretValueCommand, PutSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { RegisteredApp } from './convert';

/**
 * Stores a registered App in the stack's secret (the JSON src/secrets/app-secrets.ts reads),
 * keeping what is already there (a badgeSecret) and adding a random badgeSecret if there is none.
 */
export async function saveToStackSecret(client: SecretsManagerClient, secretId: string, app: RegisteredApp): Promise<void> {
  const current = await client.send(new GetSecretValueCommand({ SecretId: secretId }));
  let existing: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(current.SecretString ?? '{}');
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) existing = parsed as Record<string, unknown>;
  } catch {
    // Not JSON (hand-edited): replaced by the App's values below.
  }
  const next = {
    ...existing,
    appId: app.appId,
    privateKey: app.privateKey,
    webhookSecret: app.webhookSecret,
    badgeSecret: typeof existing.badgeSecret === 'string' && existing.badgeSecret ? existing.badgeSecret : randomBytes(32).toString('hex'),
  };
  await client.send(new PutSecretValueCommand({ SecretId: secretId, SecretString: JSON.stringify(next) }));
}
