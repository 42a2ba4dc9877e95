/**
 * The ingest function's AWS client: one signed JSON-protocol POST per call (DynamoDB, SQS, Secrets
 * Manager all speak it), over keep-alive node:http(s), signed with `aws4` (SigV4 for node
 * request options, synchronous; about a third of the CPU of the SDK's @smithy/signature-v4 per
 * call here). Why not the AWS SDK clients, as every other function uses: on the webhook path they
 * were most of the cost — about 200 ms of a cold start to load three clients, and about 1 ms of
 * CPU per call against 0.25 ms for the same signed request sent this way (bench/,
 * docs/PERFORMANCE.md). The intake makes three kinds of call (a conditional put, a send, one
 * secret read per container); the worker, web and scheduled functions keep the SDK.
 *
 * Behaves like the SDK clients the ingest function had (src/store/dynamo.ts createDocumentClient):
 * credentials from the Lambda environment, `AWS_ENDPOINT_URL_<SERVICE>` / `AWS_ENDPOINT_URL`
 * honoured, at most 2 attempts (a network error, a timeout, a 5xx or a throttle is retried once),
 * 1 s to connect and 2 s per attempt, and errors named as AWS names them
 * (`ConditionalCheckFailedException`), with the HTTP status.
 */
import http from 'node:http';
import https from 'node:https';
import aws4 from 'aws4';

export type AwsService = 'dynamodb' | 'sqs' | 'secretsmanager';

/** Each service's JSON protocol: content type and the `X-Amz-Target` prefix. */
const PROTOCOL: Record<AwsService, { contentType: string; target: string }> = {
  dynamodb: { contentType: 'application/x-amz-json-1.0', target: 'DynamoDB_20120810' },
  sqs: { contentType: 'application/x-amz-json-1.0', target: 'AmazonSQS' },
  secretsmanager: { contentType: 'application/x-amz-json-1.1', target: 'secretsmanager' },
};

/** The names `AWS_ENDPOINT_URL_<SERVICE>` uses (the SDK's service ids, upper-cased, spaces as `_`). */
const ENDPOINT_ENV: Record<AwsService, string> = {
  dynamodb: 'AWS_ENDPOINT_URL_DYNAMODB',
  sqs: 'AWS_ENDPOINT_URL_SQS',
  secretsmanager: 'AWS_ENDPOINT_URL_SECRETS_MANAGER',
};

/** Error names AWS answers when a call may succeed if tried again (besides any 5xx). */
const RETRYABLE = new Set([
  'ThrottlingException',
  'Throttling',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'TooManyRequestsException',
  'ServiceUnavailable',
  'InternalServerError',
]);

/** The error of a client with no credentials: a setup fault, not retried. */
const NO_CREDENTIALS = 'CredentialsProviderError';

export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export interface AwsJsonOptions {
  region: string;
  /** The credentials, or where to get them at the first call (as the SDK's clients do). */
  credentials: AwsCredentials | (() => Promise<AwsCredentials>);
  /** Base URL per service; a service not listed goes to `https://<service>.<region>.amazonaws.com`. */
  endpoints?: Partial<Record<AwsService, string>>;
  maxAttempts?: number;
  connectTimeoutMs?: number;
  requestTimeoutMs?: number;
}

/** An error answer of an AWS service (or a failure to reach it), named as the SDK names it. */
export class AwsError extends Error {
  constructor(
    override readonly name: string,
    message: string,
    /** HTTP status, 0 when no answer came. */
    readonly status: number,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

export interface AwsJsonClient {
  /** POSTs `input` as `<Target>.<operation>` to the service; resolves to its JSON answer. */
  call<T = Record<string, unknown>>(service: AwsService, operation: string, input: object, endpoint?: string): Promise<T>;
  /** Closes the kept-alive connections (tests, benchmarks). */
  destroy(): void;
}

export function createAwsJsonClient(opts: AwsJsonOptions): AwsJsonClient {
  const maxAttempts = opts.maxAttempts ?? 2;
  const connectTimeoutMs = opts.connectTimeoutMs ?? 1_000;
  const requestTimeoutMs = opts.requestTimeoutMs ?? 2_000;
  const agents = { http: new http.Agent({ keepAlive: true, maxSockets: 50 }), https: new https.Agent({ keepAlive: true, maxSockets: 50 }) };
  const credentials = typeof opts.credentials === 'function' ? opts.credentials : () => Promise.resolve(opts.credentials as AwsCredentials);
  // Parsed once per container, not per call.
  const urls = new Map<string, URL>();
  const urlOf = (base: string) => {
    let url = urls.get(base);
    if (!url) urls.set(base, (url = new URL(base)));
    return url;
  };

  async function attempt(service: AwsService, url: URL, operation: string, body: string): Promise<{ status: number; text: string }> {
    // aws4 derives the signing key once a day per credentials and caches it.
    const signed = aws4.sign(
      {
        service,
        region: opts.region,
        method: 'POST',
        host: url.host,
        path: url.pathname || '/',
        headers: {
          host: url.host,
          'content-type': PROTOCOL[service].contentType,
          'x-amz-target': `${PROTOCOL[service].target}.${operation}`,
          'content-length': String(Buffer.byteLength(body)),
        },
        body,
      },
      await credentials(),
    );
    const secure = url.protocol === 'https:';
    return new Promise((resolve, reject) => {
      const req = (secure ? https : http).request(
        {
          method: 'POST',
          host: url.hostname,
          port: url.port || (secure ? 443 : 80),
          path: url.pathname || '/',
          headers: signed.headers as http.OutgoingHttpHeaders,
          agent: secure ? agents.https : agents.http,
        },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (text += chunk));
          res.on('end', () => {
            clearTimeout(timer);
            resolve({ status: res.statusCode ?? 0, text });
          });
          res.on('error', fail);
        },
      );
      function fail(err: Error) {
        clearTimeout(timer);
        reject(err);
      }
      // One deadline for the whole attempt; a socket that never connects fails sooner.
      const timer = setTimeout(() => req.destroy(new AwsError('TimeoutError', `${service} ${operation}: no answer within ${requestTimeoutMs} ms`, 0)), requestTimeoutMs);
      req.on('socket', (socket) => {
        if (socket.connecting) {
          const t = setTimeout(() => req.destroy(new AwsError('TimeoutError', `${service} ${operation}: no connection within ${connectTimeoutMs} ms`, 0)), connectTimeoutMs);
          socket.once('connect', () => clearTimeout(t));
          socket.once('close', () => clearTimeout(t));
        }
      });
      req.on('error', fail);
      req.end(body);
    });
  }

  return {
    async call<T>(service: AwsService, operation: string, input: object, endpoint?: string): Promise<T> {
      const url = urlOf(endpoint ?? opts.endpoints?.[service] ?? `https://${service}.${opts.region}.amazonaws.com`);
      const body = JSON.stringify(input);
      for (let n = 1; ; n++) {
        let error: AwsError;
        try {
          const { status, text } = await attempt(service, url, operation, body);
          if (status >= 200 && status < 300) return (text ? JSON.parse(text) : {}) as T;
          error = errorOf(service, operation, status, text);
        } catch (err) {
          error = err instanceof AwsError ? err : new AwsError((err as Error).name || 'NetworkError', `${service} ${operation}: ${(err as Error).message}`, 0, { cause: err });
        }
        const retryable = (error.status === 0 && error.name !== NO_CREDENTIALS) || error.status >= 500 || error.status === 429 || RETRYABLE.has(error.name);
        if (!retryable || n >= maxAttempts) throw error;
        // The SDK's standard retry waits up to 100 ms × 2^attempt, jittered.
        await new Promise((r) => setTimeout(r, Math.random() * 100 * 2 ** n));
      }
    },
    destroy() {
      agents.http.destroy();
      agents.https.destroy();
    },
  };
}

/** An error answer: `__type` (`com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException`) → its last part. */
function errorOf(service: AwsService, operation: string, status: number, text: string): AwsError {
  let json: { __type?: unknown; message?: unknown; Message?: unknown } = {};
  try {
    json = JSON.parse(text) as typeof json;
  } catch {
    // not JSON (a proxy's page): the status says enough
  }
  const type = typeof json.__type === 'string' ? json.__type : '';
  const name = type.split('#').at(-1)!.split(':')[0] || (status >= 500 ? 'InternalServerError' : `Http${status}`);
  const message = typeof json.message === 'string' ? json.message : typeof json.Message === 'string' ? json.Message : `${service} ${operation} answered ${status}`;
  return new AwsError(name, message, status);
}

/**
 * Region, credentials and endpoints as the Lambda runtime gives them: `AWS_REGION`, the
 * function role's `AWS_ACCESS_KEY_ID` / `AWS_SECRET_ACCESS_KEY` / `AWS_SESSION_TOKEN`, and the
 * SDK's endpoint overrides (`AWS_ENDPOINT_URL_DYNAMODB`, …, then `AWS_ENDPOINT_URL`).
 */
export function awsJsonOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): AwsJsonOptions {
  const region = env.AWS_REGION || env.AWS_DEFAULT_REGION;
  if (!region) throw new Error('AWS_REGION is not set; the Lambda runtime sets it');
  const endpoints: Partial<Record<AwsService, string>> = {};
  for (const service of Object.keys(ENDPOINT_ENV) as AwsService[]) {
    const url = env[ENDPOINT_ENV[service]] || env.AWS_ENDPOINT_URL;
    if (url) endpoints[service] = url;
  }
  // Read when first needed, as the SDK's clients do: a module that only imports this never fails.
  const credentials = async (): Promise<AwsCredentials> => {
    const { AWS_ACCESS_KEY_ID: accessKeyId, AWS_SECRET_ACCESS_KEY: secretAccessKey, AWS_SESSION_TOKEN: sessionToken } = env;
    if (!accessKeyId || !secretAccessKey) {
      throw new AwsError(NO_CREDENTIALS, 'AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set; the Lambda runtime sets them from the function role', 0);
    }
    return { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) };
  };
  return { region, credentials, endpoints };
}
