/**
 * A smoke-test artifact is written by the tested code, which on a pull request may be a fork's:
 * each test here is one way an artifact can try to cost unbounded work or sneak a pass through,
 * played end to end (signed webhooks, dynalite, the GitHub stand-in serving the zip).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ARTIFACT_LIMITS } from '../src/core/artifact-limits';
import { startArtifactThread, type ArtifactThread } from '../src/local/artifact-thread';
import { startGitHubStandIn, type CheckRunRecord, type GitHubStandIn } from '@arm64-ci/github-sim';
import { startLocal } from '../src/local/server';
import { createLogger } from '../src/log';
import { getDispatch } from '../src/store/dispatches';
import { currentSmoke } from '../src/store/dispatch-smoke';
import { APP_ID, CONFIG, seedRepo, startHarness, testKeys, WEBHOOK_SECRET, type Harness } from './support/harness';

/** `passing` passing test cases, then `failing` failing ones, optionally failing ones first. */
function junit(opts: { passing: number; failing?: number; failingFirst?: boolean; prefix?: string }): string {
  const p = opts.prefix ?? 't';
  const pass = Array.from({ length: opts.passing }, (_, i) => `<testcase classname="tests.smoke" name="${p}_pass_${i}" time="0.001"/>`);
  const fail = Array.from(
    { length: opts.failing ?? 0 },
    (_, i) => `<testcase classname="tests.smoke" name="${p}_fail_${i}"><failure message="assert arm64 == x86_64">boom</failure></testcase>`,
  );
  const cases = opts.failingFirst ? [...fail, ...pass] : [...pass, ...fail];
  return `<?xml version="1.0" encoding="utf-8"?>\n<testsuites><testsuite name="pytest">\n${cases.join('\n')}\n</testsuite></testsuites>\n`;
}

const sha = (n: number) => n.toString(16).padStart(40, 'a');

describe('hostile smoke-test artifacts (through the webhook route, dynalite and the stand-in)', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({
      logLevel: 'warn',
      repos: [
        seedRepo(), // min_pass_rate 1.0 (the default)
        seedRepo({ name: 'gadget', files: { '.github/arm64-ci.yml': `${CONFIG}smoke_tests:\n  min_pass_rate: 0.8\n` } }),
      ],
    });
  });
  afterEach(async () => {
    expect(h.gh.violations).toEqual([]);
    await h.close();
  });

  /** Pushes a commit, plays its run to a successful end with `files` as the artifact. */
  async function run(n: number, files: Record<string, string>, repo = 'widget'): Promise<{ check: CheckRunRecord; counts: unknown }> {
    await h.send(h.gh.events.pushEvent(h.gh.repo('octo-org', repo), { ref: 'refs/heads/main', after: sha(n) }));
    const runId = h.gh.dispatches.find((x) => x.inputs.sha === sha(n) && x.repo === `octo-org/${repo}`)!.runId;
    await h.gh.startRun(runId);
    const job = await h.gh.queueJob(runId, { name: 'test (3.11)' });
    await h.gh.startJob(job.id, { runnerName: 'dgx-01' });
    await h.gh.completeJob(job.id, 'success');
    h.gh.addArtifact(runId, { name: 'smoke-test-results', files });
    const done = await h.gh.completeRun(runId, 'success');
    expect(done?.status).toBe(202);
    await h.settle();
    const check = h.gh.checkRuns('octo-org', repo).find((c) => c.headSha === sha(n))!;
    expect(check.status).toBe('completed');
    const d = (await getDispatch(h.store, `octo-org/${repo}`, check.externalId!))!;
    return { check, counts: currentSmoke(d)?.counts ?? null };
  }

  it('a JUnit file over the per-file cap: counts cover the first 10,000 cases, the summary names what was skipped, failures read fail the check', async () => {
    const huge = junit({ passing: 22_342, failing: 3, failingFirst: true });
    const { check, counts } = await run(1, { 'results/huge.xml': huge });

    expect(counts).toEqual({ passed: 9_997, failed: 3, errored: 0, skipped: 0, total: 10_000 });
    const summary = check.output.summary!;
    expect(summary).toContain('12,345 test cases over the 10,000-per-file cap were not read in results/huge.xml; counts cover what was read.');
    expect(summary).toContain('| results/huge.xml | 9997 | 3 | 0 | 0 | 9997/10000 (99%) |');
    expect(check.conclusion).toBe('failure');
    expect(summary).toContain(
      '| Decided by | smoke pass rate 9997/10000 (99%) is below the required 100%; 12,345 test cases over the limit were not read |',
    );
    expect(check.annotations).toHaveLength(3);
  });

  it('padding with passing cases to push failures past the per-file cap does not make a pass', async () => {
    const padded = junit({ passing: ARTIFACT_LIMITS.casesPerFile, failing: 5 });
    const { check, counts } = await run(2, { 'results.xml': padded });

    // What was read all passed, and that is what the counts (and the badge) show …
    expect(counts).toMatchObject({ passed: 10_000, failed: 0, total: 10_000 });
    // … but the verdict assumes the five unread cases failed.
    expect(check.conclusion).toBe('failure');
    expect(check.output.summary).toContain(
      '| Decided by | 5 test cases over the limit were not read, so the required 100% cannot be confirmed (10000/10000 (100%) of the test cases read passed) |',
    );
    expect(check.output.summary).toContain('5 test cases over the 10,000-per-file cap were not read in results.xml');
  });

  it('a run over the per-run cap: reads 20,000 cases across files, counts the rest, and passes only if the rate holds whatever they say', async () => {
    const files = {
      'py3.10.xml': junit({ passing: 8_000, prefix: 'a' }),
      'py3.11.xml': junit({ passing: 8_000, prefix: 'b' }),
      'py3.12.xml': junit({ passing: 8_000, prefix: 'c' }),
    };
    // min_pass_rate 1.0: the 4,000 unread cases could be failures.
    const strict = await run(3, files);
    expect(strict.counts).toMatchObject({ passed: 20_000, total: 20_000 });
    expect(strict.check.conclusion).toBe('failure');
    const summary = strict.check.output.summary!;
    expect(summary).toContain('4,000 test cases over the 20,000-per-run cap were not read (in py3.12.xml); counts cover what was read.');
    expect(summary).toContain('| py3.12.xml | 4000 | 0 | 0 | 0 | 4000/4000 (100%) |');
    expect(summary).toContain('4,000 test cases over the limit were not read, so the required 100% cannot be confirmed');

    // min_pass_rate 0.8: 20,000 of 24,000 is 83% even if all 4,000 failed, so it passes.
    const lenient = await run(4, files, 'gadget');
    expect(lenient.check.conclusion).toBe('success');
    expect(lenient.check.output.summary).toContain(
      'smoke pass rate 20000/20000 (100%) meets the required 80% even if the 4,000 test cases not read (over the limit) all failed',
    );
  });

  it('a zip with too many files: the first 200 are read, the summary says so, and the check does not pass', async () => {
    const files = Object.fromEntries(Array.from({ length: 230 }, (_, i) => [`results/r${String(i).padStart(3, '0')}.xml`, junit({ passing: 1, prefix: `f${i}` })]));
    const { check, counts } = await run(5, files);
    expect(counts).toMatchObject({ passed: 200, total: 200 });
    expect(check.conclusion).toBe('failure');
    expect(check.output.summary).toContain('The artifact holds 230 XML files; only the first 200 were read (the limit per artifact).');
    expect(check.output.summary).toContain('part of the smoke-test results was over a limit and not read, so the required 100% cannot be confirmed');
  });

  it('a zip bomb (11 MiB of zeros in a few KB) is not inflated past the per-file limit, and the check does not pass', async () => {
    const { check, counts } = await run(6, { 'bomb.xml': '\0'.repeat(11 * 1024 * 1024), 'ok.xml': junit({ passing: 3 }) });
    expect(counts).toMatchObject({ passed: 3, total: 3 });
    expect(check.conclusion).toBe('failure');
    expect(check.output.summary).toContain('bomb.xml was not read: it unpacks to 11 MiB, over the 10 MiB limit per file.');
  });

  it('an XML bomb (billion laughs, external entity) and 100,000-deep nesting are refused unexpanded, with a clear summary', async () => {
    const laughs = `<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 ${Array.from({ length: 8 }, (_, i) => `<!ENTITY lol${i + 2} "${`&lol${i === 0 ? '' : i + 1};`.repeat(10)}">`).join('\n ')}
]>
<testsuite><testcase name="&lol9;"><failure message="&lol9;"/></testcase></testsuite>`;
    const xxe = '<?xml version="1.0"?><!DOCTYPE t [<!ENTITY x SYSTEM "file:///etc/passwd">]><testsuite><testcase name="&x;"/></testsuite>';
    const deep = `${'<testsuite>'.repeat(100_000)}<testcase name="x"/>${'</testsuite>'.repeat(100_000)}`;
    const { check, counts } = await run(7, { 'lolz.xml': laughs, 'xxe.xml': xxe, 'deep.xml': deep, 'good.xml': junit({ passing: 4 }) });

    expect(counts).toMatchObject({ passed: 4, total: 4 });
    const summary = check.output.summary!;
    expect(summary).toContain('lolz.xml was not read: entity declarations are not allowed (found \\<\\!DOCTYPE at line 2, column 1)');
    expect(summary).toContain('xxe.xml was not read: entity declarations are not allowed');
    expect(summary).toContain('deep.xml was not read: elements are nested more than 32 deep (at line 1, column 353); the file was not parsed');
    expect(summary).not.toContain('lollol');
    expect(summary).not.toContain('root:');
    // Files that are not JUnit are left out, as a missing file is: the verdict follows the rest.
    expect(check.conclusion).toBe('success');
    expect(summary).toContain('| Decided by | smoke pass rate 4/4 (100%) meets the required 100%; 3 files could not be read |');
  });
});

describe('an artifact crafted to exhaust the parser’s memory', () => {
  let h: Harness;
  let thread: ArtifactThread;
  afterEach(async () => {
    await thread.close();
    await h.close();
  });

  it('ends the parser thread, not the server; the summary says so and the check does not pass', async () => {
    // The local server's parser with a heap small enough for this artifact to exhaust it.
    thread = startArtifactThread({ maxHeapMb: 16 });
    h = await startHarness({ logLevel: 'error', parseSmokeArtifact: thread.parse });
    await h.send(h.gh.events.pushEvent(h.gh.repo('octo-org', 'widget'), { ref: 'refs/heads/main', after: sha(20) }));
    const runId = h.gh.dispatches.find((x) => x.inputs.sha === sha(20))!.runId;
    await h.gh.startRun(runId);
    h.gh.addArtifact(runId, {
      name: 'smoke-test-results',
      files: { 'results.xml': junit({ passing: 9_000, failing: 0 }).replace(/time="0.001"\/>/g, `time="0.001"><system-out>${'log\n'.repeat(200)}</system-out></testcase>`) },
    });
    await h.gh.completeRun(runId, 'success');
    await h.settle();

    const check = h.gh.checkRuns('octo-org', 'widget').find((c) => c.headSha === sha(20))!;
    expect(check).toMatchObject({ status: 'completed', conclusion: 'failure' });
    expect(check.output.summary).toContain('The artifact "smoke-test-results" could not be parsed within the limits (the parser ran out of its 16 MB of memory).');
    expect(h.queue.deadLetters).toEqual([]);
    // The next artifact is parsed by a fresh thread.
    await h.send(h.gh.events.pushEvent(h.gh.repo('octo-org', 'widget'), { ref: 'refs/heads/main', after: sha(21) }));
    const next = h.gh.dispatches.find((x) => x.inputs.sha === sha(21))!.runId;
    await h.gh.startRun(next);
    h.gh.addArtifact(next, { name: 'smoke-test-results', files: { 'results.xml': junit({ passing: 2 }) } });
    await h.gh.completeRun(next, 'success');
    await h.settle();
    expect(h.gh.checkRuns('octo-org', 'widget').find((c) => c.headSha === sha(21))).toMatchObject({ conclusion: 'success' });
  });
});

describe('the local server parses artifacts off the main thread', () => {
  let gh: GitHubStandIn | null = null;
  let local: Awaited<ReturnType<typeof startLocal>> | null = null;
  afterEach(async () => {
    await local?.close();
    await gh?.close();
  });

  it('webhook intake answers 202 while a huge artifact is being parsed', async () => {
    const { privateKey, publicKey } = testKeys();
    gh = await startGitHubStandIn({
      app: { id: APP_ID, publicKeyPem: publicKey },
      repos: [seedRepo(), seedRepo({ name: 'gadget' })],
      webhook: { secret: WEBHOOK_SECRET },
    });
    // The parser thread stops at this gate until the test lets it through (see ArtifactThreadOptions).
    const gate = new SharedArrayBuffer(3 * Int32Array.BYTES_PER_ELEMENT);
    const g = new Int32Array(gate);
    local = await startLocal({
      env: { APP_ID: String(APP_ID), PRIVATE_KEY: privateKey, WEBHOOK_SECRET, GITHUB_API_URL: gh.url, PORT: '0' },
      inMemory: true,
      log: createLogger({ level: 'error', write: () => {} }),
      artifactGate: gate,
    });
    gh.webhookTarget = `${local.url}/api/github/webhooks`;
    const widget = gh.repo('octo-org', 'widget');

    expect((await gh.deliver(gh.events.pushEvent(widget, { ref: 'refs/heads/main', after: sha(10) }))).status).toBe(202);
    await local.queue.drain();
    const runId = gh.dispatches.find((x) => x.inputs.sha === sha(10))!.runId;
    await gh.startRun(runId);
    const job = await gh.queueJob(runId, { name: 'test (3.11)' });
    await gh.startJob(job.id, { runnerName: 'dgx-01' });
    await gh.completeJob(job.id, 'success');
    gh.addArtifact(runId, {
      name: 'smoke-test-results',
      files: { 'results/huge.xml': junit({ passing: 15_000, failing: 2, failingFirst: true }), 'results/more.xml': junit({ passing: 9_000, prefix: 'm' }) },
    });
    expect((await gh.completeRun(runId, 'success'))?.status).toBe(202);

    // The worker has downloaded the zip and handed it to the parser, which is now held mid-parse.
    // Were the parse on the main thread, this would never resolve before the queue ran dry.
    // (Atomics.waitAsync is in Node 20; the project's TypeScript lib predates it.)
    const waitAsync = (Atomics as unknown as { waitAsync: (a: Int32Array, i: number, v: number) => { async: boolean; value: Promise<unknown> | string } }).waitAsync;
    const started = waitAsync(g, 1, 0);
    await Promise.race([
      started.async ? started.value : Promise.resolve(),
      local.queue.drain().then(() => {
        throw new Error('the artifact was parsed without passing through the parser thread');
      }),
    ]);
    expect(Atomics.load(g, 1)).toBe(1);

    // Meanwhile webhooks are answered, and another repository's push is processed to its dispatch.
    const gadget = gh.repo('octo-org', 'gadget');
    const push = await gh.deliver(gh.events.pushEvent(gadget, { ref: 'refs/heads/main', after: sha(11) }));
    expect([push.status, JSON.parse(push.body)]).toEqual([202, { status: 'accepted' }]);
    expect((await fetch(`${local.url}/healthz`)).status).toBe(200);
    for (let i = 0; i < 400 && !gh.dispatches.some((x) => x.inputs.sha === sha(11)); i++) await new Promise((r) => setTimeout(r, 25));
    expect(gh.dispatches.filter((x) => x.repo === 'octo-org/gadget').map((x) => x.inputs.sha)).toEqual([sha(11)]);
    // … all while the parse has not finished.
    expect(Atomics.load(g, 2)).toBe(0);
    expect(gh.checkRuns('octo-org', 'widget').find((c) => c.headSha === sha(10))?.status).not.toBe('completed');

    Atomics.store(g, 0, 1);
    Atomics.notify(g, 0);
    await local.queue.drain();
    expect(Atomics.load(g, 2)).toBe(1);
    const check = gh.checkRuns('octo-org', 'widget').find((c) => c.headSha === sha(10))!;
    expect(check).toMatchObject({ status: 'completed', conclusion: 'failure' });
    expect(check.output.summary).toContain('5,002 test cases over the 10,000-per-file cap were not read in results/huge.xml');
    expect(check.output.summary).toContain('| results/more.xml | 9000 | 0 | 0 | 0 | 9000/9000 (100%) |');
    expect(gh.violations).toEqual([]);
  });
});
