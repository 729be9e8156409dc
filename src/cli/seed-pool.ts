// Runs seed jobs on worker threads (one per core by default) so catalog checks use the whole
// machine. Jobs are answered in any order; callers key them by id. With `threads: 0` the jobs run
// in this thread (tests, one-core machines).

import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { runSeedJob, type SeedAnswer, type SeedJob } from './seed-worker.js';

export class SeedPool {
  readonly #workers: Worker[] = [];
  readonly #idle: Worker[] = [];
  readonly #queue: { job: SeedJob; resolve: (a: SeedAnswer) => void }[] = [];
  readonly #pending = new Map<number, (a: SeedAnswer) => void>();
  #nextId = 0;

  constructor(options: { threads?: number } = {}) {
    const n = options.threads ?? Math.max(1, availableParallelism());
    for (let i = 0; i < n; i++) {
      const w = new Worker(new URL('./seed-worker-entry.mjs', import.meta.url));
      w.on('message', (answer: SeedAnswer) => {
        const resolve = this.#pending.get(answer.id);
        this.#pending.delete(answer.id);
        this.#idle.push(w);
        this.#pump();
        resolve?.(answer);
      });
      w.on('error', (e) => {
        for (const [id, resolve] of this.#pending) resolve({ id, error: `worker failed: ${e.message}` });
        this.#pending.clear();
      });
      this.#workers.push(w);
      this.#idle.push(w);
    }
  }

  get threads(): number {
    return this.#workers.length;
  }

  run(job: Omit<SeedJob, 'id'>): Promise<SeedAnswer> {
    const full = { ...job, id: this.#nextId++ };
    if (this.#workers.length === 0) return runSeedJob(full);
    return new Promise((resolve) => {
      this.#queue.push({ job: full, resolve });
      this.#pump();
    });
  }

  #pump(): void {
    while (this.#idle.length > 0 && this.#queue.length > 0) {
      const w = this.#idle.shift()!;
      const { job, resolve } = this.#queue.shift()!;
      this.#pending.set(job.id, resolve);
      w.postMessage(job);
    }
  }

  async close(): Promise<void> {
    await Promise.all(this.#workers.map((w) => w.terminate()));
  }
}
