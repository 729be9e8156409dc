// A reconcile's retry budget, as kube-controller-manager controllers end their handleErr: a key that
// failed `maxRetries` times in a row is forgotten instead of requeued again (endpoint and
// endpointslice controllers: maxRetries = 15). Model bugs still abort the run.

import type { WorkQueue } from '../client/work-queue.js';
import { isModelBug } from '../sim/invariant.js';
import type { Proc } from '../sim/process.js';
import type { Simulation } from '../sim/simulation.js';

export interface RetryBudget {
  sim: Simulation;
  controller: { name: string; queue: WorkQueue };
  maxRetries: number;
}

/** Runs `body`; once the key has used up its budget a failure is recorded and dropped. */
export function* withRetryBudget<T>(budget: RetryBudget, key: string, body: Proc<T>): Proc<T | undefined> {
  try {
    return yield* body;
  } catch (e) {
    if (isModelBug(e) || budget.controller.queue.numRequeues(key) < budget.maxRetries) throw e;
    budget.sim.record('reconcile-dropped', { ctl: budget.controller.name, key, error: e instanceof Error ? e.message : String(e) });
    return undefined;
  }
}
