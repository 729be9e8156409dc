// Scale bounds and the effective per-PA settings (knative/serving
// pkg/apis/autoscaling/v1alpha1/pa_lifecycle.go ScaleBounds, inStatusFor;
// pkg/reconciler/autoscaling/kpa/resources/decider.go GetInitialScale;
// pkg/reconciler/autoscaling/resources/metric.go StableWindow; kpa.go resolveTBC).

import type { ConditionStatus, PaState, ScalerConfig, SksState } from './pa-types.js';

export interface ScaleBounds {
  min: number;
  /** 0 means unbounded. */
  max: number;
}

/** ScaleBounds: min is 0 for an Unreachable revision; annotations override the config. */
export function scaleBounds(pa: PaState, config: ScalerConfig): ScaleBounds {
  const min = pa.reachability === 'Unreachable' ? 0 : (pa.annotations.minScale ?? config.minScale);
  return { min, max: pa.annotations.maxScale ?? config.maxScale };
}

/** GetInitialScale: the annotation, unless absent or 0 while zero initial scale is not allowed. */
export function initialScale(pa: PaState, config: ScalerConfig): number {
  const annotated = pa.annotations.initialScale;
  if (annotated === undefined || (annotated === 0 && !config.allowZeroInitialScale)) return config.initialScale;
  return annotated;
}

export function stableWindowMs(pa: PaState, config: ScalerConfig): number {
  return pa.annotations.windowMs ?? config.stableWindowMs;
}

export function targetBurstCapacity(pa: PaState, config: ScalerConfig): number {
  return pa.annotations.targetBurstCapacity ?? config.targetBurstCapacity;
}

/** inStatusFor: how long the Active condition has had `status`, or −1 if it has another (or none). */
export function activeInStatusForMs(pa: PaState, status: ConditionStatus, nowMs: number): number {
  const c = pa.active;
  if (c === undefined || c.status !== status) return -1;
  return nowMs - c.lastTransitionTimeMs;
}

/** IsActivating: Active is Unknown, or absent (a nil condition reads as Unknown). */
export function isActivating(pa: PaState): boolean {
  return pa.active === undefined || pa.active.status === 'Unknown';
}

/** ServerlessServiceStatus.ProxyFor: time since ActivatorEndpointsPopulated turned True, else 0. */
export function proxyForMs(sks: SksState, nowMs: number): number {
  const c = sks.activatorEndpointsPopulated;
  if (c === undefined || c.status !== 'True') return 0;
  return nowMs - c.lastTransitionTimeMs;
}
