// One Metric's collection state in the autoscaler, as knative/serving
// pkg/autoscaler/metrics/collector.go keeps it (collection.record, updateMetric, and
// MetricCollector.StableAndPanicConcurrency / StableAndPanicRPS): stable and panic buckets for
// concurrency and RPS. Scraper ticks and activator stats both end in record(); the component that
// owns the scrape timer decides when (a failed or empty scrape records nothing).
import { TimedFloat64Buckets, WeightedFloat64Buckets } from './buckets.js';
import { AGGREGATION_ALGORITHMS } from './annotation-keys.js';
import type { MetricSpec } from './metric-spec.js';
import type { Stat } from './stat.js';
import { AUTOSCALING_LIMITS } from '../config/autoscaling-limits.js';

export interface StableAndPanic {
  stable: number;
  panic: number;
}

/** ErrNoData: no sample for more than a stable window while a scrape target exists. */
export interface NoData {
  error: 'no-data';
}

export type MetricReading = StableAndPanic | NoData;

function makeBuckets(algorithm: string, windowMs: number): TimedFloat64Buckets {
  const options = { windowMs, granularityMs: AUTOSCALING_LIMITS.bucketSizeMs };
  // The algorithm is fixed at creation: it comes from a revision annotation, which is immutable.
  return algorithm === AGGREGATION_ALGORITHMS.weightedExponential ? new WeightedFloat64Buckets(options) : new TimedFloat64Buckets(options);
}

export class MetricCollection {
  #spec: Readonly<MetricSpec>;
  readonly concurrencyBuckets: TimedFloat64Buckets;
  readonly concurrencyPanicBuckets: TimedFloat64Buckets;
  readonly rpsBuckets: TimedFloat64Buckets;
  readonly rpsPanicBuckets: TimedFloat64Buckets;

  constructor(spec: Readonly<MetricSpec>) {
    this.#spec = spec;
    this.concurrencyBuckets = makeBuckets(spec.aggregationAlgorithm, spec.stableWindowMs);
    this.concurrencyPanicBuckets = makeBuckets(spec.aggregationAlgorithm, spec.panicWindowMs);
    this.rpsBuckets = makeBuckets(spec.aggregationAlgorithm, spec.stableWindowMs);
    this.rpsPanicBuckets = makeBuckets(spec.aggregationAlgorithm, spec.panicWindowMs);
  }

  get spec(): Readonly<MetricSpec> {
    return this.#spec;
  }

  /** record: proxied requests are subtracted (the activator reports them), then both windows get the value. */
  record(tMs: number, stat: Stat): void {
    const concurrency = stat.averageConcurrentRequests - stat.averageProxiedConcurrentRequests;
    this.concurrencyBuckets.record(tMs, concurrency);
    this.concurrencyPanicBuckets.record(tMs, concurrency);
    const rps = stat.requestCount - stat.proxiedRequestCount;
    this.rpsBuckets.record(tMs, rps);
    this.rpsPanicBuckets.record(tMs, rps);
  }

  /** updateMetric: a new spec; windows are resized (the aggregation algorithm stays). */
  updateMetric(spec: Readonly<MetricSpec>, nowMs: number): void {
    this.#spec = spec;
    this.concurrencyBuckets.resizeWindow(spec.stableWindowMs, nowMs);
    this.concurrencyPanicBuckets.resizeWindow(spec.panicWindowMs, nowMs);
    this.rpsBuckets.resizeWindow(spec.stableWindowMs, nowMs);
    this.rpsPanicBuckets.resizeWindow(spec.panicWindowMs, nowMs);
  }

  #read(stable: TimedFloat64Buckets, panic: TimedFloat64Buckets, nowMs: number): MetricReading {
    if (stable.isEmpty(nowMs) && this.#spec.scrapeTarget !== '') return { error: 'no-data' };
    return { stable: stable.windowAverage(nowMs), panic: panic.windowAverage(nowMs) };
  }

  /** StableAndPanicConcurrency: revision-wide averages, or no-data. */
  stableAndPanicConcurrency(nowMs: number): MetricReading {
    return this.#read(this.concurrencyBuckets, this.concurrencyPanicBuckets, nowMs);
  }

  /** StableAndPanicRPS: revision-wide averages, or no-data. */
  stableAndPanicRPS(nowMs: number): MetricReading {
    return this.#read(this.rpsBuckets, this.rpsPanicBuckets, nowMs);
  }
}
