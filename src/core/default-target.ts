/**
 * The name of the one target of a config without `targets:` (and of every run stored before
 * targets existed). Its own module, so readers of the name (run filters, badges, the store's keys)
 * do not pull in the config parser and its YAML library.
 */
export const DEFAULT_TARGET = 'default';
