// The timers one owner (a component incarnation, a process inside a pod) has armed, so that its
// death can cancel them all at once. A swept list: timers that ran or were cancelled are not
// removed one by one (a Set would hash every timer, and the wrapper closure that removes a timer
// when it runs would cost an allocation per timer, on the data plane's hottest path); the list
// drops them in a sweep whenever it has doubled since the last one (swept-list.ts).

import type { EventAction } from './event-queue.js';
import type { Simulation, Timer } from './simulation.js';
import { SweptList } from './swept-list.js';

export class TimerSet {
  readonly #sim: Simulation;
  readonly #timers: SweptList<Timer>;

  constructor(sim: Simulation) {
    this.#sim = sim;
    this.#timers = new SweptList((t) => sim.isPending(t));
  }

  /** Timers armed and neither run nor cancelled. */
  get pending(): number {
    return this.#timers.live().length;
  }

  schedule(delayMs: number, run: EventAction, label: string): Timer {
    const timer = this.#sim.schedule(delayMs, run, label);
    this.#timers.push(timer);
    return timer;
  }

  cancel(timer: Timer | undefined): void {
    this.#sim.cancel(timer);
  }

  cancelAll(): void {
    for (const timer of this.#timers.takeAll()) this.#sim.cancel(timer);
  }
}
