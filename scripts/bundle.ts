// Bundles each Lambda function the way the CDK stack does (esbuild, minified, source maps without
// sources; the AWS SDK left to the runtime, except in the ingest function, which does not load it
// at all — see SDK_BUNDLED), into dist/<name>/index.mjs, and prints the sizes. The benchmarks read
// the same bundles.
import { build, type BuildOptions } from 'esbuild';
import { statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export const FUNCTIONS = ['ingest', 'web', 'worker', 'scheduled'] as const;

const resolvePackage = createRequire(import.meta.url).resolve;

/**
 * Dependencies bundled from their ES-module build instead of the one the `node` export condition
 * picks: `yaml` gives Node a CommonJS build, which esbuild cannot tree-shake or scope-hoist, and
 * ships the same code as ES modules (`browser/`, its `default` condition; it runs on Node too).
 * 17 KB less in the worker. Absolute paths: the stack's bundling runs esbuild from elsewhere.
 */
export const ESM_BUILDS: Readonly<Record<string, string>> = {
  yaml: join(dirname(resolvePackage('yaml/package.json')), 'browser/index.js'),
};

/** The esbuild settings of the CDK stack's NodejsFunction bundling (infra/stack.ts), in one place. */
export const LAMBDA_BUILD_OPTIONS: BuildOptions = {
  bundle: true,
  minify: true,
  platform: 'node',
  target: 'node22',
  format: 'esm',
  // Prefer the ESM builds of dependencies, as the stack does.
  mainFields: ['module', 'main'],
  external: ['@aws-sdk/*'],
  alias: { ...ESM_BUILDS },
  // Some dependencies still call require(): give ESM output a require of its own.
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  logLevel: 'warning',
  legalComments: 'none',
  // As deployed: NODE_OPTIONS=--enable-source-maps reads the map on a stack trace.
  sourcemap: true,
  sourcesContent: false,
};

/**
 * Functions that would carry the AWS SDK in their bundle instead of loading the runtime's copy
 * (loading its many files is most of a cold start). The ingest function no longer imports the
 * SDK (src/handlers/ingest-aws.ts), so this changes nothing in its bundle today; it stays listed
 * so that an SDK import creeping back into the webhook path is bundled and tree-shaken rather than
 * loaded file by file (bench/first-request.ts measures both builds; `npm run bench` prints them).
 */
export const SDK_BUNDLED: readonly (typeof FUNCTIONS)[number][] = ['ingest'];

export const buildOptionsFor = (name: (typeof FUNCTIONS)[number]): BuildOptions =>
  SDK_BUNDLED.includes(name) ? { ...LAMBDA_BUILD_OPTIONS, external: [] } : LAMBDA_BUILD_OPTIONS;

export async function bundle(name: (typeof FUNCTIONS)[number], outdir = 'dist'): Promise<{ file: string; bytes: number }> {
  const file = `${outdir}/${name}/index.mjs`;
  await build({ ...buildOptionsFor(name), entryPoints: [`src/handlers/${name}.ts`], outfile: file });
  return { file, bytes: statSync(file).size };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const name of FUNCTIONS) {
    const { file, bytes } = await bundle(name);
    process.stdout.write(`${file}  ${(bytes / 1024).toFixed(1)} KiB\n`);
  }
}
