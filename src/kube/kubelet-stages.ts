// The pod lifecycle as data, kwok-style (kubernetes-sigs/kwok kustomize/stage/pod/general/*.yaml,
// pkg/utils/lifecycle): each stage has a name, a selector over the kubelet's view of a pod or of one
// container, a delay (a KubeletTimings entry with jitter drawn through the chooser, overridable per
// pod by annotation, or a computed wait such as a back-off), and a `next` that yields the new state
// (a patch of the view) and performs the step on the node's machine. The StageRunner picks, for the
// pod and for each container, the first stage whose selector holds, waits its delay, checks the
// selector again and applies `next` — the kwok engine's shape, with a newer state cancelling a
// pending stage that no longer applies.
//
// Upstream behaviour each stage stands for (k8s.io/kubernetes pkg/kubelet):
// - sandbox-create: kuberuntime_manager.go SyncPod step 4 (createPodSandbox, CNI ADD gives the IP);
// - image-pull / image-pull-backoff / image-pull-wait: images/image_manager.go EnsureImageExists
//   (IfNotPresent uses the cache; a failed pull is ErrImagePull, then ImagePullBackOff while the
//   image back-off lasts);
// - container-create, container-start: kuberuntime_container.go startContainer (create, start);
//   containers of one pod start in spec order, one after the other (SyncPod loops over them);
// - container-died: the PLEG relist (pleg/generic.go) noticing an exit at its next relist;
// - crash-loop-backoff / container-restart: kuberuntime_manager.go doBackOff with
//   flowcontrol.Backoff (restart at once after a first exit, then 10 s, 20 s, ... up to 300 s after
//   each further exit; forgotten once a container ran 10 min);
// - pod-kill, prestop, sigterm, sigkill: kuberuntime_container.go killContainer (preStop hook within
//   the grace period, then StopContainer with what is left, at least minimumGracePeriodInSeconds);
// - pod-cleanup: killPodWithSyncResult's StopPodSandbox (CNI DEL releases the IP), after which the
//   status manager writes the terminal status and deletes the pod (status_manager.go).

import type { KubeObject } from '../apiserver/types.js';
import type { Simulation } from '../sim/simulation.js';
import { goDuration } from './go-duration.js';
import type { DelayName, KubeletTimings } from './kubelet-timings.js';
import {
  hasPreStop, hasProbe, shouldRestart, terminatedOf,
  type BackoffEntry, type ContainerView, type PodView,
} from './kubelet-pod-state.js';
import { imageIdOf, type MachineContainer, type NodeMachine } from './node-machine.js';
import type { ContainerRef, PodRuntime } from './pod-runtime.js';

export interface StageEnv {
  readonly sim: Simulation;
  readonly timings: Readonly<KubeletTimings>;
  readonly runtime: PodRuntime;
  readonly machine: NodeMachine;
  /** This node's PLEG relist phase: relists happen at times ≡ phase (mod the period). */
  readonly relistPhaseMs: number;
  event(view: PodView, type: 'Normal' | 'Warning', reason: string, message: string): void;
  startProbes(view: PodView, c: ContainerView): void;
  stopProbes(view: PodView, c: ContainerView): void;
}

export interface ContainerTarget {
  readonly view: PodView;
  readonly c: ContainerView;
}

export interface Stage<T, S> {
  readonly name: string;
  selector(target: T, env: StageEnv): boolean;
  /** A KubeletTimings delay (jittered), or a computed one: a delay name or an exact number of ms. */
  delay: DelayName | number | ((target: T, env: StageEnv) => DelayName | number);
  /** Called when the stage is scheduled (an event that marks the start of a step). */
  begin?(target: T, env: StageEnv): void;
  /** The new state, as a patch of the view; does the step on the machine. */
  next(target: T, env: StageEnv): Partial<S>;
  /** Called after the patch is applied. */
  after?(target: T, env: StageEnv): void;
}

export type PodStage = Stage<PodView, PodView>;
export type ContainerStage = Stage<ContainerTarget, ContainerView>;

const now = (env: StageEnv): number => env.sim.nowMs;

function machineContainer(env: StageEnv, view: PodView, c: ContainerView): MachineContainer | undefined {
  const mc = env.machine.sandbox(view.uid)?.containers.get(c.name);
  return mc && mc.id === c.containerId ? mc : undefined;
}

export function refOf(env: StageEnv, view: PodView, c: ContainerView): ContainerRef {
  return { name: c.name, image: String(c.spec.image), spec: c.spec, restartCount: Math.max(0, c.attempts - 1), startedAtMs: c.startedAtMs, nodeName: env.machine.nodeName };
}

/** Milliseconds until this node's next PLEG relist (0 when one is due now). */
function untilRelist(env: StageEnv): number {
  const period = env.timings.plegRelistPeriodMs;
  if (period <= 0) return 0;
  return (((env.relistPhaseMs - now(env)) % period) + period) % period;
}

function remainingGraceMs(c: ContainerView, env: StageEnv): number {
  const stop = c.stopping!;
  return Math.max(0, stop.sinceMs + stop.graceMs - now(env));
}

/** The pod may start containers: bound sandbox, not being deleted, not finished. */
function startable(view: PodView, c: ContainerView): boolean {
  return !view.terminating && !view.terminal && view.sandboxReady && c.stopping === undefined;
}

const BLOCKED_REASONS = new Set(['ErrImagePull', 'ImagePullBackOff']);

/** Containers start in spec order: an earlier one still being started (and not backing off) goes first. */
function turnToStart(view: PodView, c: ContainerView): boolean {
  for (const d of view.containers) {
    if (d === c) return true;
    const midStart = d.phase === 'pending' || d.phase === 'pulled' || d.phase === 'created';
    const blocked = d.pullNotBeforeMs !== undefined || BLOCKED_REASONS.has(d.waitingReason ?? '');
    if (midStart && !blocked) return false;
  }
  return true;
}

/** flowcontrol.Backoff.Next: start at `initialMs` (or again after `resetMs` of quiet), else double up to `maxMs`. */
export function advanceBackoff(entry: BackoffEntry | undefined, eventMs: number, nowMs: number, o: { initialMs: number; maxMs: number; resetMs: number }): BackoffEntry {
  if (entry === undefined || eventMs - entry.lastUpdateMs > o.resetMs) return { backoffMs: o.initialMs, lastUpdateMs: nowMs };
  return { backoffMs: Math.min(entry.backoffMs * 2, o.maxMs), lastUpdateMs: nowMs };
}

const CONTAINER_DIED: ContainerStage = {
  name: 'container-died',
  selector: ({ view, c }, env) => c.phase === 'running' && machineContainer(env, view, c)?.state !== 'running',
  delay: ({ view, c }, env) => (view.terminating || c.stopping ? 0 : untilRelist(env)),
  next: ({ view, c }, env) => {
    const mc = machineContainer(env, view, c);
    const exit = mc?.state === 'exited'
      ? terminatedOf(mc)
      : { exitCode: 137, reason: 'ContainerStatusUnknown', startedAtMs: c.startedAtMs ?? now(env), finishedAtMs: now(env), containerId: c.containerId ?? '' };
    env.stopProbes(view, c);
    return { phase: 'exited', prevExit: c.exit, exit, ready: false, started: false, stopping: undefined, preStopDone: undefined, termSent: undefined, killAtMs: undefined };
  },
};

const PRE_STOP: ContainerStage = {
  name: 'prestop',
  selector: ({ c }) => c.stopping !== undefined && c.phase === 'running' && hasPreStop(c) && !c.preStopDone && !c.termSent,
  delay: ({ view, c }, env) => Math.round(Math.min(env.runtime.preStopMs(env.sim, view.pod, refOf(env, view, c)), remainingGraceMs(c, env))),
  next: () => ({ preStopDone: true }),
};

const SIGTERM: ContainerStage = {
  name: 'sigterm',
  selector: ({ c }) => c.stopping !== undefined && c.phase === 'running' && !c.termSent && (c.preStopDone === true || !hasPreStop(c)),
  delay: 0,
  next: ({ view, c }, env) => {
    const graceMs = Math.max(remainingGraceMs(c, env), env.timings.minimumGracePeriodMs);
    env.machine.signalTerm(view.uid, c.name);
    return { termSent: true, killAtMs: now(env) + graceMs };
  },
};

const SIGKILL: ContainerStage = {
  name: 'sigkill',
  selector: ({ c }) => c.stopping !== undefined && c.phase === 'running' && c.termSent === true,
  delay: ({ c }, env) => Math.max(0, (c.killAtMs ?? now(env)) - now(env)),
  next: ({ view, c }, env) => {
    env.machine.kill(view.uid, c.name);
    return {};
  },
};

const IMAGE_PULL_BACKOFF: ContainerStage = {
  name: 'image-pull-backoff',
  selector: ({ view, c }) => !view.terminating && c.phase === 'pending' && c.waitingReason === 'ErrImagePull',
  delay: (_t, env) => env.timings.imagePullErrorMs,
  next: ({ view, c }, env) => {
    env.event(view, 'Normal', 'BackOff', `Back-off pulling image "${c.spec.image}"`);
    return { waitingReason: 'ImagePullBackOff', waitingMessage: `Back-off pulling image "${c.spec.image}"` };
  },
};

const IMAGE_PULL_WAIT: ContainerStage = {
  name: 'image-pull-wait',
  selector: ({ view, c }) => startable(view, c) && c.phase === 'pending' && c.pullNotBeforeMs !== undefined,
  delay: ({ c }, env) => Math.max(0, c.pullNotBeforeMs! - now(env)),
  next: () => ({ pullNotBeforeMs: undefined }),
};

const IMAGE_PULL: ContainerStage = {
  name: 'image-pull',
  selector: ({ view, c }) => startable(view, c) && c.phase === 'pending' && c.pullNotBeforeMs === undefined && turnToStart(view, c),
  delay: ({ c }, env) => (env.machine.hasImage(String(c.spec.image)) ? 'cachedImagePull' : 'imagePull'),
  begin: ({ view, c }, env) => {
    if (!env.machine.hasImage(String(c.spec.image))) env.event(view, 'Normal', 'Pulling', `Pulling image "${c.spec.image}"`);
  },
  next: ({ view, c }, env) => pullImage(view, c, env),
};

function pullImage(view: PodView, c: ContainerView, env: StageEnv): Partial<ContainerView> {
  const image = String(c.spec.image);
  const cached = env.machine.hasImage(image);
  if (env.runtime.imagePull(view.pod, refOf(env, view, c), now(env)) === 'failure') {
    const t = env.timings;
    const entry = advanceBackoff(c.imageBackoff, now(env), now(env), { initialMs: t.imagePullBackOffInitialMs, maxMs: t.imagePullBackOffMaxMs, resetMs: 2 * t.imagePullBackOffMaxMs });
    const message = `Failed to pull image "${image}": rpc error: code = NotFound desc = failed to pull and unpack image "${image}": not found`;
    env.event(view, 'Warning', 'Failed', message);
    env.event(view, 'Warning', 'Failed', 'Error: ErrImagePull');
    return { waitingReason: 'ErrImagePull', waitingMessage: message, imageBackoff: entry, pullNotBeforeMs: now(env) + entry.backoffMs };
  }
  env.machine.addImage(image);
  env.event(view, 'Normal', 'Pulled', cached ? `Container image "${image}" already present on machine` : `Successfully pulled image "${image}"`);
  const keepReason = c.waitingReason === 'CrashLoopBackOff' ? {} : { waitingReason: undefined, waitingMessage: undefined };
  return { phase: 'pulled', imageId: imageIdOf(image), ...keepReason };
}

const CONTAINER_CREATE: ContainerStage = {
  name: 'container-create',
  selector: ({ view, c }) => startable(view, c) && c.phase === 'pulled',
  delay: 'containerCreate',
  next: ({ view, c }, env) => {
    const mc = env.machine.createContainer(view.uid, c.spec, c.attempts);
    env.event(view, 'Normal', 'Created', `Created container: ${c.name}`);
    return { phase: 'created', containerId: mc.id, attempts: c.attempts + 1 };
  },
};

const CONTAINER_START: ContainerStage = {
  name: 'container-start',
  selector: ({ view, c }) => startable(view, c) && c.phase === 'created',
  delay: 'containerStart',
  next: ({ view, c }, env) => {
    const mc = env.machine.startContainer(view.uid, c.name);
    const started = !hasProbe(c, 'startup');
    return { phase: 'running', startedAtMs: mc.startedAtMs, waitingReason: undefined, waitingMessage: undefined, started, ready: started && !hasProbe(c, 'readiness') };
  },
  after: ({ view, c }, env) => {
    env.event(view, 'Normal', 'Started', `Started container ${c.name}`);
    env.startProbes(view, c);
  },
};

function backoffOptions(env: StageEnv): { initialMs: number; maxMs: number; resetMs: number } {
  const t = env.timings;
  return { initialMs: t.crashLoopBackOffInitialMs, maxMs: t.crashLoopBackOffMaxMs, resetMs: t.crashLoopBackOffResetMs };
}

const podRef = (pod: KubeObject): string => `${pod.metadata.name}_${pod.metadata.namespace}(${pod.metadata.uid})`;

const CRASH_LOOP_BACKOFF: ContainerStage = {
  name: 'crash-loop-backoff',
  selector: ({ view, c }) => !view.terminating && !view.terminal && c.phase === 'exited' && c.restartNotBeforeMs === undefined && shouldRestart(view.pod, c.exit?.exitCode ?? 1),
  delay: 0,
  next: ({ view, c }, env) => {
    const entry = c.crashBackoff;
    const finishedMs = c.exit!.finishedAtMs;
    const o = backoffOptions(env);
    const expired = entry === undefined || finishedMs - entry.lastUpdateMs > o.resetMs;
    if (!expired && now(env) - finishedMs < entry.backoffMs) {
      env.event(view, 'Warning', 'BackOff', `Back-off restarting failed container ${c.name} in pod ${podRef(view.pod)}`);
      const message = `back-off ${goDuration(entry.backoffMs)} restarting failed container=${c.name} pod=${podRef(view.pod)}`;
      return { waitingReason: 'CrashLoopBackOff', waitingMessage: message, restartNotBeforeMs: finishedMs + entry.backoffMs };
    }
    return { phase: 'pending', crashBackoff: advanceBackoff(entry, finishedMs, now(env), o) };
  },
};

const CONTAINER_RESTART: ContainerStage = {
  name: 'container-restart',
  selector: ({ view, c }) => !view.terminating && !view.terminal && c.phase === 'exited' && c.restartNotBeforeMs !== undefined,
  delay: ({ c }, env) => Math.max(0, c.restartNotBeforeMs! - now(env)),
  next: ({ c }, env) => ({ phase: 'pending', restartNotBeforeMs: undefined, crashBackoff: advanceBackoff(c.crashBackoff, c.exit!.finishedAtMs, now(env), backoffOptions(env)) }),
};

/** Container stages, in the order their selectors are tried. */
export const CONTAINER_STAGES: readonly ContainerStage[] = Object.freeze([
  CONTAINER_DIED, PRE_STOP, SIGTERM, SIGKILL,
  IMAGE_PULL_BACKOFF, IMAGE_PULL_WAIT, IMAGE_PULL, CONTAINER_CREATE, CONTAINER_START,
  CRASH_LOOP_BACKOFF, CONTAINER_RESTART,
]);

/** All containers exited and none will be restarted (restartPolicy Never / OnFailure). */
function finishedByItself(view: PodView): boolean {
  return view.containers.every((c) => c.phase === 'exited' && !shouldRestart(view.pod, c.exit?.exitCode ?? 1));
}

const POD_KILL: PodStage = {
  name: 'pod-kill',
  selector: (v) => v.terminating && !v.killing,
  delay: 0,
  next: (v, env) => {
    env.runtime.notify('onPodTerminating', v.pod, now(env));
    const graceMs = Math.max(0, (v.pod.metadata.deletionGracePeriodSeconds ?? 30) * 1000);
    for (const c of v.containers) {
      if (c.phase !== 'running' || c.stopping?.reason === 'delete') continue;
      env.event(v, 'Normal', 'Killing', `Stopping container ${c.name}`);
      if (!c.termSent) c.stopping = { reason: 'delete', graceMs, sinceMs: now(env) };
    }
    return { killing: true };
  },
};

const POD_CLEANUP: PodStage = {
  name: 'pod-cleanup',
  selector: (v, env) => !v.cleaned && (v.terminating ? v.killing : v.terminal || finishedByItself(v))
    && v.containers.every((c) => c.phase !== 'running') && !env.runtime.holdsTermination(v.pod, now(env)),
  delay: 'podCleanup',
  next: (v, env) => {
    env.machine.removeSandbox(v.uid);
    // A finished pod restarts nothing: no container shows CrashLoopBackOff any more.
    for (const c of v.containers) {
      if (c.phase !== 'exited') continue;
      c.waitingReason = undefined;
      c.waitingMessage = undefined;
    }
    return { cleaned: true, terminal: true, sandboxReady: false };
  },
};

const SANDBOX_CREATE: PodStage = {
  name: 'sandbox-create',
  selector: (v, env) => !v.terminating && !v.terminal && !v.sandboxReady && env.machine.up,
  delay: 'sandbox',
  next: (v, env) => {
    const sandbox = env.machine.runSandbox(v.pod);
    return { sandboxIp: sandbox.ip, sandboxReady: true };
  },
};

/** Pod stages, in the order their selectors are tried. */
export const POD_STAGES: readonly PodStage[] = Object.freeze([POD_KILL, POD_CLEANUP, SANDBOX_CREATE]);
