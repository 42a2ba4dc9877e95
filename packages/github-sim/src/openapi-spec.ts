/**
 * GitHub's own OpenAPI description (`@octokit/openapi`, api.github.com): loading it, its examples
 * and its shared parameters.
 *
 * The 13 MB description is loaded lazily and once per process (Node's `require` cache keeps it, so
 * test files that share a worker process share one copy).
 */
import { createRequire } from 'node:module';

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
export type JsonObject = { [k: string]: Json };

export interface OpenApiParameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema?: JsonObject;
  'x-multi-segment'?: boolean;
}

export interface OpenApiOperation {
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

export function resolveParameters(op: OpenApiOperation): OpenApiParameter[] {
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
