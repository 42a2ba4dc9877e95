/**
 * `npm run doctor`'s judgements, from what GitHub answered: one line per check, each failure with
 * its fix. Pure; src/local/doctor gathers the answers.
 */
import { parse } from 'yaml';
import { RESERVED_INPUTS } from './dispatch-inputs';

export interface Check {
  ok: boolean;
  text: string;
  /** What to do about a failure. */
  fix?: string;
}

const RANK: Record<string, number> = { none: 0, read: 1, write: 2, admin: 3 };

/** Each permission the manifest asks for that the App (or an installation) does not have at that level. */
export function permissionGaps(required: Record<string, string>, granted: Record<string, string | undefined>): { name: string; need: string; have: string }[] {
  return Object.entries(required)
    .filter(([name, need]) => (RANK[granted[name] ?? 'none'] ?? 0) < (RANK[need] ?? 0))
    .map(([name, need]) => ({ name, need, have: granted[name] ?? 'none' }));
}

/** Each event the manifest subscribes to that the App does not. */
export function eventGaps(required: readonly string[], subscribed: readonly string[]): string[] {
  const have = new Set(subscribed);
  return required.filter((e) => !have.has(e));
}

/**
 * What a dispatched workflow lacks: a `workflow_dispatch` trigger, each input the coordinator
 * sends, a `run-name` carrying `inputs.dispatch_id` (how a run is matched to its dispatch).
 */
export function workflowProblems(text: string): string[] {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (err) {
    return [`is not valid YAML (${(err as Error).message.split('\n')[0]})`];
  }
  if (!doc || typeof doc !== 'object') return ['is not a workflow (not a YAML mapping)'];
  const wf = doc as Record<string, unknown>;
  const on = wf.on ?? wf.true; // YAML 1.1 readers turn a bare `on` into true
  const dispatch =
    typeof on === 'string' ? (on === 'workflow_dispatch' ? {} : undefined)
    : Array.isArray(on) ? (on.includes('workflow_dispatch') ? {} : undefined)
    : on && typeof on === 'object' && 'workflow_dispatch' in on ? ((on as Record<string, unknown>).workflow_dispatch ?? {})
    : undefined;
  const problems: string[] = [];
  if (dispatch === undefined) problems.push('has no workflow_dispatch trigger');
  const inputs = (dispatch && typeof dispatch === 'object' ? (dispatch as { inputs?: unknown }).inputs : undefined) ?? {};
  for (const name of RESERVED_INPUTS) {
    if (!inputs || typeof inputs !== 'object' || !(name in inputs)) problems.push(`does not declare the input ${name}`);
  }
  const runName = wf['run-name'];
  if (typeof runName !== 'string' || !/inputs\.dispatch_id|github\.event\.inputs\.dispatch_id/.test(runName)) {
    problems.push('has no run-name with ${{ inputs.dispatch_id }}');
  }
  return problems;
}

/** The printed report, one line per check: `✔ text`, or `✘ text — fix: …`. */
export function renderChecks(checks: readonly Check[]): string {
  return checks.map((c) => (c.ok ? `✔ ${c.text}` : `✘ ${c.text}${c.fix ? ` — fix: ${c.fix}` : ''}`)).join('\n');
}
