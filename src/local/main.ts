// `npm start`: the app on embedded DynamoDB; sandbox mode (a local GitHub stand-in) without APP_ID.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
// .env (written by the App registration, or by hand) fills what the environment leaves unset.
const { config } = await import('dotenv');
config({ quiet: true });
const { SettingsError } = await import('../settings');
const { superviseLocal } = await import('./supervise');
type LocalServer = import('./server').LocalServer;

function banner(local: LocalServer): void {
  const { url, settings } = local;
  const lines = [
    `arm64 CI coordinator listening on ${url} (${settings.mode} mode)`,
    `  webhook:   POST ${url}/api/github/webhooks${settings.mode === 'sandbox' ? ` (secret "${'development'}")` : ''}`,
    settings.mode === 'github' && settings.webhookProxyUrl ? `  proxy:     ${settings.webhookProxyUrl} → this server (smee.io)` : '',
    `  dashboard: ${url}/`,
    settings.mode === 'sandbox' ? `  try it:    npm run demo   (pushes a commit to octo-org/arm64-demo through the whole loop)` : '',
    settings.mode === 'sandbox' ? `  register:  ${url}/ → "Register the GitHub App on GitHub" (then this server restarts in GitHub mode)` : '',
  ].filter(Boolean);
  process.stderr.write(lines.join('\n') + '\n');
}

try {
  const sup = await superviseLocal();
  banner(sup.current);
  const follow = (): void => {
    sup.nextStart().then(
      (next) => {
        banner(next);
        follow();
      },
      (err: unknown) => {
        process.stderr.write(`restart after registration failed: ${(err as Error).message}\n(the App's values are in .env; fix them and run npm start again)\n`);
        process.exit(2);
      },
    );
  };
  follow();
  const stop = async () => {
    await sup.close().catch(() => {});
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
} catch (err) {
  if (err instanceof SettingsError) {
    process.stderr.write(`configuration error: ${err.message}\n`);
    process.exit(2);
  }
  throw err;
}

export {};
