/**
 * The few config settings a run is judged by once it completes, stored on the dispatch when it is
 * dispatched (start-run.ts) and read back here (or loaded again for dispatches stored without them).
 */
import type { RepoConfig } from '../core/config/schema';
import { configForTarget, targetsOf } from '../core/config/targets';
import { DEFAULT_MAX_GROWTH } from '../core/compare/artifacts';
import { SLOWDOWN_DEFAULTS } from '../core/compare/slowdown';
import type { GitHub } from '../github/client';
import type { DispatchItem } from '../store/dispatches';
import type { RepoRef } from './deps';
import { loadRepoConfig } from './repo-config';

export interface SmokeSettings {
  artifact: string;
  minPassRate: number;
  annotationsMax: number;
  historyDays: number;
  /** `artifacts.max_growth`; absent on dispatches stored before it existed (the default applies). */
  maxGrowth?: number;
  /** The slowdown rule (`smoke_tests.slowdown_*`, `max_slowdown`); absent on dispatches stored before it: the defaults. */
  slowdown?: SlowdownSettings;
}

export interface SlowdownSettings {
  factor: number;
  window: number;
  minSamples: number;
  max: number | null;
}

export const DEFAULT_SLOWDOWN: SlowdownSettings = { ...SLOWDOWN_DEFAULTS, max: null };

export function smokeSettingsOf(config: RepoConfig): SmokeSettings {
  return {
    artifact: config.smoke_tests.artifact,
    minPassRate: config.smoke_tests.min_pass_rate,
    annotationsMax: config.annotations.max,
    historyDays: config.history_days,
    maxGrowth: config.artifacts?.max_growth ?? DEFAULT_MAX_GROWTH,
    // The config as one target sees it (configForTarget): unset slowdown keys take the defaults.
    slowdown: {
      factor: config.smoke_tests.slowdown_factor ?? SLOWDOWN_DEFAULTS.factor,
      window: config.smoke_tests.slowdown_window ?? SLOWDOWN_DEFAULTS.window,
      minSamples: config.smoke_tests.slowdown_min_samples ?? SLOWDOWN_DEFAULTS.minSamples,
      max: typeof config.smoke_tests.max_slowdown === 'number' ? config.smoke_tests.max_slowdown : null,
    },
  };
}

/** The config schema's defaults, for a repository whose config vanished or broke before completion. */
const DEFAULT_SETTINGS: SmokeSettings = { artifact: 'smoke-test-results', minPassRate: 1, annotationsMax: 50, historyDays: 90 };

/**
 * Settings are needed at completion. Stored on the dispatch item at dispatch time they cost no
 * GitHub call (the config was loaded then anyway), and the run is judged by the settings it was
 * dispatched under; loading `.github/arm64-ci.yml` again would cost one contents request per
 * completed run. So the stored copy wins; dispatches recorded without one fall back to a load.
 */
export async function settingsFor(gh: GitHub, d: DispatchItem, repo: RepoRef): Promise<SmokeSettings> {
  const stored = d.smokeSettings;
  if (stored) return stored;
  const cfg = await loadRepoConfig(gh, repo);
  if (cfg.kind !== 'ok') return DEFAULT_SETTINGS;
  const target = d.target === undefined ? undefined : targetsOf(cfg.config).find((t) => t.name === d.target);
  return smokeSettingsOf(target ? configForTarget(cfg.config, target) : cfg.config);
}
