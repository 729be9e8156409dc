// Timers owned by one process incarnation that is not a Component (a queue-proxy or user container
// inside a revision pod): when the process dies, cancelAll drops every timer it armed, as a crash
// drops the goroutines of a Go process.

import type { EventAction } from '../../sim/event-queue.js';
import type { Simulation, Timer } from '../../sim/simulation.js';
import { TimerSet } from '../../sim/timer-set.js';

export class TimerGroup {
  readonly sim: Simulation;
  readonly #timers: TimerSet;

  constructor(sim: Simulation) {
    this.sim = sim;
    this.#timers = new TimerSet(sim);
  }

  /** Timers armed and still to run. */
  get size(): number {
    return this.#timers.pending;
  }

  schedule(delayMs: number, run: EventAction, label: string): Timer {
    return this.#timers.schedule(Math.max(0, Math.round(delayMs)), run, label);
  }

  cancel(timer: Timer | undefined): void {
    this.#timers.cancel(timer);
  }

  cancelAll(): void {
    this.#timers.cancelAll();
  }
}
