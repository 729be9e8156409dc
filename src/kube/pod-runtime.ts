// PodRuntime: the seam through which models of the processes inside pods (Knative's queue-proxy and
// user container, an activator, a generic web app, a fault) tell the simulated kubelet how those
// processes behave, and learn what the kubelet and the container runtime do to them.
//
// What the kubelet decides itself (as upstream): when to create the sandbox, pull, create and start
// containers, when to probe, how to count probe results against thresholds, when to restart
// (restartPolicy, CrashLoopBackOff), how to terminate (preStop, SIGTERM, SIGKILL at the grace
// deadline), what status to write. What it asks the PodRuntime, per pod and container:
//
//   appStartMs(pod, c)        time from process start until the app answers probes
//   probe(pod, c, kind, now)  outcome of one readiness/liveness/startup probe ('success', 'failure',
//                             'timeout'); undefined = default (success once the app has started,
//                             failure before)
//   preStopMs(pod, c)         how long the container's preStop hook runs (only for containers whose
//                             spec has lifecycle.preStop); Infinity = until finishPreStop() is called
//   shutdownMs(pod, c)        time from SIGTERM until the process exits by itself; Infinity = until
//                             exitContainer() is called (else SIGKILL at the grace deadline)
//   exitAfterMs(pod, c)       a process that exits by itself this long after starting (a crash)
//   exitCode(pod, c, cause)   its exit code (default: 0 after SIGTERM, 1 for a crash)
//   imagePull(pod, c, now)    'failure' makes the pull fail (ErrImagePull, ImagePullBackOff)
//   holdTermination(pod, now) true keeps the kubelet from finishing a deleted pod (stuck Terminating)
//
// and it notifies: onContainerStarted, onContainerStopping (SIGTERM delivered), onContainerStopped
// (any exit: crash, SIGTERM, SIGKILL, node loss), onPodRunning (every container of the sandbox
// running, once per sandbox), onPodTerminating (the kubelet starts killing the pod), onPodDeleted
// (sandbox gone, IP released). A data plane uses these, or lookupIp(), to know which pods can serve.
//
// Models act back through: exitContainer(podUid, name, { exitCode }) (the process ends — a crash, or
// the end of a shutdown the model controls), finishPreStop(podUid, name) (an open-ended preStop hook
// returns, e.g. queue-proxy's /wait-for-drain), lookupIp(ip) and sandbox(podUid) (what runs where).
//
// Behaviours are consulted in order; for a hook, the first behaviour that matches the pod and
// returns a value wins (register({ first: true }) puts faults ahead of models). Without any
// behaviour a pod is a generic app that starts after appStartMs and passes every probe. Hook results
// are used as given; when no behaviour answers, the pod's annotations (sleeveless.dev/app-start-ms,
// ...) and then the cluster's KubeletTimings decide, with jitter drawn through the chooser.
//
// One PodRuntime per cluster: it also holds each node's machine (containers, IPs, image cache),
// which outlives kubelet restarts. It must not be shared between simulations.

import type { KubeObject } from '../apiserver/types.js';
import type { Simulation } from '../sim/simulation.js';
import {
  DEFAULT_KUBELET_TIMINGS, delayFor, mergeTimings,
  type DelayName, type KubeletTimings, type KubeletTimingsOverrides,
} from './kubelet-timings.js';
import { NodeMachine, type PodSandbox } from './node-machine.js';

export type ProbeKind = 'readiness' | 'liveness' | 'startup';
/** 'timeout': no answer within timeoutSeconds — a failure the kubelet learns only when the timeout ends. */
export type ProbeOutcome = 'success' | 'failure' | 'timeout';
export type ExitCause = 'sigterm' | 'crash';

/** A container as the hooks see it. */
export interface ContainerRef {
  readonly name: string;
  readonly image: string;
  /** The container's entry in pod.spec.containers. */
  readonly spec: Readonly<Record<string, any>>;
  /** Which attempt this is (status restartCount once it runs). */
  readonly restartCount: number;
  readonly startedAtMs?: number;
  readonly nodeName: string;
}

export interface ContainerExit {
  exitCode: number;
  reason: string;
}

export interface PodBehaviour {
  name: string;
  matches(pod: KubeObject): boolean;
  appStartMs?(pod: KubeObject, c: ContainerRef): number | undefined;
  probe?(pod: KubeObject, c: ContainerRef, kind: ProbeKind, nowMs: number): ProbeOutcome | undefined;
  preStopMs?(pod: KubeObject, c: ContainerRef): number | undefined;
  shutdownMs?(pod: KubeObject, c: ContainerRef): number | undefined;
  exitAfterMs?(pod: KubeObject, c: ContainerRef): number | undefined;
  exitCode?(pod: KubeObject, c: ContainerRef, cause: ExitCause): number | undefined;
  imagePull?(pod: KubeObject, c: ContainerRef, nowMs: number): 'success' | 'failure' | undefined;
  holdTermination?(pod: KubeObject, nowMs: number): boolean | undefined;
  onContainerStarted?(pod: KubeObject, c: ContainerRef, nowMs: number): void;
  onContainerStopping?(pod: KubeObject, c: ContainerRef, nowMs: number): void;
  onContainerStopped?(pod: KubeObject, c: ContainerRef, exit: ContainerExit, nowMs: number): void;
  onPodRunning?(pod: KubeObject, nowMs: number): void;
  onPodTerminating?(pod: KubeObject, nowMs: number): void;
  onPodDeleted?(pod: KubeObject, nowMs: number): void;
}

type Notification = 'onContainerStarted' | 'onContainerStopping' | 'onContainerStopped' | 'onPodRunning' | 'onPodTerminating' | 'onPodDeleted';
type Args<K extends Notification> = Parameters<NonNullable<PodBehaviour[K]>>;

export interface PodRuntimeOptions {
  timings?: KubeletTimingsOverrides;
}

export class PodRuntime {
  #timings: KubeletTimings;
  readonly #behaviours: PodBehaviour[] = [];
  readonly #machines = new Map<string, NodeMachine>();
  readonly #changeListeners = new Set<() => void>();

  constructor(options: PodRuntimeOptions = {}) {
    this.#timings = mergeTimings(DEFAULT_KUBELET_TIMINGS, options.timings);
  }

  get timings(): Readonly<KubeletTimings> {
    return this.#timings;
  }

  /** Applies more timing overrides (cluster-wide), e.g. from installKubeNodes. */
  configure(overrides: KubeletTimingsOverrides): void {
    this.#timings = mergeTimings(this.#timings, overrides);
  }

  /** Adds a behaviour (last, or first to take precedence); returns its removal. Both wake the kubelets. */
  register(behaviour: PodBehaviour, options: { first?: boolean } = {}): () => void {
    if (options.first) this.#behaviours.unshift(behaviour);
    else this.#behaviours.push(behaviour);
    this.changed();
    return () => {
      const i = this.#behaviours.indexOf(behaviour);
      if (i < 0) return;
      this.#behaviours.splice(i, 1);
      this.changed();
    };
  }

  behaviours(): readonly PodBehaviour[] {
    return this.#behaviours;
  }

  /** Called when behaviours change (a fault window opens or closes): kubelets re-evaluate their pods. */
  onChange(fn: () => void): () => void {
    this.#changeListeners.add(fn);
    return () => this.#changeListeners.delete(fn);
  }

  changed(): void {
    for (const fn of [...this.#changeListeners]) fn();
  }

  #ask<T>(pod: KubeObject, ask: (b: PodBehaviour) => T | undefined): T | undefined {
    for (const b of this.#behaviours) {
      if (!b.matches(pod)) continue;
      const value = ask(b);
      if (value !== undefined) return value;
    }
    return undefined;
  }

  #drawn(sim: Simulation, name: DelayName, pod: KubeObject): number {
    const d = delayFor(this.#timings, name, pod);
    return d.ms + (d.jitterMs > 0 ? sim.choices(`runtime/${name}`).between(0, d.jitterMs) : 0);
  }

  appStartMs(sim: Simulation, pod: KubeObject, c: ContainerRef): number {
    return this.#ask(pod, (b) => b.appStartMs?.(pod, c)) ?? this.#drawn(sim, 'appStart', pod);
  }

  probe(pod: KubeObject, c: ContainerRef, kind: ProbeKind, nowMs: number): ProbeOutcome | undefined {
    return this.#ask(pod, (b) => b.probe?.(pod, c, kind, nowMs));
  }

  /** The preStop duration: a behaviour's, else a `sleep` action's seconds, else the preStop timing. */
  preStopMs(sim: Simulation, pod: KubeObject, c: ContainerRef): number {
    const asked = this.#ask(pod, (b) => b.preStopMs?.(pod, c));
    if (asked !== undefined) return asked;
    const sleepS = c.spec.lifecycle?.preStop?.sleep?.seconds;
    return typeof sleepS === 'number' ? sleepS * 1000 : this.#drawn(sim, 'preStop', pod);
  }

  shutdownMs(sim: Simulation, pod: KubeObject, c: ContainerRef): number {
    return this.#ask(pod, (b) => b.shutdownMs?.(pod, c)) ?? this.#drawn(sim, 'shutdown', pod);
  }

  exitAfterMs(pod: KubeObject, c: ContainerRef): number | undefined {
    return this.#ask(pod, (b) => b.exitAfterMs?.(pod, c));
  }

  exitCode(pod: KubeObject, c: ContainerRef, cause: ExitCause): number {
    return this.#ask(pod, (b) => b.exitCode?.(pod, c, cause)) ?? (cause === 'sigterm' ? 0 : 1);
  }

  imagePull(pod: KubeObject, c: ContainerRef, nowMs: number): 'success' | 'failure' {
    return this.#ask(pod, (b) => b.imagePull?.(pod, c, nowMs)) ?? 'success';
  }

  holdsTermination(pod: KubeObject, nowMs: number): boolean {
    return this.#ask(pod, (b) => b.holdTermination?.(pod, nowMs)) ?? false;
  }

  /** Calls a notification on every matching behaviour, in order. */
  notify<K extends Notification>(hook: K, ...args: Args<K>): void {
    const pod = args[0];
    for (const b of [...this.#behaviours]) {
      if (!b.matches(pod)) continue;
      (b[hook] as ((...a: Args<K>) => void) | undefined)?.(...args);
    }
  }

  /** The machine of `nodeName`, created on first use (its pod subnet index defaults to registration order). */
  machineFor(sim: Simulation, nodeName: string, options: { subnetIndex?: number } = {}): NodeMachine {
    let machine = this.#machines.get(nodeName);
    if (machine === undefined) {
      const subnetIndex = options.subnetIndex ?? this.#machines.size;
      machine = new NodeMachine({ sim, runtime: this, nodeName, subnetIndex });
      this.#machines.set(nodeName, machine);
    }
    return machine;
  }

  machine(nodeName: string): NodeMachine | undefined {
    return this.#machines.get(nodeName);
  }

  machines(): NodeMachine[] {
    return [...this.#machines.values()];
  }

  /** The sandbox holding pod IP `ip`, on whichever node. */
  lookupIp(ip: string): PodSandbox | undefined {
    for (const m of this.#machines.values()) {
      const sandbox = m.sandboxByIp(ip);
      if (sandbox) return sandbox;
    }
    return undefined;
  }

  /** The sandbox of a pod (by uid), on whichever node. */
  sandbox(podUid: string): { machine: NodeMachine; sandbox: PodSandbox } | undefined {
    for (const machine of this.#machines.values()) {
      const sandbox = machine.sandbox(podUid);
      if (sandbox) return { machine, sandbox };
    }
    return undefined;
  }

  /** A model's process exits (crash, or the end of a graceful shutdown it controls). */
  exitContainer(podUid: string, name: string, exit: { exitCode?: number; reason?: string } = {}): boolean {
    const found = this.sandbox(podUid);
    return found ? found.machine.exit(podUid, name, exit) : false;
  }

  /** A preStop hook that a behaviour made open-ended (preStopMs Infinity) returns. */
  finishPreStop(podUid: string, name: string): void {
    this.sandbox(podUid)?.machine.finishPreStop(podUid, name);
  }
}
