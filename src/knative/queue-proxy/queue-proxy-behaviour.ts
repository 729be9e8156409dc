// The processes inside a revision pod (any pod with the serving.knative.dev/revision label), as a
// PodBehaviour the kubelet consults: queue-proxy (QueueProxy) and the user container (UserApp), one
// instance per container start, so a restart of either behaves as a process restart upstream.
// - queue-proxy starts listening when its container starts (+ queueProxyStartMs); its readiness
//   probe is answered from the drainer and the readiness prober (QueueProxy.kubeletReadiness); on
//   SIGTERM it drains and exits by itself (shutdownMs Infinity, then runtime.exitContainer); it
//   behaves as the release its container's image names (release-image.ts), else as the installed
//   one, so an upgrade that changes the queue-proxy image changes new pods only;
// - the user container listens appStartMs after it starts (the runtime's draw, or the pod's
//   sleeveless.dev/app-start-ms annotation); an exec readiness probe on it (which the kubelet runs
//   in the container, and queue-proxy replaces by a TCP check) passes when the app is healthy
//   (UserApp.healthy: listening, and past READY_DELAY for Knative's readiness test image); its preStop hook, when it is the httpGet to
//   /wait-for-drain on the admin port that deploy.go writes, is a real HTTP call to queue-proxy and
//   the hook finishes (runtime.finishPreStop) when that call returns or fails; SIGTERM ends it after
//   the runtime's shutdown time.

import type { KubeObject } from '../../apiserver/types.js';
import type { ContainerRef, PodBehaviour, ProbeOutcome } from '../../kube/pod-runtime.js';
import { LABELS } from '../apis/serving-labels.js';
import { DurationSyntaxError, parseDurationMs } from '../config/duration.js';
import { releaseOfImage } from '../release-image.js';
import { PORTS, QUEUE_CERT_DIRECTORY, type ServingSystem } from '../serving-system.js';
import { KnativeProfile } from '../versions.js';
import { QueueProxy, WAIT_FOR_DRAIN_PATH } from './queue-proxy.js';
import { QUEUE_CONTAINER_NAME, queueProxySettings, userContainerOf } from './queue-proxy-settings.js';
import { TimerGroup } from '../runtime/timer-group.js';
import { UserApp } from './user-app.js';

export interface QueueProxyBehaviourOptions {
  /** From queue-proxy's container start until it listens. Default 0. */
  queueProxyStartMs?: number;
  /** Answer the kubelet's readiness probe ahead of time (see ReadinessProber). Default false. */
  readinessLookahead?: boolean;
}

export interface QueueProxyBehaviour extends PodBehaviour {
  /** The running queue-proxy of a pod, if any. */
  queueProxy(podUid: string): QueueProxy | undefined;
  /** The running user container of a pod, if any. */
  userApp(podUid: string): UserApp | undefined;
}

interface RevisionPod {
  qp?: QueueProxy;
  app?: UserApp;
}

/** Kubelet HTTP probe timeout default (timeoutSeconds 1). */
const DEFAULT_PROBE_TIMEOUT_S = 1;

/** The processes of every revision pod on the runtime, by pod uid. */
class RevisionPodProcesses {
  readonly #pods = new Map<string, RevisionPod>();
  readonly #system: ServingSystem;
  readonly #options: QueueProxyBehaviourOptions;

  constructor(system: ServingSystem, options: QueueProxyBehaviourOptions) {
    this.#system = system;
    this.#options = options;
  }

  get(uid: string): RevisionPod | undefined {
    return this.#pods.get(uid);
  }

  startQueueProxy(pod: KubeObject, _c: ContainerRef): void {
    const system = this.#system;
    const uid = pod.metadata.uid!;
    const ip = system.runtime.sandbox(uid)?.sandbox.ip;
    if (ip === undefined) return;
    const state = this.#stateOf(uid);
    state.qp?.stop();
    const profile = queueProxyProfile(system, pod);
    state.qp = new QueueProxy({
      profile,
      http: system.http, timers: new TimerGroup(system.cluster.sim), podIp: ip, settings: queueProxySettings(pod),
      userApp: () => state.app,
      exit: () => void system.runtime.exitContainer(uid, QUEUE_CONTAINER_NAME, { exitCode: 0 }),
      drainOnWaitForDrain: profile.has('pr-12033'),
      resetUnsignalledDrain: profile.has('pr-13229'),
      adminServesTls: mountsServingCert(pod) && profile.has('pr-12815') && !profile.has('pr-16163'),
      readinessLookahead: this.#options.readinessLookahead ?? false,
    });
  }

  startUserApp(pod: KubeObject, c: ContainerRef, nowMs: number): void {
    const state = this.#stateOf(pod.metadata.uid!);
    state.app?.stop();
    const machine = this.#system.runtime.sandbox(pod.metadata.uid!)?.sandbox.containers.get(c.name);
    const readyDelayMs = readyDelayOf(c);
    state.app = new UserApp({
      timers: new TimerGroup(this.#system.cluster.sim), readyAtMs: machine?.appReadyAtMs ?? nowMs,
      ...(readyDelayMs === undefined ? {} : { healthyAtMs: nowMs + readyDelayMs }),
    });
  }

  stopped(uid: string, which: 'qp' | 'app'): void {
    const state = this.#pods.get(uid);
    state?.[which]?.stop();
    if (state) state[which] = undefined;
  }

  deleted(uid: string): void {
    this.stopped(uid, 'qp');
    this.stopped(uid, 'app');
    this.#pods.delete(uid);
  }

  #stateOf(uid: string): RevisionPod {
    let state = this.#pods.get(uid);
    if (state === undefined) this.#pods.set(uid, (state = {}));
    return state;
  }
}

export function queueProxyBehaviour(system: ServingSystem, options: QueueProxyBehaviourOptions = {}): QueueProxyBehaviour {
  const pods = new RevisionPodProcesses(system, options);
  const isQueue = (c: ContainerRef): boolean => c.name === QUEUE_CONTAINER_NAME;
  const isUser = (pod: KubeObject, c: ContainerRef): boolean => c.name === userContainerOf(pod);
  return {
    name: 'knative-queue-proxy',
    matches: (pod) => (pod.metadata.labels?.[LABELS.revision] ?? '') !== '',
    appStartMs: (_pod, c) => (isQueue(c) ? options.queueProxyStartMs ?? 0 : undefined),
    probe: (pod, c, kind, nowMs): ProbeOutcome | undefined => {
      if (kind === 'readiness' && isUser(pod, c) && c.spec.readinessProbe?.exec !== undefined) {
        // The kubelet runs an exec probe in the user container itself (queue-proxy cannot).
        return pods.get(pod.metadata.uid!)?.app?.healthy(nowMs) ? 'success' : 'failure';
      }
      if (!isQueue(c) || kind !== 'readiness') return undefined;
      const timeoutS = Number(c.spec.readinessProbe?.timeoutSeconds ?? DEFAULT_PROBE_TIMEOUT_S) || DEFAULT_PROBE_TIMEOUT_S;
      return pods.get(pod.metadata.uid!)?.qp?.kubeletReadiness(timeoutS * 1000) ?? 'failure';
    },
    preStopMs: (pod, c) => (isUser(pod, c) && isWaitForDrainHook(c) ? runWaitForDrainHook(system, pod, c) : undefined),
    shutdownMs: (pod, c) => (isQueue(c) && pods.get(pod.metadata.uid!)?.qp !== undefined ? Infinity : undefined),
    onContainerStarted: (pod, c, nowMs) => {
      if (isQueue(c)) afterStart(system, pod, c, nowMs, options.queueProxyStartMs ?? 0, () => pods.startQueueProxy(pod, c));
      else if (isUser(pod, c)) pods.startUserApp(pod, c, nowMs);
    },
    onContainerStopping: (pod, c) => {
      if (isQueue(c)) pods.get(pod.metadata.uid!)?.qp?.terminate();
    },
    onContainerStopped: (pod, c) => {
      if (isQueue(c)) pods.stopped(pod.metadata.uid!, 'qp');
      else if (isUser(pod, c)) pods.stopped(pod.metadata.uid!, 'app');
    },
    onPodDeleted: (pod) => pods.deleted(pod.metadata.uid!),
    queueProxy: (podUid) => pods.get(podUid)?.qp,
    userApp: (podUid) => pods.get(podUid)?.app,
  };
}

/** READY_DELAY of the readiness test image (user-app.ts), a Go duration; undefined when absent or bad. */
function readyDelayOf(c: ContainerRef): number | undefined {
  const env = (c.spec.env ?? []) as { name?: string; value?: unknown }[];
  const value = env.find((e) => e.name === 'READY_DELAY')?.value;
  if (typeof value !== 'string' || value === '') return undefined;
  try {
    return Math.max(0, parseDurationMs(value));
  } catch (e) {
    if (e instanceof DurationSyntaxError) return undefined;
    throw e;
  }
}

/** sharedmain tlsEnabled: the serving certificate is mounted into queue-proxy (resources/deploy.go). */
function mountsServingCert(pod: KubeObject): boolean {
  const containers = (pod.spec?.containers ?? []) as { name?: string; volumeMounts?: { mountPath?: string }[] }[];
  const queue = containers.find((c) => c.name === QUEUE_CONTAINER_NAME);
  return (queue?.volumeMounts ?? []).some((m) => m.mountPath === QUEUE_CERT_DIRECTORY);
}

/** The release a pod's queue-proxy runs: its image's, else the installed one. */
function queueProxyProfile(system: ServingSystem, pod: KubeObject): KnativeProfile {
  const containers = (pod.spec?.containers ?? []) as { name?: string; image?: unknown }[];
  const image = containers.find((c) => c.name === QUEUE_CONTAINER_NAME)?.image;
  const release = typeof image === 'string' ? releaseOfImage(image) : undefined;
  return release === undefined ? system.profile : new KnativeProfile(release);
}

/** Runs `start` `delayMs` after the container started, if that same container still runs then. */
function afterStart(system: ServingSystem, pod: KubeObject, c: ContainerRef, startedAtMs: number, delayMs: number, start: () => void): void {
  if (delayMs <= 0) return start();
  system.cluster.sim.schedule(delayMs, () => {
    const mc = system.runtime.sandbox(pod.metadata.uid!)?.sandbox.containers.get(c.name);
    if (mc?.state === 'running' && mc.startedAtMs === startedAtMs) start();
  }, 'queue-proxy-listen');
}

/** deploy.go's user-container preStop: httpGet /wait-for-drain on the queue-proxy admin port. */
function isWaitForDrainHook(c: ContainerRef): boolean {
  const get = c.spec.lifecycle?.preStop?.httpGet;
  return get !== undefined && get.path === WAIT_FOR_DRAIN_PATH && Number(get.port) === PORTS.queueAdmin;
}

/** The kubelet's HTTP preStop hook: the hook ends when the call returns, whatever it returns. */
function runWaitForDrainHook(system: ServingSystem, pod: KubeObject, c: ContainerRef): number {
  const uid = pod.metadata.uid!;
  const ip = system.runtime.sandbox(uid)?.sandbox.ip;
  if (ip === undefined) return 0;
  system.http.send(ip, PORTS.queueAdmin, { method: 'GET', path: WAIT_FOR_DRAIN_PATH, headers: { 'User-Agent': 'kube-lifecycle/1.30' } }, { fromIp: ip, timeoutMs: 0 }, () => {
    system.runtime.finishPreStop(uid, c.name);
  });
  return Infinity;
}
