// The node lifecycle controller of kube-controller-manager (k8s.io/kubernetes
// pkg/controller/nodelifecycle/node_lifecycle_controller.go), the parts a lost node exercises:
// - every nodeMonitorPeriod (5 s), monitorNodeHealth: a node's probe time moves on when its Lease in
//   kube-node-lease is renewed or its Ready condition's heartbeat changes (by this controller's
//   clock); once now > probe time + nodeMonitorGracePeriod — 50 s since Kubernetes 1.32
//   (kubernetes/kubernetes#126287; 40 s before), nodeStartupGracePeriod (60 s) for a node that never
//   posted Ready — the Ready, MemoryPressure, DiskPressure and PIDPressure conditions become Unknown
//   with reason NodeStatusUnknown, "Kubelet stopped posting node status.";
// - on a Ready True → not True transition, MarkPodsNotReady (controller/util/node): every pod on the
//   node gets Ready=False, and a NodeNotReady event;
// - processTaintBaseEviction, from the Ready condition as observed at the start of a pass (so one
//   pass after the change): Unknown → taint node.kubernetes.io/unreachable:NoExecute, False →
//   node.kubernetes.io/not-ready:NoExecute (the two swap), True → both removed. Upstream adds them
//   through a per-zone rate-limited queue (--node-eviction-rate 0.1/s); here at once;
// - doNoScheduleTaintingPass: the matching NoSchedule taints for Ready False/Unknown, and
//   node.kubernetes.io/unschedulable:NoSchedule for a cordoned node.
// Left out: zone disruption states (partial/full disruption halving or stopping evictions),
// NetworkUnavailable and the pressure-condition taints, the node startup taint race fixes.
// Taint-based eviction of pods is taint-eviction-controller.ts, started from here by default.

import { isApiError, isNotFound } from '../apiserver/api-error.js';
import { deepEqual } from '../apiserver/deep-copy.js';
import type { KubeObject } from '../apiserver/types.js';
import type { ComponentContext } from '../client/component.js';
import type { Informer } from '../client/informer.js';
import { NetworkError } from '../client/network-error.js';
import { sleep, type Proc } from '../sim/process.js';
import { formatSimTime } from '../sim/time-format.js';
import { EventRecorder } from './event-recorder.js';
import { NODE_LEASE_NAMESPACE } from './kubelet-node-status.js';
import { podCondition } from './pod-status.js';
import { LEASES, NODES, PODS } from './resources.js';
import { setupTaintEviction } from './taint-eviction-controller.js';
import { nodeTaints, TAINT_NOT_READY, TAINT_UNREACHABLE, TAINT_UNSCHEDULABLE, type Taint } from './taints.js';

export interface NodeLifecycleOptions {
  /** --node-monitor-period: 5 s. */
  nodeMonitorPeriodMs?: number;
  /** --node-monitor-grace-period: 50 s (Kubernetes 1.32+). */
  nodeMonitorGracePeriodMs?: number;
  /** --node-startup-grace-period: 60 s. */
  nodeStartupGracePeriodMs?: number;
  /** Also run taint-based eviction (the taint-eviction-controller). Default true. */
  taintEviction?: boolean;
  events?: boolean;
}

interface NodeHealth {
  probeMs: number;
  heartbeat?: string;
  leaseRenewTime?: string;
  /** Pods still to be marked not ready after a failed pass (nodesToRetry). */
  retryMarkPods?: boolean;
}

const CONDITION_TYPES = ['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure'];
const NODE_INDEX = 'node-name';

const isTransient = (e: unknown): boolean => isApiError(e) || e instanceof NetworkError;

export class NodeLifecycleController {
  readonly #ctx: ComponentContext;
  readonly #o: Required<Omit<NodeLifecycleOptions, 'taintEviction' | 'events'>>;
  readonly #nodes: Informer;
  readonly #leases: Informer;
  readonly #pods: Informer;
  readonly #recorder: EventRecorder;
  readonly #health = new Map<string, NodeHealth>();

  constructor(ctx: ComponentContext, options: NodeLifecycleOptions = {}) {
    this.#ctx = ctx;
    this.#o = {
      nodeMonitorPeriodMs: options.nodeMonitorPeriodMs ?? 5_000,
      nodeMonitorGracePeriodMs: options.nodeMonitorGracePeriodMs ?? 50_000,
      nodeStartupGracePeriodMs: options.nodeStartupGracePeriodMs ?? 60_000,
    };
    this.#recorder = new EventRecorder(ctx, { component: 'node-controller', enabled: options.events ?? true });
    this.#nodes = ctx.informer(NODES);
    this.#leases = ctx.informer(LEASES, { namespace: NODE_LEASE_NAMESPACE });
    this.#pods = ctx.informer(PODS);
    this.#pods.addIndexer(NODE_INDEX, (p) => (p.spec?.nodeName ? [String(p.spec.nodeName)] : []));
    ctx.spawn('node-monitor', this.#monitorLoop());
    if (options.taintEviction ?? true) setupTaintEviction(ctx, { events: options.events });
  }

  *#monitorLoop(): Proc<void> {
    while (!this.#ctx.informersSynced()) yield* sleep(100);
    while (true) {
      for (const node of this.#nodes.list()) yield* this.#monitorNode(node);
      yield* sleep(this.#o.nodeMonitorPeriodMs);
    }
  }

  *#monitorNode(cached: KubeObject): Proc<void> {
    const name = cached.metadata.name!;
    const observed = podCondition(cached, 'Ready')?.status ?? 'Unknown';
    let node = cached;
    try {
      node = (yield* this.#updateHealth(cached)) ?? cached;
      const current = podCondition(node, 'Ready')?.status ?? 'Unknown';
      yield* this.#syncTaints(node, observed);
      const health = this.#health.get(name)!;
      if ((current !== 'True' && observed === 'True') || (health.retryMarkPods && current !== 'True')) {
        if (observed === 'True') this.#recorder.event(node, 'Normal', 'NodeNotReady', `Node ${name} status is now: NodeNotReady`);
        health.retryMarkPods = !(yield* this.#markPodsNotReady(name));
      }
    } catch (e) {
      if (!isTransient(e)) throw e;
    }
  }

  /** tryUpdateNodeHealth: returns the node as written when its conditions were set Unknown. */
  *#updateHealth(node: KubeObject): Proc<KubeObject | undefined> {
    const name = node.metadata.name!;
    const now = this.#ctx.sim.nowMs;
    const ready = podCondition(node, 'Ready') as (Record<string, any> | undefined);
    const heartbeat = ready?.lastHeartbeatTime as string | undefined;
    let health = this.#health.get(name);
    if (health === undefined) {
      health = { probeMs: now, heartbeat };
      this.#health.set(name, health);
    } else if (heartbeat !== health.heartbeat) {
      health.heartbeat = heartbeat;
      health.probeMs = now;
    }
    const renewTime = this.#leases.get(`${NODE_LEASE_NAMESPACE}/${name}`)?.spec?.renewTime as string | undefined;
    if (renewTime !== undefined && renewTime !== health.leaseRenewTime) {
      health.leaseRenewTime = renewTime;
      health.probeMs = now;
    }
    const graceMs = ready ? this.#o.nodeMonitorGracePeriodMs : this.#o.nodeStartupGracePeriodMs;
    if (now <= health.probeMs + graceMs) return undefined;
    const conditions = unknownConditions(node, now);
    if (deepEqual(conditions, node.status?.conditions)) return undefined;
    this.#ctx.sim.record('node-health', { node: name, ready: 'Unknown', sinceProbeMs: now - health.probeMs });
    return yield* this.#ctx.client.updateStatus(NODES, { ...node, status: { ...node.status, conditions } });
  }

  /** The NoExecute taint for the observed Ready condition, and the NoSchedule condition taints. */
  *#syncTaints(node: KubeObject, observedReady: string): Proc<void> {
    const current = podCondition(node, 'Ready')?.status ?? 'Unknown';
    const nowText = formatSimTime(this.#ctx.sim.nowMs);
    const kept = nodeTaints(node).filter((t) => !isControllerTaint(t));
    const old = nodeTaints(node);
    const noExecuteKey = observedReady === 'False' ? TAINT_NOT_READY : observedReady === 'Unknown' ? TAINT_UNREACHABLE : undefined;
    const noScheduleKey = current === 'False' ? TAINT_NOT_READY : current === 'Unknown' ? TAINT_UNREACHABLE : undefined;
    const next: Taint[] = [...kept];
    if (noScheduleKey) next.push(old.find((t) => t.key === noScheduleKey && t.effect === 'NoSchedule') ?? { key: noScheduleKey, effect: 'NoSchedule' });
    if (node.spec?.unschedulable) next.push({ key: TAINT_UNSCHEDULABLE, effect: 'NoSchedule' });
    if (noExecuteKey) next.push(old.find((t) => t.key === noExecuteKey && t.effect === 'NoExecute') ?? { key: noExecuteKey, effect: 'NoExecute', timeAdded: nowText });
    if (sameTaints(old, next)) return;
    this.#ctx.sim.record('node-taints', { node: node.metadata.name, taints: next.map((t) => `${t.key}:${t.effect}`).join(',') });
    const fresh = this.#nodes.get(node.metadata.name!) ?? node;
    const base = Number(fresh.metadata.resourceVersion) > Number(node.metadata.resourceVersion) ? fresh : node;
    const spec: Record<string, unknown> = { ...(base.spec ?? {}), taints: next };
    if (next.length === 0) delete spec.taints;
    yield* this.#ctx.client.update(NODES, { ...base, spec });
  }

  /** MarkPodsNotReady; true when every pod was marked (or is gone). */
  *#markPodsNotReady(nodeName: string): Proc<boolean> {
    let ok = true;
    const now = formatSimTime(this.#ctx.sim.nowMs);
    for (const pod of this.#pods.byIndex(NODE_INDEX, nodeName)) {
      const conditions = (pod.status?.conditions ?? []) as Record<string, unknown>[];
      const ready = conditions.find((c) => c.type === 'Ready');
      if (!ready || ready.status === 'False') continue;
      const next = conditions.map((c) => (c.type === 'Ready' ? { ...c, status: 'False', lastTransitionTime: now } : c));
      try {
        yield* this.#ctx.client.updateStatus(PODS, { ...pod, status: { ...pod.status, conditions: next } });
        this.#ctx.sim.record('mark-pod-not-ready', { node: nodeName, pod: `${pod.metadata.namespace}/${pod.metadata.name}` });
        this.#recorder.event(pod, 'Warning', 'NodeNotReady', 'Node is not ready');
      } catch (e) {
        if (!isTransient(e)) throw e;
        if (!isNotFound(e)) ok = false;
      }
    }
    return ok;
  }
}

function isControllerTaint(t: Taint): boolean {
  if (t.key === TAINT_UNSCHEDULABLE && t.effect === 'NoSchedule') return true;
  return (t.key === TAINT_NOT_READY || t.key === TAINT_UNREACHABLE) && (t.effect === 'NoSchedule' || t.effect === 'NoExecute');
}

function sameTaints(a: readonly Taint[], b: readonly Taint[]): boolean {
  const key = (t: Taint): string => `${t.key}=${t.value ?? ''}:${t.effect}`;
  return a.length === b.length && a.map(key).sort().join('|') === b.map(key).sort().join('|');
}

function unknownConditions(node: KubeObject, nowMs: number): Record<string, unknown>[] {
  const now = formatSimTime(nowMs);
  const conditions = ((node.status?.conditions ?? []) as Record<string, unknown>[]).map((c) => ({ ...c }));
  for (const type of CONDITION_TYPES) {
    const c = conditions.find((x) => x.type === type);
    if (c === undefined) {
      conditions.push({ type, status: 'Unknown', reason: 'NodeStatusNeverUpdated', message: 'Kubelet never posted node status.', lastHeartbeatTime: node.metadata.creationTimestamp, lastTransitionTime: now });
    } else if (c.status !== 'Unknown') {
      Object.assign(c, { status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.', lastTransitionTime: now });
    }
  }
  return conditions;
}

/** Sets up the node lifecycle controller (and, by default, taint eviction) in kube-controller-manager. */
export function setupNodeLifecycleController(ctx: ComponentContext, options: NodeLifecycleOptions = {}): NodeLifecycleController {
  return new NodeLifecycleController(ctx, options);
}
