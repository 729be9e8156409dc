// The simulation: sole owner of virtual time. It runs events in (atMs, seq) order; simulated code
// schedules work with `schedule`/`at`, draws decisions from `chooser`, and records notable events in
// `trace`. A run is a pure function of (seed, choice log): nothing here reads wall time, ambient
// randomness or timers (DESIGN.md, layer 1 and the determinism rules).

import { Chooser, type ChoiceSource } from './chooser.js';
import { EventQueue, type EventAction, type SimEvent } from './event-queue.js';
import { invariant, InvariantError } from './invariant.js';
import { Prng, type Seed } from './prng.js';
import { Trace, type TraceOptions, type TraceValue } from './trace.js';

export interface SimulationOptions {
  seed: Seed;
  /** Replay this choice log exactly (see Chooser). */
  replay?: readonly number[];
  /** Random run with decision i forced to value v. */
  overrides?: ReadonlyMap<number, number>;
  /**
   * Let the chooser pick which of several events due at the same millisecond runs first, instead
   * of scheduling order. Ordered streams (watch channels, process resumes) keep their own order.
   */
  breakTies?: boolean;
  trace?: TraceOptions;
}

export interface RunLimits {
  /** Run events due at or before this time, then set the clock to it. */
  untilMs?: number;
  /** Stop after this many events. */
  maxEvents?: number;
}

export interface RunResult {
  eventsRun: number;
  nowMs: number;
  /** Why the run returned. */
  stoppedBy: 'idle' | 'untilMs' | 'maxEvents' | 'stop';
}

/** A scheduled event; pass it to `cancel`. */
export type Timer = SimEvent;

const TIE_LIMIT = 16;

export class Simulation {
  readonly seed: Seed;
  readonly prng: Prng;
  readonly chooser: Chooser;
  readonly trace: Trace;
  readonly #queue = new EventQueue();
  readonly #breakTies: boolean;
  readonly #tieSource: ChoiceSource;
  #nowMs = 0;
  #eventsRun = 0;
  #stopRequested = false;

  constructor(options: SimulationOptions) {
    this.seed = options.seed;
    this.prng = new Prng(options.seed);
    this.chooser = new Chooser({ prng: this.prng.fork('chooser'), replay: options.replay, overrides: options.overrides });
    this.trace = new Trace(options.trace);
    this.#breakTies = options.breakTies ?? false;
    this.#tieSource = this.chooser.source('kernel/tie');
  }

  get nowMs(): number {
    return this.#nowMs;
  }

  get eventsRun(): number {
    return this.#eventsRun;
  }

  /** Events scheduled and not yet run or cancelled. */
  get pending(): number {
    return this.#queue.size;
  }

  /**
   * Runs `run` after `delayMs` (a non-negative integer) of virtual time: a function, or an object's
   * `fire` (no closure needed for a per-request object that schedules itself).
   */
  schedule(delayMs: number, run: EventAction, label = ''): Timer {
    // Checked inline (no message closure per call: this runs for every event of a run).
    if (!(delayMs >= 0 && Number.isInteger(delayMs))) throw new InvariantError(`schedule: delay must be a non-negative integer, got ${delayMs} (${label})`);
    return this.#queue.push(this.#nowMs + delayMs, run, label);
  }

  /** Runs `run` at virtual time `atMs` (not in the past). */
  at(atMs: number, run: EventAction, label = ''): Timer {
    if (!(atMs >= this.#nowMs && Number.isInteger(atMs))) throw new InvariantError(`at: ${atMs} is in the past or not an integer (now ${this.#nowMs}, ${label})`);
    return this.#queue.push(atMs, run, label);
  }

  cancel(timer: Timer | undefined): void {
    if (timer !== undefined) this.#queue.cancel(timer);
  }

  /** Whether a timer is still to run (neither run nor cancelled). */
  isPending(timer: Timer): boolean {
    return timer.run !== null;
  }

  /** A decision source for one site; shorthand for `chooser.source(label)`. */
  choices(label: string): ChoiceSource {
    return this.chooser.source(label);
  }

  /** Records a trace line stamped with the current virtual time. */
  record(kind: string, fields?: Readonly<Record<string, TraceValue>>): void {
    this.trace.record(this.#nowMs, kind, fields);
  }

  /** Asks the running `run` call to return after the current event. */
  stop(): void {
    this.#stopRequested = true;
  }

  /** Runs one event. Returns false when there is nothing left to run. */
  step(): boolean {
    return this.#stepUntil(Infinity);
  }

  /** Runs the next event if it is due at or before `untilMs`; false if there is none. */
  #stepUntil(untilMs: number): boolean {
    const ev = this.#breakTies ? this.#nextTied(untilMs) : this.#queue.popDue(untilMs);
    if (ev === undefined) return false;
    this.#nowMs = ev.atMs;
    const run = ev.run!;
    ev.run = null;
    this.#eventsRun++;
    if (typeof run === 'function') run();
    else run.fire();
    return true;
  }

  run(limits: RunLimits = {}): RunResult {
    const untilMs = limits.untilMs ?? Infinity;
    const maxEvents = limits.maxEvents ?? Infinity;
    invariant(untilMs >= this.#nowMs, () => `run: untilMs ${untilMs} is before now ${this.#nowMs}`);
    this.#stopRequested = false;
    const startCount = this.#eventsRun;
    let stoppedBy: RunResult['stoppedBy'] = 'idle';
    while (true) {
      if (this.#stopRequested) { stoppedBy = 'stop'; break; }
      if (this.#eventsRun - startCount >= maxEvents) { stoppedBy = 'maxEvents'; break; }
      if (!this.#stepUntil(untilMs)) {
        if (this.#queue.size > 0) stoppedBy = 'untilMs';
        break;
      }
    }
    if (untilMs !== Infinity && stoppedBy !== 'stop' && stoppedBy !== 'maxEvents') {
      this.#nowMs = untilMs;
      if (stoppedBy === 'idle') stoppedBy = 'untilMs';
    }
    return { eventsRun: this.#eventsRun - startCount, nowMs: this.#nowMs, stoppedBy };
  }

  /** Advances the clock by `ms`, running everything due. */
  advance(ms: number): RunResult {
    return this.run({ untilMs: this.#nowMs + ms });
  }

  /** The trace hash, folded with the clock and the number of decisions, so two runs compare in full. */
  traceHash(): string {
    this.trace.record(this.#nowMs, 'end', { events: this.#eventsRun, decisions: this.chooser.count });
    return this.trace.hash();
  }

  /** The next event due at or before `untilMs`, the chooser picking among those due at the same millisecond. */
  #nextTied(untilMs: number): SimEvent | undefined {
    const queue = this.#queue;
    const first = queue.popDue(untilMs);
    if (first === undefined) return first;
    const second = queue.peek();
    if (second === undefined || second.atMs !== first.atMs) return first;
    const tied: SimEvent[] = [first];
    while (tied.length < TIE_LIMIT) {
      const next = queue.peek();
      if (next === undefined || next.atMs !== first.atMs) break;
      tied.push(queue.pop()!);
    }
    const chosen = this.#tieSource.int(tied.length);
    for (let i = 0; i < tied.length; i++) if (i !== chosen) queue.reinsert(tied[i]);
    return tied[chosen];
  }
}
