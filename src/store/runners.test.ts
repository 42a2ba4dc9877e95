import { describe, expect, it } from 'vitest';
import type { RunnerListing } from '../github/runners';
import { applyJobSighting, emptyFleet, mergeListings, type FleetItem, type JobSighting } from './runners';

const T0 = new Date('2026-11-25T12:00:00.000Z');
const later = (days: number) => new Date(T0.getTime() + days * 86_400_000);
const LABELS = ['self-hosted', 'ARM64', 'dgx'];

const listing = (...runners: { name: string; status?: 'online' | 'offline'; busy?: boolean; labels?: string[] }[]): RunnerListing => ({
  ok: true,
  truncated: false,
  runners: runners.map((r, i) => ({ id: i + 1, os: 'Linux', status: r.status ?? 'online', busy: r.busy ?? false, labels: r.labels ?? LABELS, name: r.name })),
});
const DENIED: RunnerListing = { ok: false, status: 403 };
const NOT_ORG: RunnerListing = { ok: false, status: 404 };

const sighting = (runnerName: string, status = 'in_progress', more: Partial<JobSighting> = {}): JobSighting => ({
  runnerName,
  labels: ['self-hosted', 'arm64'],
  jobId: 7,
  runId: 70,
  name: 'smoke',
  status,
  conclusion: null,
  repo: 'o/r',
  ...more,
});

describe('mergeListings', () => {
  it('takes both listings with their source, and records what could be read', () => {
    const f = mergeListings(emptyFleet('o/r', T0), { repo: listing({ name: 'a' }), org: listing({ name: 'b', status: 'offline' }) }, T0);
    expect(f.runners.map((r) => [r.name, r.source, r.status])).toEqual([
      ['a', 'repo', 'online'],
      ['b', 'org', 'offline'],
    ]);
    expect(f.access).toEqual({ repo: 'ok', org: 'ok' });
    expect(f.fetchedAt).toBe(T0.toISOString());
  });

  it('a 404 from the organization route means a personal account, a 403 a missing permission', () => {
    expect(mergeListings(emptyFleet('o/r', T0), { repo: listing(), org: NOT_ORG }, T0).access).toEqual({ repo: 'ok', org: 'not_org' });
    expect(mergeListings(emptyFleet('o/r', T0), { repo: DENIED, org: DENIED }, T0).access).toEqual({ repo: 'denied', org: 'denied' });
  });

  it('drops a runner a working listing no longer shows, but keeps the last job of those it still shows', () => {
    let f = mergeListings(emptyFleet('o/r', T0), { repo: listing({ name: 'a' }, { name: 'gone' }), org: NOT_ORG }, T0);
    f = applyJobSighting(f, sighting('A'), T0);
    f = mergeListings(f, { repo: listing({ name: 'a', busy: true }), org: NOT_ORG }, later(0.01));
    expect(f.runners.map((r) => r.name)).toEqual(['a']);
    expect(f.runners[0]).toMatchObject({ busy: true, lastJob: { id: 7, name: 'smoke' } });
  });

  it('a listing that fails keeps its runners only as "seen in a job", and only those that ran one', () => {
    let f = mergeListings(emptyFleet('o/r', T0), { repo: listing({ name: 'ran' }, { name: 'idle' }), org: NOT_ORG }, T0);
    f = applyJobSighting(f, sighting('ran', 'completed'), T0);
    f = mergeListings(f, { repo: DENIED, org: NOT_ORG }, later(0.01));
    expect(f.runners).toEqual([expect.objectContaining({ name: 'ran', source: 'job', status: null, busy: null })]);
  });

  it('forgets runners known only from jobs after a week without one', () => {
    let f = applyJobSighting(emptyFleet('o/r', T0), sighting('ephemeral-1'), T0);
    f = mergeListings(f, { repo: DENIED, org: DENIED }, later(6));
    expect(f.runners.map((r) => r.name)).toEqual(['ephemeral-1']);
    f = mergeListings(f, { repo: DENIED, org: DENIED }, later(8));
    expect(f.runners).toEqual([]);
  });
});

describe('applyJobSighting', () => {
  const listed = (): FleetItem => mergeListings(emptyFleet('o/r', T0), { repo: listing({ name: 'dgx-01', status: 'offline' }), org: NOT_ORG }, T0);

  it('a listed runner taking a job is online and busy; finishing makes it idle; names match in any case', () => {
    let f = applyJobSighting(listed(), sighting('DGX-01'), later(0.001));
    expect(f.runners).toEqual([expect.objectContaining({ name: 'dgx-01', status: 'online', busy: true, labels: LABELS, source: 'repo' })]);
    f = applyJobSighting(f, sighting('dgx-01', 'completed', { conclusion: 'success' }), later(0.002));
    expect(f.runners[0]).toMatchObject({ status: 'online', busy: false, lastJob: { status: 'completed', conclusion: 'success' } });
  });

  it('an unknown runner joins from the job, carrying at least the labels the job asked for', () => {
    let f = applyJobSighting(emptyFleet('o/r', T0), sighting('new-1'), T0);
    f = applyJobSighting(f, sighting('new-1', 'in_progress', { labels: ['self-hosted', 'gpu'] }), T0);
    expect(f.runners).toEqual([
      expect.objectContaining({ name: 'new-1', source: 'job', status: null, busy: null, labels: ['self-hosted', 'arm64', 'gpu'] }),
    ]);
  });
});
