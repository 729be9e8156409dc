// PUT: apiserver pkg/registry/generic/registry/store.go Update. Optimistic concurrency (a stale
// metadata.resourceVersion is a 409; an empty one is unconditional only where the strategy allows
// it, else 422), rest.BeforeUpdate, validation, delete-on-update once the last finalizer of a
// deleting object is gone (ShouldDeleteDuringUpdate, and ShouldDeleteNamespaceDuringUpdate for
// namespaces), and no-op detection: an update that changes nothing is not written and does not
// bump the resourceVersion (etcd3 store.go GuaranteedUpdate compares the encoded bytes).
import { badRequest, conflict, invalid, notFound } from './api-error.js';
import { deepCopy, deepEqual, deepFreeze, objectsEqualExcept } from './deep-copy.js';
import { commitDeletion } from './delete-flow.js';
import { fieldError } from './field-error.js';
import { setOwn, type JsonObject } from './json-value.js';
import { validateMetaOnUpdate } from './meta-validation.js';
import { groupKindOf, groupResourceOf, type ResourceType } from './registry.js';
import { assertSubresource, checkTypeMeta, reconcileNamespace, requestKey, type ServerContext } from './server-context.js';
import type { KubeObject } from './types.js';
import { prepareForUpdate, type WriteMode } from './write-strategy.js';

export interface UpdateRequest {
  namespace?: string;
  mode: WriteMode;
  dryRun?: boolean;
  /** The stored object's storage key, when the caller has it already (else derived from it). */
  key?: string;
}

/** store.go Update: the request's resourceVersion against the stored one. */
function checkResourceVersion(type: ResourceType, obj: KubeObject, existing: KubeObject): void {
  const name = existing.metadata.name as string;
  const requested = obj.metadata.resourceVersion;
  if (!requested) {
    if (!type.allowUnconditionalUpdate) {
      // Upstream names the resource in the Kind slot here (store.go, see its TODO on #18526).
      throw invalid({ group: type.group, kind: type.plural }, name, [
        fieldError.invalid('metadata.resourceVersion', 0, 'must be specified for an update'),
      ]);
    }
    obj.metadata.resourceVersion = existing.metadata.resourceVersion;
    return;
  }
  if (requested !== existing.metadata.resourceVersion) throw conflict(groupResourceOf(type), name);
}

/** ShouldDeleteDuringUpdate: no finalizers left on an object whose deletion has no grace left. */
function shouldDeleteDuringUpdate(type: ResourceType, obj: KubeObject, existing: KubeObject): boolean {
  if ((obj.metadata.finalizers ?? []).length > 0) return false;
  if (existing.metadata.deletionTimestamp === undefined) return false;
  if ((existing.metadata.deletionGracePeriodSeconds ?? 0) !== 0) return false;
  if (type.kind === 'Namespace' && type.group === '') {
    return ((obj.spec as { finalizers?: string[] } | undefined)?.finalizers ?? []).length === 0;
  }
  return true;
}

/**
 * deepEqual(obj, existing), with the top-level field `likelyChanged` compared first: the field the
 * write mode is there to change (status for /status, spec otherwise). The verdict is the same; a
 * write that changes that field is told apart without first walking the metadata before it.
 */
function sameObject(obj: KubeObject, existing: KubeObject, likelyChanged: string): boolean {
  const value = obj[likelyChanged];
  const old = existing[likelyChanged];
  return (value === old || deepEqual(value, old)) && objectsEqualExcept(obj, existing, likelyChanged);
}

/**
 * Applies an update to the stored `existing` object. `input` is owned (mutated). Returns the stored
 * object, `existing` itself for a no-op, or the request object when the update deleted it.
 */
export function applyUpdate(ctx: ServerContext, type: ResourceType, existing: KubeObject, input: KubeObject, request: UpdateRequest): KubeObject {
  checkResourceVersion(type, input, existing);
  type.defaults?.(input);
  const obj = prepareForUpdate(type, input, existing, request.mode);
  const causes = validateMetaOnUpdate(type, obj, existing);
  if (request.mode === 'main' && type.validate !== undefined) {
    for (const cause of type.validate(obj, existing)) causes.push(cause);
  }
  if (causes.length > 0) throw invalid(groupKindOf(type), existing.metadata.name as string, causes);
  if (request.mode === 'main') ctx.hooks?.get(type)?.beginUpdate?.(obj, existing, request.dryRun === true);
  const key = request.key ?? ctx.store.objects.key(type, existing.metadata.namespace, existing.metadata.name as string);
  if (shouldDeleteDuringUpdate(type, obj, existing)) {
    if (!request.dryRun) commitDeletion(ctx, type, key, existing);
    return deepFreeze(obj);
  }
  if (sameObject(obj, existing, request.mode === 'status' ? 'status' : 'spec')) return existing;
  if (request.dryRun) return deepFreeze(obj);
  return ctx.store.commit({ type: 'MODIFIED', resource: type, key, object: obj, prev: existing });
}

/** The top-level fields a /status write takes from the body when the kind resets all but status. */
const STATUS_WRITE_FIELDS: ReadonlySet<string> = new Set(['apiVersion', 'kind', 'metadata', 'status']);

/** Whether the write replaces the body's top-level field `key` with the stored object's (write-strategy.ts). */
function replacedByStored(type: ResourceType, mode: WriteMode, key: string): boolean {
  if (mode !== 'status') return key === 'status';
  const resets = type.statusResets ?? 'allButStatus';
  return resets === 'allButStatus' ? !STATUS_WRITE_FIELDS.has(key) : resets.includes(key);
}

/**
 * The request body, copied once (the flow owns and edits the copy). Some top-level fields are
 * replaced with the stored ones whatever the body says: status on a main or /finalize write of a
 * kind with a status subresource (prepareMainWrite, prepareForUpdate), and on a /status write all
 * but apiVersion, kind, metadata and status, or the kind's one-segment statusResets paths such as
 * `spec` (prepareStatusWrite). Those are not copied, only kept in place (as null) so the key order
 * stays the body's.
 */
function copyBody(type: ResourceType, input: KubeObject, mode: WriteMode): KubeObject {
  if (mode !== 'status' && !type.subresources.status) return deepCopy(input);
  const out: JsonObject = {};
  for (const key in input) {
    const value = (input as JsonObject)[key];
    if (value === undefined) continue;
    setOwn(out, key, replacedByStored(type, mode, key) ? null : deepCopy(value));
  }
  return out as KubeObject;
}

/** PUT on the object, its /status or (namespaces) /finalize. `input` is never mutated. */
export function updateObject(ctx: ServerContext, type: ResourceType, input: KubeObject, request: UpdateRequest): KubeObject {
  assertSubresource(type, request.mode === 'main' ? undefined : request.mode);
  const obj = copyBody(type, input, request.mode);
  checkTypeMeta(type, obj);
  const name = obj.metadata.name;
  if (!name) throw badRequest('the name of the object must be set in metadata.name for an update');
  reconcileNamespace(type, obj, request.namespace);
  const key = requestKey(ctx, type, name, obj.metadata.namespace);
  const existing = ctx.store.get(type, key);
  if (!existing) throw notFound(groupResourceOf(type), name);
  return applyUpdate(ctx, type, existing, obj, { mode: request.mode, dryRun: request.dryRun, key });
}
