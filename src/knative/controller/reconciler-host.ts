// What every reconciler of the controller deployment is built from: the component it runs in, the
// shared ConfigMap store, the candidate identity for its Lease; and `startReconciler`, which wires
// one upstream reconciler the way its generated controller does: an informer on its kind whose
// every event enqueues the object, the generated reconcile loop (reconciler/generated-reconciler.ts)
// and a leader-elected work queue of its own (leader-aware-controller.ts).

import type { KubeObject, ResourceId } from '../../apiserver/types.js';
import type { ComponentContext } from '../../client/component.js';
import { objectKey, type Informer } from '../../client/informer.js';
import type { Proc } from '../../sim/process.js';
import type { ConditionSetSpec } from '../apis/condition-set.js';
import type { ServingSystem } from '../serving-system.js';
import type { KnativeProfile } from '../versions.js';
import { generatedReconciler, type KindFinalizer } from '../reconciler/generated-reconciler.js';
import { knativeLeaseName, LeaderAwareController } from './leader-aware-controller.js';
import type { ServingConfigStore } from './serving-config-store.js';

export interface ReconcilerHost {
  ctx: ComponentContext;
  configs: ServingConfigStore;
  /** The installation this controller belongs to. */
  system: ServingSystem;
  /** The release this controller process runs (its image's), which says which upstream fixes are in. */
  profile: KnativeProfile;
  /** Leader-election identity (the pod name). */
  identity: string;
  /** Lease prefix: the deployment's name, `controller`. */
  component: string;
}

export interface ReconcilerSpec {
  /** The Go package of the upstream reconciler under pkg/reconciler (names the queue and the Lease). */
  reconcilerPackage: string;
  resource: ResourceId;
  conditions?: ConditionSetSpec;
  setDefaults?: (obj: KubeObject) => void;
  reconcileKind(obj: KubeObject): Proc<void>;
  finalizer?: KindFinalizer;
}

export interface StartedReconciler {
  queue: LeaderAwareController;
  informer: Informer;
}

export function startReconciler(host: ReconcilerHost, spec: ReconcilerSpec): StartedReconciler {
  const { ctx } = host;
  const informer = ctx.informer(spec.resource);
  const reconcile = generatedReconciler(ctx, {
    retryJitterLabel: 'controller/retry-jitter',
    resource: spec.resource,
    lister: informer,
    conditionSet: spec.conditions,
    setDefaults: spec.setDefaults,
    reconcileKind: (obj) => spec.reconcileKind(obj),
    finalizer: spec.finalizer,
  });
  const queue = new LeaderAwareController(ctx, {
    name: spec.reconcilerPackage,
    leaseName: knativeLeaseName(host.component, spec.reconcilerPackage),
    identity: host.identity,
    optimisticRenew: host.profile.has('pr-15462'),
    reconcile,
    keys: () => informer.keys(),
  });
  const enqueue = (obj: KubeObject): void => queue.enqueue(objectKey(obj));
  informer.addHandler({ add: enqueue, update: (_old, obj) => enqueue(obj), delete: enqueue });
  return { queue, informer };
}

/** The cached object at `namespace/name`, or undefined. */
export function cached(informer: Informer, namespace: string | undefined, name: string): KubeObject | undefined {
  return informer.get(namespace ? `${namespace}/${name}` : name);
}
