// Metric aggregation windows of knative/serving pkg/autoscaler/aggregation/bucketing.go:
// TimedFloat64Buckets (the linear average, the default) and WeightedFloat64Buckets (weighted
// exponential decay). A ring of `ceil(window / granularity)` buckets indexed by
// `unixSeconds / granularitySeconds`; every record in one bucket is summed. Times are virtual
// milliseconds, truncated to the granularity (Go's Time.Truncate, which agrees with the Unix epoch
// for the granularities used: 1s upstream, 2s/3s/5s in tests). "Never written" is null where
// upstream uses Go's zero time, so virtual time 0 is an ordinary instant.
import { goRound } from '../config/go-format.js';

/** Decimal digits kept by the linear average (bucketing.go precision). */
const PRECISION = 6;
/** Smallest decay multiplier of the weighted average. */
const MIN_EXPONENT = 0.2;
/** The weights of the weighted average should sum to at least this. */
const WEIGHT_PRECISION = 0.9999;

/** roundToNDigits: math.Round(f × 10^n) / 10^n. */
export function roundToNDigits(digits: number, value: number): number {
  const p = 10 ** digits;
  return goRound(value * p) / p + 0;
}

/** computeSmoothingCoeff: the decay multiplier for `buckets` buckets, at least 0.2. */
export function computeSmoothingCoeff(buckets: number): number {
  return Math.max(1 - (1 - WEIGHT_PRECISION) ** (1 / buckets), MIN_EXPONENT);
}

export interface BucketsOptions {
  windowMs: number;
  /** Bucket width; config.BucketSize (1s) upstream. */
  granularityMs?: number;
}

export class TimedFloat64Buckets {
  protected buckets: number[];
  protected readonly granularityMs: number;
  #windowMs: number;
  /** Start of the current run of data: reset on the first write and after a window of silence. */
  protected firstWriteMs: number | null = null;
  /** Bucket time of the latest write. */
  protected lastWriteMs: number | null = null;
  /** Sum of every bucket, including ones outside [firstWrite, lastWrite]. */
  protected windowTotal = 0;

  constructor(options: BucketsOptions) {
    this.granularityMs = options.granularityMs ?? 1000;
    this.#windowMs = options.windowMs;
    this.buckets = new Array<number>(Math.ceil(options.windowMs / this.granularityMs)).fill(0);
  }

  get windowMs(): number {
    return this.#windowMs;
  }

  get bucketCount(): number {
    return this.buckets.length;
  }

  protected truncate(tMs: number): number {
    return Math.floor(tMs / this.granularityMs) * this.granularityMs;
  }

  protected timeToIndex(tMs: number): number {
    return Math.trunc(Math.floor(tMs / 1000) / Math.trunc(this.granularityMs / 1000));
  }

  /** now − lastWrite, +∞ when nothing was ever written. */
  protected sinceLastWriteMs(nowMs: number): number {
    return this.lastWriteMs === null ? Infinity : nowMs - this.lastWriteMs;
  }

  /** IsEmpty: nothing written for more than a window. */
  isEmpty(nowMs: number): boolean {
    return this.sinceLastWriteMs(this.truncate(nowMs)) > this.#windowMs;
  }

  /** Record: add `value` to the bucket of `tMs`, zeroing the buckets skipped since the last write. */
  record(tMs: number, value: number): void {
    const bucketTime = this.truncate(tMs);
    const writeIdx = this.timeToIndex(tMs);
    if (this.lastWriteMs !== bucketTime) {
      // Older than a window before the last write: ignored.
      if (this.lastWriteMs !== null && !(bucketTime + this.#windowMs > this.lastWriteMs)) return;
      if (this.firstWriteMs === null || this.firstWriteMs > bucketTime) this.firstWriteMs = bucketTime;
      if (this.lastWriteMs === null || bucketTime > this.lastWriteMs) this.#advanceTo(bucketTime, writeIdx);
    }
    this.buckets[writeIdx % this.buckets.length] += value;
    this.windowTotal += value;
  }

  #advanceTo(bucketTime: number, writeIdx: number): void {
    if (this.sinceLastWriteMs(bucketTime) >= this.#windowMs) {
      // A whole window without writes: start over.
      this.firstWriteMs = bucketTime;
      this.buckets.fill(0);
      this.windowTotal = 0;
    } else {
      for (let i = this.timeToIndex(this.lastWriteMs ?? 0) + 1; i <= writeIdx; i += 1) {
        const idx = i % this.buckets.length;
        this.windowTotal -= this.buckets[idx];
        this.buckets[idx] = 0;
      }
    }
    this.lastWriteMs = bucketTime;
  }

  /** Buckets between firstWrite and lastWrite inclusive (all of them when firstWrite is unknown). */
  protected writtenSpan(): number {
    if (this.firstWriteMs === null || this.lastWriteMs === null) return Infinity;
    return Math.trunc((this.lastWriteMs - this.firstWriteMs) / this.granularityMs) + 1;
  }

  /**
   * WindowAverage: the mean over the buckets that hold data of the current run. A young series is
   * averaged over the buckets since its first write; gaps inside the window count as zeros; buckets
   * after the last write are dropped; nothing for a whole window gives 0. Rounded to 6 decimals.
   */
  windowAverage(nowMs: number): number {
    const now = this.truncate(nowMs);
    const since = this.sinceLastWriteMs(now);
    if (since <= 0) return roundToNDigits(PRECISION, this.windowTotal / Math.min(this.writtenSpan(), this.buckets.length));
    if (since >= this.#windowMs || this.lastWriteMs === null) return 0;
    const startIdx = this.timeToIndex(this.lastWriteMs);
    const endIdx = this.timeToIndex(now);
    let total = this.windowTotal;
    for (let i = startIdx + 1; i <= endIdx; i += 1) total -= this.buckets[i % this.buckets.length];
    const count = Math.min(this.writtenSpan(), this.buckets.length - (endIdx - startIdx));
    return roundToNDigits(PRECISION, total / count);
  }

  /**
   * ResizeWindow: a new window length, keeping the newest buckets when data is recent. Upstream
   * reads the wall clock here; the simulation passes its clock.
   */
  resizeWindow(windowMs: number, nowMs: number): void {
    if (windowMs === this.#windowMs) return;
    const count = Math.ceil(windowMs / this.granularityMs);
    const resized = new Array<number>(count).fill(0);
    let total = 0;
    if (this.lastWriteMs !== null && this.truncate(nowMs) - this.lastWriteMs <= this.#windowMs) {
      const oldCount = this.buckets.length;
      let idx = this.timeToIndex(this.lastWriteMs);
      for (let i = 0; i < Math.min(count, oldCount); i += 1, idx -= 1) {
        resized[idx % count] = this.buckets[idx % oldCount];
        total += this.buckets[idx % oldCount];
      }
      this.firstWriteMs = this.lastWriteMs - (oldCount - 1) * this.granularityMs;
    } else {
      this.firstWriteMs = null;
    }
    this.#windowMs = windowMs;
    this.buckets = resized;
    this.windowTotal = total;
  }

  /**
   * The buckets that can still hold data at `nowMs`, newest first, with their bucket times
   * (upstream's test helper forEachBucket; exported for inspection and tests).
   */
  forEachBucket(nowMs: number, visit: (bucketTimeMs: number, value: number) => void): void {
    if (this.lastWriteMs === null) return;
    const count = this.buckets.length - Math.trunc((this.truncate(nowMs) - this.lastWriteMs) / this.granularityMs);
    let bucketTime = this.lastWriteMs;
    let index = this.timeToIndex(bucketTime);
    for (let i = 0; i < count; i += 1, index -= 1, bucketTime -= this.granularityMs) {
      visit(bucketTime, this.buckets[index % this.buckets.length]);
    }
  }

  /** Bucket time of the first write of the current run (null before any, or after a stale resize). */
  get firstWriteTimeMs(): number | null {
    return this.firstWriteMs;
  }

  /** Bucket time of the latest write (null before any). */
  get lastWriteTimeMs(): number | null {
    return this.lastWriteMs;
  }
}

export class WeightedFloat64Buckets extends TimedFloat64Buckets {
  #smoothingCoeff: number;

  constructor(options: BucketsOptions) {
    super(options);
    this.#smoothingCoeff = computeSmoothingCoeff(this.buckets.length);
  }

  get smoothingCoeff(): number {
    return this.#smoothingCoeff;
  }

  /**
   * WindowAverage: Σ bucket[lastWrite − i] × m(1−m)^(i + empty seconds since lastWrite), newest
   * bucket first — a weighted sum, not divided by anything.
   */
  override windowAverage(nowMs: number): number {
    const now = this.truncate(nowMs);
    if (this.isEmpty(now) || this.lastWriteMs === null) return 0;
    const total = this.buckets.length;
    let count = total;
    let multiplier = this.#smoothingCoeff;
    if (now > this.lastWriteMs) {
      const empty = Math.trunc((now - this.lastWriteMs) / this.granularityMs);
      multiplier *= (1 - this.#smoothingCoeff) ** empty;
      count -= empty;
    }
    const start = this.timeToIndex(this.lastWriteMs) + total;
    let sum = 0;
    for (let i = 0; i < count; i += 1) {
      sum += this.buckets[(start - i) % total] * multiplier;
      multiplier *= 1 - this.#smoothingCoeff;
    }
    return sum;
  }

  override resizeWindow(windowMs: number, nowMs: number): void {
    super.resizeWindow(windowMs, nowMs);
    this.#smoothingCoeff = computeSmoothingCoeff(Math.ceil(windowMs / this.granularityMs));
  }
}
