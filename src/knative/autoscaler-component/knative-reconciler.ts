// What knative/serving's generated reconcilers (pkg/client/injection/reconciler/autoscaling/
// v1alpha1/{podautoscaler,metric}/reconciler.go) and knative.dev/pkg reconciler/reconcile_common.go
// do around a ReconcileKind, as one Reconcile for our Controller:
// - the object comes from the lister; gone: ObserveDeletion;
// - a class-filtered reconciler skips objects whose class annotation is absent or another;
// - ReconcileKind works on a deep copy: PreProcessReconcile initializes the condition set and, on a
//   new generation, marks the happy condition Unknown (NewObservedGenFailure); PostProcessReconcile
//   sets observedGeneration and stamps now on every condition that changed
//   (groomConditionsTransitionTime), keeping the old stamp on the others;
// - the status is written back whenever it changed, even when ReconcileKind failed: UpdateStatus
//   from the lister's copy, and on 409 again from a fresh GET (RetryUpdateConflicts,
//   retry.DefaultRetry: 5 attempts, 10 ms apart with 10% jitter);
// - a ReconcileKind error is then returned (the controller requeues with rate limiting).
// Leadership is checked by the Controller (shouldReconcile) before a key gets here.

import { isConflict } from '../../apiserver/api-error.js';
import { deepCopy, deepEqual } from '../../apiserver/deep-copy.js';
import type { KubeObject, ResourceId } from '../../apiserver/types.js';
import type { ComponentContext } from '../../client/component.js';
import type { Reconcile } from '../../client/controller.js';
import { splitKey, type Informer } from '../../client/informer.js';
import { InvariantError } from '../../sim/invariant.js';
import { sleep, type Proc } from '../../sim/process.js';
import { formatSimTime } from '../../sim/time-format.js';
import { ConditionManager, type Condition, type ConditionSetSpec } from '../apis/condition-set.js';
import { ANNOTATIONS } from '../autoscaler/annotation-keys.js';

/** The condition manager of the object under reconcile. */
export type ManageConditions = () => ConditionManager;

export interface KnativeReconcilerOptions {
  resource: ResourceId;
  lister: Informer;
  conditionSet: ConditionSetSpec;
  /** The generated reconciler's classValue: only objects annotated with this class. */
  classValue?: string;
  /** ReconcileKind: a process when it talks to the API server, a plain function when it does not. */
  reconcileKind: (obj: KubeObject, conditions: ManageConditions) => Proc<void> | void;
  observeDeletion: (namespace: string, name: string) => void;
}

const FAILED_GENERATION_BUMP = 'NewObservedGenFailure';
const RETRY_STEPS = 5;
const RETRY_DELAY_MS = 10;

function isModelBug(e: unknown): boolean {
  return e instanceof InvariantError || e instanceof TypeError || e instanceof RangeError || e instanceof ReferenceError;
}

export function knativeReconcile(ctx: ComponentContext, options: KnativeReconcilerOptions): Reconcile {
  return function* reconcile(key: string): Proc<void> {
    const { namespace = '', name } = splitKey(key);
    const original = options.lister.get(key);
    if (original === undefined) {
      options.observeDeletion(namespace, name);
      return;
    }
    if (options.classValue !== undefined && original.metadata.annotations?.[ANNOTATIONS.class[0]] !== options.classValue) return;
    const obj = deepCopy(original) as KubeObject;
    obj.status ??= {};
    // One manager for the whole reconcile, so it knows the order conditions were set in; the stamps
    // it writes are replaced by PostProcess's anyway.
    const manager = new ConditionManager(options.conditionSet, obj.status, ctx.sim.nowMs);
    const manage: ManageConditions = () => manager;
    preProcess(obj, options.conditionSet, manage);
    let failure: unknown;
    try {
      const body = options.reconcileKind(obj, manage);
      if (body !== undefined) yield* body;
    } catch (e) {
      if (isModelBug(e)) throw e;
      failure = e;
    }
    postProcess(obj, original, ctx.sim.nowMs);
    if (!deepEqual(original.status ?? {}, obj.status)) yield* updateStatus(ctx, options.resource, original, obj);
    if (failure !== undefined) throw failure;
  };
}

function preProcess(obj: KubeObject, set: ConditionSetSpec, manage: ManageConditions): void {
  manage().initialize();
  if ((obj.status!.observedGeneration ?? 0) !== (obj.metadata.generation ?? 0)) {
    manage().markUnknown(set.happy, FAILED_GENERATION_BUMP, 'unsuccessfully observed a new generation');
  }
}

function postProcess(obj: KubeObject, original: KubeObject, nowMs: number): void {
  obj.status!.observedGeneration = obj.metadata.generation ?? 0;
  const before = (original.status?.conditions ?? []) as Condition[];
  for (const cond of (obj.status!.conditions ?? []) as Condition[]) {
    const old = before.find((c) => c.type === cond.type);
    if (old !== undefined && deepEqual({ ...cond, lastTransitionTime: old.lastTransitionTime }, old)) cond.lastTransitionTime = old.lastTransitionTime;
    else cond.lastTransitionTime = formatSimTime(nowMs);
  }
}

function* updateStatus(ctx: ComponentContext, resource: ResourceId, original: KubeObject, desired: KubeObject): Proc<void> {
  const jitter = ctx.sim.choices('autoscaler/retry-jitter');
  let existing = deepCopy(original) as KubeObject;
  for (let attempt = 0; ; attempt++) {
    if (attempt > 0) {
      existing = deepCopy(yield* ctx.client.get(resource, desired.metadata.name!, { namespace: desired.metadata.namespace })) as KubeObject;
    }
    if (deepEqual(existing.status ?? {}, desired.status)) return;
    existing.status = deepCopy(desired.status);
    try {
      yield* ctx.client.updateStatus(resource, existing);
      return;
    } catch (e) {
      if (!isConflict(e) || attempt + 1 >= RETRY_STEPS) throw e;
      yield* sleep(RETRY_DELAY_MS + jitter.between(0, RETRY_DELAY_MS / 10));
    }
  }
}
