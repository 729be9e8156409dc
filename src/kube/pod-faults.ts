// Pod-level faults a scenario (or a test) injects into a cluster with nodes. Each is deterministic
// (scheduled in virtual time, targets chosen by selector in a defined order), acts only through the
// PodRuntime, the components or the network — the kubelet reacts as it would upstream — and records
// `pod-fault` trace lines when it starts and ends. Windows are [atMs, atMs + durationMs).
//
// - crashContainer: matching containers exit now (exit code 1, or 137 OOMKilled); the kubelet
//   notices at its next PLEG relist, the pod goes NotReady, the container restarts per restartPolicy
//   (restartCount + 1, CrashLoopBackOff on repeats), keeping its pod and IP;
// - crashLoop: for a window, matching containers crash `crashAfterMs` after every start (running
//   ones at once), so the back-off grows 10 s, 20 s, 40 s...; after it they stay up;
// - flapReadiness: for a window, readiness probes of matching containers fail, or alternate between
//   failing and passing every `periodMs`;
// - stuckTerminating: for a window, the kubelet does not finish deleted matching pods (containers are
//   stopped, but the sandbox stays and the pod is not removed: stuck in Terminating);
// - loseNode: the node's kubelet stops (no restart) and its machine powers off (every container
//   gone); with `returnAfterMs` the machine and kubelet come back, empty of containers;
// - failPodCreation: for a window, `create pods` requests are refused with 403 Forbidden, as a
//   ResourceQuota or an admission webhook would refuse them;
// - failImagePull: for a window, pulls of matching images fail (ErrImagePull, ImagePullBackOff).
//
// The windowed faults are built from pieces the scenario fault library (src/faults) also uses when
// a fault's start and end are decided elsewhere: crashLoopBehaviour, readinessFlapBehaviour,
// powerOffNode / powerOnNode and refusePodCreation.

import { forbidden } from '../apiserver/api-error.js';
import type { KubeObject, Status } from '../apiserver/types.js';
import type { SimCluster } from '../client/sim-cluster.js';
import type { PodBehaviour, PodRuntime, ProbeOutcome } from './pod-runtime.js';

export interface FaultEnv {
  cluster: SimCluster;
  runtime: PodRuntime;
}

/** Which pods a fault hits: every given field must match. */
export interface PodTarget {
  namespace?: string;
  name?: string;
  namePrefix?: string;
  /** One pod, by metadata.uid (a fault that picked its victims). */
  uid?: string;
  labels?: Record<string, string>;
  /** Only this container (default: all of the pod's containers). */
  container?: string;
}

export interface FaultWindow {
  /** Start (virtual ms); default now. */
  atMs?: number;
  durationMs: number;
}

export interface FaultHandle {
  /** Ends the fault now (no-op once ended). */
  end(): void;
}

export function matchesPod(pod: KubeObject, target: PodTarget): boolean {
  const m = pod.metadata;
  if (target.namespace !== undefined && m.namespace !== target.namespace) return false;
  if (target.name !== undefined && m.name !== target.name) return false;
  if (target.namePrefix !== undefined && !(m.name ?? '').startsWith(target.namePrefix)) return false;
  if (target.uid !== undefined && m.uid !== target.uid) return false;
  return Object.entries(target.labels ?? {}).every(([k, v]) => m.labels?.[k] === v);
}

const describe = (t: PodTarget): string => JSON.stringify(t);

/** Runs `start` at atMs (or now) and `stop` durationMs later; both recorded. */
function windowed(env: FaultEnv, fault: string, target: PodTarget, w: FaultWindow, start: () => () => void): FaultHandle {
  const { sim } = env.cluster;
  let stop: (() => void) | undefined;
  let ended = false;
  const end = (): void => {
    if (ended) return;
    ended = true;
    sim.cancel(startTimer);
    sim.cancel(endTimer);
    if (stop === undefined) return;
    sim.record('pod-fault', { fault, event: 'end', target: describe(target) });
    stop();
  };
  const atMs = Math.max(sim.nowMs, w.atMs ?? sim.nowMs);
  const startTimer = sim.at(atMs, () => {
    sim.record('pod-fault', { fault, event: 'start', target: describe(target), durationMs: w.durationMs });
    stop = start();
  }, `fault ${fault}`);
  const endTimer = sim.at(atMs + w.durationMs, end, `fault ${fault} end`);
  return { end };
}

function withBehaviour(env: FaultEnv, behaviour: PodBehaviour): () => () => void {
  return () => env.runtime.register(behaviour, { first: true });
}

const containerMatches = (target: PodTarget, name: string): boolean => target.container === undefined || target.container === name;

/** Every running container of a matching pod, in node then pod-key then container order. */
function runningTargets(env: FaultEnv, target: PodTarget): { podUid: string; podKey: string; name: string }[] {
  const out: { podUid: string; podKey: string; name: string }[] = [];
  for (const machine of [...env.runtime.machines()].sort((a, b) => (a.nodeName < b.nodeName ? -1 : 1))) {
    for (const sandbox of machine.sandboxes().sort((a, b) => (a.podKey < b.podKey ? -1 : 1))) {
      if (!matchesPod(sandbox.pod, target)) continue;
      for (const c of sandbox.containers.values()) {
        if (c.state === 'running' && containerMatches(target, c.name)) out.push({ podUid: sandbox.podUid, podKey: sandbox.podKey, name: c.name });
      }
    }
  }
  return out;
}

function crashNow(env: FaultEnv, fault: string, target: PodTarget, exit: { exitCode: number; reason?: string }): number {
  const victims = runningTargets(env, target);
  for (const v of victims) {
    env.cluster.sim.record('pod-fault', { fault, event: 'exit', pod: v.podKey, c: v.name, code: exit.exitCode });
    env.runtime.exitContainer(v.podUid, v.name, exit);
  }
  return victims.length;
}

/** Matching running containers exit at atMs (default now): exit code 1, or 137 OOMKilled with `oom`. */
export function crashContainer(env: FaultEnv, target: PodTarget, options: { atMs?: number; exitCode?: number; oom?: boolean } = {}): void {
  const exit = options.oom ? { exitCode: 137, reason: 'OOMKilled' } : { exitCode: options.exitCode ?? 1 };
  const { sim } = env.cluster;
  sim.at(Math.max(sim.nowMs, options.atMs ?? sim.nowMs), () => void crashNow(env, 'crash', target, exit), 'fault crash');
}

/** A behaviour under which matching containers crash crashAfterMs after each start. */
export function crashLoopBehaviour(target: PodTarget, options: { crashAfterMs: number; exitCode: number }): PodBehaviour {
  return {
    name: 'fault/crash-loop',
    matches: (pod) => matchesPod(pod, target),
    exitAfterMs: (_pod, c) => (containerMatches(target, c.name) ? options.crashAfterMs : undefined),
    exitCode: (_pod, c, cause) => (cause === 'crash' && containerMatches(target, c.name) ? options.exitCode : undefined),
  };
}

/** For the window, matching containers crash crashAfterMs (default 1 s) after each start. */
export function crashLoop(env: FaultEnv, target: PodTarget, window: FaultWindow & { crashAfterMs?: number; exitCode?: number }): FaultHandle {
  const exitCode = window.exitCode ?? 1;
  const behaviour = crashLoopBehaviour(target, { crashAfterMs: window.crashAfterMs ?? 1_000, exitCode });
  return windowed(env, 'crash-loop', target, window, () => {
    const remove = withBehaviour(env, behaviour)();
    crashNow(env, 'crash-loop', target, { exitCode });
    return remove;
  });
}

/**
 * A behaviour under which readiness probes (or the `probe` kind given) of matching containers fail
 * (`fail`), or alternate between failing and passing every periodMs counted from startMs
 * (`alternate`, failing first). A failing liveness probe makes the kubelet kill and restart the
 * container (its preStop hook runs first), as an app that hangs for a while.
 */
export function readinessFlapBehaviour(target: PodTarget, options: { mode: 'fail' | 'alternate'; periodMs: number; startMs: () => number; probe?: 'readiness' | 'liveness' }): PodBehaviour {
  const probed = options.probe ?? 'readiness';
  return {
    name: `fault/${probed}`,
    matches: (pod) => matchesPod(pod, target),
    probe: (_pod, c, kind, nowMs): ProbeOutcome | undefined => {
      if (kind !== probed || !containerMatches(target, c.name)) return undefined;
      if (options.mode === 'fail') return 'failure';
      return Math.floor((nowMs - options.startMs()) / options.periodMs) % 2 === 0 ? 'failure' : undefined;
    },
  };
}

/** For the window, readiness probes fail (`fail`) or alternate failing/passing every periodMs (`alternate`). */
export function flapReadiness(env: FaultEnv, target: PodTarget, window: FaultWindow & { mode?: 'fail' | 'alternate'; periodMs?: number }): FaultHandle {
  let startMs = 0;
  const behaviour = readinessFlapBehaviour(target, { mode: window.mode ?? 'alternate', periodMs: window.periodMs ?? 10_000, startMs: () => startMs });
  return windowed(env, 'readiness-flap', target, window, () => {
    startMs = env.cluster.sim.nowMs;
    return withBehaviour(env, behaviour)();
  });
}

/** For the window, deleted matching pods are not finished by their kubelet (stuck Terminating). */
export function stuckTerminating(env: FaultEnv, target: PodTarget, window: FaultWindow): FaultHandle {
  const behaviour: PodBehaviour = { name: 'fault/stuck-terminating', matches: (pod) => matchesPod(pod, target), holdTermination: () => true };
  return windowed(env, 'stuck-terminating', target, window, withBehaviour(env, behaviour));
}

/** For the window, pulls of matching containers' images fail (all images, or `image`). */
export function failImagePull(env: FaultEnv, target: PodTarget, window: FaultWindow & { image?: string }): FaultHandle {
  const behaviour: PodBehaviour = {
    name: 'fault/image-pull',
    matches: (pod) => matchesPod(pod, target),
    imagePull: (_pod, c) => (containerMatches(target, c.name) && (window.image === undefined || c.image === window.image) ? 'failure' : undefined),
  };
  return windowed(env, 'image-pull', target, window, withBehaviour(env, behaviour));
}

/** The node's kubelet stops and its machine powers off (every container gone), now. */
export function powerOffNode(env: FaultEnv, node: string): void {
  env.cluster.sim.record('pod-fault', { fault: 'node-loss', event: 'start', node });
  env.cluster.component(`kubelet/${node}`).stop();
  env.runtime.machine(node)?.powerOff();
}

/** The node's machine powers on, empty of containers, and its kubelet starts again, now. */
export function powerOnNode(env: FaultEnv, node: string): void {
  env.cluster.sim.record('pod-fault', { fault: 'node-loss', event: 'end', node });
  env.runtime.machine(node)?.powerOn();
  env.cluster.component(`kubelet/${node}`).start();
}

/** The node's kubelet stops and its machine powers off at atMs; with returnAfterMs both come back. */
export function loseNode(env: FaultEnv, options: { node: string; atMs?: number; returnAfterMs?: number }): void {
  const { sim } = env.cluster;
  const atMs = Math.max(sim.nowMs, options.atMs ?? sim.nowMs);
  sim.at(atMs, () => powerOffNode(env, options.node), 'fault node-loss');
  if (options.returnAfterMs === undefined) return;
  sim.at(atMs + options.returnAfterMs, () => powerOnNode(env, options.node), 'fault node-return');
}

/** Refuses `create pods` requests (in `namespace`, or any) with `status` until the returned function is called. */
export function refusePodCreation(cluster: SimCluster, options: { name: string; namespace?: string; status: Status }): () => void {
  return cluster.network.addRequestFault({
    name: options.name,
    match: (req) => req.verb === 'create' && req.resource.group === '' && req.resource.resource === 'pods' && !req.subresource
      && (options.namespace === undefined || req.namespace === options.namespace),
    fault: { kind: 'error', status: options.status },
  });
}

/** For the window, `create pods` (in `namespace`, or any) is refused with 403 Forbidden. */
export function failPodCreation(env: FaultEnv, window: FaultWindow & { namespace?: string; reason?: string }): FaultHandle {
  const reason = window.reason ?? 'exceeded quota: sleeveless-fault, requested: pods=1, used: pods=0, limited: pods=0';
  const status = forbidden({ group: '', resource: 'pods' }, '', reason).status;
  const target: PodTarget = window.namespace === undefined ? {} : { namespace: window.namespace };
  const name = `fail-pod-creation/${window.namespace ?? '*'}@${Math.max(env.cluster.sim.nowMs, window.atMs ?? 0)}+${window.durationMs}`;
  return windowed(env, 'fail-pod-creation', target, window, () => refusePodCreation(env.cluster, { name, namespace: window.namespace, status }));
}
