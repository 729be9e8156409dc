// ResolveMetricTarget of knative/serving pkg/reconciler/autoscaling/resources/target.go: the
// per-pod metric value the autoscaler aims for (targetValue) and the most a pod may carry
// (totalValue), from the metric, containerConcurrency, config-autoscaler and the target and
// target-utilization-percentage annotations.
import type { AutoscalerConfig } from '../config/autoscaler-config.js';
import { AUTOSCALING_LIMITS } from '../config/autoscaling-limits.js';
import { METRICS } from './annotation-keys.js';
import { paAnnotations, type PodAutoscalerView } from './pa-annotations.js';

export type TargetConfig = Pick<AutoscalerConfig,
  'rpsTargetDefault' | 'targetUtilization' | 'containerConcurrencyTargetDefault' | 'containerConcurrencyTargetFraction'>;

export interface MetricTarget {
  targetValue: number;
  totalValue: number;
}

export function resolveMetricTarget(pa: PodAutoscalerView, config: TargetConfig): MetricTarget {
  const metric = paAnnotations.metric(pa);
  const cc = pa.containerConcurrency ?? 0;
  let total: number;
  let utilization: number;
  if (metric === METRICS.rps) {
    total = config.rpsTargetDefault;
    utilization = config.targetUtilization;
  } else {
    // Concurrency (the default): containerConcurrency, or the configured default when unlimited.
    total = cc === 0 ? config.containerConcurrencyTargetDefault : cc;
    utilization = config.containerConcurrencyTargetFraction;
  }
  const annotated = paAnnotations.target(pa);
  if (annotated !== undefined) {
    // Never aim above what containerConcurrency lets a pod take.
    total = metric === METRICS.concurrency && cc !== 0 ? Math.min(annotated, cc) : annotated;
  }
  utilization = paAnnotations.targetUtilization(pa) ?? utilization;
  return { targetValue: Math.max(AUTOSCALING_LIMITS.targetMin, total * utilization), totalValue: total };
}
