// The timers one owner (a component incarnation, a process inside a pod) has armed, so that its
// death can cancel them all at once. A plain list: timers that ran or were cancelled are not
// removed one by one (a Set would hash every timer, and the wrapper closure that removes a timer
// when it runs would cost an allocation per timer, on the data plane's hottest path); the list
// drops them in a sweep whenever it has doubled since the last one, so it stays within twice the
// number of pending timers.

import type { EventAction } from './event-queue.js';
import type { Simulation, Timer } from './simulation.js';

const MIN_SWEEP_SIZE = 64;

export class TimerSet {
  readonly #sim: Simulation;
  #timers: Timer[] = [];
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

  schedule(delayMs: number, run: EventAction, label: string): Timer {
    const timer = this.#sim.schedule(delayMs, run, label);
    const timers = this.#timers;
    timers.push(timer);
    if (timers.length >= this.#sweepAt) this.#sweep();
    return timer;
  }

  cancel(timer: Timer | undefined): void {
    this.#sim.cancel(timer);
  }

  cancelAll(): void {
    for (const timer of this.#timers) this.#sim.cancel(timer);
    this.#timers = [];
    this.#sweepAt = MIN_SWEEP_SIZE;
  }

  #sweep(): void {
    this.#timers = this.#timers.filter((t) => this.#sim.isPending(t));
    this.#sweepAt = Math.max(MIN_SWEEP_SIZE, this.#timers.length * 2);
  }
}
