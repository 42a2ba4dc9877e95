/**
 * The GitHub App's credentials on AWS, read through the AWS SDK (./app-secrets-parse.ts says what
 * the secret holds and how it is checked).
 */
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { AppSecretsError, createSecretsLoader, type AppSecrets } from './app-secrets-parse';

export { AppSecretsError, parseAppSecrets, type AppSecrets } from './app-secrets-parse';

interface AppSecretsLoaderOptions {
  /** Secret ARN or name (SECRET_ARN on Lambda). */
  secretId: string;
  /** A configured client; by default one for the Lambda's own region and credentials. */
  client?: SecretsManagerClient;
}

/** The secret, read once per process through the SDK (see createSecretsLoader). */
export function createAppSecretsLoader(options: AppSecretsLoaderOptions): () => Promise<AppSecrets> {
  return createSecretsLoader(options.secretId, async (SecretId) => {
    const client = options.client ?? new SecretsManagerClient({});
    return (await client.send(new GetSecretValueCommand({ SecretId }))).SecretString;
  });
}

let fromEnvironment: (() => Promise<AppSecrets>) | undefined;

/** The Lambda handlers' entry point: the secret named by SECRET_ARN, read once per cold start. */
export function getAppSecrets(): Promise<AppSecrets> {
  if (!fromEnvironment) {
    const secretId = process.env.SECRET_ARN;
    if (!secretId) return Promise.reject(new AppSecretsError('SECRET_ARN is not set; the stack sets it on every function'));
    fromEnvironment = createAppSecretsLoader({ secretId });
  }
  return fromEnvironment();
}
