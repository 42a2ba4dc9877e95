import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A stand-in for one AWS service speaking its JSON protocol (the `x-amz-target` header names the
 * call), so the real SDK client — serialisation, signing, reply checks — runs end to end against
 * it. Each request is recorded; `answer` decides the reply.
 */
export interface AwsJsonRequest {
  target: string;
  headers: IncomingHttpHeaders;
  body: Record<string, unknown>;
}

export interface AwsJsonReply {
  status?: number;
  body: unknown;
  headers?: Record<string, string>;
}

export interface AwsJsonServer {
  url: string;
  requests: AwsJsonRequest[];
  close(): Promise<void>;
}

/** An AWS error answer in the JSON protocol's shape. */
export const awsError = (status: number, type: string, message: string): AwsJsonReply => ({
  status,
  body: { __type: type, message, Message: message },
  headers: { 'x-amzn-errortype': type },
});

export async function startAwsJsonServer(
  contentType: 'application/x-amz-json-1.0' | 'application/x-amz-json-1.1',
  answer: (req: AwsJsonRequest) => AwsJsonReply,
): Promise<AwsJsonServer> {
  const requests: AwsJsonRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const request = {
        target: String(req.headers['x-amz-target'] ?? ''),
        headers: req.headers,
        body: JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>,
      };
      requests.push(request);
      const out = answer(request);
      res.statusCode = out.status ?? 200;
      res.setHeader('content-type', contentType);
      for (const [k, v] of Object.entries(out.headers ?? {})) res.setHeader(k, v);
      res.end(JSON.stringify(out.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
