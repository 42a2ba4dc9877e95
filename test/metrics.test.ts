/**
 * The numbers an operator watches: CloudWatch embedded-metric-format lines from the functions
 * (checked against the format's specification), and the same numbers at the local server's
 * GET /metrics (read with a Prometheus text parser).
 */
import { Ajv } from 'ajv';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startLocal } from '../src/local/server';
import { createLogger } from '../src/log';
import { METRICS_NAMESPACE } from '../src/metrics/catalog';
import { emfMetrics, metrics, useMetrics } from '../src/metrics/metrics';
import { EMF_SCHEMA, emfProblems } from './support/emf-schema';
import { startRig, type Rig } from './support/rig';

let r: Rig | null = null;
afterEach(async () => {
  vi.restoreAllMocks();
  useMetrics(null);
  await r?.close();
  r = null;
});

const sha = (n: number) => n.toString(16).padStart(40, 'f');

describe('CloudWatch embedded metric format (the functions)', () => {
  it('a whole run writes valid EMF documents with webhooks, dispatches, queue time, run duration and rejections', async () => {
    const out: string[] = [];
    const h = (r = await startRig());
    useMetrics(emfMetrics());
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => (out.push(...String(chunk).split('\n').filter(Boolean)), true));

    const pushed = await h.send(h.gh.events.pushEvent(h.gh.repo('octo-org', 'widget'), { ref: 'refs/heads/main', after: sha(1) }));
    await h.send(h.gh.events.pushEvent(h.gh.repo('octo-org', 'widget'), { ref: 'refs/heads/main', after: sha(1) }), { deliveryId: pushed.deliveryId });
    const run = h.gh.workflowRuns('octo-org', 'widget')[0]!;
    await h.gh.play(run.id, { jobs: [{ name: 'test (3.11)', runnerName: 'dgx-01', labels: ['self-hosted', 'arm64', 'dgx'], conclusion: 'success' }] });
    await h.settle();
    await h.app.request('/api/github/webhooks', { method: 'POST', headers: { 'x-hub-signature-256': 'sha256=00', 'x-github-event': 'push', 'x-github-delivery': 'forged' }, body: '{}' });
    await h.tick();
    metrics.flush();
    vi.restoreAllMocks();

    const docs = out.map((l) => JSON.parse(l) as Record<string, unknown>).filter((d) => '_aws' in d);
    expect(docs.length).toBeGreaterThan(0);
    const validate = new Ajv({ allErrors: true }).compile(EMF_SCHEMA);
    for (const d of docs) {
      expect(validate(d) ? [] : validate.errors).toEqual([]);
      expect(emfProblems(d)).toEqual([]);
    }
    // Summed over every document, as CloudWatch would.
    const total = (name: string, where: Record<string, string> = {}) =>
      docs
        .filter((d) => Object.entries(where).every(([k, v]) => d[k] === v))
        .flatMap((d) => (d[name] === undefined ? [] : ([] as number[]).concat(d[name] as number | number[])))
        .reduce((a, b) => a + b, 0);
    const names = new Set(docs.flatMap((d) => (d._aws as { CloudWatchMetrics: { Namespace: string; Metrics: { Name: string }[] }[] }).CloudWatchMetrics.flatMap((m) => m.Metrics.map((x) => `${m.Namespace}/${x.Name}`))));
    for (const n of ['WebhooksAccepted', 'WebhooksDuplicate', 'WebhooksRejected', 'Dispatches', 'QueueTime', 'RunDuration', 'InstalledRepositories']) {
      expect(names).toContain(`${METRICS_NAMESPACE}/${n}`);
    }
    expect(total('WebhooksDuplicate')).toBe(1);
    expect(total('Dispatches')).toBe(1);
    expect(total('WebhooksRejected', { reason: 'signature' })).toBe(1);
    expect(total('InstalledRepositories')).toBe(1);
    // Every metric carries the service dimension the dashboard and alarms select on.
    for (const d of docs) expect(d.service).toBe('arm64-ci');
  });
});

describe('GET /metrics (the local server)', () => {
  it('answers the same numbers in Prometheus text format', async () => {
    const local = await startLocal({ env: { PORT: '0' }, inMemory: true, playDelayMs: 5, log: createLogger({ level: 'error', write: () => {} }) });
    try {
      await fetch(`${local.url}/api/github/webhooks`, { method: 'POST', headers: { 'x-hub-signature-256': 'sha256=00', 'x-github-event': 'push', 'x-github-delivery': 'forged' }, body: '{}' });
      const pushed = (await (await fetch(`${local.url}/_sandbox/push`, { method: 'POST', body: '{}' })).json()) as { status: number };
      expect(pushed.status).toBe(202);
      // The stand-in plays the run to its end (smoke results included): wait for the completion.
      let text = '';
      for (let tries = 0; tries < 300 && !/^arm64ci_smoke_runs_total 1$/m.test(text); tries++) {
        await new Promise((r) => setTimeout(r, 100));
        await local.queue.drain();
        text = await (await fetch(`${local.url}/metrics`)).text();
      }

      const res = await fetch(`${local.url}/metrics`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
      const families = parsePrometheusTextFormat(await res.text());
      const family = (name: string) => families.find((f) => f.name === name);
      const value = (name: string, labels: Record<string, string> = {}) =>
        Number(family(name)?.metrics.find((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v))?.value ?? NaN);

      expect(family('arm64ci_webhooks_accepted_total')?.type).toBe('COUNTER');
      expect(value('arm64ci_webhooks_accepted_total')).toBeGreaterThanOrEqual(1);
      expect(value('arm64ci_dispatches_total')).toBe(1);
      expect(value('arm64ci_webhooks_rejected_total', { reason: 'signature' })).toBe(1);
      expect(family('arm64ci_queue_time_seconds')?.type).toBe('HISTOGRAM');
      expect(Number(family('arm64ci_queue_time_seconds')?.metrics[0]?.count)).toBeGreaterThanOrEqual(1);
      expect(Number(family('arm64ci_run_duration_seconds')?.metrics[0]?.count)).toBe(1);
      // The sandbox's demo run passes its smoke tests: pass rate 1/1.
      expect(value('arm64ci_smoke_runs_total')).toBe(1);
      expect(value('arm64ci_smoke_passed_total')).toBe(1);
      expect(family('arm64ci_reconciler_actions_total')?.type).toBe('COUNTER');
      expect(family('arm64ci_installed_repositories')?.type).toBe('GAUGE');
    } finally {
      await local.close();
    }
  });
});
