/**
 * Request, response and webhook payload validation against GitHub's OpenAPI description. Each
 * operation's validators are compiled on first use and cached.
 */
import type { Ajv, ErrorObject, ValidateFunction } from 'ajv';
import { makeAjv, toAjvSchema } from './ajv-schema';
import { findOperation } from './find-operation';
import { loadSpec, resolveParameters, type Json, type JsonObject, type OpenApiOperation, type OpenApiParameter } from './openapi-spec';

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
