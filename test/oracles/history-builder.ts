// Builds run histories for oracle tests: object versions shaped as the simulator writes them (a
// Knative Service, Route and Revision with serving labels, autoscaling annotations and conditions with
// transition times; PodAutoscaler, ServerlessService, Pods, ConfigMaps), per-revision samples,
// request outcomes, faults and writes. Each change to an object is a new frozen version with the next
// resourceVersion, as a watch would deliver it.

import type { KubeObject } from '../../src/apiserver/types.js';
import type { RequestOutcome } from '../../src/dataplane/request.js';
import { ANNOTATIONS, LABELS } from '../../src/knative/apis/serving-labels.js';
import type { ComponentEvent, FaultEvent, History, ObjectEvent, RevisionSample, WriteEvent } from '../../src/scenario/history.js';
import { formatSimTime } from '../../src/sim/time-format.js';

export const NS = 'default';
export const HOST = 'hello.default.svc.cluster.local';

const API_VERSIONS: Readonly<Record<string, string>> = {
  Service: 'serving.knative.dev/v1',
  Configuration: 'serving.knative.dev/v1',
  Route: 'serving.knative.dev/v1',
  Revision: 'serving.knative.dev/v1',
  PodAutoscaler: 'autoscaling.internal.knative.dev/v1alpha1',
  ServerlessService: 'networking.internal.knative.dev/v1alpha1',
  Pod: 'v1',
  ConfigMap: 'v1',
  Deployment: 'apps/v1',
};

export type Status = 'True' | 'False' | 'Unknown';
/** A condition as a status, or [status, reason, message]. */
export type ConditionValue = Status | [Status, string, string?];

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

export class HistoryBuilder {
  readonly #objects: ObjectEvent[] = [];
  readonly #latest = new Map<string, KubeObject>();
  readonly #requests: RequestOutcome[] = [];
  readonly #series: RevisionSample[] = [];
  readonly #faults: FaultEvent[] = [];
  readonly #components: ComponentEvent[] = [];
  readonly #writes: WriteEvent[] = [];
  #resourceVersion = 100;
  #nextRequestId = 0;
  endMs: number;

  constructor(options: { endMs?: number } = {}) {
    this.endMs = options.endMs ?? 600_000;
  }

  #key(kind: string, name: string, namespace: string): string {
    return `${kind}/${namespace}/${name}`;
  }

  /** Records a new version of the object: created from `init` when new, then changed by `mutate`. */
  object(kind: string, name: string, atMs: number, mutate: (o: KubeObject) => void, options: { namespace?: string } = {}): this {
    const namespace = options.namespace ?? NS;
    const key = this.#key(kind, name, namespace);
    const previous = this.#latest.get(key);
    const object: KubeObject = previous === undefined
      ? { apiVersion: API_VERSIONS[kind] ?? 'v1', kind, metadata: { name, namespace, uid: `uid-${key}`, creationTimestamp: formatSimTime(atMs), generation: 1 } }
      : structuredClone(previous);
    mutate(object);
    this.#resourceVersion += 1;
    object.metadata.resourceVersion = String(this.#resourceVersion);
    deepFreeze(object);
    this.#latest.set(key, object);
    this.#objects.push({ atMs, type: previous === undefined ? 'ADDED' : 'MODIFIED', kind, apiVersion: object.apiVersion, namespace, name, resourceVersion: object.metadata.resourceVersion, object });
    return this;
  }

  delete(kind: string, name: string, atMs: number, options: { namespace?: string } = {}): this {
    const namespace = options.namespace ?? NS;
    const key = this.#key(kind, name, namespace);
    const last = this.#latest.get(key);
    if (last === undefined) throw new Error(`no ${key} to delete`);
    this.#resourceVersion += 1;
    this.#objects.push({ atMs, type: 'DELETED', kind, apiVersion: last.apiVersion, namespace, name, resourceVersion: String(this.#resourceVersion), object: last });
    this.#latest.delete(key);
    return this;
  }

  /** Sets conditions (kept sorted by type, transition time moved only on a status change, as knative/pkg does). */
  conditions(kind: string, name: string, atMs: number, conditions: Record<string, ConditionValue>, options: { namespace?: string } = {}): this {
    return this.object(kind, name, atMs, (o) => {
      o.status ??= {};
      const list: { type: string; status: Status; lastTransitionTime: string; reason?: string; message?: string; severity: string }[] = o.status.conditions ?? [];
      for (const [type, value] of Object.entries(conditions)) {
        const [status, reason, message] = typeof value === 'string' ? [value] : value;
        const old = list.find((c) => c.type === type);
        const next = { type, status, severity: '', lastTransitionTime: old !== undefined && old.status === status ? old.lastTransitionTime : formatSimTime(atMs), ...(reason ? { reason } : {}), ...(message ? { message } : {}) };
        list.splice(old === undefined ? list.length : list.indexOf(old), old === undefined ? 0 : 1, next);
      }
      list.sort((a, b) => (a.type < b.type ? -1 : a.type > b.type ? 1 : 0));
      o.status.conditions = list;
    }, options);
  }

  /** A Knative Service (spec.template with the annotations) with its conditions Unknown. */
  service(name: string, atMs: number, options: { annotations?: Record<string, string>; containerConcurrency?: number } = {}): this {
    this.object('Service', name, atMs, (o) => {
      o.spec = { template: { metadata: { annotations: options.annotations ?? {} }, spec: { containerConcurrency: options.containerConcurrency ?? 0, containers: [{ image: 'ghcr.io/knative/helloworld-go:latest' }] } } };
    });
    return this.conditions('Service', name, atMs, { ConfigurationsReady: 'Unknown', Ready: 'Unknown', RoutesReady: 'Unknown' });
  }

  /** A Revision as the Configuration reconciler creates it: serving labels, the template's annotations, conditions Unknown. */
  revision(name: string, atMs: number, options: { service?: string; annotations?: Record<string, string>; containerConcurrency?: number; namespace?: string } = {}): this {
    const service = options.service ?? name.replace(/-\d+$/, '');
    this.object('Revision', name, atMs, (o) => {
      o.metadata.labels = { [LABELS.configuration]: service, [LABELS.service]: service, [LABELS.configurationGeneration]: '1', [LABELS.routingState]: 'pending' };
      o.metadata.annotations = { ...options.annotations };
      o.metadata.ownerReferences = [{ apiVersion: 'serving.knative.dev/v1', kind: 'Configuration', name: service, uid: `uid-Configuration/${service}`, controller: true, blockOwnerDeletion: true }];
      o.spec = { containerConcurrency: options.containerConcurrency ?? 0, containers: [{ image: 'ghcr.io/knative/helloworld-go:latest', name: 'user-container' }], timeoutSeconds: 300 };
    }, { namespace: options.namespace });
    return this.conditions('Revision', name, atMs, { ContainerHealthy: ['Unknown', 'Deploying'], Ready: ['Unknown', 'Deploying'], ResourcesAvailable: ['Unknown', 'Deploying'] }, { namespace: options.namespace });
  }

  /** The labeler's routingState label (and the routes annotation). */
  routingState(revision: string, atMs: number, state: 'active' | 'reserve' | 'pending', options: { route?: string } = {}): this {
    return this.object('Revision', revision, atMs, (o) => {
      o.metadata.labels = { ...o.metadata.labels, [LABELS.routingState]: state };
      o.metadata.annotations = { ...o.metadata.annotations, [ANNOTATIONS.routingStateModified]: formatSimTime(atMs), ...(state === 'active' ? { [ANNOTATIONS.routes]: options.route ?? revision.replace(/-\d+$/, '') } : {}) };
    });
  }

  /** A Route serving `host` with status.traffic splitting over the revisions by percent. */
  route(name: string, atMs: number, traffic: Record<string, number>, options: { host?: string } = {}): this {
    const url = `http://${options.host ?? HOST}`;
    return this.object('Route', name, atMs, (o) => {
      o.metadata.labels = { [LABELS.service]: name };
      o.spec = { traffic: [{ percent: 100, latestRevision: true, configurationName: name }] };
      o.status = {
        ...o.status, url, address: { url },
        traffic: Object.entries(traffic).map(([revisionName, percent]) => ({ revisionName, percent, latestRevision: true })),
      };
    });
  }

  /** A PodAutoscaler for the revision targeting its Deployment. */
  podAutoscaler(revision: string, atMs: number, options: { annotations?: Record<string, string> } = {}): this {
    return this.object('PodAutoscaler', revision, atMs, (o) => {
      o.metadata.labels = { [LABELS.revision]: revision, app: revision };
      o.metadata.annotations = { 'autoscaling.knative.dev/class': 'kpa.autoscaling.knative.dev', ...options.annotations };
      o.spec = { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: `${revision}-deployment` }, reachability: 'Reachable', protocolType: 'http1' };
    });
  }

  /** The revision's ServerlessService in a mode (created on first use). */
  sksMode(revision: string, atMs: number, mode: 'Serve' | 'Proxy'): this {
    return this.object('ServerlessService', revision, atMs, (o) => {
      o.metadata.labels = { [LABELS.revision]: revision };
      o.spec = { mode, objectRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: `${revision}-deployment` }, protocolType: 'http1', numActivators: 3 };
    });
  }

  /** A revision pod's readiness (created on first use; `ready: false` after true is a readiness loss). */
  pod(revision: string, pod: string, atMs: number, options: { ready: boolean; terminating?: boolean }): this {
    return this.object('Pod', pod, atMs, (o) => {
      o.metadata.labels = { [LABELS.revision]: revision, app: revision };
      if (options.terminating) o.metadata.deletionTimestamp = formatSimTime(atMs);
      o.spec = { nodeName: 'node-1', containers: [{ name: 'user-container' }, { name: 'queue-proxy' }] };
      o.status = { phase: 'Running', conditions: [{ type: 'Ready', status: options.ready ? 'True' : 'False', lastTransitionTime: formatSimTime(atMs) }] };
    });
  }

  configMap(name: string, atMs: number, data: Record<string, string>, options: { namespace?: string } = {}): this {
    return this.object('ConfigMap', name, atMs, (o) => {
      o.data = { ...o.data, ...data };
    }, { namespace: options.namespace ?? 'knative-serving' });
  }

  sample(revision: string, atMs: number, values: Partial<RevisionSample> = {}): this {
    this.#series.push({ atMs, namespace: NS, revision, readyPods: 0, pods: 0, replicas: 0, inFlight: 0, maxPodConcurrency: 0, activatorQueue: 0, routed: false, ...values });
    return this;
  }

  /** One sample every `everyMs` (default 1000) in [fromMs, toMs], each from `values(t)`. */
  samples(revision: string, range: { fromMs: number; toMs: number; everyMs?: number }, values: (atMs: number) => Partial<RevisionSample>): this {
    for (let t = range.fromMs; t <= range.toMs; t += range.everyMs ?? 1000) this.sample(revision, t, values(t));
    return this;
  }

  request(outcome: Partial<RequestOutcome> & { arrivalMs: number }): this {
    const latencyMs = outcome.latencyMs ?? (outcome.doneMs === undefined ? 100 : outcome.doneMs - outcome.arrivalMs);
    this.#requests.push({ id: this.#nextRequestId++, host: HOST, status: 200, phase: 'load', doneMs: outcome.arrivalMs + latencyMs, latencyMs, ...outcome });
    return this;
  }

  /** Requests at `rps` from fromMs (inclusive) to toMs (exclusive), each shaped by `shape(arrivalMs)`. */
  requests(range: { fromMs: number; toMs: number; rps: number }, shape: (arrivalMs: number) => Partial<RequestOutcome> = () => ({})): this {
    const gapMs = 1000 / range.rps;
    for (let t = range.fromMs; t < range.toMs; t += gapMs) this.request({ revision: 'hello-00001', ...shape(t), arrivalMs: t });
    return this;
  }

  fault(fault: string, family: string, firedMs: number, healedMs?: number): this {
    this.#faults.push({ atMs: firedMs, fault, family, phase: 'fired', detail: `${family} fired` });
    if (healedMs !== undefined) this.#faults.push({ atMs: healedMs, fault, family, phase: 'healed', detail: `${family} healed` });
    return this;
  }

  write(write: Partial<WriteEvent> & { atMs: number; component: string; kind: string; name: string }): this {
    this.#writes.push({ verb: 'update', namespace: NS, code: 200, ...write });
    return this;
  }

  build(): History {
    const byTime = <T extends { atMs: number }>(items: T[]): T[] => items.map((x, i) => ({ x, i })).sort((a, b) => a.x.atMs - b.x.atMs || a.i - b.i).map((e) => e.x);
    return {
      scenario: 'oracle-test', seed: 1, knative: 'latest', backend: 'sim', endMs: this.endMs,
      objects: byTime(this.#objects),
      requests: [...this.#requests].sort((a, b) => a.doneMs - b.doneMs || a.id - b.id),
      faults: byTime(this.#faults),
      components: byTime(this.#components),
      writes: byTime(this.#writes),
      series: byTime(this.#series),
    };
  }
}

export interface ServedRevisionOptions {
  revision?: string;
  annotations?: Record<string, string>;
  containerConcurrency?: number;
  /** When the Knative Service is created (default 15 s). */
  createdMs?: number;
  /** When the Revision (and then the Route and Service) turn Ready (default created + 9 s). */
  readyMs?: number;
  /** Ready pods from readyMs on (default 1); pods come up 1 s before readyMs. */
  readyPods?: number;
  /** Record the Pods (default true); without them oracles read pod counts from the samples. */
  recordPods?: boolean;
}

/**
 * The usual start of a run: the Service, its Revision, PodAutoscaler, ServerlessService (Proxy, then
 * Serve once pods are up), the Route, `readyPods` pods becoming ready, and every object Ready, as the
 * controller writes them. Samples are left to the test.
 */
export function servedRevision(b: HistoryBuilder, options: ServedRevisionOptions = {}): { revision: string; createdMs: number; readyMs: number } {
  const revision = options.revision ?? 'hello-00001';
  const createdMs = options.createdMs ?? 15_000;
  const readyMs = options.readyMs ?? createdMs + 9_000;
  const pods = options.readyPods ?? 1;
  b.service('hello', createdMs, { annotations: options.annotations, containerConcurrency: options.containerConcurrency });
  b.revision(revision, createdMs, { annotations: options.annotations, containerConcurrency: options.containerConcurrency });
  b.podAutoscaler(revision, createdMs, { annotations: options.annotations });
  b.sksMode(revision, createdMs, 'Proxy');
  b.routingState(revision, createdMs + 100, 'active');
  const record = options.recordPods ?? true;
  for (let i = 0; i < pods && record; i += 1) b.pod(revision, `${revision}-deployment-6979d9ccc6-p${i}`, createdMs + 1_000, { ready: false });
  for (let i = 0; i < pods && record; i += 1) b.pod(revision, `${revision}-deployment-6979d9ccc6-p${i}`, readyMs - 1_000, { ready: true });
  b.sksMode(revision, readyMs - 500, 'Serve');
  b.conditions('Revision', revision, readyMs, { ContainerHealthy: 'True', ResourcesAvailable: 'True', Ready: 'True' });
  b.route('hello', readyMs, { [revision]: 100 });
  b.conditions('Route', 'hello', readyMs, { AllTrafficAssigned: 'True', IngressReady: 'True', Ready: 'True' });
  b.conditions('Service', 'hello', readyMs + 1_000, { ConfigurationsReady: 'True', RoutesReady: 'True', Ready: 'True' });
  return { revision, createdMs, readyMs };
}
