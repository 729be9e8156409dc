// The KPA scaler's decision as a pure function (knative/serving
// pkg/reconciler/autoscaling/kpa/scaler.go scale, handleScaleToZero, applyBounds,
// lastPodRetention). Given the decider's desired scale it says what ReconcileKind gets back as
// `want`, whether the deployment is patched and to what, and which side effects upstream would
// start: a delayed re-enqueue of the PA, the synchronous activator probe, or an async probe.
//
// The activator probe is synchronous upstream (an HTTP GET inside the reconcile). A pure function
// cannot perform it: when the decision needs its result and `activatorProbeResult` is undefined,
// it returns `probeActivator: true`; the caller probes and calls again with the result and the same
// `nowMs` (upstream reads the clock before probing). An empty pa.serviceName answers false without
// a probe, as upstream's activatorProbe does.

import type { PaState, ScalerConfig, SksState } from './pa-types.js';
import {
  activeInStatusForMs, initialScale, isActivating, proxyForMs, scaleBounds, stableWindowMs, targetBurstCapacity,
} from './scale-bounds.js';

/** scaler.go scaleUnknown. */
export const SCALE_UNKNOWN = -1;
/** activationTimeoutBuffer: added to the progress deadline before an activation is given up. */
export const ACTIVATION_TIMEOUT_BUFFER_MS = 30_000;
/** The re-enqueue when the PA can deactivate but the SKS is already in Proxy mode. */
export const PROXY_REQUEUE_MS = 3_000;
/** The async activator probe: period, timeout, and the re-enqueue after it completes. */
export const ASYNC_PROBE_PERIOD_MS = 1_000;
export const ASYNC_PROBE_TIMEOUT_MS = 45_000;
export const ASYNC_PROBE_REQUEUE_MS = 1_000;

export interface ScaleDecisionInput {
  pa: PaState;
  sks: SksState;
  config: ScalerConfig;
  /** decider.Status.DesiredScale (−1 while the autoscaler has no metrics). */
  desiredScale: number;
  /** The scale target's spec.replicas; undefined (nil) reads as 1. */
  currentReplicas: number | undefined;
  /** The synchronous activator probe's answer, once the caller has it. */
  activatorProbeResult?: boolean;
  nowMs: number;
  /** Behaviour of releases before an upstream fix (src/knative/versions.ts); absent = current upstream. */
  fixes?: ScalerFixes;
}

/** The upstream fixes scaler.go's behaviour depends on, each read from the release profile by the caller. */
export interface ScalerFixes {
  /**
   * pr-8883 (knative/serving 7a4632e305, "Respect the initial scale reached status for initial
   * scale", fixes #8878): initial scale raises min only until ScaleTargetInitialized. Without it
   * (#8403 until the fix) initial scale > 1 acts as min forever, so the revision never scales below it.
   */
  initialScaleOnlyUntilInitialized: boolean;
  /**
   * Feature switch pr-4614 (knative/serving 85931743d2, "Fail activation if we exceed a timeout",
   * v0.8): a PA activating for longer than the progress deadline + buffer is scaled to zero. Before
   * it (0.7 scaler.go) an activating PA never scaled to zero: want stayed −1.
   */
  activationTimeout?: boolean;
}

export interface ScaleDecision {
  /** What scale() returns: ReconcileKind's `want`. */
  desired: number;
  /** handleScaleToZero's shouldApplyScale: the scale target is compared with `desired`. */
  apply: boolean;
  /** Set when the scale subresource is patched to this value. */
  patchReplicas?: number;
  /** enqueueCB(pa, this) was called. */
  requeueAfterMs?: number;
  /** The synchronous activator probe is needed: probe and decide again with its result. */
  probeActivator?: boolean;
  /** probeManager.Offer(...): start the async activator probe (period 1s, timeout 45s, re-enqueue 1s after). */
  offerAsyncProbe?: boolean;
}

interface ZeroDecision {
  desired: number;
  apply: boolean;
  requeueAfterMs?: number;
  probeActivator?: boolean;
  offerAsyncProbe?: boolean;
}

/** applyBounds, for 0 ≤ min ≤ max (max 0 = unbounded). */
export function applyBounds(min: number, max: number, x: number): number {
  if (x < min) return min;
  if (max !== 0 && x > max) return max;
  return x;
}

function activationTimeoutMs(input: ScaleDecisionInput): number {
  return (input.pa.annotations.progressDeadlineMs ?? input.config.progressDeadlineMs) + ACTIVATION_TIMEOUT_BUFFER_MS;
}

/** lastPodRetention: 0 for an Unreachable revision, else the annotation or the config. */
function lastPodRetentionMs(input: ScaleDecisionInput): number {
  if (input.pa.reachability === 'Unreachable') return 0;
  return input.pa.annotations.scaleToZeroPodRetentionMs ?? input.config.scaleToZeroPodRetentionPeriodMs;
}

function whileActivating(input: ScaleDecisionInput, desired: number): ZeroDecision {
  if (input.fixes?.activationTimeout === false) return { desired: SCALE_UNKNOWN, apply: false };
  const timeout = activationTimeoutMs(input);
  if (activeInStatusForMs(input.pa, 'Unknown', input.nowMs) > timeout) return { desired, apply: true };
  return { desired: SCALE_UNKNOWN, apply: false, requeueAfterMs: timeout };
}

function whileActive(input: ScaleDecisionInput, desired: number): ZeroDecision {
  const sw = stableWindowMs(input.pa, input.config);
  const activeFor = activeInStatusForMs(input.pa, 'True', input.nowMs);
  if (activeFor >= sw) {
    return input.sks.mode === 'Proxy' ? { desired, apply: false, requeueAfterMs: PROXY_REQUEUE_MS } : { desired, apply: false };
  }
  return { desired: 1, apply: true, requeueAfterMs: sw - activeFor };
}

function probeAnswer(input: ScaleDecisionInput): boolean | undefined {
  if (targetBurstCapacity(input.pa, input.config) === -1) return true;
  if (input.pa.serviceName === '') return false;
  return input.activatorProbeResult;
}

function whileInactive(input: ScaleDecisionInput, desired: number): ZeroDecision {
  const backed = probeAnswer(input);
  if (backed === undefined) return { desired, apply: false, probeActivator: true };
  if (!backed) return { desired, apply: false, offerAsyncProbe: true };
  const grace = input.config.scaleToZeroGracePeriodMs;
  const lastPod = lastPodRetentionMs(input);
  const inactiveFor = activeInStatusForMs(input.pa, 'False', input.nowMs);
  if (inactiveFor >= Math.max(grace, lastPod)) return { desired, apply: true };
  if (lastPod > 0 && inactiveFor < lastPod) return { desired, apply: false, requeueAfterMs: lastPod - inactiveFor };
  const remaining = grace - proxyForMs(input.sks, input.nowMs);
  if (remaining <= 0) return { desired, apply: true };
  return { desired, apply: false, requeueAfterMs: remaining };
}

/** handleScaleToZero. */
export function handleScaleToZero(input: ScaleDecisionInput, desired: number): ZeroDecision {
  if (desired !== 0) return { desired, apply: true };
  if (!input.config.enableScaleToZero) return { desired: 1, apply: true };
  if (isActivating(input.pa)) return whileActivating(input, desired);
  if (input.pa.active!.status === 'True') return whileActive(input, desired);
  return whileInactive(input, desired);
}

/** The desired scale clamped to the bounds, with initial scale acting as min until the target is initialized. */
export function boundedDesiredScale(input: ScaleDecisionInput): number {
  const { pa, config } = input;
  const bounds = scaleBounds(pa, config);
  const initial = initialScale(pa, config);
  const untilInitialized = input.fixes?.initialScaleOnlyUntilInitialized ?? true;
  let min = bounds.min;
  // scaler.go scale: before pr-8883 the IsScaleTargetInitialized check was missing.
  const initializing = untilInitialized ? !pa.scaleTargetInitialized : true;
  if (initial > 1 && initializing && pa.reachability !== 'Unreachable') min = Math.max(initial, min);
  return applyBounds(min, bounds.max, input.desiredScale);
}

/** scaler.scale. */
export function scaleDecision(input: ScaleDecisionInput): ScaleDecision {
  if (input.desiredScale < 0 && !isActivating(input.pa)) return { desired: input.desiredScale, apply: false };
  const zero = handleScaleToZero(input, boundedDesiredScale(input));
  if (!zero.apply) return zero;
  const current = input.currentReplicas ?? 1;
  return zero.desired === current ? zero : { ...zero, patchReplicas: zero.desired };
}
