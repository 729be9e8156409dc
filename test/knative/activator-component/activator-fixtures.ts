// Set-up for the activator suites: activator incarnations as components of the simulated cluster
// (the pod identity is given; no launcher), Revisions and the SKS's Endpoints written straight to
// the in-memory API server, a stand-in for the autoscaler's stat server that records what it
// receives, and stand-ins for queue-proxies whose health and service are scripted.
import type { KubeObject } from '../../../src/apiserver/types.js';
import type { Exchange, HttpResponse } from '../../../src/dataplane/http-network.js';
import type { Component } from '../../../src/client/component.js';
import { ENDPOINTS, NAMESPACES } from '../../../src/kube/resources.js';
import { setupActivator, type Activator, type ActivatorOptions } from '../../../src/knative/activator-component/index.js';
import { REVISIONS } from '../../../src/knative/apis/resources.js';
import { LABELS } from '../../../src/knative/apis/serving-labels.js';
import { KNATIVE_NAMESPACE } from '../../../src/knative/serving-system.js';
import { NS, send, simRequest, type Reply, type ServingCluster } from '../queue-proxy/serving-fixtures.js';

export const AUTOSCALER_IP = '10.96.5.5';

export interface ActivatorHandle {
  component: Component;
  ip: string;
  /** The running incarnation. */
  current: () => Activator;
}

export function ensureSystemNamespace(c: ServingCluster): void {
  if (!c.cluster.api.list(NAMESPACES).items.some((n) => n.metadata.name === KNATIVE_NAMESPACE)) {
    c.cluster.api.create(NAMESPACES, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: KNATIVE_NAMESPACE } });
  }
}

export function startActivator(c: ServingCluster, name: string, ip: string, options: ActivatorOptions = {}): ActivatorHandle {
  const holder: { a?: Activator } = {};
  const pod = { name, namespace: KNATIVE_NAMESPACE, uid: `uid-${name}`, ip, nodeName: 'node-1' };
  const component = c.cluster.addComponent({ name: `activator/${name}`, setup: (ctx) => void (holder.a = setupActivator(ctx, { system: c.system, pod, profile: c.system.profile }, options)) });
  return { component, ip, current: () => holder.a! };
}

export interface RevisionOptions {
  containerConcurrency?: number;
  timeoutSeconds?: number;
  readinessProbe?: Record<string, unknown>;
}

export function createRevision(c: ServingCluster, name: string, o: RevisionOptions = {}): KubeObject {
  const container: Record<string, unknown> = { image: 'example.com/hello:v1', ports: [{ containerPort: 8080 }] };
  if (o.readinessProbe) container.readinessProbe = o.readinessProbe;
  return c.cluster.api.create(REVISIONS, {
    apiVersion: 'serving.knative.dev/v1', kind: 'Revision',
    metadata: { name, namespace: NS, labels: { [LABELS.configuration]: 'hello' } },
    spec: { containerConcurrency: o.containerConcurrency ?? 0, timeoutSeconds: o.timeoutSeconds ?? 300, containers: [container] },
  });
}

function subsets(ready: readonly string[], notReady: readonly string[], port: number): Record<string, unknown>[] {
  if (ready.length === 0 && notReady.length === 0) return [];
  const subset: Record<string, unknown> = { ports: [{ name: 'http', port, protocol: 'TCP' }] };
  if (ready.length > 0) subset.addresses = ready.map((ip) => ({ ip }));
  if (notReady.length > 0) subset.notReadyAddresses = notReady.map((ip) => ({ ip }));
  return [subset];
}

function putEndpoints(c: ServingCluster, namespace: string, name: string, labels: Record<string, string>, subs: Record<string, unknown>[]): void {
  const existing = c.cluster.api.list(ENDPOINTS, { namespace }).items.find((e) => e.metadata.name === name);
  if (existing === undefined) {
    c.cluster.api.create(ENDPOINTS, { apiVersion: 'v1', kind: 'Endpoints', metadata: { name, namespace, labels }, subsets: subs });
  } else {
    c.cluster.api.update(ENDPOINTS, { ...existing, subsets: subs });
  }
}

/** The SKS private Endpoints `<rev>-private` (pod IPs, port 8012 named http). */
export function setPrivateEndpoints(c: ServingCluster, revision: string, ready: readonly string[], notReady: readonly string[] = []): void {
  const labels = { [LABELS.serviceType]: 'Private', [LABELS.revision]: revision, [LABELS.revisionUID]: `uid-${revision}` };
  putEndpoints(c, NS, `${revision}-private`, labels, subsets(ready, notReady, 8012));
}

/** The SKS public Endpoints `<rev>` (activator or pod IPs). */
export function setPublicEndpoints(c: ServingCluster, revision: string, ready: readonly string[]): void {
  const labels = { [LABELS.serviceType]: 'Public', [LABELS.revision]: revision };
  putEndpoints(c, NS, revision, labels, subsets(ready, [], 8012));
}

export interface StatLog {
  batches: { atMs: number; from: string; body: { key: string; stat: Record<string, unknown> }[] }[];
}

/** A stand-in for the autoscaler's stat server, and the `autoscaler` Endpoints pointing at it. */
export function autoscalerStandIn(c: ServingCluster, ip = AUTOSCALER_IP): StatLog {
  ensureSystemNamespace(c);
  const log: StatLog = { batches: [] };
  c.http.listen(ip, 8080, (ex) => {
    log.batches.push({ atMs: c.cluster.sim.nowMs, from: ex.fromIp, body: ex.request.body as StatLog['batches'][number]['body'] });
    ex.respond({ status: 200 });
  });
  putEndpoints(c, KNATIVE_NAMESPACE, 'autoscaler', {}, subsets([ip], [], 8080));
  return log;
}

export interface FakeQueueProxy {
  ip: string;
  healthy: boolean;
  /** Requests in flight now, the most at once, and served so far. */
  inFlight: number;
  maxInFlight: number;
  served: number;
  probes: number;
  stop(): void;
}

/** A stand-in for a pod's queue-proxy on ip:8012: scripted health, serves for the request's service time. */
export function fakeQueueProxy(c: ServingCluster, ip: string, o: { healthy?: boolean } = {}): FakeQueueProxy {
  const q: FakeQueueProxy = { ip, healthy: o.healthy ?? true, inFlight: 0, maxInFlight: 0, served: 0, probes: 0, stop: () => undefined };
  const handler = (ex: Exchange): void => {
    const req = ex.request;
    if (req.headers['K-Network-Probe'] === 'queue') {
      q.probes++;
      return ex.respond(q.healthy ? { status: 200, body: 'queue' } : { status: 503, body: '' });
    }
    q.inFlight++;
    q.maxInFlight = Math.max(q.maxInFlight, q.inFlight);
    c.cluster.sim.schedule(req.carried?.serviceTimeMs ?? 0, () => {
      q.inFlight--;
      q.served++;
      const res: HttpResponse = { status: 200, headers: { 'X-Sleeveless-Pod': ip }, body: 'ok' };
      ex.respond(res);
    });
  };
  const unlisten = c.http.listen(ip, 8012, handler);
  q.stop = unlisten;
  return q;
}

export function revisionHeaders(revision: string): Record<string, string> {
  return { 'Knative-Serving-Revision': revision, 'Knative-Serving-Namespace': NS };
}

/** A user request to the activator for `revision`. */
export function viaActivator(c: ServingCluster, ip: string, revision: string, serviceTimeMs = 100, options: { timeoutMs?: number } = {}): Reply {
  return send(c, ip, 8012, { headers: revisionHeaders(revision), carried: simRequest(c, { serviceTimeMs }) }, { timeoutMs: options.timeoutMs });
}
