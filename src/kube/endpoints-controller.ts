// The Endpoints controller of kube-controller-manager (k8s.io/kubernetes
// pkg/controller/endpoint/endpoints_controller.go, endpoints_tracker.go). For every Service with a
// selector it keeps an Endpoints object of the same name listing the selected pods: ready ones in
// `addresses`, the others in `notReadyAddresses` (all in `addresses` with
// publishNotReadyAddresses), terminal pods, pods without an IP and (unless published) pods being
// deleted left out, subsets repacked by port set. Services without a selector are left alone:
// their Endpoints belong to someone else (Knative's ServerlessService controller writes the
// Endpoints of its selector-less public Services). Behaviour kept from upstream:
// - pod events enqueue the Services selecting the pod, after the batch period, and a pod update
//   only when something endpoints care about changed (podEndpointsChanged);
// - no write when subsets (ignoring targetRef resourceVersions), labels and the over-capacity
//   annotation already agree with the cached Endpoints;
// - a sync refuses to run on a cached Endpoints it has already replaced (the stale tracker) and
//   retries, rather than write from a stale cache;
// - a deleted Service's Endpoints are deleted; at start every Endpoints is checked once for a
//   Service (checkLeftoverEndpoints), except leader-election records;
// - Endpoints past 1000 addresses are truncated and annotated;
// - a key that fails 15 times in a row is dropped.

import { deepCopy, deepEqual } from '../apiserver/deep-copy.js';
import { isApiError, isForbidden, isNotFound } from '../apiserver/api-error.js';
import type { KubeObject } from '../apiserver/types.js';
import type { ComponentContext } from '../client/component.js';
import type { Informer } from '../client/informer.js';
import { objectKey, splitKey } from '../client/informer.js';
import { sleep, type Proc } from '../sim/process.js';
import { servicesSelecting, servicesToUpdateOnPodChange, serviceSelector, serviceSpec, selectorMatches } from './endpoint-pods.js';
import { countAddresses, desiredSubsets, MAX_ENDPOINTS_CAPACITY, subsetsEqual, truncateEndpoints } from './endpoints-subsets.js';
import { EventRecorder } from './event-recorder.js';
import type { EndpointSubset } from './repack-subsets.js';
import { ENDPOINTS, PODS, SERVICES } from './resources.js';
import { withRetryBudget } from './retry-budget.js';
import { LAST_CHANGE_TRIGGER_TIME, TriggerTimeTracker } from './trigger-time-tracker.js';

export const HEADLESS_SERVICE_LABEL = 'service.kubernetes.io/headless';
export const OVER_CAPACITY_ANNOTATION = 'endpoints.kubernetes.io/over-capacity';
const LEADER_ANNOTATION = 'control-plane.alpha.kubernetes.io/leader';
const MAX_RETRIES = 15;
const SYNC_POLL_MS = 100;

export interface EndpointsControllerOptions {
  /** --concurrent-endpoint-syncs. Default 5. */
  workers?: number;
  /** --endpoint-updates-batch-period: delay of the syncs pod changes trigger. Default 0. */
  updatesBatchPeriodMs?: number;
}

interface SyncState {
  ctx: ComponentContext;
  services: Informer;
  pods: Informer;
  endpoints: Informer;
  triggers: TriggerTimeTracker;
  /** Endpoints key → the resourceVersion this controller has replaced (staleEndpointsTracker). */
  stale: Map<string, string>;
  events: EventRecorder;
}

export function setupEndpointsController(ctx: ComponentContext, options: EndpointsControllerOptions = {}): void {
  const state: SyncState = {
    ctx, services: ctx.informer(SERVICES), pods: ctx.informer(PODS), endpoints: ctx.informer(ENDPOINTS),
    triggers: new TriggerTimeTracker(), stale: new Map(), events: new EventRecorder(ctx, { component: 'endpoint-controller' }),
  };
  const controller = ctx.controller({
    name: 'endpoint-controller',
    workers: options.workers ?? 5,
    reconcile: (key) => withRetryBudget({ sim: ctx.sim, controller, maxRetries: MAX_RETRIES }, key, syncService(state, key)),
  });
  const batchMs = options.updatesBatchPeriodMs ?? 0;
  const enqueueForPod = (pod: KubeObject): void => {
    for (const key of servicesSelecting(state.services, pod.metadata.namespace, pod.metadata.labels)) controller.enqueueAfter(key, batchMs);
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
  state.endpoints.addHandler({ delete: (ep) => controller.enqueue(objectKey(ep)) });
  ctx.spawn('endpoint-controller/leftovers', checkLeftoverEndpoints(ctx, state.endpoints, (key) => controller.enqueue(key)));
}

/** checkLeftoverEndpoints: once synced, every Endpoints but leader-election records is checked for its Service. */
function* checkLeftoverEndpoints(ctx: ComponentContext, endpoints: Informer, enqueue: (key: string) => void): Proc<void> {
  while (!ctx.informersSynced()) yield* sleep(SYNC_POLL_MS);
  for (const ep of endpoints.list()) {
    if (ep.metadata.annotations?.[LEADER_ANNOTATION] === undefined) enqueue(objectKey(ep));
  }
}

function* syncService(s: SyncState, key: string): Proc<void> {
  const { namespace, name } = splitKey(key);
  const svc = s.services.get(key);
  if (svc === undefined) {
    yield* deleteEndpoints(s, namespace ?? '', name);
    s.triggers.forget(namespace ?? '', name);
    s.stale.delete(key);
    return;
  }
  if (serviceSpec(svc).type === 'ExternalName') return;
  const selector = serviceSelector(svc);
  if (selector === undefined) return;
  const pods = s.pods.list(namespace).filter((pod) => selectorMatches(selector, pod.metadata.labels));
  const trigger = s.triggers.compute(svc, pods);
  const subsets = desiredSubsets(svc, pods);
  const current = s.endpoints.get(key);
  if (current !== undefined && s.stale.get(key) === current.metadata.resourceVersion) {
    throw new Error(`endpoints informer cache is out of date, resource version ${current.metadata.resourceVersion} already processed for endpoints ${key}`);
  }
  if (current !== undefined && upToDate(current, svc, subsets)) return;
  const next = nextEndpoints(svc, current, subsets, trigger);
  yield* writeEndpoints(s, key, current, next);
}

function* deleteEndpoints(s: SyncState, namespace: string, name: string): Proc<void> {
  try {
    yield* s.ctx.client.delete(ENDPOINTS, name, { namespace });
  } catch (e) {
    if (!isNotFound(e)) throw e;
  }
}

const isServiceIpSet = (svc: KubeObject): boolean => {
  const ip = serviceSpec(svc).clusterIP;
  return ip !== undefined && ip !== '' && ip !== 'None';
};

/** The no-op check: subsets, labels (but the headless one) and the capacity annotation agree. */
function upToDate(current: KubeObject, svc: KubeObject, subsets: EndpointSubset[]): boolean {
  const labels = { ...(current.metadata.labels ?? {}) };
  delete labels[HEADLESS_SERVICE_LABEL];
  const currentSubsets = current.subsets as EndpointSubset[] | undefined;
  const capacityOk = countAddresses(currentSubsets) <= MAX_ENDPOINTS_CAPACITY && current.metadata.annotations?.[OVER_CAPACITY_ANNOTATION] === undefined;
  return subsetsEqual(currentSubsets, subsets) && deepEqual(labels, svc.metadata.labels ?? {}) && capacityOk;
}

/** The Endpoints to write: the cached one (for its resourceVersion) with the Service's labels and the new subsets. */
function nextEndpoints(svc: KubeObject, current: KubeObject | undefined, subsets: EndpointSubset[], trigger: string | undefined): KubeObject {
  // The cached object's top level and metadata are copied: labels, annotations and subsets are all
  // replaced below, and the rest (frozen in the cache) is only read by the API server, which copies it.
  const next: KubeObject = current !== undefined
    ? { ...current, metadata: { ...current.metadata } }
    : { apiVersion: 'v1', kind: 'Endpoints', metadata: { name: svc.metadata.name, namespace: svc.metadata.namespace } };
  const labels: Record<string, string> = { ...(svc.metadata.labels ?? {}) };
  if (isServiceIpSet(svc)) delete labels[HEADLESS_SERVICE_LABEL];
  else labels[HEADLESS_SERVICE_LABEL] = '';
  const annotations: Record<string, string> = { ...(next.metadata.annotations ?? {}) };
  if (trigger !== undefined) annotations[LAST_CHANGE_TRIGGER_TIME] = trigger;
  else delete annotations[LAST_CHANGE_TRIGGER_TIME];
  const written = deepCopy(subsets);
  if (truncateEndpoints(written)) annotations[OVER_CAPACITY_ANNOTATION] = 'truncated';
  else delete annotations[OVER_CAPACITY_ANNOTATION];
  setOrDelete(next.metadata, 'labels', labels);
  setOrDelete(next.metadata, 'annotations', annotations);
  if (written.length > 0) next.subsets = written;
  else delete next.subsets;
  return next;
}

/** Go's omitempty on a map: an empty one is not sent. */
function setOrDelete(meta: KubeObject['metadata'], field: 'labels' | 'annotations', value: Record<string, string>): void {
  if (Object.keys(value).length > 0) meta[field] = value;
  else delete meta[field];
}

function* writeEndpoints(s: SyncState, key: string, current: KubeObject | undefined, next: KubeObject): Proc<void> {
  try {
    if (current === undefined) {
      yield* s.ctx.client.create(ENDPOINTS, next);
      return;
    }
    const updated = yield* s.ctx.client.update(ENDPOINTS, next);
    // Remember the version replaced, so a sync reading it back from a lagging cache waits (issues 127370, 126578).
    if (updated.metadata.resourceVersion !== current.metadata.resourceVersion) s.stale.set(key, current.metadata.resourceVersion ?? '');
  } catch (e) {
    // A terminating namespace refuses creates for good: drop the item.
    if (current === undefined && isForbidden(e) && isApiError(e) && e.status.details?.causes?.some((c) => c.type === 'NamespaceTerminating')) return;
    const { namespace, name } = splitKey(key);
    const message = current === undefined
      ? `Failed to create endpoint for service ${namespace}/${name}: ${errorText(e)}`
      : `Failed to update endpoint ${namespace}/${name}: ${errorText(e)}`;
    s.events.event(next, 'Warning', current === undefined ? 'FailedToCreateEndpoint' : 'FailedToUpdateEndpoint', message);
    throw e;
  }
}

const errorText = (e: unknown): string => (e instanceof Error ? e.message : String(e));
