// `npm run demo -- --targets`: one push to the sandbox's three-target repository (dgx, graviton,
// an x86 baseline on GitHub-hosted runners), followed until its three check runs are done; prints
// each check run's verdict, the arm64 summary's comparison with x86, and the per-target badges.
import { TARGETS_REPO } from '../src/local/sandbox';

type Check = { id: number; name: string; status: string; conclusion: string | null; output?: { title?: string; summary?: string } };

export async function targetsDemo(base: string, publicBase: string, say: (s: string) => void, drain: () => Promise<void>): Promise<number> {
  const repo = `${TARGETS_REPO.owner}/${TARGETS_REPO.name}`;
  const push = await fetch(`${base}/_sandbox/push`, {
    method: 'POST',
    body: JSON.stringify({ repo, branch: 'main' }),
    headers: { 'content-type': 'application/json' },
  });
  const pushed = (await push.json()) as { repo: string; sha: string; status: number };
  say(`Pushed ${pushed.sha.slice(0, 7)} to ${pushed.repo}@main (three targets) — webhook answered ${pushed.status}`);

  const seen = new Map<string, string>();
  let checks: Check[] = [];
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    checks = (await (await fetch(`${base}/_sandbox/check-runs/${pushed.repo}/${pushed.sha}`)).json()) as Check[];
    for (const c of checks) {
      const state = `${c.status}${c.conclusion ? ` → ${c.conclusion}` : ''}`;
      if (seen.get(c.name) !== state) say(`  check run "${c.name}": ${state}`);
      seen.set(c.name, state);
    }
    if (checks.length >= 3 && checks.every((c) => c.status === 'completed')) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  // A baseline that finished last updates the arm64 check runs once more: let that land.
  await drain();
  checks = (await (await fetch(`${base}/_sandbox/check-runs/${pushed.repo}/${pushed.sha}`)).json()) as Check[];
  if (checks.length < 3 || !checks.every((c) => c.status === 'completed')) {
    say('The three check runs did not complete within 90 s: see the server log.');
    return 1;
  }
  say('');
  for (const c of checks) say(`${c.name.padEnd(22)} ${c.output?.title ?? ''}`);
  const dgx = checks.find((c) => c.name === 'arm64 CI (dgx)');
  const summary = dgx?.output?.summary ?? '';
  const from = summary.indexOf('### dgx compared with x86');
  say('\n──── arm64 CI (dgx): compared with the x86 baseline ────');
  say(from >= 0 ? summary.slice(from).replace(/\n\[Open the[^\n]*$/, '') : '(no comparison: see the server log)');
  say('────────────────────────────────────────────────────────\n');
  for (const t of ['dgx', 'graviton', 'x86']) {
    say(`Badges ${t.padEnd(9)} ${publicBase}/badges/${pushed.repo}/status.svg?target=${t}   ${publicBase}/badges/${pushed.repo}/smoke.svg?target=${t}`);
  }
  say(`Default badge    ${publicBase}/badges/${pushed.repo}/status.svg (the first target that is not the baseline: dgx)`);
  say(`Dashboard        ${publicBase}/repos/${pushed.repo}`);
  return from >= 0 ? 0 : 1;
}
