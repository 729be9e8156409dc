// The ReplicaSet controller of kube-controller-manager (k8s.io/kubernetes
// pkg/controller/replicaset/replica_set.go, replica_set_utils.go), on the client runtime.
// - Informers on ReplicaSets and pods, both indexed by their controller's uid.
// - Handlers only enqueue ReplicaSet keys and record what the informer observed against the
//   ControllerExpectations: a pod added counts as an observed creation; a pod deleted, or updated
//   with a deletionTimestamp, as an observed deletion (addPod, updatePod, deletePod).
// - syncReplicaSet: claims pods (adopting orphans that match, releasing owned pods that stopped
//   matching), and, once the expectations of the last sync are met, creates the missing pods in
//   slow-start batches (1, 2, 4, ... at most burstReplicas at once, stopping at the first error)
//   or deletes the surplus pods chosen by getPodsToDelete; then writes the status with one retry
//   after a fresh GET (updateReplicaSetStatus) and requeues when a pod will become available.
// Left out: the ReplicationController variant, metrics, status.terminatingReplicas (feature-gated).

import { isNotFound } from '../apiserver/api-error.js';
import { deepCopy, deepEqual } from '../apiserver/deep-copy.js';
import type { KubeObject } from '../apiserver/types.js';
import type { ComponentContext } from '../client/component.js';
import type { Controller, ReconcileResult } from '../client/controller.js';
import { objectKey, type Informer } from '../client/informer.js';
import type { Proc } from '../sim/process.js';
import { ControllerExpectations } from './controller-expectations.js';
import { aggregate, isNamespaceTerminating } from './api-failures.js';
import { claimObjects, newControllerRef } from './controller-ref-manager.js';
import { SelectorCache } from './selector-cache.js';
import { EventRecorder } from './event-recorder.js';
import { getPodsToDelete } from './pod-ranking.js';
import { controllerOf, isPodActive, isPodReady } from './pod-status.js';
import { calculateReplicaSetStatus, errorMessage, replicaSetStatusUnchanged, specReplicas, type ReplicaSetStatus } from './replicaset-status.js';
import { PODS, REPLICASETS } from './resources.js';
import {allSettled } from './run-concurrently.js';
import { SLOW_START_INITIAL_BATCH_SIZE, slowStartBatch } from './slow-start-batch.js';
import { isModelBug } from '../sim/invariant.js';

/** replicaset.BurstReplicas. */
export const BURST_REPLICAS = 500;
/** statusUpdateRetries. */
const STATUS_UPDATE_RETRIES = 1;
export const CONTROLLER_UID_INDEX = 'controllerUID';

export interface ReplicaSetControllerOptions {
  /** Concurrent syncs (ConcurrentRSSyncs, default 5). */
  workers?: number;
  /** Most pods created or deleted by one sync (default 500). */
  burstReplicas?: number;
  /** Write core/v1 Events (default true). */
  events?: boolean;
}

/**
 * Indexes an object by its controller's uid, or as `orphan:<namespace>` when it has none: a
 * controller that may adopt orphans only ever looks at its own objects and its namespace's orphans
 * (ClaimPods ignores objects controlled by others), so it reads these two index entries instead of
 * scanning the namespace (same result, in the same cache-key order).
 */
export const byControllerUid = (obj: KubeObject): string[] => {
  const ref = controllerOf(obj);
  return [ref ? ref.uid : `orphan:${obj.metadata.namespace ?? ''}`];
};

/** The objects `owner` controls plus the orphans of its namespace, in cache-key order. */
export function ownedOrOrphaned(informer: Informer, owner: KubeObject): KubeObject[] {
  const owned = informer.byIndex(CONTROLLER_UID_INDEX, owner.metadata.uid!);
  const orphans = informer.byIndex(CONTROLLER_UID_INDEX, `orphan:${owner.metadata.namespace ?? ''}`);
  if (orphans.length === 0) return owned;
  return [...owned, ...orphans].sort((a, b) => (objectKey(a) < objectKey(b) ? -1 : objectKey(a) > objectKey(b) ? 1 : 0));
}

export function setupReplicaSetController(ctx: ComponentContext, options: ReplicaSetControllerOptions = {}): Controller {
  return new ReplicaSetController(ctx, options).controller;
}

class ReplicaSetController {
  readonly controller: Controller;
  readonly #ctx: ComponentContext;
  readonly #rsInformer: Informer;
  readonly #podInformer: Informer;
  readonly #expectations: ControllerExpectations;
  readonly #recorder: EventRecorder;
  readonly #burstReplicas: number;
  readonly #selectors = new SelectorCache();

  constructor(ctx: ComponentContext, options: ReplicaSetControllerOptions) {
    this.#ctx = ctx;
    this.#burstReplicas = options.burstReplicas ?? BURST_REPLICAS;
    this.#expectations = new ControllerExpectations({ nowMs: () => ctx.sim.nowMs });
    this.#recorder = new EventRecorder(ctx, { component: 'replicaset-controller', enabled: options.events ?? true });
    this.#rsInformer = ctx.informer(REPLICASETS);
    if (!this.#rsInformer.hasIndexer(CONTROLLER_UID_INDEX)) this.#rsInformer.addIndexer(CONTROLLER_UID_INDEX, byControllerUid);
    this.#podInformer = ctx.informer(PODS);
    if (!this.#podInformer.hasIndexer(CONTROLLER_UID_INDEX)) this.#podInformer.addIndexer(CONTROLLER_UID_INDEX, byControllerUid);
    this.controller = ctx.controller({ name: 'replicaset-controller', workers: options.workers ?? 5, reconcile: (key) => this.#sync(key) });
    this.#rsInformer.addHandler({
      add: (rs) => this.controller.enqueue(objectKey(rs)),
      update: (old, cur) => {
        if (old.metadata.uid !== cur.metadata.uid) this.#onRsDeleted(old);
        this.controller.enqueue(objectKey(cur));
      },
      delete: (rs) => this.#onRsDeleted(rs),
    });
    this.#podInformer.addHandler({
      add: (pod) => this.#onPodAdded(pod),
      update: (old, cur) => this.#onPodUpdated(old, cur),
      delete: (pod) => this.#onPodDeleted(pod),
    });
  }

  #onRsDeleted(rs: KubeObject): void {
    const key = objectKey(rs);
    this.#expectations.deleteExpectations(key);
    this.controller.enqueue(key);
  }

  /** resolveControllerRef: the cached ReplicaSet the reference names, if its uid matches. */
  #resolve(namespace: string | undefined, ref: { kind: string; name: string; uid: string } | undefined): KubeObject | undefined {
    if (ref === undefined || ref.kind !== 'ReplicaSet') return undefined;
    const rs = this.#rsInformer.get(`${namespace}/${ref.name}`);
    return rs?.metadata.uid === ref.uid ? rs : undefined;
  }

  /** getPodReplicaSets: ReplicaSets whose (non-empty) selector matches the pod's labels. */
  #replicaSetsSelecting(pod: KubeObject): KubeObject[] {
    return this.#rsInformer.list(pod.metadata.namespace).filter((rs) => {
      const selector = this.#selectors.of(rs);
      return selector !== undefined && !selector.isEverything() && selector.matches(pod.metadata.labels);
    });
  }

  #onPodAdded(pod: KubeObject): void {
    if (pod.metadata.deletionTimestamp !== undefined) {
      this.#onPodDeleted(pod);
      return;
    }
    const ref = controllerOf(pod);
    if (ref !== undefined) {
      const rs = this.#resolve(pod.metadata.namespace, ref);
      if (rs === undefined) return;
      this.#expectations.creationObserved(objectKey(rs));
      this.controller.enqueue(objectKey(rs));
      return;
    }
    for (const rs of this.#replicaSetsSelecting(pod)) this.controller.enqueue(objectKey(rs));
  }

  #onPodUpdated(old: KubeObject, cur: KubeObject): void {
    if (old.metadata.resourceVersion === cur.metadata.resourceVersion) return;
    const labelChanged = !deepEqual(old.metadata.labels ?? {}, cur.metadata.labels ?? {});
    if (cur.metadata.deletionTimestamp !== undefined) {
      this.#onPodDeleted(cur);
      if (labelChanged) this.#onPodDeleted(old);
      return;
    }
    const [curRef, oldRef] = [controllerOf(cur), controllerOf(old)];
    const refChanged = !deepEqual(curRef, oldRef);
    if (refChanged && oldRef !== undefined) {
      const oldRs = this.#resolve(old.metadata.namespace, oldRef);
      if (oldRs) this.controller.enqueue(objectKey(oldRs));
    }
    if (curRef !== undefined) {
      const rs = this.#resolve(cur.metadata.namespace, curRef);
      if (rs === undefined) return;
      this.controller.enqueue(objectKey(rs));
      const minReadySeconds = (rs.spec?.minReadySeconds as number | undefined) ?? 0;
      // Upstream adds a second to avoid skew (kubernetes#39785).
      if (!isPodReady(old) && isPodReady(cur) && minReadySeconds > 0) this.controller.enqueueAfter(objectKey(rs), (minReadySeconds + 1) * 1000);
      return;
    }
    if (labelChanged || refChanged) for (const rs of this.#replicaSetsSelecting(cur)) this.controller.enqueue(objectKey(rs));
  }

  #onPodDeleted(pod: KubeObject): void {
    const rs = this.#resolve(pod.metadata.namespace, controllerOf(pod));
    if (rs === undefined) return;
    const key = objectKey(rs);
    this.#expectations.deletionObserved(key, objectKey(pod));
    this.controller.enqueue(key);
  }

  *#sync(key: string): Proc<ReconcileResult | void> {
    const rs = this.#rsInformer.get(key);
    if (rs === undefined) {
      this.#expectations.deleteExpectations(key);
      return;
    }
    const needsSync = this.#expectations.satisfied(key);
    const selector = this.#selectors.of(rs);
    if (selector === undefined) return;
    const active = ownedOrOrphaned(this.#podInformer, rs).filter(isPodActive);
    const claim = yield* claimObjects({
      client: this.#ctx.client, owner: rs, resource: PODS, ownerResource: REPLICASETS, match: (pod) => selector.matches(pod.metadata.labels),
    }, active);
    if (claim.errors.length > 0) throw aggregate(claim.errors);
    let manageError: unknown = undefined;
    if (needsSync && rs.metadata.deletionTimestamp === undefined) {
      try {
        yield* this.#manageReplicas(claim.claimed, rs);
      } catch (e) {
        if (isModelBug(e)) throw e;
        manageError = e;
      }
    }
    const newStatus = calculateReplicaSetStatus(rs, claim.claimed, manageError, this.#ctx.sim.nowMs);
    const updated = yield* this.#updateStatus(rs, newStatus);
    if (manageError !== undefined) throw manageError;
    const minReadySeconds = (updated.spec?.minReadySeconds as number | undefined) ?? 0;
    const status = updated.status as Partial<ReplicaSetStatus> | undefined;
    const replicas = specReplicas(updated);
    if (minReadySeconds > 0 && (status?.readyReplicas ?? 0) === replicas && (status?.availableReplicas ?? 0) !== replicas) {
      return { requeueAfterMs: minReadySeconds * 1000 };
    }
  }

  *#manageReplicas(filteredPods: KubeObject[], rs: KubeObject): Proc<void> {
    const key = objectKey(rs);
    const diff = filteredPods.length - specReplicas(rs);
    if (diff < 0) {
      const wanted = Math.min(-diff, this.#burstReplicas);
      this.#expectations.expectCreations(key, wanted);
      const { successes, error } = yield* slowStartBatch(wanted, SLOW_START_INITIAL_BATCH_SIZE, () => this.#createPod(rs));
      for (let skipped = wanted - successes; skipped > 0; skipped--) this.#expectations.creationObserved(key);
      if (error !== undefined) throw error;
    } else if (diff > 0) {
      const surplus = Math.min(diff, this.#burstReplicas);
      const toDelete = getPodsToDelete(filteredPods, this.#indirectlyRelatedPods(rs), surplus, this.#ctx.sim.nowMs);
      this.#expectations.expectDeletions(key, toDelete.map(objectKey));
      const results = yield* allSettled('delete-pods', toDelete.map((pod) => this.#deletePod(rs, pod)));
      let first: unknown = undefined;
      results.forEach((result, i) => {
        if (result.ok) return;
        this.#expectations.deletionObserved(key, objectKey(toDelete[i]));
        if (!isNotFound(result.error) && first === undefined) first = result.error;
      });
      if (first !== undefined) throw first;
    }
  }

  /** getIndirectlyRelatedPods: pods selected by any ReplicaSet with the same controller (for ranks). */
  #indirectlyRelatedPods(rs: KubeObject): KubeObject[] {
    const ref = controllerOf(rs);
    if (ref === undefined) return [];
    const seen = new Set<string>();
    const related: KubeObject[] = [];
    for (const sibling of this.#rsInformer.byIndex(CONTROLLER_UID_INDEX, ref.uid)) {
      const selector = this.#selectors.of(sibling);
      if (selector === undefined) continue;
      for (const pod of this.#podInformer.list(sibling.metadata.namespace)) {
        if (!selector.matches(pod.metadata.labels) || seen.has(pod.metadata.uid!)) continue;
        seen.add(pod.metadata.uid!);
        related.push(pod);
      }
    }
    return related;
  }

  /** RealPodControl.CreatePods with GetPodFromTemplate: generateName `<rs>-`, controller reference. */
  *#createPod(rs: KubeObject): Proc<void> {
    const template = (rs.spec?.template ?? {}) as { metadata?: KubeObject['metadata']; spec?: unknown };
    const metadata: KubeObject['metadata'] = { generateName: `${rs.metadata.name}-`, namespace: rs.metadata.namespace, ownerReferences: [newControllerRef(rs)] };
    if (template.metadata?.labels) metadata.labels = deepCopy(template.metadata.labels);
    if (template.metadata?.annotations) metadata.annotations = deepCopy(template.metadata.annotations);
    if (template.metadata?.finalizers) metadata.finalizers = deepCopy(template.metadata.finalizers);
    if (Object.keys(metadata.labels ?? {}).length === 0) throw new Error('unable to create pods, no labels');
    let created: KubeObject;
    try {
      // The template's spec as is: the API server copies what it is sent, and never edits it.
      created = yield* this.#ctx.client.create(PODS, { apiVersion: 'v1', kind: 'Pod', metadata, spec: template.spec ?? {} });
    } catch (e) {
      if (isNamespaceTerminating(e)) return;
      this.#recorder.event(rs, 'Warning', 'FailedCreate', `Error creating: ${errorMessage(e)}`);
      throw e;
    }
    this.#recorder.event(rs, 'Normal', 'SuccessfulCreate', `Created pod: ${created.metadata.name}`);
  }

  /** RealPodControl.DeletePod: a 404 is passed on as is, anything else wrapped. */
  *#deletePod(rs: KubeObject, pod: KubeObject): Proc<void> {
    const name = pod.metadata.name!;
    try {
      yield* this.#ctx.client.delete(PODS, name, { namespace: pod.metadata.namespace });
    } catch (e) {
      if (isNotFound(e) || isModelBug(e)) throw e;
      this.#recorder.event(rs, 'Warning', 'FailedDelete', `Error deleting: ${errorMessage(e)}`);
      throw new Error(`unable to delete pods: ${errorMessage(e)}`);
    }
    this.#recorder.event(rs, 'Normal', 'SuccessfulDelete', `Deleted pod: ${name}`);
  }

  /** updateReplicaSetStatus: write unless steady; on failure GET the latest and try once more. */
  *#updateStatus(rs: KubeObject, newStatus: ReplicaSetStatus): Proc<KubeObject> {
    if (replicaSetStatusUnchanged(rs, newStatus)) return rs;
    const status: ReplicaSetStatus = { ...newStatus };
    if (rs.metadata.generation) status.observedGeneration = rs.metadata.generation;
    else delete status.observedGeneration;
    let current = rs;
    for (let attempt = 0; ; attempt++) {
      // The cached (or fetched) object's top level with the new status, not a deep copy with its pod
      // template: the API server copies what it is sent (a /status write takes only metadata and status).
      const copy: KubeObject = { ...current, status };
      try {
        return yield* this.#ctx.client.updateStatus(REPLICASETS, copy);
      } catch (e) {
        if (attempt >= STATUS_UPDATE_RETRIES || isModelBug(e)) throw e;
      }
      current = yield* this.#ctx.client.get(REPLICASETS, rs.metadata.name!, { namespace: rs.metadata.namespace });
    }
  }
}
