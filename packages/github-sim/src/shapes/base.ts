/**
 * Records → the JSON GitHub answers. Each shape starts from the example GitHub publishes in its
 * OpenAPI description (so every documented field is present) and overlays the stand-in's values.
 * This file holds what every shape uses; the shapes themselves are grouped by resource, like routes/.
 */
import type { StandInState } from '../state';

export interface ShapeContext {
  state: StandInState;
  /** Base of `url` fields, e.g. http://127.0.0.1:4321 */
  apiBase: string;
  /** Base of `html_url` fields. */
  htmlBase: string;
}

export type Obj = Record<string, any>;

/** GitHub's timestamp format: second precision, `Z`. */
export function iso(date: Date): string;
export function iso(date: Date | null): string | null;
export function iso(date: Date | null): string | null {
  return date ? date.toISOString().replace(/\.\d{3}Z$/, 'Z') : null;
}

export function nodeId(kind: string, id: number | string): string {
  return Buffer.from(`${kind}:${id}`).toString('base64');
}

/** Re-points an example's URLs and names at the stand-in. */
export function rehost<T>(value: T, ctx: ShapeContext, replacements: Record<string, string> = {}): T {
  let text = JSON.stringify(value);
  for (const [from, to] of Object.entries(replacements)) text = text.split(from).join(to);
  text = text.split('https://api.github.com').join(ctx.apiBase).split('https://github.com').join(ctx.htmlBase);
  return JSON.parse(text) as T;
}
