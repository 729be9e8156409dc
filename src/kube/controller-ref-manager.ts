// ControllerRefManager (k8s.io/kubernetes pkg/controller/controller_ref_manager.go): a controller
// claims the objects it should manage. For each candidate:
// - controlled by someone else: left alone;
// - controlled by us and matching the selector: claimed;
// - controlled by us but no longer matching: released (our ownerReference removed), unless we are
//   being deleted;
// - an orphan that matches, is not being deleted and lives in our namespace: adopted (a controller
//   ownerReference added), after checking once, with an uncached GET, that we are not being
//   deleted ourselves (RecheckDeletionTimestamp).
// Adoption and release are strategic-merge patches on metadata.ownerReferences that carry the
// object's uid, so they fail rather than touch a recreated object of the same name. A release that
// finds the object gone (404) or already changed (422) counts as done.

import { isInvalid, isNotFound } from '../apiserver/api-error.js';
import { LabelSelector, type StructuredLabelSelector } from '../apiserver/label-selector.js';
import type { KubeObject, OwnerReference, ResourceId } from '../apiserver/types.js';
import type { SimClient } from '../client/sim-client.js';
import type { Proc } from '../sim/process.js';
import { controllerOf } from './pod-status.js';
import { isModelBug } from '../sim/invariant.js';


export interface ClaimOptions {
  client: SimClient;
  /** The controller (a ReplicaSet, a Deployment) as the cache has it. */
  owner: KubeObject;
  /** The resource of the objects claimed (pods, replicasets). */
  resource: ResourceId;
  match: (obj: KubeObject) => boolean;
  /** The owner's resource, for the recheck GET. */
  ownerResource: ResourceId;
}

export interface ClaimResult {
  claimed: KubeObject[];
  errors: unknown[];
}

/** metav1.LabelSelectorAsSelector of spec.selector, or undefined for one that does not parse. */
export function selectorOf(obj: KubeObject): LabelSelector | undefined {
  try {
    return LabelSelector.fromLabelSelector(obj.spec?.selector as StructuredLabelSelector | undefined);
  } catch {
    return undefined;
  }
}

/** metav1.NewControllerRef. */
export function newControllerRef(owner: KubeObject): OwnerReference {
  return { apiVersion: owner.apiVersion, kind: owner.kind, name: owner.metadata.name!, uid: owner.metadata.uid!, controller: true, blockOwnerDeletion: true };
}

/** ClaimObjects over `objects` (in the order given); errors are collected, as utilerrors.NewAggregate. */
export function* claimObjects(options: ClaimOptions, objects: readonly KubeObject[]): Proc<ClaimResult> {
  const claimed: KubeObject[] = [];
  const errors: unknown[] = [];
  let canAdopt: unknown = undefined;
  const recheck = function* (): Proc<unknown> {
    if (canAdopt === undefined) canAdopt = yield* recheckDeletion(options);
    return canAdopt;
  };
  for (const obj of objects) {
    try {
      if (yield* claimObject(options, obj, recheck)) claimed.push(obj);
    } catch (e) {
      if (isModelBug(e)) throw e;
      errors.push(e);
    }
  }
  return { claimed, errors };
}

function* claimObject(options: ClaimOptions, obj: KubeObject, recheck: () => Proc<unknown>): Proc<boolean> {
  const { owner, match } = options;
  const ref = controllerOf(obj);
  if (ref !== undefined) {
    if (ref.uid !== owner.metadata.uid) return false;
    if (match(obj)) return true;
    if (owner.metadata.deletionTimestamp !== undefined) return false;
    yield* release(options, obj);
    return false;
  }
  if (owner.metadata.deletionTimestamp !== undefined || !match(obj)) return false;
  if (obj.metadata.deletionTimestamp !== undefined) return false;
  if (owner.metadata.namespace && owner.metadata.namespace !== obj.metadata.namespace) return false;
  const refusal = yield* recheck();
  if (refusal !== null) {
    const { namespace, name, uid } = obj.metadata;
    throw new Error(`can't adopt ${obj.kind} ${namespace}/${name} (${uid}): ${refusal instanceof Error ? refusal.message : String(refusal)}`);
  }
  try {
    yield* options.client.patch(options.resource, obj.metadata.name!, {
      metadata: { ownerReferences: [newControllerRef(owner)], uid: obj.metadata.uid },
    }, { namespace: obj.metadata.namespace, patchType: 'strategic' });
  } catch (e) {
    if (isNotFound(e)) return false;
    throw e;
  }
  return true;
}

function* release(options: ClaimOptions, obj: KubeObject): Proc<void> {
  try {
    yield* options.client.patch(options.resource, obj.metadata.name!, {
      metadata: { ownerReferences: [{ $patch: 'delete', uid: options.owner.metadata.uid }], uid: obj.metadata.uid },
    }, { namespace: obj.metadata.namespace, patchType: 'strategic' });
  } catch (e) {
    if (isNotFound(e) || isInvalid(e)) return;
    throw e;
  }
}

/** RecheckDeletionTimestamp with a fresh GET: null when adoption may go ahead, else the reason. */
function* recheckDeletion(options: ClaimOptions): Proc<unknown> {
  const { owner } = options;
  const { namespace, name, uid } = owner.metadata;
  try {
    const fresh = yield* options.client.get(options.ownerResource, name!, { namespace });
    if (fresh.metadata.uid !== uid) return new Error(`original ${owner.kind} ${namespace}/${name} is gone: got uid ${fresh.metadata.uid}, wanted ${uid}`);
    if (fresh.metadata.deletionTimestamp !== undefined) return new Error(`${namespace}/${name} has just been deleted at ${fresh.metadata.deletionTimestamp}`);
    return null;
  } catch (e) {
    if (isModelBug(e)) throw e;
    return e;
  }
}
