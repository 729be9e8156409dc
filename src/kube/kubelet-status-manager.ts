// The kubelet's status manager (k8s.io/kubernetes pkg/kubelet/status/status_manager.go): pods whose
// view changed are queued; for each, the status is computed from the view and written only when it
// differs from the stored one, with a PUT to pods/status carrying the stored resourceVersion (a 409
// re-reads the pod and tries again). Upstream sends a strategic merge patch with a uid precondition
// instead; the PUT makes a racing writer visible as a conflict. Once the kubelet is done with a
// deleted pod (containers stopped, sandbox removed, terminal status written) the manager deletes it
// with gracePeriodSeconds 0 and a uid precondition (syncPod → canBeDeleted → Delete).

import { isConflict, isNotFound } from '../apiserver/api-error.js';
import { deepEqual } from '../apiserver/deep-copy.js';
import type { KubeObject } from '../apiserver/types.js';
import type { ComponentContext } from '../client/component.js';
import type { Controller } from '../client/controller.js';
import type { Informer } from '../client/informer.js';
import type { Proc } from '../sim/process.js';
import type { PodView } from './kubelet-pod-state.js';
import { generatePodStatus } from './kubelet-status.js';
import { PODS } from './resources.js';

export interface StatusManagerDeps {
  ctx: ComponentContext;
  nodeName: string;
  hostIp: string;
  pods: Informer;
  /** The kubelet's view of the pod with this `namespace/name`. */
  view(key: string): PodView | undefined;
}

const MAX_CONFLICT_RETRIES = 5;

const rvOf = (obj: KubeObject | undefined): number => Number(obj?.metadata.resourceVersion ?? 0);

export class StatusManager {
  readonly #deps: StatusManagerDeps;
  readonly #controller: Controller;
  /** The last pod object this kubelet wrote, by key (fresher than the cache until the watch catches up). */
  readonly #written = new Map<string, KubeObject>();

  constructor(deps: StatusManagerDeps) {
    this.#deps = deps;
    this.#controller = deps.ctx.controller({ name: `kubelet-status/${deps.nodeName}`, reconcile: (key) => this.#sync(key) });
  }

  markDirty(view: PodView): void {
    this.#controller.enqueue(view.key);
  }

  forget(key: string): void {
    this.#written.delete(key);
  }

  #stored(key: string): KubeObject | undefined {
    const cached = this.#deps.pods.get(key);
    const written = this.#written.get(key);
    return rvOf(written) > rvOf(cached) ? written : cached;
  }

  *#sync(key: string): Proc<void> {
    const view = this.#deps.view(key);
    let pod = this.#stored(key);
    if (view === undefined || pod === undefined || pod.metadata.uid !== view.uid) return;
    pod = yield* this.#writeStatus(view, pod);
    if (pod === undefined) return;
    if (view.terminal && view.cleaned && pod.metadata.deletionTimestamp !== undefined && !view.deleteSent) yield* this.#finalDelete(view, pod);
  }

  /** Writes the status if it changed; returns the stored pod afterwards (undefined when it is gone). */
  *#writeStatus(view: PodView, stored: KubeObject): Proc<KubeObject | undefined> {
    const { ctx, hostIp } = this.#deps;
    let pod = stored;
    for (let attempt = 0; ; attempt++) {
      const status = generatePodStatus(view, pod, hostIp, ctx.sim.nowMs);
      if (deepEqual(status, pod.status)) return pod;
      try {
        pod = yield* ctx.client.updateStatus(PODS, { ...pod, status });
        this.#written.set(view.key, pod);
        ctx.sim.record('pod-status', { node: this.#deps.nodeName, pod: view.key, phase: status.phase as string, ready: readyOf(status) });
        return pod;
      } catch (e) {
        if (isNotFound(e)) return undefined;
        if (!isConflict(e) || attempt >= MAX_CONFLICT_RETRIES) throw e;
        pod = yield* ctx.client.get(PODS, pod.metadata.name!, { namespace: pod.metadata.namespace });
        if (pod.metadata.uid !== view.uid) return undefined;
      }
    }
  }

  *#finalDelete(view: PodView, pod: KubeObject): Proc<void> {
    const { ctx } = this.#deps;
    view.deleteSent = true;
    ctx.sim.record('kubelet-delete', { node: this.#deps.nodeName, pod: view.key });
    try {
      yield* ctx.client.delete(PODS, pod.metadata.name!, { namespace: pod.metadata.namespace, gracePeriodSeconds: 0, preconditions: { uid: view.uid } });
    } catch (e) {
      if (isNotFound(e) || isConflict(e)) return;
      view.deleteSent = false;
      throw e;
    }
  }
}

function readyOf(status: Record<string, unknown>): boolean {
  return ((status.conditions ?? []) as { type: string; status: string }[]).some((c) => c.type === 'Ready' && c.status === 'True');
}
