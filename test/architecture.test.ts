/**
 * The house's walls, checked on every import in the tree (read with TypeScript's own parser):
 * `src/core` decides without I/O and without reaching outside itself; only `src/local` (sandbox
 * mode) uses the GitHub simulator, and everything uses it by its package name; nothing under
 * `src/` but the entry points themselves imports the Lambda entry points or the local server; the
 * simulator package imports nothing of the app. A change that breaks a wall names the file, the
 * line and the import.
 */
import { builtinModules } from 'node:module';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SIM_PACKAGE = '@arm64-ci/github-sim';

interface Import {
  /** The module specifier; null for a dynamic import or require of a computed value. */
  specifier: string | null;
  /** Erased at compile time: `import type`, `export type`, or an `import('x').T` type. */
  typeOnly: boolean;
  line: number;
}

/**
 * Every import of a TypeScript file: static imports and re-exports, `import x = require()`,
 * dynamic `import()`, `require()`, and `import('x')` types. Under `verbatimModuleSyntax`,
 * `import { type A } from 'x'` still loads 'x' at run time, so only a statement-level
 * `import type` / `export type` counts as type-only.
 */
function importsOf(fileName: string, text: string): Import[] {
  const kind = fileName.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS;
  const sf = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, kind);
  const out: Import[] = [];
  const add = (node: ts.Node, spec: ts.Expression | undefined, typeOnly: boolean) =>
    out.push({
      specifier: spec && ts.isStringLiteralLike(spec) ? spec.text : null,
      typeOnly,
      line: sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1,
    });
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node)) add(node, node.moduleSpecifier, node.importClause?.isTypeOnly ?? false);
    else if (ts.isExportDeclaration(node) && node.moduleSpecifier) add(node, node.moduleSpecifier, node.isTypeOnly);
    else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference))
      add(node, node.moduleReference.expression, node.isTypeOnly);
    else if (ts.isCallExpression(node) && (node.expression.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(node.expression) && node.expression.text === 'require')))
      add(node, node.arguments[0], false);
    else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) add(node, node.argument.literal, true);
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

/** A source file as the rules see it: its path from the repository root (with `/`) and its imports. */
interface SourceFile {
  path: string;
  imports: Import[];
}

const isTest = (path: string) => /\.test\.tsx?$/.test(path);
const under = (path: string, dir: string) => path === dir || path.startsWith(`${dir}/`);

/** Where a relative specifier points, from the repository root (with `/`); null for a bare one. */
function target(file: SourceFile, specifier: string): string | null {
  if (!specifier.startsWith('.')) return null;
  return relative(ROOT, resolve(ROOT, dirname(file.path), specifier)).split(sep).join('/');
}

const bare = (specifier: string) => (specifier.startsWith('node:') ? specifier.slice(5) : specifier);
const BUILTINS = new Set(builtinModules);
/** Node built-ins that compute without I/O, a clock or randomness. */
const PURE_BUILTINS = new Set(['assert', 'assert/strict', 'buffer', 'path', 'path/posix', 'querystring', 'string_decoder', 'url', 'util', 'util/types']);
/** Packages that talk to the world (or simulate it): the shell's business, never core's. */
const IO_PACKAGES = [/^@aws-sdk\//, /^@smithy\//, /^@octokit\//, /^@hono\/node-server(\/|$)/, /^dynalite$/, /^undici(\/|$)/, /^ws$/, /^@arm64-ci\//];
/** Types only, never code: the payload and API types core decides on. */
const TYPE_PACKAGES = new Set(['@octokit/webhooks', '@octokit/openapi-types', '@octokit/webhooks-types']);

const where = (file: SourceFile, imp: Import) => `${file.path}:${imp.line} imports ${imp.specifier === null ? 'a computed module name' : `'${imp.specifier}'`}`;

/** `src/core` (tests aside, which may read fixtures) imports no I/O and nothing outside itself. */
function coreViolations(files: SourceFile[]): string[] {
  const out: string[] = [];
  for (const file of files.filter((f) => under(f.path, 'src/core') && !isTest(f.path))) {
    for (const imp of file.imports) {
      const spec = imp.specifier;
      if (spec === null) {
        out.push(`${where(file, imp)}: core loads no module by a computed name`);
        continue;
      }
      const to = target(file, spec);
      if (to !== null) {
        if (!under(to, 'src/core')) out.push(`${where(file, imp)}: core imports nothing outside src/core`);
      } else if (BUILTINS.has(bare(spec)) || spec.startsWith('node:')) {
        if (!PURE_BUILTINS.has(bare(spec))) out.push(`${where(file, imp)}: a Node built-in with I/O, a clock or randomness has no place in core`);
      } else if (IO_PACKAGES.some((re) => re.test(spec)) && !(imp.typeOnly && TYPE_PACKAGES.has(spec))) {
        out.push(`${where(file, imp)}: core does no I/O (type-only imports of ${[...TYPE_PACKAGES].join(', ')} are fine)`);
      }
    }
  }
  return out;
}

const isSim = (specifier: string) => specifier === SIM_PACKAGE || specifier.startsWith(`${SIM_PACKAGE}/`);

/** Only sandbox mode (`src/local`) uses the simulator; nobody reaches into `packages/` by a path. */
function simulatorViolations(files: SourceFile[]): string[] {
  const out: string[] = [];
  for (const file of files) {
    for (const imp of file.imports) {
      if (imp.specifier === null) continue;
      const to = target(file, imp.specifier);
      if (under(file.path, 'src') && !under(file.path, 'src/local') && isSim(imp.specifier))
        out.push(`${where(file, imp)}: only src/local (sandbox mode) may use the simulator`);
      if (!under(file.path, 'packages') && to !== null && under(to, 'packages'))
        out.push(`${where(file, imp)}: import the package by its name ('${SIM_PACKAGE}'), not by a path`);
      if (under(file.path, 'packages/github-sim') && to !== null && !under(to, 'packages/github-sim'))
        out.push(`${where(file, imp)}: the simulator stands alone and imports nothing of the app`);
    }
  }
  return out;
}

/** The entry points import the house; the house never imports them. */
function entryPointViolations(files: SourceFile[]): string[] {
  const out: string[] = [];
  const entries = ['src/handlers', 'src/local'];
  for (const file of files.filter((f) => under(f.path, 'src') && !entries.some((d) => under(f.path, d)))) {
    for (const imp of file.imports) {
      const to = imp.specifier === null ? null : target(file, imp.specifier);
      const entry = to === null ? undefined : entries.find((d) => under(to, d));
      if (entry) out.push(`${where(file, imp)}: ${entry} holds entry points, which the rest of src/ never imports`);
    }
  }
  return out;
}

function readTree(...dirs: string[]): SourceFile[] {
  return dirs.flatMap((dir) =>
    (readdirSync(join(ROOT, dir), { recursive: true }) as string[])
      .map((p) => `${dir}/${p.split(sep).join('/')}`)
      .filter((p) => /\.tsx?$/.test(p) && !p.endsWith('.d.ts') && !p.includes('/node_modules/'))
      .map((path) => ({ path, imports: importsOf(path, readFileSync(join(ROOT, path), 'utf8')) })),
  );
}

const tree = readTree('src', 'test', 'bench', 'scripts', 'infra', 'packages');

/** The packages the non-test files under `dir` load at run time (type-only imports are erased). */
function runtimePackages(dir: string): string[] {
  const names = tree
    .filter((f) => under(f.path, dir) && !isTest(f.path))
    .flatMap((f) => f.imports)
    .flatMap((i) => (i.typeOnly || i.specifier === null || i.specifier.startsWith('.') || i.specifier.startsWith('node:') || BUILTINS.has(i.specifier) ? [] : [i.specifier]))
    // A package's name is its first path segment, or its first two when scoped.
    .map((spec) => spec.split('/').slice(0, spec.startsWith('@') ? 2 : 1).join('/'));
  return [...new Set(names)].sort();
}
const dependencies = (manifest: string) =>
  Object.keys((JSON.parse(readFileSync(join(ROOT, manifest), 'utf8')) as { dependencies?: Record<string, string> }).dependencies ?? {}).sort();
const file = (path: string, text: string): SourceFile => ({ path, imports: importsOf(path, text) });

describe('the walls of the house, on the tree as it is', () => {
  it('reads the whole tree (so the checks below cannot pass by reading nothing)', () => {
    const count = (dir: string) => tree.filter((f) => under(f.path, dir)).length;
    expect(count('src/core')).toBeGreaterThan(20);
    expect(count('src/local')).toBeGreaterThan(3);
    expect(count('packages/github-sim/src')).toBeGreaterThan(5);
    expect(tree.find((f) => f.path === 'src/local/server.ts')?.imports.map((i) => i.specifier)).toContain(SIM_PACKAGE);
  });

  it('src/core imports no I/O and nothing outside src/core', () => {
    expect(coreViolations(tree)).toEqual([]);
  });

  it('only src/local uses the GitHub simulator, and every user imports it by its package name', () => {
    expect(simulatorViolations(tree)).toEqual([]);
  });

  it('nothing under src/ but the entry points imports src/handlers or src/local', () => {
    expect(entryPointViolations(tree)).toEqual([]);
  });

  it('declares as runtime dependencies exactly what src/ loads at run time (the rest is for tests, tools and infra)', () => {
    expect(dependencies('package.json')).toEqual(runtimePackages('src'));
  });

  it('infra and scripts load only declared packages, and aws-cdk-lib is for infra only (never a runtime dependency)', () => {
    const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string>; devDependencies: Record<string, string> };
    const declared = new Set([...Object.keys(manifest.dependencies), ...Object.keys(manifest.devDependencies)]);
    for (const dir of ['infra', 'scripts']) expect(runtimePackages(dir).filter((p) => !declared.has(p))).toEqual([]);
    expect(runtimePackages('infra')).toContain('aws-cdk-lib');
    expect(Object.keys(manifest.dependencies)).not.toContain('aws-cdk-lib');
  });

  it("declares as the simulator's dependencies exactly what its source loads", () => {
    expect(dependencies('packages/github-sim/package.json')).toEqual(runtimePackages('packages/github-sim/src'));
  });
});

describe('the walls catch what they are for', () => {
  it('reads static, re-exported, required, dynamic and type imports, and tells erased ones apart', () => {
    const imports = importsOf(
      'x.ts',
      [
        "import a from 'a';",
        "import type { B } from 'b';",
        "import { type C } from 'c';",
        "export * from 'd';",
        "export type { E } from 'e';",
        "import f = require('f');",
        "const g = await import('g');",
        "const h = require('h');",
        "type I = import('i').I;",
        'const j = await import(name);',
      ].join('\n'),
    );
    expect(imports.map((i) => [i.specifier, i.typeOnly, i.line])).toEqual([
      ['a', false, 1],
      ['b', true, 2],
      ['c', false, 3],
      ['d', false, 4],
      ['e', true, 5],
      ['f', false, 6],
      ['g', false, 7],
      ['h', false, 8],
      ['i', true, 9],
      [null, false, 10],
    ]);
  });

  it('flags a core file that reads files, opens sockets, calls AWS or Octokit, or reaches outside core', () => {
    const bad = file(
      'src/core/bad.ts',
      [
        "import { readFileSync } from 'node:fs';",
        "import { createServer } from 'http';",
        "import { spawn } from 'node:child_process';",
        "import { DynamoDBClient } from '@aws-sdk/client-dynamodb';",
        "import { Octokit } from '@octokit/core';",
        "import { Webhooks } from '@octokit/webhooks';",
        "import { getItem } from '../store/dynamo';",
        "const later = await import('node:net');",
      ].join('\n'),
    );
    expect(coreViolations([bad]).map((v) => /^src\/core\/bad\.ts:(\d+) /.exec(v)?.[1])).toEqual(['1', '2', '3', '4', '5', '6', '7', '8']);
  });

  it('lets core import its siblings, pure libraries and the payload types', () => {
    const good = file(
      'src/core/good.ts',
      [
        "import { parse } from 'yaml';",
        "import { z } from 'zod';",
        "import type { EmitterWebhookEvent } from '@octokit/webhooks';",
        "import type { components } from '@octokit/openapi-types';",
        "import { clip } from './text';",
        "import { URL } from 'node:url';",
      ].join('\n'),
    );
    const testFile = file('src/core/good.test.ts', "import { readFileSync } from 'node:fs';");
    expect(coreViolations([good, testFile])).toEqual([]);
  });

  it('flags the simulator used outside src/local, reached by a path, or reaching into the app', () => {
    const violations = simulatorViolations([
      file('src/worker/bad.ts', `import { startGitHubStandIn } from '${SIM_PACKAGE}';`),
      file('src/local/bad.ts', "import { startGitHubStandIn } from '../../packages/github-sim/src';"),
      file('test/bad.test.ts', "import type { SeedRepo } from '../packages/github-sim/src/state';"),
      file('packages/github-sim/src/bad.ts', "import { loadConfig } from '../../../src/core/config';"),
      file('src/local/server.ts', `import { startGitHubStandIn } from '${SIM_PACKAGE}';`),
      file('test/good.test.ts', `import type { SeedRepo } from '${SIM_PACKAGE}';`),
    ]);
    expect(violations.map((v) => v.split(':')[0])).toEqual(['src/worker/bad.ts', 'src/local/bad.ts', 'test/bad.test.ts', 'packages/github-sim/src/bad.ts']);
  });

  it('flags src/ importing the entry points, except the entry points themselves', () => {
    const violations = entryPointViolations([
      file('src/worker/bad.ts', "import { startLocal } from '../local/server';"),
      file('src/http/bad.ts', "export { handler } from '../handlers/web';"),
      file('src/handlers/web.ts', "import { startDynalite } from '../local/dynalite';"),
      file('src/local/main.ts', "import { startLocal } from './server';"),
      file('src/wiring/ok.ts', "import { createApp } from '../http/app';"),
    ]);
    expect(violations.map((v) => v.split(':')[0])).toEqual(['src/worker/bad.ts', 'src/http/bad.ts']);
  });
});
