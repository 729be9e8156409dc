// The EndpointSlice controller of kube-controller-manager (k8s.io/kubernetes
// pkg/controller/endpointslice/endpointslice_controller.go): for every Service with a selector,
// discovery.k8s.io/v1 EndpointSlices labelled kubernetes.io/service-name and
// endpointslice.kubernetes.io/managed-by: endpointslice-controller.k8s.io, owned by the Service (the
// garbage collector removes them with it), at most maxEndpointsPerSlice endpoints each. Unlike
// Endpoints, terminating pods stay listed with conditions ready false, serving by readiness,
// terminating true. Kept from upstream: pod-triggered syncs after the batch period; slice events
// of the controller's own writes ignored and others synced after at least 1 s; a sync refused
// while the slice cache is behind the controller's writes; pods on unknown nodes skipped and the
// sync retried; a 1 s to 1000 s retry backoff and a budget of 15 retries. Topology hints and
// traffic distribution are not modelled.

import { isApiError, isNotFound } from '../apiserver/api-error.js';
import type { KubeObject } from '../apiserver/types.js';
import type { ComponentContext } from '../client/component.js';
import type { Informer } from '../client/informer.js';
import { objectKey, splitKey } from '../client/informer.js';
import type { Proc } from '../sim/process.js';
import { selectorMatches, servicesSelecting, servicesToUpdateOnPodChange, serviceSelector, serviceSpec } from './endpoint-pods.js';
import { MANAGED_BY_LABEL } from './endpointslice-endpoints.js';
import { planEndpointSlices, type SlicePlan } from './endpointslice-reconciler.js';
import { EndpointSliceTracker, SERVICE_NAME_LABEL } from './endpointslice-tracker.js';
import { EventRecorder } from './event-recorder.js';
import { ENDPOINTSLICES, NODES, PODS, SERVICES } from './resources.js';
import { withRetryBudget } from './retry-budget.js';
import { LAST_CHANGE_TRIGGER_TIME, TriggerTimeTracker } from './trigger-time-tracker.js';

export const ENDPOINTSLICE_CONTROLLER_NAME = 'endpointslice-controller.k8s.io';
const MAX_RETRIES = 15;
/** endpointSliceChangeMinSyncDelay. */
const SLICE_CHANGE_MIN_SYNC_DELAY_MS = 1_000;

export interface EndpointSliceControllerOptions {
  /** --concurrent-service-endpoint-syncs. Default 5. */
  workers?: number;
  /** --max-endpoints-per-slice. Default 100. */
  maxEndpointsPerSlice?: number;
  /** --endpointslice-updates-batch-period. Default 0. */
  updatesBatchPeriodMs?: number;
}

interface SyncState {
  ctx: ComponentContext;
  services: Informer;
  pods: Informer;
  slices: Informer;
  nodes: Informer;
  tracker: EndpointSliceTracker;
  triggers: TriggerTimeTracker;
  events: EventRecorder;
  maxEndpointsPerSlice: number;
}

const managedByUs = (slice: KubeObject): boolean => slice.metadata.labels?.[MANAGED_BY_LABEL] === ENDPOINTSLICE_CONTROLLER_NAME;

export function setupEndpointSliceController(ctx: ComponentContext, options: EndpointSliceControllerOptions = {}): void {
  const state: SyncState = {
    ctx, services: ctx.informer(SERVICES), pods: ctx.informer(PODS), slices: ctx.informer(ENDPOINTSLICES), nodes: ctx.informer(NODES),
    tracker: new EndpointSliceTracker(), triggers: new TriggerTimeTracker(),
    events: new EventRecorder(ctx, { component: 'endpoint-slice-controller' }), maxEndpointsPerSlice: options.maxEndpointsPerSlice ?? 100,
  };
  const controller = ctx.controller({
    name: 'endpointslice-controller',
    workers: options.workers ?? 5,
    rateLimiter: { baseDelayMs: 1_000, maxDelayMs: 1_000_000 },
    reconcile: (key) => withRetryBudget({ sim: ctx.sim, controller, maxRetries: MAX_RETRIES }, key, syncService(state, key)),
  });
  const batchMs = options.updatesBatchPeriodMs ?? 0;
  const enqueueForPod = (pod: KubeObject): void => {
    for (const key of servicesSelecting(state.services, pod.metadata.namespace, pod.metadata.labels)) controller.enqueueAfter(key, batchMs);
  };
  const enqueueForSlice = (slice: KubeObject): void => {
    const service = slice.metadata.labels?.[SERVICE_NAME_LABEL];
    if (service) controller.enqueueAfter(`${slice.metadata.namespace}/${service}`, Math.max(SLICE_CHANGE_MIN_SYNC_DELAY_MS, batchMs));
  };
  state.services.addHandler({
    add: (svc) => controller.enqueue(objectKey(svc)),
    update: (_old, svc) => controller.enqueue(objectKey(svc)),
    delete: (svc) => controller.enqueue(objectKey(svc)),
  });
  state.pods.addHandler({
    add: enqueueForPod,
    update: (oldPod, pod) => {
      for (const key of servicesToUpdateOnPodChange(state.services, oldPod, pod)) controller.enqueueAfter(key, batchMs);
    },
    delete: enqueueForPod,
  });
  state.slices.addHandler({
    add: (slice) => {
      if (managedByUs(slice) && state.tracker.shouldSync(slice)) enqueueForSlice(slice);
    },
    update: (old, slice) => {
      if (old.metadata.labels?.[SERVICE_NAME_LABEL] !== slice.metadata.labels?.[SERVICE_NAME_LABEL]) {
        enqueueForSlice(slice);
        enqueueForSlice(old);
      } else if (managedByUs(old) !== managedByUs(slice) || (managedByUs(slice) && state.tracker.shouldSync(slice))) {
        enqueueForSlice(slice);
      }
    },
    delete: (slice) => {
      if (managedByUs(slice) && state.tracker.has(slice) && !state.tracker.handleDeletion(slice)) enqueueForSlice(slice);
    },
  });
}

function* syncService(s: SyncState, key: string): Proc<void> {
  const { namespace, name } = splitKey(key);
  const svc = s.services.get(key);
  if (svc === undefined) {
    // The slices go with their owner (garbage collector).
    s.triggers.forget(namespace ?? '', name);
    s.tracker.deleteService(namespace ?? '', name);
    return;
  }
  if (serviceSpec(svc).type === 'ExternalName') return;
  const selector = serviceSelector(svc);
  if (selector === undefined) return;
  const pods = s.pods.list(namespace).filter((pod) => selectorMatches(selector, pod.metadata.labels));
  const slices = s.slices.list(namespace).filter((slice) =>
    slice.metadata.labels?.[SERVICE_NAME_LABEL] === name && managedByUs(slice) && slice.metadata.deletionTimestamp === undefined);
  if (s.tracker.staleSlices(svc, slices)) throw new Error('EndpointSlice informer cache is out of date');
  const trigger = s.triggers.compute(svc, pods);
  const plan = planEndpointSlices({
    service: svc, pods, existing: slices, node: (nodeName) => s.nodes.get(nodeName),
    maxEndpointsPerSlice: s.maxEndpointsPerSlice, controllerName: ENDPOINTSLICE_CONTROLLER_NAME,
  });
  try {
    yield* applyPlan(s, svc, plan, trigger);
    if (plan.errors.length > 0) throw new Error(plan.errors.join('; '));
  } catch (e) {
    const message = `Error updating Endpoint Slices for Service ${namespace}/${name}: ${e instanceof Error ? e.message : String(e)}`;
    s.events.event(svc, 'Warning', 'FailedToUpdateEndpointSlices', message);
    throw e;
  }
}

function withTriggerTime(slice: KubeObject, trigger: string | undefined): KubeObject {
  const annotations: Record<string, string> = { ...(slice.metadata.annotations ?? {}) };
  if (trigger !== undefined) annotations[LAST_CHANGE_TRIGGER_TIME] = trigger;
  else delete annotations[LAST_CHANGE_TRIGGER_TIME];
  const metadata = { ...slice.metadata };
  if (Object.keys(annotations).length > 0) metadata.annotations = annotations;
  else delete metadata.annotations;
  return { ...slice, metadata };
}

const terminatingNamespace = (e: unknown): boolean =>
  isApiError(e) && (e.status.details?.causes ?? []).some((c) => c.type === 'NamespaceTerminating');

/** finalize: creates (not while the Service is being deleted), then updates, then deletes. */
function* applyPlan(s: SyncState, svc: KubeObject, plan: SlicePlan, trigger: string | undefined): Proc<void> {
  const { client } = s.ctx;
  const where = `${svc.metadata.namespace}/${svc.metadata.name}`;
  if (svc.metadata.deletionTimestamp === undefined) {
    for (const slice of plan.create) {
      try {
        s.tracker.update(yield* client.create(ENDPOINTSLICES, withTriggerTime(slice, trigger)));
      } catch (e) {
        if (terminatingNamespace(e)) return;
        throw new Error(`failed to create EndpointSlice for Service ${where}: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
      }
    }
  }
  for (const slice of plan.update) {
    s.tracker.update(yield* client.update(ENDPOINTSLICES, withTriggerTime(slice, trigger)));
  }
  for (const slice of plan.delete) {
    try {
      yield* client.delete(ENDPOINTSLICES, slice.metadata.name!, { namespace: slice.metadata.namespace });
    } catch (e) {
      if (isNotFound(e)) continue;
      throw e;
    }
    s.tracker.expectDeletion(slice);
  }
}
