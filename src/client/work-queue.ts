// A controller work queue with client-go's guarantees (k8s.io/client-go/util/workqueue/queue.go,
// delaying_queue.go, rate_limiting_queue.go): a key is queued at most once (dirty set); a key being
// processed is never handed to a second worker — adding it meanwhile marks it dirty and it is
// queued again on done(); delayed adds keep the earliest ready time; rate-limited requeues back off.

import type { Effect, Resume } from '../sim/process.js';
import type { Simulation, Timer } from '../sim/simulation.js';
import { RateLimiter, type RateLimiterOptions } from './rate-limiter.js';

export interface WorkQueueOptions {
  name: string;
  rateLimiter?: RateLimiterOptions;
}

export class WorkQueue {
  readonly name: string;
  readonly #sim: Simulation;
  readonly #limiter: RateLimiter;
  readonly #queue: string[] = [];
  #head = 0;
  readonly #dirty = new Set<string>();
  readonly #processing = new Set<string>();
  readonly #waiting = new Map<string, Timer>();
  readonly #getters: Resume<string | null>[] = [];
  #shuttingDown = false;
  /** The effect get() hands out: it holds no state of its own, so one serves every get. */
  readonly #getEffect: Effect<string | null>;

  constructor(sim: Simulation, options: WorkQueueOptions) {
    this.#sim = sim;
    this.name = options.name;
    this.#limiter = new RateLimiter(options.rateLimiter);
    this.#getEffect = { description: `get from ${this.name}`, start: (sim, resume) => this.#startGet(sim, resume) };
  }

  /** Keys queued and not yet handed out. */
  get length(): number {
    return this.#queue.length - this.#head;
  }

  get shuttingDown(): boolean {
    return this.#shuttingDown;
  }

  add(key: string): void {
    if (this.#shuttingDown || this.#dirty.has(key)) return;
    this.#dirty.add(key);
    if (this.#processing.has(key)) return;
    this.#push(key);
  }

  /** Adds `key` after `delayMs`; of several pending delayed adds of one key, the earliest wins. */
  addAfter(key: string, delayMs: number): void {
    if (this.#shuttingDown) return;
    if (delayMs <= 0) {
      this.add(key);
      return;
    }
    const readyAtMs = this.#sim.nowMs + delayMs;
    const pending = this.#waiting.get(key);
    if (pending !== undefined) {
      if (pending.atMs <= readyAtMs) return;
      this.#sim.cancel(pending);
    }
    this.#waiting.set(key, this.#sim.at(readyAtMs, () => {
      this.#waiting.delete(key);
      this.add(key);
    }, 'queue-after'));
  }

  addRateLimited(key: string): void {
    this.addAfter(key, this.#limiter.when(key, this.#sim.nowMs));
  }

  forget(key: string): void {
    this.#limiter.forget(key);
  }

  numRequeues(key: string): number {
    return this.#limiter.numRequeues(key);
  }

  /** Waits for a key; resolves to null once the queue shuts down. */
  get(): Effect<string | null> {
    return this.#getEffect;
  }

  #startGet(sim: Simulation, resume: Resume<string | null>): (() => void) | undefined {
    const key = this.#take();
    if (key !== undefined || this.#shuttingDown) {
      sim.schedule(0, () => resume.ok(key ?? null), 'queue-get');
      return undefined;
    }
    this.#getters.push(resume);
    return () => {
      const i = this.#getters.indexOf(resume);
      if (i >= 0) this.#getters.splice(i, 1);
    };
  }

  done(key: string): void {
    this.#processing.delete(key);
    if (this.#dirty.has(key)) this.#push(key);
  }

  shutDown(): void {
    this.#shuttingDown = true;
    for (const t of this.#waiting.values()) this.#sim.cancel(t);
    this.#waiting.clear();
    const getters = this.#getters.splice(0);
    for (const g of getters) this.#sim.schedule(0, () => g.ok(null), 'queue-shutdown');
  }

  #push(key: string): void {
    const getter = this.#getters.shift();
    if (getter !== undefined) {
      this.#dirty.delete(key);
      this.#processing.add(key);
      this.#sim.schedule(0, () => getter.ok(key), 'queue-get');
      return;
    }
    this.#queue.push(key);
  }

  #take(): string | undefined {
    if (this.#head >= this.#queue.length) return undefined;
    const key = this.#queue[this.#head++];
    if (this.#head > 1024 && this.#head * 2 > this.#queue.length) {
      this.#queue.splice(0, this.#head);
      this.#head = 0;
    }
    this.#dirty.delete(key);
    this.#processing.add(key);
    return key;
  }
}
