// The KPA reconciler's status decisions (knative/serving pkg/reconciler/autoscaling/kpa/kpa.go
// ReconcileKind, computeNumActivators, computeStatus, computeActiveCondition, activeThreshold;
// pkg/apis/autoscaling/v1alpha1/pa_lifecycle.go for Ready).
//
// ReconcileKind runs: scale (scale-decision.ts) → SKS mode from `want` → numActivators from the
// ready pods → write the SKS → copy its ServiceName → SKSReady → computeStatus. The SKS write sits
// between the two pure halves, so they are separate functions here.

import { transitionCondition, type ConditionValue } from './condition-transition.js';
import type { ConditionState, ConditionStatus, PaState, ScalerConfig, SksMode } from './pa-types.js';
import { initialScale, scaleBounds } from './scale-bounds.js';
import { SCALE_UNKNOWN } from './scale-decision.js';

/** kpa.go minActivators. */
export const MIN_ACTIVATORS = 2;
/** SKSReady's message while the SKS has no private service (kpa.go noPrivateServiceName). */
export const NO_PRIVATE_SERVICE_NAME = 'No Private Service Name';

export const ACTIVE: Readonly<ConditionValue> = Object.freeze({ status: 'True' });
export const ACTIVATING_QUEUED: Readonly<ConditionValue> = Object.freeze({
  status: 'Unknown', reason: 'Queued', message: 'Requests to the target are being buffered as resources are provisioned.',
});
export const INACTIVE_NO_TRAFFIC: Readonly<ConditionValue> = Object.freeze({ status: 'False', reason: 'NoTraffic', message: 'The target is not receiving traffic.' });
export const INACTIVE_TIMED_OUT: Readonly<ConditionValue> = Object.freeze({ status: 'False', reason: 'TimedOut', message: 'The target could not be activated.' });

/** The decider spec fields computeNumActivators reads. */
export interface ActivatorSizing {
  totalValue: number;
  targetBurstCapacity: number;
  activatorCapacity: number;
}

/** computeNumActivators: 2 with TBC 0, else enough activators to cover ready·total + TBC, at least 2. */
export function computeNumActivators(readyPods: number, sizing: ActivatorSizing): number {
  if (sizing.targetBurstCapacity === 0) return MIN_ACTIVATORS;
  let capacityToCover = readyPods * sizing.totalValue;
  if (sizing.targetBurstCapacity > 0) capacityToCover += sizing.targetBurstCapacity;
  return Math.max(MIN_ACTIVATORS, Math.ceil(capacityToCover / sizing.activatorCapacity));
}

/** The upstream fixes kpa.go's SKS mode depends on, each read from the release profile by the caller. */
export interface SksModeFixes {
  /**
   * pr-12842 (knative/serving 95cfa70f64, "ServerlessService's initial operation mode is now
   * Proxy", fixes #12887): the mode starts from Proxy and only want > 0 with EBC ≥ 0 gives Serve.
   * Before it the mode started from Serve and only listed cases went to Proxy (and a new SKS was
   * created in Serve mode).
   */
  proxyByDefault: boolean;
  /**
   * pr-5328 (knative/serving f9cb578b9c, "Fixes the problems where restarting autoscaler messes
   * up SKS state", fixes #5327): in the default-Serve rule, want −1 (a decider without data, e.g.
   * after an autoscaler restart) on an Inactive PA also means Proxy.
   */
  unknownWantWhileInactiveIsProxy: boolean;
  /**
   * Feature switch pr-4669 (knative/serving c5de62a51a, "Implementation of the target burst
   * capacity annotation", v0.8): from then on a negative excess burst capacity (target-burst-capacity
   * -1, or more burst wanted than the pods cover) keeps the activator in the path of a revision with
   * pods. Before it (0.7, pkg/reconciler/autoscaling/reconciler.go ReconcileSKS) the mode followed
   * the PA's activity alone, so the activator stood in front only of a revision at zero.
   */
  burstCapacity: boolean;
}

const CURRENT_SKS_MODE_RULE: SksModeFixes = { proxyByDefault: true, unknownWantWhileInactiveIsProxy: true, burstCapacity: true };

/**
 * ReconcileKind's SKS mode. Current upstream: Serve only when scaling above 0 with non-negative
 * excess burst capacity. Before pr-12842: Serve unless want is 0, EBC is negative, or (since
 * pr-5328) want is −1 while the PA is Inactive.
 */
export function decideSksMode(options: { want: number; paInactive: boolean; excessBurstCapacity: number; fixes?: SksModeFixes }): SksMode {
  const { want, paInactive, excessBurstCapacity } = options;
  const fixes = options.fixes ?? CURRENT_SKS_MODE_RULE;
  if (!fixes.proxyByDefault) {
    // kpa.go before 95cfa70f64: mode := Serve; Proxy for want == 0 || ebc < 0 (|| want == -1 && inactive since f9cb578b9c).
    if (want === 0 || (fixes.burstCapacity && excessBurstCapacity < 0)) return 'Proxy';
    if (fixes.unknownWantWhileInactiveIsProxy && want === SCALE_UNKNOWN && paInactive) return 'Proxy';
    return 'Serve';
  }
  if (want === SCALE_UNKNOWN && paInactive) return 'Proxy';
  if (want > 0 && excessBurstCapacity >= 0) return 'Serve';
  return 'Proxy';
}

/** activeThreshold: max(min, initialScale) until the scale target is initialized, then max(min, 1). */
export function activeThreshold(pa: PaState, config: ScalerConfig): number {
  const { min } = scaleBounds(pa, config);
  if (!pa.scaleTargetInitialized) return Math.max(min, initialScale(pa, config));
  return Math.max(min, 1);
}

export interface ActiveConditionResult {
  /** The Active condition to set, or undefined when computeActiveCondition leaves it alone. */
  active: Readonly<ConditionValue> | undefined;
  scaleTargetInitialized: boolean;
}

/** computeActiveCondition (the table in kpa.go). */
export function computeActiveCondition(pa: PaState, config: ScalerConfig, counts: { want: number; ready: number }): ActiveConditionResult {
  const minReady = activeThreshold(pa, config);
  const scaleTargetInitialized = pa.scaleTargetInitialized || (counts.ready >= minReady && pa.serviceName !== '');
  const status = pa.active?.status ?? 'Unknown';
  const moving = counts.want > 0 || status !== 'False';
  let active: Readonly<ConditionValue> | undefined;
  if (counts.want === 0 || minReady === 0) {
    active = status === 'Unknown' && minReady > 0 ? INACTIVE_TIMED_OUT : INACTIVE_NO_TRAFFIC;
  } else if (counts.ready < minReady) {
    active = moving ? ACTIVATING_QUEUED : INACTIVE_NO_TRAFFIC;
  } else {
    active = moving ? ACTIVE : undefined;
  }
  return { active, scaleTargetInitialized };
}

export interface PaStatusUpdate {
  actualScale: number;
  desiredScale: number | undefined;
  active: ConditionState | undefined;
  scaleTargetInitialized: boolean;
}

/**
 * computeStatus: ActualScale = ready; DesiredScale = want, except that want −1 does not overwrite a
 * stored DesiredScale ≥ 0 (an autoscaler restart); then the Active condition, stamped via
 * transitionCondition.
 */
export function computeStatus(options: {
  pa: PaState;
  config: ScalerConfig;
  want: number;
  ready: number;
  currentDesiredScale: number | undefined;
  nowMs: number;
}): PaStatusUpdate {
  const { pa, want, currentDesiredScale } = options;
  const keep = want === SCALE_UNKNOWN && currentDesiredScale !== undefined && currentDesiredScale >= 0;
  const result = computeActiveCondition(pa, options.config, { want, ready: options.ready });
  const active = result.active ? transitionCondition(pa.active, result.active, options.nowMs) : pa.active;
  return {
    actualScale: options.ready,
    desiredScale: keep ? currentDesiredScale : want,
    active,
    scaleTargetInitialized: result.scaleTargetInitialized,
  };
}

/**
 * PA Ready under its living condition set {Active, ScaleTargetInitialized, SKSReady}: False if any
 * is False, Unknown if any is Unknown or unset, else True. (Upstream also copies the reason and
 * message of the most recent unhappy one.)
 */
export function paReadyStatus(options: {
  active: ConditionStatus | undefined;
  scaleTargetInitialized: ConditionStatus | undefined;
  sksReady: ConditionStatus | undefined;
}): ConditionStatus {
  const all = [options.active, options.scaleTargetInitialized, options.sksReady];
  if (all.includes('False')) return 'False';
  if (all.some((s) => s !== 'True')) return 'Unknown';
  return 'True';
}
