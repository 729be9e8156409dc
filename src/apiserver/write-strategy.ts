// PrepareForCreate / PrepareForUpdate and rest.BeforeUpdate's common part, generic over the
// registry's description of a kind: status handling (a main-resource write keeps the stored
// status, a /status write keeps everything the kind's status strategy resets), generation rules
// (deployment/strategy.go, replicaset/strategy.go, customresource/strategy.go) and the system
// fields an update can never change (apiserver pkg/registry/rest/update.go BeforeUpdate).
import { deepEqual, objectsEqualExcept } from './deep-copy.js';
import type { ResourceType } from './registry.js';
import type { KubeObject } from './types.js';

/** Which endpoint a write came through. */
export type WriteMode = 'main' | 'status' | 'finalize';

/** Generic PrepareForCreate: drop status behind a status subresource, start generation at 1. */
export function prepareForCreate(type: ResourceType, obj: KubeObject): void {
  if (type.subresources.status && !type.keepStatusOnCreate) delete obj.status;
  if (type.generation !== 'none') obj.metadata.generation = 1;
  type.prepareForCreate?.(obj);
}

/** Whether `obj` differs from `old` in what the kind's generation tracks. */
export function generationChanged(type: ResourceType, obj: KubeObject, old: KubeObject): boolean {
  switch (type.generation) {
    case 'none':
      return false;
    case 'spec':
      return !deepEqual(obj.spec, old.spec);
    case 'specAndAnnotations':
      return !deepEqual(obj.spec, old.spec) || !deepEqual(obj.metadata.annotations, old.metadata.annotations);
    case 'nonMetadata':
    case 'nonMetadataOrLabels': {
      const labelsChanged = type.generation === 'nonMetadataOrLabels' && !deepEqual(obj.metadata.labels ?? {}, old.metadata.labels ?? {});
      return labelsChanged || !objectsEqualExcept(obj, old, 'metadata', type.subresources.status ? 'status' : undefined);
    }
  }
}

/**
 * Sets `path` of `target` to the stored object's value there. `old` is a stored object, deep-frozen
 * and never changed, so its value is shared rather than copied (nothing later in the write edits
 * what it took from the old object).
 */
function copyPath(target: KubeObject, old: KubeObject, path: string): void {
  let from: any = old;
  let to: any = target;
  let start = 0;
  // Walks the dot-separated segments in place (most paths are one segment: nothing is allocated).
  for (let dot = path.indexOf('.'); dot >= 0; dot = path.indexOf('.', start)) {
    const part = path.slice(start, dot);
    from = from?.[part];
    if (typeof to[part] !== 'object' || to[part] === null) to[part] = {};
    to = to[part];
    start = dot + 1;
  }
  const last = start === 0 ? path : path.slice(start);
  const value = from?.[last];
  if (value === undefined) delete to[last];
  else to[last] = value;
}

/**
 * A /status write: only status (and managedFields) come from the request. The result shares the
 * stored object's other (frozen) parts: only its top level and metadata are new.
 */
function prepareStatusWrite(type: ResourceType, obj: KubeObject, old: KubeObject): KubeObject {
  if ((type.statusResets ?? 'allButStatus') === 'allButStatus') {
    const next: KubeObject = { ...old, metadata: { ...old.metadata } };
    if (obj.status === undefined) delete next.status;
    else next.status = obj.status;
    if (obj.metadata.managedFields !== undefined) next.metadata.managedFields = obj.metadata.managedFields;
    else delete next.metadata.managedFields;
    return next;
  }
  for (const path of type.statusResets as string[]) copyPath(obj, old, path);
  return obj;
}

function prepareMainWrite(type: ResourceType, obj: KubeObject, old: KubeObject): void {
  if (type.subresources.status) copyPath(obj, old, 'status');
  type.prepareForUpdate?.(obj, old);
  if (generationChanged(type, obj, old)) obj.metadata.generation = (old.metadata.generation ?? 0) + 1;
}

/** Restores what no update may change: uid (when omitted), creation and deletion timestamps. */
function keepSystemFields(obj: KubeObject, old: KubeObject): void {
  const meta = obj.metadata;
  const oldMeta = old.metadata;
  if (!meta.uid) meta.uid = oldMeta.uid;
  if (oldMeta.creationTimestamp !== undefined) meta.creationTimestamp = oldMeta.creationTimestamp;
  if (oldMeta.deletionTimestamp !== undefined) meta.deletionTimestamp = oldMeta.deletionTimestamp;
  if (oldMeta.deletionGracePeriodSeconds !== undefined && meta.deletionGracePeriodSeconds === undefined) {
    meta.deletionGracePeriodSeconds = oldMeta.deletionGracePeriodSeconds;
  }
}

/**
 * rest.BeforeUpdate up to validation: generation cannot be set by the request, the mode's
 * strategy runs, system fields are restored. Returns the object to validate and store (the
 * argument itself, or a fresh one for a custom resource's /status write).
 */
export function prepareForUpdate(type: ResourceType, input: KubeObject, old: KubeObject, mode: WriteMode): KubeObject {
  if (old.metadata.generation === undefined) delete input.metadata.generation;
  else input.metadata.generation = old.metadata.generation;
  let obj = input;
  if (mode === 'status') obj = prepareStatusWrite(type, input, old);
  else if (mode === 'finalize') copyPath(obj, old, 'status');
  else prepareMainWrite(type, obj, old);
  keepSystemFields(obj, old);
  return obj;
}
