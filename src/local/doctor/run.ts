/**
 * `npm run doctor`: checks a configuration against GitHub as a user would meet it — the key, the
 * webhook, the App's permissions and events against app.yml (which the README's table mirrors),
 * and for each installed repository its config, its workflow and a runner for each target.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { parseConfig } from '../../core/config/parse';
import { CONFIG_PATH } from '../../core/config/schema';
import { targetsOf } from '../../core/config/targets';
import { eventGaps, permissionGaps, workflowProblems, type Check } from '../../core/doctor';
import { carriesAll, rankRunners, type RunnerView } from '../../core/routing';
import { createGitHubClients, githubMessage, httpStatus } from '../../github/client';
import { readFile } from '../../github/contents';
import { listOrgRunners, listRepoRunners, type ListedRunner } from '../../github/runners';
import { createLogger } from '../../log';

const APP_YML = fileURLToPath(new URL('../../../app.yml', import.meta.url));

export interface DoctorInput {
  appId: string;
  privateKey: string;
  webhookSecret: string;
  githubApiUrl: string;
  /** Where GitHub should deliver: WEBHOOK_PROXY_URL, or PUBLIC_URL's webhook route; null: not checked. */
  expectedWebhookUrl: string | null;
  appYml?: string;
}

type Obj = Record<string, any>;

export async function runDoctor(input: DoctorInput): Promise<Check[]> {
  const checks: Check[] = [];
  const manifest = parse(input.appYml ?? readFileSync(APP_YML, 'utf8')) as { default_permissions: Record<string, string>; default_events: string[] };
  const clients = createGitHubClients({
    appId: input.appId,
    privateKey: input.privateKey,
    baseUrl: input.githubApiUrl,
    log: createLogger({ level: 'error', write: () => {} }),
    retryBaseMs: 100,
    rateLimitRetries: 0,
  });
  const app = clients.app.octokit;

  let me: Obj;
  try {
    me = (await app.request('GET /app')).data as Obj;
    checks.push({ ok: true, text: `the private key belongs to App ${input.appId} (${me.slug ?? me.name})` });
  } catch (err) {
    checks.push({
      ok: false,
      text: `the private key does not sign for App ${input.appId} (GitHub: ${httpStatus(err) ?? 'no answer'} ${githubMessage(err)})`,
      fix: 'check APP_ID, and generate a new private key in the App\'s settings ("Private keys") for PRIVATE_KEY',
    });
    return checks;
  }
  const settingsUrl = `${String(me.html_url ?? '').replace(/\/apps\/([^/]+)$/, '/settings/apps/$1')}`;

  const hook = ((await app.request('GET /app/hook/config').catch(() => ({ data: {} }))).data ?? {}) as Obj;
  checks.push(
    input.webhookSecret && hook.secret
      ? { ok: true, text: 'a webhook secret is set, here and on GitHub' }
      : {
          ok: false,
          text: hook.secret ? 'WEBHOOK_SECRET is not set here' : 'the App has no webhook secret on GitHub: anyone could post to the webhook',
          fix: `set the same random secret as WEBHOOK_SECRET and in the App's settings (${settingsUrl}) → Webhook secret`,
        },
  );
  if (input.expectedWebhookUrl) {
    checks.push(
      hook.url === input.expectedWebhookUrl
        ? { ok: true, text: `GitHub delivers to ${hook.url}` }
        : {
            ok: false,
            text: `GitHub delivers to ${hook.url ?? 'nowhere'}, not to ${input.expectedWebhookUrl}`,
            fix: `set the Webhook URL in the App's settings (${settingsUrl}) to ${input.expectedWebhookUrl}`,
          },
    );
  }

  const perms = permissionGaps(manifest.default_permissions, (me.permissions ?? {}) as Record<string, string>);
  if (perms.length === 0) checks.push({ ok: true, text: `the App has every permission app.yml asks for (${Object.keys(manifest.default_permissions).length})` });
  for (const g of perms) {
    checks.push({
      ok: false,
      text: `permission ${g.name}: the App has ${g.have}, needs ${g.need}`,
      fix: `App settings (${settingsUrl}/permissions) → ${g.name}: ${g.need}; then accept the new permission on each installation`,
    });
  }
  const events = eventGaps(manifest.default_events, (me.events ?? []) as string[]);
  if (events.length === 0) checks.push({ ok: true, text: `the App subscribes to every event app.yml lists (${manifest.default_events.length})` });
  for (const e of events) {
    checks.push({ ok: false, text: `event ${e}: the App does not subscribe to it`, fix: `App settings (${settingsUrl}/permissions) → Subscribe to events → ${e}` });
  }

  const installations = (await app.request('GET /app/installations', { per_page: 100 })).data as Obj[];
  if (installations.length === 0) {
    checks.push({ ok: false, text: 'the App is not installed anywhere', fix: `install it: ${me.html_url}/installations/new` });
    return checks;
  }
  for (const inst of installations) {
    const account = String(inst.account?.login ?? inst.id);
    const instGaps = permissionGaps(manifest.default_permissions, (inst.permissions ?? {}) as Record<string, string>);
    if (instGaps.length > 0 && perms.length === 0) {
      checks.push({
        ok: false,
        text: `installation on ${account} has not accepted ${instGaps.map((g) => `${g.name}: ${g.need}`).join(', ')}`,
        fix: `accept the new permissions: ${inst.html_url ?? 'the installation settings'}`,
      });
    }
    const gh = await clients.forInstallation(Number(inst.id));
    const repos = ((await gh.request('GET /installation/repositories', { per_page: 100 })).data as { repositories: Obj[] }).repositories;
    const orgRunners = inst.account?.type === 'Organization' ? await listOrgRunners(gh, { org: account }) : null;
    for (const repo of repos) {
      const [owner, name] = String(repo.full_name).split('/') as [string, string];
      const branch = String(repo.default_branch ?? 'main');
      const text = await readFile(gh, { owner, repo: name, path: CONFIG_PATH, ref: branch });
      if (text === null) {
        checks.push({ ok: false, text: `${repo.full_name}: no ${CONFIG_PATH} on ${branch} (the repository is not checked)`, fix: `add ${CONFIG_PATH} (README, "Per-repository config")` });
        continue;
      }
      const parsed = parseConfig(text, { defaultBranch: branch });
      if (!parsed.ok) {
        for (const p of parsed.problems) checks.push({ ok: false, text: `${repo.full_name}: ${CONFIG_PATH}: ${p.message}`, fix: `edit ${CONFIG_PATH}${p.line ? ` line ${p.line}` : ''}` });
        continue;
      }
      checks.push({ ok: true, text: `${repo.full_name}: ${CONFIG_PATH} is valid` });
      const targets = targetsOf(parsed.config);
      for (const wf of [...new Set(targets.map((t) => t.workflow))]) {
        const path = `.github/workflows/${wf}`;
        const body = await readFile(gh, { owner, repo: name, path, ref: branch });
        const problems = body === null ? ['does not exist on the default branch'] : workflowProblems(body);
        if (problems.length === 0) checks.push({ ok: true, text: `${repo.full_name}: ${path} declares sha, pr, runner_labels, dispatch_id and a run-name with dispatch_id` });
        for (const p of problems) checks.push({ ok: false, text: `${repo.full_name}: ${path} ${p}`, fix: 'copy the example workflow in the README ("The workflow")' });
      }
      const repoRunners = await listRepoRunners(gh, { owner, repo: name });
      const view = (source: 'repo' | 'org') => (r: ListedRunner): RunnerView => ({ name: r.name, labels: r.labels, status: r.status, busy: r.busy, source });
      const views = [...(repoRunners.ok ? repoRunners.runners.map(view('repo')) : []), ...(orgRunners?.ok ? orgRunners.runners.map(view('org')) : [])];
      if (!repoRunners.ok && !orgRunners?.ok) {
        checks.push({ ok: false, text: `${repo.full_name}: runners cannot be listed (GitHub answered ${repoRunners.status})`, fix: 'grant the App administration: read (and organization_self_hosted_runners: read)' });
        continue;
      }
      for (const t of targets.filter((x) => !x.hosted)) {
        const labels = t.runner_labels.join(', ');
        const match = views.find((r) => carriesAll(t.runner_labels, r));
        if (match) {
          checks.push({ ok: true, text: `${repo.full_name}: runner ${match.name} carries ${labels} (target ${t.name})` });
        } else {
          const closest = rankRunners(t.runner_labels, views)[0];
          checks.push({
            ok: false,
            text: `${repo.full_name}: no runner carries ${labels} (target ${t.name})${closest ? `; closest: ${closest.runner.name} lacks ${closest.lacks.join(', ')}` : ''}`,
            fix: `add the labels to a runner (https://docs.github.com/actions/hosting-your-own-runners/managing-self-hosted-runners/using-labels-with-self-hosted-runners) or change runner_labels`,
          });
        }
      }
    }
  }
  return checks;
}
