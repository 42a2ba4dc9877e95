import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** One delivery to replay: what GitHub sent (event, delivery id, payload) and where it came from. */
export interface Delivery {
  id: string;
  event: string;
  payload: unknown;
  source: string;
}

export class ReplayInputError extends Error {
  override name = 'ReplayInputError';
}

const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

function header(headers: unknown, name: string): string | undefined {
  if (!isObject(headers)) return undefined;
  for (const [k, v] of Object.entries(headers)) if (k.toLowerCase() === name && typeof v === 'string') return v;
  return undefined;
}

/**
 * A delivery id for a payload that came without one: derived from its content, so replaying the
 * same file twice is seen as the same delivery (and answered `duplicate`), as a redelivery is.
 */
function contentId(event: string, payload: unknown): string {
  const h = createHash('sha256').update(`${event}\n${JSON.stringify(payload)}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/** The event a bare payload file is for: `push.json`, `pull_request.opened.json`, `push/payload.json`. */
function eventFromPath(path: string): string | undefined {
  const word = /^[a-z_]+/.exec(basename(path).toLowerCase())?.[0];
  if (word && word !== 'payload') return word;
  return /^[a-z_]+$/.exec(basename(dirname(path)))?.[0];
}

/**
 * The deliveries one JSON document holds. Understood shapes: GitHub's delivery as its API and the
 * "Recent Deliveries" page show it (`request: { headers, payload }`, or `headers` and `payload` at
 * the top), an `@octokit/webhooks-examples` entry (`{ name, examples: [...] }`, or a list of them),
 * and a bare payload whose event the file name says.
 */
function deliveriesIn(doc: unknown, source: string): Delivery[] {
  if (Array.isArray(doc)) return doc.flatMap((d, i) => deliveriesIn(d, `${source}[${i}]`));
  if (!isObject(doc)) throw new ReplayInputError(`${source}: not a JSON object`);
  if (typeof doc.name === 'string' && Array.isArray(doc.examples)) {
    return doc.examples.map((payload, i) => ({ id: contentId(doc.name as string, payload), event: doc.name as string, payload, source: `${source}#${i}` }));
  }
  const request = isObject(doc.request) ? doc.request : isObject(doc.headers) && 'payload' in doc ? doc : null;
  if (request) {
    const event = header(request.headers, 'x-github-event') ?? (typeof doc.event === 'string' ? doc.event : undefined);
    if (!event) throw new ReplayInputError(`${source}: no X-GitHub-Event header`);
    let payload = request.payload;
    if (typeof payload === 'string') {
      try {
        payload = JSON.parse(payload);
      } catch {
        throw new ReplayInputError(`${source}: the payload is not JSON`);
      }
    }
    const id = header(request.headers, 'x-github-delivery') ?? (typeof doc.guid === 'string' ? doc.guid : contentId(event, payload));
    return [{ id, event, payload, source }];
  }
  const event = eventFromPath(source);
  if (!event) throw new ReplayInputError(`${source}: a bare payload needs its event in the file name (push.json)`);
  return [{ id: contentId(event, doc), event, payload: doc, source }];
}

function jsonFiles(dir: string): string[] {
  return (readdirSync(dir, { recursive: true }) as string[])
    .filter((p) => p.endsWith('.json'))
    .sort()
    .map((p) => join(dir, p));
}

/** Every delivery in these files and directories (directories: every `.json` below, in name order). */
export function readDeliveries(paths: string[]): Delivery[] {
  const files = paths.flatMap((p) => {
    let st;
    try {
      st = statSync(p);
    } catch {
      throw new ReplayInputError(`${p}: no such file or directory`);
    }
    return st.isDirectory() ? jsonFiles(p) : [p];
  });
  return files.flatMap((f) => {
    let doc: unknown;
    try {
      doc = JSON.parse(readFileSync(f, 'utf8'));
    } catch (err) {
      throw new ReplayInputError(`${f}: not JSON (${(err as Error).message})`);
    }
    return deliveriesIn(doc, f);
  });
}
