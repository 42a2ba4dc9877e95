import type { Logger, LogFields } from '../log';

/** What the worker did with one delivery, as its log lines tell it (local server only). */
export interface JournalEntry {
  /** `processed`, `dead-lettered` (dropped or out of retries), or `working` (retrying or not started). */
  state: 'working' | 'processed' | 'dead-lettered';
  /** The worker's log messages for this delivery, in order (info and above). */
  lines: string[];
}

export interface DeliveryJournal {
  get(deliveryId: string): JournalEntry | undefined;
  /** The logger to give the worker and the queue: writes through to `log`, and journals. */
  logger(log: Logger): Logger;
}

/**
 * Remembers, for the last `max` deliveries, the log lines the worker and the queue wrote with
 * their `deliveryId`, so `npm run replay` can say what each replayed delivery led to.
 */
export function createJournal(max = 1000): DeliveryJournal {
  const entries = new Map<string, JournalEntry>();
  const note = (level: string, msg: string, fields: LogFields) => {
    const id = typeof fields.deliveryId === 'string' ? fields.deliveryId : null;
    if (!id || level === 'debug') return;
    let e = entries.get(id);
    if (!e) {
      e = { state: 'working', lines: [] };
      entries.set(id, e);
      if (entries.size > max) entries.delete(entries.keys().next().value!);
    }
    const error = typeof fields.error === 'string' ? `: ${fields.error}` : fields.error instanceof Error ? `: ${fields.error.message}` : '';
    if (msg !== 'processed') e.lines.push(`${msg}${error}`);
    if (msg === 'processed') e.state = 'processed';
    if (msg === 'message dead-lettered') e.state = 'dead-lettered';
  };
  const wrap = (log: Logger, base: LogFields): Logger => ({
    debug: (m, f) => log.debug(m, f),
    info: (m, f) => (note('info', m, { ...base, ...f }), log.info(m, f)),
    warn: (m, f) => (note('warn', m, { ...base, ...f }), log.warn(m, f)),
    error: (m, f) => (note('error', m, { ...base, ...f }), log.error(m, f)),
    child: (fields) => wrap(log.child(fields), { ...base, ...fields }),
    // Keys appended later (the dispatch id once known) belong to this delivery's lines too.
    appendKeys: (fields) => (Object.assign(base, fields), log.appendKeys(fields)),
  });
  return { get: (id) => entries.get(id), logger: (log) => wrap(log, {}) };
}
