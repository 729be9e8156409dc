// The pure pieces of Knative's autoscaler (knative/serving pkg/autoscaler, the autoscaling
// annotations of pkg/apis/autoscaling, and the KPA's resource builders), and the ConfigMaps they
// read. The simulated autoscaler component wires these to timers, informers and the network.
export {
  AUTOSCALER_CONFIG_NAME, ConfigError, DEFAULT_AUTOSCALER_CONFIG, parseAutoscalerConfig, validateAutoscalerConfig,
  type AutoscalerConfig,
} from '../config/autoscaler-config.js';
export {
  DEFAULT_DEPLOYMENT_CONFIG, DEPLOYMENT_CONFIG_NAME, parseDeploymentConfig, type AffinityType, type DeploymentConfig,
  type RuntimeClassSelector,
} from '../config/deployment-config.js';
export { AUTOSCALING_LIMITS } from '../config/autoscaling-limits.js';
export {
  DurationSyntaxError, formatDurationMs, formatDurationNs, parseDurationMs, parseDurationNs,
} from '../config/duration.js';
export {
  AGGREGATION_ALGORITHMS, ANNOTATIONS, METRICS, lookupAnnotation, type AnnotationHit, type Annotations, type KeyPriority,
} from './annotation-keys.js';
export { validateAnnotations } from './annotation-validation.js';
export { KnativeFieldError, type FieldErrorLeaf } from './knative-field-error.js';
export { paAnnotations, type PodAutoscalerView, type Reachability, type ScaleBounds } from './pa-annotations.js';
export { resolveMetricTarget, type MetricTarget, type TargetConfig } from './target.js';
export {
  aggregationAlgorithm, makeMetricSpec, panicWindowMs, stableWindowMs, type MakeMetricOptions, type MetricSpec,
} from './metric-spec.js';
export { makeDeciderSpec, type DeciderSpec } from './decider-spec.js';
export {
  DECIDER_TICK_INTERVAL_MS, Decider, INVALID_SCALE_RESULT, deciderMetric, newDecider,
  type NewDeciderOptions, type ScaleFailure, type ScaleObservation, type ScaleResult,
} from './decider.js';
export { MaxTimeWindow, MaxWindow, type MaxTimeWindowOptions } from './max-time-window.js';
export {
  TimedFloat64Buckets, WeightedFloat64Buckets, computeSmoothingCoeff, roundToNDigits, type BucketsOptions,
} from './buckets.js';
export { populationMeanSampleSize } from './sample-size.js';
export { SCRAPER_POD_NAME, extrapolateStats, isEmptyStat, type Stat } from './stat.js';
export {
  planPodScrape, resolvePodScrape,
  type ChooseIndex, type PodScrapeOutcome, type PodScrapePlan, type PodScrapePlanOptions, type PodScrapeResult, type ScrapeCandidate,
} from './scrape-plan.js';
export { MetricCollection, type MetricReading, type NoData, type StableAndPanic } from './metric-collection.js';
export {
  applyScaleResult, initialDeciderStatus, sameSign, shouldTickOnPoke, type DeciderStatus, type TickOutcome,
} from './multiscaler-state.js';
