/** Repositories: the repository, its branches, its files and its collaborators' permission. */
import * as shapes from '../shapes';
import { HttpError, notFound, q, repoOf, type Handler, type Reply, type RouteContext, type RouteEnv } from './context';

function contents(env: RouteEnv, ctx: RouteContext): Reply {
  const repo = repoOf(env, ctx);
  const ref = q(ctx, 'ref') ?? repo.defaultBranch;
  if (!env.state.resolveRef(repo, ref)) throw new HttpError(404, `No commit found for the ref ${ref}`);
  const path = (ctx.params.path ?? '').replace(/^\/+|\/+$/g, '');
  const content = env.state.fileAt(repo, path, ref);
  const accept = ctx.headers.get('accept') ?? '';
  if (content !== undefined) {
    if (/application\/vnd\.github(\.v3)?\.raw/.test(accept)) {
      return { status: 200, raw: content, contentType: 'application/vnd.github.raw; charset=utf-8' };
    }
    return { status: 200, body: shapes.contentFile(env.shape, repo, path, content, ref) };
  }
  // A directory: list what lives directly under it on that ref.
  const prefix = path === '' ? '' : `${path}/`;
  const names = new Set<string>();
  const candidates = new Set([...Object.keys(repo.files), ...Object.values(repo.filesAt).flatMap((o) => Object.keys(o))]);
  for (const file of candidates) {
    if (file.startsWith(prefix) && env.state.fileAt(repo, file, ref) !== undefined) {
      names.add(file.slice(prefix.length).split('/')[0]!);
    }
  }
  if (names.size === 0) throw notFound();
  const entries = [...names].sort().map((name) => {
    const full = `${prefix}${name}`;
    const file = env.state.fileAt(repo, full, ref);
    if (file !== undefined) {
      const { content: _c, encoding: _e, ...entry } = shapes.contentFile(env.shape, repo, full, file, ref);
      return entry;
    }
    const url = `${env.shape.apiBase}/repos/${repo.fullName}/contents/${full}?ref=${encodeURIComponent(ref)}`;
    const html = `${env.shape.htmlBase}/${repo.fullName}/tree/${ref}/${full}`;
    return { type: 'dir', size: 0, name, path: full, sha: '0'.repeat(40), url, git_url: null, html_url: html, download_url: null, _links: { self: url, git: null, html } };
  });
  return { status: 200, body: entries };
}

export const reposRoutes: Record<string, Handler> = {
  'repos/get': (env, ctx) => {
    const repo = repoOf(env, ctx);
    return {
      status: 200,
      body: {
        ...shapes.repository(env.shape, repo),
        permissions: { admin: false, maintain: false, push: false, triage: false, pull: true },
      },
    };
  },

  'repos/get-branch': (env, ctx) => {
    const repo = repoOf(env, ctx);
    const name = ctx.params.branch ?? '';
    const sha = repo.branches[name];
    if (!sha) throw new HttpError(404, 'Branch not found');
    const api = `${env.shape.apiBase}/repos/${repo.fullName}`;
    return {
      status: 200,
      body: {
        name,
        commit: {
          sha,
          node_id: Buffer.from(`Commit:${sha}`).toString('base64'),
          url: `${api}/commits/${sha}`,
          html_url: `${env.shape.htmlBase}/${repo.fullName}/commit/${sha}`,
          comments_url: `${api}/commits/${sha}/comments`,
          commit: {
            url: `${api}/git/commits/${sha}`,
            author: { name: 'Octo Cat', email: 'octocat@example.com', date: shapes.iso(repo.createdAt) },
            committer: { name: 'GitHub', email: 'noreply@github.com', date: shapes.iso(repo.createdAt) },
            message: `Commit ${sha.slice(0, 7)}`,
            tree: { sha: sha, url: `${api}/git/trees/${sha}` },
            comment_count: 0,
          },
          author: null,
          committer: null,
          parents: [],
        },
        _links: { html: `${env.shape.htmlBase}/${repo.fullName}/tree/${name}`, self: `${api}/branches/${name}` },
        protected: false,
        protection: { enabled: false, required_status_checks: { enforcement_level: 'off', contexts: [], checks: [] } },
        protection_url: `${api}/branches/${name}/protection`,
      },
    };
  },

  'repos/get-content': contents,

  'repos/get-collaborator-permission-level': (env, ctx) => {
    const repo = repoOf(env, ctx);
    return { status: 200, body: shapes.collaboratorPermission(env.shape, repo, ctx.params.username ?? '') };
  },
};
