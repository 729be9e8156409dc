// The reconcile loop knative.dev/pkg generates for every kind (injection/reconciler/.../reconciler.go,
// e.g. knative/serving pkg/client/injection/reconciler/autoscaling/v1alpha1/{podautoscaler,metric}/
// reconciler.go, and reconciler/reconcile_common.go), as one Reconcile for a Controller:
// - the object comes from the lister (the informer cache); gone: ObserveDeletion when the
//   reconciler has one, nothing otherwise;
// - a class-filtered reconciler (classValue) skips objects whose class annotation is absent or
//   another;
// - the reconciler works on a deep copy, never on the informer's copy;
// - an object being deleted skips ReconcileKind: it goes to FinalizeKind when the reconciler has a
//   finalizer (and the finalizer is still on the object), which is then removed by a merge patch of
//   the list guarded by resourceVersion; it is left alone otherwise. An object not being deleted
//   first gets the finalizer added the same way (setFinalizerIfFinalizer);
// - PreProcessReconcile: apply the defaults the webhook would (SetDefaults, in memory only),
//   initialise the condition set, and on a new generation (observedGeneration != generation) mark
//   the happy condition Unknown (NewObservedGenFailure);
// - ReconcileKind, which may throw (a process when it talks to the API server, a plain function
//   when it does not); the status is written back either way;
// - PostProcessReconcile: observedGeneration = generation, and every condition that changed is
//   stamped with now while the others keep their old stamp (groomConditionsTransitionTime);
// - the status is written back whenever it changed, even when ReconcileKind failed: UpdateStatus
//   from the lister's copy, and on 409 Conflict again from a fresh GET (RetryUpdateConflicts,
//   retry.DefaultRetry: 5 steps, 10 ms apart with 10% jitter);
// - a ReconcileKind error is then returned (the controller requeues with rate limiting).
// A reconciler without a condition set skips PreProcess, PostProcess and status updates
// altogether (skipStatusUpdates: the labeler). Leadership is checked by the Controller
// (shouldReconcile / the leader-aware queue) before a key gets here.

import { isConflict } from '../../apiserver/api-error.js';
import { deepCopy, deepEqual, objectsEqualExcept } from '../../apiserver/deep-copy.js';
import type { JsonObject } from '../../apiserver/json-value.js';
import type { KubeObject, ResourceId } from '../../apiserver/types.js';
import type { ComponentContext } from '../../client/component.js';
import type { Reconcile } from '../../client/controller.js';
import { splitKey, type Informer } from '../../client/informer.js';
import { InvariantError, isModelBug } from '../../sim/invariant.js';
import { sleep, type Proc } from '../../sim/process.js';
import type { Simulation } from '../../sim/simulation.js';
import { formatSimTime } from '../../sim/time-format.js';
import { ConditionManager, type Condition, type ConditionSetSpec } from '../apis/condition-set.js';
import { ANNOTATIONS } from '../autoscaler/annotation-keys.js';

/** The condition manager of the object under reconcile. */
export type ManageConditions = () => ConditionManager;

/** The reconciler's Finalizer: FinalizeKind under the finalizer name it adds to every object. */
export interface KindFinalizer {
  name: string;
  finalize(obj: KubeObject): Proc<void>;
}

export interface GeneratedReconcilerOptions {
  resource: ResourceId;
  lister: Informer;
  /** The kind's condition set; undefined skips status updates altogether (skipStatusUpdates). */
  conditionSet?: ConditionSetSpec;
  /** The generated reconciler's classValue: only objects annotated with this class. */
  classValue?: string;
  /** SetDefaults on the in-memory copy, as PreProcessReconcile does. */
  setDefaults?: (obj: KubeObject) => void;
  /** ReconcileKind: a process when it talks to the API server, a plain function when it does not. */
  reconcileKind: (obj: KubeObject, conditions: ManageConditions) => Proc<void> | void;
  /** OnDeletionInterface.ObserveDeletion: the object is gone from the lister. */
  observeDeletion?: (namespace: string, name: string) => void;
  finalizer?: KindFinalizer;
  /** The choice-stream label of the conflict retries' jitter. */
  retryJitterLabel: string;
}

const FAILED_GENERATION_BUMP = 'NewObservedGenFailure';
const RETRY_STEPS = 5;
const RETRY_DELAY_MS = 10;

/** A ConditionManager over `obj.status` at the current virtual time. */
export function conditionsOf(sim: Simulation, set: ConditionSetSpec, obj: KubeObject): ConditionManager {
  obj.status ??= {};
  return new ConditionManager(set, obj.status, sim.nowMs);
}

const noConditions: ManageConditions = () => {
  throw new InvariantError('a reconciler without a condition set asked for its conditions');
};

export function generatedReconciler(ctx: ComponentContext, o: GeneratedReconcilerOptions): Reconcile {
  return function* reconcile(key: string): Proc<void> {
    const original = o.lister.get(key);
    if (original === undefined) {
      if (o.observeDeletion !== undefined) {
        const { namespace = '', name } = splitKey(key);
        o.observeDeletion(namespace, name);
      }
      return;
    }
    if (o.classValue !== undefined && original.metadata.annotations?.[ANNOTATIONS.class[0]] !== o.classValue) return;
    const finalizer = o.finalizer;
    if (original.metadata.deletionTimestamp) {
      const obj = deepCopy(original) as KubeObject;
      if (finalizer !== undefined && (obj.metadata.finalizers ?? []).includes(finalizer.name)) {
        yield* finalizer.finalize(obj);
        yield* patchFinalizers(ctx, o.resource, obj, (obj.metadata.finalizers ?? []).filter((f) => f !== finalizer.name));
      }
      return;
    }
    let obj = workingCopy(original, { copySpec: o.setDefaults !== undefined });
    if (finalizer !== undefined && !(obj.metadata.finalizers ?? []).includes(finalizer.name)) {
      obj = yield* patchFinalizers(ctx, o.resource, obj, [...(obj.metadata.finalizers ?? []), finalizer.name]);
    }
    const set = o.conditionSet;
    if (set === undefined) {
      const body = o.reconcileKind(obj, noConditions);
      if (body !== undefined) yield* body;
      return;
    }
    obj.status ??= {};
    // One manager for the whole reconcile, so it knows the order conditions were set in; the stamps
    // it writes are replaced by PostProcess's anyway.
    const manager = conditionsOf(ctx.sim, set, obj);
    const manage: ManageConditions = () => manager;
    preProcess(obj, set, o.setDefaults, manager);
    let failure: unknown;
    try {
      const body = o.reconcileKind(obj, manage);
      if (body !== undefined) yield* body;
    } catch (e) {
      if (isModelBug(e)) throw e;
      failure = e;
    }
    postProcess(obj, original, ctx.sim.nowMs);
    if (!deepEqual(original.status ?? {}, obj.status)) yield* updateStatus(ctx, o, original, obj);
    if (failure !== undefined) throw failure;
  };
}

/**
 * The copy ReconcileKind works on. Upstream deep-copies the whole object; here the parts the
 * reconcile writes are fresh (the top level, metadata's top level, the status, and the spec when
 * SetDefaults fills it in), while the nested rest stays the informer's frozen object: a write to it
 * throws a TypeError, a model bug that fails loudly, so sharing cannot silently change behaviour.
 */
function workingCopy(original: KubeObject, options: { copySpec: boolean }): KubeObject {
  const obj: KubeObject = { ...original, metadata: { ...original.metadata } };
  if (options.copySpec && original.spec !== undefined) obj.spec = deepCopy(original.spec);
  if (original.status !== undefined) obj.status = deepCopy(original.status);
  return obj;
}

function preProcess(obj: KubeObject, set: ConditionSetSpec, setDefaults: ((obj: KubeObject) => void) | undefined, manager: ConditionManager): void {
  setDefaults?.(obj);
  manager.initialize();
  if ((obj.status!.observedGeneration ?? 0) !== (obj.metadata.generation ?? 0)) {
    manager.markUnknown(set.happy, FAILED_GENERATION_BUMP, 'unsuccessfully observed a new generation');
  }
}

function postProcess(obj: KubeObject, original: KubeObject, nowMs: number): void {
  obj.status!.observedGeneration = obj.metadata.generation ?? 0;
  const before = (original.status?.conditions ?? []) as Condition[];
  let now: string | undefined;
  for (const cond of (obj.status!.conditions ?? []) as Condition[]) {
    const old = before.find((c) => c.type === cond.type);
    if (old !== undefined && objectsEqualExcept(cond as unknown as JsonObject, old as unknown as JsonObject, 'lastTransitionTime')) cond.lastTransitionTime = old.lastTransitionTime;
    else cond.lastTransitionTime = (now ??= formatSimTime(nowMs));
  }
}

function* updateStatus(ctx: ComponentContext, o: GeneratedReconcilerOptions, original: KubeObject, desired: KubeObject): Proc<void> {
  const jitter = ctx.sim.choices(o.retryJitterLabel);
  // Upstream deep-copies the lister's object and replaces its status; only the status is written
  // here, so the rest is shared with the informer's object (frozen: a write to it would throw).
  let existing: KubeObject = { ...original };
  for (let attempt = 0; ; attempt++) {
    if (attempt > 0) {
      existing = deepCopy(yield* ctx.client.get(o.resource, desired.metadata.name!, { namespace: desired.metadata.namespace })) as KubeObject;
    }
    // The first attempt writes over the lister's copy, whose status the caller found different.
    if (attempt > 0 && deepEqual(existing.status ?? {}, desired.status)) return;
    // Not copied: the API server copies what it is sent, and the reconcile's own copy is not
    // touched after this call.
    existing.status = desired.status;
    try {
      yield* ctx.client.updateStatus(o.resource, existing);
      return;
    } catch (e) {
      if (!isConflict(e) || attempt + 1 >= RETRY_STEPS) throw e;
      yield* sleep(RETRY_DELAY_MS + jitter.between(0, RETRY_DELAY_MS / 10));
    }
  }
}

/** The generated reconciler's finalizer patch: a merge patch of the list, guarded by resourceVersion. */
function* patchFinalizers(ctx: ComponentContext, resource: ResourceId, obj: KubeObject, finalizers: string[]): Proc<KubeObject> {
  const patch = { metadata: { finalizers, resourceVersion: obj.metadata.resourceVersion } };
  const patched = yield* ctx.client.patch(resource, obj.metadata.name!, patch, { namespace: obj.metadata.namespace, patchType: 'merge' });
  return deepCopy(patched) as KubeObject;
}
