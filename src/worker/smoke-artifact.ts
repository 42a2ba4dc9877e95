/**
 * A completed run's smoke-test artifact, read: found in the run's artifact listing (which is also
 * returned, for the artifact sizes), checked against the attempt and the size limit, downloaded and
 * parsed (deps.parseSmokeArtifact). What could not be read becomes a note or an unread set, never a 500.
 */
import { repoParts } from '../core/repo-name';
import { unreadArtifact } from '../core/smoke/artifact';
import type { SmokeSet } from '../core/smoke/verdict';
import { downloadArtifact, listRunArtifacts, MAX_ARTIFACT_BYTES, type Artifact } from '../github/artifacts';
import { githubMessage, httpStatus, type GitHub } from '../github/client';
import type { ReportedRun } from '../github/workflow-runs';
import type { DispatchItem } from '../store/dispatches';
import { ArtifactOverLimitError, type WorkerDeps } from './deps';

export async function readSmokeArtifact(
  deps: WorkerDeps,
  gh: GitHub,
  d: DispatchItem,
  run: ReportedRun,
  name: string,
): Promise<{ smoke: SmokeSet | null; notes: string[]; all?: Artifact[] }> {
  const { owner, repo } = repoParts(d.repo);
  try {
    // Every artifact in one listing: the smoke artifact is found in it, and all their sizes are recorded.
    const all = await listRunArtifacts(gh, { owner, repo, runId: Number(run.id) });
    const artifacts = all.filter((a) => a.name === name);
    const found = await collectFrom(deps, gh, d, run, name, artifacts);
    return { ...found, all };
  } catch (err) {
    const status = httpStatus(err);
    // Outages and rate limits are retried by the queue (the completion is processed again);
    // anything else GitHub refuses for good is reported instead of failing forever.
    if (status === null || status >= 500 || status === 429) throw err;
    deps.log.warn('smoke artifact unavailable', { dispatchId: d.dispatchId, status, error: githubMessage(err) });
    return { smoke: null, notes: [`The smoke-test artifact could not be fetched (HTTP ${status}): ${githubMessage(err)}`] };
  }
}

async function collectFrom(
  deps: WorkerDeps,
  gh: GitHub,
  d: DispatchItem,
  run: ReportedRun,
  name: string,
  artifacts: Artifact[],
): Promise<{ smoke: SmokeSet | null; notes: string[] }> {
  const { owner, repo } = repoParts(d.repo);
  const artifact = newest(artifacts.filter((a) => !a.expired)) ?? null;
  if (!artifact) {
    const expired = artifacts.length > 0;
    return {
      smoke: null,
      notes: [
        expired
          ? `The artifact "${name}" of this run has expired, so its results could not be read.`
          : `This run uploaded no artifact named "${name}" (smoke_tests.artifact in .github/arm64-ci.yml).`,
      ],
    };
  }
  // On a re-run, an artifact of the same name may still be the previous attempt's (upload-artifact
  // refuses to replace it without `overwrite: true`): counting it again would report old results.
  const attempt = run.run_attempt ?? 1;
  if (attempt > 1 && run.run_started_at && Date.parse(artifact.created_at ?? '') < Date.parse(run.run_started_at)) {
    return {
      smoke: null,
      notes: [
        `The artifact "${name}" was uploaded before attempt ${attempt} started, so it holds an earlier attempt's results; upload it with \`overwrite: true\` to report re-runs.`,
      ],
    };
  }
  // Too large to read is a limit, not an absence: the results may hold failures (see decideConclusion).
  if (artifact.size_in_bytes > MAX_ARTIFACT_BYTES) {
    return {
      smoke: unreadArtifact(`The artifact "${name}" is ${mib(artifact.size_in_bytes)}, over the ${mib(MAX_ARTIFACT_BYTES)} limit; it was not downloaded.`),
      notes: [],
    };
  }
  const download = await downloadArtifact(gh, { owner, repo, artifactId: artifact.id });
  if (!download.ok) {
    const note = `The artifact "${name}" could not be read: ${download.message}.`;
    return download.reason === 'too_large' ? { smoke: unreadArtifact(note), notes: [] } : { smoke: null, notes: [note] };
  }
  let parsed;
  try {
    parsed = await deps.parseSmokeArtifact(download.bytes);
  } catch (err) {
    // The artifact was too much for the parser (locally: it exhausted the thread's memory): a
    // limit like the others. Anything else is the parser's own trouble: retried, never a verdict.
    if (!(err instanceof ArtifactOverLimitError)) throw err;
    deps.log.warn('smoke artifact over the parser limits', { dispatchId: d.dispatchId, error: err.message });
    return { smoke: unreadArtifact(`The artifact "${name}" could not be parsed within the limits (${err.message}).`), notes: [] };
  }
  return { smoke: parsed.smoke, notes: parsed.problems.map((p) => `In the artifact "${name}": ${p}.`) };
}

function newest(list: Artifact[]): Artifact | undefined {
  return [...list].sort((a, b) => Date.parse(b.created_at ?? '') - Date.parse(a.created_at ?? '') || b.id - a.id)[0];
}

const mib = (n: number) => `${Math.round((n / (1024 * 1024)) * 10) / 10} MiB`;
