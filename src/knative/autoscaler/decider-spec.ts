// DeciderSpec (knative/serving pkg/autoscaler/scaling/multiscaler.go) and MakeDecider
// (pkg/reconciler/autoscaling/kpa/resources/decider.go): the per-revision parameters of the scaling
// algorithm, from config-autoscaler, the PA's annotations, containerConcurrency and reachability.
import type { AutoscalerConfig } from '../config/autoscaler-config.js';
import { paAnnotations, type PodAutoscalerView } from './pa-annotations.js';
import { stableWindowMs } from './metric-spec.js';
import { resolveMetricTarget } from './target.js';

export interface DeciderSpec {
  maxScaleUpRate: number;
  maxScaleDownRate: number;
  /** 'concurrency', 'rps', or the annotation as written ('' scales on concurrency). */
  scalingMetric: string;
  /** Per-pod metric value to maintain (TargetValue <= TotalValue). */
  targetValue: number;
  /** Per-pod metric value a pod can carry. */
  totalValue: number;
  /** Burst capacity to keep without queueing at the pods; -1 unlimited, 0 none. */
  targetBurstCapacity: number;
  activatorCapacity: number;
  /** Panic when desired panic pods / ready pods reaches this factor. */
  panicThreshold: number;
  stableWindowMs: number;
  scaleDownDelayMs: number;
  initialScale: number;
  /** The revision is routed to (the PA is not Unreachable). */
  reachable: boolean;
  /** Minimum non-zero scale; 0 when the annotation is absent. */
  activationScale: number;
}

export function makeDeciderSpec(pa: PodAutoscalerView, config: Readonly<AutoscalerConfig>): DeciderSpec {
  const panicThresholdPercentage = paAnnotations.panicThresholdPercentage(pa) ?? config.panicThresholdPercentage;
  const { targetValue, totalValue } = resolveMetricTarget(pa, config);
  return {
    maxScaleUpRate: config.maxScaleUpRate,
    maxScaleDownRate: config.maxScaleDownRate,
    scalingMetric: paAnnotations.metric(pa),
    targetValue,
    totalValue,
    targetBurstCapacity: paAnnotations.targetBurstCapacity(pa) ?? config.targetBurstCapacity,
    activatorCapacity: config.activatorCapacity,
    panicThreshold: panicThresholdPercentage / 100,
    stableWindowMs: stableWindowMs(pa, config),
    scaleDownDelayMs: paAnnotations.scaleDownDelayMs(pa) ?? config.scaleDownDelayMs,
    initialScale: paAnnotations.getInitialScale(pa, config),
    reachable: pa.reachability !== 'Unreachable',
    activationScale: paAnnotations.activationScale(pa) ?? 0,
  };
}
