// A cluster to run the Knative controller deployment (or some of its reconcilers) in, with the
// work of the other components played by the test through the real in-memory API server: the
// Deployment controller and kubelet (Deployment status, pods), the KPA (SKS objects, PA status),
// the ingress gateway (KIngress status) and the Endpoints controller (Endpoints).

import { isNotFound } from '../../../src/apiserver/api-error.js';
import { deepCopy } from '../../../src/apiserver/deep-copy.js';
import type { KubeObject, ResourceId } from '../../../src/apiserver/types.js';
import type { Component, ComponentContext } from '../../../src/client/component.js';
import { SimCluster } from '../../../src/client/sim-cluster.js';
import { HttpNetwork } from '../../../src/dataplane/http-network.js';
import { PodRuntime } from '../../../src/kube/pod-runtime.js';
import { CONFIGMAPS, DEPLOYMENTS, ENDPOINTS, NAMESPACES } from '../../../src/kube/resources.js';
import type { TraceLine } from '../../../src/sim/trace.js';
import { formatSimTime } from '../../../src/sim/time-format.js';
import { KINGRESSES, PODAUTOSCALERS, SERVERLESSSERVICES } from '../../../src/knative/apis/resources.js';
import { setupConfigurationController } from '../../../src/knative/controller/configuration-reconciler.js';
import { setupLabeler } from '../../../src/knative/controller/labeler-reconciler.js';
import type { ReconcilerHost } from '../../../src/knative/controller/reconciler-host.js';
import { setupRevisionGc } from '../../../src/knative/controller/revision-gc-reconciler.js';
import { setupRevisionController } from '../../../src/knative/controller/revision-reconciler.js';
import { setupRouteController } from '../../../src/knative/controller/route-reconciler.js';
import { ServingConfigStore } from '../../../src/knative/controller/serving-config-store.js';
import { setupServingController } from '../../../src/knative/controller/serving-controller.js';
import { setupServiceController } from '../../../src/knative/controller/service-reconciler.js';
import { setupServerlessServiceController } from '../../../src/knative/controller/sks-reconciler.js';
import { KNATIVE_NAMESPACE, type KnativeComponentEnv, type ServingSystem } from '../../../src/knative/serving-system.js';
import { KnativeProfile } from '../../../src/knative/versions.js';

export const NS = 'default';
export const QUEUE_IMAGE = 'queue:test';

export interface ControllerHarness {
  cluster: SimCluster;
  system: ServingSystem;
}

export type ReconcilerName = 'service' | 'configuration' | 'route' | 'labeler' | 'revision' | 'serverlessservice' | 'gc';

const SETUPS: Record<ReconcilerName, (host: ReconcilerHost) => unknown> = {
  service: setupServiceController,
  configuration: setupConfigurationController,
  route: setupRouteController,
  labeler: setupLabeler,
  revision: setupRevisionController,
  serverlessservice: setupServerlessServiceController,
  gc: setupRevisionGc,
};

export function ksvc(name: string, image = 'busybox', extra: Record<string, unknown> = {}): KubeObject {
  return { apiVersion: 'serving.knative.dev/v1', kind: 'Service', metadata: { name, namespace: NS }, spec: { template: { spec: { containers: [{ image }] } }, ...extra } };
}

export function configMap(name: string, data: Record<string, string>): KubeObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: KNATIVE_NAMESPACE }, data };
}

/** A cluster with the namespaces and ConfigMaps (config-deployment names a queue image), no components. */
export function newHarness(options: { seed?: number | string; config?: Record<string, Record<string, string>> } = {}): ControllerHarness {
  const cluster = new SimCluster({ seed: options.seed ?? 11, trace: { keepAll: true }, bookmarkIntervalMs: 0 });
  const system: ServingSystem = { cluster, http: new HttpNetwork(cluster.sim), runtime: new PodRuntime(), profile: new KnativeProfile('latest'), onRequestDone: () => undefined, activators: new Map() };
  for (const name of [KNATIVE_NAMESPACE, NS]) {
    if (cluster.api.list(NAMESPACES).items.some((ns) => ns.metadata.name === name)) continue;
    cluster.api.create(NAMESPACES, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  }
  const config = { 'config-deployment': { 'queue-sidecar-image': QUEUE_IMAGE }, ...(options.config ?? {}) };
  for (const [name, data] of Object.entries(config)) cluster.api.create(CONFIGMAPS, configMap(name, data));
  return { cluster, system };
}

export function controllerEnv(h: ControllerHarness, podName = 'controller-a', ip = '10.0.0.5'): KnativeComponentEnv {
  return { system: h.system, pod: { name: podName, namespace: KNATIVE_NAMESPACE, uid: `uid-${podName}`, ip, nodeName: 'node-1' }, profile: h.system.profile };
}

/** The whole controller deployment, as the pod launcher starts it. */
export function addController(h: ControllerHarness, podName = 'controller-a'): Component {
  const env = controllerEnv(h, podName);
  return h.cluster.addComponent({ name: podName, setup: (ctx) => setupServingController(ctx, env) });
}

/** Only some reconcilers (to check one without the others rewriting what the test plays). */
export function addReconcilers(h: ControllerHarness, names: readonly ReconcilerName[], podName = 'controller-a'): Component {
  return h.cluster.addComponent({
    name: podName,
    setup: (ctx: ComponentContext) => {
      const host: ReconcilerHost = { ctx, configs: new ServingConfigStore(ctx), system: h.system, profile: h.system.profile, identity: podName, component: 'controller' };
      for (const name of names) SETUPS[name](host);
    },
  });
}

export function run(h: ControllerHarness, ms: number): void {
  h.cluster.sim.advance(ms);
}

export function find(h: ControllerHarness, res: ResourceId, name: string, namespace = NS): KubeObject | undefined {
  try {
    return h.cluster.api.get(res, name, { namespace });
  } catch (e) {
    if (isNotFound(e)) return undefined;
    throw e;
  }
}

export function must(h: ControllerHarness, res: ResourceId, name: string, namespace = NS): KubeObject {
  const obj = find(h, res, name, namespace);
  if (obj === undefined) throw new Error(`${res.resource} ${namespace}/${name} not found`);
  return obj;
}

export function cond(obj: KubeObject | undefined, type: string): { status: string; reason?: string; message?: string; lastTransitionTime?: string } | undefined {
  return (obj?.status?.conditions as { type: string; status: string; reason?: string; message?: string }[] | undefined)?.find((c) => c.type === type);
}

export function trace(h: ControllerHarness, kind: string, match: Record<string, string | number | boolean> = {}): TraceLine[] {
  return h.cluster.sim.trace.lines().filter((l) => l.kind === kind && Object.entries(match).every(([k, v]) => l.fields[k] === v));
}

/** Writes `status` (merged over the current one) through the status subresource. */
export function patchStatus(h: ControllerHarness, res: ResourceId, name: string, status: Record<string, unknown>, namespace = NS): KubeObject {
  const obj = deepCopy(must(h, res, name, namespace));
  obj.status = { ...(obj.status ?? {}), ...status };
  return h.cluster.api.update(res, obj, { subresource: 'status' });
}

export function setConfig(h: ControllerHarness, name: string, data: Record<string, string>): void {
  const cm = deepCopy(must(h, CONFIGMAPS, name, KNATIVE_NAMESPACE));
  cm.data = data;
  h.cluster.api.update(CONFIGMAPS, cm);
}

const now = (h: ControllerHarness): string => formatSimTime(h.cluster.sim.nowMs);

/** The Deployment controller and kubelet: `ready` of `replicas` pods ready, progressing fine unless told. */
export function setDeploymentStatus(h: ControllerHarness, name: string, s: { replicas: number; ready: number; progressing?: { status: string; reason: string; message?: string } }): KubeObject {
  const d = must(h, DEPLOYMENTS, name);
  const progressing = s.progressing ?? { status: 'True', reason: 'NewReplicaSetAvailable' };
  return patchStatus(h, DEPLOYMENTS, name, {
    observedGeneration: d.metadata.generation, replicas: s.replicas, readyReplicas: s.ready, availableReplicas: s.ready, updatedReplicas: s.replicas,
    conditions: [
      { type: 'Available', status: s.ready > 0 ? 'True' : 'False', reason: 'MinimumReplicasAvailable', lastTransitionTime: now(h) },
      { type: 'Progressing', ...progressing, lastTransitionTime: now(h) },
    ],
  });
}

export interface PaStatusOptions {
  ready: 'True' | 'False' | 'Unknown';
  reason?: string;
  initialized?: boolean;
  serviceName?: string;
  desired?: number;
  actual?: number;
}

/** The KPA's status of a PodAutoscaler. */
export function setPaStatus(h: ControllerHarness, name: string, o: PaStatusOptions): KubeObject {
  const t = now(h);
  const conditions = [
    { type: 'Active', status: o.ready, reason: o.reason, lastTransitionTime: t },
    { type: 'Ready', status: o.ready, reason: o.reason, lastTransitionTime: t },
    { type: 'ScaleTargetInitialized', status: o.initialized ? 'True' : 'Unknown', lastTransitionTime: t },
  ];
  const status: Record<string, unknown> = { conditions, serviceName: o.serviceName ?? '', metricsServiceName: `${name}-private` };
  if (o.desired !== undefined) status.desiredScale = o.desired;
  if (o.actual !== undefined) status.actualScale = o.actual;
  return patchStatus(h, PODAUTOSCALERS, name, status);
}

/** The ingress gateway marks a KIngress programmed (Ready at its generation). */
export function markIngressReady(h: ControllerHarness, name: string, namespace = NS): void {
  const ing = must(h, KINGRESSES, name, namespace);
  patchStatus(h, KINGRESSES, name, { observedGeneration: ing.metadata.generation, conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: now(h) }] }, namespace);
}

/** The KPA's SKS for a revision (mode, activators). */
export function createSks(h: ControllerHarness, rev: string, spec: { mode: 'Serve' | 'Proxy'; numActivators?: number }): KubeObject {
  return h.cluster.api.create(SERVERLESSSERVICES, {
    apiVersion: 'networking.internal.knative.dev/v1alpha1', kind: 'ServerlessService',
    metadata: { name: rev, namespace: NS },
    spec: { mode: spec.mode, numActivators: spec.numActivators ?? 2, objectRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: `${rev}-deployment` }, protocolType: 'http1' },
  });
}

/** Endpoints as the Endpoints controller writes them: ready `ips` (and `notReady`) on the given ports. */
export function setEndpoints(h: ControllerHarness, name: string, ips: string[], options: { namespace?: string; notReady?: string[]; ports?: { name: string; port: number }[] } = {}): void {
  const namespace = options.namespace ?? NS;
  const ports = options.ports ?? [{ name: 'http', port: 8012 }, { name: 'https', port: 8112 }, { name: 'http-autometric', port: 9090 }];
  const subset: Record<string, unknown> = { ports };
  if (ips.length > 0) subset.addresses = ips.map((ip) => ({ ip }));
  if ((options.notReady ?? []).length > 0) subset.notReadyAddresses = options.notReady!.map((ip) => ({ ip }));
  const subsets = ips.length + (options.notReady ?? []).length > 0 ? [subset] : [];
  const existing = find(h, ENDPOINTS, name, namespace);
  if (existing === undefined) {
    const svc = find(h, { group: '', version: 'v1', resource: 'services' }, name, namespace);
    h.cluster.api.create(ENDPOINTS, { apiVersion: 'v1', kind: 'Endpoints', metadata: { name, namespace, labels: { ...(svc?.metadata.labels ?? {}) } }, subsets });
    return;
  }
  const next = deepCopy(existing);
  next.subsets = subsets;
  h.cluster.api.update(ENDPOINTS, next);
}
