// slowStartBatch (k8s.io/kubernetes pkg/controller/replicaset/replica_set.go): call `fn` `count`
// times in batches that start at `initialBatchSize` and double after every batch that fully
// succeeds; the calls of one batch run concurrently; after a batch with a failure the remaining
// batches are skipped. Returns how many calls succeeded and the first error, if any. Used by the
// ReplicaSet controller to create pods (controller.SlowStartInitialBatchSize = 1), so a quota or
// admission error costs one request, not hundreds.

import type { Proc } from '../sim/process.js';
import { allSettled } from './run-concurrently.js';

export const SLOW_START_INITIAL_BATCH_SIZE = 1;

export interface SlowStartResult {
  successes: number;
  /** The first error of the failing batch, in call order. */
  error?: unknown;
}

export function* slowStartBatch(count: number, initialBatchSize: number, fn: () => Proc<void>): Proc<SlowStartResult> {
  let remaining = count;
  let successes = 0;
  for (let batchSize = Math.min(remaining, initialBatchSize); batchSize > 0; batchSize = Math.min(2 * batchSize, remaining)) {
    const calls: Proc<void>[] = [];
    for (let i = 0; i < batchSize; i++) calls.push(fn());
    const results = yield* allSettled('slow-start-batch', calls);
    const failed = results.filter((r) => !r.ok);
    successes += batchSize - failed.length;
    const first = failed[0];
    if (first && !first.ok) return { successes, error: first.error };
    remaining -= batchSize;
  }
  return { successes };
}
