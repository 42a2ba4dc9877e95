/**
 * GitHub's published webhook payloads (`@octokit/webhooks-examples`): the starting point of every
 * event the stand-in sends.
 */
import { createRequire } from 'node:module';

type Obj = Record<string, any>;

interface ExampleGroup {
  name: string;
  actions: string[];
  examples: Obj[];
}

const require = createRequire(import.meta.url);
let exampleGroups: ExampleGroup[] | undefined;

function groups(): ExampleGroup[] {
  // The package's main file: one entry per event, each with an `examples` array.
  exampleGroups ??= require('@octokit/webhooks-examples') as ExampleGroup[];
  return exampleGroups;
}

/** A deep copy of GitHub's first example payload for an event (and action, when given). */
export function examplePayload(event: string, action?: string): any {
  const group = groups().find((g) => g.name === event);
  if (!group) throw new Error(`no webhook example for event "${event}"`);
  const example = group.examples.find((e) => action === undefined || e.action === action);
  if (!example) throw new Error(`no webhook example for ${event}.${action}`);
  return structuredClone(example);
}

/** The example for this action, or the event's first example when GitHub published none for it. */
export function baseExample(event: string, action?: string): any {
  const group = groups().find((g) => g.name === event);
  const example = group?.examples.find((e) => e.action === action) ?? group?.examples[0];
  if (!example) throw new Error(`no webhook example for event "${event}"`);
  return structuredClone(example);
}
