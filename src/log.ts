/**
 * The one logger of the functions and the local server: Powertools for AWS Lambda's Logger
 * (JSON lines, `level`/`message`/`timestamp`/`service`, errors with stack and cause), behind the
 * small interface every module already uses. Secrets never reach a line: values under the exact
 * keys below, and every registered secret value wherever it appears, are replaced when the line is
 * serialised — whatever the caller passed.
 */
import { Logger as PowertoolsLogger, type LogItem } from '@aws-lambda-powertools/logger';
import type { ConstructorOptions, LogLevel } from '@aws-lambda-powertools/logger/types';

export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  /** A logger whose every line also carries `fields` (the parent is unchanged). */
  child(fields: LogFields): Logger;
  /** Adds keys to every later line of this logger (a delivery's sha or dispatch id, once known). */
  appendKeys(fields: LogFields): void;
}

const LEVELS = { debug: 'DEBUG', info: 'INFO', warn: 'WARN', error: 'ERROR' } as const satisfies Record<string, LogLevel>;
export type Level = keyof typeof LEVELS;

/** `LOG_LEVEL` as the functions and the local server read it (any case); null when unset or unknown. */
export function logLevelOf(value: string | undefined): Level | null {
  const v = value?.trim().toLowerCase();
  return v && Object.hasOwn(LEVELS, v) ? (v as Level) : null;
}

/**
 * Keys whose values are credentials, matched exactly (case-insensitive): a field named
 * `tokenCount` or `secretsLoaded` is not one, and is logged as it is.
 */
const SECRET_KEYS = new Set(
  [
    'authorization',
    'cookie',
    'password',
    'secret',
    'token',
    'privateKey',
    'private_key',
    'pem',
    'webhookSecret',
    'webhook_secret',
    'badgeSecret',
    'cursorSecret',
    'clientSecret',
    'client_secret',
    'x-hub-signature',
    'x-hub-signature-256',
  ].map((k) => k.toLowerCase()),
);

const REDACTED = '[redacted]';
const secretValues = new Set<string>();

/**
 * Registers a secret's value (the App key, the webhook secret, an installation token) so that it
 * is redacted wherever it appears in a line — in a message, a field or an error's stack. Values
 * shorter than 8 characters are not registered: redacting them would mangle ordinary text.
 */
export function registerSecret(value: string | null | undefined): void {
  if (typeof value !== 'string' || value.length < 8) return;
  secretValues.add(value);
  // A PEM key is also matched line by line: an error may quote a fragment of it.
  if (value.includes('-----BEGIN')) {
    for (const line of value.split(/\r?\n/)) if (line.length >= 16 && !line.startsWith('-----')) secretValues.add(line);
  }
}

function scrub(text: string): string {
  let out = text;
  for (const s of secretValues) if (out.includes(s)) out = out.split(s).join(REDACTED);
  return out;
}

/**
 * An error as a line shows it: name, message, stack and cause (Powertools formats those), plus the
 * error's own primitive fields (`status`, `code`) — not Octokit's `request`/`response` objects,
 * which carry headers and whole answer bodies.
 */
function loggableError(err: Error): Error {
  const copy = new Error(err.message, err.cause === undefined ? undefined : { cause: err.cause instanceof Error ? loggableError(err.cause) : err.cause });
  copy.name = err.name;
  if (err.stack !== undefined) copy.stack = err.stack;
  for (const [k, v] of Object.entries(err)) {
    if (v === null || ['string', 'number', 'boolean'].includes(typeof v)) (copy as unknown as LogFields)[k] = v;
  }
  if (err instanceof AggregateError) (copy as unknown as LogFields).errors = err.errors.map((e) => (e instanceof Error ? loggableError(e) : e));
  return copy;
}

function redactingReplacer(key: string, value: unknown): unknown {
  if (key !== '' && SECRET_KEYS.has(key.toLowerCase()) && value !== undefined && value !== null) return REDACTED;
  if (typeof value === 'string') return secretValues.size ? scrub(value) : value;
  if (value instanceof Error) return loggableError(value);
  return value;
}

type Write = (line: string) => void;
const stdout: Write = (line) => {
  process.stdout.write(line + '\n');
};

/**
 * Powertools' Logger, with each line handed to `write` (stdout by default: JSON lines only, every
 * level, so `npm start | jq` sees them all and a test can capture them).
 */
class AppLogger extends PowertoolsLogger {
  readonly #write: Write;

  constructor(options: ConstructorOptions, write: Write) {
    super(options);
    this.#write = write;
  }

  protected override printLog(_level: number, item: LogItem): void {
    item.prepareForPrint();
    this.#write(JSON.stringify(item.getAttributes(), this.getJsonReplacer()));
  }

  protected override createLogger(options?: ConstructorOptions): PowertoolsLogger {
    return new AppLogger(options ?? {}, this.#write);
  }
}

/** Powertools drops fields named like its own keys: they are kept, under `_<key>`. */
const RESERVED = new Set(['level', 'message', 'sampling_rate', 'service', 'timestamp']);
function fieldsOf(f: LogFields): LogFields {
  if (!Object.keys(f).some((k) => RESERVED.has(k))) return f;
  return Object.fromEntries(Object.entries(f).map(([k, v]) => [RESERVED.has(k) ? `_${k}` : k, v]));
}

/**
 * The interface over one Powertools logger. A child is a view that adds its keys to each line
 * rather than a Powertools `createChild()`: that builds a whole new logger (about 150 µs), and the
 * webhook route makes one per delivery.
 */
function wrap(p: PowertoolsLogger, keys: LogFields | null = null): Logger {
  const withKeys = (f?: LogFields): LogFields | undefined => (keys ? { ...keys, ...(f ? fieldsOf(f) : {}) } : f && fieldsOf(f));
  const emit = (level: 'debug' | 'info' | 'warn' | 'error', m: string, f?: LogFields) => {
    const all = withKeys(f);
    if (all) p[level](m, all);
    else p[level](m);
  };
  return {
    debug: (m, f) => emit('debug', m, f),
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
    child: (fields) => wrap(p, { ...keys, ...fieldsOf(fields) }),
    appendKeys: (fields) => {
      // The root's keys are Powertools' persistent keys; a child's are its own.
      if (keys) Object.assign(keys, fieldsOf(fields));
      else p.appendPersistentKeys(fieldsOf(fields));
    },
  };
}

export function createLogger(opts: {
  level?: Level;
  write?: Write;
  /** Keys on every line (`service` becomes Powertools' service name). */
  base?: LogFields;
} = {}): Logger {
  const { service, ...base } = opts.base ?? {};
  const p = new AppLogger(
    {
      logLevel: LEVELS[opts.level ?? 'info'],
      serviceName: typeof service === 'string' ? service : 'arm64-ci',
      jsonReplacerFn: redactingReplacer,
      ...(Object.keys(base).length ? { persistentKeys: base } : {}),
    },
    opts.write ?? stdout,
  );
  return wrap(p);
}
