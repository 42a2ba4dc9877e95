// `npm start`: the app on embedded DynamoDB; sandbox mode (a local GitHub stand-in) without APP_ID.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const { SettingsError } = await import('../settings');
const { startLocal } = await import('./server');

try {
  const local = await startLocal();
  const { url, settings } = local;
  const lines = [
    `arm64 CI coordinator listening on ${url} (${settings.mode} mode)`,
    `  webhook:   POST ${url}/api/github/webhooks${settings.mode === 'sandbox' ? ` (secret "${'development'}")` : ''}`,
    `  dashboard: ${url}/`,
    settings.mode === 'sandbox' ? `  try it:    npm run demo   (pushes a commit to octo-org/arm64-demo through the whole loop)` : '',
  ].filter(Boolean);
  process.stderr.write(lines.join('\n') + '\n');
  const stop = async () => {
    await local.close();
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
