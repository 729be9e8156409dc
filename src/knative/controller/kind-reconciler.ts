// The reconcile loop knative.dev/pkg generates for every kind (injection/reconciler/.../reconciler.go,
// reconciler/reconcile_common.go): read the object from the informer cache, work on a deep copy,
// - PreProcessReconcile: apply the defaults the webhook would (in memory only), initialise the
//   conditions, and mark the happy condition Unknown (NewObservedGenFailure) when the generation
//   has not been observed yet;
// - ReconcileKind, which may throw; the status is written back either way;
// - PostProcessReconcile: observedGeneration = generation;
// - UpdateStatus when the status changed, re-reading and retrying on 409 Conflict
//   (RetryUpdateConflicts: retry.DefaultRetry, 5 steps 10ms apart).
// An object being deleted goes to FinalizeKind when the reconciler has a finalizer, and is left
// alone otherwise. A reconciler with `conditions` undefined skips status updates (the labeler).

import { isConflict } from '../../apiserver/api-error.js';
import { deepCopy, deepEqual } from '../../apiserver/deep-copy.js';
import type { KubeObject, ResourceId } from '../../apiserver/types.js';
import type { Informer } from '../../client/informer.js';
import type { SimClient } from '../../client/sim-client.js';
import { sleep, type Proc } from '../../sim/process.js';
import type { Simulation } from '../../sim/simulation.js';
import { ConditionManager, type ConditionSetSpec } from '../apis/condition-set.js';

const FAILED_GENERATION_BUMP = 'NewObservedGenFailure';
const CONFLICT_RETRY_STEPS = 5;
const CONFLICT_RETRY_MS = 10;

export interface KindFinalizer {
  name: string;
  finalize(obj: KubeObject): Proc<void>;
}

export interface KindReconcilerOptions {
  sim: Simulation;
  client: SimClient;
  resource: ResourceId;
  informer: Informer;
  /** The kind's condition set; undefined skips status updates altogether. */
  conditions?: ConditionSetSpec;
  /** SetDefaults on the in-memory copy, as PreProcessReconcile does. */
  setDefaults?: (obj: KubeObject) => void;
  reconcileKind(obj: KubeObject): Proc<void>;
  finalizer?: KindFinalizer;
}

/** A ConditionManager over `obj.status` at the current virtual time. */
export function conditionsOf(sim: Simulation, set: ConditionSetSpec, obj: KubeObject): ConditionManager {
  obj.status ??= {};
  return new ConditionManager(set, obj.status, sim.nowMs);
}

export function kindReconciler(o: KindReconcilerOptions): (key: string) => Proc<void> {
  return function* reconcile(key: string): Proc<void> {
    const original = o.informer.get(key);
    if (original === undefined) return;
    let resource = deepCopy(original);
    if (resource.metadata.deletionTimestamp) {
      if (o.finalizer && (resource.metadata.finalizers ?? []).includes(o.finalizer.name)) {
        yield* o.finalizer.finalize(resource);
        yield* patchFinalizers(o, resource, (resource.metadata.finalizers ?? []).filter((f) => f !== o.finalizer!.name));
      }
      return;
    }
    if (o.finalizer && !(resource.metadata.finalizers ?? []).includes(o.finalizer.name)) {
      resource = yield* patchFinalizers(o, resource, [...(resource.metadata.finalizers ?? []), o.finalizer.name]);
    }
    if (o.conditions === undefined) {
      yield* o.reconcileKind(resource);
      return;
    }
    preProcess(o, o.conditions, resource);
    let failure: unknown;
    try {
      yield* o.reconcileKind(resource);
    } catch (e) {
      failure = e;
    }
    resource.status.observedGeneration = resource.metadata.generation;
    if (!deepEqual(original.status ?? {}, resource.status)) yield* updateStatus(o, original, resource);
    if (failure !== undefined) throw failure;
  };
}

function preProcess(o: KindReconcilerOptions, set: ConditionSetSpec, resource: KubeObject): void {
  o.setDefaults?.(resource);
  const m = conditionsOf(o.sim, set, resource);
  m.initialize();
  if (resource.status.observedGeneration !== resource.metadata.generation) {
    m.markUnknown(set.happy, FAILED_GENERATION_BUMP, 'unsuccessfully observed a new generation');
  }
}

function* updateStatus(o: KindReconcilerOptions, original: KubeObject, desired: KubeObject): Proc<void> {
  let existing = original;
  for (let attempt = 0; ; attempt++) {
    if (attempt > 0) existing = yield* o.client.get(o.resource, desired.metadata.name!, { namespace: desired.metadata.namespace });
    if (deepEqual(existing.status ?? {}, desired.status)) return;
    try {
      yield* o.client.updateStatus(o.resource, { ...deepCopy(existing), status: deepCopy(desired.status) });
      return;
    } catch (e) {
      if (!isConflict(e) || attempt + 1 >= CONFLICT_RETRY_STEPS) throw e;
      yield* sleep(CONFLICT_RETRY_MS);
    }
  }
}

/** The generated reconciler's finalizer patch: a merge patch of the list, guarded by resourceVersion. */
function* patchFinalizers(o: KindReconcilerOptions, resource: KubeObject, finalizers: string[]): Proc<KubeObject> {
  const patch = { metadata: { finalizers, resourceVersion: resource.metadata.resourceVersion } };
  const patched = yield* o.client.patch(o.resource, resource.metadata.name!, patch, { namespace: resource.metadata.namespace, patchType: 'merge' });
  return deepCopy(patched);
}
