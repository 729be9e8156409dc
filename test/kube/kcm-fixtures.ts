// Shared builders for the Endpoints, EndpointSlice and namespace controller suites: a cluster
// running one controller in "kube-controller-manager", pods created and given a status through the
// real API server (the kubelet is not part of these tests), Services, and queries over the writes
// the controller made.
import { deepCopy } from '../../src/apiserver/deep-copy.js';
import type { KubeObject, ResourceId } from '../../src/apiserver/types.js';
import type { ComponentContext } from '../../src/client/component.js';
import { SimCluster } from '../../src/client/sim-cluster.js';
import { NAMESPACES, NODES, PODS, SERVICES } from '../../src/kube/resources.js';
import { formatSimTime } from '../../src/sim/time-format.js';
import { traceLines } from '../client/fixtures.js';

export const KCM = 'kube-controller-manager';

export interface ClusterOptions {
  seed?: number | string;
  /** Start the controller component at once (default) or leave it for the test to start. */
  start?: boolean;
}

/** A cluster with `setup` as kube-controller-manager; objects created before the first run are there when it lists. */
export function kcmCluster(setup: (ctx: ComponentContext) => void, options: ClusterOptions = {}): SimCluster {
  const cluster = new SimCluster({ seed: options.seed ?? 7, trace: { keepAll: true }, bookmarkIntervalMs: 0 });
  cluster.addComponent({ name: KCM, setup, start: options.start ?? true });
  return cluster;
}

export function ensureNamespace(cluster: SimCluster, name: string): void {
  if (cluster.api.list(NAMESPACES).items.some((ns) => ns.metadata.name === name)) return;
  cluster.api.create(NAMESPACES, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
}

export function ensureNode(cluster: SimCluster, name: string, labels: Record<string, string> = {}): void {
  if (cluster.api.list(NODES).items.some((n) => n.metadata.name === name)) return;
  cluster.api.create(NODES, { apiVersion: 'v1', kind: 'Node', metadata: { name, labels }, spec: {} });
}

export interface ContainerPortSpec {
  name?: string;
  containerPort: number;
  protocol?: string;
}

export interface PodOptions {
  labels?: Record<string, string>;
  ports?: ContainerPortSpec[];
  nodeName?: string;
  hostname?: string;
  subdomain?: string;
  /** Status to set after creation; none leaves the pod Pending without an IP. */
  status?: PodStatusOptions;
}

export interface PodStatusOptions {
  ready?: boolean;
  ip?: string;
  ips?: string[];
  phase?: string;
}

/** Creates a pod and, with `status`, writes its status through /status as the kubelet would. */
export function createPod(cluster: SimCluster, ns: string, name: string, options: PodOptions = {}): KubeObject {
  ensureNamespace(cluster, ns);
  const spec: Record<string, unknown> = { containers: [{ name: 'app', image: 'app:1', ports: options.ports ?? [] }] };
  if (options.nodeName !== undefined) spec.nodeName = options.nodeName;
  if (options.hostname !== undefined) spec.hostname = options.hostname;
  if (options.subdomain !== undefined) spec.subdomain = options.subdomain;
  const pod = cluster.api.create(PODS, { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: ns, labels: options.labels ?? { foo: 'bar' } }, spec });
  return options.status ? setPodStatus(cluster, ns, name, options.status) : pod;
}

/** Writes a pod's phase, IPs and Ready condition (lastTransitionTime only moves when readiness does). */
export function setPodStatus(cluster: SimCluster, ns: string, name: string, options: PodStatusOptions): KubeObject {
  const pod = deepCopy(cluster.api.get(PODS, name, { namespace: ns }));
  const status = (pod.status ??= {}) as Record<string, any>;
  status.phase = options.phase ?? 'Running';
  const ips = options.ips ?? (options.ip !== undefined ? [options.ip] : undefined);
  if (ips !== undefined) {
    status.podIP = ips[0];
    status.podIPs = ips.map((ip) => ({ ip }));
  }
  const wanted = options.ready === true ? 'True' : 'False';
  const old = (status.conditions as { type: string; status: string; lastTransitionTime: string }[] | undefined)?.find((c) => c.type === 'Ready');
  const lastTransitionTime = old?.status === wanted ? old.lastTransitionTime : formatSimTime(cluster.sim.nowMs);
  status.conditions = [{ type: 'Ready', status: wanted, lastTransitionTime }];
  return cluster.api.update(PODS, pod, { subresource: 'status' });
}

/** Upstream's testPod: pod<id>, labels foo=bar, ports port<j> = 8080+j, IP 1.2.3.(4+id). */
export function testPod(cluster: SimCluster, ns: string, id: number, nPorts: number, ready: boolean, extra: Partial<PodOptions> = {}): KubeObject {
  const ports = Array.from({ length: nPorts }, (_, j) => ({ name: `port${j}`, containerPort: 8080 + j }));
  return createPod(cluster, ns, `pod${id}`, { ports, status: { ready, ip: `1.2.3.${4 + id}` }, ...extra });
}

export function createService(cluster: SimCluster, ns: string, name: string, spec: Record<string, unknown>, labels?: Record<string, string>): KubeObject {
  ensureNamespace(cluster, ns);
  const metadata: KubeObject['metadata'] = { name, namespace: ns };
  if (labels) metadata.labels = labels;
  return cluster.api.create(SERVICES, { apiVersion: 'v1', kind: 'Service', metadata, spec });
}

export function find(cluster: SimCluster, res: ResourceId, ns: string, name: string): KubeObject | undefined {
  return cluster.api.list(res, { namespace: ns }).items.find((o) => o.metadata.name === name);
}

/** Successful writes (create, update, patch, delete) the controller component made to `res`. */
export function writesBy(cluster: SimCluster, res: ResourceId, component = KCM): { verb: string; name: string; atMs: number }[] {
  return traceLines(cluster.sim, 'api', { c: component, res: res.resource, code: 200 })
    .filter((l) => l.fields.verb !== 'get' && l.fields.verb !== 'list')
    .map((l) => ({ verb: String(l.fields.verb), name: String(l.fields.name ?? ''), atMs: l.atMs }));
}

/** Runs `fn` at virtual time `atMs`. */
export function at(cluster: SimCluster, atMs: number, fn: () => void): void {
  cluster.sim.schedule(atMs - cluster.sim.nowMs, fn);
}
