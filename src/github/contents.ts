import type { GitHub } from './client';
import { httpStatus } from './client';

/** A text file at a ref, or null when it does not exist (404) — the caller decides what absence means. */
export async function readFile(
  gh: GitHub,
  p: { owner: string; repo: string; path: string; ref: string },
): Promise<string | null> {
  try {
    const r = await gh.request('GET /repos/{owner}/{repo}/contents/{path}', p);
    const data = r.data as { type?: string; content?: string; encoding?: string };
    if (Array.isArray(data) || data.type !== 'file' || typeof data.content !== 'string') return null;
    return Buffer.from(data.content, (data.encoding as BufferEncoding) ?? 'base64').toString('utf8');
  } catch (err) {
    if (httpStatus(err) === 404) return null;
    throw err;
  }
}
