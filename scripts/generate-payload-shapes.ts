// Writes src/generated/payload-shapes.ts: the worker's shape check of each webhook payload it
// handles, derived from GitHub's own description of the payloads (@octokit/openapi-webhooks, from
// which @octokit/webhooks' payload types are generated) and pruned to the fields the handlers read
// (src/worker/payload-fields.ts). Run: `npm run generate`; a test fails when the file is stale.
//
// The check exists so a handler never meets a field of the wrong type, and it must never refuse a
// real payload. So it keeps, per field read, only its JSON type as GitHub gives it, and drops
// enums, formats and additionalProperties: a new status, action or field from GitHub passes. All
// handled actions of an event are merged into one schema: a field's types are the union of those
// the actions' schemas give it. Whether a field must be present is the handlers' word (a `?` in
// payload-fields.ts: it copes with absent or null); a field they need that GitHub's schema lets
// be absent stops the generator.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { classifyEvent, HANDLED_EVENTS, type HandledEvent } from '../src/core/events';
import { PAYLOAD_FIELDS } from '../src/worker/payload-fields';

const require = createRequire(import.meta.url);
const SOURCE = '@octokit/openapi-webhooks';
export const OUTPUT = 'src/generated/payload-shapes.ts';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Schema = { [k: string]: Json } | boolean;
export type JsonSchema = { [k: string]: Json };

interface OpenApi {
  webhooks: Record<string, { post: { 'x-github': { subcategory: string }; requestBody: { content: { 'application/json': { schema: { $ref: string } } } } } }>;
  components: { schemas: Record<string, Schema> };
}

// Every number a handler reads is an id, a pull request number or an attempt: positive and exact.
// GitHub types them `integer` or `number`, which also admit 0, negatives and numbers beyond 2^53
// that DynamoDB refuses or rounds.
const NUMBER_BOUNDS = { minimum: 1, maximum: Number.MAX_SAFE_INTEGER };

// ---------------------------------------------------------------------------------------------
// The fields read, as a tree: `a?.b[].c` → a (may be absent) → b → [] (its items) → c.

interface Field {
  optional: boolean;
  fields: Map<string, Field>;
}

function fieldTree(paths: readonly string[]): Field {
  const root: Field = { optional: false, fields: new Map() };
  for (const path of paths) {
    let node = root;
    for (const step of path.replaceAll('[]', '.[]').split('.')) {
      const name = step.replace(/\?$/, '');
      const optional = step.endsWith('?');
      const known = node.fields.get(name);
      if (known && known.optional !== optional) throw new Error(`payload-fields.ts: ${path} and another path disagree whether ${name} may be absent`);
      node = known ?? node.fields.set(name, { optional, fields: new Map() }).get(name)!;
    }
  }
  return root;
}

// ---------------------------------------------------------------------------------------------
// What GitHub's schemas say one location holds: its JSON types (null: anything), and of the
// fields read, each one's shape and whether it is required.

interface Shape {
  types: Set<string> | null;
  props: Map<string, { shape: Shape; required: boolean }>;
  items: Shape | null;
}

const anything = (): Shape => ({ types: null, props: new Map(), items: null });
const typeOfValue = (v: Json) => (v === null ? 'null' : Array.isArray(v) ? 'array' : Number.isInteger(v) ? 'integer' : typeof v);
/** `number` admits every integer. */
const admits = (set: Set<string>, t: string) => set.has(t) || (t === 'integer' && set.has('number'));

function typesOf(s: JsonSchema): Set<string> | null {
  if (typeof s.type === 'string') return new Set([s.type]);
  if (Array.isArray(s.type)) return new Set(s.type as string[]);
  if (Array.isArray(s.enum)) return new Set(s.enum.map(typeOfValue));
  if ('const' in s) return new Set([typeOfValue(s.const!)]);
  return null;
}

/** All of `parts` hold (allOf, or a schema's own keywords beside its $ref). */
function intersect(parts: Shape[]): Shape {
  const out = anything();
  for (const p of parts) {
    if (p.types) {
      const a = out.types;
      out.types = a ? new Set([...[...a].filter((t) => admits(p.types!, t)), ...[...p.types].filter((t) => t === 'integer' && a.has('number'))]) : new Set(p.types);
    }
    for (const [k, v] of p.props) {
      const had = out.props.get(k);
      out.props.set(k, had ? { shape: intersect([had.shape, v.shape]), required: had.required || v.required } : v);
    }
    if (p.items) out.items = out.items ? intersect([out.items, p.items]) : p.items;
  }
  return out;
}

/**
 * One of `alts` holds (anyOf, oneOf, or the event's actions). A field's types are those of the
 * alternatives that describe it (one action's schema sometimes leaves out a field the others
 * describe, e.g. workflow_run.in_progress's display_title); it is required only if every object
 * alternative requires it.
 */
function union(alts: Shape[]): Shape {
  const out = anything();
  out.types = alts.some((a) => a.types === null) ? null : new Set(alts.flatMap((a) => [...a.types!]));
  const objects = alts.filter((a) => a.types === null || a.types.has('object'));
  for (const k of new Set(objects.flatMap((a) => [...a.props.keys()]))) {
    const each = objects.map((a) => a.props.get(k));
    const described = each.filter((e) => e !== undefined);
    out.props.set(k, { shape: union(described.map((e) => e.shape)), required: each.every((e) => e?.required) });
  }
  const items = alts.flatMap((a) => (a.items && (a.types === null || a.types.has('array')) ? [a.items] : []));
  if (items.length > 0) out.items = union(items);
  return out;
}

/** Reads a schema down the fields read, noting in `described` each path GitHub describes. */
function reader(doc: OpenApi, described: Set<string>) {
  const resolve = (ref: string): Schema => {
    const s = doc.components.schemas[ref.replace('#/components/schemas/', '')];
    if (s === undefined) throw new Error(`${SOURCE}: ${ref} is not defined`);
    return s;
  };
  const shapeOf = (s: Schema, field: Field, at: string): Shape => {
    if (s === true) return anything();
    if (s === false) throw new Error(`${SOURCE}: ${at} admits nothing`);
    const own: Shape = { types: typesOf(s), props: new Map(), items: null };
    const properties = (s.properties ?? {}) as Record<string, Schema>;
    const required = (s.required ?? []) as string[];
    for (const [key, sub] of field.fields) {
      const path = key === '[]' ? `${at}[]` : at ? `${at}.${key}` : key;
      if (key === '[]') {
        if (s.items === undefined) continue;
        described.add(path);
        own.items = shapeOf(s.items as Schema, sub, path);
      } else if (properties[key] !== undefined) {
        described.add(path);
        own.props.set(key, { shape: shapeOf(properties[key]!, sub, path), required: required.includes(key) });
      } else if (required.includes(key)) {
        own.props.set(key, { shape: anything(), required: true });
      }
    }
    const parts = [own];
    if (typeof s.$ref === 'string') parts.push(shapeOf(resolve(s.$ref), field, at));
    for (const sub of (s.allOf ?? []) as Schema[]) parts.push(shapeOf(sub, field, at));
    for (const key of ['anyOf', 'oneOf'] as const) {
      const alts = s[key] as Schema[] | undefined;
      if (alts) parts.push(union(alts.map((a) => shapeOf(a, field, at))));
    }
    return intersect(parts);
  };
  return shapeOf;
}

/** GitHub's types at each field read, with the presence the handlers declare. */
function prune(shape: Shape, field: Field, at: string, event: string): JsonSchema {
  const out: JsonSchema = {};
  const types = shape.types ? [...shape.types].filter((t) => !(t === 'integer' && shape.types!.has('number'))) : null;
  if (types && field.optional && !types.includes('null')) types.push('null');
  if (types) {
    types.sort();
    out.type = types.length === 1 ? types[0]! : types;
    if (types.includes('integer') || types.includes('number')) Object.assign(out, NUMBER_BOUNDS);
  }
  const properties: Record<string, JsonSchema> = {};
  const required: string[] = [];
  for (const [key, sub] of field.fields) {
    const path = key === '[]' ? `${at}[]` : at ? `${at}.${key}` : key;
    if (key === '[]') {
      if (shape.items) out.items = prune(shape.items, sub, path, event);
      continue;
    }
    const prop = shape.props.get(key);
    if (!prop) continue;
    if (!sub.optional && !prop.required) throw new Error(`${SOURCE} lets ${event}.${path} be absent: mark it \`${key}?\` in payload-fields.ts, and have the handler cope`);
    properties[key] = prune(prop.shape, sub, path, event);
    if (!sub.optional) required.push(key);
  }
  if (Object.keys(properties).length > 0) out.properties = properties;
  if (required.length > 0) out.required = required;
  return out;
}

/** The pruned JSON Schema of each handled event's payload. */
export function payloadSchemas(read: Record<HandledEvent, readonly string[]> = PAYLOAD_FIELDS): Record<HandledEvent, JsonSchema> {
  const doc = require(`${SOURCE}/generated/api.github.com.json`) as OpenApi;
  const out = {} as Record<HandledEvent, JsonSchema>;
  for (const event of HANDLED_EVENTS) {
    const described = new Set<string>();
    const shapeOf = reader(doc, described);
    const fields = fieldTree(read[event]);
    const actions: Shape[] = [];
    for (const { post } of Object.values(doc.webhooks)) {
      if (post['x-github'].subcategory !== event) continue;
      const schema = doc.components.schemas[post.requestBody.content['application/json'].schema.$ref.replace('#/components/schemas/', '')]!;
      const action = ((schema as { properties?: { action?: { enum?: string[] } } }).properties?.action?.enum ?? [])[0];
      if (!classifyEvent(event, action === undefined ? {} : { action }).handled) continue;
      actions.push(shapeOf(schema, fields, ''));
    }
    if (actions.length === 0) throw new Error(`${SOURCE} describes no handled action of ${event}`);
    const unknown = read[event].map((p) => p.replaceAll('?', '')).filter((p) => !described.has(p));
    if (unknown.length > 0) throw new Error(`${SOURCE} does not describe these ${event} payload fields: ${unknown.join(', ')}`);
    out[event] = prune(union(actions), fields, '', event);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// The checks as zod/mini code: zod already ships in the worker (the config schema), where Ajv's
// standalone code for the same schemas would add 80 KB minified, a sixth of the worker bundle.

/**
 * The module's text. Every type written more than once (a field's, a leaf's like `maybe(string)`,
 * an object's like the repository's) is one named constant: the worker bundle must not grow.
 */
export function generatePayloadShapes(): string {
  const version = (require(`${SOURCE}/package.json`) as { version: string }).version;
  const schemas = payloadSchemas();
  const events = Object.keys(schemas) as HandledEvent[];
  const camel = (key: string) => key.replace(/_(\w)/g, (_, c: string) => c.toUpperCase());

  // Written twice: a first pass counts each expression (by its inline code) and the names it is
  // met under; the second names those met more than once.
  let counting = true;
  const seen = new Map<string, { count: number; hints: Set<string> }>();
  const names = new Map<string, string>();
  const declarations: string[] = [];
  /** `code`: the expression inline (the same in both passes); `ref`: how it is written; `orNull`: of a nullable, the rest. */
  type Expr = { code: string; ref: string; orNull?: Expr };
  const share = (hint: string, code: string, ref: string, fallback?: () => string): Expr => {
    if (counting) {
      const s = seen.get(code) ?? { count: 0, hints: new Set<string>() };
      seen.set(code, { count: s.count + 1, hints: s.hints.add(hint) });
      return { code, ref: code };
    }
    const s = seen.get(code)!;
    if (s.count < 2) return { code, ref };
    let name = names.get(code);
    if (!name) {
      // Named for the one field it describes, else for what it holds (`user` and `sender` alike: `loginType`).
      const base = s.hints.size === 1 || !fallback ? hint : fallback();
      const taken = new Set(names.values());
      for (let i = 1; taken.has((name = i === 1 ? base : `${base}${i}`)); i++);
      names.set(code, name);
      declarations.push(`const ${name} = ${ref};`);
    }
    return { code, ref: name };
  };

  const numberOf = (base: 'int' | 'number', s: JsonSchema): Expr => {
    const checks: string[] = [];
    if (typeof s.minimum === 'number') checks.push(`z.gte(${s.minimum})`);
    // z.int() is a safe integer already.
    if (typeof s.maximum === 'number' && !(base === 'int' && s.maximum === Number.MAX_SAFE_INTEGER)) {
      checks.push(`z.lte(${s.maximum === Number.MAX_SAFE_INTEGER ? 'Number.MAX_SAFE_INTEGER' : s.maximum})`);
    }
    const code = checks.length > 0 ? `z.${base}().check(${checks.join(', ')})` : `z.${base}()`;
    return share(s.minimum === 1 ? `positive${base === 'int' ? 'Int' : 'Number'}` : base, code, code);
  };
  const typeOf = (s: JsonSchema, hint: string): Expr => {
    const types = s.type === undefined ? [] : ([] as Json[]).concat(s.type);
    if (types.length === 0) return { code: 'z.unknown()', ref: 'z.unknown()' };
    const alts = types
      .filter((t) => t !== 'null')
      .map((t): Expr => {
        switch (t) {
          case 'string':
          case 'boolean':
            return share(t, `z.${t}()`, `z.${t}()`);
          case 'integer':
            return numberOf('int', s);
          case 'number':
            return numberOf('number', s); // finite
          case 'array': {
            const items = s.items ? typeOf(s.items as JsonSchema, `${hint}Item`) : { code: 'z.unknown()', ref: 'z.unknown()' };
            return { code: `z.array(${items.code})`, ref: `z.array(${items.ref})` };
          }
          case 'object':
            return objectOf(s, hint);
          default:
            throw new Error(`no zod type for the JSON type ${String(t)}`);
        }
      });
    const join = (k: 'code' | 'ref') => (alts.length === 0 ? 'z.null()' : alts.length === 1 ? alts[0]![k] : `z.union([${alts.map((a) => a[k]).join(', ')}])`);
    const one = { code: join('code'), ref: join('ref') };
    return types.includes('null') && alts.length > 0 ? { code: `z.nullable(${one.code})`, ref: `z.nullable(${one.ref})`, orNull: one } : one;
  };
  /** A field's type; absent allowed unless required (`maybe`: absent or null). */
  const fieldOf = (sub: JsonSchema, required: boolean, hint: string): Expr => {
    const t = typeOf(sub, hint);
    if (required) return t;
    if (!t.orNull) return { code: `z.optional(${t.code})`, ref: `z.optional(${t.ref})` };
    const { code, ref } = t.orNull;
    // `maybeString`, `maybeInstallation`: for what it wraps when that has a name.
    const of = /^\w+$/.test(ref) ? ref : hint;
    return share(`maybe${of[0]!.toUpperCase()}${of.slice(1)}`, `maybe(${code})`, `maybe(${ref})`);
  };
  const objectOf = (s: JsonSchema, hint: string): Expr => {
    const required = (s.required ?? []) as string[];
    const fields = Object.entries((s.properties ?? {}) as Record<string, JsonSchema>).map(([k, sub]) => ({ k, t: fieldOf(sub, required.includes(k), camel(k)) }));
    // Loose: fields GitHub adds pass through.
    const write = (x: 'code' | 'ref') => `z.looseObject({ ${fields.map(({ k, t }) => `${k}: ${t[x]}`).join(', ')} })`;
    return share(hint, write('code'), write('ref'), () => camel(fields.map(({ k }) => k).join('_')));
  };

  for (const e of events) typeOf(schemas[e], camel(e));
  counting = false;
  const fieldsOf = (e: HandledEvent) => {
    const required = (schemas[e].required ?? []) as string[];
    return Object.entries((schemas[e].properties ?? {}) as Record<string, JsonSchema>).map(([k, sub]) => `${k}: ${fieldOf(sub, required.includes(k), camel(k)).ref}`);
  };
  const own = new Map(events.map((e) => [e, fieldsOf(e)]));
  const spreads = new Map(events.map((e) => [e, [] as string[]]));
  // Top-level fields several events share (repository, installation, sender) are one object spread
  // into each: greedily, the group of fields that saves the most text, while one saves any.
  for (;;) {
    const holders = new Map<string, HandledEvent[]>();
    for (const e of events) for (const f of own.get(e)!) holders.set(f, [...(holders.get(f) ?? []), e]);
    let best: { events: HandledEvent[]; fields: string[]; name: string; saves: number } | null = null;
    for (const group of new Set([...holders.values()].filter((es) => es.length > 1).map((es) => es.join()))) {
      const es = group.split(',') as HandledEvent[];
      const fields = own.get(es[0]!)!.filter((f) => es.every((e) => holders.get(f)!.includes(e)));
      const name = `${camel(fields.map((f) => f.slice(0, f.indexOf(':'))).join('_'))}Fields`;
      const saves = es.length * (fields.join(', ').length - `...${name}`.length) - `const ${name} = { ${fields.join(', ')} };`.length;
      if (saves > 0 && (!best || saves > best.saves)) best = { events: es, fields, name, saves };
    }
    if (!best) break;
    declarations.push(`const ${best.name} = { ${best.fields.join(', ')} };`);
    for (const e of best.events) {
      own.set(e, own.get(e)!.filter((f) => !best.fields.includes(f)));
      spreads.get(e)!.push(`...${best.name}`);
    }
  }
  const lines = events.map((e) => `  ${e}: z.looseObject({ ${[...spreads.get(e)!, ...own.get(e)!].join(', ')} }),`);
  return [
    `// Generated by scripts/generate-payload-shapes.ts from ${SOURCE} ${version} and`,
    `// src/worker/payload-fields.ts. Do not edit: change those and run \`npm run generate\`.`,
    `// A namespace import lets esbuild tree-shake zod/mini.`,
    `import * as z from 'zod/mini';`,
    `import type { HandledEvent } from '../core/events';`,
    ``,
    `/** Absent or null: the handler copes. */`,
    `const maybe = <T extends z.ZodMiniType>(t: T) => z.optional(z.nullable(t));`,
    ...declarations,
    ``,
    `/** Each handled event's payload: the fields the handlers read, with the types GitHub gives them. */`,
    `export const PAYLOAD_SHAPES: Record<HandledEvent, z.ZodMiniType> = {`,
    ...lines,
    `};`,
    ``,
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const text = generatePayloadShapes();
  let old = '';
  try {
    old = readFileSync(OUTPUT, 'utf8');
  } catch {}
  if (old !== text) writeFileSync(OUTPUT, text);
  process.stdout.write(`${OUTPUT}${old === text ? ' (unchanged)' : ''}\n`);
}
