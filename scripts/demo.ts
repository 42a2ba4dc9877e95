// `npm run demo`: push a commit to the sandbox's demo repository and follow it through the whole
// loop (webhook → check run → workflow_dispatch → the stand-in plays the run → check run → badge).
// Uses the sandbox server of `npm start` when one is running, else starts one in this process.
// With `-- --comment "/arm64 run"` it plays a slash command instead (see demo-comment.ts); with
// `-- --targets`, a push to the three-target repository (dgx, graviton, x86 baseline; demo-targets.ts).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
import { parseArgs } from 'node:util';

const USAGE = `Usage: npm run demo [-- options]

Pushes a commit to the sandbox's octo-org/arm64-demo and follows it through the whole loop
(webhook → check run → workflow_dispatch → the stand-in plays the run → check run → badge).
Uses the sandbox server of \`npm start\` on PORT (default 3000) when one runs, else starts one.

Options:
  --comment TEXT   comment TEXT on a pull request instead (a slash command, e.g. "/arm64 run")
  --pr N           the pull request to comment on (default 1; opened when missing)
  --user LOGIN     who comments (default octo-maintainer)
  --fork           open the pull request from an outside contributor's fork
  --targets        push to the three-target repository (dgx, graviton, x86 baseline) instead,
                   and print how arm64 compares with x86
  -h, --help       print this and exit
`;
try {
  const { values } = parseArgs({
    options: {
      comment: { type: 'string' },
      pr: { type: 'string' },
      user: { type: 'string' },
      fork: { type: 'boolean' },
      targets: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    process.exit(0);
  }
} catch (err) {
  process.stderr.write(`${(err as Error).message}\n\n${USAGE}`);
  process.exit(2);
}
const { createLogger } = await import('../src/log');
const { startLocal } = await import('../src/local/server');
const { DEMO_REPO } = await import('../src/local/sandbox');

const port = process.env.PORT || '3000';
const host = process.env.HOST || '127.0.0.1';
let base = `http://${host}:${port}`;
const say = (s: string) => process.stdout.write(s + '\n');

async function sandboxServerUp(url: string): Promise<boolean> {
  try {
    const r = await fetch(`${url}/_sandbox/check-runs/${DEMO_REPO.owner}/${DEMO_REPO.name}/0`, { signal: AbortSignal.timeout(1000) });
    return r.ok;
  } catch {
    return false;
  }
}

let local: Awaited<ReturnType<typeof startLocal>> | null = null;
if (await sandboxServerUp(base)) {
  say(`Using the sandbox server at ${base}`);
} else {
  if (process.env.APP_ID) {
    say('npm run demo plays in the sandbox: unset APP_ID (the demo never talks to the real GitHub).');
    process.exit(2);
  }
  say('Starting a sandbox server in this process (start one with `npm start` to keep browsing afterwards)…');
  local = await startLocal({ env: { ...process.env, PORT: '0' }, log: createLogger({ level: 'warn' }), playDelayMs: 100 });
  base = local.url;
}

// `npm run demo -- --comment "/arm64 run"`: a slash-command round trip instead of a push.
const { parseDemoArgs, commentDemo } = await import('./demo-comment');
const commentArgs = parseDemoArgs(process.argv.slice(2));
if (commentArgs) {
  const code = await commentDemo(base, commentArgs, say);
  if (local) {
    await local.queue.drain();
    await local.close();
  }
  process.exit(code);
}

// `npm run demo -- --targets`: three targets and the comparison with x86.
if (process.argv.slice(2).includes('--targets')) {
  const { targetsDemo } = await import('./demo-targets');
  const code = await targetsDemo(base, local ? `http://${host}:${port}` : base, say, async () => {
    if (local) await local.queue.drain();
    else await new Promise((r) => setTimeout(r, 1500));
  });
  await local?.close();
  process.exit(code);
}

const push = await fetch(`${base}/_sandbox/push`, { method: 'POST', body: JSON.stringify({ branch: 'main' }), headers: { 'content-type': 'application/json' } });
const pushed = (await push.json()) as { repo: string; sha: string; status: number };
say(`Pushed ${pushed.sha.slice(0, 7)} to ${pushed.repo}@main — webhook answered ${pushed.status}`);

type Check = { id: number; name: string; status: string; conclusion: string | null; output?: { title?: string; summary?: string } };
let check: Check | undefined;
const deadline = Date.now() + 60_000;
let lastStatus = '';
while (Date.now() < deadline) {
  const r = await fetch(`${base}/_sandbox/check-runs/${pushed.repo}/${pushed.sha}`);
  const runs = (await r.json()) as Check[];
  check = runs[runs.length - 1];
  if (check && check.status !== lastStatus) {
    say(`  check run "${check.name}": ${check.status}${check.conclusion ? ` → ${check.conclusion}` : ''}`);
    lastStatus = check.status;
  }
  if (check?.status === 'completed') break;
  await new Promise((r) => setTimeout(r, 200));
}
if (local) await local.queue.drain();

if (!check || check.status !== 'completed') {
  say('The check run did not complete within 60 s: see the server log.');
  await local?.close();
  process.exit(1);
}
const publicBase = local ? `http://${host}:${port}` : base;
say('\n──── check run summary ────');
say(`# ${check.output?.title ?? ''}\n`);
say(check.output?.summary ?? '');
say('───────────────────────────\n');
say(`Badge:      ${publicBase}/badges/${pushed.repo}/status.svg`);
say(`Smoke:      ${publicBase}/badges/${pushed.repo}/smoke.svg`);
say(`Dashboard:  ${publicBase}/repos/${pushed.repo}`);
if (local) {
  const badge = await fetch(`${local.url}/badges/${pushed.repo}/status.json`).then((r) => r.json());
  say(`Badge now says: ${JSON.stringify(badge)}`);
  say('(the run is kept in the embedded DynamoDB under DATA_DIR: `npm start` serves the dashboard with it)');
  await local.close();
}

export {};
