// Runs several simulated processes at once and waits for all of them, the way upstream controllers
// fan out goroutines and wait on a sync.WaitGroup (pkg/controller/replicaset/replica_set.go
// slowStartBatch and the pod deletions of manageReplicas). Each body becomes a child process
// started in index order; killing the waiting process (a crash) kills the children where they
// stand. A child that fails with a bug in the model (TypeError, InvariantError, ...) fails the
// parent, as a panic in a goroutine would crash the controller manager.

import { isModelBug } from '../sim/invariant.js';
import { Process, type Effect, type Proc, type Resume } from '../sim/process.js';
import type { Simulation } from '../sim/simulation.js';

export type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

class AllSettled<T> implements Effect<Settled<T>[]> {
  readonly description: string;

  constructor(readonly name: string, readonly bodies: readonly Proc<T>[]) {
    this.description = `${name}: ${bodies.length} concurrent`;
  }

  start(sim: Simulation, resume: Resume<Settled<T>[]>): () => void {
    const results: Settled<T>[] = new Array<Settled<T>>(this.bodies.length);
    let left = this.bodies.length;
    if (left === 0) {
      const timer = sim.schedule(0, () => resume.ok(results), this.name);
      return () => sim.cancel(timer);
    }
    const children = this.bodies.map((body, index) => new Process<T>(sim, body, {
      name: `${this.name}/${index}`,
      onExit: (outcome) => {
        if (!outcome.ok && 'killed' in outcome) return;
        results[index] = outcome.ok ? { ok: true, value: outcome.value } : { ok: false, error: outcome.error };
        if (--left > 0) return;
        const bug = results.find((r) => !r.ok && isModelBug(r.error));
        if (bug && !bug.ok) resume.fail(bug.error);
        else resume.ok(results);
      },
    }));
    for (const child of children) child.start();
    return () => {
      for (const child of children) child.kill();
    };
  }
}

/** Runs `bodies` concurrently; resolves with every outcome, in the order of `bodies`. */
export function* allSettled<T>(name: string, bodies: readonly Proc<T>[]): Proc<Settled<T>[]> {
  return (yield new AllSettled<T>(name, bodies)) as Settled<T>[];
}

/** A bug in the model rather than a failure of the simulated world (mirrors the controller's rule). */
