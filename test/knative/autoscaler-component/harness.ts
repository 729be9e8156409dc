// A cluster to run the autoscaler component in, with what the other components would do played by
// small test peers: the ConfigMaps, a revision's Deployment and PodAutoscaler (the revision
// reconciler's), its pods with IPs and Ready status (the kubelet's), a stand-in SKS reconciler
// that gives each ServerlessService its private and public service names, its public Endpoints and
// its status from the same pure decisions the real one uses, queue-proxy metrics listeners and
// activator health listeners on the data-plane network. Everything goes through the real in-memory
// API server.

import { deepCopy } from '../../../src/apiserver/deep-copy.js';
import type { KubeObject } from '../../../src/apiserver/types.js';
import type { Component } from '../../../src/client/component.js';
import { objectKey } from '../../../src/client/informer.js';
import { SimCluster } from '../../../src/client/sim-cluster.js';
import { HttpNetwork } from '../../../src/dataplane/http-network.js';
import { PodRuntime } from '../../../src/kube/pod-runtime.js';
import { CONFIGMAPS, DEPLOYMENTS, ENDPOINTS, NAMESPACES, PODS } from '../../../src/kube/resources.js';
import { formatSimTime } from '../../../src/sim/time-format.js';
import type { TraceLine } from '../../../src/sim/trace.js';
import { ConditionManager } from '../../../src/knative/apis/condition-set.js';
import { PODAUTOSCALERS, SERVERLESSSERVICES } from '../../../src/knative/apis/resources.js';
import { LABELS } from '../../../src/knative/apis/serving-labels.js';
import type { Stat } from '../../../src/knative/autoscaler/stat.js';
import { decidePublicEndpoints } from '../../../src/knative/kpa/sks-endpoints.js';
import type { EndpointSubset } from '../../../src/knative/kpa/endpoints-types.js';
import { setupAutoscaler } from '../../../src/knative/autoscaler-component/autoscaler.js';
import { KNATIVE_NAMESPACE, PORTS, type KnativeComponentEnv, type ServingSystem } from '../../../src/knative/serving-system.js';
import { KnativeProfile } from '../../../src/knative/versions.js';

export const NS = 'default';
export const ACTIVATOR_IP = '10.1.0.10';
export const KPA_CLASS = 'kpa.autoscaling.knative.dev';

export interface Harness {
  cluster: SimCluster;
  system: ServingSystem;
  http: HttpNetwork;
  /** Activator pod IPs the stand-in SKS reconciler puts behind Proxy-mode SKSs. */
  activatorIps: string[];
}

export function newHarness(options: { seed?: number | string; autoscalerConfig?: Record<string, string>; sksStandIn?: boolean } = {}): Harness {
  const cluster = new SimCluster({ seed: options.seed ?? 7, trace: { keepAll: true }, bookmarkIntervalMs: 0 });
  const http = new HttpNetwork(cluster.sim);
  const system: ServingSystem = { cluster, http, runtime: new PodRuntime(), profile: new KnativeProfile('latest'), onRequestDone: () => undefined, activators: new Map() };
  cluster.api.create(NAMESPACES, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: KNATIVE_NAMESPACE } });
  cluster.api.create(CONFIGMAPS, configMap('config-autoscaler', options.autoscalerConfig ?? {}));
  cluster.api.create(CONFIGMAPS, configMap('config-deployment', { 'queue-sidecar-image': 'queue:latest' }));
  const h: Harness = { cluster, system, http, activatorIps: [ACTIVATOR_IP] };
  if (options.sksStandIn ?? true) startSksStandIn(h);
  return h;
}

export function configMap(name: string, data: Record<string, string>): KubeObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: KNATIVE_NAMESPACE }, data };
}

/** Replaces a ConfigMap's data, as `kubectl edit` would. */
export function setConfig(h: Harness, name: string, data: Record<string, string>): void {
  const cm = deepCopy(h.cluster.api.get(CONFIGMAPS, name, { namespace: KNATIVE_NAMESPACE }));
  cm.data = data;
  h.cluster.api.update(CONFIGMAPS, cm);
}

export function autoscalerEnv(h: Harness, podName: string, ip: string): KnativeComponentEnv {
  return { system: h.system, pod: { name: podName, namespace: KNATIVE_NAMESPACE, uid: `uid-${podName}`, ip, nodeName: 'node-1' }, profile: h.system.profile };
}

/** Adds an autoscaler component (started) named after its pod. */
export function addAutoscaler(h: Harness, podName = 'autoscaler-a', ip = '10.2.0.100'): Component {
  const env = autoscalerEnv(h, podName, ip);
  return h.cluster.addComponent({ name: podName, setup: (ctx) => setupAutoscaler(ctx, env) });
}

export interface RevisionOptions {
  annotations?: Record<string, string>;
  replicas?: number;
  containerConcurrency?: number;
  labels?: Record<string, string>;
}

/** A revision's Deployment `<rev>-deployment` and its PA `<rev>`, as the revision reconciler makes them. */
export function createRevision(h: Harness, rev: string, options: RevisionOptions = {}): void {
  const labels = { [LABELS.revision]: rev, [LABELS.revisionUID]: `uid-${rev}` };
  h.cluster.api.create(DEPLOYMENTS, {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: `${rev}-deployment`, namespace: NS, labels },
    spec: {
      replicas: options.replicas ?? 1, selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: { containers: [{ name: 'user-container', image: 'app' }] } },
    },
  });
  h.cluster.api.create(PODAUTOSCALERS, {
    apiVersion: 'autoscaling.internal.knative.dev/v1alpha1', kind: 'PodAutoscaler',
    metadata: {
      name: rev, namespace: NS,
      labels: options.labels ?? { [LABELS.configuration]: 'config', [LABELS.revision]: rev, [LABELS.revisionUID]: `uid-${rev}`, [LABELS.service]: 'svc' },
      annotations: { 'autoscaling.knative.dev/class': KPA_CLASS, ...(options.annotations ?? {}) },
    },
    spec: {
      containerConcurrency: options.containerConcurrency ?? 0, protocolType: 'http1', reachability: 'Reachable',
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: `${rev}-deployment` },
    },
  });
}

/** A Running, Ready pod of the revision at `ip`, started now. */
export function createReadyPod(h: Harness, rev: string, name: string, ip: string): KubeObject {
  const api = h.cluster.api;
  api.create(PODS, {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name, namespace: NS, labels: { [LABELS.revision]: rev, [LABELS.revisionUID]: `uid-${rev}` } },
    spec: { containers: [{ name: 'user-container', image: 'app' }, { name: 'queue-proxy', image: 'queue' }] },
  });
  const pod = deepCopy(api.get(PODS, name, { namespace: NS }));
  const now = formatSimTime(h.cluster.sim.nowMs);
  pod.status = { phase: 'Running', podIP: ip, podIPs: [{ ip }], startTime: now, conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: now }] };
  return api.update(PODS, pod, { subresource: 'status' });
}

export function deletePod(h: Harness, name: string): void {
  h.cluster.api.delete(PODS, name, { namespace: NS, gracePeriodSeconds: 0 });
}

/** A queue-proxy's metrics endpoint at ip:9090 answering the latest Stat `stat()` gives. */
export function serveQueueProxyStats(h: Harness, ip: string, stat: () => Stat): () => void {
  return h.http.listen(ip, PORTS.metrics, (ex) => ex.respond({ status: 200, headers: { 'Content-Type': 'application/protobuf' }, body: stat() }));
}

/** An activator's health endpoint at ip:8012: 'activator' to the KPA's probe; counts the probes. */
export function serveActivator(h: Harness, ip: string = ACTIVATOR_IP): { probes: number[] } {
  const seen = { probes: [] as number[] };
  h.http.listen(ip, PORTS.http1, (ex) => {
    if (ex.request.path === '/healthz' && ex.request.headers['K-Network-Probe'] === 'activator') {
      seen.probes.push(h.cluster.sim.nowMs);
      ex.respond({ status: 200, body: 'activator' });
    } else ex.respond({ status: 404 });
  });
  return seen;
}

export function pa(h: Harness, rev: string): KubeObject {
  return h.cluster.api.get(PODAUTOSCALERS, rev, { namespace: NS });
}

export function sks(h: Harness, rev: string): KubeObject | undefined {
  return h.cluster.api.list(SERVERLESSSERVICES, { namespace: NS }).items.find((s) => s.metadata.name === rev);
}

export function replicas(h: Harness, rev: string): number {
  return h.cluster.api.get(DEPLOYMENTS, `${rev}-deployment`, { namespace: NS }).spec?.replicas as number;
}

export function condition(obj: KubeObject, type: string): { status: string; reason?: string } | undefined {
  return (obj.status?.conditions as { type: string; status: string; reason?: string }[] | undefined)?.find((c) => c.type === type);
}

export function trace(h: Harness, kind: string, match: Record<string, string | number | boolean> = {}): TraceLine[] {
  return h.cluster.sim.trace.lines().filter((l) => l.kind === kind && Object.entries(match).every(([k, v]) => l.fields[k] === v));
}

export interface Change {
  atMs: number;
  value: string;
}

/** Records every committed change of `describe(obj)` for objects of `resource` named `name`. */
export function watchValue(h: Harness, resource: { resource: string }, name: string, describe: (obj: KubeObject) => string): Change[] {
  const changes: Change[] = [];
  h.cluster.api.onCommit((ev) => {
    if (ev.resource.plural !== resource.resource || ev.object.metadata.name !== name || ev.type === 'DELETED') return;
    const value = describe(ev.object);
    if (changes.length === 0 || changes[changes.length - 1].value !== value) changes.push({ atMs: h.cluster.sim.nowMs, value });
  });
  return changes;
}

/** The stand-in SKS reconciler: services named as upstream, public Endpoints and status from decidePublicEndpoints. */
function startSksStandIn(h: Harness): void {
  h.cluster.addComponent({
    name: 'sks-stand-in',
    setup: (ctx) => {
      const skss = ctx.informer(SERVERLESSSERVICES);
      const pods = ctx.informer(PODS);
      const ctl = ctx.controller({
        name: 'sks-stand-in',
        reconcile: function* (key) {
          const obj = skss.get(key);
          if (obj === undefined) return;
          const rev = obj.metadata.name!;
          const ready = pods.list(obj.metadata.namespace).filter((p) => p.metadata.labels?.[LABELS.revision] === rev && !p.metadata.deletionTimestamp
            && (p.status?.conditions as { type: string; status: string }[] | undefined)?.some((c) => c.type === 'Ready' && c.status === 'True'));
          const privateSubsets: EndpointSubset[] = ready.length === 0 ? [] : [{ addresses: ready.map((p) => ({ ip: p.status!.podIP as string })), ports: [{ name: 'http', port: PORTS.http1 }] }];
          const activatorSubsets: EndpointSubset[] = [{ addresses: h.activatorIps.map((ip) => ({ ip })), ports: [{ name: 'http', port: PORTS.http1 }] }];
          const d = decidePublicEndpoints({ sksName: rev, specMode: obj.spec!.mode, numActivators: obj.spec!.numActivators, protocol: 'http1', privateSubsets, activatorSubsets });
          yield* writeEndpoints(ctx.client, obj.metadata.namespace!, rev, d.subsets ?? []);
          const next = deepCopy(obj);
          const status = (next.status ??= {}) as Record<string, any>;
          const cm = new ConditionManager({ happy: 'Ready', dependents: ['EndpointsPopulated'] }, status, ctx.sim.nowMs);
          cm.initialize();
          if (d.endpointsPopulated.status === 'True') cm.markTrue('EndpointsPopulated');
          else cm.markUnknown('EndpointsPopulated', d.endpointsPopulated.reason ?? '', d.endpointsPopulated.message ?? '');
          cm.set({ type: 'ActivatorEndpointsPopulated', ...d.activatorEndpointsPopulated });
          Object.assign(status, { privateServiceName: `${rev}-private`, serviceName: rev, observedGeneration: obj.metadata.generation });
          if (JSON.stringify(status) !== JSON.stringify(obj.status ?? {})) yield* ctx.client.updateStatus(SERVERLESSSERVICES, next);
        },
      });
      skss.addHandler({ add: (o) => ctl.enqueue(objectKey(o)), update: (_p, o) => ctl.enqueue(objectKey(o)) });
      const byPod = (p: KubeObject): void => {
        const rev = p.metadata.labels?.[LABELS.revision];
        if (rev !== undefined) ctl.enqueue(`${p.metadata.namespace}/${rev}`);
      };
      pods.addHandler({ add: byPod, update: (_p, o) => byPod(o), delete: byPod });
    },
  });
}

function* writeEndpoints(client: import('../../../src/client/sim-client.js').SimClient, namespace: string, name: string, subsets: EndpointSubset[]): Generator<any, void, any> {
  let existing: KubeObject | undefined;
  try {
    existing = yield* client.get(ENDPOINTS, name, { namespace });
  } catch {
    existing = undefined;
  }
  if (existing === undefined) {
    yield* client.create(ENDPOINTS, { apiVersion: 'v1', kind: 'Endpoints', metadata: { name, namespace }, subsets } as KubeObject);
    return;
  }
  if (JSON.stringify(existing.subsets ?? []) === JSON.stringify(subsets)) return;
  const next = deepCopy(existing);
  next.subsets = subsets;
  yield* client.update(ENDPOINTS, next);
}
