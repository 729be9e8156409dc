// knative/pkg network/handlers/drain.go's Drainer with its timer: the clock-free Drainer
// (src/knative/queue/drainer.ts) decides, this arms the QuietPeriod timer in virtual time and
// releases the Drain() callers when it fires (or when Reset interrupts the drain).
// - drain(done): Drain(); the first call arms the timer, later ones wait for the same one; once it
//   has fired, Drain returns at once (until a Reset).
// - a non-probe request restarts a pending timer (serve); after it fired, nothing changes, and
//   health checks keep answering 503 "shutting down" until a Reset.
// - reset(): Reset(); waiters return, the drainer forgets it was draining.

import { Drainer, type DrainerAnswer, type DrainerRequest } from '../queue/drainer.js';
import type { Timer } from '../../sim/simulation.js';
import type { TimerGroup } from '../runtime/timer-group.js';

export interface DrainGateOptions {
  timers: TimerGroup;
  quietPeriodMs: number;
  healthCheckUserAgentPrefixes: readonly string[];
  hasHealthCheck: boolean;
}

export class DrainGate {
  readonly drainer: Drainer;
  readonly #timers: TimerGroup;
  readonly #waiters: (() => void)[] = [];
  #timer: Timer | undefined;
  #armedForMs: number | undefined;

  constructor(options: DrainGateOptions) {
    this.#timers = options.timers;
    this.drainer = new Drainer({
      quietPeriodMs: options.quietPeriodMs,
      healthCheckUserAgentPrefixes: options.healthCheckUserAgentPrefixes,
      hasHealthCheck: options.hasHealthCheck,
    });
  }

  get draining(): boolean {
    return this.drainer.draining;
  }

  /** Drain callers still waiting. */
  get waiting(): number {
    return this.#waiters.length;
  }

  drain(done: () => void): void {
    const now = this.#timers.sim.nowMs;
    this.drainer.drainStarted(now);
    if (this.drainer.isDrained(now) && this.#timer === undefined) return done();
    this.#waiters.push(done);
    this.#arm();
  }

  reset(): void {
    this.drainer.reset();
    this.#timers.cancel(this.#timer);
    this.#timer = undefined;
    this.#armedForMs = undefined;
    this.#release();
  }

  serve(request: DrainerRequest): DrainerAnswer {
    const answer = this.drainer.serve(request, this.#timers.sim.nowMs);
    if (answer.handledBy === 'inner') this.#arm();
    return answer;
  }

  #arm(): void {
    const doneAt = this.drainer.drainDoneAtMs();
    if (doneAt === undefined || doneAt === this.#armedForMs) return;
    if (this.#armedForMs !== undefined && this.#timer === undefined) return; // already fired
    this.#timers.cancel(this.#timer);
    this.#armedForMs = doneAt;
    this.#timer = this.#timers.schedule(doneAt - this.#timers.sim.nowMs, () => {
      this.#timer = undefined;
      this.#release();
    }, 'drain-quiet-period');
  }

  #release(): void {
    for (const fn of this.#waiters.splice(0)) fn();
  }
}
