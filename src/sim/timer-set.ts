// The timers one owner (a component incarnation, a process inside a pod) has armed, so that its
// death can cancel them all at once. Timers that ran or were cancelled are not removed one by one
// (that would need a wrapper closure around every timer's callback, on the data plane's hottest
// path): the set drops them in a sweep whenever it has doubled since the last one, so it stays
// within twice the number of pending timers.

import type { Simulation, Timer } from './simulation.js';

const MIN_SWEEP_SIZE = 64;

export class TimerSet {
  readonly #sim: Simulation;
  #timers = new Set<Timer>();
  #sweepAt = MIN_SWEEP_SIZE;

  constructor(sim: Simulation) {
    this.#sim = sim;
  }

  /** Timers armed and neither run nor cancelled. */
  get pending(): number {
    let n = 0;
    for (const t of this.#timers) if (this.#sim.isPending(t)) n++;
    return n;
  }

  schedule(delayMs: number, run: () => void, label: string): Timer {
    const timer = this.#sim.schedule(delayMs, run, label);
    const timers = this.#timers;
    timers.add(timer);
    if (timers.size >= this.#sweepAt) this.#sweep();
    return timer;
  }

  cancel(timer: Timer | undefined): void {
    if (timer === undefined) return;
    this.#timers.delete(timer);
    this.#sim.cancel(timer);
  }

  cancelAll(): void {
    for (const timer of this.#timers) this.#sim.cancel(timer);
    this.#timers.clear();
    this.#sweepAt = MIN_SWEEP_SIZE;
  }

  #sweep(): void {
    const live = new Set<Timer>();
    for (const t of this.#timers) if (this.#sim.isPending(t)) live.add(t);
    this.#timers = live;
    this.#sweepAt = Math.max(MIN_SWEEP_SIZE, live.size * 2);
  }
}
