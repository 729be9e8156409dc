// The per-revision autoscaling annotations and their legacy camelCase aliases
// (knative/serving pkg/apis/autoscaling/register.go, the kmap.KeyPriority lists; the progress
// deadline from pkg/apis/serving/register.go), and the lookup that honours the priority order
// (knative.dev/pkg kmap/lookup.go KeyPriority.Get).

const GROUP = 'autoscaling.knative.dev';

/** A key and its aliases, the preferred key first. */
export type KeyPriority = readonly [string, ...string[]];

const withAlias = (name: string, alias?: string): KeyPriority =>
  (alias === undefined ? [`${GROUP}/${name}`] : [`${GROUP}/${name}`, `${GROUP}/${alias}`]);

export const ANNOTATIONS = Object.freeze({
  class: withAlias('class'),
  metric: withAlias('metric'),
  target: withAlias('target'),
  targetUtilizationPercentage: withAlias('target-utilization-percentage', 'targetUtilizationPercentage'),
  targetBurstCapacity: withAlias('target-burst-capacity', 'targetBurstCapacity'),
  window: withAlias('window'),
  panicWindowPercentage: withAlias('panic-window-percentage', 'panicWindowPercentage'),
  panicThresholdPercentage: withAlias('panic-threshold-percentage', 'panicThresholdPercentage'),
  minScale: withAlias('min-scale', 'minScale'),
  maxScale: withAlias('max-scale', 'maxScale'),
  initialScale: withAlias('initial-scale', 'initialScale'),
  activationScale: withAlias('activation-scale'),
  scaleDownDelay: withAlias('scale-down-delay', 'scaleDownDelay'),
  scaleToZeroPodRetentionPeriod: withAlias('scale-to-zero-pod-retention-period', 'scaleToZeroPodRetentionPeriod'),
  metricAggregationAlgorithm: withAlias('metric-aggregation-algorithm', 'metricAggregationAlgorithm'),
  progressDeadline: ['serving.knative.dev/progress-deadline'] as KeyPriority,
});

/** Values of the metric annotation (autoscaling.Concurrency, RPS, CPU, Memory). */
export const METRICS = Object.freeze({ concurrency: 'concurrency', rps: 'rps', cpu: 'cpu', memory: 'memory' });

/** Values of the metric-aggregation-algorithm annotation. */
export const AGGREGATION_ALGORITHMS = Object.freeze({
  linear: 'linear',
  weightedExponential: 'weighted-exponential',
  weightedExponentialAlt: 'weightedExponential',
});

export type Annotations = Readonly<Record<string, string>> | null | undefined;

export interface AnnotationHit {
  /** The key that was present (an alias when only the alias is set). */
  key: string;
  value: string;
}

/** KeyPriority.Get: the first key of the list present in the map, or undefined. */
export function lookupAnnotation(annotations: Annotations, keys: KeyPriority): AnnotationHit | undefined {
  if (annotations === null || annotations === undefined) return undefined;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    if (Object.hasOwn(annotations, key)) return { key, value: annotations[key] };
  }
  return undefined;
}
