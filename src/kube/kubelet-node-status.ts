// The kubelet's side of node health (k8s.io/kubernetes pkg/kubelet/kubelet_node_status.go,
// pkg/kubelet/nodestatus/setters.go, k8s.io/component-helpers/apimachinery/lease/controller.go):
// - registration: create the Node (labels kubernetes.io/hostname, os, arch; capacity and allocatable
//   cpu, memory, pods; addresses; conditions) or, when it exists, adopt it; retried with a back-off
//   from 100 ms doubling to 7 s (registerWithAPIServer);
// - node status: computed every nodeStatusUpdateFrequency (10 s), posted when it changed (heartbeat
//   times aside) or when nodeStatusReportFrequency (5 min) has passed since the last post;
// - the node Lease in kube-node-lease (holderIdentity = node, leaseDurationSeconds 40), renewed every
//   0.25 × its duration (10 s), owned by the Node; failures retried from 200 ms doubling to 7 s.
// The node lifecycle controller reads the lease renewals as the heartbeat.

import { isAlreadyExists, isApiError, isConflict, isNotFound } from '../apiserver/api-error.js';
import { deepEqual, objectsEqualExcept } from '../apiserver/deep-copy.js';
import type { KubeObject } from '../apiserver/types.js';
import type { ComponentContext } from '../client/component.js';
import { NetworkError } from '../client/network-error.js';
import { sleep, type Proc } from '../sim/process.js';
import { formatSimTime } from '../sim/time-format.js';
import type { KubeletTimings } from './kubelet-timings.js';
import { formatBytes, formatMilli, intValue, milliValue } from './resource-quantity.js';
import { LEASES, NODES } from './resources.js';
import type { Taint } from './taints.js';

export const NODE_LEASE_NAMESPACE = 'kube-node-lease';
export const KUBELET_VERSION = 'v1.33.1';

export interface NodeShape {
  nodeName: string;
  /** Capacity: cpu ("4", "3500m"), memory ("16Gi"), pods (110). */
  cpu: string | number;
  memory: string | number;
  pods: number;
  labels?: Record<string, string>;
  /** Taints to register with (--register-with-taints). */
  taints?: Taint[];
  hostIp: string;
  podCidr: string;
}

const CONDITIONS: readonly [string, string, string, string][] = [
  ['MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'],
  ['DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'],
  ['PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'],
  ['Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'],
];

function nodeConditions(old: readonly Record<string, any>[], nowMs: number): Record<string, unknown>[] {
  const now = formatSimTime(nowMs);
  return CONDITIONS.map(([type, status, reason, message]) => {
    const prev = old.find((c) => c.type === type);
    const lastTransitionTime = prev && prev.status === status ? prev.lastTransitionTime : now;
    return { type, status, lastHeartbeatTime: now, lastTransitionTime, reason, message };
  });
}

/** Capacity (and allocatable): a function of the node's shape alone. */
export function nodeResources(shape: NodeShape): Readonly<Record<string, string>> {
  return { cpu: formatMilli(milliValue(shape.cpu)), memory: formatBytes(intValue(shape.memory)), pods: String(shape.pods), 'ephemeral-storage': '100Gi' };
}

/**
 * The status the kubelet posts (setters.go: MachineInfo, Addresses, ReadyCondition, ...);
 * `resources` is nodeResources(shape), which a caller posting repeatedly computes once.
 */
export function nodeStatusOf(shape: NodeShape, old: Record<string, any> | undefined, nowMs: number, resources = nodeResources(shape)): Record<string, unknown> {
  return {
    ...(old ?? {}),
    capacity: { ...resources },
    allocatable: { ...resources },
    conditions: nodeConditions((old?.conditions ?? []) as Record<string, any>[], nowMs),
    addresses: [{ type: 'InternalIP', address: shape.hostIp }, { type: 'Hostname', address: shape.nodeName }],
    daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
    nodeInfo: {
      kubeletVersion: KUBELET_VERSION, kubeProxyVersion: KUBELET_VERSION, containerRuntimeVersion: 'containerd://2.0.3',
      operatingSystem: 'linux', architecture: 'amd64', osImage: 'Debian GNU/Linux 12 (bookworm)', kernelVersion: '6.8.0',
      machineID: shape.nodeName, systemUUID: shape.nodeName, bootID: shape.nodeName,
    },
  };
}

/** The members nodeStatusOf sets; every other member of the new status is the old one's. */
const SET_MEMBERS = ['capacity', 'allocatable', 'addresses', 'daemonEndpoints', 'nodeInfo'] as const;
const HEARTBEAT = 'lastHeartbeatTime';

/**
 * Whether `status` = nodeStatusOf(shape, old, ...) equals `old` but for the conditions' heartbeat
 * times. The new status is the old one with the members nodeStatusOf sets replaced, so only those
 * are compared; the conditions element by element without their heartbeat.
 */
function unchangedButHeartbeat(status: Record<string, any>, old: Record<string, any> | undefined): boolean {
  if (!old) return false;
  for (const key of SET_MEMBERS) if (!deepEqual(status[key], old[key])) return false;
  const next: readonly Record<string, unknown>[] = status.conditions;
  const prev: unknown = old.conditions ?? [];
  if (!Array.isArray(prev) || prev.length !== next.length) return false;
  for (let i = 0; i < next.length; i++) {
    const c: unknown = prev[i];
    if (typeof c !== 'object' || c === null || Array.isArray(c) || !objectsEqualExcept(next[i], c as Record<string, unknown>, HEARTBEAT)) return false;
  }
  return true;
}

export function nodeObject(shape: NodeShape, nowMs: number): KubeObject {
  const labels = {
    'beta.kubernetes.io/arch': 'amd64', 'beta.kubernetes.io/os': 'linux',
    'kubernetes.io/arch': 'amd64', 'kubernetes.io/hostname': shape.nodeName, 'kubernetes.io/os': 'linux',
    ...(shape.labels ?? {}),
  };
  const spec: Record<string, unknown> = { podCIDR: shape.podCidr, podCIDRs: [shape.podCidr] };
  if (shape.taints && shape.taints.length > 0) spec.taints = shape.taints;
  return {
    apiVersion: 'v1', kind: 'Node',
    metadata: { name: shape.nodeName, labels, annotations: { 'node.alpha.kubernetes.io/ttl': '0', 'volumes.kubernetes.io/controller-managed-attach-detach': 'true' } },
    spec,
    status: nodeStatusOf(shape, undefined, nowMs),
  };
}

const isTransient = (e: unknown): boolean => isApiError(e) || e instanceof NetworkError;
const WITH_MILLIS = Object.freeze({ withMillis: true });
/** metav1.MicroTime text: the millisecond timestamp with three more (zero) digits before the Z. */
const microTime = (ms: number): string => `${formatSimTime(ms, WITH_MILLIS).slice(0, -1)}000Z`;

export class NodeHeartbeat {
  readonly #ctx: ComponentContext;
  readonly #shape: NodeShape;
  readonly #timings: Readonly<KubeletTimings>;
  readonly #resources: Readonly<Record<string, string>>;
  #node: KubeObject | undefined;
  #lastReportMs = -Infinity;
  #lease: KubeObject | undefined;

  constructor(ctx: ComponentContext, shape: NodeShape, timings: Readonly<KubeletTimings>) {
    this.#ctx = ctx;
    this.#shape = shape;
    this.#timings = timings;
    this.#resources = nodeResources(shape);
  }

  /** Registration then the status loop, and the lease loop, as processes of the kubelet. */
  start(): void {
    this.#ctx.spawn('node-status', this.#statusLoop());
    this.#ctx.spawn('node-lease', this.#leaseLoop());
  }

  *#statusLoop(): Proc<void> {
    for (let backoffMs = 100; !(yield* this.#register()); backoffMs = Math.min(backoffMs * 2, 7_000)) yield* sleep(backoffMs);
    while (true) {
      yield* this.#updateStatus();
      yield* sleep(this.#timings.nodeStatusUpdateFrequencyMs);
    }
  }

  *#register(): Proc<boolean> {
    const ctx = this.#ctx;
    try {
      this.#node = yield* ctx.client.create(NODES, nodeObject(this.#shape, ctx.sim.nowMs));
      this.#lastReportMs = ctx.sim.nowMs;
      ctx.sim.record('node-registered', { node: this.#shape.nodeName });
      return true;
    } catch (e) {
      if (!isTransient(e)) throw e;
      if (!isAlreadyExists(e)) return false;
    }
    try {
      this.#node = yield* ctx.client.get(NODES, this.#shape.nodeName);
      return true;
    } catch (e) {
      if (!isTransient(e)) throw e;
      return false;
    }
  }

  /** tryUpdateNodeStatus: read the node, post the new status if it changed or is due. */
  *#updateStatus(): Proc<void> {
    const ctx = this.#ctx;
    for (let attempt = 0; attempt < 5; attempt++) {
      try {
        const node = yield* ctx.client.get(NODES, this.#shape.nodeName);
        const status = nodeStatusOf(this.#shape, node.status, ctx.sim.nowMs, this.#resources);
        const due = ctx.sim.nowMs - this.#lastReportMs >= this.#timings.nodeStatusReportFrequencyMs;
        if (!due && unchangedButHeartbeat(status, node.status)) return;
        this.#node = yield* ctx.client.updateStatus(NODES, { ...node, status });
        this.#lastReportMs = ctx.sim.nowMs;
        return;
      } catch (e) {
        if (!isTransient(e)) throw e;
        if (isNotFound(e)) {
          yield* this.#register();
          return;
        }
      }
    }
  }

  *#leaseLoop(): Proc<void> {
    let backoffMs = 200;
    while (true) {
      if (yield* this.#renewLease()) {
        backoffMs = 200;
        yield* sleep(this.#timings.nodeLeaseRenewIntervalMs);
      } else {
        yield* sleep(backoffMs);
        backoffMs = Math.min(backoffMs * 2, 7_000);
      }
    }
  }

  *#renewLease(): Proc<boolean> {
    const ctx = this.#ctx;
    const renewTime = microTime(ctx.sim.nowMs);
    try {
      if (this.#lease !== undefined) {
        this.#lease = yield* ctx.client.update(LEASES, { ...this.#lease, spec: { ...this.#lease.spec, renewTime } });
        return true;
      }
      const existing = yield* this.#getLease();
      this.#lease = existing
        ? yield* ctx.client.update(LEASES, { ...existing, spec: { ...existing.spec, holderIdentity: this.#shape.nodeName, leaseDurationSeconds: this.#timings.nodeLeaseDurationS, renewTime } })
        : yield* ctx.client.create(LEASES, this.#newLease(renewTime));
      return true;
    } catch (e) {
      if (!isTransient(e)) throw e;
      if (isConflict(e) || isNotFound(e)) this.#lease = undefined;
      return false;
    }
  }

  *#getLease(): Proc<KubeObject | undefined> {
    try {
      return yield* this.#ctx.client.get(LEASES, this.#shape.nodeName, { namespace: NODE_LEASE_NAMESPACE });
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
  }

  #newLease(renewTime: string): KubeObject {
    const metadata: KubeObject['metadata'] = { name: this.#shape.nodeName, namespace: NODE_LEASE_NAMESPACE };
    const node = this.#node;
    if (node?.metadata.uid) metadata.ownerReferences = [{ apiVersion: 'v1', kind: 'Node', name: this.#shape.nodeName, uid: node.metadata.uid }];
    return { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata, spec: { holderIdentity: this.#shape.nodeName, leaseDurationSeconds: this.#timings.nodeLeaseDurationS, renewTime } };
  }
}
