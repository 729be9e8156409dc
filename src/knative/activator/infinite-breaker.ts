// The activator's breaker for containerConcurrency 0 (knative/serving pkg/activator/net/throttler.go
// infiniteBreaker). Its capacity is 0 or 1: at 0 every request waits; when it turns 1 (any
// backend) all waiters go through at once (upstream closes a broadcast channel) and so does every
// later request. It never rejects, holds no slots, and Reserve always succeeds.
//
// Modelling choice: the broadcast releases waiters in arrival order (Go wakes them in no order).

import type { AcquireResult, RevisionBreaker } from '../queue/breaker.js';

export class InfiniteBreaker<W = unknown> implements RevisionBreaker<W> {
  #concurrency = 0;
  readonly #waiters: W[] = [];

  get capacity(): number {
    return this.#concurrency;
  }

  get pending(): number {
    return this.#waiters.length;
  }

  tryAcquire(waiter: W): AcquireResult {
    if (this.#concurrency > 0) return 'granted';
    this.#waiters.push(waiter);
    return 'queued';
  }

  /** Nothing is held, so nothing is handed on. */
  release(): W | undefined {
    return undefined;
  }

  cancel(waiter: W): boolean {
    const i = this.#waiters.indexOf(waiter);
    if (i < 0) return false;
    this.#waiters.splice(i, 1);
    return true;
  }

  reserve(): boolean {
    return true;
  }

  /** Any non-zero size means 1; going 0 → 1 releases every waiter. */
  updateConcurrency(size: number): W[] {
    const next = size === 0 ? 0 : 1;
    const previous = this.#concurrency;
    this.#concurrency = next;
    if (previous === 0 && next === 1) return this.#waiters.splice(0, this.#waiters.length);
    return [];
  }
}
