// Reading a PodAutoscaler's autoscaling annotations as knative/serving
// pkg/apis/autoscaling/v1alpha1/pa_lifecycle.go does (Class, Metric, ScaleBounds, Target, ...;
// defaultMetric from pa_defaults.go) and GetInitialScale of
// pkg/reconciler/autoscaling/kpa/resources/decider.go. A reader returns undefined when the
// annotation is absent or does not parse (upstream's `(0, false)`); validation is separate
// (annotation-validation.ts), as upstream's webhook is.
import type { AutoscalerConfig } from '../config/autoscaler-config.js';
import { AUTOSCALING_LIMITS } from '../config/autoscaling-limits.js';
import { DurationSyntaxError, nsToMs, parseDurationNs } from '../config/duration.js';
import { goStrconv } from '../config/go-strconv.js';
import { ANNOTATIONS, METRICS, lookupAnnotation, type Annotations, type KeyPriority } from './annotation-keys.js';

/** PodAutoscalerSpec.Reachability: '' is ReachabilityUnknown. */
export type Reachability = 'Reachable' | 'Unreachable' | '';

/** The parts of a PodAutoscaler these readers look at. */
export interface PodAutoscalerView {
  annotations?: Annotations;
  /** spec.containerConcurrency; 0 means unlimited. */
  containerConcurrency?: number;
  reachability?: Reachability;
}

export interface ScaleBounds {
  /** 0: no lower bound. */
  min: number;
  /** 0: unbounded. */
  max: number;
}

function int32Of(pa: PodAutoscalerView, keys: KeyPriority): number | undefined {
  const hit = lookupAnnotation(pa.annotations, keys);
  if (hit === undefined) return undefined;
  const parsed = goStrconv.parseInt32(hit.value);
  return parsed.ok ? parsed.value : undefined;
}

function float64Of(pa: PodAutoscalerView, keys: KeyPriority): number | undefined {
  const hit = lookupAnnotation(pa.annotations, keys);
  if (hit === undefined) return undefined;
  const parsed = goStrconv.parseFloat(hit.value);
  return parsed.ok ? parsed.value : undefined;
}

function durationMsOf(pa: PodAutoscalerView, keys: KeyPriority): number | undefined {
  const hit = lookupAnnotation(pa.annotations, keys);
  if (hit === undefined) return undefined;
  try {
    return nsToMs(parseDurationNs(hit.value));
  } catch (error) {
    if (error instanceof DurationSyntaxError) return undefined;
    throw error;
  }
}

/** defaultMetric(class) of pa_defaults.go. */
function defaultMetric(paClass: string): string {
  if (paClass === AUTOSCALING_LIMITS.kpaClass) return METRICS.concurrency;
  if (paClass === AUTOSCALING_LIMITS.hpaClass) return METRICS.cpu;
  return '';
}

/** Class(): the class annotation (even if empty), else KPA. */
function paClass(pa: PodAutoscalerView): string {
  return lookupAnnotation(pa.annotations, ANNOTATIONS.class)?.value ?? AUTOSCALING_LIMITS.kpaClass;
}

/** Metric(): the metric annotation (even if empty), else the class's default metric. */
function paMetric(pa: PodAutoscalerView): string {
  return lookupAnnotation(pa.annotations, ANNOTATIONS.metric)?.value ?? defaultMetric(paClass(pa));
}

/** ScaleBounds(config): annotations over the config defaults; min is 0 when the PA is Unreachable. */
function scaleBounds(pa: PodAutoscalerView, config: Pick<AutoscalerConfig, 'minScale' | 'maxScale'>): ScaleBounds {
  const min = pa.reachability === 'Unreachable' ? 0 : (int32Of(pa, ANNOTATIONS.minScale) ?? config.minScale);
  const max = int32Of(pa, ANNOTATIONS.maxScale) ?? config.maxScale;
  return { min, max };
}

/** TargetUtilization(): the percentage annotation as a fraction. */
function targetUtilization(pa: PodAutoscalerView): number | undefined {
  const percent = float64Of(pa, ANNOTATIONS.targetUtilizationPercentage);
  return percent === undefined ? undefined : percent / 100;
}

/** GetInitialScale: the annotation, unless absent or a 0 the cluster forbids; else the config's. */
function getInitialScale(pa: PodAutoscalerView, config: Pick<AutoscalerConfig, 'initialScale' | 'allowZeroInitialScale'>): number {
  const annotated = int32Of(pa, ANNOTATIONS.initialScale);
  if (annotated === undefined || (annotated === 0 && !config.allowZeroInitialScale)) return config.initialScale;
  return annotated;
}

export const paAnnotations = Object.freeze({
  class: paClass,
  metric: paMetric,
  scaleBounds,
  activationScale: (pa: PodAutoscalerView) => int32Of(pa, ANNOTATIONS.activationScale),
  target: (pa: PodAutoscalerView) => float64Of(pa, ANNOTATIONS.target),
  targetUtilization,
  targetBurstCapacity: (pa: PodAutoscalerView) => float64Of(pa, ANNOTATIONS.targetBurstCapacity),
  scaleToZeroPodRetentionMs: (pa: PodAutoscalerView) => durationMsOf(pa, ANNOTATIONS.scaleToZeroPodRetentionPeriod),
  windowMs: (pa: PodAutoscalerView) => durationMsOf(pa, ANNOTATIONS.window),
  scaleDownDelayMs: (pa: PodAutoscalerView) => durationMsOf(pa, ANNOTATIONS.scaleDownDelay),
  panicWindowPercentage: (pa: PodAutoscalerView) => float64Of(pa, ANNOTATIONS.panicWindowPercentage),
  panicThresholdPercentage: (pa: PodAutoscalerView) => float64Of(pa, ANNOTATIONS.panicThresholdPercentage),
  progressDeadlineMs: (pa: PodAutoscalerView) => durationMsOf(pa, ANNOTATIONS.progressDeadline),
  initialScale: (pa: PodAutoscalerView) => int32Of(pa, ANNOTATIONS.initialScale),
  getInitialScale,
});
