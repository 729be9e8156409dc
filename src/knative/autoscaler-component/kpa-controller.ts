// The KPA controller's wiring (knative/serving pkg/reconciler/autoscaling/kpa/controller.go
// NewController): a controller over PodAutoscalers of class kpa.autoscaling.knative.dev, triggered
// by changes to those PAs, to the SKSs and Metrics they control, to the pods of their revision (by
// the revision label), by the multiscaler's "decision changed" callback, by its own delayed
// re-enqueues, and by a global resync whenever config-autoscaler or config-deployment is stored.
// Two workers, as knative.dev/pkg controller's DefaultThreadsPerController.

import type { KubeObject } from '../../apiserver/types.js';
import type { ComponentContext } from '../../client/component.js';
import type { Controller } from '../../client/controller.js';
import { objectKey, type Informer } from '../../client/informer.js';
import { PODAUTOSCALERS } from '../apis/resources.js';
import { LABELS } from '../apis/serving-labels.js';
import { ANNOTATIONS } from '../autoscaler/annotation-keys.js';
import { AUTOSCALING_LIMITS } from '../config/autoscaling-limits.js';
import { generatedReconciler } from '../reconciler/generated-reconciler.js';
import { paConditionSet, reconcileKpa, type KpaReconcilerDeps } from './kpa-reconciler.js';

export const CONTROLLER_WORKERS = 2;

/** AnnotationFilterFunc(class, KPA, allowUnset=false). */
export function isKpaClass(obj: KubeObject): boolean {
  return obj.metadata.annotations?.[ANNOTATIONS.class[0]] === AUTOSCALING_LIMITS.kpaClass;
}

/** FilterController(&PodAutoscaler{}) + EnqueueControllerOf: the controlling PA's key. */
function controllingPaKey(obj: KubeObject): string | undefined {
  const ref = obj.metadata.ownerReferences?.find((r) => r.controller === true);
  if (ref === undefined || ref.kind !== 'PodAutoscaler' || !ref.apiVersion.startsWith('autoscaling.internal.knative.dev/')) return undefined;
  return `${obj.metadata.namespace}/${ref.name}`;
}

export interface KpaControllerOptions {
  deps: KpaReconcilerDeps;
  paLister: Informer;
  metricLister: Informer;
  shouldReconcile: () => boolean;
}

/** Builds the controller and its triggers; returns it with the global resync (FilteredGlobalResync). */
export function startKpaController(ctx: ComponentContext, options: KpaControllerOptions): { controller: Controller; globalResync: () => void } {
  const { deps, paLister } = options;
  const controller = ctx.controller({
    name: 'kpa',
    workers: CONTROLLER_WORKERS,
    shouldReconcile: options.shouldReconcile,
    reconcile: generatedReconciler(ctx, {
      retryJitterLabel: 'autoscaler/retry-jitter',
      resource: PODAUTOSCALERS,
      lister: paLister,
      conditionSet: paConditionSet(deps.profile),
      classValue: AUTOSCALING_LIMITS.kpaClass,
      reconcileKind: (pa, conditions) => reconcileKpa(deps, pa, conditions),
      observeDeletion: (namespace, name) => deps.deciders.delete(namespace, name),
    }),
  });
  const enqueuePa = (pa: KubeObject): void => {
    if (isKpaClass(pa)) controller.enqueue(objectKey(pa));
  };
  paLister.addHandler({ add: enqueuePa, update: (_old, pa) => enqueuePa(pa), delete: enqueuePa });
  const enqueueOwner = (obj: KubeObject): void => {
    const key = isKpaClass(obj) ? controllingPaKey(obj) : undefined;
    if (key !== undefined) controller.enqueue(key);
  };
  for (const informer of [deps.sksLister, options.metricLister]) {
    informer.addHandler({ add: enqueueOwner, update: (_old, obj) => enqueueOwner(obj), delete: enqueueOwner });
  }
  const enqueueRevision = (pod: KubeObject): void => {
    const revision = pod.metadata.labels?.[LABELS.revision];
    if (revision !== undefined) controller.enqueue(`${pod.metadata.namespace}/${revision}`);
  };
  deps.pods.informer.addHandler({ add: enqueueRevision, update: (_old, pod) => enqueueRevision(pod), delete: enqueueRevision });
  deps.deciders.watch((key) => controller.enqueue(key));
  const globalResync = (): void => {
    if (controller.queue.shuttingDown) return;
    for (const pa of paLister.list()) enqueuePa(pa);
  };
  return { controller, globalResync };
}
