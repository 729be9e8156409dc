// What one kubelet incarnation remembers about each pod bound to its node: the pod worker's state
// (pkg/kubelet/pod_workers.go), the probe results (prober/results), the back-off entries
// (flowcontrol.Backoff in kubelet.go) and the reason cache (reason_cache.go). All of it is lost when
// the kubelet restarts; the machine (node-machine.ts) is what survives, and a restarted kubelet
// rebuilds these views from it (adoptPodView).

import type { KubeObject } from '../apiserver/types.js';
import { parseSimTime } from '../sim/time-format.js';
import type { MachineContainer, NodeMachine } from './node-machine.js';

export type ContainerPhase = 'pending' | 'pulled' | 'created' | 'running' | 'exited';

export interface TerminatedInfo {
  exitCode: number;
  reason: string;
  startedAtMs: number;
  finishedAtMs: number;
  containerId: string;
}

/** A flowcontrol.Backoff entry: the current back-off and when it was last advanced. */
export interface BackoffEntry {
  backoffMs: number;
  lastUpdateMs: number;
}

export interface StopRequest {
  reason: 'delete' | 'liveness' | 'startup';
  graceMs: number;
  sinceMs: number;
}

export interface ContainerView {
  readonly name: string;
  readonly spec: Readonly<Record<string, any>>;
  phase: ContainerPhase;
  /** state.waiting.reason while not running: ContainerCreating (default), ErrImagePull, ImagePullBackOff, CrashLoopBackOff. */
  waitingReason?: string;
  waitingMessage?: string;
  /** Containers created so far; the current one's restartCount is attempts - 1. */
  attempts: number;
  containerId?: string;
  imageId?: string;
  startedAtMs?: number;
  /** The latest exit and the one before it (status lastState). */
  exit?: TerminatedInfo;
  prevExit?: TerminatedInfo;
  /** Probe results. */
  ready: boolean;
  started: boolean;
  /** Set while the kubelet kills this container (pod deletion, or a failed liveness/startup probe). */
  stopping?: StopRequest;
  preStopDone?: boolean;
  termSent?: boolean;
  killAtMs?: number;
  /** CrashLoopBackOff: restart not before this time; and the back-off entry. */
  restartNotBeforeMs?: number;
  crashBackoff?: BackoffEntry;
  /** ImagePullBackOff: pull again not before this time; and the image back-off entry. */
  pullNotBeforeMs?: number;
  imageBackoff?: BackoffEntry;
}

export interface PodView {
  readonly uid: string;
  /** `namespace/name`. */
  readonly key: string;
  /** The newest pod object seen. */
  pod: KubeObject;
  startTimeMs: number;
  sandboxIp?: string;
  sandboxReady: boolean;
  readonly containers: ContainerView[];
  /** deletionTimestamp seen. */
  terminating: boolean;
  /** The kill of the pod's containers has begun. */
  killing: boolean;
  /** Sandbox removed (IP released). */
  cleaned: boolean;
  /** Status is final (podIsTerminal): Succeeded or Failed. */
  terminal: boolean;
  /** The final DELETE (gracePeriodSeconds 0) was sent. */
  deleteSent: boolean;
}

export const restartCountOf = (c: ContainerView): number => Math.max(0, c.attempts - 1);

export function hasProbe(c: ContainerView, kind: 'readiness' | 'liveness' | 'startup'): boolean {
  return c.spec[`${kind}Probe`] !== undefined && c.spec[`${kind}Probe`] !== null;
}

export function hasPreStop(c: ContainerView): boolean {
  return c.spec.lifecycle?.preStop !== undefined;
}

/** Whether restartPolicy asks for a restart after this exit (kubecontainer.ShouldContainerBeRestarted). */
export function shouldRestart(pod: KubeObject, exitCode: number): boolean {
  const policy = (pod.spec?.restartPolicy as string | undefined) ?? 'Always';
  if (policy === 'Never') return false;
  if (policy === 'OnFailure') return exitCode !== 0;
  return true;
}

/** The grace a pod deletion gives: deletionGracePeriodSeconds, else the spec's terminationGracePeriodSeconds. */
export function deletionGraceMs(pod: KubeObject): number {
  const s = pod.metadata.deletionGracePeriodSeconds ?? (pod.spec?.terminationGracePeriodSeconds as number | undefined) ?? 30;
  return Math.max(0, s) * 1000;
}

export function newPodView(pod: KubeObject, nowMs: number): PodView {
  const specs = (pod.spec?.containers ?? []) as Record<string, any>[];
  const startTime = pod.status?.startTime as string | undefined;
  return {
    uid: pod.metadata.uid!,
    key: `${pod.metadata.namespace}/${pod.metadata.name}`,
    pod,
    startTimeMs: startTime ? parseSimTime(startTime) : nowMs,
    sandboxReady: false,
    containers: specs.map((spec) => ({ name: String(spec.name), spec, phase: 'pending', attempts: 0, ready: false, started: false })),
    terminating: pod.metadata.deletionTimestamp !== undefined,
    killing: false,
    cleaned: false,
    terminal: false,
    deleteSent: false,
  };
}

function terminatedOf(mc: MachineContainer): TerminatedInfo {
  return { exitCode: mc.exitCode ?? 0, reason: mc.reason ?? 'Error', startedAtMs: mc.startedAtMs ?? mc.createdAtMs, finishedAtMs: mc.finishedAtMs ?? mc.createdAtMs, containerId: mc.id };
}

/** The exit recorded in the API status's lastState, so lastState survives a kubelet restart. */
function apiLastExit(pod: KubeObject, name: string): TerminatedInfo | undefined {
  const cs = (pod.status?.containerStatuses as any[] | undefined)?.find((s) => s.name === name);
  const t = cs?.lastState?.terminated;
  if (!t) return undefined;
  return { exitCode: t.exitCode, reason: t.reason, startedAtMs: parseSimTime(t.startedAt), finishedAtMs: parseSimTime(t.finishedAt), containerId: t.containerID ?? '' };
}

function apiRestartCount(pod: KubeObject, name: string): number | undefined {
  const cs = (pod.status?.containerStatuses as any[] | undefined)?.find((s) => s.name === name);
  return cs?.containerID ? (cs.restartCount as number) : undefined;
}

/**
 * A view for a pod the kubelet finds on (re)start: containers the machine still runs are adopted
 * with fresh probe state — readiness starts over at Failure, so a Ready pod with a readiness probe
 * turns NotReady until its next probe, as upstream does after a kubelet restart
 * (kubernetes/kubernetes#100277, #113646; prober worker initialValue);
 * a pod whose sandbox is gone (node lost and back) starts over, its restart count continuing.
 */
export function adoptPodView(pod: KubeObject, machine: NodeMachine, nowMs: number): PodView {
  const view = newPodView(pod, nowMs);
  const phase = pod.status?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') view.terminal = true;
  const sandbox = machine.sandbox(view.uid);
  if (!sandbox) {
    view.cleaned = view.terminal;
    for (const c of view.containers) c.attempts = (apiRestartCount(pod, c.name) ?? -1) + 1;
    return view;
  }
  view.sandboxIp = sandbox.ip;
  view.sandboxReady = true;
  for (const c of view.containers) {
    const mc = sandbox.containers.get(c.name);
    c.prevExit = apiLastExit(pod, c.name);
    if (!mc) continue;
    c.attempts = mc.attempt + 1;
    c.containerId = mc.id;
    c.phase = mc.state;
    c.startedAtMs = mc.startedAtMs;
    if (mc.state === 'exited') c.exit = terminatedOf(mc);
  }
  return view;
}

export { terminatedOf };
