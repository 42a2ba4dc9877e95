/**
 * The `workflow_dispatch` inputs the coordinator sends, and how a workflow run is matched back to
 * its dispatch through the dispatch id the workflow puts in its `run-name`.
 */
import type { RepoConfig } from './config';

/** Inputs the coordinator always sends; the dispatched workflow must declare them. */
export const RESERVED_INPUTS = ['sha', 'pr', 'runner_labels', 'dispatch_id'] as const;

export function dispatchInputs(args: {
  sha: string;
  pr: number | null;
  dispatchId: string;
  config: RepoConfig;
  overrides?: Record<string, string>;
}): Record<string, string> {
  const { sha, pr, dispatchId, config, overrides } = args;
  return {
    ...config.inputs,
    ...overrides,
    // Last, so neither the config nor a `/arm64 run key=value` can point the run at another commit.
    sha,
    pr: pr === null ? '' : String(pr),
    runner_labels: JSON.stringify(config.runner_labels),
    dispatch_id: dispatchId,
  };
}

/** Only inputs declared under `inputs:` may be overridden; reserved ones never are. */
export function validateOverrides(
  overrides: Record<string, string>,
  config: RepoConfig,
): { ok: true } | { ok: false; unknown: string[] } {
  const unknown = Object.keys(overrides).filter((k) => !Object.hasOwn(config.inputs, k));
  return unknown.length === 0 ? { ok: true } : { ok: false, unknown };
}

/**
 * A ULID: 26 characters of Crockford base32; the first is 0-7 because the 48-bit timestamp
 * cannot overflow it. Bounded on both sides so a longer token (a hash, a base32 blob) never
 * yields a fragment that happens to look like an id.
 */
const ULID_TOKEN = /(?<![0-9A-Za-z])[0-7][0-9A-HJKMNP-TV-Z]{25}(?![0-9A-Za-z])/;

/** The dispatch id inside a workflow run's `display_title` (its run-name), or null. */
export function dispatchIdFromTitle(title: string | null | undefined): string | null {
  if (!title) return null;
  return ULID_TOKEN.exec(title)?.[0] ?? null;
}
