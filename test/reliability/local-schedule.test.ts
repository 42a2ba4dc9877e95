import { expect, it } from 'vitest';
import { createLogger } from '../../src/log';
import { startLocal } from '../../src/local/server';

it('the local server runs the redelivery pass on its interval, with the App JWT against the sandbox', async () => {
  const local = await startLocal({
    env: { PORT: '0' },
    inMemory: true,
    scheduleEveryMs: 100,
    playDelayMs: 1,
    log: createLogger({ level: 'error', write: () => {} }),
  });
  try {
    const gh = local.standIn!;
    const target = gh.webhookTarget;
    // The endpoint is down when GitHub delivers a push …
    gh.webhookTarget = async () => new Response('{"error":"store unavailable, retry later"}', { status: 503 });
    const repo = gh.repo('octo-org', 'arm64-demo');
    const sent = await gh.deliver(gh.events.pushEvent(repo, { ref: 'refs/heads/main', after: 'ab'.repeat(20) }));
    expect(sent.status).toBe(503);
    gh.webhookTarget = target;
    // … and the next tick of the schedule has GitHub send it again.
    for (let i = 0; i < 100 && !gh.deliveries.some((d) => d.redelivery && d.statusCode === 202); i++) {
      await new Promise((r) => setTimeout(r, 50));
    }
    const again = gh.deliveries.filter((d) => d.guid === sent.deliveryId);
    expect(again.map((d) => [d.redelivery, d.statusCode])).toEqual([
      [false, 503],
      [true, 202],
    ]);
    await local.queue.drain();
    expect(gh.dispatches.map((d) => d.inputs.sha)).toEqual(['ab'.repeat(20)]);
    expect(gh.violations).toEqual([]);
  } finally {
    await local.close();
  }
});
