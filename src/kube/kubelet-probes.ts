// Probe workers, one per running container and probe kind, after k8s.io/kubernetes
// pkg/kubelet/prober/worker.go:
// - ticks every periodSeconds; a tick less than initialDelaySeconds (whole seconds, as upstream
//   truncates) after the container started does nothing;
// - readiness and liveness wait for the container to be started (startup probe passed, or none);
//   the startup probe stops probing once it passed;
// - a result only takes effect after successThreshold successes or failureThreshold failures in a
//   row (readiness starts at Failure, liveness at Success, startup at Unknown);
// - a liveness or startup failure puts the worker on hold: the kubelet kills the container;
// - while the pod is being deleted, liveness and startup stop; readiness goes on.
// Upstream the worker is created when the pod is added and its ticks are not aligned with the
// container's start; the kubelet then triggers a probe by hand when it first reports the started
// container (prober_manager.go UpdatePodStatus) and the ticker restarts from there. We anchor the
// ticks at the container's start, which is where that manual trigger puts them.

import type { Simulation, Timer } from '../sim/simulation.js';
import type { ContainerView, PodView } from './kubelet-pod-state.js';
import type { NodeMachine } from './node-machine.js';
import type { ProbeKind, ProbeOutcome } from './pod-runtime.js';

export interface ProbeSpec {
  initialDelaySeconds: number;
  periodSeconds: number;
  timeoutSeconds: number;
  successThreshold: number;
  failureThreshold: number;
  /** Probe-level grace for a liveness/startup kill (KEP-2238), else the pod's. */
  terminationGracePeriodSeconds?: number;
}

/** The API defaults (pkg/apis/core/v1/defaults.go SetDefaults_Probe: a zero or absent field gets its default). */
export function probeSpecOf(raw: Record<string, any>): ProbeSpec {
  return {
    initialDelaySeconds: raw.initialDelaySeconds ?? 0,
    periodSeconds: raw.periodSeconds || 10,
    timeoutSeconds: raw.timeoutSeconds || 1,
    successThreshold: raw.successThreshold || 1,
    failureThreshold: raw.failureThreshold || 3,
    terminationGracePeriodSeconds: raw.terminationGracePeriodSeconds,
  };
}

export interface ProbeHost {
  sim: Simulation;
  machine: NodeMachine;
  schedule(delayMs: number, run: () => void, label: string): Timer;
  isCurrent(view: PodView): boolean;
  /** One failed attempt (the Unhealthy event). */
  failed(view: PodView, c: ContainerView, kind: ProbeKind): void;
  /** A threshold was reached: the result the kubelet acts on. */
  result(view: PodView, c: ContainerView, kind: ProbeKind, outcome: 'success' | 'failure'): void;
}

export class ProbeWorker {
  readonly kind: ProbeKind;
  readonly spec: ProbeSpec;
  readonly #host: ProbeHost;
  readonly #view: PodView;
  readonly #c: ContainerView;
  readonly #containerId: string | undefined;
  #timer: Timer | undefined;
  #inFlight = false;
  #lastResult: 'success' | 'failure' | undefined;
  #resultRun = 0;
  #stopped = false;
  /** The tick as a callback and its timer label, made once per worker rather than on every tick. */
  readonly #tickCallback = (): void => this.#tick();
  readonly #tickLabel: string;

  constructor(host: ProbeHost, view: PodView, c: ContainerView, kind: ProbeKind) {
    this.#host = host;
    this.#view = view;
    this.#c = c;
    this.kind = kind;
    this.#tickLabel = `probe ${kind}`;
    this.spec = probeSpecOf(c.spec[`${kind}Probe`] as Record<string, any>);
    this.#containerId = c.containerId;
  }

  /**
   * First tick now (the container just started), then every periodSeconds. For a container adopted
   * by a kubelet that just started, the first tick waits a random part of the period instead
   * (worker.go run: "If kubelet restarted the probes could be started in rapid succession").
   */
  start(options: { adopted?: boolean } = {}): void {
    const periodMs = this.spec.periodSeconds * 1000;
    this.#schedule(options.adopted && periodMs > 1 ? this.#host.sim.choices('kubelet/probe-start').between(0, periodMs - 1) : 0);
  }

  stop(): void {
    this.#stopped = true;
    this.#host.sim.cancel(this.#timer);
    this.#timer = undefined;
  }

  #schedule(delayMs: number): void {
    if (!this.#stopped) this.#timer = this.#host.schedule(delayMs, this.#tickCallback, this.#tickLabel);
  }

  #tick(): void {
    this.#timer = undefined;
    const view = this.#view;
    const c = this.#c;
    if (!this.#host.isCurrent(view) || c.containerId !== this.#containerId || c.phase !== 'running') return this.stop();
    if (this.kind !== 'readiness' && view.terminating) return this.stop();
    this.#schedule(this.spec.periodSeconds * 1000);
    if (this.#inFlight || this.#skips(c)) return;
    const outcome = this.#host.machine.probe(view.uid, c.name, this.kind);
    if (outcome !== 'timeout') {
      this.#record(outcome);
      return;
    }
    this.#inFlight = true;
    this.#host.schedule(this.spec.timeoutSeconds * 1000, () => {
      this.#inFlight = false;
      if (!this.#stopped && c.containerId === this.#containerId && c.phase === 'running') this.#record('failure');
    }, `probe ${this.kind} timeout`);
  }

  #skips(c: ContainerView): boolean {
    const sinceStartS = Math.floor((this.#host.sim.nowMs - (c.startedAtMs ?? this.#host.sim.nowMs)) / 1000);
    if (sinceStartS < this.spec.initialDelaySeconds) return true;
    return this.kind === 'startup' ? c.started : !c.started;
  }

  #record(outcome: Exclude<ProbeOutcome, 'timeout'>): void {
    if (outcome === this.#lastResult) this.#resultRun++;
    else {
      this.#lastResult = outcome;
      this.#resultRun = 1;
    }
    if (outcome === 'failure') this.#host.failed(this.#view, this.#c, this.kind);
    const threshold = outcome === 'failure' ? this.spec.failureThreshold : this.spec.successThreshold;
    if (this.#resultRun < threshold) return;
    this.#host.result(this.#view, this.#c, this.kind, outcome);
    if (this.kind !== 'readiness' && outcome === 'failure') this.stop();
  }
}
