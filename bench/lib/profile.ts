// Reads a V8 .cpuprofile (node --cpu-prof) and says where the time went: self time by function and
// by package, so the bench report can name what to blame without opening DevTools.
import { readFileSync } from 'node:fs';

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}
interface Profile {
  nodes: Node[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export interface ProfileSummary {
  totalMs: number;
  /** Time with a frame of this group anywhere on the stack (a sample counts once per group). */
  inclusive: { name: string; ms: number; share: number }[];
  byPackage: { name: string; ms: number; share: number }[];
  byFunction: { name: string; where: string; ms: number; share: number }[];
}

/** `node_modules/@aws-sdk/core/...` → `@aws-sdk/core`; our files → `ours: src/<dir>`; Node internals → `node:<area>`. */
export function packageOf(url: string): string {
  if (!url) return '(native / gc / idle)';
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = url.slice(nm + 'node_modules/'.length).split('/');
    return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  if (url.startsWith('node:')) return `node:${url.slice(5).split('/')[1] ?? url.slice(5)}`;
  const src = url.indexOf('/src/');
  if (src >= 0) return `ours: src/${url.slice(src + 5).split('/')[0]}`;
  const bench = url.indexOf('/bench/');
  if (bench >= 0) return 'bench harness';
  return url;
}

/** Groups for inclusive time: what a reader would name as the cost centre. */
export function groupOf(url: string): string | null {
  const p = packageOf(url);
  if (p.startsWith('@aws-sdk/') || p.startsWith('@smithy/')) return 'AWS SDK (@aws-sdk, @smithy)';
  if (p.startsWith('ours: ')) return 'ours (src/)';
  if (p === 'probot' || p === 'pino' || p.startsWith('@probot/')) return 'probot + pino';
  if (p.startsWith('@octokit/')) return '@octokit/*';
  if (p === 'hono' || p === '@hono/node-server') return 'hono';
  return null;
}

export function summarizeProfile(file: string, top = 12): ProfileSummary {
  const p = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  for (let i = 0; i < p.samples.length; i++) selfUs.set(p.samples[i]!, (selfUs.get(p.samples[i]!) ?? 0) + (p.timeDeltas[i] ?? 0));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const incl = new Map<string, number>();
  for (let i = 0; i < p.samples.length; i++) {
    const leaf = byId.get(p.samples[i]!)!;
    if (leaf.callFrame.functionName === '(idle)' || leaf.callFrame.functionName === '(program)') continue;
    const groups = new Set<string>();
    for (let id: number | undefined = leaf.id; id !== undefined; id = parent.get(id)) {
      const g = groupOf(byId.get(id)!.callFrame.url);
      if (g) groups.add(g);
    }
    for (const g of groups) incl.set(g, (incl.get(g) ?? 0) + (p.timeDeltas[i] ?? 0));
  }
  const pkg = new Map<string, number>();
  const fn = new Map<string, { where: string; us: number }>();
  let total = 0;
  for (const [id, us] of selfUs) {
    const n = byId.get(id)!;
    const name = n.callFrame.functionName || '(anonymous)';
    if (name === '(idle)' || name === '(program)') continue;
    total += us;
    // A socket write on a loaded machine: mostly the wait while the kernel runs the receiving
    // process (wall-clock samples), not this process's CPU — shown apart so it is not misread.
    const where = name === 'writev' && !n.callFrame.url ? '(socket writes, incl. waiting)' : packageOf(n.callFrame.url);
    pkg.set(where, (pkg.get(where) ?? 0) + us);
    const key = `${name} ${n.callFrame.url}:${n.callFrame.lineNumber + 1}`;
    const f = fn.get(key) ?? { where, us: 0 };
    f.us += us;
    fn.set(key, f);
  }
  const ms = (us: number) => Math.round(us / 100) / 10;
  const share = (us: number) => Math.round((us / total) * 1000) / 10;
  return {
    totalMs: ms(total),
    inclusive: [...incl].sort((a, b) => b[1] - a[1]).map(([name, us]) => ({ name, ms: ms(us), share: share(us) })),
    byPackage: [...pkg].sort((a, b) => b[1] - a[1]).slice(0, top).map(([name, us]) => ({ name, ms: ms(us), share: share(us) })),
    byFunction: [...fn]
      .sort((a, b) => b[1].us - a[1].us)
      .slice(0, top)
      .map(([key, v]) => {
        const [name, ...loc] = key.split(' ');
        const file = loc.join(' ');
        const short = file.includes('node_modules/') ? file.slice(file.lastIndexOf('node_modules/') + 13) : file.replace(/^.*\/(src|bench)\//, '$1/');
        return { name: name!, where: short, ms: ms(v.us), share: share(v.us) };
      }),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const s = summarizeProfile(process.argv[2]!, Number(process.argv[3] ?? 15));
  console.log(`total ${s.totalMs} ms`);
  console.table(s.inclusive);
  console.table(s.byPackage);
  console.table(s.byFunction);
}
