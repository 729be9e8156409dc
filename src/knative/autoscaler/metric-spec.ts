// MakeMetric and StableWindow of knative/serving pkg/reconciler/autoscaling/resources/metric.go:
// the windows the metric collector averages over, and the aggregation algorithm the Metric's
// annotations pick (Metric.AggregationAlgorithm of pkg/apis/autoscaling/v1alpha1/metric_lifecycle.go).
import type { AutoscalerConfig } from '../config/autoscaler-config.js';
import { AUTOSCALING_LIMITS } from '../config/autoscaling-limits.js';
import { NS_PER_SECOND, msToNs, nsToMs } from '../config/duration.js';
import { AGGREGATION_ALGORITHMS, ANNOTATIONS, lookupAnnotation } from './annotation-keys.js';
import { paAnnotations, type PodAutoscalerView } from './pa-annotations.js';

export interface MetricSpec {
  stableWindowMs: number;
  panicWindowMs: number;
  /** The private service to scrape; '' when there is none (TBC = -1: the activator reports everything). */
  scrapeTarget: string;
  /** 'linear', 'weighted-exponential', '' (linear) or a value another class defines. */
  aggregationAlgorithm: string;
}

/** StableWindow: the window annotation, else config-autoscaler's stable-window. */
export function stableWindowMs(pa: PodAutoscalerView, config: Pick<AutoscalerConfig, 'stableWindowMs'>): number {
  return paAnnotations.windowMs(pa) ?? config.stableWindowMs;
}

/** time.Duration(x).Round(time.Second) on nanoseconds: halves away from zero. */
function roundToSecondNs(ns: bigint): bigint {
  const magnitude = ns < 0n ? -ns : ns;
  const rest = magnitude % NS_PER_SECOND;
  const rounded = rest + rest < NS_PER_SECOND ? magnitude - rest : magnitude + NS_PER_SECOND - rest;
  return ns < 0n ? -rounded : rounded;
}

/** panicWindow = round(stable × pct / 100, 1s), at least one bucket (1s). */
export function panicWindowMs(stableMs: number, percentage: number): number {
  const rawNs = Math.trunc(Number(msToNs(stableMs)) * percentage / 100);
  const roundedMs = nsToMs(roundToSecondNs(BigInt(rawNs)));
  return Math.max(roundedMs, AUTOSCALING_LIMITS.bucketSizeMs);
}

/** Metric.AggregationAlgorithm: the annotation, weightedExponential normalized; '' when absent. */
export function aggregationAlgorithm(annotations: PodAutoscalerView['annotations']): string {
  const value = lookupAnnotation(annotations, ANNOTATIONS.metricAggregationAlgorithm)?.value ?? '';
  return value === AGGREGATION_ALGORITHMS.weightedExponentialAlt ? AGGREGATION_ALGORITHMS.weightedExponential : value;
}

export interface MakeMetricOptions {
  scrapeTarget: string;
}

/** MakeMetric: the Metric spec for a PodAutoscaler (the Metric copies the PA's annotations). */
export function makeMetricSpec(pa: PodAutoscalerView, config: Pick<AutoscalerConfig, 'stableWindowMs' | 'panicWindowPercentage'>, options: MakeMetricOptions): MetricSpec {
  const stable = stableWindowMs(pa, config);
  const percentage = paAnnotations.panicWindowPercentage(pa) ?? config.panicWindowPercentage;
  return {
    stableWindowMs: stable,
    panicWindowMs: panicWindowMs(stable, percentage),
    scrapeTarget: options.scrapeTarget,
    aggregationAlgorithm: aggregationAlgorithm(pa.annotations),
  };
}
