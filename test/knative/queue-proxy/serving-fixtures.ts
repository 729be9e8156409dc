// Shared set-up for the data-plane suites (queue-proxy, activator, ingress): a cluster with nodes on
// the real in-memory API server and the real kubelet, the real HttpNetwork, a ServingSystem that
// collects request outcomes, revision pods shaped as the Revision reconciler writes them
// (resources/deploy.go, queue.go), and helpers to send HTTP and wait in virtual time.
import type { KubeObject } from '../../../src/apiserver/types.js';
import type { HttpNetwork, HttpRequest, HttpResponse } from '../../../src/dataplane/http-network.js';
import { HttpNetwork as Network } from '../../../src/dataplane/http-network.js';
import type { RequestOutcome, SimRequest } from '../../../src/dataplane/request.js';
import { defaultNodes } from '../../../src/kube/install-nodes.js';
import { PODS } from '../../../src/kube/resources.js';
import { LABELS } from '../../../src/knative/apis/serving-labels.js';
import { queueProxyBehaviour, type QueueProxy, type QueueProxyBehaviour, type QueueProxyBehaviourOptions } from '../../../src/knative/queue-proxy/index.js';
import type { ServingSystem } from '../../../src/knative/serving-system.js';
import { KnativeProfile } from '../../../src/knative/versions.js';
import { nodesCluster, type NodesCluster } from '../../kube/node-fixtures.js';

export const NS = 'default';

export interface ServingCluster extends NodesCluster {
  http: HttpNetwork;
  system: ServingSystem;
  outcomes: RequestOutcome[];
  qp: QueueProxyBehaviour;
  /** The next SimRequest id. */
  ids: { next: number };
}

export interface ServingClusterOptions {
  seed?: number | string;
  nodes?: number;
  /** Zero jitter in the kubelet and 0 ms network hops: every time is exact. Default true. */
  exact?: boolean;
  queueProxy?: QueueProxyBehaviourOptions;
  /** The installed release (what a queue-proxy whose image names none runs). Default latest. */
  release?: string;
}

export function servingCluster(options: ServingClusterOptions = {}): ServingCluster {
  const exact = options.exact ?? true;
  const c = nodesCluster({ seed: options.seed ?? 1, exact, nodes: defaultNodes(options.nodes ?? 1), events: false });
  const http = new Network(c.cluster.sim, exact ? { hopLatency: { minMs: 0, maxMs: 0 } } : {});
  const outcomes: RequestOutcome[] = [];
  const system: ServingSystem = { cluster: c.cluster, http, runtime: c.runtime, profile: new KnativeProfile(options.release ?? 'latest'), onRequestDone: (o) => void outcomes.push(o), activators: new Map() };
  const qp = queueProxyBehaviour(system, options.queueProxy);
  c.runtime.register(qp);
  return { ...c, http, system, outcomes, qp, ids: { next: 0 } };
}

export interface RevisionPodOptions {
  revision?: string;
  containerConcurrency?: number;
  timeoutSeconds?: number;
  appStartMs?: number;
  /** SERVING_READINESS_PROBE; undefined leaves the env out. */
  readinessProbe?: string;
  /** The queue-proxy readiness probe's periodSeconds (the kubelet's). Default 1. */
  probePeriodSeconds?: number;
  terminationGracePeriodSeconds?: number;
  userLivenessProbe?: Record<string, unknown>;
  annotations?: Record<string, string>;
}

/** A revision pod as the Revision reconciler shapes it: user container first, queue-proxy second. */
export function revisionPodObject(name: string, o: RevisionPodOptions = {}): KubeObject {
  const revision = o.revision ?? 'hello-00001';
  const env = [
    { name: 'SERVING_NAMESPACE', value: NS }, { name: 'SERVING_REVISION', value: revision },
    { name: 'CONTAINER_CONCURRENCY', value: String(o.containerConcurrency ?? 0) },
    { name: 'REVISION_TIMEOUT_SECONDS', value: String(o.timeoutSeconds ?? 300) },
    { name: 'USER_PORT', value: '8080' }, { name: 'QUEUE_SERVING_PORT', value: '8012' },
    ...(o.readinessProbe !== undefined ? [{ name: 'SERVING_READINESS_PROBE', value: o.readinessProbe }] : []),
  ];
  const user: Record<string, unknown> = {
    name: 'user-container', image: 'example.com/hello:v1', ports: [{ name: 'user-port', containerPort: 8080 }],
    lifecycle: { preStop: { httpGet: { path: '/wait-for-drain', port: 8022 } } },
  };
  if (o.userLivenessProbe) user.livenessProbe = o.userLivenessProbe;
  const queue = {
    name: 'queue-proxy', image: 'gcr.io/knative-releases/queue:v1', env,
    ports: [{ name: 'http-queueadm', containerPort: 8022 }, { name: 'http-autometric', containerPort: 9090 }, { name: 'queue-port', containerPort: 8012 }],
    readinessProbe: { httpGet: { port: 8012, httpHeaders: [{ name: 'K-Network-Probe', value: 'queue' }] }, periodSeconds: o.probePeriodSeconds ?? 1, successThreshold: 1 },
  };
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: {
      name, namespace: NS,
      labels: { [LABELS.revision]: revision, [LABELS.revisionUID]: `uid-${revision}`, app: revision },
      annotations: { 'sleeveless.dev/app-start-ms': String(o.appStartMs ?? 1000), ...(o.annotations ?? {}) },
    },
    spec: { containers: [user, queue], terminationGracePeriodSeconds: o.terminationGracePeriodSeconds ?? o.timeoutSeconds ?? 300 },
  };
}

export function createRevisionPod(c: ServingCluster, name: string, o: RevisionPodOptions = {}): KubeObject {
  return c.cluster.api.create(PODS, revisionPodObject(name, o));
}

export function podOf(c: ServingCluster, name: string): KubeObject | undefined {
  return c.cluster.api.list(PODS, { namespace: NS }).items.find((p) => p.metadata.name === name);
}

export function podIp(c: ServingCluster, name: string): string {
  const pod = podOf(c, name)!;
  return c.runtime.sandbox(pod.metadata.uid!)!.sandbox.ip;
}

export function podUid(c: ServingCluster, name: string): string {
  return podOf(c, name)!.metadata.uid!;
}

/** The running queue-proxy of a pod. */
export function queueProxyOf(c: ServingCluster, name: string): QueueProxy | undefined {
  const pod = podOf(c, name);
  return pod ? c.qp.queueProxy(pod.metadata.uid!) : undefined;
}

export interface Reply {
  res?: HttpResponse;
  atMs?: number;
}

/** Sends now; the reply lands in the returned object when it arrives. */
export function send(c: ServingCluster, ip: string, port: number, req: Partial<HttpRequest>, options: { fromIp?: string; timeoutMs?: number } = {}): Reply {
  const reply: Reply = {};
  const full: HttpRequest = { method: req.method ?? 'GET', path: req.path ?? '/', headers: req.headers ?? {}, body: req.body, carried: req.carried };
  c.http.send(ip, port, full, { fromIp: options.fromIp ?? '10.99.0.1', timeoutMs: options.timeoutMs ?? 0 }, (res) => {
    reply.res = res;
    reply.atMs = c.cluster.sim.nowMs;
  });
  return reply;
}

/** A workload request with a service time. */
export function simRequest(c: ServingCluster, o: { serviceTimeMs?: number; host?: string; clientTimeoutMs?: number } = {}): SimRequest {
  return { id: c.ids.next++, host: o.host ?? 'hello.default.example.com', path: '/', arrivalMs: c.cluster.sim.nowMs, serviceTimeMs: o.serviceTimeMs ?? 100, clientTimeoutMs: o.clientTimeoutMs ?? 0, phase: 'test' };
}

export function runUntil(c: ServingCluster, atMs: number): void {
  c.cluster.sim.run({ untilMs: atMs });
}

export function at(c: ServingCluster, atMs: number, fn: () => void): void {
  c.cluster.sim.schedule(atMs - c.cluster.sim.nowMs, fn);
}

/** Runs event by event until a trace line of `kind` matching `match` exists; returns its time. */
export function runUntilTrace(c: ServingCluster, kind: string, match: Record<string, string | number | boolean>, limitMs = 600_000): number {
  const find = (): number | undefined => c.cluster.sim.trace.lines().find((l) => l.kind === kind && Object.entries(match).every(([k, v]) => l.fields[k] === v))?.atMs;
  for (let found = find(); ; found = find()) {
    if (found !== undefined) return found;
    if (c.cluster.sim.nowMs > limitMs || !c.cluster.sim.step()) throw new Error(`no ${kind} ${JSON.stringify(match)} by ${c.cluster.sim.nowMs}`);
  }
}

/** Runs until the container of the pod has started (the first time); returns when. */
export function runUntilStarted(c: ServingCluster, pod: string, container: string): number {
  return runUntilTrace(c, 'container', { pod: `${NS}/${pod}`, c: container, event: 'started' });
}
