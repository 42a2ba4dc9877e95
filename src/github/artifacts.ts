import type { components } from '@octokit/openapi-types';
import { ARTIFACT_LIMITS } from '../core/artifact-limits';
import { httpStatus, type GitHub } from './client';

export type Artifact = components['schemas']['artifact'];

/** Zips larger than this are not downloaded: JUnit XML of a smoke suite is kilobytes, not gigabytes. */
export const MAX_ARTIFACT_BYTES = ARTIFACT_LIMITS.downloadBytes;

/**
 * A run's artifacts with this exact name (GitHub filters by name server-side), or all of them
 * without a name (their sizes are recorded), oldest first.
 */
export async function listRunArtifacts(
  gh: GitHub,
  p: { owner: string; repo: string; runId: number; name?: string },
): Promise<Artifact[]> {
  const out: Artifact[] = [];
  // A run holds at most a few hundred artifacts, and a name filter leaves one or two: a page or so.
  for (let page = 1; page <= 5; page++) {
    const r = await gh.request('GET /repos/{owner}/{repo}/actions/runs/{run_id}/artifacts', {
      owner: p.owner,
      repo: p.repo,
      run_id: p.runId,
      ...(p.name !== undefined ? { name: p.name } : {}),
      per_page: 100,
      page,
    });
    const list = r.data.artifacts as Artifact[];
    out.push(...(p.name === undefined ? list : list.filter((a) => a.name === p.name)));
    if (list.length < 100) break;
  }
  return out;
}

type ArtifactDownload =
  | { ok: true; bytes: Uint8Array }
  | { ok: false; reason: 'expired' | 'missing' | 'too_large' | 'unavailable'; message: string };

/**
 * Downloads an artifact's zip. GitHub answers `302` with a short-lived link to blob storage; the
 * link is signed, so it is fetched WITHOUT our Authorization header (the token must never travel
 * to another host). `410` means the artifact expired (retention), which is a normal outcome, not an
 * error. The size is checked against `maxBytes` before and while reading, never after.
 */
export async function downloadArtifact(
  gh: GitHub,
  p: { owner: string; repo: string; artifactId: number; maxBytes?: number; timeoutMs?: number },
): Promise<ArtifactDownload> {
  const maxBytes = p.maxBytes ?? MAX_ARTIFACT_BYTES;
  let r;
  try {
    r = await gh.request('GET /repos/{owner}/{repo}/actions/artifacts/{artifact_id}/{archive_format}', {
      owner: p.owner,
      repo: p.repo,
      artifact_id: p.artifactId,
      archive_format: 'zip',
      // Follow the redirect ourselves (see above); keep the body a stream in case a server answers 200.
      request: { redirect: 'manual', parseSuccessResponseBody: false },
    });
  } catch (err) {
    const status = httpStatus(err);
    if (status === 410) return { ok: false, reason: 'expired', message: 'the artifact has expired (past its retention period)' };
    if (status === 404) return { ok: false, reason: 'missing', message: 'the artifact was deleted before it could be downloaded' };
    throw err;
  }
  const first = r as unknown as { status: number; headers: Record<string, string | undefined>; data: unknown };
  if (first.status === 200) return readBounded(first.data as ReadableStream<Uint8Array> | null, first.headers['content-length'], maxBytes);
  await cancel(first.data);
  const location = first.headers.location;
  if (first.status < 300 || first.status >= 400 || !location) {
    return { ok: false, reason: 'unavailable', message: `GitHub answered ${first.status} without a download link` };
  }

  const res = await fetch(location, { redirect: 'follow', signal: AbortSignal.timeout(p.timeoutMs ?? 60_000) });
  if (!res.ok) {
    await cancel(res.body);
    // The link lives a minute; a 403/410 from storage means it lapsed before we used it.
    return { ok: false, reason: 'unavailable', message: `the download link answered HTTP ${res.status}` };
  }
  return readBounded(res.body, res.headers.get('content-length') ?? undefined, maxBytes);
}

async function readBounded(
  body: ReadableStream<Uint8Array> | null,
  contentLength: string | undefined,
  maxBytes: number,
): Promise<ArtifactDownload> {
  const tooLarge = (size: string): ArtifactDownload => ({
    ok: false,
    reason: 'too_large',
    message: `the artifact is ${size}, over the ${formatMiB(maxBytes)} download limit; it was not read`,
  });
  const declared = contentLength === undefined ? NaN : Number(contentLength);
  if (Number.isFinite(declared) && declared > maxBytes) {
    await cancel(body);
    return tooLarge(formatMiB(declared));
  }
  if (!body) return { ok: true, bytes: new Uint8Array(0) };
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      return tooLarge(`more than ${formatMiB(maxBytes)}`);
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    bytes.set(c, at);
    at += c.byteLength;
  }
  return { ok: true, bytes };
}

async function cancel(body: unknown): Promise<void> {
  const stream = body as { cancel?: () => Promise<void> } | null | undefined;
  if (stream && typeof stream.cancel === 'function') await stream.cancel().catch(() => undefined);
}

function formatMiB(n: number): string {
  return `${Math.round((n / (1024 * 1024)) * 10) / 10} MiB`;
}
