// The garbage collector of kube-controller-manager (kubernetes pkg/controller/garbagecollector/
// garbagecollector.go, graph_builder.go), as a controller on the client runtime. It watches every
// resource but Events, keeps an owner-uid index, and for each object:
// - being deleted with the `orphan` finalizer: strips its ownerReference from every dependent, then
//   removes the finalizer (orphanDependents);
// - being deleted with `foregroundDeletion`: deletes its dependents and removes the finalizer once
//   no dependent with blockOwnerDeletion remains (processDeletingDependentsItem);
// - with ownerReferences: classifies owners as solid, dangling (gone, or a different uid, checked
//   with a live GET as upstream does for owners its graph has not seen) or waiting for dependents'
//   deletion; with no solid owner it deletes the object (foreground when an owner waits on it and it
//   has dependents of its own), and with solid owners it removes the dangling references
//   (attemptToDeleteItem).

import { isNotFound } from '../apiserver/api-error.js';
import { parseApiVersion, resourceIdOf, type ResourceType } from '../apiserver/registry.js';
import type { KubeObject, OwnerReference, PropagationPolicy } from '../apiserver/types.js';
import type { ComponentContext } from '../client/component.js';
import type { Informer } from '../client/informer.js';
import { objectKey } from '../client/informer.js';
import type { Proc } from '../sim/process.js';

export const ORPHAN_FINALIZER = 'orphan';
export const FOREGROUND_FINALIZER = 'foregroundDeletion';

/** Resources the collector ignores, as upstream's default ignoredResources (events). */
const IGNORED = new Set(['/events', 'events.k8s.io/events']);

interface Tracked {
  type: ResourceType;
  informer: Informer;
}

const OWNER_INDEX = 'owner-uid';

/** Work item: `<group>/<plural>|<namespace>/<name>`. */
function itemKey(type: ResourceType, obj: KubeObject): string {
  return `${type.group}/${type.plural}|${objectKey(obj)}`;
}

export function setupGarbageCollector(ctx: ComponentContext, options: { workers?: number } = {}): void {
  const tracked = new Map<string, Tracked>();
  const api = ctx.client;
  const registry = ctx.registry;

  // The index values of every object without owners (most of them): one list, which the informer
  // only reads, instead of a new empty one per indexed object.
  const noOwners: string[] = [];
  const ownerUids = (o: KubeObject): string[] => {
    const refs = o.metadata.ownerReferences;
    return refs === undefined || refs.length === 0 ? noOwners : refs.map((r) => r.uid);
  };
  for (const type of registry.list()) {
    if (IGNORED.has(`${type.group}/${type.plural}`)) continue;
    const informer = ctx.informer(resourceIdOf(type));
    informer.addIndexer(OWNER_INDEX, ownerUids);
    tracked.set(`${type.group}/${type.plural}`, { type, informer });
  }

  const controller = ctx.controller({ name: 'garbage-collector', workers: options.workers ?? 2, reconcile });

  // What wakes the collector follows graph_builder.go processGraphChanges: an object is queued when
  // one of its owners is not in the graph (upstream queues the owner's virtual node, whose absence
  // then queues its dependents; here the dependent is queued and classifyOwner does the live GET),
  // when its deletion starts with the orphan or foreground finalizer (processTransitions), and when
  // an owner it belonged to is deleted; an owner waiting for its dependents is queued when one is
  // deleted or stops blocking it (addUnblockedOwnersToDeleteQueue). Other updates queue nothing.
  for (const { type, informer } of tracked.values()) {
    const enqueue = (o: KubeObject): void => controller.enqueue(itemKey(type, o));
    informer.addHandler({
      add: (o) => {
        if (hasUncachedOwner(o.metadata.ownerReferences ?? [], o.metadata.namespace)) enqueue(o);
        processTransitions(undefined, o, enqueue);
      },
      update: (old, o) => {
        const refs = o.metadata.ownerReferences;
        const oldRefs = old.metadata.ownerReferences;
        // Neither version has owners (most updates: leases, nodes, ...): nothing was added or unblocked.
        if (refs !== oldRefs && (refs !== undefined || oldRefs !== undefined)) {
          if (hasUncachedAddedOwner(oldRefs ?? [], refs ?? [], o.metadata.namespace)) enqueue(o);
          enqueueUnblockedOwners(oldRefs ?? [], refs ?? [], o.metadata.namespace);
        }
        processTransitions(old, o, enqueue);
      },
      delete: (o) => {
        enqueueDependents(o.metadata.uid!);
        enqueueWaitingOwners(o);
      },
    });
  }

  function hasUncachedOwner(refs: readonly OwnerReference[], namespace: string | undefined): boolean {
    return refs.some((ref) => findCached(ref, namespace) === undefined);
  }

  /** hasUncachedOwner over the references of `refs` that `oldRefs` lacks (by uid), without building that list. */
  function hasUncachedAddedOwner(oldRefs: readonly OwnerReference[], refs: readonly OwnerReference[], namespace: string | undefined): boolean {
    for (const ref of refs) {
      let known = false;
      for (const p of oldRefs) {
        if (p.uid === ref.uid) {
          known = true;
          break;
        }
      }
      if (!known && findCached(ref, namespace) === undefined) return true;
    }
    return false;
  }

  /** processTransitions: the deletion starts (or the finalizer arrives) with orphan or foreground. */
  function processTransitions(old: KubeObject | undefined, o: KubeObject, enqueue: (o: KubeObject) => void): void {
    if (deletionStartsWith(old, o, ORPHAN_FINALIZER)) {
      enqueue(o);
      return;
    }
    if (deletionStartsWith(old, o, FOREGROUND_FINALIZER)) {
      enqueueDependents(o.metadata.uid!);
      enqueue(o);
    }
  }

  /** addUnblockedOwnersToDeleteQueue: a blocking reference removed, or its blockOwnerDeletion cleared. */
  function enqueueUnblockedOwners(oldRefs: readonly OwnerReference[], refs: readonly OwnerReference[], namespace: string | undefined): void {
    for (const ref of oldRefs) {
      if (!ref.blockOwnerDeletion) continue;
      const now = refs.find((r) => r.uid === ref.uid);
      if (now?.blockOwnerDeletion) continue;
      const owner = findCached(ref, namespace);
      if (owner && isDeletingDependents(owner.obj)) controller.enqueue(itemKey(owner.type, owner.obj));
    }
  }

  function dependentsOf(uid: string): { type: ResourceType; obj: KubeObject }[] {
    const out: { type: ResourceType; obj: KubeObject }[] = [];
    for (const { type, informer } of tracked.values()) for (const obj of informer.byIndex(OWNER_INDEX, uid)) out.push({ type, obj });
    return out;
  }

  function enqueueDependents(uid: string): void {
    for (const { type, obj } of dependentsOf(uid)) controller.enqueue(itemKey(type, obj));
  }

  function enqueueWaitingOwners(dependent: KubeObject): void {
    for (const ref of dependent.metadata.ownerReferences ?? []) {
      const owner = findCached(ref, dependent.metadata.namespace);
      if (owner && isDeletingDependents(owner.obj)) controller.enqueue(itemKey(owner.type, owner.obj));
    }
  }

  function typeOfRef(ref: OwnerReference): ResourceType | undefined {
    return registry.byKind(ref.apiVersion, ref.kind) ?? registry.list().find((t) => t.group === parseApiVersion(ref.apiVersion).group && t.kind === ref.kind);
  }

  function findCached(ref: OwnerReference, namespace: string | undefined): { type: ResourceType; obj: KubeObject } | undefined {
    const type = typeOfRef(ref);
    const t = type && tracked.get(`${type.group}/${type.plural}`);
    if (!t) return undefined;
    const obj = t.informer.get(type.namespaced ? `${namespace}/${ref.name}` : ref.name);
    return obj && obj.metadata.uid === ref.uid ? { type: t.type, obj } : undefined;
  }

  function* reconcile(key: string): Proc<void> {
    const bar = key.indexOf('|');
    const t = tracked.get(key.slice(0, bar));
    const obj = t?.informer.get(key.slice(bar + 1));
    if (!t || !obj) return;
    const finalizers = obj.metadata.finalizers ?? [];
    if (obj.metadata.deletionTimestamp && finalizers.includes(ORPHAN_FINALIZER)) {
      yield* orphanDependents(t.type, obj);
      return;
    }
    if (obj.metadata.deletionTimestamp && finalizers.includes(FOREGROUND_FINALIZER)) {
      yield* processDeletingDependents(t.type, obj);
      return;
    }
    if ((obj.metadata.ownerReferences?.length ?? 0) > 0) yield* attemptToDelete(t.type, obj);
  }

  function* orphanDependents(type: ResourceType, owner: KubeObject): Proc<void> {
    const uid = owner.metadata.uid!;
    for (const { type: depType, obj: dep } of dependentsOf(uid)) {
      const refs = (dep.metadata.ownerReferences ?? []).filter((r) => r.uid !== uid);
      yield* ignoreNotFound(api.patch(resourceIdOf(depType), dep.metadata.name!, [
        { op: 'test', path: '/metadata/uid', value: dep.metadata.uid },
        { op: 'replace', path: '/metadata/ownerReferences', value: refs },
      ], { namespace: dep.metadata.namespace, patchType: 'json' }));
    }
    yield* removeFinalizer(type, owner, ORPHAN_FINALIZER);
  }

  function* processDeletingDependents(type: ResourceType, owner: KubeObject): Proc<void> {
    const uid = owner.metadata.uid!;
    const blocking = dependentsOf(uid).filter(({ obj }) => obj.metadata.ownerReferences?.some((r) => r.uid === uid && r.blockOwnerDeletion));
    if (blocking.length === 0) {
      yield* removeFinalizer(type, owner, FOREGROUND_FINALIZER);
      return;
    }
    for (const { type: depType, obj: dep } of blocking) {
      if (!dep.metadata.deletionTimestamp) controller.enqueue(itemKey(depType, dep));
    }
  }

  function* attemptToDelete(type: ResourceType, obj: KubeObject): Proc<void> {
    const solid: OwnerReference[] = [];
    const dangling: OwnerReference[] = [];
    const waiting: OwnerReference[] = [];
    for (const ref of obj.metadata.ownerReferences ?? []) {
      const state = yield* classifyOwner(ref, obj.metadata.namespace);
      (state === 'solid' ? solid : state === 'dangling' ? dangling : waiting).push(ref);
    }
    const res = resourceIdOf(type);
    const where = { namespace: obj.metadata.namespace };
    if (solid.length > 0) {
      if (dangling.length === 0) return;
      const gone = new Set(dangling.map((r) => r.uid));
      yield* ignoreNotFound(api.patch(res, obj.metadata.name!, [
        { op: 'test', path: '/metadata/uid', value: obj.metadata.uid },
        { op: 'replace', path: '/metadata/ownerReferences', value: obj.metadata.ownerReferences!.filter((r) => !gone.has(r.uid)) },
      ], { ...where, patchType: 'json' }));
      return;
    }
    if (obj.metadata.deletionTimestamp) return;
    const hasDependents = dependentsOf(obj.metadata.uid!).length > 0;
    const policy: PropagationPolicy = waiting.length > 0 && hasDependents ? 'Foreground' : defaultPolicy(obj);
    ctx.sim.record('gc-delete', { res: type.plural, ns: obj.metadata.namespace, name: obj.metadata.name, policy });
    yield* ignoreNotFound(api.delete(res, obj.metadata.name!, { ...where, propagationPolicy: policy, preconditions: { uid: obj.metadata.uid } }));
  }

  function* classifyOwner(ref: OwnerReference, namespace: string | undefined): Proc<'solid' | 'dangling' | 'waiting'> {
    const cached = findCached(ref, namespace);
    let owner = cached?.obj;
    if (owner === undefined) {
      const type = typeOfRef(ref);
      if (type === undefined) return 'dangling';
      try {
        owner = yield* api.get(resourceIdOf(type), ref.name, { namespace: type.namespaced ? namespace : undefined });
      } catch (e) {
        if (isNotFound(e)) return 'dangling';
        throw e;
      }
      if (owner.metadata.uid !== ref.uid) return 'dangling';
    }
    const waiting = owner.metadata.deletionTimestamp !== undefined && (owner.metadata.finalizers ?? []).includes(FOREGROUND_FINALIZER);
    return waiting ? 'waiting' : 'solid';
  }

  function* removeFinalizer(type: ResourceType, obj: KubeObject, finalizer: string): Proc<void> {
    const finalizers = (obj.metadata.finalizers ?? []).filter((f) => f !== finalizer);
    yield* ignoreNotFound(api.patch(resourceIdOf(type), obj.metadata.name!, [
      { op: 'test', path: '/metadata/resourceVersion', value: obj.metadata.resourceVersion },
      { op: 'replace', path: '/metadata/finalizers', value: finalizers },
    ], { namespace: obj.metadata.namespace, patchType: 'json' }));
  }
}

function hasFinalizer(o: KubeObject, finalizer: string): boolean {
  return (o.metadata.finalizers ?? []).includes(finalizer);
}

/** deletionStartsWithFinalizer: `o` is being deleted with `finalizer` and `old` was not. */
function deletionStartsWith(old: KubeObject | undefined, o: KubeObject, finalizer: string): boolean {
  if (o.metadata.deletionTimestamp === undefined || !hasFinalizer(o, finalizer)) return false;
  return old === undefined || old.metadata.deletionTimestamp === undefined || !hasFinalizer(old, finalizer);
}

/** isDeletingDependents: being deleted in the foreground. */
function isDeletingDependents(o: KubeObject): boolean {
  return o.metadata.deletionTimestamp !== undefined && hasFinalizer(o, FOREGROUND_FINALIZER);
}

/** The propagation the object's own finalizers ask for (upstream deletes with the owner's policy). */
function defaultPolicy(obj: KubeObject): PropagationPolicy {
  const f = obj.metadata.finalizers ?? [];
  if (f.includes(ORPHAN_FINALIZER)) return 'Orphan';
  if (f.includes(FOREGROUND_FINALIZER)) return 'Foreground';
  return 'Background';
}

function* ignoreNotFound<T>(call: Proc<T>): Proc<T | undefined> {
  try {
    return yield* call;
  } catch (e) {
    if (isNotFound(e)) return undefined;
    throw e;
  }
}
