// Timers owned by one process incarnation that is not a Component (a queue-proxy or user container
// inside a revision pod): when the process dies, cancelAll drops every timer it armed, as a crash
// drops the goroutines of a Go process.

import type { Simulation, Timer } from '../../sim/simulation.js';

export class TimerGroup {
  readonly sim: Simulation;
  readonly #timers = new Set<Timer>();

  constructor(sim: Simulation) {
    this.sim = sim;
  }

  get size(): number {
    return this.#timers.size;
  }

  schedule(delayMs: number, run: () => void, label: string): Timer {
    const timer = this.sim.schedule(Math.max(0, Math.round(delayMs)), () => {
      this.#timers.delete(timer);
      run();
    }, label);
    this.#timers.add(timer);
    return timer;
  }

  cancel(timer: Timer | undefined): void {
    if (timer === undefined) return;
    this.#timers.delete(timer);
    this.sim.cancel(timer);
  }

  cancelAll(): void {
    for (const timer of this.#timers) this.sim.cancel(timer);
    this.#timers.clear();
  }
}
