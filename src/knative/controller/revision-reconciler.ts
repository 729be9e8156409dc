// The Revision reconciler (knative/serving pkg/reconciler/revision/revision.go,
// reconcile_resources.go, cruds.go, controller.go). In order: digests (digest-resolution.ts: each
// container's imageDigest is its image; before v0.18 the worker waits for the registry), the Deployment (create; keep its shape by the
// deployment-hash label, preserving replicas and selector; propagate its status; inspect failing
// pods; ContainerHealthy once a replica is ready), then the PodAutoscaler (create with the
// class annotation from config-autoscaler; propagate its status; keep its spec and autoscaling
// annotations in line with the Revision, including the reachability). The PA phase reads the
// Deployment from the cache and fails (requeue) until the cache has it. Image caches are not
// modelled. It is enqueued by its Revisions and by the Deployments and PAs they control;
// config-deployment, config-defaults and config-network changes resync every Revision.

import { deepCopy } from '../../apiserver/deep-copy.js';
import { notFound } from '../../apiserver/api-error.js';
import type { KubeObject } from '../../apiserver/types.js';
import { objectKey, type Informer } from '../../client/informer.js';
import { DEPLOYMENTS } from '../../kube/resources.js';
import type { ChoiceSource } from '../../sim/chooser.js';
import type { Proc } from '../../sim/process.js';
import type { ConditionManager } from '../apis/condition-set.js';
import { PODAUTOSCALERS, REVISIONS } from '../apis/resources.js';
import { DEPLOYMENT_CONFIG_NAME } from '../config/deployment-config.js';
import { DEFAULTS_CONFIG_NAME } from './defaults-config.js';
import { conditionsOf } from '../reconciler/generated-reconciler.js';
import { NETWORK_CONFIG_NAME } from './network-config.js';
import { controllerKey, isControlledBy } from './owner-refs.js';
import { reconcileDigest } from './digest-resolution.js';
import { DeploymentHashMemo } from './deployment-hash-memo.js';
import { cached, startReconciler, type ReconcilerHost, type StartedReconciler } from './reconciler-host.js';
import { inspectFailingPods } from './revision-deployment-check.js';
import { DEPLOYMENT_HASH_LABEL, makeDeployment, type RevisionConfigs } from './revision-deployment.js';
import { deploymentName, paName, podAutoscalerAnnotations } from './revision-meta.js';
import { makePA, makePASpec } from './revision-pa.js';
import { propagateAutoscalerStatus, propagateDeploymentStatus } from './revision-status.js';
import { semanticEqual } from './semantic-equal.js';
import { REVISION_CONDITIONS } from './serving-conditions.js';
import { defaultRevisionSpec } from './webhook-defaults.js';

const AUTOSCALING_GROUP = 'autoscaling.knative.dev';
const CLASS_ANNOTATION = 'autoscaling.knative.dev/class';
const DEFAULTED_KPA_ANNOTATIONS = new Set([CLASS_ANNOTATION, 'autoscaling.knative.dev/metric']);

/** mergeMetadata: Knative's keys (app, *knative.dev/*) from `desired`, everybody else's from `current`. */
function mergeMetadata(desired: Record<string, string> | undefined, current: Record<string, string> | undefined): Record<string, string> {
  const out = { ...(desired ?? {}) };
  for (const [k, v] of Object.entries(current ?? {})) if (k !== 'app' && !k.includes('knative.dev/')) out[k] = v;
  return out;
}

/** annotationsNeedReconcilingForKPA. */
function annotationsNeedReconciling(have: Record<string, string>, want: Record<string, string>): boolean {
  for (const k of Object.keys(have)) {
    if (k.startsWith(AUTOSCALING_GROUP) && !DEFAULTED_KPA_ANNOTATIONS.has(k) && !Object.hasOwn(want, k)) return true;
  }
  for (const [k, v] of Object.entries(want)) {
    if (!Object.hasOwn(have, k)) {
      if (!DEFAULTED_KPA_ANNOTATIONS.has(k)) return true;
    } else if (have[k] !== v) return true;
  }
  return false;
}

/** syncAnnotationsForKPA. */
function syncAnnotations(have: Record<string, string>, want: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(have)) if (!k.startsWith(AUTOSCALING_GROUP) || DEFAULTED_KPA_ANNOTATIONS.has(k)) out[k] = v;
  return { ...out, ...want };
}

/** The reconciler's phases (revision.go ReconcileKind, reconcile_resources.go, cruds.go). */
class RevisionReconciler {
  readonly #host: ReconcilerHost;
  readonly deployments: Informer;
  readonly pas: Informer;
  readonly #digestDelays: ChoiceSource;
  /** The desired Deployment's hash per Revision key, while what it is made from is unchanged. */
  readonly #hashes = new DeploymentHashMemo();

  constructor(host: ReconcilerHost) {
    this.#host = host;
    this.#digestDelays = host.ctx.sim.choices('controller/registry-resolve');
    this.deployments = host.ctx.informer(DEPLOYMENTS);
    this.pas = host.ctx.informer(PODAUTOSCALERS);
  }

  *reconcileKind(rev: KubeObject): Proc<void> {
    const { autoscaler, deployment, defaults, network } = this.#host.configs.current;
    const cfg: RevisionConfigs = { autoscaler, deployment, defaults, network };
    yield* reconcileDigest(rev, { profile: this.#host.profile, delays: this.#digestDelays });
    yield* this.#reconcileDeployment(rev, cfg);
    yield* this.#reconcilePA(rev, cfg);
  }

  /** The Revision is gone: its remembered hash with it. */
  forget(rev: KubeObject): void {
    this.#hashes.forget(objectKey(rev));
  }

  #conditions(rev: KubeObject): ConditionManager {
    return conditionsOf(this.#host.ctx.sim, REVISION_CONDITIONS, rev);
  }

  *#checkAndUpdateDeployment(rev: KubeObject, have: KubeObject, cfg: RevisionConfigs): Proc<KubeObject> {
    const { profile } = this.#host;
    const key = objectKey(rev);
    const haveHash = have.metadata.labels?.[DEPLOYMENT_HASH_LABEL];
    // The desired Deployment is built only when its hash may differ from the existing one's.
    const known = this.#hashes.lookup(key, rev, cfg, profile);
    if (known !== undefined && known === haveHash) return have;
    const want = makeDeployment(rev, cfg, profile);
    this.#hashes.remember(key, rev, cfg, profile, want.metadata.labels?.[DEPLOYMENT_HASH_LABEL]);
    if (haveHash === want.metadata.labels?.[DEPLOYMENT_HASH_LABEL]) return have;
    want.spec.replicas = have.spec?.replicas;
    want.spec.selector = have.spec?.selector;
    const next = deepCopy(have);
    next.spec = want.spec;
    next.metadata.labels = mergeMetadata(want.metadata.labels, have.metadata.labels);
    next.metadata.annotations = mergeMetadata(want.metadata.annotations, have.metadata.annotations);
    next.spec.template.metadata.labels = mergeMetadata(want.spec.template.metadata.labels, have.spec?.template?.metadata?.labels);
    next.spec.template.metadata.annotations = mergeMetadata(want.spec.template.metadata.annotations, have.spec?.template?.metadata?.annotations);
    return yield* this.#host.ctx.client.update(DEPLOYMENTS, next);
  }

  *#reconcileDeployment(rev: KubeObject, cfg: RevisionConfigs): Proc<void> {
    const name = deploymentName(rev);
    const existing = cached(this.deployments, rev.metadata.namespace, name);
    if (existing === undefined) {
      this.#conditions(rev).markUnknown('ResourcesAvailable', 'Deploying', '');
      this.#conditions(rev).markUnknown('ContainerHealthy', 'Deploying', '');
      yield* this.#host.ctx.client.create(DEPLOYMENTS, makeDeployment(rev, cfg, this.#host.profile));
      return;
    }
    if (!isControlledBy(existing, rev)) {
      this.#conditions(rev).markFalse('ResourcesAvailable', 'NotOwned', `There is an existing Deployment "${name}" that we do not own.`);
      throw new Error(`revision: "${rev.metadata.name}" does not own Deployment: "${name}"`);
    }
    const deployment = yield* this.#checkAndUpdateDeployment(rev, existing, cfg);
    // Before fix #14795 (1760f08360, reconcile_resources.go) the Deployment's status reached the
    // Revision only while the Revision was active (!IsActivationRequired: Active absent or True).
    const active = this.#conditions(rev).get('Active')?.status;
    if (this.#host.profile.has('pr-14795') || active === undefined || active === 'True') {
      propagateDeploymentStatus(this.#conditions(rev), deployment, this.#host.ctx.sim.nowMs);
    }
    if ((deployment.spec?.replicas ?? 0) > 0 && (deployment.status?.availableReplicas ?? 0) === 0) {
      const m = (): ConditionManager => this.#conditions(rev);
      yield* inspectFailingPods({ client: this.#host.ctx.client, m, deployment, podIsAlwaysSchedulable: cfg.deployment.podIsAlwaysSchedulable });
    }
    // #15503 (460e0b3926, 1.17; backported to 1.16.1): a Deployment with a ready replica marks the
    // Revision ContainerHealthy again (before, only the PA's status did).
    if (this.#host.profile.has('pr-15503') && (deployment.status?.readyReplicas ?? 0) > 0) this.#conditions(rev).markTrue('ContainerHealthy');
  }

  *#reconcilePA(rev: KubeObject, cfg: RevisionConfigs): Proc<void> {
    const { client } = this.#host.ctx;
    const deployment = cached(this.deployments, rev.metadata.namespace, deploymentName(rev));
    if (deployment === undefined) throw notFound({ group: 'apps', resource: 'deployments' }, deploymentName(rev));
    const name = paName(rev);
    let pa = cached(this.pas, rev.metadata.namespace, name);
    if (pa === undefined) {
      const fresh = makePA(rev, deployment, this.#host.profile);
      const annotations = (fresh.metadata.annotations ??= {});
      if (annotations[CLASS_ANNOTATION] === undefined && cfg.autoscaler.podAutoscalerClass !== '') annotations[CLASS_ANNOTATION] = cfg.autoscaler.podAutoscalerClass;
      pa = yield* client.create(PODAUTOSCALERS, fresh);
    } else if (!isControlledBy(pa, rev)) {
      this.#conditions(rev).markFalse('ResourcesAvailable', 'NotOwned', `There is an existing PodAutoscaler "${name}" that we do not own.`);
      throw new Error(`revision: "${rev.metadata.name}" does not own PodAutoscaler: "${name}"`);
    }
    // Through 1.20 (reconcile_resources.go at knative-v1.20.0) the PA's spec, reachability included,
    // is made from the Revision's status as the previous reconcile left it, and the PA's status is
    // propagated afterwards (#16186, in 1.21, swapped the two).
    // Only MakePA's spec and annotations are compared: the rest of the template is not built.
    const spec = makePASpec(rev, deployment, this.#host.profile);
    const annotations = podAutoscalerAnnotations(rev);
    const haveAnnotations = pa.metadata.annotations ?? {};
    if (!semanticEqual(spec, pa.spec) || annotationsNeedReconciling(haveAnnotations, annotations)) {
      // The lister's (frozen) PA with new metadata, annotations and spec: the API server copies its input.
      const want: KubeObject = { ...pa, metadata: { ...pa.metadata, annotations: syncAnnotations(haveAnnotations, annotations) }, spec };
      pa = yield* client.update(PODAUTOSCALERS, want);
    }
    propagateAutoscalerStatus(rev, this.#conditions(rev), pa, this.#host.profile);
  }
}

export function setupRevisionController(host: ReconcilerHost): StartedReconciler {
  const reconciler = new RevisionReconciler(host);
  const started = startReconciler(host, {
    reconcilerPackage: 'revision',
    resource: REVISIONS,
    conditions: REVISION_CONDITIONS,
    setDefaults: (rev) => defaultRevisionSpec((rev.spec ??= {}), host.configs.current.defaults, ''),
    reconcileKind: (rev) => reconciler.reconcileKind(rev),
  });
  const enqueueOwner = (obj: KubeObject): void => {
    const key = controllerKey(obj, 'serving.knative.dev', 'Revision');
    if (key !== undefined) started.queue.enqueue(key);
  };
  started.informer.addHandler({ delete: (rev) => reconciler.forget(rev) });
  for (const informer of [reconciler.deployments, reconciler.pas]) informer.addHandler({ add: enqueueOwner, update: (_o, n) => enqueueOwner(n), delete: enqueueOwner });
  host.configs.onChange([DEPLOYMENT_CONFIG_NAME, DEFAULTS_CONFIG_NAME, NETWORK_CONFIG_NAME], () => started.queue.globalResync());
  return started;
}
