/**
 * Request validation against GitHub's own OpenAPI description (`@octokit/openapi`, api.github.com).
 *
 * The 13 MB description is loaded lazily and once per process (Node's `require` cache keeps it, so
 * test files that share a worker process share one copy). Each operation's validators are compiled
 * on first use and cached; `$ref`s into `#/components/schemas` are copied into the compiled schema's
 * `definitions`, so only what an operation reaches is ever compiled.
 */
import { createRequire } from 'node:module';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

// ajv-formats is CommonJS with a default export; under ESM interop it can arrive wrapped.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ??
  addFormatsModule) as unknown as (ajv: Ajv) => Ajv;

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type JsonObject = { [k: string]: Json };

interface OpenApiParameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema?: JsonObject;
  'x-multi-segment'?: boolean;
}

interface OpenApiOperation {
  operationId: string;
  parameters?: JsonObject[];
  requestBody?: { required?: boolean; content?: Record<string, { schema?: JsonObject }> };
  responses?: Record<string, JsonObject>;
  externalDocs?: { url?: string };
}

export interface OpenApiSpec {
  paths: Record<string, Record<string, OpenApiOperation | JsonObject[]>>;
  components: {
    schemas: Record<string, JsonObject>;
    parameters: Record<string, JsonObject>;
    responses: Record<string, JsonObject>;
    examples: Record<string, { value?: Json }>;
  };
}

const require = createRequire(import.meta.url);
let spec: OpenApiSpec | undefined;

/** GitHub's OpenAPI description (api.github.com). Loaded on first call; never mutate it. */
export function loadSpec(): OpenApiSpec {
  spec ??= require('@octokit/openapi/generated/api.github.com.json') as OpenApiSpec;
  return spec;
}

/** A deep copy of `components.examples[name].value` from the description (a realistic object). */
export function specExample<T = any>(name: string): T {
  const example = loadSpec().components.examples[name];
  if (!example || example.value === undefined) throw new Error(`no OpenAPI example named ${name}`);
  return structuredClone(example.value) as T;
}

// ---------------------------------------------------------------------------------------------
// Route matching

type Segment = { literal: string } | { param: string; multi: boolean };

interface RouteEntry {
  template: string;
  method: string;
  segments: Segment[];
  operation: OpenApiOperation;
}

let routes: Map<string, RouteEntry[]> | undefined;

function routeTable(): Map<string, RouteEntry[]> {
  if (routes) return routes;
  const table = new Map<string, RouteEntry[]>();
  for (const [template, item] of Object.entries(loadSpec().paths)) {
    for (const [method, op] of Object.entries(item)) {
      if (Array.isArray(op) || typeof op !== 'object' || !('operationId' in op)) continue;
      const operation = op as OpenApiOperation;
      const multi = new Set(
        resolveParameters(operation)
          .filter((p) => p.in === 'path' && p['x-multi-segment'])
          .map((p) => p.name),
      );
      const segments: Segment[] = template
        .split('/')
        .slice(1)
        .map((s) => {
          const m = /^\{(.+)\}$/.exec(s);
          return m ? { param: m[1]!, multi: multi.has(m[1]!) } : { literal: s };
        });
      const key = method.toUpperCase();
      const list = table.get(key) ?? [];
      list.push({ template, method: key, segments, operation });
      table.set(key, list);
    }
  }
  routes = table;
  return table;
}

/** Raw (still percent-encoded) values per path parameter, or undefined when the route does not match. */
function matchSegments(segments: Segment[], parts: string[]): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  const walk = (si: number, pi: number): boolean => {
    if (si === segments.length) return pi === parts.length;
    const seg = segments[si]!;
    if ('literal' in seg) {
      return parts[pi] === seg.literal && walk(si + 1, pi + 1);
    }
    if (pi >= parts.length || parts[pi] === '') return false;
    if (!seg.multi) {
      out[seg.param] = parts[pi]!;
      return walk(si + 1, pi + 1);
    }
    // A multi-segment parameter (a file path) takes as many segments as leaves the rest matchable.
    for (let end = parts.length; end > pi; end--) {
      out[seg.param] = parts.slice(pi, end).join('/');
      if (walk(si + 1, end)) return true;
    }
    return false;
  };
  return walk(0, 0) ? out : undefined;
}

/** Literal segments beat templated ones, position by position from the left (GitHub's router does the same). */
function moreSpecific(a: RouteEntry, b: RouteEntry): boolean {
  const n = Math.min(a.segments.length, b.segments.length);
  for (let i = 0; i < n; i++) {
    const la = 'literal' in a.segments[i]!;
    const lb = 'literal' in b.segments[i]!;
    if (la !== lb) return la;
  }
  return a.segments.length > b.segments.length;
}

export interface MatchedOperation {
  operationId: string;
  template: string;
  operation: OpenApiOperation;
  /** Decoded path parameters. */
  params: Record<string, string>;
}

/** Finds the operation for a method and a request path (query string excluded, still percent-encoded). */
export function findOperation(method: string, path: string): MatchedOperation | undefined {
  const parts = path.split('/').slice(1);
  if (parts.length > 1 && parts[parts.length - 1] === '') parts.pop(); // tolerate a trailing slash
  let best: { entry: RouteEntry; raw: Record<string, string> } | undefined;
  for (const entry of routeTable().get(method.toUpperCase()) ?? []) {
    const raw = matchSegments(entry.segments, parts);
    if (raw && (!best || moreSpecific(entry, best.entry))) best = { entry, raw };
  }
  if (!best) return undefined;
  const params: Record<string, string> = {};
  for (const [k, v] of Object.entries(best.raw)) {
    try {
      params[k] = decodeURIComponent(v);
    } catch {
      params[k] = v;
    }
  }
  return {
    operationId: best.entry.operation.operationId,
    template: best.entry.template,
    operation: best.entry.operation,
    params,
  };
}

// ---------------------------------------------------------------------------------------------
// Schemas

function resolveParameters(op: OpenApiOperation): OpenApiParameter[] {
  const components = loadSpec().components.parameters;
  return (op.parameters ?? []).map((p) => {
    const ref = p.$ref;
    if (typeof ref === 'string') {
      const name = ref.replace('#/components/parameters/', '');
      const resolved = components[name];
      if (!resolved) throw new Error(`unresolvable parameter ${ref}`);
      return resolved as unknown as OpenApiParameter;
    }
    return p as unknown as OpenApiParameter;
  });
}

function pointerEscape(name: string): string {
  return name.replace(/~/g, '~0').replace(/\//g, '~1');
}

/**
 * Makes an OpenAPI 3.0 schema self-contained for ajv: component refs become `#/definitions/<name>`
 * (copied in transitively), and `nullable` is expressed in a way ajv accepts.
 */
function toAjvSchema(schema: Json): JsonObject {
  const components = loadSpec().components.schemas;
  const definitions: JsonObject = {};
  const pending: string[] = [];

  const rewrite = (node: Json): Json => {
    if (Array.isArray(node)) return node.map(rewrite);
    if (node === null || typeof node !== 'object') return node;
    const out: JsonObject = {};
    for (const [k, v] of Object.entries(node)) {
      if (k === '$ref' && typeof v === 'string') {
        const m = /^#\/components\/schemas\/(.+)$/.exec(v);
        if (!m) throw new Error(`unsupported $ref ${v}`);
        const name = m[1]!;
        if (!(name in definitions)) {
          definitions[name] = {};
          pending.push(name);
        }
        out.$ref = `#/definitions/${pointerEscape(name)}`;
        continue;
      }
      out[k] = rewrite(v);
    }
    if (out.nullable === true) {
      if (out.type === undefined) {
        // ajv only understands `nullable` next to `type`: spell it as "null or the rest".
        delete out.nullable;
        return { anyOf: [{ type: 'null' }, out] };
      }
      if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
    }
    return out;
  };

  const root = rewrite(schema);
  while (pending.length > 0) {
    const name = pending.pop()!;
    const target = components[name];
    if (!target) throw new Error(`unresolvable schema #/components/schemas/${name}`);
    definitions[name] = rewrite(target);
  }
  if (root === null || typeof root !== 'object' || Array.isArray(root)) return root as never;
  return Object.keys(definitions).length > 0 ? { ...root, definitions } : root;
}

function makeAjv(validateFormats: boolean): Ajv {
  const ajv = new Ajv({ strict: false, allErrors: false, validateFormats, logger: false });
  addFormats(ajv);
  // GitHub's own format for "owner/name".
  ajv.addFormat('repo.nwo', /^[^/]+\/[^/]+$/);
  return ajv;
}

let bodyAjv: Ajv | undefined;
let paramAjv: Ajv | undefined;

interface CompiledOperation {
  path?: ValidateFunction;
  query?: ValidateFunction;
  queryTypes: Map<string, JsonObject>;
  pathTypes: Map<string, JsonObject>;
  body?: ValidateFunction;
  bodyRequired: boolean;
  docs: string;
}

const compiled = new Map<string, CompiledOperation>();

function paramsSchema(params: OpenApiParameter[]): JsonObject | undefined {
  if (params.length === 0) return undefined;
  const properties: JsonObject = {};
  const required: string[] = [];
  for (const p of params) {
    properties[p.name] = (p.schema ?? {}) as JsonObject;
    if (p.required) required.push(p.name);
  }
  return toAjvSchema({ type: 'object', properties, required });
}

function compileOperation(op: OpenApiOperation): CompiledOperation {
  const cached = compiled.get(op.operationId);
  if (cached) return cached;
  bodyAjv ??= makeAjv(true);
  // Query values are not format-checked: GitHub accepts search syntax such as `created=>=2024-01-01`
  // in parameters the description types as date-time.
  paramAjv ??= makeAjv(false);
  const params = resolveParameters(op);
  const pathParams = params.filter((p) => p.in === 'path');
  const queryParams = params.filter((p) => p.in === 'query');
  const pathSchema = paramsSchema(pathParams);
  const querySchema = paramsSchema(queryParams);
  const jsonBody = op.requestBody?.content?.['application/json']?.schema;
  const result: CompiledOperation = {
    path: pathSchema ? paramAjv.compile(pathSchema) : undefined,
    query: querySchema ? paramAjv.compile(querySchema) : undefined,
    pathTypes: new Map(pathParams.map((p) => [p.name, (p.schema ?? {}) as JsonObject])),
    queryTypes: new Map(queryParams.map((p) => [p.name, (p.schema ?? {}) as JsonObject])),
    body: jsonBody ? bodyAjv.compile(toAjvSchema(jsonBody)) : undefined,
    bodyRequired: op.requestBody?.required === true,
    docs: op.externalDocs?.url ?? 'https://docs.github.com/rest',
  };
  compiled.set(op.operationId, result);
  return result;
}

/** The schema's accepted primitive types, looking through oneOf/anyOf. */
function acceptedTypes(schema: JsonObject): Set<string> {
  const types = new Set<string>();
  const visit = (s: Json) => {
    if (!s || typeof s !== 'object' || Array.isArray(s)) return;
    if (typeof s.type === 'string') types.add(s.type);
    for (const key of ['oneOf', 'anyOf'] as const) {
      const list = s[key];
      if (Array.isArray(list)) list.forEach(visit);
    }
  };
  visit(schema);
  return types;
}

/** Turns a query or path string into the JSON value its schema expects (arrays are comma-separated). */
function coerce(schema: JsonObject, raw: string | string[]): Json {
  const types = acceptedTypes(schema);
  if (types.has('array')) {
    const items = Array.isArray(raw) ? raw : raw.split(',');
    const itemSchema = (schema.items ?? {}) as JsonObject;
    return items.map((v) => coerce(itemSchema, v));
  }
  const value = Array.isArray(raw) ? (raw[raw.length - 1] ?? '') : raw;
  if ((types.has('integer') || types.has('number')) && /^-?\d+(\.\d+)?$/.test(value)) {
    return Number(value);
  }
  if (types.has('boolean') && (value === 'true' || value === 'false')) return value === 'true';
  return value;
}

function describeError(where: string, error: ErrorObject | undefined, data: unknown): string {
  if (!error) return `${where} is invalid.`;
  if (error.keyword === 'required') {
    return `"${(error.params as { missingProperty: string }).missingProperty}" wasn't supplied.`;
  }
  const pointer = error.instancePath.replace(/^\//, '');
  let value: unknown = data;
  for (const part of error.instancePath.split('/').slice(1)) {
    value = (value as Record<string, unknown> | undefined)?.[part.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  const shown = JSON.stringify(value) ?? 'nil';
  const at = pointer ? `For '${pointer}'` : `For '${where}'`;
  if (error.keyword === 'enum') {
    const allowed = (error.params as { allowedValues: unknown[] }).allowedValues;
    return `${at}, ${shown} is not one of ${JSON.stringify(allowed)}.`;
  }
  return `${at}, ${shown} ${error.message ?? 'is invalid'}.`;
}

export interface RequestToValidate {
  method: string;
  /** The request path without query string, percent-encoded as sent. */
  path: string;
  query?: Record<string, string | string[]>;
  /** The parsed JSON body, or undefined when there was none. */
  body?: unknown;
}

export type ValidationResult =
  | { ok: true; operationId: string; template: string; params: Record<string, string>; documentationUrl: string }
  | {
      ok: false;
      /** GitHub's answer to such a request: 404 (no such route) or 422 (invalid request). */
      status: 404 | 422;
      message: string;
      operationId?: string;
      documentationUrl: string;
    };

/** Checks a request the way GitHub's OpenAPI description says GitHub would. */
export function validateRequest(req: RequestToValidate): ValidationResult {
  const match = findOperation(req.method, req.path);
  if (!match) {
    return {
      ok: false,
      status: 404,
      message: `No operation in GitHub's OpenAPI description matches ${req.method.toUpperCase()} ${req.path}`,
      documentationUrl: 'https://docs.github.com/rest',
    };
  }
  const op = compileOperation(match.operation);
  const fail = (status: 404 | 422, detail: string): ValidationResult => ({
    ok: false,
    status,
    message: `Invalid request.\n\n${detail}`,
    operationId: match.operationId,
    documentationUrl: op.docs,
  });

  if (op.path) {
    const values: JsonObject = {};
    for (const [name, schema] of op.pathTypes) {
      const raw = match.params[name];
      if (raw !== undefined) values[name] = coerce(schema, raw);
    }
    // A path parameter of the wrong type means no route on GitHub: it answers 404.
    if (!op.path(values)) return fail(404, describeError('path', op.path.errors?.[0], values));
  }
  if (op.query) {
    const values: JsonObject = {};
    for (const [name, schema] of op.queryTypes) {
      const raw = req.query?.[name];
      if (raw !== undefined) values[name] = coerce(schema, raw);
    }
    if (!op.query(values)) return fail(422, describeError('query', op.query.errors?.[0], values));
  }
  if (req.body === undefined) {
    if (op.bodyRequired) return fail(422, 'A request body is required.');
  } else if (op.body && !op.body(req.body)) {
    return fail(422, describeError('body', op.body.errors?.[0], req.body));
  }
  return {
    ok: true,
    operationId: match.operationId,
    template: match.template,
    params: match.params,
    documentationUrl: op.docs,
  };
}

const responseValidators = new Map<string, ValidateFunction | null>();

/**
 * Checks a response body against the operation's documented schema for that status (for tests of
 * the stand-in itself). Answers ok when the description documents no JSON body for the status.
 */
export function validateResponse(req: {
  method: string;
  path: string;
  status: number;
  body: unknown;
}): { ok: true } | { ok: false; message: string } {
  const match = findOperation(req.method, req.path);
  if (!match) return { ok: false, message: `no operation for ${req.method} ${req.path}` };
  const key = `${match.operationId} ${req.status}`;
  let validate = responseValidators.get(key);
  if (validate === undefined) {
    let response = match.operation.responses?.[String(req.status)];
    const ref = response?.$ref;
    if (typeof ref === 'string') {
      response = loadSpec().components.responses[ref.replace('#/components/responses/', '')];
    }
    const content = response?.content as Record<string, { schema?: JsonObject }> | undefined;
    const schema = content?.['application/json']?.schema;
    bodyAjv ??= makeAjv(true);
    validate = schema ? bodyAjv.compile(toAjvSchema(schema)) : null;
    responseValidators.set(key, validate);
  }
  if (!validate || validate(req.body)) return { ok: true };
  const err = validate.errors?.[0];
  return { ok: false, message: `${err?.instancePath || '/'} ${err?.message ?? 'invalid'} (${JSON.stringify(err?.params)})` };
}

const webhookValidators = new Map<string, ValidateFunction | null>();

/**
 * Checks a webhook payload against the schema GitHub documents for it (`x-webhooks` in the
 * description, keyed like `workflow-run-completed` or `push`). Answers ok when none is documented.
 */
export function validateWebhookPayload(
  event: string,
  payload: unknown,
): { ok: true } | { ok: false; message: string } {
  const action =
    payload && typeof payload === 'object' && typeof (payload as { action?: unknown }).action === 'string'
      ? (payload as { action: string }).action
      : undefined;
  const key = [event, action].filter(Boolean).join('-').replace(/_/g, '-');
  let validate = webhookValidators.get(key);
  if (validate === undefined) {
    const hooks = (loadSpec() as unknown as { 'x-webhooks'?: Record<string, { post?: OpenApiOperation }> })['x-webhooks'];
    const schema = hooks?.[key]?.post?.requestBody?.content?.['application/json']?.schema;
    bodyAjv ??= makeAjv(true);
    validate = schema ? bodyAjv.compile(toAjvSchema(schema)) : null;
    webhookValidators.set(key, validate);
  }
  if (!validate || validate(payload)) return { ok: true };
  const err = validate.errors?.[0];
  return { ok: false, message: `${key}: ${err?.instancePath || '/'} ${err?.message ?? 'invalid'} (${JSON.stringify(err?.params)})` };
}
