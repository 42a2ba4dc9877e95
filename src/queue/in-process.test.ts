import { expect, it } from 'vitest';
import { createLogger } from '../log';
import { createInProcessQueue } from './in-process';

const log = createLogger({ level: 'error', write: () => undefined });
const message = (deliveryId: string) => ({ deliveryId, event: 'push', payload: '{}', receivedAt: new Date(0).toISOString(), groupId: 'o/r' });

it('close waits for the message being processed, so its writes land before the store behind it closes', async () => {
  let finish!: () => void;
  const done: string[] = [];
  const queue = createInProcessQueue({
    log,
    process: async (m) => {
      await new Promise<void>((r) => (finish = r));
      done.push(m.deliveryId);
    },
  });
  await queue.send(message('a'));
  let closed = false;
  const closing = queue.close().then(() => (closed = true));
  await new Promise((r) => setTimeout(r, 20));
  expect(closed).toBe(false);
  finish();
  await closing;
  expect(done).toEqual(['a']);
  await expect(queue.send(message('b'))).rejects.toThrow('queue is closed');
});
