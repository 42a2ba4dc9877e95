// `npm run doctor`: one line per check of this configuration against GitHub, ✔ or ✘ with the fix.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
import { config } from 'dotenv';
import { renderChecks } from '../core/doctor';
import { githubMessage, httpStatus } from '../github/client';
import { loadSettings, SettingsError } from '../settings';
import { runDoctor } from './doctor/run';

config({ quiet: true });

async function main(): Promise<number> {
  const settings = loadSettings(process.env);
  if (settings.mode !== 'github' || !settings.appId || !settings.privateKey) {
    process.stdout.write('✘ APP_ID is not set (sandbox mode) — fix: npm start, open the home page and click "Register the GitHub App on GitHub", or set APP_ID and PRIVATE_KEY\n');
    return 1;
  }
  const checks = await runDoctor({
    appId: settings.appId,
    privateKey: settings.privateKey,
    webhookSecret: settings.webhookSecret,
    githubApiUrl: settings.githubApiUrl,
    expectedWebhookUrl: settings.webhookProxyUrl ?? (settings.publicUrlSet ? `${settings.publicUrl}/api/github/webhooks` : null),
  });
  process.stdout.write(`${renderChecks(checks)}\n`);
  const failed = checks.filter((c) => !c.ok).length;
  process.stdout.write(failed ? `\n${failed} of ${checks.length} checks failed\n` : `\nall ${checks.length} checks passed\n`);
  return failed ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    if (err instanceof SettingsError) process.stderr.write(`configuration error: ${err.message}\n`);
    else process.stderr.write(`doctor failed: ${httpStatus(err) ? `GitHub answered ${httpStatus(err)}: ${githubMessage(err)}` : (err as Error).message}\n`);
    process.exit(2);
  },
);
