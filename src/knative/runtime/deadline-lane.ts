// The request timeouts of one server (a TimeoutHandler's timers: knative/serving
// pkg/http/handler/timeout.go arms one timer per request, and so does the activator's handler
// through it). Every request a lane holds gets the same timeout, so deadlines come in arrival
// order: one armed timer over a first-in first-out list of (deadline, request) fires each request's
// timeout at the same virtual instant a timer per request would, without a timer per request that
// is scheduled and then, almost always, cancelled (two per user request on the data plane's
// hottest path).
// A request leaves the lane by no longer awaiting its deadline (answered, or its client gone):
// nothing is cancelled; finished requests are dropped from the front as new ones arrive, and in a
// sweep when the list has doubled, so the list stays within about twice the requests held.

import type { Timer } from '../../sim/simulation.js';

export interface DeadlineHolder {
  /** Still waiting on its deadline: neither answered nor abandoned. */
  readonly awaitingDeadline: boolean;
  /** The deadline passed while the request was still waiting. */
  deadlinePassed(): void;
}

export interface DeadlineLaneOptions {
  /** The timeout of every request in the lane (a non-negative integer). */
  timeoutMs: number;
  /** Virtual now. */
  nowMs: () => number;
  /** Arms a timer owned by the server's process (a crash cancels it). */
  schedule: (delayMs: number, run: () => void, label: string) => Timer;
  /** Whether a timer is still to run (it may have been cancelled with the process's other timers). */
  isPending: (timer: Timer) => boolean;
  /** The timer's label (the one a per-request timer had). */
  label: string;
}

const MIN_SWEEP_SIZE = 64;

export class DeadlineLane<T extends DeadlineHolder> {
  readonly timeoutMs: number;
  readonly #o: DeadlineLaneOptions;
  readonly #fire = (): void => this.#expire();
  /**
   * Requests in arrival order in [`#head`, `#length`), with their deadlines. The arrays are
   * compacted in place (they keep their capacity: a lane that fills and drains allocates nothing
   * once it has grown); slots outside that range are cleared.
   */
  readonly #holders: (T | undefined)[] = [];
  readonly #deadlines: number[] = [];
  #head = 0;
  #length = 0;
  #sweepAt = MIN_SWEEP_SIZE;
  #timer: Timer | undefined;
  #expiring = false;

  constructor(options: DeadlineLaneOptions) {
    if (!(options.timeoutMs >= 0 && Number.isInteger(options.timeoutMs))) {
      throw new RangeError(`deadline lane ${options.label}: timeout must be a non-negative integer, got ${options.timeoutMs}`);
    }
    this.#o = options;
    this.timeoutMs = options.timeoutMs;
  }

  /** Requests in the list, finished ones not dropped yet included. */
  get size(): number {
    return this.#length - this.#head;
  }

  /** Starts `holder`'s timeout now. */
  add(holder: T): void {
    const o = this.#o;
    if (!this.#expiring) this.#tidy();
    const at = this.#length++;
    const deadline = o.nowMs() + this.timeoutMs;
    if (at < this.#holders.length) {
      this.#holders[at] = holder;
      this.#deadlines[at] = deadline;
    } else {
      this.#holders.push(holder);
      this.#deadlines.push(deadline);
    }
    // An armed timer is due at an earlier (or the same) deadline; when it runs it moves on. Without
    // one (none yet, or the owner's timers were cancelled), the lane arms for its front.
    if (!this.#expiring && (this.#timer === undefined || !o.isPending(this.#timer))) this.#arm(Math.max(0, this.#deadlines[this.#head] - o.nowMs()));
  }

  #arm(delayMs: number): void {
    this.#timer = this.#o.schedule(delayMs, this.#fire, this.#o.label);
  }

  /** The timer ran: every request due now and still waiting times out, in arrival order. */
  #expire(): void {
    this.#timer = undefined;
    this.#expiring = true;
    const now = this.#o.nowMs();
    try {
      while (this.#head < this.#length) {
        const holder = this.#holders[this.#head]!;
        const waiting = holder.awaitingDeadline;
        if (waiting && this.#deadlines[this.#head] > now) break;
        this.#holders[this.#head] = undefined;
        this.#head++;
        if (waiting) holder.deadlinePassed();
      }
    } finally {
      this.#expiring = false;
    }
    this.#tidy();
    if (this.#head < this.#length) this.#arm(this.#deadlines[this.#head] - now);
  }

  /** Drops finished requests from the front; sweeps the list when it has doubled; reclaims the dropped front. */
  #tidy(): void {
    const holders = this.#holders;
    const deadlines = this.#deadlines;
    const length = this.#length;
    while (this.#head < length && !holders[this.#head]!.awaitingDeadline) holders[this.#head++] = undefined;
    const sweep = length - this.#head >= this.#sweepAt;
    if (!sweep && !(this.#head >= MIN_SWEEP_SIZE && this.#head * 2 >= length)) return;
    // Moves the requests kept (all of them, or on a sweep the ones still waiting) to the front.
    let kept = 0;
    for (let i = this.#head; i < length; i++) {
      const h = holders[i]!;
      if (sweep && !h.awaitingDeadline) continue;
      holders[kept] = h;
      deadlines[kept] = deadlines[i];
      kept++;
    }
    for (let i = kept; i < length; i++) holders[i] = undefined;
    this.#head = 0;
    this.#length = kept;
    if (sweep) this.#sweepAt = Math.max(MIN_SWEEP_SIZE, kept * 2);
  }
}
