// The Deployment controller of kube-controller-manager (k8s.io/kubernetes
// pkg/controller/deployment/deployment_controller.go, sync.go, rolling.go, recreate.go,
// progress.go), on the client runtime.
// - Informers on Deployments, ReplicaSets and pods; handlers only enqueue Deployment keys (a
//   ReplicaSet's controller, or the Deployments whose selector matches an orphan; a Recreate
//   Deployment when its last pod is gone).
// - syncDeployment claims ReplicaSets (adopt/release), then in upstream's order: status only while
//   being deleted; Progressing Unknown while paused or just resumed; `sync` (proportional scaling,
//   cleanup) when paused or on a scaling event (an active ReplicaSet's desired-replicas annotation
//   differs from spec.replicas); else a Recreate or RollingUpdate rollout step.
// - The new ReplicaSet is `<deployment>-<pod-template-hash>`; a name taken by a ReplicaSet with
//   another template bumps status.collisionCount and retries with a new hash.
// - Writes follow upstream, including its habit of writing the Deployment's status (and revision
//   annotation) from one stale copy several times in a sync: a later write may meet a 409 and the
//   sync is retried.
// Left out: rollback through the deprecated rollbackTo annotation, maxRetries (15) after which
// upstream drops a key (we keep backing off), and the live LIST the pod-delete handler makes (we
// read the cache).

import { CONTROLLER_UID_INDEX, byControllerUid } from './replicaset-controller.js';
import { isAlreadyExists, isNotFound } from '../apiserver/api-error.js';
import { deepCopy, deepEqual } from '../apiserver/deep-copy.js';
import type { LabelSelector, StructuredLabelSelector } from '../apiserver/label-selector.js';
import type { KubeObject } from '../apiserver/types.js';
import type { ComponentContext } from '../client/component.js';
import type { Controller, ReconcileResult } from '../client/controller.js';
import { objectKey, type Informer } from '../client/informer.js';
import { TerminalError } from '../client/terminal-error.js';
import type { Proc } from '../sim/process.js';
import { aggregate, isNamespaceTerminating } from './api-failures.js';
import { claimObjects, newControllerRef } from './controller-ref-manager.js';
import {
  getDesiredReplicasAnnotation, maxRevision, REVISION_ANNOTATION, replicasAnnotationsNeedUpdate, setDeploymentRevision, setNewReplicaSetAnnotations,
  setReplicasAnnotations,
} from './deployment-annotations.js';
import {
  FAILED_RS_CREATE_REASON, FOUND_NEW_RS_REASON, getDeploymentCondition, NEW_REPLICA_SET_REASON, newDeploymentCondition, PAUSED_DEPLOY_REASON, PROGRESSING,
  RESUMED_DEPLOY_REASON, setDeploymentCondition, TIMED_OUT_REASON, type DeploymentStatus,
} from './deployment-conditions.js';
import { calculateDeploymentStatus, computeRolloutStatus, requeueStuckDeploymentMs, sameDeploymentStatus } from './deployment-progress.js';
import { planNewReplicaSet, planOldReplicaSets, type ScaleStep } from './deployment-rolling.js';
import { planScale } from './deployment-scale.js';
import {
  deploymentComplete, equalIgnoreHash, findNewInSorted, getActualReplicaCountForReplicaSets, getDeploymentsForReplicaSet,
  hasProgressDeadline, newRSNewReplicas, replicaSetsToCleanUp,
} from './deployment-util.js';
import { EventRecorder } from './event-recorder.js';
import { computeHash, POD_TEMPLATE_HASH_LABEL } from './pod-template-hash.js';
import { controllerOf } from './pod-status.js';
import { byCreationTimestamp, filterActiveReplicaSets } from './replicaset-order.js';
import { errorMessage, specReplicas } from './replicaset-status.js';
import { DEPLOYMENTS, PODS, REPLICASETS } from './resources.js';
import { maxSurge } from './rolling-fenceposts.js';
import { isModelBug } from '../sim/invariant.js';
import { SelectorCache } from './selector-cache.js';
import { TemplateComparisons } from './template-comparisons.js';


export interface DeploymentControllerOptions {
  /** Concurrent syncs (ConcurrentDeploymentSyncs, default 5). */
  workers?: number;
  /** Write core/v1 Events (default true). */
  events?: boolean;
}

export function setupDeploymentController(ctx: ComponentContext, options: DeploymentControllerOptions = {}): Controller {
  return new DeploymentController(ctx, options).controller;
}

interface AllReplicaSets {
  newRS: KubeObject | undefined;
  oldRSs: KubeObject[];
}

type Scaled = { scaled: boolean; rs: KubeObject };

class DeploymentController {
  readonly controller: Controller;
  readonly #ctx: ComponentContext;
  readonly #dInformer: Informer;
  readonly #rsInformer: Informer;
  readonly #podInformer: Informer;
  readonly #recorder: EventRecorder;
  readonly #selectors = new SelectorCache();
  readonly #templates = new TemplateComparisons();

  constructor(ctx: ComponentContext, options: DeploymentControllerOptions) {
    this.#ctx = ctx;
    this.#recorder = new EventRecorder(ctx, { component: 'deployment-controller', enabled: options.events ?? true });
    this.#dInformer = ctx.informer(DEPLOYMENTS);
    this.#rsInformer = ctx.informer(REPLICASETS);
    this.#podInformer = ctx.informer(PODS);
    if (!this.#podInformer.hasIndexer(CONTROLLER_UID_INDEX)) this.#podInformer.addIndexer(CONTROLLER_UID_INDEX, byControllerUid);
    this.controller = ctx.controller({ name: 'deployment-controller', workers: options.workers ?? 5, reconcile: (key) => this.#reconcile(key) });
    const enqueue = (d: KubeObject): void => this.controller.enqueue(objectKey(d));
    this.#dInformer.addHandler({ add: enqueue, update: (_old, cur) => enqueue(cur), delete: enqueue });
    this.#rsInformer.addHandler({
      add: (rs) => this.#onReplicaSetAdded(rs),
      update: (old, cur) => this.#onReplicaSetUpdated(old, cur),
      delete: (rs) => this.#enqueueController(rs),
    });
    this.#podInformer.addHandler({ delete: (pod) => this.#onPodDeleted(pod) });
  }

  #now(): number {
    return this.#ctx.sim.nowMs;
  }

  /** resolveControllerRef: the cached Deployment a controller reference names, if the uid matches. */
  #resolve(namespace: string | undefined, ref: { kind: string; name: string; uid: string } | undefined): KubeObject | undefined {
    if (ref === undefined || ref.kind !== 'Deployment') return undefined;
    const d = this.#dInformer.get(`${namespace}/${ref.name}`);
    return d?.metadata.uid === ref.uid ? d : undefined;
  }

  #enqueueController(rs: KubeObject): void {
    const d = this.#resolve(rs.metadata.namespace, controllerOf(rs));
    if (d) this.controller.enqueue(objectKey(d));
  }

  #enqueueMatching(rs: KubeObject): void {
    for (const d of getDeploymentsForReplicaSet(this.#dInformer.list(rs.metadata.namespace), rs)) this.controller.enqueue(objectKey(d));
  }

  #onReplicaSetAdded(rs: KubeObject): void {
    if (rs.metadata.deletionTimestamp !== undefined || controllerOf(rs) !== undefined) this.#enqueueController(rs);
    else this.#enqueueMatching(rs);
  }

  #onReplicaSetUpdated(old: KubeObject, cur: KubeObject): void {
    if (old.metadata.resourceVersion === cur.metadata.resourceVersion) return;
    const [curRef, oldRef] = [controllerOf(cur), controllerOf(old)];
    const refChanged = !deepEqual(curRef, oldRef);
    if (refChanged && oldRef !== undefined) this.#enqueueController(old);
    if (curRef !== undefined) {
      this.#enqueueController(cur);
      return;
    }
    if (refChanged || !deepEqual(old.metadata.labels ?? {}, cur.metadata.labels ?? {})) this.#enqueueMatching(cur);
  }

  /** deletePod: wake a Recreate Deployment once it has no pods left. */
  #onPodDeleted(pod: KubeObject): void {
    const ref = controllerOf(pod);
    if (ref === undefined || ref.kind !== 'ReplicaSet') return;
    const rs = this.#rsInformer.get(`${pod.metadata.namespace}/${ref.name}`);
    if (rs === undefined || rs.metadata.uid !== ref.uid) return;
    const d = this.#resolve(rs.metadata.namespace, controllerOf(rs));
    if (d === undefined || d.spec?.strategy?.type !== 'Recreate') return;
    const selector = this.#selectors.of(d);
    const owned = this.#rsInformer.list(d.metadata.namespace).filter((r) => selector?.matches(r.metadata.labels) && controllerOf(r)?.uid === d.metadata.uid);
    let pods = 0;
    for (const list of this.#podMap(d, owned).values()) pods += list.length;
    if (pods === 0) this.controller.enqueue(objectKey(d));
  }

  /** getPodMapForDeployment: pods matching the selector, by the uid of their ReplicaSet (active or not). */
  #podMap(d: KubeObject, rsList: readonly KubeObject[]): Map<string, KubeObject[]> {
    const map = new Map<string, KubeObject[]>(rsList.map((rs) => [rs.metadata.uid!, []]));
    const selector = this.#selectors.of(d);
    if (selector === undefined) return map;
    // Only pods controlled by one of these ReplicaSets can land in the map: read them by index.
    const pods = rsList.flatMap((rs) => this.#podInformer.byIndex(CONTROLLER_UID_INDEX, rs.metadata.uid!));
    pods.sort((a, b) => (objectKey(a) < objectKey(b) ? -1 : objectKey(a) > objectKey(b) ? 1 : 0));
    for (const pod of pods) {
      const ref = controllerOf(pod);
      if (ref !== undefined && selector.matches(pod.metadata.labels)) map.get(ref.uid)?.push(pod);
    }
    return map;
  }

  /** handleErr: a failure because the namespace is terminating is not retried. */
  *#reconcile(key: string): Proc<ReconcileResult | void> {
    try {
      return yield* this.#syncDeployment(key);
    } catch (e) {
      if (isNamespaceTerminating(e)) throw new TerminalError(errorMessage(e));
      throw e;
    }
  }

  *#syncDeployment(key: string): Proc<ReconcileResult | void> {
    const cached = this.#dInformer.get(key);
    if (cached === undefined) return;
    const d = writableCopy(cached);
    d.status ??= {};
    if (deepEqual(d.spec?.selector, {})) return yield* this.#selectingAll(d);
    const rsList = yield* this.#getReplicaSetsForDeployment(d);
    // Upstream lists the pods on every sync (getPodMapForDeployment), but only rolloutRecreate reads
    // them; the map is a pure read of the caches, taken at the same point, so it is built only for
    // a Recreate Deployment (the strategy of this copy cannot change during the sync).
    const podMap = d.spec?.strategy?.type === 'Recreate' ? this.#podMap(d, rsList) : undefined;
    if (d.metadata.deletionTimestamp !== undefined) return yield* this.#syncStatusOnly(d, rsList);
    yield* this.#checkPausedConditions(d);
    if (d.spec?.paused) return yield* this.#sync(d, rsList);
    if (yield* this.#isScalingEvent(d, rsList)) return yield* this.#sync(d, rsList);
    switch (d.spec?.strategy?.type) {
      case 'Recreate':
        return yield* this.#rolloutRecreate(d, rsList, podMap!);
      case 'RollingUpdate':
        return yield* this.#rolloutRolling(d, rsList);
    }
    throw new Error(`unexpected deployment strategy type: ${d.spec?.strategy?.type}`);
  }

  *#selectingAll(d: KubeObject): Proc<void> {
    this.#recorder.event(d, 'Warning', 'SelectingAll', 'This deployment is selecting all pods. A non-empty selector is required.');
    if (((d.status as DeploymentStatus).observedGeneration ?? 0) >= (d.metadata.generation ?? 0)) return;
    d.status.observedGeneration = d.metadata.generation;
    yield* this.#ignoreErrors(this.#ctx.client.updateStatus(DEPLOYMENTS, d));
  }

  /** getReplicaSetsForDeployment: ClaimReplicaSets over every ReplicaSet of the namespace. */
  *#getReplicaSetsForDeployment(d: KubeObject): Proc<KubeObject[]> {
    let selector: LabelSelector;
    try {
      selector = this.#selectors.parse(d.spec?.selector as StructuredLabelSelector | undefined);
    } catch (e) {
      throw new Error(`deployment ${d.metadata.namespace}/${d.metadata.name} has invalid label selector: ${errorMessage(e)}`);
    }
    const claim = yield* claimObjects({
      client: this.#ctx.client, owner: d, resource: REPLICASETS, ownerResource: DEPLOYMENTS, match: (rs) => selector.matches(rs.metadata.labels),
    }, this.#rsInformer.list(d.metadata.namespace));
    if (claim.errors.length > 0) throw aggregate(claim.errors);
    return claim.claimed;
  }

  *#checkPausedConditions(d: KubeObject): Proc<void> {
    if (!hasProgressDeadline(d)) return;
    const cond = getDeploymentCondition(d.status, PROGRESSING);
    if (cond?.reason === TIMED_OUT_REASON) return;
    const pausedCondExists = cond?.reason === PAUSED_DEPLOY_REASON;
    if (d.spec?.paused && !pausedCondExists) {
      setDeploymentCondition(d.status, newDeploymentCondition(PROGRESSING, 'Unknown', PAUSED_DEPLOY_REASON, 'Deployment is paused', this.#now()));
    } else if (!d.spec?.paused && pausedCondExists) {
      setDeploymentCondition(d.status, newDeploymentCondition(PROGRESSING, 'Unknown', RESUMED_DEPLOY_REASON, 'Deployment is resumed', this.#now()));
    } else {
      return;
    }
    yield* this.#ctx.client.updateStatus(DEPLOYMENTS, d);
  }

  *#isScalingEvent(d: KubeObject, rsList: KubeObject[]): Proc<boolean> {
    const { newRS, oldRSs } = yield* this.#getAllReplicaSetsAndSyncRevision(d, rsList, false);
    return filterActiveReplicaSets([...oldRSs, newRS]).some((rs) => {
      const desired = getDesiredReplicasAnnotation(rs);
      return desired !== undefined && desired !== specReplicas(d);
    });
  }

  /** sync: scaling (and cleanup while paused) without rolling out. */
  *#sync(d: KubeObject, rsList: KubeObject[]): Proc<void> {
    const { newRS, oldRSs } = yield* this.#getAllReplicaSetsAndSyncRevision(d, rsList, false);
    for (const step of planScale(d, newRS, oldRSs)) {
      if (step.operation === undefined) yield* this.#scaleAndRecordEvent(step.rs, step.replicas, d);
      else yield* this.#scaleReplicaSet(step.rs, step.replicas, d, step.operation);
    }
    if (d.spec?.paused) yield* this.#cleanupDeployment(oldRSs, d);
    yield* this.#syncDeploymentStatus([...oldRSs, newRS], newRS, d);
  }

  *#syncStatusOnly(d: KubeObject, rsList: KubeObject[]): Proc<void> {
    const { newRS, oldRSs } = yield* this.#getAllReplicaSetsAndSyncRevision(d, rsList, false);
    yield* this.#syncDeploymentStatus([...oldRSs, newRS], newRS, d);
  }

  *#rolloutRolling(d: KubeObject, rsList: KubeObject[]): Proc<ReconcileResult | void> {
    const { newRS, oldRSs } = yield* this.#getAllReplicaSetsAndSyncRevision(d, rsList, true);
    const allRSs = [...oldRSs, newRS];
    const next = planNewReplicaSet(allRSs, newRS!, d);
    if (next !== undefined && (yield* this.#scaleAndRecordEvent(newRS!, next, d)).scaled) return yield* this.#syncRolloutStatus(allRSs, newRS, d);
    if (yield* this.#reconcileOldReplicaSets(allRSs, filterActiveReplicaSets(oldRSs), newRS!, d)) return yield* this.#syncRolloutStatus(allRSs, newRS, d);
    if (deploymentComplete(d, d.status)) yield* this.#cleanupDeployment(oldRSs, d);
    return yield* this.#syncRolloutStatus(allRSs, newRS, d);
  }

  /** reconcileOldReplicaSets: apply the plan; a failed write ends it quietly (upstream returns false, nil). */
  *#reconcileOldReplicaSets(allRSs: (KubeObject | undefined)[], oldRSs: KubeObject[], newRS: KubeObject, d: KubeObject): Proc<boolean> {
    const plan = planOldReplicaSets(allRSs, oldRSs, newRS, d);
    if (plan === undefined) return false;
    const latest = new Map<string, KubeObject>();
    if (!(yield* this.#applyScaleSteps(plan.cleanup.steps, d, latest)) || plan.cleanup.error) return false;
    if (!(yield* this.#applyScaleSteps(plan.scaleDown.steps, d, latest)) || plan.scaleDown.error) return false;
    return plan.cleanup.scaledDown + plan.scaleDown.scaledDown > 0;
  }

  /** Scales each step's ReplicaSet (its latest copy, when an earlier step wrote it); false at the first failure. */
  *#applyScaleSteps(steps: readonly ScaleStep[], d: KubeObject, latest: Map<string, KubeObject>): Proc<boolean> {
    for (const step of steps) {
      try {
        const { rs } = yield* this.#scaleAndRecordEvent(latest.get(step.rs.metadata.uid!) ?? step.rs, step.replicas, d);
        latest.set(rs.metadata.uid!, rs);
      } catch (e) {
        if (isModelBug(e)) throw e;
        return false;
      }
    }
    return true;
  }

  *#rolloutRecreate(d: KubeObject, rsList: KubeObject[], podMap: Map<string, KubeObject[]>): Proc<ReconcileResult | void> {
    let { newRS, oldRSs } = yield* this.#getAllReplicaSetsAndSyncRevision(d, rsList, false);
    let allRSs = [...oldRSs, newRS];
    let scaledDown = false;
    for (const rs of filterActiveReplicaSets(oldRSs)) {
      if ((yield* this.#scaleAndRecordEvent(rs, 0, d)).scaled) scaledDown = true;
    }
    if (scaledDown || oldPodsRunning(newRS, oldRSs, podMap)) return yield* this.#syncRolloutStatus(allRSs, newRS, d);
    if (newRS === undefined) {
      ({ newRS, oldRSs } = yield* this.#getAllReplicaSetsAndSyncRevision(d, rsList, true));
      allRSs = [...oldRSs, newRS];
    }
    yield* this.#scaleAndRecordEvent(newRS!, specReplicas(d), d);
    if (deploymentComplete(d, d.status)) yield* this.#cleanupDeployment(oldRSs, d);
    return yield* this.#syncRolloutStatus(allRSs, newRS, d);
  }

  /** getAllReplicaSetsAndSyncRevision: the new ReplicaSet (created if asked) and all the old ones. */
  *#getAllReplicaSetsAndSyncRevision(d: KubeObject, rsList: KubeObject[], createIfNotExisted: boolean): Proc<AllReplicaSets> {
    // FindOldReplicaSets and FindNewReplicaSet each sort the list and look for the new one; the
    // list is sorted and searched once here, with the same result (the sort is stable).
    const sorted = [...rsList].sort(byCreationTimestamp);
    const existing = findNewInSorted(d, sorted, this.#templates.equalIgnoreHash);
    const oldRSs = sorted.filter((rs) => existing === undefined || rs.metadata.uid !== existing.metadata.uid);
    const newRS = yield* this.#getNewReplicaSet(d, existing, oldRSs, createIfNotExisted);
    return { newRS, oldRSs };
  }

  /** getNewReplicaSet, given FindNewReplicaSet's answer (`existing`). */
  *#getNewReplicaSet(d: KubeObject, existing: KubeObject | undefined, oldRSs: KubeObject[], createIfNotExisted: boolean): Proc<KubeObject | undefined> {
    const newRevision = String(maxRevision(oldRSs) + 1);
    if (existing === undefined) return createIfNotExisted ? yield* this.#createNewReplicaSet(d, oldRSs, newRevision) : undefined;
    const rsCopy = writableCopy(existing);
    const annotationsUpdated = setNewReplicaSetAnnotations(d, rsCopy, newRevision, true);
    const minReadySeconds = (d.spec?.minReadySeconds as number | undefined) ?? 0;
    if (annotationsUpdated || ((rsCopy.spec?.minReadySeconds as number | undefined) ?? 0) !== minReadySeconds) {
      setMinReadySeconds(rsCopy, minReadySeconds);
      return yield* this.#ctx.client.update(REPLICASETS, rsCopy);
    }
    let needsUpdate = setDeploymentRevision(d, rsCopy.metadata.annotations?.[REVISION_ANNOTATION] ?? '');
    if (hasProgressDeadline(d) && getDeploymentCondition(d.status, PROGRESSING) === undefined) {
      const msg = `Found new replica set ${JSON.stringify(rsCopy.metadata.name)}`;
      setDeploymentCondition(d.status, newDeploymentCondition(PROGRESSING, 'True', FOUND_NEW_RS_REASON, msg, this.#now()));
      needsUpdate = true;
    }
    if (needsUpdate) yield* this.#ctx.client.updateStatus(DEPLOYMENTS, d);
    return rsCopy;
  }

  /** The ReplicaSet getNewReplicaSet creates: named after the template hash, sized by NewRSNewReplicas. */
  #buildNewReplicaSet(d: KubeObject, oldRSs: KubeObject[], newRevision: string): KubeObject {
    const template = deepCopy(d.spec.template ?? {});
    const hash = computeHash(d.spec.template, (d.status as DeploymentStatus).collisionCount);
    template.metadata = { ...(template.metadata ?? {}), labels: { ...(template.metadata?.labels ?? {}), [POD_TEMPLATE_HASH_LABEL]: hash } };
    const selector = deepCopy(d.spec.selector ?? {});
    selector.matchLabels = { ...(selector.matchLabels ?? {}), [POD_TEMPLATE_HASH_LABEL]: hash };
    const newRS: KubeObject = {
      apiVersion: 'apps/v1', kind: 'ReplicaSet',
      metadata: { name: `${d.metadata.name}-${hash}`, namespace: d.metadata.namespace, ownerReferences: [newControllerRef(d)], labels: { ...template.metadata.labels } },
      spec: { replicas: 0, selector, template },
    };
    setMinReadySeconds(newRS, (d.spec?.minReadySeconds as number | undefined) ?? 0);
    newRS.spec.replicas = newRSNewReplicas(d, [...oldRSs, newRS], newRS);
    setNewReplicaSetAnnotations(d, newRS, newRevision, false);
    return newRS;
  }

  *#createNewReplicaSet(d: KubeObject, oldRSs: KubeObject[], newRevision: string): Proc<KubeObject> {
    const newRS = this.#buildNewReplicaSet(d, oldRSs, newRevision);
    let created: KubeObject;
    let alreadyExists = false;
    try {
      created = yield* this.#ctx.client.create(REPLICASETS, newRS);
    } catch (e) {
      if (!isAlreadyExists(e)) return yield* this.#failedCreate(d, newRS, e);
      alreadyExists = true;
      created = yield* this.#existingOrCollision(d, newRS, e);
    }
    const replicas = specReplicas(newRS);
    if (!alreadyExists && replicas > 0) this.#recorder.event(d, 'Normal', 'ScalingReplicaSet', `Scaled up replica set ${created.metadata.name} to ${replicas}`);
    let needsUpdate = setDeploymentRevision(d, newRevision);
    if (!alreadyExists && hasProgressDeadline(d)) {
      const msg = `Created new replica set ${JSON.stringify(created.metadata.name)}`;
      setDeploymentCondition(d.status, newDeploymentCondition(PROGRESSING, 'True', NEW_REPLICA_SET_REASON, msg, this.#now()));
      needsUpdate = true;
    }
    if (needsUpdate) yield* this.#ctx.client.updateStatus(DEPLOYMENTS, d);
    return created;
  }

  /** The name is taken: ours (a slow cache) when we control it with the same template, else a hash collision. */
  *#existingOrCollision(d: KubeObject, newRS: KubeObject, error: unknown): Proc<KubeObject> {
    const rs = this.#rsInformer.get(objectKey(newRS));
    if (rs === undefined) throw new Error(`replicaset.apps ${JSON.stringify(newRS.metadata.name)} not found`);
    if (controllerOf(rs)?.uid === d.metadata.uid && equalIgnoreHash(d.spec.template, rs.spec?.template)) return rs;
    const status = d.status as DeploymentStatus;
    status.collisionCount = (status.collisionCount ?? 0) + 1;
    yield* this.#ignoreErrors(this.#ctx.client.updateStatus(DEPLOYMENTS, d));
    throw error;
  }

  *#failedCreate(d: KubeObject, newRS: KubeObject, error: unknown): Proc<never> {
    if (isNamespaceTerminating(error)) throw error;
    const msg = `Failed to create new replica set ${JSON.stringify(newRS.metadata.name)}: ${errorMessage(error)}`;
    if (hasProgressDeadline(d)) {
      setDeploymentCondition(d.status, newDeploymentCondition(PROGRESSING, 'False', FAILED_RS_CREATE_REASON, msg, this.#now()));
      yield* this.#ignoreErrors(this.#ctx.client.updateStatus(DEPLOYMENTS, d));
    }
    this.#recorder.event(d, 'Warning', FAILED_RS_CREATE_REASON, msg);
    throw error;
  }

  *#scaleAndRecordEvent(rs: KubeObject, newScale: number, d: KubeObject): Proc<Scaled> {
    if (specReplicas(rs) === newScale) return { scaled: false, rs };
    return yield* this.#scaleReplicaSet(rs, newScale, d, specReplicas(rs) < newScale ? 'up' : 'down');
  }

  /** scaleReplicaSet: writes the size and the replicas annotations when either is out of date. */
  *#scaleReplicaSet(rs: KubeObject, newScale: number, d: KubeObject, operation: string): Proc<Scaled> {
    const sizeNeedsUpdate = specReplicas(rs) !== newScale;
    const [desired, max] = [specReplicas(d), specReplicas(d) + maxSurge(d)];
    if (!sizeNeedsUpdate && !replicasAnnotationsNeedUpdate(rs, desired, max)) return { scaled: false, rs };
    const oldScale = specReplicas(rs);
    // Only spec.replicas and the annotations change: the copy shares the frozen pod template.
    const rsCopy = writableCopy(rs);
    rsCopy.spec.replicas = newScale;
    setReplicasAnnotations(rsCopy, desired, max);
    const updated = yield* this.#ctx.client.update(REPLICASETS, rsCopy);
    if (sizeNeedsUpdate) {
      this.#recorder.event(d, 'Normal', 'ScalingReplicaSet', `Scaled ${operation} replica set ${updated.metadata.name} to ${newScale} from ${oldScale}`);
    }
    return { scaled: sizeNeedsUpdate, rs: updated };
  }

  /** cleanupDeployment: delete old revisions beyond revisionHistoryLimit. */
  *#cleanupDeployment(oldRSs: KubeObject[], d: KubeObject): Proc<void> {
    for (const rs of replicaSetsToCleanUp(oldRSs, d)) {
      try {
        yield* this.#ctx.client.delete(REPLICASETS, rs.metadata.name!, { namespace: rs.metadata.namespace });
      } catch (e) {
        if (!isNotFound(e)) throw e;
      }
    }
  }

  *#syncDeploymentStatus(allRSs: (KubeObject | undefined)[], newRS: KubeObject | undefined, d: KubeObject): Proc<void> {
    const newStatus = calculateDeploymentStatus(allRSs, newRS, d, this.#now());
    if (sameDeploymentStatus(d.status, newStatus)) return;
    d.status = newStatus;
    yield* this.#ctx.client.updateStatus(DEPLOYMENTS, d);
  }

  /** syncRolloutStatus: write the status, or, when it is unchanged, come back at the progress deadline. */
  *#syncRolloutStatus(allRSs: (KubeObject | undefined)[], newRS: KubeObject | undefined, d: KubeObject): Proc<ReconcileResult | void> {
    const newStatus = computeRolloutStatus(allRSs, newRS, d, this.#now());
    if (!sameDeploymentStatus(d.status, newStatus)) {
      d.status = newStatus;
      yield* this.#ctx.client.updateStatus(DEPLOYMENTS, d);
      return;
    }
    const afterMs = requeueStuckDeploymentMs(d, newStatus, this.#now());
    if (afterMs === 0) this.controller.queue.addRateLimited(objectKey(d));
    // Upstream adds a second to avoid skew (kubernetes#39785).
    else if (afterMs > 0) return { requeueAfterMs: afterMs + 1000 };
  }

  *#ignoreErrors(call: Proc<unknown>): Proc<void> {
    try {
      yield* call;
    } catch (e) {
      if (isModelBug(e)) throw e;
    }
  }
}

/**
 * The copy a sync works on, where upstream takes a DeepCopy: fresh metadata, annotations, spec and
 * status (deep) objects, the parts this controller writes (revision and replicas annotations,
 * spec.minReadySeconds, the status); the rest (labels, owner references, the pod template, the
 * selector) is shared with the informer's object. Stored objects are deep-frozen, so a write to a
 * shared part throws instead of corrupting the cache; the pod template of a Deployment is by far
 * its largest part and is never written here (getNewReplicaSet copies it for a new ReplicaSet).
 */
function writableCopy(obj: KubeObject): KubeObject {
  const copy: KubeObject = { ...obj, metadata: { ...obj.metadata } };
  if (obj.metadata.annotations !== undefined) copy.metadata.annotations = { ...obj.metadata.annotations };
  if (obj.spec !== undefined) copy.spec = { ...obj.spec };
  if (obj.status !== undefined) copy.status = deepCopy(obj.status);
  return copy;
}

function setMinReadySeconds(rs: KubeObject, seconds: number): void {
  if (seconds > 0) rs.spec.minReadySeconds = seconds;
  else delete rs.spec.minReadySeconds;
}

/** oldPodsRunning: old ReplicaSets report pods, or some pod of theirs is not terminal yet. */
export function oldPodsRunning(newRS: KubeObject | undefined, oldRSs: readonly KubeObject[], podMap: ReadonlyMap<string, readonly KubeObject[]>): boolean {
  if (getActualReplicaCountForReplicaSets(oldRSs) > 0) return true;
  for (const [uid, pods] of podMap) {
    if (newRS !== undefined && newRS.metadata.uid === uid) continue;
    if (pods.some((pod) => pod.status?.phase !== 'Failed' && pod.status?.phase !== 'Succeeded')) return true;
  }
  return false;
}
