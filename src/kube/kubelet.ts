// The kubelet of one node, as the component `kubelet/<node>` (k8s.io/kubernetes pkg/kubelet):
// - registers its Node and keeps its status and Lease fresh (kubelet-node-status.ts);
// - watches the pods bound to it (fieldSelector spec.nodeName=<node>) and runs each through the
//   lifecycle stages (kubelet-stages.ts, run by kubelet-stage-runner.ts) on the node's machine
//   (node-machine.ts), with probe workers (kubelet-probes.ts) and the status manager
//   (kubelet-status-manager.ts) writing what it sees;
// - asks the PodRuntime (pod-runtime.ts) how each pod's processes behave.
// A crash of the kubelet loses its memory (views, probe results, back-offs) but not the machine: the
// restarted kubelet adopts the containers still running and removes sandboxes of pods deleted while
// it was down (HandlePodCleanups). A node loss (pod-faults.ts loseNode) also powers the machine off.

import type { KubeObject } from '../apiserver/types.js';
import type { ComponentContext } from '../client/component.js';
import type { Informer } from '../client/informer.js';
import { sleep, type Proc } from '../sim/process.js';
import { EventRecorder } from './event-recorder.js';
import { NodeHeartbeat } from './kubelet-node-status.js';
import { adoptPodView, hasProbe, type ContainerView, type PodView } from './kubelet-pod-state.js';
import { ProbeWorker, type ProbeHost } from './kubelet-probes.js';
import { StageRunner } from './kubelet-stage-runner.js';
import type { StageEnv } from './kubelet-stages.js';
import { StatusManager } from './kubelet-status-manager.js';
import type { MachineEvent, NodeMachine } from './node-machine.js';
import type { PodRuntime, ProbeKind } from './pod-runtime.js';
import { PODS } from './resources.js';
import type { Taint } from './taints.js';

export interface KubeletOptions {
  nodeName: string;
  runtime: PodRuntime;
  /** Capacity (= allocatable). Defaults: 4 CPUs, 16Gi, 110 pods. */
  cpu?: string | number;
  memory?: string | number;
  pods?: number;
  /** Extra node labels (e.g. topology.kubernetes.io/zone). */
  labels?: Record<string, string>;
  /** Taints the node registers with. */
  taints?: Taint[];
  /** The node's index: pod CIDR 10.244.<index>.0/24, host IP 172.18.0.<index+2>. Default: machine registration order. */
  nodeIndex?: number;
  /** Record Events (Pulling, Started, Killing, Unhealthy, BackOff...). Default true. */
  events?: boolean;
}

const PROBE_KINDS: readonly ProbeKind[] = ['startup', 'readiness', 'liveness'];

export class Kubelet {
  readonly nodeName: string;
  readonly machine: NodeMachine;
  readonly hostIp: string;
  readonly #ctx: ComponentContext;
  readonly #runtime: PodRuntime;
  readonly #views = new Map<string, PodView>();
  /** `namespace/name` → uid of the view. */
  readonly #byKey = new Map<string, string>();
  readonly #probes = new Map<string, ProbeWorker>();
  readonly #recorder: EventRecorder;
  readonly #runner: StageRunner;
  readonly #pods: Informer;
  readonly #status: StatusManager;

  constructor(ctx: ComponentContext, options: KubeletOptions) {
    this.#ctx = ctx;
    this.#runtime = options.runtime;
    this.nodeName = options.nodeName;
    this.machine = options.runtime.machineFor(ctx.sim, options.nodeName, { subnetIndex: options.nodeIndex });
    this.machine.powerOn();
    const index = Number(this.machine.ips.cidr.split('.')[2]);
    this.hostIp = `172.18.0.${index + 2}`;
    this.#recorder = new EventRecorder(ctx, { component: 'kubelet', host: options.nodeName, enabled: options.events ?? true });
    this.#runner = new StageRunner({
      env: this.#stageEnv(),
      schedule: (delayMs, run, label) => ctx.schedule(delayMs, run, label),
      changed: (view) => this.#changed(view),
      isCurrent: (view) => this.#views.get(view.uid) === view,
    });
    this.#pods = ctx.informer(PODS, { fieldSelector: `spec.nodeName=${options.nodeName}` });
    this.#status = new StatusManager({ ctx, nodeName: options.nodeName, hostIp: this.hostIp, pods: this.#pods, view: (key) => this.#viewByKey(key) });
    const shape = { nodeName: options.nodeName, cpu: options.cpu ?? 4, memory: options.memory ?? '16Gi', pods: options.pods ?? 110, labels: options.labels, taints: options.taints, hostIp: this.hostIp, podCidr: this.machine.ips.cidr };
    new NodeHeartbeat(ctx, shape, this.#runtime.timings).start();
    this.#wire();
  }

  /** The kubelet's view of a pod (`namespace/name`), for tests and reports. */
  view(key: string): PodView | undefined {
    return this.#viewByKey(key);
  }

  /** Pending stages of a pod by scope (`pod`, container names). */
  pendingStages(key: string): Record<string, string> {
    const view = this.#viewByKey(key);
    return view ? this.#runner.pendingFor(view) : {};
  }

  #wire(): void {
    const ctx = this.#ctx;
    this.#pods.addHandler({
      add: (pod) => this.#onPod(pod),
      update: (_old, pod) => this.#onPod(pod),
      delete: (pod) => this.#onPodGone(pod),
    });
    this.machine.setListener((ev) => void ctx.schedule(0, () => this.#onMachineEvent(ev), 'kubelet-pleg'));
    const unsubscribe = this.#runtime.onChange(() => void ctx.schedule(0, () => this.#reevaluateAll(), 'kubelet-runtime-change'));
    ctx.onStop(() => {
      this.machine.setListener(undefined);
      unsubscribe();
    });
    ctx.spawn('housekeeping', this.#housekeeping());
  }

  #stageEnv(): StageEnv {
    const sim = this.#ctx.sim;
    const runtime = this.#runtime;
    const period = Math.max(1, runtime.timings.plegRelistPeriodMs);
    return {
      sim,
      get timings() { return runtime.timings; },
      runtime,
      machine: this.machine,
      relistPhaseMs: sim.choices('kubelet/pleg-phase').between(0, period - 1),
      event: (view, type, reason, message) => this.#recorder.event(view.pod, type, reason, message),
      startProbes: (view, c) => this.#startProbes(view, c),
      stopProbes: (view, c) => this.#stopProbes(view, c),
    };
  }

  #viewByKey(key: string): PodView | undefined {
    const uid = this.#byKey.get(key);
    return uid === undefined ? undefined : this.#views.get(uid);
  }

  #changed(view: PodView): void {
    if (this.#views.get(view.uid) !== view) return;
    this.#runner.evaluate(view);
    this.#status.markDirty(view);
  }

  #onPod(pod: KubeObject): void {
    const uid = pod.metadata.uid!;
    let view = this.#views.get(uid);
    if (view === undefined) {
      const stale = this.#viewByKey(`${pod.metadata.namespace}/${pod.metadata.name}`);
      if (stale) this.#drop(stale);
      view = this.#adopt(pod);
    }
    view.pod = pod;
    const sandbox = this.machine.sandbox(uid);
    if (sandbox) sandbox.pod = pod;
    if (pod.metadata.deletionTimestamp !== undefined && !view.terminating) {
      view.terminating = true;
      this.#ctx.sim.record('kubelet-terminating', { node: this.nodeName, pod: view.key, graceS: pod.metadata.deletionGracePeriodSeconds });
    } else if (view.killing) {
      this.#shortenGrace(view, pod);
    }
    this.#changed(view);
  }

  /** A second delete with a shorter grace period moves the deadlines in (pod_workers.go honours it). */
  #shortenGrace(view: PodView, pod: KubeObject): void {
    const now = this.#ctx.sim.nowMs;
    const deadlineMs = now + Math.max(0, (pod.metadata.deletionGracePeriodSeconds ?? 30) * 1000);
    let moved = false;
    for (const c of view.containers) {
      const stop = c.stopping;
      if (stop?.reason !== 'delete' || stop.sinceMs + stop.graceMs <= deadlineMs) continue;
      stop.graceMs = deadlineMs - stop.sinceMs;
      if (c.killAtMs !== undefined) c.killAtMs = Math.min(c.killAtMs, deadlineMs);
      moved = true;
    }
    if (moved) this.#runner.cancel(view);
  }

  #adopt(pod: KubeObject): PodView {
    const view = adoptPodView(pod, this.machine, this.#ctx.sim.nowMs);
    this.#views.set(view.uid, view);
    this.#byKey.set(view.key, view.uid);
    for (const c of view.containers) {
      if (c.phase !== 'running') continue;
      c.started = !hasProbe(c, 'startup');
      c.ready = c.started && !hasProbe(c, 'readiness');
      this.#startProbes(view, c, { adopted: true });
    }
    return view;
  }

  #onPodGone(pod: KubeObject): void {
    const view = this.#views.get(pod.metadata.uid!);
    if (view) this.#drop(view);
  }

  /** Forgets a pod that left the API server; a sandbox still there is torn down (force deletion). */
  #drop(view: PodView): void {
    this.#runner.cancel(view);
    for (const c of view.containers) this.#stopProbes(view, c);
    this.#views.delete(view.uid);
    if (this.#byKey.get(view.key) === view.uid) this.#byKey.delete(view.key);
    this.#status.forget(view.key);
    if (!view.cleaned) this.machine.removeSandbox(view.uid);
  }

  #onMachineEvent(ev: MachineEvent): void {
    const view = this.#views.get(ev.podUid);
    if (view === undefined) return;
    if (ev.type === 'prestop-done') {
      const c = view.containers.find((x) => x.name === ev.name);
      if (c?.stopping === undefined || c.preStopDone) return;
      c.preStopDone = true;
    }
    this.#changed(view);
  }

  #reevaluateAll(): void {
    for (const view of [...this.#views.values()]) this.#changed(view);
  }

  /** After the first list: sandboxes of pods that no longer exist are removed (HandlePodCleanups). */
  *#housekeeping(): Proc<void> {
    while (!this.#pods.hasSynced) yield* sleep(100);
    for (const sandbox of this.machine.sandboxes()) {
      if (this.#pods.get(sandbox.podKey)?.metadata.uid === sandbox.podUid) continue;
      this.#ctx.sim.record('kubelet-orphan', { node: this.nodeName, pod: sandbox.podKey });
      this.machine.removeSandbox(sandbox.podUid);
    }
  }

  #probeHost(): ProbeHost {
    return {
      sim: this.#ctx.sim,
      machine: this.machine,
      schedule: (delayMs, run, label) => this.#ctx.schedule(delayMs, run, label),
      isCurrent: (view) => this.#views.get(view.uid) === view,
      failed: (view, c, kind) => this.#recorder.event(view.pod, 'Warning', 'Unhealthy', `${kind[0].toUpperCase()}${kind.slice(1)} probe failed`),
      result: (view, c, kind, outcome) => this.#onProbeResult(view, c, kind, outcome),
    };
  }

  #startProbes(view: PodView, c: ContainerView, options: { adopted?: boolean } = {}): void {
    const host = this.#probeHost();
    for (const kind of PROBE_KINDS) {
      if (!hasProbe(c, kind)) continue;
      const key = `${view.uid}|${c.name}|${kind}`;
      this.#probes.get(key)?.stop();
      const worker = new ProbeWorker(host, view, c, kind);
      this.#probes.set(key, worker);
      worker.start(options);
    }
  }

  #stopProbes(view: PodView, c: ContainerView): void {
    for (const kind of PROBE_KINDS) {
      const key = `${view.uid}|${c.name}|${kind}`;
      this.#probes.get(key)?.stop();
      this.#probes.delete(key);
    }
  }

  #onProbeResult(view: PodView, c: ContainerView, kind: ProbeKind, outcome: 'success' | 'failure'): void {
    const sim = this.#ctx.sim;
    const before = { ready: c.ready, started: c.started, stopping: c.stopping };
    if (kind === 'readiness') c.ready = outcome === 'success';
    else if (outcome === 'success') {
      if (kind === 'startup') c.started = true;
      if (kind === 'startup' && !hasProbe(c, 'readiness')) c.ready = true;
    } else if (c.stopping === undefined) {
      this.#recorder.event(view.pod, 'Normal', 'Killing', `Container ${c.name} failed ${kind} probe, will be restarted`);
      const probeGraceS = c.spec[`${kind}Probe`]?.terminationGracePeriodSeconds as number | undefined;
      const graceS = probeGraceS ?? (view.pod.spec?.terminationGracePeriodSeconds as number | undefined) ?? 30;
      c.stopping = { reason: kind, graceMs: graceS * 1000, sinceMs: sim.nowMs };
    }
    if (before.ready === c.ready && before.started === c.started && before.stopping === c.stopping) return;
    sim.record('probe', { node: this.nodeName, pod: view.key, c: c.name, kind, result: outcome });
    this.#changed(view);
  }
}

/** Sets up the kubelet of one node in a component (conventionally named `kubelet/<node>`). */
export function setupKubelet(ctx: ComponentContext, options: KubeletOptions): Kubelet {
  return new Kubelet(ctx, options);
}
