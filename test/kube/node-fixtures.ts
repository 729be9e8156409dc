// Shared helpers for the node suites (scheduler, kubelet, node lifecycle, pod faults): a cluster with
// nodes on the real in-memory API server, exact timings when a test checks times, pod builders, and
// a commit log of pods to read when something became visible.
import type { KubeObject } from '../../src/apiserver/types.js';
import { SimCluster } from '../../src/client/sim-cluster.js';
import { setupGarbageCollector } from '../../src/kube/garbage-collector.js';
import { defaultNodes, installKubeNodes, type KubeNodes, type NodeConfig } from '../../src/kube/install-nodes.js';
import { DEFAULT_KUBELET_TIMINGS, withoutJitter, type KubeletTimingsOverrides } from '../../src/kube/kubelet-timings.js';
import { setupNodeLifecycleController, type NodeLifecycleOptions } from '../../src/kube/node-lifecycle-controller.js';
import { PodRuntime } from '../../src/kube/pod-runtime.js';
import { PODS } from '../../src/kube/resources.js';
import type { SchedulerOptions } from '../../src/kube/scheduler.js';
import { parseSimTime } from '../../src/sim/time-format.js';
import type { TraceLine } from '../../src/sim/trace.js';

export const NS = 'default';

export interface NodesClusterOptions {
  seed?: number | string;
  /** Replay this choice log. */
  replay?: readonly number[];
  nodes?: NodeConfig[];
  /** Zero jitter everywhere and 1 ms network latency: every time is exact. */
  exact?: boolean;
  timings?: KubeletTimingsOverrides;
  runtime?: PodRuntime;
  scheduler?: SchedulerOptions;
  /** Add kube-controller-manager with the node lifecycle controller (and the garbage collector). */
  controllerManager?: NodeLifecycleOptions | boolean;
  events?: boolean;
}

export interface NodesCluster extends KubeNodes {
  cluster: SimCluster;
}

export function nodesCluster(options: NodesClusterOptions = {}): NodesCluster {
  const exact = options.exact ?? false;
  const network = exact ? { requestLatency: { minMs: 1, maxMs: 1 }, watchLatency: { minMs: 1, maxMs: 1 } } : undefined;
  const cluster = new SimCluster({ seed: options.seed ?? 1, replay: options.replay, trace: { keepAll: true }, network });
  const runtime = options.runtime ?? new PodRuntime({ timings: exact ? withoutJitter(DEFAULT_KUBELET_TIMINGS) : undefined });
  const scheduler = { ...(exact ? { cycleMs: { minMs: 1, maxMs: 1 } } : {}), ...(options.scheduler ?? {}) };
  const nodes = installKubeNodes(cluster, { nodes: options.nodes ?? defaultNodes(2), runtime, timings: options.timings, scheduler, events: options.events });
  if (options.controllerManager) {
    const lifecycle = options.controllerManager === true ? {} : options.controllerManager;
    cluster.addComponent({
      name: 'kube-controller-manager',
      setup: (ctx) => {
        setupGarbageCollector(ctx);
        setupNodeLifecycleController(ctx, lifecycle);
      },
    });
  }
  return { ...nodes, cluster };
}

export interface PodOptions {
  containers?: Record<string, unknown>[];
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  spec?: Record<string, unknown>;
  namespace?: string;
}

export function podObject(name: string, options: PodOptions = {}): KubeObject {
  const metadata: KubeObject['metadata'] = { name, namespace: options.namespace ?? NS };
  if (options.labels) metadata.labels = options.labels;
  if (options.annotations) metadata.annotations = options.annotations;
  const containers = options.containers ?? [{ name: 'app', image: 'example.com/app:v1' }];
  return { apiVersion: 'v1', kind: 'Pod', metadata, spec: { containers, ...(options.spec ?? {}) } };
}

/** Creates the pod through the API server now; returns the stored object. */
export function createPod(c: { cluster: SimCluster }, name: string, options: PodOptions = {}): KubeObject {
  return c.cluster.api.create(PODS, podObject(name, options));
}

export function getPod(c: { cluster: SimCluster }, name: string, namespace = NS): KubeObject | undefined {
  return c.cluster.api.list(PODS, { namespace }).items.find((p) => p.metadata.name === name);
}

/** Runs `fn` at virtual time `atMs`. */
export function at(c: { cluster: SimCluster }, atMs: number, fn: () => void): void {
  c.cluster.sim.schedule(atMs - c.cluster.sim.nowMs, fn);
}

/** Trace lines of `kind` whose fields include every field of `match`. */
export function lines(c: { cluster: SimCluster }, kind: string, match: Record<string, string | number | boolean> = {}): TraceLine[] {
  return c.cluster.sim.trace.lines().filter((l) => l.kind === kind && Object.entries(match).every(([k, v]) => l.fields[k] === v));
}

/** The time of the first trace line of `kind` matching `match` (undefined if none). */
export function firstAt(c: { cluster: SimCluster }, kind: string, match: Record<string, string | number | boolean> = {}): number | undefined {
  return lines(c, kind, match)[0]?.atMs;
}

export interface PodCommit {
  atMs: number;
  type: string;
  pod: KubeObject;
}

/** Records every committed change of pods from now on (the API server's view, at commit time). */
export function podLog(c: { cluster: SimCluster }): PodCommit[] {
  const log: PodCommit[] = [];
  c.cluster.api.onCommit((ev) => {
    if (ev.resource.plural === 'pods') log.push({ atMs: c.cluster.sim.nowMs, type: ev.type, pod: ev.object });
  });
  return log;
}

/** The first commit at which `pred` holds for the pod named `name`. */
export function firstCommit(log: readonly PodCommit[], name: string, pred: (pod: KubeObject) => boolean): PodCommit | undefined {
  return log.find((e) => e.pod.metadata.name === name && e.type !== 'DELETED' && pred(e.pod));
}

export const isReady = (pod: KubeObject): boolean =>
  ((pod.status?.conditions ?? []) as { type: string; status: string }[]).some((c) => c.type === 'Ready' && c.status === 'True');

export const containerStatus = (pod: KubeObject | undefined, name: string): Record<string, any> | undefined =>
  (pod?.status?.containerStatuses as Record<string, any>[] | undefined)?.find((s) => s.name === name);

export const ms = (rfc3339: string): number => parseSimTime(rfc3339);
