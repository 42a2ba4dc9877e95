import { generateKeyPairSync } from 'node:crypto';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { awsError, startAwsJsonServer, type AwsJsonRequest, type AwsJsonServer } from '../../test/support/aws-json-server';
import { AppSecretsError, createAppSecretsLoader, getAppSecrets, parseAppSecrets } from './app-secrets';

// Secrets Manager as far as GetSecretValue goes, so the real SDK client runs end to end. Each
// secret id maps to the answers it gives, in order (the last one repeats).
type Answer = { secretString: string } | { status: number; type: string; message: string };
let secrets: AwsJsonServer;
let endpoint: string;
let received: AwsJsonRequest[];
let answers: Record<string, Answer[]> = {};

beforeAll(async () => {
  secrets = await startAwsJsonServer('application/x-amz-json-1.1', ({ target, body }) => {
    const id = String(body.SecretId ?? '');
    const queue = answers[id] ?? [];
    const answer: Answer = (queue.length > 1 ? queue.shift() : queue[0]) ?? {
      status: 400,
      type: 'ResourceNotFoundException',
      message: "Secrets Manager can't find the specified secret.",
    };
    if (target !== 'secretsmanager.GetSecretValue') return awsError(400, 'InvalidRequestException', 'unexpected call');
    if (!('secretString' in answer)) return awsError(answer.status, answer.type, answer.message);
    return {
      body: {
        ARN: `arn:aws:secretsmanager:us-east-1:123456789012:secret:${id}-AbCdEf`,
        Name: id,
        SecretString: answer.secretString,
        VersionId: 'v1',
        VersionStages: ['AWSCURRENT'],
        CreatedDate: 1_700_000_000,
      },
    };
  });
  endpoint = secrets.url;
  received = secrets.requests;
});

afterAll(() => secrets.close());

beforeEach(() => {
  received.length = 0;
  answers = {};
});

function loader(secretId: string) {
  const client = new SecretsManagerClient({
    region: 'us-east-1',
    endpoint,
    credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'test-secret' },
    maxAttempts: 1,
  });
  return createAppSecretsLoader({ secretId, client });
}

// GitHub hands out PKCS#1 keys ("BEGIN RSA PRIVATE KEY").
const pem = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
const pemBody = pem.split('\n')[1] ?? '';
const webhookSecret = 'whsec-5f0c1d7e9a2b4c6d8e0f';
const badgeSecret = 'badge-0a1b2c3d4e5f6a7b8c9d';

/** An error and everything hanging off it, as a log line or a stack trace would show it. */
function allText(error: unknown): string {
  const parts: string[] = [];
  for (let e: unknown = error; e; e = e instanceof Error ? e.cause : undefined) {
    parts.push(String(e), e instanceof Error ? (e.stack ?? '') : '', JSON.stringify(e));
  }
  return parts.join('\n');
}

async function failure(promise: Promise<unknown>): Promise<Error> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(Error);
  return error as Error;
}

describe('createAppSecretsLoader', () => {
  it('reads the secret with GetSecretValue and restores the newlines of a one-line private key', async () => {
    answers.app = [
      { secretString: JSON.stringify({ appId: 123456, privateKey: pem.replace(/\n/g, '\\n'), webhookSecret, badgeSecret }) },
    ];

    const secrets = await loader('app')();

    expect(received).toHaveLength(1);
    expect(received[0]?.headers['x-amz-target']).toBe('secretsmanager.GetSecretValue');
    expect(received[0]?.body.SecretId).toBe('app');
    expect(secrets).toEqual({ appId: '123456', privateKey: pem, webhookSecret, badgeSecret });
  });

  it('reads once per cold start: later and concurrent calls make no request', async () => {
    answers.app = [{ secretString: JSON.stringify({ appId: '7', privateKey: pem, webhookSecret }) }];
    const get = loader('app');

    const [first, second] = await Promise.all([get(), get()]);
    const third = await get();

    expect(received).toHaveLength(1);
    expect(second).toBe(first);
    expect(third).toBe(first);
    expect(first.badgeSecret).toBeUndefined();
  });

  it('does not remember a failure: the next call reads again and can succeed', async () => {
    answers.app = [
      { status: 400, type: 'ThrottlingException', message: 'Rate exceeded' },
      { secretString: JSON.stringify({ appId: '7', privateKey: pem, webhookSecret }) },
    ];
    const get = loader('app');

    const error = await failure(get());
    expect(error).toBeInstanceOf(AppSecretsError);
    expect(error.message).toBe('could not read secret app: ThrottlingException: Rate exceeded');
    await expect(get()).resolves.toMatchObject({ appId: '7' });
    expect(received).toHaveLength(2);
  });

  it('names the missing key and the secret, and never the values it holds', async () => {
    // What the stack creates before the owner stores the App's credentials.
    answers.fresh = [{ secretString: JSON.stringify({ appId: '', privateKey: pem, webhookSecret, badgeSecret }) }];

    const error = await failure(loader('fresh')());

    expect(error.message).toBe(
      'secret fresh is missing "appId" (empty or not a string); see "Store the App credentials" in docs/DEPLOY.md',
    );
    for (const value of [webhookSecret, badgeSecret, pemBody]) expect(allText(error)).not.toContain(value);
  });

  it('lists every absent key', async () => {
    answers.partial = [{ secretString: JSON.stringify({ webhookSecret }) }];

    const error = await failure(loader('partial')());

    expect(error.message).toMatch(/^secret partial is missing "appId", "privateKey";/);
    expect(allText(error)).not.toContain(webhookSecret);
  });

  it('reports text that is not JSON without quoting it', async () => {
    answers.broken = [{ secretString: `{"webhookSecret": "${webhookSecret}", oops` }];

    const error = await failure(loader('broken')());

    expect(error.message).toMatch(/^secret broken is not valid JSON;/);
    expect(allText(error)).not.toContain(webhookSecret);
  });

  it('rejects a private key that is not PEM, without echoing it', async () => {
    answers.badkey = [{ secretString: JSON.stringify({ appId: '7', privateKey: pemBody, webhookSecret }) }];

    const error = await failure(loader('badkey')());

    expect(error.message).toMatch(/^secret badkey has a "privateKey" that is not a PEM private key/);
    for (const value of [webhookSecret, pemBody]) expect(allText(error)).not.toContain(value);
  });

  it('says which secret could not be read when Secrets Manager refuses', async () => {
    const error = await failure(loader('arn:aws:secretsmanager:us-east-1:123456789012:secret:gone')());

    expect(error.message).toContain('could not read secret arn:aws:secretsmanager:us-east-1:123456789012:secret:gone');
    expect(error.message).toContain('ResourceNotFoundException');
  });
});

describe('parseAppSecrets', () => {
  it('accepts a key with CRLF line endings and treats an empty badgeSecret as absent', () => {
    const secrets = parseAppSecrets(
      JSON.stringify({ appId: '1', privateKey: pem.replace(/\n/g, '\r\n'), webhookSecret, badgeSecret: '' }),
      'x',
    );

    expect(secrets.privateKey).toBe(pem);
    expect('badgeSecret' in secrets).toBe(false);
  });

  it('rejects JSON that is not an object', () => {
    expect(() => parseAppSecrets('"just a string"', 'x')).toThrow(/^secret x must be a JSON object/);
  });
});

describe('getAppSecrets', () => {
  it('fails clearly when SECRET_ARN is not set', async () => {
    expect(process.env.SECRET_ARN).toBeUndefined();
    await expect(getAppSecrets()).rejects.toThrow('SECRET_ARN is not set');
  });
});
