// One revision's scaling decision, as knative/serving pkg/autoscaler/scaling/autoscaler.go
// (New, newAutoscaler, Update, Scale) computes it. The caller supplies what upstream fetches:
// the ready pod count (podCounter.ReadyCount, NotFound already mapped to 0) and the revision-wide
// stable and panic metric values (MetricClient.StableAndPanicConcurrency / RPS), or the error
// that made them unavailable. Time is virtual milliseconds. The state is explicit: panicTimeMs,
// maxPanicPods and the scale-down delay window.
import type { DeciderSpec } from './decider-spec.js';
import { MaxTimeWindow } from './max-time-window.js';

/** multiscaler.go tickInterval: the decider ticks every 2s; also the delay window's granularity. */
export const DECIDER_TICK_INTERVAL_MS = 2_000;

export interface ScaleObservation {
  /** Ready pods of the revision (may be 0). */
  readyPods: number;
  /** Revision-wide metric value averaged over the stable window. */
  stable: number;
  /** Revision-wide metric value averaged over the panic window. */
  panic: number;
}

/** Why Scale had nothing to work with: ErrNoData from the collector, or any other failure. */
export interface ScaleFailure {
  error: 'no-data' | 'other';
}

export interface ScaleResult {
  desiredPodCount: number;
  excessBurstCapacity: number;
  scaleValid: boolean;
  /** The activators the revision needs for its ready pods (read by releases before pr-11375). */
  numActivators?: number;
}

/** invalidSR: the decision is not applied. */
export const INVALID_SCALE_RESULT: Readonly<ScaleResult> = Object.freeze({ desiredPodCount: 0, excessBurstCapacity: 0, scaleValid: false });

/**
 * Which collector reading Scale uses: RPS for the 'rps' metric, concurrency for anything else
 * (the switch on spec.ScalingMetric in autoscaler.go Scale).
 */
export function deciderMetric(spec: Pick<DeciderSpec, 'scalingMetric'>): 'rps' | 'concurrency' {
  return spec.scalingMetric === 'rps' ? 'rps' : 'concurrency';
}

/** Go's float64 → int32 conversion for in-range values: truncation toward zero. */
const int32 = (x: number): number => Math.trunc(x);

export interface NewDeciderOptions {
  /** Ready pods when the decider is created (pass 0 when counting failed, as upstream does). */
  readyPods: number;
  nowMs: number;
  /**
   * pr-4795 (knative/serving b52b0202ae, "Start autoscaler in panic mode", v0.8): a decider
   * created while more than one pod is ready starts in panic holding that count. Before it a new
   * decider started calm, with no panic high-water mark. Default true (current upstream).
   */
  startInPanic?: boolean;
}

export class Decider {
  #spec: Readonly<DeciderSpec>;
  /** When panic mode began or was last extended; null when not panicking. */
  panicTimeMs: number | null;
  /** The highest pod count recommended during the current panic. */
  maxPanicPods: number;
  /** Present iff scaleDownDelayMs > 0 at creation; update() does not add or resize it. */
  readonly delayWindow: MaxTimeWindow | null;

  constructor(spec: Readonly<DeciderSpec>, state: { panicTimeMs: number | null; maxPanicPods: number; delayWindow: MaxTimeWindow | null }) {
    this.#spec = spec;
    this.panicTimeMs = state.panicTimeMs;
    this.maxPanicPods = state.maxPanicPods;
    this.delayWindow = state.delayWindow;
  }

  get spec(): Readonly<DeciderSpec> {
    return this.#spec;
  }

  get inPanic(): boolean {
    return this.panicTimeMs !== null;
  }

  /** Update(spec): later Scale calls use the new spec. */
  update(spec: Readonly<DeciderSpec>): void {
    this.#spec = spec;
  }

  /** Scale(now): the recommendation, updating the panic state and the delay window. */
  scale(observation: ScaleObservation | ScaleFailure, nowMs: number): ScaleResult {
    if ('error' in observation) return { ...INVALID_SCALE_RESULT };
    const spec = this.#spec;
    const { readyPods, stable, panic } = observation;
    const pods = Math.max(1, readyPods);
    // Rate limits; the ceiling lets a slow rate still add a pod.
    const maxScaleUp = Math.ceil(spec.maxScaleUpRate * pods);
    const maxScaleDown = spec.reachable ? Math.floor(pods / spec.maxScaleDownRate) : 0;
    const stablePods = Math.ceil(stable / spec.targetValue);
    const panicPods = Math.ceil(panic / spec.targetValue);
    let desiredStable = int32(Math.min(Math.max(stablePods, maxScaleDown), maxScaleUp));
    let desiredPanic = int32(Math.min(Math.max(panicPods, maxScaleDown), maxScaleUp));
    if (spec.activationScale > 1) {
      if (stablePods > 0 && spec.activationScale > desiredStable) desiredStable = spec.activationScale;
      if (panicPods > 0 && spec.activationScale > desiredPanic) desiredPanic = spec.activationScale;
    }
    this.#updatePanic(panicPods / pods >= spec.panicThreshold, nowMs);
    const desired = this.#delayed(this.#panicAdjusted(desiredStable, desiredPanic), nowMs);
    return { desiredPodCount: desired, excessBurstCapacity: int32(this.#excessBurstCapacity(readyPods, panic)), scaleValid: true };
  }

  /** Enter panic, extend it, or leave it once a stable window has passed without crossing the threshold. */
  #updatePanic(overThreshold: boolean, nowMs: number): void {
    if (overThreshold) {
      this.panicTimeMs = nowMs;
    } else if (this.panicTimeMs !== null && this.panicTimeMs + this.#spec.stableWindowMs < nowMs) {
      this.panicTimeMs = null;
      this.maxPanicPods = 0;
    }
  }

  /** In panic: the larger of stable and panic, and never below the panic's high-water mark. */
  #panicAdjusted(desiredStable: number, desiredPanic: number): number {
    if (this.panicTimeMs === null) return desiredStable;
    const desired = Math.max(desiredStable, desiredPanic);
    if (desired > this.maxPanicPods) this.maxPanicPods = desired;
    return this.maxPanicPods;
  }

  /** Scale-down delay: the maximum recommendation over the last scaleDownDelay, while reachable. */
  #delayed(desired: number, nowMs: number): number {
    if (!this.#spec.reachable || this.delayWindow === null) return desired;
    this.delayWindow.record(nowMs, desired);
    return this.delayWindow.current();
  }

  /** EBC = ready × total − TBC − panic value, floored; 0 with no TBC, −1 when TBC is unlimited. */
  #excessBurstCapacity(readyPods: number, panic: number): number {
    const tbc = this.#spec.targetBurstCapacity;
    if (tbc === 0) return 0;
    if (tbc > 0) return Math.floor(readyPods * this.#spec.totalValue - tbc - panic);
    return -1;
  }
}

/**
 * New / newAutoscaler: a decider starts in panic when more than one pod is ready, so that a
 * restarted autoscaler (which lost its metric history) holds the current scale until it has data.
 */
export function newDecider(spec: Readonly<DeciderSpec>, options: NewDeciderOptions): Decider {
  const delayWindow = spec.scaleDownDelayMs > 0
    ? new MaxTimeWindow({ durationMs: spec.scaleDownDelayMs, granularityMs: DECIDER_TICK_INTERVAL_MS })
    : null;
  if (options.startInPanic === false) return new Decider(spec, { panicTimeMs: null, maxPanicPods: 0, delayWindow });
  return new Decider(spec, {
    panicTimeMs: options.readyPods > 1 ? options.nowMs : null,
    maxPanicPods: options.readyPods,
    delayWindow,
  });
}
