/** The manifest flow's first step: GitHub's "new App" page, given a manifest. */
import { randomBytes } from 'node:crypto';
import type { StandInState } from './state';

/**
 * GitHub's "new App" page given a manifest (the manifest flow's first step): the user would
 * confirm there; the stand-in creates the one-hour code at once and sends the browser back to
 * the manifest's `redirect_url` with it and the caller's `state`, as GitHub does after "Create".
 */
export function newAppPage(standIn: StandInState, url: URL, org: string | undefined, form: FormData | undefined): Response {
  const text = (message: string, status: number) =>
    new Response(message, { status, headers: { 'content-type': 'text/plain; charset=utf-8' } });
  const raw = form?.get('manifest');
  let manifest: Record<string, any> | undefined;
  try {
    const parsed: unknown = typeof raw === 'string' ? JSON.parse(raw) : undefined;
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) manifest = parsed as Record<string, any>;
  } catch {
    manifest = undefined;
  }
  if (!manifest) return text('Invalid GitHub App configuration: the manifest must be a JSON object', 422);
  if (typeof manifest.url !== 'string' || !/^https?:\/\//.test(manifest.url)) return text('Invalid GitHub App configuration: url is required', 422);
  if (manifest.hook_attributes !== undefined && typeof manifest.hook_attributes?.url !== 'string') {
    return text('Invalid GitHub App configuration: hook_attributes.url is required', 422);
  }
  const code = randomBytes(10).toString('hex');
  standIn.manifestCodes.set(code, {
    code,
    manifest,
    owner: org ? { login: org, type: 'Organization' } : { login: 'octocat', type: 'User' },
    createdAt: standIn.now(),
    used: false,
  });
  if (typeof manifest.redirect_url !== 'string') return text(`Created. Code: ${code}`, 200);
  const back = new URL(manifest.redirect_url);
  back.searchParams.set('code', code);
  const state = url.searchParams.get('state');
  if (state !== null) back.searchParams.set('state', state);
  return new Response(null, { status: 302, headers: { location: back.toString() } });
}
