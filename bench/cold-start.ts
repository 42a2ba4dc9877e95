// 3. Cold start: each Lambda function bundled as the CDK stack bundles it (scripts/bundle.ts), and
// the time to import it in a fresh Node process, against importing Probot in a fresh process; then
// the time to a first answer after a cold start, secret read included (./first-request.ts).
import { execFile } from 'node:child_process';
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { bundle, FUNCTIONS, LAMBDA_BUILD_OPTIONS } from '../scripts/bundle';
import { runFirstRequest, type FirstRequestResult } from './first-request';
import { median, round } from './lib/stats';

const DEPLOYED = 'ingest as deployed';

const run = promisify(execFile);

export interface ColdStartResult {
  bundleBytes: Record<(typeof FUNCTIONS)[number], number>;
  /** The ingest function built with `@aws-sdk/*` external (the bytes target; the ingest function imports no SDK, so the same code as deployed). */
  ingestSdkExternalBytes: number | null;
  /** Median ms to import the module in a fresh process (Node's own boot excluded), over `runs` processes. */
  importMs: Record<string, number>;
  runs: number;
  /** Ingest bundle as deployed / `import('probot')`. */
  ratioIngestToProbot: number;
  /** The ingest bundle imported after the SDK packages / `import('probot')`: what is left once Node's own modules the SDK also loads (http, crypto, url) are warm. */
  ratioIngestOwnToProbot: number;
  /** A fresh process to its first answer (import, secret read, verify, put, SQS send), both sides. */
  firstRequest: FirstRequestResult;
  /** The ingest function as deployed ÷ Probot, to the first answer. */
  ratioFirstRequestToProbot: number;
}

/** What the Lambda runtime provides and the bundles leave external. */
const SDK = ['@aws-sdk/client-dynamodb', '@aws-sdk/lib-dynamodb', '@aws-sdk/client-sqs', '@aws-sdk/client-secrets-manager'];

/** Environment the handlers read at import (no network is touched at import time). */
const HANDLER_ENV = {
  AWS_REGION: 'us-east-1',
  TABLE_NAME: 'bench',
  QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/123456789012/bench.fifo',
  SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:bench',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
};

async function importMs(specifier: string, preload: string[] = []): Promise<number> {
  const pre = preload.map((m) => `await import(${JSON.stringify(m)});`).join('');
  const code = `${pre}const t=process.hrtime.bigint();await import(${JSON.stringify(specifier)});process.stdout.write(String(Number(process.hrtime.bigint()-t)/1e6))`;
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', code], {
    cwd: resolve('.'),
    env: { ...process.env, ...HANDLER_ENV, NODE_OPTIONS: '' },
  });
  return Number(stdout);
}

export async function runColdStart(opts: { runs?: number; outdir?: string } = {}): Promise<ColdStartResult> {
  const runs = opts.runs ?? 7;
  const outdir = opts.outdir ?? 'bench/.cache/dist';
  const bundleBytes = {} as ColdStartResult['bundleBytes'];
  const targets: Record<string, { spec: string; preload?: string[] }> = {};
  for (const name of FUNCTIONS) {
    const { file, bytes } = await bundle(name, outdir);
    bundleBytes[name] = bytes;
    targets[`${name} bundle`] = { spec: pathToFileURL(resolve(file)).href };
  }
  targets['ingest bundle, SDK preloaded'] = { spec: targets['ingest bundle']!.spec, preload: SDK };
  targets['probot (as installed)'] = { spec: 'probot' };
  // What leaving the SDK to the runtime would give (a smaller file, many more files to load).
  const sdkExternal = `${outdir}/ingest-sdk-external/index.mjs`;
  const ingestSdkExternalBytes = await build({
    ...LAMBDA_BUILD_OPTIONS,
    external: ['@aws-sdk/*'],
    entryPoints: ['src/handlers/ingest.ts'],
    outfile: sdkExternal,
    logLevel: 'silent',
  }).then(
    () => {
      targets['ingest, SDK left to the runtime'] = { spec: pathToFileURL(resolve(sdkExternal)).href };
      return statSync(sdkExternal).size;
    },
    () => null,
  );
  // Probot bundled the same way, for a like-for-like look (the target is set against the line above).
  mkdirSync(`${outdir}/probot-app`, { recursive: true });
  const entry = `${outdir}/probot-app/entry.mjs`;
  writeFileSync(entry, "import { Probot } from 'probot';\nexport const P = Probot;\n");
  await build({
    ...LAMBDA_BUILD_OPTIONS,
    entryPoints: [entry],
    outfile: `${outdir}/probot-app/index.mjs`,
    logLevel: 'silent',
  }).then(
    () => (targets['probot bundle'] = { spec: pathToFileURL(resolve(`${outdir}/probot-app/index.mjs`)).href }),
    () => undefined,
  );

  const samples: Record<string, number[]> = Object.fromEntries(Object.keys(targets).map((k) => [k, []]));
  await importMs('node:http'); // the first process start pays for a cold page cache
  for (let i = 0; i < runs; i++) {
    for (const [label, t] of Object.entries(targets)) samples[label]!.push(await importMs(t.spec, t.preload));
  }
  const ms = Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, round(median(v), 1)]));
  const firstRequest = await runFirstRequest({
    runs,
    outdir,
    bundles: {
      [DEPLOYED]: resolve(`${outdir}/ingest/index.mjs`),
      ...(ingestSdkExternalBytes !== null ? { 'ingest, SDK left to the runtime': resolve(sdkExternal) } : {}),
    },
  });
  return {
    bundleBytes,
    ingestSdkExternalBytes,
    firstRequest,
    ratioFirstRequestToProbot: round(firstRequest.ms[DEPLOYED]! / firstRequest.ms.probot!),
    importMs: ms,
    runs,
    ratioIngestToProbot: round(ms['ingest bundle']! / ms['probot (as installed)']!),
    ratioIngestOwnToProbot: round(ms['ingest bundle, SDK preloaded']! / ms['probot (as installed)']!),
  };
}
