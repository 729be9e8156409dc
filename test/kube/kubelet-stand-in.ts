// A stand-in for the scheduler and the kubelet in controller tests (the real models are written
// elsewhere): it watches pods through the API server's commit hook and, directly on the server
// (no network, no component), binds each new pod to a node round-robin, then marks it Running
// and Ready (or Running and not Ready) after a delay, and finishes a graceful deletion after a
// delay by deleting with grace period 0. Everything it does is scheduled on the simulation, so a
// run stays deterministic.
import { isNotFound } from '../../src/apiserver/api-error.js';
import type { KubeObject } from '../../src/apiserver/types.js';
import type { SimCluster } from '../../src/client/sim-cluster.js';
import { PODS } from '../../src/kube/resources.js';
import { formatSimTime } from '../../src/sim/time-format.js';

export interface KubeletStandInOptions {
  nodes?: readonly string[];
  bindDelayMs?: number;
  /** Time from binding to Ready, for the index-th pod created; null: Running but never Ready. */
  readyAfterMs?: (pod: KubeObject, index: number) => number | null;
  terminationDelayMs?: number;
}

export class KubeletStandIn {
  /** Pods in the order they were created (as first seen). */
  readonly created: KubeObject[] = [];
  readonly #cluster: SimCluster;
  readonly #options: Required<KubeletStandInOptions>;
  readonly #terminating = new Set<string>();

  constructor(cluster: SimCluster, options: KubeletStandInOptions = {}) {
    this.#cluster = cluster;
    this.#options = {
      nodes: options.nodes ?? ['node-a', 'node-b', 'node-c'],
      bindDelayMs: options.bindDelayMs ?? 50,
      readyAfterMs: options.readyAfterMs ?? (() => 1_000),
      terminationDelayMs: options.terminationDelayMs ?? 500,
    };
    cluster.api.onCommit((ev) => {
      if (ev.resource.plural !== 'pods') return;
      if (ev.type === 'ADDED') this.#onAdded(ev.object);
      else if (ev.type === 'MODIFIED' && ev.object.metadata.deletionTimestamp !== undefined) this.#onTerminating(ev.object);
    });
  }

  /** The node the index-th created pod goes to. */
  nodeFor(index: number): string {
    return this.#options.nodes[index % this.#options.nodes.length];
  }

  #onAdded(pod: KubeObject): void {
    const index = this.created.length;
    this.created.push(pod);
    const { sim } = this.#cluster;
    sim.schedule(this.#options.bindDelayMs, () => {
      if (!this.#patch(pod, { spec: { nodeName: this.nodeFor(index) } })) return;
      const readyAfterMs = this.#options.readyAfterMs(pod, index);
      sim.schedule(readyAfterMs ?? 200, () => this.#markRunning(pod, readyAfterMs !== null), 'stand-in/ready');
    }, 'stand-in/bind');
  }

  #markRunning(pod: KubeObject, ready: boolean): void {
    const now = formatSimTime(this.#cluster.sim.nowMs);
    const containers = ((pod.spec?.containers ?? []) as { name: string }[]).map((c) => ({ name: c.name, ready, restartCount: 0, started: true, state: { running: { startedAt: now } } }));
    this.#patch(pod, {
      status: {
        phase: 'Running',
        conditions: [{ type: 'Ready', status: ready ? 'True' : 'False', lastTransitionTime: now }],
        containerStatuses: containers,
      },
    }, 'status');
  }

  #onTerminating(pod: KubeObject): void {
    const uid = pod.metadata.uid!;
    if (this.#terminating.has(uid)) return;
    this.#terminating.add(uid);
    this.#cluster.sim.schedule(this.#options.terminationDelayMs, () => {
      try {
        this.#cluster.api.delete(PODS, pod.metadata.name!, { namespace: pod.metadata.namespace, gracePeriodSeconds: 0, preconditions: { uid } });
      } catch (e) {
        if (!isNotFound(e)) throw e;
      }
    }, 'stand-in/terminate');
  }

  /** Merge-patches the pod if it still exists with the same uid and is not being deleted. */
  #patch(pod: KubeObject, patch: Record<string, unknown>, subresource?: 'status'): boolean {
    const { api } = this.#cluster;
    const namespace = pod.metadata.namespace;
    let current: KubeObject;
    try {
      current = api.get(PODS, pod.metadata.name!, { namespace });
    } catch (e) {
      if (isNotFound(e)) return false;
      throw e;
    }
    if (current.metadata.uid !== pod.metadata.uid || current.metadata.deletionTimestamp !== undefined) return false;
    api.patch(PODS, pod.metadata.name!, patch, { namespace, patchType: 'merge', subresource });
    return true;
  }
}
