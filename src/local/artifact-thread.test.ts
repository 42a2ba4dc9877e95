import { strToU8, zipSync } from 'fflate';
import { afterEach, describe, expect, it } from 'vitest';
import { readSmokeArtifact } from '../core/smoke/artifact';
import { ArtifactOverLimitError } from '../worker/deps';
import { startArtifactThread, type ArtifactThread } from './artifact-thread';

const small = zipSync({ 'a.xml': strToU8('<testsuite><testcase name="a"/><testcase name="b"><failure message="x"/></testcase></testsuite>') });
/** About 8 MB of JUnit: far more than a 16 MB heap can parse. */
const heavy = zipSync({
  'b.xml': strToU8(
    `<testsuites><testsuite name="s">${Array.from({ length: 10_000 }, (_, i) => `<testcase name="t${i}"><failure>${'x\n'.repeat(400)}</failure></testcase>`).join('')}</testsuite></testsuites>`,
  ),
});

let thread: ArtifactThread | null = null;
afterEach(async () => {
  await thread?.close();
  thread = null;
});

describe('the artifact parser thread', () => {
  it('returns what parsing inline returns', async () => {
    thread = startArtifactThread();
    expect(await thread.parse(small)).toEqual(readSmokeArtifact(small));
  });

  it('an artifact that exhausts the thread’s memory fails alone; parses queued behind it run on a new thread', async () => {
    thread = startArtifactThread({ maxHeapMb: 16 });
    const [bomb, queued] = await Promise.allSettled([thread.parse(heavy), thread.parse(small)]);
    expect(bomb).toMatchObject({ status: 'rejected', reason: expect.any(ArtifactOverLimitError) });
    expect((bomb as PromiseRejectedResult).reason.message).toBe('the parser ran out of its 16 MB of memory');
    expect(queued).toMatchObject({ status: 'fulfilled', value: { smoke: { counts: { total: 2 } } } });
    expect((await thread.parse(small)).smoke.counts.failed).toBe(1);
  });

  it('rejects pending and later parses once closed', async () => {
    thread = startArtifactThread();
    const pending = expect(thread.parse(heavy)).rejects.toThrow('the artifact parser is closed');
    await thread.close();
    await pending;
    await expect(thread.parse(small)).rejects.toThrow('the artifact parser is closed');
  });
});
