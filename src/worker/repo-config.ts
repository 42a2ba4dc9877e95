import { parseConfig } from '../core/config/parse';
import type { ConfigProblem } from '../core/config/problems';
import { CONFIG_PATH, type RepoConfig } from '../core/config/schema';
import type { GitHub } from '../github/client';
import { readFile } from '../github/contents';
import type { RepoRef } from './deps';

type RepoConfigResult =
  | { kind: 'missing' }
  | { kind: 'invalid'; problems: ConfigProblem[] }
  | { kind: 'ok'; config: RepoConfig };

/**
 * The config always comes from the default branch: a pull request must never be able to change
 * its own trust or dispatch settings.
 */
export async function loadRepoConfig(gh: GitHub, repo: RepoRef): Promise<RepoConfigResult> {
  const text = await readFile(gh, { owner: repo.owner, repo: repo.name, path: CONFIG_PATH, ref: repo.defaultBranch });
  if (text === null) return { kind: 'missing' };
  const parsed = parseConfig(text, { defaultBranch: repo.defaultBranch });
  return parsed.ok ? { kind: 'ok', config: parsed.config } : { kind: 'invalid', problems: parsed.problems };
}
