// The activator's per-pod tracker (knative/serving pkg/activator/net/throttler.go podTracker): a
// destination, an optional breaker (absent when containerConcurrency is 0, where Reserve always
// succeeds and capacity reads 1), and the in-flight weight the power-of-two-choices policy reads.
// Trackers are only ever Reserve'd, never queued on.

import { Breaker } from '../queue/breaker.js';

/** throttler.go breakerQueueDepth: the revision breaker's and each pod tracker's queue depth. */
export const BREAKER_QUEUE_DEPTH = 10_000;

export class PodTracker {
  readonly dest: string;
  readonly breaker: Breaker<never> | undefined;
  #weight = 0;

  /** containerConcurrency 0 gives no breaker; otherwise CC slots, all free (newPodTracker in handleUpdate). */
  constructor(options: { dest: string; containerConcurrency: number }) {
    this.dest = options.dest;
    const cc = options.containerConcurrency;
    this.breaker = cc === 0 ? undefined : new Breaker<never>({ queueDepth: BREAKER_QUEUE_DEPTH, maxConcurrency: cc, initialCapacity: cc });
  }

  get weight(): number {
    return this.#weight;
  }

  get capacity(): number {
    return this.breaker?.capacity ?? 1;
  }

  /** Requests reserved on this pod (0 without a breaker). */
  get inFlight(): number {
    return this.breaker?.inFlight ?? 0;
  }

  reserve(): boolean {
    return this.breaker?.reserve() ?? true;
  }

  releaseReservation(): void {
    this.breaker?.release();
  }

  updateConcurrency(size: number): void {
    this.breaker?.updateConcurrency(size);
  }

  increaseWeight(): void {
    this.#weight++;
  }

  decreaseWeight(): void {
    this.#weight--;
  }
}
