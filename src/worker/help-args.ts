import type { RepoConfig } from '../core/config/schema';
import { configForTarget, hasNamedTargets, targetsOf } from '../core/config/targets';

/**
 * The arguments of core/commands.ts renderHelp for a repository: its prefix, the inputs a comment
 * may set (any target's, with named targets) and the names of its targets (none without `targets:`).
 */
export function helpArgs(config: RepoConfig): [prefix: string, inputs: string[], targets: string[]] {
  if (!hasNamedTargets(config)) return [config.commands.prefix, Object.keys(config.inputs), []];
  const targets = targetsOf(config);
  const inputs = [...new Set(targets.flatMap((t) => Object.keys(configForTarget(config, t).inputs)))];
  return [config.commands.prefix, inputs, targets.map((t) => t.name)];
}
