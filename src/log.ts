/**
 * JSON-lines logger. Secrets must never reach a log line, so values under keys that look like
 * credentials are replaced before writing, whatever the caller passed.
 */
export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  child(fields: LogFields): Logger;
}

const SECRET_KEY = /secret|token|password|private.?key|authorization|signature|^key$|credential/i;
const LEVELS = { debug: 10, info: 20, warn: 30, error: 40 } as const;
export type Level = keyof typeof LEVELS;

/** `LOG_LEVEL` as the functions and the local server read it (any case); null when unset or unknown. */
export function logLevelOf(value: string | undefined): Level | null {
  const v = value?.trim().toLowerCase();
  return v && Object.hasOwn(LEVELS, v) ? (v as Level) : null;
}

function redact(value: unknown, depth = 0): unknown {
  if (depth > 6 || value === null || typeof value !== 'object') return value;
  if (value instanceof Error) return { name: value.name, message: value.message, status: (value as { status?: unknown }).status };
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = SECRET_KEY.test(k) ? '[redacted]' : redact(v, depth + 1);
  return out;
}

export function createLogger(opts: {
  level?: Level;
  write?: (line: string) => void;
  base?: LogFields;
  now?: () => Date;
} = {}): Logger {
  const min = LEVELS[opts.level ?? 'info'];
  const write = opts.write ?? ((line: string) => process.stdout.write(line + '\n'));
  const now = opts.now ?? (() => new Date());
  const make = (base: LogFields): Logger => {
    const emit = (level: Level, msg: string, fields?: LogFields) => {
      if (LEVELS[level] < min) return;
      const record = { time: now().toISOString(), level, msg, ...(redact(base) as LogFields), ...(redact(fields ?? {}) as LogFields) };
      write(JSON.stringify(record));
    };
    return {
      debug: (m, f) => emit('debug', m, f),
      info: (m, f) => emit('info', m, f),
      warn: (m, f) => emit('warn', m, f),
      error: (m, f) => emit('error', m, f),
      child: (fields) => make({ ...base, ...fields }),
    };
  };
  return make(opts.base ?? {});
}
