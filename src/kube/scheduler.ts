// kube-scheduler (k8s.io/kubernetes pkg/scheduler): binds pending pods to nodes.
// - Queue (internal/queue/scheduling_queue.go): an active queue (the component's work queue, one
//   worker: one scheduling cycle at a time), a back-off (podInitialBackoff 1 s doubling per attempt
//   to podMaxBackoff 10 s) and an unschedulable pool. A pod that fails waits in the pool until a
//   cluster event may help it — a node added or changed, an assigned pod deleted or finished
//   (moveAllToActiveOrBackoffQueue) — or until it has waited podMaxInUnschedulablePodsDuration
//   (5 min, checked every 30 s); it then goes back to the active queue once its back-off is over. A
//   move that happens while its cycle runs sends it straight to the back-off (moveRequestCycle).
// - Cycle (schedule_one.go): filters and score in scheduler-framework.ts over the informer's nodes,
//   sorted by name; the best score wins, ties broken through the chooser (upstream's selectHost picks
//   uniformly at random among the top scores). The pod is assumed onto the node in the scheduler's
//   cache so the next cycle counts its requests, and bound asynchronously.
// - Bind: upstream POSTs pods/binding, which sets spec.nodeName and PodScheduled=True in one write;
//   here a JSON patch sets spec.nodeName (uid-guarded) and a status patch sets PodScheduled=True.
//   A 'bind' trace line and a Scheduled event follow.
// - Failure (handleSchedulingFailure): a FailedScheduling event and, when it changed, the condition
//   PodScheduled=False reason Unschedulable with FitError's message.

import type { KubeObject } from '../apiserver/types.js';
import type { ComponentContext } from '../client/component.js';
import type { Controller } from '../client/controller.js';
import { objectKey, type Informer } from '../client/informer.js';
import { isModelBug } from '../sim/invariant.js';
import { sleep, type Proc } from '../sim/process.js';
import { formatSimTime } from '../sim/time-format.js';
import { EventRecorder } from './event-recorder.js';
import { podCondition } from './pod-status.js';
import { NODES, PODS } from './resources.js';
import {
  allocatableOf, filterNode, fitErrorMessage, leastAllocatedScore, podRequests,
  type FilterStatus, type NodeSnapshot,
} from './scheduler-framework.js';
import { effectiveTaints } from './scheduler-framework.js';

export interface SchedulerOptions {
  /** podInitialBackoffSeconds: 1 s. */
  podInitialBackoffMs?: number;
  /** podMaxBackoffSeconds: 10 s. */
  podMaxBackoffMs?: number;
  /** podMaxInUnschedulablePodsDuration: 5 min. */
  maxInUnschedulableMs?: number;
  /** How long one scheduling cycle takes, drawn through the chooser. Default 1–3 ms. */
  cycleMs?: { minMs: number; maxMs: number };
  /** Pods with this spec.schedulerName are ours. Default `default-scheduler`. */
  schedulerName?: string;
  /** Record Scheduled / FailedScheduling events. Default true. */
  events?: boolean;
}

interface QueuedPodInfo {
  uid: string;
  attempts: number;
  lastFailureMs: number;
  /** Set while the pod waits in the unschedulable pool. */
  unschedulableSinceMs?: number;
}

interface Assumed {
  uid: string;
  node: string;
  pod: KubeObject;
}

const NODE_INDEX = 'node-name';
const FLUSH_UNSCHEDULABLE_MS = 30_000;

export class Scheduler {
  readonly #ctx: ComponentContext;
  readonly #o: Required<Omit<SchedulerOptions, 'events'>>;
  readonly #pods: Informer;
  readonly #nodes: Informer;
  readonly #recorder: EventRecorder;
  readonly #controller: Controller;
  readonly #info = new Map<string, QueuedPodInfo>();
  readonly #assumed = new Map<string, Assumed>();
  #cycle = 0;
  #moveRequestCycle = -1;

  constructor(ctx: ComponentContext, options: SchedulerOptions = {}) {
    this.#ctx = ctx;
    this.#o = {
      podInitialBackoffMs: options.podInitialBackoffMs ?? 1_000,
      podMaxBackoffMs: options.podMaxBackoffMs ?? 10_000,
      maxInUnschedulableMs: options.maxInUnschedulableMs ?? 300_000,
      cycleMs: options.cycleMs ?? { minMs: 1, maxMs: 3 },
      schedulerName: options.schedulerName ?? 'default-scheduler',
    };
    this.#recorder = new EventRecorder(ctx, { component: 'default-scheduler', enabled: options.events ?? true });
    this.#pods = ctx.informer(PODS, { fieldSelector: 'status.phase!=Failed,status.phase!=Succeeded' });
    this.#pods.addIndexer(NODE_INDEX, (p) => [String(p.spec?.nodeName ?? '')]);
    this.#nodes = ctx.informer(NODES);
    this.#controller = ctx.controller({ name: 'scheduler', reconcile: (key) => this.#scheduleOne(key) });
    this.#wire();
  }

  /** Pods waiting in the unschedulable pool, by key. */
  unschedulable(): string[] {
    return [...this.#info].filter(([, i]) => i.unschedulableSinceMs !== undefined).map(([k]) => k).sort();
  }

  #wire(): void {
    this.#pods.addHandler({
      add: (p) => this.#onPod(undefined, p),
      update: (old, p) => this.#onPod(old, p),
      delete: (p) => this.#onPodDelete(p),
    });
    this.#nodes.addHandler({
      add: () => this.#moveAll('NodeAdd'),
      update: (old, node) => {
        if (nodeChangeMayHelp(old, node)) this.#moveAll('NodeUpdate');
      },
    });
    this.#ctx.spawn('flush-unschedulable', this.#flushLoop());
  }

  #responsible(pod: KubeObject | undefined): pod is KubeObject {
    return pod !== undefined && !pod.spec?.nodeName && pod.metadata.deletionTimestamp === undefined
      && (pod.spec?.schedulerName ?? 'default-scheduler') === this.#o.schedulerName;
  }

  #onPod(old: KubeObject | undefined, pod: KubeObject): void {
    const key = objectKey(pod);
    if (pod.spec?.nodeName) {
      if (this.#assumed.get(key)?.uid === pod.metadata.uid) this.#assumed.delete(key);
      this.#info.delete(key);
      return;
    }
    if (!this.#responsible(pod)) return;
    const info = this.#info.get(key);
    if (info === undefined || info.uid !== pod.metadata.uid) {
      this.#info.set(key, { uid: pod.metadata.uid!, attempts: 0, lastFailureMs: -Infinity });
      this.#controller.enqueue(key);
    } else if (info.unschedulableSinceMs !== undefined && old !== undefined && specChanged(old, pod)) {
      this.#activate(key, info);
    } else if (old === undefined && info.unschedulableSinceMs === undefined) {
      this.#controller.enqueue(key);
    }
  }

  #onPodDelete(pod: KubeObject): void {
    const key = objectKey(pod);
    if (!pod.spec?.nodeName) {
      this.#info.delete(key);
      return;
    }
    if (this.#assumed.get(key)?.uid === pod.metadata.uid) this.#assumed.delete(key);
    this.#moveAll('AssignedPodDelete');
  }

  #backoffMs(attempts: number): number {
    return Math.min(this.#o.podInitialBackoffMs * 2 ** Math.max(0, attempts - 1), this.#o.podMaxBackoffMs);
  }

  /** Out of the unschedulable pool: to the active queue, after what is left of its back-off. */
  #activate(key: string, info: QueuedPodInfo): void {
    info.unschedulableSinceMs = undefined;
    const remainingMs = info.lastFailureMs + this.#backoffMs(info.attempts) - this.#ctx.sim.nowMs;
    if (remainingMs > 0) this.#controller.enqueueAfter(key, remainingMs);
    else this.#controller.enqueue(key);
  }

  #moveAll(event: string): void {
    this.#moveRequestCycle = this.#cycle;
    const waiting = [...this.#info].filter(([, i]) => i.unschedulableSinceMs !== undefined).sort((a, b) => (a[0] < b[0] ? -1 : 1));
    if (waiting.length > 0) this.#ctx.sim.record('scheduler-move', { event, pods: waiting.length });
    for (const [key, info] of waiting) this.#activate(key, info);
  }

  *#flushLoop(): Proc<void> {
    while (true) {
      yield* sleep(FLUSH_UNSCHEDULABLE_MS);
      const now = this.#ctx.sim.nowMs;
      for (const [key, info] of [...this.#info].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
        if (info.unschedulableSinceMs !== undefined && now - info.unschedulableSinceMs > this.#o.maxInUnschedulableMs) this.#activate(key, info);
      }
    }
  }

  *#scheduleOne(key: string): Proc<void> {
    const info = this.#info.get(key);
    const pod = this.#pods.get(key);
    if (!this.#responsible(pod) || info === undefined || info.uid !== pod.metadata.uid || info.unschedulableSinceMs !== undefined) return;
    const cycle = ++this.#cycle;
    info.attempts++;
    const { minMs, maxMs } = this.#o.cycleMs;
    yield* sleep(minMs === maxMs ? minMs : this.#ctx.sim.choices('scheduler/cycle').between(minMs, maxMs));
    const current = this.#pods.get(key);
    if (!this.#responsible(current) || current.metadata.uid !== info.uid) return;
    const result = this.#findNode(current);
    if (result.node !== undefined) {
      this.#assumed.set(key, { uid: info.uid, node: result.node, pod: current });
      this.#info.delete(key);
      this.#ctx.spawn(`bind/${key}`, this.#bind(current, result.node));
      return;
    }
    this.#fail(current, info, cycle, result.message);
  }

  #snapshot(node: KubeObject): NodeSnapshot {
    const name = node.metadata.name!;
    const requested = { milliCpu: 0, memory: 0, pods: 0 };
    const nonZeroRequested = { milliCpu: 0, memory: 0 };
    const add = (pod: KubeObject): void => {
      const r = podRequests(pod);
      const nz = podRequests(pod, { nonZero: true });
      requested.milliCpu += r.milliCpu;
      requested.memory += r.memory;
      requested.pods++;
      nonZeroRequested.milliCpu += nz.milliCpu;
      nonZeroRequested.memory += nz.memory;
    };
    for (const pod of this.#pods.byIndex(NODE_INDEX, name)) add(pod);
    for (const a of this.#assumed.values()) if (a.node === name) add(a.pod);
    return { node, allocatable: allocatableOf(node), requested, nonZeroRequested };
  }

  #findNode(pod: KubeObject): { node: string; message?: undefined } | { node?: undefined; message: string } {
    const nodes = this.#nodes.list();
    const statuses: FilterStatus[] = [];
    const feasible: NodeSnapshot[] = [];
    for (const node of nodes) {
      const snapshot = this.#snapshot(node);
      const status = filterNode(pod, snapshot);
      if (status) statuses.push(status);
      else feasible.push(snapshot);
    }
    if (feasible.length === 0) return { message: fitErrorMessage(nodes.length, statuses) };
    const scored = feasible.map((s) => ({ name: s.node.metadata.name!, score: leastAllocatedScore(pod, s) }));
    const best = Math.max(...scored.map((s) => s.score));
    const top = scored.filter((s) => s.score === best);
    const chosen = this.#ctx.sim.choices('scheduler/select-host').pick(top).name;
    this.#ctx.sim.record('schedule', { pod: objectKey(pod), node: chosen, feasible: feasible.length, score: best, ties: top.length });
    return { node: chosen };
  }

  #fail(pod: KubeObject, info: QueuedPodInfo, cycle: number, message: string): void {
    const key = objectKey(pod);
    const sim = this.#ctx.sim;
    info.lastFailureMs = sim.nowMs;
    if (this.#moveRequestCycle >= cycle) this.#activate(key, info);
    else info.unschedulableSinceMs = sim.nowMs;
    sim.record('schedule-failed', { pod: key, attempts: info.attempts, message });
    this.#recorder.event(pod, 'Warning', 'FailedScheduling', message);
    const old = podCondition(pod, 'PodScheduled');
    if (old?.status === 'False' && old.reason === 'Unschedulable' && old.message === message) return;
    const lastTransitionTime = old?.status === 'False' && old.lastTransitionTime ? old.lastTransitionTime : formatSimTime(sim.nowMs);
    const condition = { type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message, lastProbeTime: null, lastTransitionTime };
    this.#ctx.spawn(`condition/${key}`, this.#patchStatus(pod, condition));
  }

  *#bind(pod: KubeObject, node: string): Proc<void> {
    const key = objectKey(pod);
    const { client, sim } = this.#ctx;
    try {
      yield* client.patch(PODS, pod.metadata.name!, [
        { op: 'test', path: '/metadata/uid', value: pod.metadata.uid },
        { op: 'add', path: '/spec/nodeName', value: node },
      ], { namespace: pod.metadata.namespace, patchType: 'json' });
    } catch (e) {
      if (isModelBug(e)) throw e;
      this.#assumed.delete(key);
      sim.record('bind-failed', { pod: key, node, error: e instanceof Error ? e.message : String(e) });
      if (!this.#responsible(this.#pods.get(key)) || this.#pods.get(key)?.metadata.uid !== pod.metadata.uid) return;
      const info: QueuedPodInfo = { uid: pod.metadata.uid!, attempts: 1, lastFailureMs: sim.nowMs };
      this.#info.set(key, info);
      this.#activate(key, info);
      return;
    }
    sim.record('bind', { pod: key, node });
    this.#recorder.event(pod, 'Normal', 'Scheduled', `Successfully assigned ${key} to ${node}`);
    const condition = { type: 'PodScheduled', status: 'True', reason: null, message: null, lastProbeTime: null, lastTransitionTime: formatSimTime(sim.nowMs) };
    yield* this.#patchStatus(pod, condition);
  }

  /** A strategic merge patch of one condition (conditions merge on type); failures are dropped. */
  *#patchStatus(pod: KubeObject, condition: Record<string, unknown>): Proc<void> {
    try {
      yield* this.#ctx.client.patch(PODS, pod.metadata.name!, { status: { conditions: [condition] } }, { namespace: pod.metadata.namespace, subresource: 'status', patchType: 'strategic' });
    } catch (e) {
      if (isModelBug(e)) throw e;
    }
  }
}

/** isPodUpdated: a change beyond resourceVersion, managedFields and status. */
function specChanged(old: KubeObject, pod: KubeObject): boolean {
  const strip = (p: KubeObject): string => JSON.stringify({ spec: p.spec, labels: p.metadata.labels, annotations: p.metadata.annotations });
  return strip(old) !== strip(pod);
}

/** A node update that may make an unschedulable pod fit (the scheduler's NodeUpdate event hints). */
function nodeChangeMayHelp(old: KubeObject, node: KubeObject): boolean {
  const view = (n: KubeObject): string => JSON.stringify({
    allocatable: allocatableOf(n), labels: n.metadata.labels, taints: effectiveTaints(n), unschedulable: n.spec?.unschedulable ?? false,
  });
  return view(old) !== view(node);
}

/** Sets up kube-scheduler in a component (conventionally `kube-scheduler`). */
export function setupScheduler(ctx: ComponentContext, options: SchedulerOptions = {}): Scheduler {
  return new Scheduler(ctx, options);
}
