/**
 * `npm run demo -- --comment "/arm64 run"`: a slash-command round trip in the sandbox. Opens a
 * pull request in the demo repository (if it is not open yet), comments on it, and prints what a
 * maintainer would see on GitHub: the reactions, the App's reply, and the check runs.
 *
 * Options: --pr N (default 1) · --user LOGIN (default octo-maintainer, admin; octo-reader can
 * only read) · --fork (open the pull request from an outside contributor's fork, to try
 * /ok-to-test).
 */
import { DEMO_REPO } from '../src/local/sandbox';

interface Args {
  comment: string;
  pr: number;
  user: string;
  fork: boolean;
}

export function parseDemoArgs(argv: string[]): Args | null {
  const value = (name: string) => {
    const i = argv.indexOf(name);
    return i >= 0 ? (argv[i + 1] ?? '') : null;
  };
  const comment = value('--comment');
  if (comment === null) return null;
  return {
    // A shell passes "\n" literally: allow several commands in one demo comment.
    comment: comment.replace(/\\n/g, '\n'),
    pr: Number(value('--pr') ?? 1) || 1,
    user: value('--user') || 'octo-maintainer',
    fork: argv.includes('--fork'),
  };
}

type Comment = { id: number; user: string; body: string; byApp: boolean; reactions: string[] };
type Check = { id: number; name: string; headSha: string; status: string; conclusion: string | null; output?: { title?: string; summary?: string } };

const ICONS: Record<string, string> = { eyes: '👀', rocket: '🚀', confused: '😕' };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function commentDemo(base: string, args: Args, say: (s: string) => void): Promise<number> {
  const repo = `${DEMO_REPO.owner}/${DEMO_REPO.name}`;
  const res = await fetch(`${base}/_sandbox/comment`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ repo, pr: args.pr, body: args.comment, user: args.user, fork: args.fork }),
  });
  const sent = (await res.json()) as { pr: number; sha: string; commentId: number; status: number; opened: { status: number } | null; error?: string };
  if (!res.ok) {
    say(`The sandbox refused the comment: ${sent.error ?? res.status}`);
    return 1;
  }
  if (sent.opened)
    say(`Opened pull request #${sent.pr} in ${repo}${args.fork ? ' from an outside contributor\'s fork' : ''} (head ${sent.sha.slice(0, 7)}) — webhook answered ${sent.opened.status}`);
  say(`@${args.user} commented on #${sent.pr}: ${JSON.stringify(args.comment)} — webhook answered ${sent.status}`);

  // Wait until the comment is answered and every check run of the head commit has finished.
  const deadline = Date.now() + 60_000;
  let comments: Comment[] = [];
  let checks: Check[] = [];
  let stable = 0;
  let last = '';
  while (Date.now() < deadline) {
    comments = (await (await fetch(`${base}/_sandbox/comments/${repo}/${sent.pr}`)).json()) as Comment[];
    checks = (await (await fetch(`${base}/_sandbox/check-runs/${repo}/${sent.sha}`)).json()) as Check[];
    const mine = comments.find((c) => c.id === sent.commentId);
    const snapshot = JSON.stringify([comments.length, mine?.reactions, checks.map((c) => [c.id, c.status])]);
    const answered = (mine?.reactions.length ?? 0) > 0 && checks.every((c) => c.status === 'completed');
    stable = answered && snapshot === last ? stable + 1 : 0;
    last = snapshot;
    if (stable >= 2) break;
    await sleep(250);
  }
  const mine = comments.find((c) => c.id === sent.commentId);
  say(`  reactions on the comment: ${mine?.reactions.map((r) => `${ICONS[r] ?? ''} ${r}`).join(', ') || '(none)'}`);
  for (const c of checks)
    say(`  check run "${c.name}" #${c.id}: ${c.status}${c.conclusion ? ` → ${c.conclusion}` : ''}${c.output?.title ? ` (${c.output.title})` : ''}`);
  const replies = comments.filter((c) => c.byApp && c.id > sent.commentId);
  for (const r of replies) {
    say(`\n──── reply from ${r.user} ────`);
    say(r.body.replace(/\n*<!--[^]*?-->\s*$/, ''));
    say('───────────────────────────');
  }
  if (replies.length === 0) say('  (no reply: the reactions and the check runs say it all)');
  return stable >= 2 ? 0 : 1;
}
