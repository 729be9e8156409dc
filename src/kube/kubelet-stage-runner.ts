// The engine that runs the kubelet's stages (kubelet-stages.ts) for each pod, after kwok's
// StageController (pkg/kwok/controllers/stage_controller.go, pkg/utils/lifecycle): for the pod and
// for each of its containers it keeps at most one pending stage — the first whose selector holds.
// When the state changes it evaluates again: a pending stage that still comes first stays (its
// timer runs on), one that no longer does is cancelled. When a stage's delay elapses its selector is
// checked once more, its patch applied and a `kubelet-stage` trace line recorded.

import type { Timer } from '../sim/simulation.js';
import { delayFor } from './kubelet-timings.js';
import type { ContainerView, PodView } from './kubelet-pod-state.js';
import {
  CONTAINER_STAGES, POD_STAGES,
  type ContainerTarget, type Stage, type StageEnv,
} from './kubelet-stages.js';

export interface StageRunnerHost {
  env: StageEnv;
  /** A timer owned by the kubelet incarnation. */
  schedule(delayMs: number, run: () => void, label: string): Timer;
  /** Called after a stage changed a view (status and a new evaluation follow). */
  changed(view: PodView): void;
  /** The view is still the kubelet's (not dropped since the stage was scheduled). */
  isCurrent(view: PodView): boolean;
}

interface Pending {
  stage: string;
  timer: Timer;
}

export class StageRunner {
  readonly #host: StageRunnerHost;
  readonly #pending = new Map<string, Pending>();

  constructor(host: StageRunnerHost) {
    this.#host = host;
  }

  /** Stages pending for a pod, by scope (`pod` or a container name): for tests and traces. */
  pendingFor(view: PodView): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [key, p] of this.#pending) if (key.startsWith(`${view.uid}|`)) out[key.slice(view.uid.length + 1)] = p.stage;
    return out;
  }

  /** (Re)considers every scope of the pod. */
  evaluate(view: PodView): void {
    if (!this.#host.isCurrent(view)) return;
    this.#consider(`${view.uid}|pod`, POD_STAGES, view, view);
    for (const c of view.containers) this.#consider(`${view.uid}|${c.name}`, CONTAINER_STAGES, { view, c }, c);
  }

  /** Drops every pending stage of the pod. */
  cancel(view: PodView): void {
    const sim = this.#host.env.sim;
    for (const [key, p] of [...this.#pending]) {
      if (!key.startsWith(`${view.uid}|`)) continue;
      sim.cancel(p.timer);
      this.#pending.delete(key);
    }
  }

  #consider<T, S extends PodView | ContainerView>(key: string, stages: readonly Stage<T, S>[], target: T, state: S): void {
    const env = this.#host.env;
    const stage = stages.find((s) => s.selector(target, env));
    const pending = this.#pending.get(key);
    if (pending !== undefined && pending.stage === stage?.name) return;
    if (pending !== undefined) {
      env.sim.cancel(pending.timer);
      this.#pending.delete(key);
    }
    if (stage === undefined) return;
    const delayMs = this.#delayOf(stage, target, podOf(target));
    stage.begin?.(target, env);
    const timer = this.#host.schedule(delayMs, () => this.#fire(key, stage, target, state), `kubelet-stage ${stage.name}`);
    this.#pending.set(key, { stage: stage.name, timer });
  }

  #delayOf<T, S>(stage: Stage<T, S>, target: T, view: PodView): number {
    const env = this.#host.env;
    const d = typeof stage.delay === 'function' ? stage.delay(target, env) : stage.delay;
    if (typeof d === 'number') return Math.max(0, Math.round(d));
    const delay = delayFor(env.timings, d, view.pod);
    return delay.ms + (delay.jitterMs > 0 ? env.sim.choices(`kubelet/${stage.name}`).between(0, delay.jitterMs) : 0);
  }

  #fire<T, S extends PodView | ContainerView>(key: string, stage: Stage<T, S>, target: T, state: S): void {
    this.#pending.delete(key);
    const view = podOf(target);
    if (!this.#host.isCurrent(view)) return;
    const env = this.#host.env;
    if (!stage.selector(target, env)) {
      this.evaluate(view);
      return;
    }
    const patch = stage.next(target, env);
    Object.assign(state, patch);
    const c = 'c' in (target as object) ? (target as unknown as ContainerTarget).c.name : undefined;
    env.sim.record('kubelet-stage', { node: env.machine.nodeName, pod: view.key, c, stage: stage.name });
    stage.after?.(target, env);
    this.#host.changed(view);
  }
}

function podOf(target: unknown): PodView {
  return 'view' in (target as object) ? (target as ContainerTarget).view : (target as PodView);
}
