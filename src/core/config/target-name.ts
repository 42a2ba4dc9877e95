/**
 * What a target may be called. One rule for the config file, the slash commands and the badge
 * query (`?target=`), kept in a leaf module so the command parser and the config schema can share
 * it without importing each other.
 */

/** Names appear in check-run names, badge URLs and commands: short, and safe in all three. */
export const MAX_TARGET_NAME = 32;

/**
 * A letter, then letters, digits, `-` or `_`. A leading letter also keeps a name from looking like
 * an array index, which JavaScript objects would sort ahead of the others (declaration order is
 * the order of check runs and the default badge).
 */
const TARGET_NAME = /^[A-Za-z][A-Za-z0-9_-]*$/;

export function isTargetName(name: string): boolean {
  return name.length <= MAX_TARGET_NAME && TARGET_NAME.test(name);
}

export const TARGET_NAME_RULE = `a letter, then letters, digits, - or _ (at most ${MAX_TARGET_NAME} characters)`;
