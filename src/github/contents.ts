import type { GitHub } from './client';
import { httpStatus } from './client';
import { conditionalGet } from './conditional';

/**
 * A text file at a ref, or null when it does not exist (404) — the caller decides what absence
 * means. Conditional: an unchanged file costs a 304, which GitHub does not count (./conditional.ts).
 */
export async function readFile(
  gh: GitHub,
  p: { owner: string; repo: string; path: string; ref: string },
): Promise<string | null> {
  try {
    const data = (await conditionalGet(gh, 'GET /repos/{owner}/{repo}/contents/{path}', p)) as { type?: string; content?: string; encoding?: string };
    if (Array.isArray(data) || data.type !== 'file' || typeof data.content !== 'string') return null;
    return Buffer.from(data.content, (data.encoding as BufferEncoding) ?? 'base64').toString('utf8');
  } catch (err) {
    if (httpStatus(err) === 404) return null;
    throw err;
  }
}
