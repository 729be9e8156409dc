// The PA-owned children of the autoscaling reconcilers (knative/serving
// pkg/reconciler/autoscaling/reconciler.go Base.ReconcileSKS / ReconcileMetric, with the builders
// of pkg/reconciler/autoscaling/resources/sks.go MakeSKS and metric.go MakeMetric):
// - missing: create it from the template (ReconcileSKS then returns the template itself, whose
//   status is still empty);
// - present but not controlled by the PA: the PA goes Inactive (NotOwned) and the reconcile fails;
// - present with another spec: update the spec of the lister's copy.
// The SKS copies the PA's labels and its annotations minus the metric annotation; the Metric copies
// both; both carry the PA as controlling owner. Metric windows are time.Duration nanoseconds.

import { deepCopy, deepEqual } from '../../apiserver/deep-copy.js';
import type { KubeObject } from '../../apiserver/types.js';
import type { ComponentContext } from '../../client/component.js';
import type { Informer } from '../../client/informer.js';
import type { Proc } from '../../sim/process.js';
import { METRICS as METRIC_RESOURCES, SERVERLESSSERVICES } from '../apis/resources.js';
import { ANNOTATIONS } from '../autoscaler/annotation-keys.js';
import { makeMetricSpec } from '../autoscaler/metric-spec.js';
import type { AutoscalerConfig } from '../config/autoscaler-config.js';
import type { SksMode } from '../kpa/pa-types.js';
import type { ManageConditions } from '../reconciler/generated-reconciler.js';
import { isControlledBy } from '../controller/owner-refs.js';
import { paViewOf } from './pa-view.js';

const PA_API_VERSION = 'autoscaling.internal.knative.dev/v1alpha1';

function controllerRef(pa: KubeObject): Record<string, unknown> {
  return { apiVersion: PA_API_VERSION, kind: 'PodAutoscaler', name: pa.metadata.name, uid: pa.metadata.uid, controller: true, blockOwnerDeletion: true };
}

/** MakeSKS's spec: all an existing SKS is compared on. */
function sksSpec(pa: KubeObject, mode: SksMode, numActivators: number): Record<string, unknown> {
  return { mode, objectRef: deepCopy(pa.spec?.scaleTargetRef), protocolType: pa.spec?.protocolType, numActivators };
}

/** MakeSKS around its spec (built apart: only a missing SKS needs the rest, the copied labels and annotations). */
function makeSks(pa: KubeObject, spec: Record<string, unknown>): KubeObject {
  const annotations = { ...(pa.metadata.annotations ?? {}) };
  delete annotations[ANNOTATIONS.metric[0]];
  return {
    apiVersion: 'networking.internal.knative.dev/v1alpha1',
    kind: 'ServerlessService',
    metadata: {
      name: pa.metadata.name, namespace: pa.metadata.namespace, labels: { ...(pa.metadata.labels ?? {}) }, annotations,
      ownerReferences: [controllerRef(pa) as never],
    },
    spec,
  };
}

/** MakeMetric's spec: all an existing Metric is compared on. */
function metricSpec(pa: KubeObject, metricServiceName: string, config: Readonly<AutoscalerConfig>): Record<string, unknown> {
  const spec = makeMetricSpec(paViewOf(pa), config, { scrapeTarget: metricServiceName });
  return { stableWindow: spec.stableWindowMs * 1e6, panicWindow: spec.panicWindowMs * 1e6, scrapeTarget: spec.scrapeTarget };
}

/** MakeMetric around its spec (built apart, as for the SKS). */
function makeMetric(pa: KubeObject, spec: Record<string, unknown>): KubeObject {
  return {
    apiVersion: PA_API_VERSION,
    kind: 'Metric',
    metadata: {
      name: pa.metadata.name, namespace: pa.metadata.namespace, labels: { ...(pa.metadata.labels ?? {}) },
      annotations: { ...(pa.metadata.annotations ?? {}) }, ownerReferences: [controllerRef(pa) as never],
    },
    spec,
  };
}

export interface AutoscalingBaseOptions {
  sksLister: Informer;
  metricLister: Informer;
}

/** MarkResourceNotOwned, then the error ReconcileSKS / ReconcileMetric return. */
function notOwned(conditions: ManageConditions, pa: KubeObject, kind: string, name: string): Error {
  conditions().markFalse('Active', 'NotOwned', `There is an existing ${kind} ${JSON.stringify(name)} that we do not own.`);
  return new Error(`PA: ${pa.metadata.name} does not own ${kind}: ${name}`);
}

export class AutoscalingBase {
  readonly #ctx: ComponentContext;
  readonly #o: AutoscalingBaseOptions;

  constructor(ctx: ComponentContext, options: AutoscalingBaseOptions) {
    this.#ctx = ctx;
    this.#o = options;
  }

  *reconcileSks(pa: KubeObject, conditions: ManageConditions, mode: SksMode, numActivators: number): Proc<KubeObject> {
    const key = `${pa.metadata.namespace}/${pa.metadata.name}`;
    const spec = sksSpec(pa, mode, numActivators);
    const sks = this.#o.sksLister.get(key);
    if (sks === undefined) {
      const tmpl = makeSks(pa, spec);
      yield* this.#ctx.client.create(SERVERLESSSERVICES, tmpl);
      return tmpl;
    }
    if (!isControlledBy(sks, pa)) throw notOwned(conditions, pa, 'ServerlessService', pa.metadata.name!);
    if (deepEqual(spec, sks.spec)) return sks;
    // The lister's (frozen) object with the new spec: the API server copies what it is sent.
    return yield* this.#ctx.client.update(SERVERLESSSERVICES, { ...sks, spec });
  }

  *reconcileMetric(pa: KubeObject, conditions: ManageConditions, metricServiceName: string, config: Readonly<AutoscalerConfig>): Proc<void> {
    const spec = metricSpec(pa, metricServiceName, config);
    const metric = this.#o.metricLister.get(`${pa.metadata.namespace}/${pa.metadata.name}`);
    if (metric === undefined) {
      yield* this.#ctx.client.create(METRIC_RESOURCES, makeMetric(pa, spec));
      return;
    }
    if (!isControlledBy(metric, pa)) throw notOwned(conditions, pa, 'Metric', pa.metadata.name!);
    if (deepEqual(spec, metric.spec)) return;
    yield* this.#ctx.client.update(METRIC_RESOURCES, { ...metric, spec });
  }
}
