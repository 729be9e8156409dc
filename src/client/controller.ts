// A controller: a work queue of keys fed by informer handlers, and N worker processes that each take
// a key, run the reconcile, and act on its outcome with one switch (controller-runtime
// pkg/internal/controller/controller.go reconcileHandler; client-go sample-controller):
// - returns { requeueAfterMs }: forget the failures, add the key again after that delay;
// - returns nothing: forget the failures;
// - throws TerminalError: forget, do not retry;
// - throws anything else an API or network call can throw: rate-limited requeue;
// - throws InvariantError, TypeError, RangeError or ReferenceError (a bug in the model, like a panic
//   in a Go controller, which client-go's HandleCrash re-raises): the run aborts.
// Reconciles are level-based: they read the informer caches, never the event that woke them.

import { isModelBug } from '../sim/invariant.js';
import { sleep, type Proc } from '../sim/process.js';
import type { Simulation } from '../sim/simulation.js';
import { TerminalError } from './terminal-error.js';
import { WorkQueue } from './work-queue.js';
import type { RateLimiterOptions } from './rate-limiter.js';

export interface ReconcileResult {
  requeueAfterMs?: number;
}

export type Reconcile = (key: string) => Proc<ReconcileResult | void>;

export interface ControllerOptions {
  name: string;
  reconcile: Reconcile;
  /** Worker processes. Default 1 (Knative's default is 2 per controller; kube's vary). */
  workers?: number;
  rateLimiter?: RateLimiterOptions;
  /** Only reconcile while this holds (leader election); keys taken meanwhile are dropped. */
  shouldReconcile?: (key: string) => boolean;
  /** Wait for these before the workers start (WaitForCacheSync). */
  hasSynced?: () => boolean;
}

export interface ControllerHost {
  sim: Simulation;
  /** Starts a process owned by the component (killed when it crashes). */
  spawn(name: string, body: Proc<void>): void;
}

const SYNC_POLL_MS = 100;

export class Controller {
  readonly name: string;
  readonly queue: WorkQueue;
  readonly #host: ControllerHost;
  readonly #options: ControllerOptions;
  #reconciles = 0;

  constructor(host: ControllerHost, options: ControllerOptions) {
    this.#host = host;
    this.#options = options;
    this.name = options.name;
    this.queue = new WorkQueue(host.sim, { name: options.name, rateLimiter: options.rateLimiter });
  }

  /** Reconciles run so far. */
  get reconciles(): number {
    return this.#reconciles;
  }

  enqueue(key: string): void {
    this.queue.add(key);
  }

  enqueueAfter(key: string, delayMs: number): void {
    this.queue.addAfter(key, delayMs);
  }

  start(): void {
    const workers = this.#options.workers ?? 1;
    for (let i = 0; i < workers; i++) this.#host.spawn(`${this.name}/worker-${i}`, this.#worker(i));
  }

  *#worker(index: number): Proc<void> {
    const { sim } = this.#host;
    const hasSynced = this.#options.hasSynced;
    while (hasSynced && !hasSynced()) yield* sleep(SYNC_POLL_MS);
    while (true) {
      const key = (yield this.queue.get()) as string | null;
      if (key === null) return;
      if (this.#options.shouldReconcile && !this.#options.shouldReconcile(key)) {
        this.queue.forget(key);
        this.queue.done(key);
        continue;
      }
      this.#reconciles++;
      sim.record('reconcile', { ctl: this.name, worker: index, key });
      try {
        const result = yield* this.#options.reconcile(key);
        this.queue.forget(key);
        if (result && result.requeueAfterMs !== undefined) this.queue.addAfter(key, result.requeueAfterMs);
      } catch (e) {
        if (isModelBug(e)) throw e;
        if (e instanceof TerminalError) {
          this.queue.forget(key);
          sim.record('reconcile-error', { ctl: this.name, key, terminal: true, error: (e as Error).message });
        } else {
          sim.record('reconcile-error', { ctl: this.name, key, error: e instanceof Error ? e.message : String(e) });
          this.queue.addRateLimited(key);
        }
      } finally {
        this.queue.done(key);
      }
    }
  }
}
