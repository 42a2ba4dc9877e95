import type { WorkerDeps } from './deps';

/** What a delivery came to, as its `processed` log line says it. */
export type OutcomeKind = 'dispatched' | 'held' | 'ignored' | 'updated check run';

/** Collects a delivery's outcomes (a push may dispatch one run and cancel another). */
export class Outcome {
  readonly #notes: string[] = [];

  add(kind: OutcomeKind, detail?: string): void {
    const note = detail ? `${kind}: ${detail}` : kind;
    if (!this.#notes.includes(note)) this.#notes.push(note);
  }

  /** For the `processed` line; a handler that decided nothing worth saying leaves "no action". */
  toString(): string {
    return this.#notes.length ? this.#notes.join('; ') : 'no action';
  }
}

/**
 * A "why nothing happened" decision: an info line that says why (an operator asking why a push
 * got no check run finds it under the delivery's keys), and the delivery's outcome.
 */
export function ignored(deps: WorkerDeps, why: string, fields: Record<string, unknown> = {}): void {
  deps.log.info(`ignored: ${why}`, { ...fields, reason: why });
  deps.outcome?.add('ignored', why);
}
