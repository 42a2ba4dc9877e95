/**
 * Route matching: which operation of GitHub's OpenAPI description a method and path are, as
 * GitHub's router decides it.
 */
import { loadSpec, resolveParameters, type OpenApiOperation } from './openapi-spec';

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
