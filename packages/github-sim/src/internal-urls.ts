/** The stand-in's own URLs (not GitHub's API): signed artifact links, raw files, html pages. */
import { error } from './responses';
import type { StandInState } from './state';

/** One-minute artifact download links by key (what `GET …/artifacts/{id}/zip` redirects to). */
export type ArtifactLinks = Map<string, { artifactId: number; expiresAt: Date }>;

/** The stand-in's own URLs: artifact blobs, raw files, html pages. */
export function standInUrl(state: StandInState, downloads: ArtifactLinks, method: string, url: URL): Response {
  const blob = /^\/_standin\/artifacts\/([^/]+)$/.exec(url.pathname);
  if (blob && method === 'GET') {
    const link = downloads.get(blob[1]!);
    if (!link) return error(404, 'Not Found');
    // Like an expired signed blob link.
    if (state.now().getTime() >= link.expiresAt.getTime()) return error(410, 'This download link has expired');
    const found = state.artifact(link.artifactId);
    if (!found) return error(404, 'Not Found');
    return new Response(found.artifact.zip as BodyInit, {
      status: 200,
      headers: {
        'content-type': 'application/zip',
        'content-disposition': `attachment; filename=${found.artifact.name}.zip`,
      },
    });
  }
  const raw = /^\/_standin\/raw\/([^/]+)\/([^/]+)\/([^/]+)\/(.+)$/.exec(url.pathname);
  if (raw && method === 'GET') {
    const repo = state.repo(raw[1]!, raw[2]!);
    const content = repo ? state.fileAt(repo, decodeURIComponent(raw[4]!), decodeURIComponent(raw[3]!)) : undefined;
    if (content === undefined) return error(404, 'Not Found');
    return new Response(content, { status: 200, headers: { 'content-type': 'text/plain; charset=utf-8' } });
  }
  if (url.pathname.startsWith('/_html/')) {
    return new Response(`GitHub stand-in (sandbox): ${url.pathname.slice('/_html'.length)}\n`, {
      status: 200,
      headers: { 'content-type': 'text/plain; charset=utf-8' },
    });
  }
  return error(404, 'Not Found');
}
