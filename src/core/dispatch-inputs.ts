/**
 * The `workflow_dispatch` inputs the coordinator sends, and how a workflow run is matched back to
 * its dispatch through the dispatch id the workflow puts in its `run-name`.
 */
import type { RepoConfig } from './config/schema';

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

/**
 * The longest value a comment may set. GitHub takes at most 25 inputs and 65,535 characters of
 * inputs in all per dispatch; 25 values of this length, with their names, stay within that.
 */
export const MAX_INPUT_VALUE_LENGTH = 1024;

/**
 * Characters a value may not hold: control characters (C0, DEL and C1; a tab too, since a value
 * is one line of visible text), invisible format characters such as bidirectional overrides,
 * zero-width spaces and tag characters, which make what a reader sees differ from what is sent
 * (the zero-width joiner and non-joiner stay: emoji and some scripts need them), and unpaired
 * surrogates, which are no text at all.
 */
const FORBIDDEN = /[\p{Cc}\p{Cs}]|(?![\u200c\u200d])\p{Cf}/u;

type OverrideCheck =
  | { ok: true }
  | { ok: false; kind: 'unknown'; unknown: string[] }
  | { ok: false; kind: 'value'; key: string; problem: string };

/**
 * Only inputs declared under `inputs:` may be overridden, reserved ones never; then each value
 * must be at most MAX_INPUT_VALUE_LENGTH characters of visible text. The first bad value is
 * named; the value itself is not repeated (it may be long, or hold what cannot be shown).
 */
export function validateOverrides(overrides: Record<string, string>, config: RepoConfig): OverrideCheck {
  const unknown = Object.keys(overrides).filter((k) => !Object.hasOwn(config.inputs, k));
  if (unknown.length > 0) return { ok: false, kind: 'unknown', unknown };
  for (const [key, value] of Object.entries(overrides)) {
    const length = [...value].length;
    if (length > MAX_INPUT_VALUE_LENGTH) {
      return {
        ok: false,
        kind: 'value',
        key,
        problem: `is ${length.toLocaleString('en-US')} characters long; at most ${MAX_INPUT_VALUE_LENGTH.toLocaleString('en-US')} are accepted`,
      };
    }
    const bad = FORBIDDEN.exec(value);
    if (bad) {
      const code = (bad[0].codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0');
      const at = [...value.slice(0, bad.index)].length + 1;
      return {
        ok: false,
        kind: 'value',
        key,
        problem: `holds an invisible or control character (U+${code}, character ${at}); a value must be visible text on one line`,
      };
    }
  }
  return { ok: true };
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
