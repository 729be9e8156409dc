// Shared fixtures for the KPA decision tests: the configuration of knative/serving
// pkg/reconciler/autoscaling/kpa/kpa_test.go defaultConfig (stable window 5m, grace 60s, TBC 200,
// progress deadline 121s) and a PA as its tests build it (conditions initialized: Active Unknown).
import type { PaState, ScalerConfig, SksState } from '../../../src/knative/kpa/pa-types.js';

export const NOW_MS = 1_000_000_000;
export const SECOND_MS = 1000;
export const GRACE_MS = 60_000;
export const PA_STABLE_WINDOW_MS = 45_000;
export const PROGRESS_DEADLINE_MS = 121_000;
export const STABLE_WINDOW_MS = 300_000;

export function defaultConfig(overrides: Partial<ScalerConfig> = {}): ScalerConfig {
  return {
    enableScaleToZero: true,
    scaleToZeroGracePeriodMs: GRACE_MS,
    scaleToZeroPodRetentionPeriodMs: 0,
    stableWindowMs: STABLE_WINDOW_MS,
    initialScale: 1,
    allowZeroInitialScale: false,
    minScale: 0,
    maxScale: 0,
    progressDeadlineMs: PROGRESS_DEADLINE_MS,
    targetBurstCapacity: 200,
    ...overrides,
  };
}

/** kpa_test.go initialScaleZeroASConfig. */
export function initialScaleZeroConfig(): ScalerConfig {
  return defaultConfig({ allowZeroInitialScale: true, initialScale: 0, minScale: 0, enableScaleToZero: true });
}

/** A freshly initialized PA: Active Unknown since now. */
export function pa(overrides: Partial<PaState> = {}): PaState {
  return {
    active: { status: 'Unknown', lastTransitionTimeMs: NOW_MS },
    scaleTargetInitialized: false,
    reachability: '',
    serviceName: 'test-revision',
    annotations: {},
    ...overrides,
  };
}

export function serveSks(overrides: Partial<SksState> = {}): SksState {
  return { mode: 'Serve', ...overrides };
}
