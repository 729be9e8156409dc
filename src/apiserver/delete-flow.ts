// DELETE: apiserver pkg/registry/generic/registry/store.go Delete (graceful deletion, finalizers,
// garbage-collection finalizers for the propagation policy, markAsDeleting, finalizeDelete),
// pkg/registry/rest/delete.go BeforeDelete (preconditions, grace periods), the pod strategy's
// CheckGracefulDelete (k8s.io/kubernetes pkg/registry/core/pod/strategy.go) and the namespace
// storage's two-phase Delete (pkg/registry/core/namespace/storage/storage.go) with the
// NamespaceLifecycle rule that default, kube-system and kube-public may not be deleted.
import { parseSimTime, formatSimTime } from '../sim/time-format.js';
import { conflict, forbidden } from './api-error.js';
import { deepCopy, deepEqual, deepFreeze } from './deep-copy.js';
import { groupResourceOf, type ResourceType } from './registry.js';
import { requireObject, type ServerContext } from './server-context.js';
import type { KubeObject, ObjectMeta, PropagationPolicy, Status } from './types.js';

export interface DeleteRequest {
  namespace?: string;
  gracePeriodSeconds?: number;
  propagationPolicy?: PropagationPolicy;
  preconditions?: { uid?: string; resourceVersion?: string };
  dryRun?: boolean;
}

export const FINALIZER_ORPHAN = 'orphan';
export const FINALIZER_FOREGROUND = 'foregroundDeletion';
const IMMORTAL_NAMESPACES: readonly string[] = Object.freeze(['default', 'kube-system', 'kube-public']);

/** Removes the object for good; the DELETED event carries `last` with a new resourceVersion. */
export function commitDeletion(ctx: ServerContext, type: ResourceType, key: string, last: KubeObject): KubeObject {
  const deleted = ctx.store.commit({ type: 'DELETED', resource: type, key, object: last, prev: last });
  ctx.hooks?.get(type)?.afterDelete?.(deleted);
  return deleted;
}

/** finalizeDelete: the deleted object (pods, namespaces) or a Success Status naming it. */
export function finalizeDelete(type: ResourceType, obj: KubeObject): KubeObject | Status {
  if (type.returnDeletedObject) return obj;
  return {
    apiVersion: 'v1', kind: 'Status', metadata: {}, status: 'Success', code: 200,
    details: { name: obj.metadata.name, group: type.group, kind: type.plural, uid: obj.metadata.uid },
  };
}

/**
 * markAsDeleting: deletionGracePeriodSeconds 0, deletionTimestamp now unless already set earlier,
 * and the generation bump of a first deletion request.
 */
export function markAsDeleting(meta: ObjectMeta, nowMs: number): void {
  if (meta.deletionTimestamp === undefined && (meta.generation ?? 0) > 0) meta.generation = (meta.generation as number) + 1;
  if (meta.deletionTimestamp === undefined || parseSimTime(meta.deletionTimestamp) > nowMs) meta.deletionTimestamp = formatSimTime(nowMs);
  meta.deletionGracePeriodSeconds = 0;
}

function shouldOrphan(type: ResourceType, finalizers: readonly string[], policy: PropagationPolicy | undefined): boolean {
  if (policy !== undefined) return policy === 'Orphan';
  if (finalizers.includes(FINALIZER_ORPHAN)) return true;
  if (finalizers.includes(FINALIZER_FOREGROUND)) return false;
  return type.gcPolicy === 'OrphanDependents';
}

function shouldForeground(finalizers: readonly string[], policy: PropagationPolicy | undefined): boolean {
  if (policy !== undefined) return policy === 'Foreground';
  if (finalizers.includes(FINALIZER_FOREGROUND)) return true;
  return false;
}

/** deletionFinalizersForGarbageCollection: the finalizers the propagation policy calls for. */
export function gcFinalizers(type: ResourceType, finalizers: readonly string[], policy: PropagationPolicy | undefined): { changed: boolean; finalizers: string[] } {
  const next = finalizers.filter((f) => f !== FINALIZER_ORPHAN && f !== FINALIZER_FOREGROUND);
  if (shouldOrphan(type, finalizers, policy)) next.push(FINALIZER_ORPHAN);
  if (shouldForeground(finalizers, policy)) next.push(FINALIZER_FOREGROUND);
  const changed = !deepEqual([...new Set(finalizers)].sort(), [...new Set(next)].sort());
  return { changed, finalizers: changed ? next : [...finalizers] };
}

/** rest.BeforeDelete's precondition check (409 naming the Kind, as upstream does). */
function checkPreconditions(type: ResourceType, obj: KubeObject, request: DeleteRequest): void {
  const pre = request.preconditions;
  if (!pre) return;
  const gr = { group: type.group, resource: type.kind };
  const name = obj.metadata.name as string;
  if (pre.uid !== undefined && pre.uid !== obj.metadata.uid) {
    throw conflict(gr, name, `the UID in the precondition (${pre.uid}) does not match the UID in record (${obj.metadata.uid}). The object might have been deleted and then recreated`);
  }
  if (pre.resourceVersion !== undefined && pre.resourceVersion !== obj.metadata.resourceVersion) {
    throw conflict(gr, name, `the ResourceVersion in the precondition (${pre.resourceVersion}) does not match the ResourceVersion in record (${obj.metadata.resourceVersion}). The object might have been modified`);
  }
}

interface GraceDecision {
  graceful: boolean;
  pending: boolean;
  /** For graceful: the copy with deletionTimestamp and deletionGracePeriodSeconds set. */
  obj?: KubeObject;
  gracePeriodSeconds?: number;
}

/** Pod CheckGracefulDelete: the grace period a first delete request gets. */
function podGracePeriod(pod: KubeObject, requested: number | undefined): number {
  let period = requested ?? (pod.spec?.terminationGracePeriodSeconds as number | undefined) ?? 0;
  if (!pod.spec?.nodeName) period = 0;
  const phase = (pod.status as { phase?: string } | undefined)?.phase;
  if (phase === 'Failed' || phase === 'Succeeded') period = 0;
  return period < 0 ? 1 : period;
}

/** A second delete of an object whose graceful deletion is under way may only shorten the grace. */
function shortenGrace(ctx: ServerContext, existing: KubeObject, requested: number | undefined): GraceDecision {
  const current = existing.metadata.deletionGracePeriodSeconds ?? 0;
  if (current === 0) return { graceful: false, pending: false };
  if (requested === undefined || requested >= current) return { graceful: false, pending: true };
  let period = requested;
  let deadlineMs = parseSimTime(existing.metadata.deletionTimestamp as string) - current * 1000 + period * 1000;
  if (deadlineMs < ctx.nowMs()) {
    deadlineMs = ctx.nowMs();
    if (period !== 0) period = 1;
  }
  const obj = deepCopy(existing);
  obj.metadata.deletionTimestamp = formatSimTime(deadlineMs);
  obj.metadata.deletionGracePeriodSeconds = period;
  return { graceful: true, pending: false, obj, gracePeriodSeconds: period };
}

/** rest.BeforeDelete for the graceful part. */
function beforeDelete(ctx: ServerContext, type: ResourceType, existing: KubeObject, request: DeleteRequest): GraceDecision {
  if (!type.gracefulDelete) return { graceful: false, pending: false };
  const requested = request.gracePeriodSeconds !== undefined && request.gracePeriodSeconds < 0 ? 1 : request.gracePeriodSeconds;
  if (existing.metadata.deletionTimestamp !== undefined) return shortenGrace(ctx, existing, requested);
  const period = podGracePeriod(existing, requested);
  const obj = deepCopy(existing);
  obj.metadata.deletionTimestamp = formatSimTime(ctx.nowMs() + period * 1000);
  obj.metadata.deletionGracePeriodSeconds = period;
  if ((obj.metadata.generation ?? 0) > 0) obj.metadata.generation = (obj.metadata.generation as number) + 1;
  return { graceful: true, pending: false, obj, gracePeriodSeconds: period };
}

/** Writes the deletion bookkeeping unless nothing changed; returns the stored (or dry-run) object. */
function writeDeleting(ctx: ServerContext, type: ResourceType, existing: KubeObject, obj: KubeObject, request: DeleteRequest): KubeObject {
  if (deepEqual(obj, existing)) return existing;
  if (request.dryRun) return deepFreeze(obj);
  const key = ctx.store.objects.key(type, existing.metadata.namespace, existing.metadata.name as string);
  return ctx.store.commit({ type: 'MODIFIED', resource: type, key, object: obj, prev: existing });
}

function deleteNow(ctx: ServerContext, type: ResourceType, last: KubeObject, request: DeleteRequest): KubeObject | Status {
  if (request.dryRun) return finalizeDelete(type, last);
  const key = ctx.store.objects.key(type, last.metadata.namespace, last.metadata.name as string);
  return finalizeDelete(type, commitDeletion(ctx, type, key, last));
}

/** store.go Delete after the object has been read and its preconditions checked. */
function deleteStored(ctx: ServerContext, type: ResourceType, existing: KubeObject, request: DeleteRequest): KubeObject | Status {
  const grace = beforeDelete(ctx, type, existing, request);
  if (grace.pending) return finalizeDelete(type, existing);
  const gc = gcFinalizers(type, existing.metadata.finalizers ?? [], request.propagationPolicy);
  const hasFinalizers = (existing.metadata.finalizers ?? []).length > 0;
  if (!grace.graceful && !hasFinalizers && !gc.changed) return deleteNow(ctx, type, existing, request);
  const obj = grace.obj ?? deepCopy(existing);
  if (gc.changed) obj.metadata.finalizers = gc.finalizers;
  const pendingFinalizers = (obj.metadata.finalizers ?? []).length > 0;
  if (!grace.graceful) {
    if (!pendingFinalizers) return deleteNow(ctx, type, existing, request);
    markAsDeleting(obj.metadata, ctx.nowMs());
    return writeDeleting(ctx, type, existing, obj, request);
  }
  const stored = writeDeleting(ctx, type, existing, obj, request);
  if (pendingFinalizers || (grace.gracePeriodSeconds ?? 0) > 0) return stored;
  return deleteNow(ctx, type, stored, request);
}

function namespaceFinalizers(finalizers: readonly string[], policy: PropagationPolicy | undefined): string[] {
  const wantOrphan = policy === undefined ? finalizers.includes(FINALIZER_ORPHAN) : policy === 'Orphan';
  const wantForeground = policy === undefined ? finalizers.includes(FINALIZER_FOREGROUND) : policy === 'Foreground';
  const next = finalizers.filter((f) => (f !== FINALIZER_ORPHAN || wantOrphan) && (f !== FINALIZER_FOREGROUND || wantForeground));
  if (wantOrphan && !next.includes(FINALIZER_ORPHAN)) next.push(FINALIZER_ORPHAN);
  if (wantForeground && !next.includes(FINALIZER_FOREGROUND)) next.push(FINALIZER_FOREGROUND);
  return next;
}

function checkNamespacePreconditions(ns: KubeObject, request: DeleteRequest): void {
  const pre = request.preconditions;
  const gr = { group: '', resource: 'namespaces' };
  const name = ns.metadata.name as string;
  if (pre?.uid !== undefined && pre.uid !== ns.metadata.uid) {
    throw conflict(gr, name, `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${ns.metadata.uid}`);
  }
  if (pre?.resourceVersion !== undefined && pre.resourceVersion !== ns.metadata.resourceVersion) {
    throw conflict(gr, name, `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${ns.metadata.resourceVersion}`);
  }
}

/** Namespace REST Delete: first request → Terminating; final removal once spec.finalizers is empty. */
function deleteNamespace(ctx: ServerContext, type: ResourceType, ns: KubeObject, request: DeleteRequest): KubeObject | Status {
  checkNamespacePreconditions(ns, request);
  if (ns.metadata.deletionTimestamp === undefined) {
    const obj = deepCopy(ns);
    obj.metadata.deletionTimestamp = formatSimTime(ctx.nowMs());
    obj.status = { ...(obj.status ?? {}), phase: 'Terminating' };
    const finalizers = namespaceFinalizers(obj.metadata.finalizers ?? [], request.propagationPolicy);
    if (finalizers.length > 0 || obj.metadata.finalizers !== undefined) obj.metadata.finalizers = finalizers;
    return writeDeleting(ctx, type, ns, obj, request);
  }
  if (((ns.spec as { finalizers?: string[] } | undefined)?.finalizers ?? []).length > 0) return ns;
  return deleteStored(ctx, type, ns, request);
}

/** DELETE `name`; returns the object (still present or, for pods, deleted) or a Success Status. */
export function deleteObject(ctx: ServerContext, type: ResourceType, name: string, request: DeleteRequest): KubeObject | Status {
  const isNamespace = type.group === '' && type.kind === 'Namespace';
  if (isNamespace && IMMORTAL_NAMESPACES.includes(name)) {
    throw forbidden(groupResourceOf(type), name, 'this namespace may not be deleted');
  }
  const existing = requireObject(ctx, type, name, request.namespace);
  if (isNamespace) return deleteNamespace(ctx, type, existing, request);
  checkPreconditions(type, existing, request);
  return deleteStored(ctx, type, existing, request);
}

