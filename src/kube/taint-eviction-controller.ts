// Taint-based eviction (k8s.io/kubernetes pkg/controller/tainteviction/taint_eviction.go, formerly
// nodelifecycle/scheduler/taint_manager.go): pods on a node with NoExecute taints are deleted
// - at once when a taint is not tolerated;
// - after the smallest tolerationSeconds among the tolerations used, counted from when the
//   controller first saw the pod under the taints (processPodOnNode keeps the earlier trigger);
// - never when every toleration used tolerates forever.
// Tolerations are read with the DefaultTolerationSeconds defaults (taints.ts podTolerations), so an
// ordinary pod leaves a not-ready or unreachable node after 300 s. Before deleting, the controller
// adds the DisruptionTarget condition (reason DeletionByTaintManager) and records a
// TaintManagerEviction event; the deletion is graceful (the pod's own grace period) — on a lost node
// nobody finishes it, and the pod stays Terminating, as upstream.

import { isNotFound } from '../apiserver/api-error.js';
import type { KubeObject } from '../apiserver/types.js';
import type { ComponentContext } from '../client/component.js';
import type { Controller, ReconcileResult } from '../client/controller.js';
import { objectKey, type Informer } from '../client/informer.js';
import type { Proc } from '../sim/process.js';
import { formatSimTime } from '../sim/time-format.js';
import { EventRecorder } from './event-recorder.js';
import { NODES, PODS } from './resources.js';
import { noExecuteToleranceS, nodeTaints, podTolerations } from './taints.js';

const NODE_INDEX = 'node-name';

interface Scheduled {
  uid: string;
  createdAtMs: number;
}

export class TaintEvictionController {
  readonly #ctx: ComponentContext;
  readonly #nodes: Informer;
  readonly #pods: Informer;
  readonly #recorder: EventRecorder;
  readonly #controller: Controller;
  readonly #scheduled = new Map<string, Scheduled>();

  constructor(ctx: ComponentContext, options: { events?: boolean } = {}) {
    this.#ctx = ctx;
    this.#recorder = new EventRecorder(ctx, { component: 'taint-eviction-controller', enabled: options.events ?? true });
    this.#nodes = ctx.informer(NODES);
    this.#pods = ctx.informer(PODS);
    if (!hasIndex(this.#pods)) this.#pods.addIndexer(NODE_INDEX, (p) => (p.spec?.nodeName ? [String(p.spec.nodeName)] : []));
    this.#controller = ctx.controller({ name: 'taint-eviction-controller', reconcile: (key) => this.#reconcile(key) });
    this.#pods.addHandler({
      add: (p) => this.#enqueuePod(p),
      update: (_o, p) => this.#enqueuePod(p),
      delete: (p) => void this.#scheduled.delete(objectKey(p)),
    });
    this.#nodes.addHandler({
      add: (n) => this.#enqueueNode(n),
      update: (o, n) => {
        if (JSON.stringify(nodeTaints(o)) !== JSON.stringify(nodeTaints(n))) this.#enqueueNode(n);
      },
    });
  }

  #enqueuePod(pod: KubeObject): void {
    if (pod.spec?.nodeName) this.#controller.enqueue(objectKey(pod));
  }

  #enqueueNode(node: KubeObject): void {
    for (const pod of this.#pods.byIndex(NODE_INDEX, node.metadata.name!)) this.#controller.enqueue(objectKey(pod));
  }

  *#reconcile(key: string): Proc<ReconcileResult | void> {
    const pod = this.#pods.get(key);
    const node = pod?.spec?.nodeName ? this.#nodes.get(String(pod.spec.nodeName)) : undefined;
    const taints = node ? nodeTaints(node).filter((t) => t.effect === 'NoExecute') : [];
    if (pod === undefined || pod.metadata.deletionTimestamp !== undefined || taints.length === 0) {
      this.#scheduled.delete(key);
      return;
    }
    const toleranceS = noExecuteToleranceS(taints, podTolerations(pod));
    if (toleranceS === Infinity) {
      this.#scheduled.delete(key);
      return;
    }
    const now = this.#ctx.sim.nowMs;
    let entry = this.#scheduled.get(key);
    if (entry === undefined || entry.uid !== pod.metadata.uid) {
      entry = { uid: pod.metadata.uid!, createdAtMs: now };
      this.#scheduled.set(key, entry);
    }
    const triggerMs = entry.createdAtMs + toleranceS * 1000;
    if (now < triggerMs) return { requeueAfterMs: triggerMs - now };
    yield* this.#evict(pod);
  }

  *#evict(pod: KubeObject): Proc<void> {
    const key = objectKey(pod);
    const { client, sim } = this.#ctx;
    sim.record('taint-evict', { pod: key, node: pod.spec?.nodeName });
    this.#recorder.event(pod, 'Normal', 'TaintManagerEviction', `Marking for deletion Pod ${key}`);
    const condition = {
      type: 'DisruptionTarget', status: 'True', reason: 'DeletionByTaintManager',
      message: 'Taint manager: deleting due to NoExecute taint', lastProbeTime: null, lastTransitionTime: formatSimTime(sim.nowMs),
    };
    try {
      yield* client.patch(PODS, pod.metadata.name!, { status: { conditions: [condition] } }, { namespace: pod.metadata.namespace, subresource: 'status', patchType: 'strategic' });
      yield* client.delete(PODS, pod.metadata.name!, { namespace: pod.metadata.namespace, preconditions: { uid: pod.metadata.uid } });
      this.#scheduled.delete(key);
    } catch (e) {
      if (isNotFound(e)) return;
      throw e;
    }
  }
}

function hasIndex(informer: Informer): boolean {
  try {
    informer.byIndex(NODE_INDEX, '');
    return true;
  } catch {
    return false;
  }
}

export function setupTaintEviction(ctx: ComponentContext, options: { events?: boolean } = {}): TaintEvictionController {
  return new TaintEvictionController(ctx, options);
}
