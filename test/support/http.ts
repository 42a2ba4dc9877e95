/** What a test reads back from the app: status, body as text, the body as JSON when it is JSON, headers. */
export interface Answer {
  status: number;
  text: string;
  /** Whatever JSON the route answered (null for HTML, SVG or an empty body). */
  json: any;
  headers: Headers;
}

/** GET `path` from a Hono app in-process (no socket), as the dashboard tests read pages and JSON. */
export async function getFrom(app: { request: (path: string, init?: RequestInit) => Response | Promise<Response> }, path: string, headers: Record<string, string> = {}): Promise<Answer> {
  const r = await app.request(path, { headers });
  const text = await r.text();
  let json: unknown = null;
  try {
    json = JSON.parse(text);
  } catch {
    // HTML, SVG or empty
  }
  return { status: r.status, text, json, headers: r.headers };
}
