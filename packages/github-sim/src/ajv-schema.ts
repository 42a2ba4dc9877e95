/**
 * OpenAPI 3.0 schemas as ajv compiles them: `$ref`s into `#/components/schemas` are copied into the
 * compiled schema's `definitions`, so only what an operation reaches is ever compiled.
 */
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { loadSpec, type Json, type JsonObject } from './openapi-spec';

// ajv-formats is CommonJS with a default export; under ESM interop it can arrive wrapped.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ??
  addFormatsModule) as unknown as (ajv: Ajv) => Ajv;

function pointerEscape(name: string): string {
  return name.replace(/~/g, '~0').replace(/\//g, '~1');
}

/**
 * Makes an OpenAPI 3.0 schema self-contained for ajv: component refs become `#/definitions/<name>`
 * (copied in transitively), and `nullable` is expressed in a way ajv accepts.
 */
export function toAjvSchema(schema: Json): JsonObject {
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

export function makeAjv(validateFormats: boolean): Ajv {
  const ajv = new Ajv({ strict: false, allErrors: false, validateFormats, logger: false });
  addFormats(ajv);
  // GitHub's own format for "owner/name".
  ajv.addFormat('repo.nwo', /^[^/]+\/[^/]+$/);
  return ajv;
}
