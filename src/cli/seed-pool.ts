// Runs seed jobs on worker threads (one per core by default) so catalog checks use the whole
// machine. Jobs are answered in any order; callers key them by id. With `threads: 0` the jobs run
// in this thread (tests, one-core machines). Workers get the young generation sized for simulations
// (simulation-heap.ts).
//
// A worker that dies (an uncaught error, running out of memory) answers only its own job, with an
// error, and is replaced by a fresh one, so the jobs queued behind it still run. After
// MAX_REPLACEMENTS deaths the pool stops replacing workers; once none is left, every queued job is
// answered with an error instead of waiting for ever.

import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { runSeedJob, type SeedAnswer, type SeedJob } from './seed-worker.js';
import { SIMULATION_WORKER_RESOURCE_LIMITS } from './simulation-heap.js';

interface Waiting {
  job: SeedJob;
  resolve: (a: SeedAnswer) => void;
}

const MAX_REPLACEMENTS = 8;

export class SeedPool {
  readonly #workers = new Set<Worker>();
  readonly #idle: Worker[] = [];
  readonly #queue: Waiting[] = [];
  /** The job each busy worker is running. */
  readonly #busy = new Map<Worker, Waiting>();
  readonly #threads: number;
  #nextId = 0;
  #replacements = 0;
  #closing = false;

  constructor(options: { threads?: number } = {}) {
    this.#threads = options.threads ?? Math.max(1, availableParallelism());
    for (let i = 0; i < this.#threads; i++) this.#spawn();
  }

  get threads(): number {
    return this.#threads;
  }

  run(job: Omit<SeedJob, 'id'>): Promise<SeedAnswer> {
    const full = { ...job, id: this.#nextId++ };
    if (this.#threads === 0) return runSeedJob(full);
    return new Promise((resolve) => {
      this.#queue.push({ job: full, resolve });
      this.#pump();
    });
  }

  #spawn(): void {
    const w = new Worker(new URL('./seed-worker-entry.mjs', import.meta.url), { resourceLimits: SIMULATION_WORKER_RESOURCE_LIMITS });
    w.on('message', (answer: SeedAnswer) => {
      const waiting = this.#busy.get(w);
      this.#busy.delete(w);
      this.#idle.push(w);
      this.#pump();
      waiting?.resolve(answer);
    });
    w.on('error', (e) => this.#lost(w, `worker failed: ${e.message}`));
    w.on('exit', (code) => this.#lost(w, `worker exited with code ${code}`));
    this.#workers.add(w);
    this.#idle.push(w);
  }

  /** A worker died: answer its job, replace it (within the limit), and keep the queue moving. */
  #lost(w: Worker, reason: string): void {
    if (!this.#workers.delete(w)) return; // 'error' is followed by 'exit': handle the first only
    const idleAt = this.#idle.indexOf(w);
    if (idleAt >= 0) this.#idle.splice(idleAt, 1);
    const waiting = this.#busy.get(w);
    this.#busy.delete(w);
    if (this.#closing) return;
    waiting?.resolve({ id: waiting.job.id, error: reason });
    if (this.#replacements < MAX_REPLACEMENTS) {
      this.#replacements++;
      this.#spawn();
    }
    this.#pump();
    if (this.#workers.size === 0) {
      for (const { job, resolve } of this.#queue.splice(0)) resolve({ id: job.id, error: `no worker left (${reason})` });
    }
  }

  #pump(): void {
    while (this.#idle.length > 0 && this.#queue.length > 0) {
      const w = this.#idle.shift()!;
      const waiting = this.#queue.shift()!;
      this.#busy.set(w, waiting);
      w.postMessage(waiting.job);
    }
  }

  async close(): Promise<void> {
    this.#closing = true;
    await Promise.all([...this.#workers].map((w) => w.terminate()));
  }
}
