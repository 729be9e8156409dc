// Simulated processes: generator functions that yield effects (sleep, an API call, a wait on a
// condition) and are resumed by the simulation when the effect completes, in virtual time. A
// reconcile written as a generator can therefore be interrupted between any two of its API calls:
// killing a process drops it at its current yield, with no cleanup, as a crash would (SimPy's
// processes work the same way; DESIGN.md layer 3 asks for crashes between two writes).

import type { Simulation, Timer } from './simulation.js';

export interface Resume<T> {
  ok(value: T): void;
  fail(error: unknown): void;
}

/** What undoes a started effect when its process is killed: a function, or an object with a cancel method. */
export type Canceller = (() => void) | { cancel(): void };

/**
 * Something a process waits for. `start` arranges a later call to `resume` and may return a canceller
 * (an effect that is made for one wait can return itself, with a `cancel` method, instead of a closure).
 */
export interface Effect<T = unknown> {
  readonly description: string;
  start(sim: Simulation, resume: Resume<T>): Canceller | void;
}

/** The type of a simulated process body: `function* (): Proc<R> { ... }`. */
export type Proc<R = void> = Generator<Effect<any>, R, any>;

/** Waits for an effect and returns its value, typed: `const x = yield* perform(effect)`. */
export function* perform<T>(effect: Effect<T>): Generator<Effect<T>, T, T> {
  return yield effect;
}

class SleepEffect implements Effect<void> {
  #sim: Simulation | undefined = undefined;
  #timer: Timer | undefined = undefined;

  constructor(readonly delayMs: number) {}

  /** Built when asked for (error messages only), not for every sleep. */
  get description(): string {
    return `sleep ${this.delayMs}ms`;
  }

  start(sim: Simulation, resume: Resume<void>): this {
    this.#sim = sim;
    this.#timer = sim.schedule(this.delayMs, () => resume.ok(undefined), 'sleep');
    return this;
  }

  cancel(): void {
    this.#sim?.cancel(this.#timer);
  }
}

/** Sleeps for `delayMs` of virtual time. */
export function* sleep(delayMs: number): Proc<void> {
  yield new SleepEffect(delayMs);
}

export type ProcessOutcome<R> = { ok: true; value: R } | { ok: false; error: unknown } | { ok: false; killed: true };

export interface ProcessOptions<R> {
  name: string;
  /** Called once when the body returns, throws, or the process is killed. */
  onExit?: (outcome: ProcessOutcome<R>) => void;
}

export class Process<R = void> {
  readonly name: string;
  readonly #sim: Simulation;
  readonly #body: Proc<R>;
  readonly #onExit: ((outcome: ProcessOutcome<R>) => void) | undefined;
  #alive = true;
  #started = false;
  #step = 0;
  #cancelPending: Canceller | void = undefined;
  #startTimer: Timer | undefined;

  constructor(sim: Simulation, body: Proc<R>, options: ProcessOptions<R>) {
    this.#sim = sim;
    this.#body = body;
    this.name = options.name;
    this.#onExit = options.onExit;
  }

  get alive(): boolean {
    return this.#alive;
  }

  /** Runs the body from the next event at the current time. */
  start(): this {
    if (this.#started) throw new Error(`process ${this.name} already started`);
    this.#started = true;
    this.#startTimer = this.#sim.schedule(0, () => this.#advance(false, undefined), this.name);
    return this;
  }

  /** Drops the process where it stands: no finally blocks run, pending effects are cancelled. */
  kill(): void {
    if (!this.#alive) return;
    this.#alive = false;
    this.#sim.cancel(this.#startTimer);
    const cancel = this.#cancelPending;
    this.#cancelPending = undefined;
    if (typeof cancel === 'function') cancel();
    else if (cancel) cancel.cancel();
    this.#onExit?.({ ok: false, killed: true });
  }

  #advance(isError: boolean, input: unknown): void {
    if (!this.#alive) return;
    let result: IteratorResult<Effect<any>, R>;
    try {
      result = isError ? this.#body.throw(input) : this.#body.next(input);
    } catch (error) {
      this.#exit({ ok: false, error });
      return;
    }
    if (result.done) {
      this.#exit({ ok: true, value: result.value });
      return;
    }
    const step = ++this.#step;
    this.#cancelPending = result.value.start(this.#sim, new StepResume(this, step));
  }

  /** @internal The effect of step `step` completed; stale completions (a later step, a dead process) are ignored. */
  resumeStep(step: number, isError: boolean, input: unknown): void {
    if (this.#alive && this.#step === step) {
      this.#step++;
      this.#cancelPending = undefined;
      this.#advance(isError, input);
    }
  }

  #exit(outcome: ProcessOutcome<R>): void {
    this.#alive = false;
    if (this.#onExit) {
      this.#onExit(outcome);
    } else if (!outcome.ok && 'error' in outcome) {
      throw outcome.error;
    }
  }
}

/** The Resume handed to one step's effect: one object instead of a guard and two closures per step. */
class StepResume implements Resume<any> {
  constructor(
    readonly process: Process<any>,
    readonly step: number,
  ) {}

  ok(value: unknown): void {
    this.process.resumeStep(this.step, false, value);
  }

  fail(error: unknown): void {
    this.process.resumeStep(this.step, true, error);
  }
}
