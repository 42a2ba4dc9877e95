// Where the time goes: runs a bench scenario under V8's sampling profiler (after its warm-up) and
// prints the top entries: time with a group on the stack, self time by package and by function.
// The .cpuprofile is kept under bench/.cache/profiles/ for DevTools (Performance → Load profile).
//
//   npx tsx bench/profile.ts ours | probot | floor | worker        (in-process)
//   npx tsx bench/profile.ts ours-http | probot-http | floor-http   (the server process under autocannon)
import './lib/env';
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { summarizeProfile } from './lib/profile';

const scenario = process.argv[2] ?? 'ours';
mkdirSync('bench/.cache/profiles', { recursive: true });
const file = `bench/.cache/profiles/${scenario}.cpuprofile`;
execFileSync(process.execPath, ['--import', 'tsx', 'bench/child/profiled.ts', scenario, file], { stdio: 'inherit' });
const s = summarizeProfile(file, 15);
console.log(`\n${file}: ${s.totalMs} ms sampled (idle excluded)`);
console.log('\nTime with a frame of the group on the stack');
console.table(s.inclusive);
console.log('\nSelf time by package');
console.table(s.byPackage);
console.log('\nSelf time by function');
console.table(s.byFunction);
