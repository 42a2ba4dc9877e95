import { Octokit } from '@octokit/core';

/** What the manifest conversion hands over once: the App and its secrets. */
export interface RegisteredApp {
  appId: string;
  slug: string;
  name: string;
  /** The App's page on GitHub; `${htmlUrl}/installations/new` installs it. */
  htmlUrl: string;
  privateKey: string;
  webhookSecret: string;
  clientId: string;
  clientSecret: string;
  /** The REST API it was registered on. */
  apiUrl: string;
}

/** `POST /app-manifests/{code}/conversions`: no credentials, the one-hour code is the credential. */
export async function convertManifestCode(apiUrl: string, code: string): Promise<RegisteredApp> {
  const octokit = new Octokit({ baseUrl: apiUrl, userAgent: 'arm64-ci-coordinator' });
  const { data } = await octokit.request('POST /app-manifests/{code}/conversions', { code });
  if (!data.webhook_secret) throw new Error('GitHub created the App without a webhook secret; set one in its settings');
  return {
    appId: String(data.id),
    slug: data.slug ?? String(data.id),
    name: data.name,
    htmlUrl: data.html_url,
    privateKey: data.pem,
    webhookSecret: data.webhook_secret,
    clientId: data.client_id,
    clientSecret: data.client_secret,
    apiUrl,
  };
}
