// The pod status the kubelet writes, computed from its view (k8s.io/kubernetes pkg/kubelet
// kubelet_pods.go generateAPIPodStatus, getPhase, convertToAPIContainerStatuses; status/generate.go
// for the conditions; status_manager.go mergePodStatus and updateLastTransitionTime):
// - conditions in upstream's order PodReadyToStartContainers, Initialized, Ready, ContainersReady,
//   PodScheduled, after any condition the kubelet does not own (DisruptionTarget, readiness gates),
//   which are kept from the stored status; lastTransitionTime changes only when status does;
// - containerStatuses sorted by name, with state waiting/running/terminated and lastState;
// - phase: Pending while a container waits for its first start, Running while one runs (or restarts
//   under restartPolicy Always), and once the kubelet has finished with the pod Succeeded when every
//   container exited 0, else Failed (the terminal phase for deleted pods, Kubernetes 1.27+);
// - podIP/podIPs, hostIP/hostIPs, startTime; qosClass and anything else the kubelet does not own are
//   kept from the stored status.

import type { KubeObject } from '../apiserver/types.js';
import { formatSimTime } from '../sim/time-format.js';
import type { PodCondition } from './pod-status.js';
import { restartCountOf, type ContainerView, type PodView, type TerminatedInfo } from './kubelet-pod-state.js';
import { imageIdOf, normalizeImage } from './node-machine.js';

const KUBELET_CONDITIONS = new Set(['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled']);

const ts = (ms: number): string => formatSimTime(ms);

function terminatedState(t: TerminatedInfo): Record<string, unknown> {
  return { terminated: { exitCode: t.exitCode, reason: t.reason, startedAt: ts(t.startedAtMs), finishedAt: ts(t.finishedAtMs), containerID: t.containerId } };
}

/** getPhase for a pod without init containers. */
export function podPhase(view: PodView): string {
  let running = 0, waiting = 0, stopped = 0, succeeded = 0;
  for (const c of view.containers) {
    if (c.phase === 'running') running++;
    else if (c.phase === 'exited' && c.waitingReason === undefined) {
      stopped++;
      if (c.exit?.exitCode === 0) succeeded++;
    } else if (c.exit !== undefined) stopped++;
    else waiting++;
  }
  // A pod the kubelet has finished with never stays Pending (a container that never started).
  if (waiting > 0) return view.terminal ? 'Failed' : 'Pending';
  if (running > 0) return 'Running';
  if (stopped === 0) return 'Pending';
  if (view.terminal) return succeeded === stopped ? 'Succeeded' : 'Failed';
  const policy = (view.pod.spec?.restartPolicy as string | undefined) ?? 'Always';
  if (policy === 'Always') return 'Running';
  if (policy === 'OnFailure') return succeeded === stopped ? 'Succeeded' : 'Running';
  return succeeded === stopped ? 'Succeeded' : 'Failed';
}

function containerState(c: ContainerView): { state: Record<string, unknown>; lastState: Record<string, unknown> } {
  const last = (t: TerminatedInfo | undefined): Record<string, unknown> => (t ? terminatedState(t) : {});
  if (c.phase === 'running') return { state: { running: { startedAt: ts(c.startedAtMs!) } }, lastState: last(c.exit) };
  if (c.phase === 'exited' && c.waitingReason === undefined) return { state: terminatedState(c.exit!), lastState: last(c.prevExit) };
  const waiting: Record<string, unknown> = { reason: c.waitingReason ?? 'ContainerCreating' };
  if (c.waitingMessage !== undefined) waiting.message = c.waitingMessage;
  return { state: { waiting }, lastState: last(c.exit ?? c.prevExit) };
}

export function containerStatus(c: ContainerView): Record<string, unknown> {
  const { state, lastState } = containerState(c);
  const running = c.phase === 'running';
  const status: Record<string, unknown> = {
    name: c.name,
    state,
    lastState,
    ready: running && c.ready,
    restartCount: restartCountOf(c),
    image: normalizeImage(String(c.spec.image)),
    // The digest the pull recorded (imageIdOf of this same spec's image); an adopted container
    // (kubelet restart) has none recorded, so it is computed.
    imageID: c.containerId ? c.imageId ?? imageIdOf(String(c.spec.image)) : '',
    started: running && c.started,
  };
  if (c.containerId) status.containerID = c.containerId;
  return status;
}

/** The old conditions and the current time, formatted at most once per generated status. */
class ConditionStamps {
  readonly old: readonly PodCondition[];
  readonly #nowMs: number;
  #now: string | undefined;

  constructor(old: readonly PodCondition[], nowMs: number) {
    this.old = old;
    this.#nowMs = nowMs;
  }

  /** The condition's lastTransitionTime: the old one while its status is the same, else now. */
  transitionTime(type: string, status: 'True' | 'False'): string {
    for (const c of this.old) {
      if (c.type !== type) continue;
      if (c.status === status && c.lastTransitionTime) return c.lastTransitionTime;
      break;
    }
    return (this.#now ??= ts(this.#nowMs));
  }
}

function condition(stamps: ConditionStamps, type: string, status: 'True' | 'False'): PodCondition {
  return { type, status, lastProbeTime: null, lastTransitionTime: stamps.transitionTime(type, status) };
}

/** A condition with a reason (and a message), members in the order the status has always had them. */
function conditionWithReason(stamps: ConditionStamps, type: string, status: 'True' | 'False', reason: string, message: string | undefined): PodCondition {
  const out: PodCondition = message === undefined ? { type, status, reason } : { type, status, reason, message };
  out.lastProbeTime = null;
  out.lastTransitionTime = stamps.transitionTime(type, status);
  return out;
}

function readinessConditions(view: PodView, stamps: ConditionStamps, phase: string): PodCondition[] {
  let unready: string[] | undefined;
  for (const c of view.containers) if (!(c.phase === 'running' && c.ready)) (unready ??= []).push(c.name);
  if (unready === undefined) return [condition(stamps, 'Ready', 'True'), condition(stamps, 'ContainersReady', 'True')];
  const completed = phase === 'Succeeded' || phase === 'Failed';
  const reason = completed ? 'PodCompleted' : 'ContainersNotReady';
  const message = completed ? undefined : `containers with unready status: [${unready.join(' ')}]`;
  return [conditionWithReason(stamps, 'Ready', 'False', reason, message), conditionWithReason(stamps, 'ContainersReady', 'False', reason, message)];
}

function podConditions(view: PodView, old: readonly PodCondition[], nowMs: number, phase: string): PodCondition[] {
  const stamps = new ConditionStamps(old, nowMs);
  const out: PodCondition[] = [];
  for (const c of old) if (!KUBELET_CONDITIONS.has(c.type)) out.push(c);
  out.push(condition(stamps, 'PodReadyToStartContainers', view.sandboxReady ? 'True' : 'False'), condition(stamps, 'Initialized', 'True'));
  const [ready, containersReady] = readinessConditions(view, stamps, phase);
  out.push(ready, containersReady, condition(stamps, 'PodScheduled', 'True'));
  return out;
}

/** The status to write for `view`, given the stored pod; equal to the stored one when nothing changed. */
export function generatePodStatus(view: PodView, stored: KubeObject, hostIp: string, nowMs: number): Record<string, unknown> {
  const old = (stored.status ?? {}) as Record<string, any>;
  const phase = podPhase(view);
  const status: Record<string, unknown> = { ...old };
  status.phase = phase;
  status.conditions = podConditions(view, (old.conditions ?? []) as PodCondition[], nowMs, phase);
  status.hostIP = hostIp;
  status.hostIPs = [{ ip: hostIp }];
  const podIp = view.sandboxIp ?? (old.podIP as string | undefined);
  if (podIp !== undefined) {
    status.podIP = podIp;
    status.podIPs = [{ ip: podIp }];
  }
  status.startTime = ts(view.startTimeMs);
  status.containerStatuses = [...view.containers].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)).map(containerStatus);
  return status;
}
