// Bundles each Lambda function the way the CDK stack does (esbuild, minified, AWS SDK left to the
// runtime), into dist/<name>/index.mjs, and prints the sizes. The benchmarks read the same bundles.
import { build, type BuildOptions } from 'esbuild';
import { statSync } from 'node:fs';

export const FUNCTIONS = ['ingest', 'web', 'worker', 'scheduled'] as const;

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
  // Some dependencies still call require(): give ESM output a require of its own.
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  logLevel: 'warning',
  legalComments: 'none',
};

export async function bundle(name: (typeof FUNCTIONS)[number], outdir = 'dist'): Promise<{ file: string; bytes: number }> {
  const file = `${outdir}/${name}/index.mjs`;
  await build({ ...LAMBDA_BUILD_OPTIONS, entryPoints: [`src/handlers/${name}.ts`], outfile: file });
  return { file, bytes: statSync(file).size };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const name of FUNCTIONS) {
    const { file, bytes } = await bundle(name);
    process.stdout.write(`${file}  ${(bytes / 1024).toFixed(1)} KiB\n`);
  }
}
