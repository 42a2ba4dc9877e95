import { parse } from 'yaml';

/**
 * The App manifest GitHub is given: `app.yml` (permissions, events, description) with the URLs of
 * this installation filled in. Pure.
 */
export function manifestFrom(
  appYml: string,
  urls: { homepage: string; webhook: string; redirect: string },
  name?: string,
): Record<string, unknown> {
  const base = parse(appYml) as Record<string, any>;
  if (!base || typeof base !== 'object') throw new Error('app.yml is not a YAML mapping');
  return {
    ...base,
    ...(name?.trim() ? { name: name.trim().slice(0, 34) } : {}),
    url: urls.homepage,
    redirect_url: urls.redirect,
    hook_attributes: { ...(base.hook_attributes ?? {}), url: urls.webhook, active: true },
  };
}
