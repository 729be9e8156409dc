// Controller references (k8s.io/apimachinery metav1.NewControllerRef, IsControlledBy,
// GetControllerOf; knative.dev/pkg controller.FilterController): the reconcilers own what they
// create through one ownerReference with controller and blockOwnerDeletion set.

import { parseApiVersion } from '../../apiserver/registry.js';
import type { KubeObject, OwnerReference } from '../../apiserver/types.js';

/** metav1.NewControllerRef for `owner`. */
export function controllerRef(owner: KubeObject): OwnerReference {
  return {
    apiVersion: owner.apiVersion,
    kind: owner.kind,
    name: owner.metadata.name ?? '',
    uid: owner.metadata.uid ?? '',
    controller: true,
    blockOwnerDeletion: true,
  };
}

/** metav1.GetControllerOf: the ownerReference marked controller, if any. */
export function controllerOf(obj: KubeObject): OwnerReference | undefined {
  // A loop (no empty list or callback per call): it runs for every informer event a controller filters.
  const refs = obj.metadata.ownerReferences;
  if (refs === undefined || refs === null) return undefined;
  for (let i = 0; i < refs.length; i++) if (refs[i].controller === true) return refs[i];
  return undefined;
}

/** metav1.IsControlledBy: the controller reference points at `owner`'s uid. */
export function isControlledBy(obj: KubeObject, owner: KubeObject): boolean {
  return controllerOf(obj)?.uid === owner.metadata.uid;
}

/**
 * The `namespace/name` key of `obj`'s controller when it is of `group` and `kind`
 * (controller.FilterController + EnqueueControllerOf), else undefined.
 */
export function controllerKey(obj: KubeObject, group: string, kind: string): string | undefined {
  const ref = controllerOf(obj);
  if (ref === undefined || ref.kind !== kind || parseApiVersion(ref.apiVersion).group !== group) return undefined;
  return obj.metadata.namespace ? `${obj.metadata.namespace}/${ref.name}` : ref.name;
}
