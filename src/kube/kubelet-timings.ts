// The kubelet's and the container runtime's timings: one place for every delay the simulated node
// takes, with the upstream setting or the observed behaviour each default stands for.
//
// Two kinds of entries:
// - stage delays (`Delay`: a base plus a uniform jitter in [0, jitterMs], drawn through the
//   chooser at the moment the stage is scheduled), which a pod may override kwok-style with
//   annotations `sleeveless.dev/<kebab-name>-ms` and `sleeveless.dev/<kebab-name>-jitter-ms`
//   (e.g. `sleeveless.dev/image-pull-ms: "8000"`, `sleeveless.dev/app-start-ms: "2500"`);
// - plain numbers (back-off, grace, node heartbeat), per cluster only.
//
// Per cluster: `new PodRuntime({ timings: { imagePull: { ms: 10_000 } } })` (or installKubeNodes'
// `timings`); per pod: the annotations above; per container and per model: a PodBehaviour hook
// (appStartMs, preStopMs, shutdownMs), which wins over both.

import type { KubeObject } from '../apiserver/types.js';

export interface Delay {
  ms: number;
  jitterMs: number;
}

export interface KubeletTimings {
  /** RunPodSandbox with CNI ADD (pause container, network namespace, IP). Observed: a few hundred ms on kind. */
  sandbox: Delay;
  /** First pull of an image on a node (not in its image cache). Observed: seconds; depends on the image. */
  imagePull: Delay;
  /** "Container image ... already present on machine": the image is cached (IfNotPresent). */
  cachedImagePull: Delay;
  /** CreateContainer in the runtime. Observed: ~100 ms. */
  containerCreate: Delay;
  /** StartContainer until the process runs (status startedAt). Observed: ~100–300 ms. */
  containerStart: Delay;
  /** From process start until the app answers probes: the default of PodBehaviour.appStartMs. */
  appStart: Delay;
  /** How long an exec/httpGet preStop hook runs when no PodBehaviour says (a `sleep` action says itself). */
  preStop: Delay;
  /** From SIGTERM until the app exits by itself: the default of PodBehaviour.shutdownMs. */
  shutdown: Delay;
  /** After the last container stopped: StopPodSandbox, CNI DEL (IP released), before the final status. */
  podCleanup: Delay;
  /**
   * The PLEG relist period (pkg/kubelet/kubelet.go genericPlegRelistPeriod = 1 s): a container that
   * exits on its own is noticed at the node's next relist. Each node's relists have their own phase.
   */
  plegRelistPeriodMs: number;
  /** CrashLoopBackOff: first back-off (kubelet.go backOffPeriod = 10 s), doubling per restart... */
  crashLoopBackOffInitialMs: number;
  /** ...up to MaxContainerBackOff (pkg/kubelet/kubelet.go, 300 s)... */
  crashLoopBackOffMaxMs: number;
  /** ...and forgotten once a container ran this long after its restart (flowcontrol.Backoff: 2 × max). */
  crashLoopBackOffResetMs: number;
  /** ImagePullBackOff: the kubelet's image back-off (also flowcontrol.NewBackOff(10 s, 300 s)). */
  imagePullBackOffInitialMs: number;
  imagePullBackOffMaxMs: number;
  /** How long ErrImagePull shows before the next pod sync reports ImagePullBackOff. Observed: about a second. */
  imagePullErrorMs: number;
  /** kuberuntime minimumGracePeriodInSeconds = 2: SIGTERM always gets at least this before SIGKILL. */
  minimumGracePeriodMs: number;
  /** nodeStatusUpdateFrequency (10 s): how often the kubelet computes its node status. */
  nodeStatusUpdateFrequencyMs: number;
  /** nodeStatusReportFrequency (5 min): the status is posted at least this often even when unchanged. */
  nodeStatusReportFrequencyMs: number;
  /** The node Lease's leaseDurationSeconds (kubelet nodeLeaseDurationSeconds = 40). */
  nodeLeaseDurationS: number;
  /** Lease renewal interval: 0.25 × the lease duration (pkg/kubelet/nodelease, renewIntervalFraction). */
  nodeLeaseRenewIntervalMs: number;
}

export type DelayName = { [K in keyof KubeletTimings]: KubeletTimings[K] extends Delay ? K : never }[keyof KubeletTimings];

/** Overrides: any subset, delays field by field. */
export type KubeletTimingsOverrides = { [K in keyof KubeletTimings]?: KubeletTimings[K] extends Delay ? Partial<Delay> : number };

export const DEFAULT_KUBELET_TIMINGS: Readonly<KubeletTimings> = Object.freeze({
  sandbox: { ms: 500, jitterMs: 250 },
  imagePull: { ms: 3_000, jitterMs: 2_000 },
  cachedImagePull: { ms: 0, jitterMs: 0 },
  containerCreate: { ms: 100, jitterMs: 50 },
  containerStart: { ms: 150, jitterMs: 100 },
  appStart: { ms: 1_000, jitterMs: 500 },
  preStop: { ms: 0, jitterMs: 0 },
  shutdown: { ms: 100, jitterMs: 0 },
  podCleanup: { ms: 100, jitterMs: 50 },
  plegRelistPeriodMs: 1_000,
  crashLoopBackOffInitialMs: 10_000,
  crashLoopBackOffMaxMs: 300_000,
  crashLoopBackOffResetMs: 600_000,
  imagePullBackOffInitialMs: 10_000,
  imagePullBackOffMaxMs: 300_000,
  imagePullErrorMs: 1_000,
  minimumGracePeriodMs: 2_000,
  nodeStatusUpdateFrequencyMs: 10_000,
  nodeStatusReportFrequencyMs: 300_000,
  nodeLeaseDurationS: 40,
  nodeLeaseRenewIntervalMs: 10_000,
});

/** Prefix of the per-pod timing annotations. */
export const ANNOTATION_PREFIX = 'sleeveless.dev/';

/** `imagePull` → `image-pull`. */
export function kebab(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/** The defaults with `overrides` applied. */
export function mergeTimings(base: Readonly<KubeletTimings>, overrides: KubeletTimingsOverrides = {}): KubeletTimings {
  const out = { ...base } as Record<string, unknown>;
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined) continue;
    const current = (base as unknown as Record<string, unknown>)[key];
    out[key] = typeof current === 'object' && current !== null ? { ...current, ...(value as object) } : value;
  }
  return out as unknown as KubeletTimings;
}

/** The same timings with every jitter zero: stage delays become exact (tests that check times use it). */
export function withoutJitter(timings: Readonly<KubeletTimings>): KubeletTimings {
  const out = { ...timings } as Record<string, unknown>;
  for (const [key, value] of Object.entries(timings)) {
    if (typeof value === 'object' && value !== null) out[key] = { ...value, jitterMs: 0 };
  }
  return out as unknown as KubeletTimings;
}

function annotationMs(pod: KubeObject | undefined, name: string): number | undefined {
  const text = pod?.metadata.annotations?.[`${ANNOTATION_PREFIX}${name}`];
  if (text === undefined) return undefined;
  const value = Number(text);
  return Number.isFinite(value) && value >= 0 ? Math.round(value) : undefined;
}

/** A delay for `pod`: the cluster's, with the pod's annotations (`sleeveless.dev/<name>-ms`, `-jitter-ms`) on top. */
export function delayFor(timings: Readonly<KubeletTimings>, name: DelayName, pod?: KubeObject): Delay {
  const base = timings[name];
  const k = kebab(name);
  return { ms: annotationMs(pod, `${k}-ms`) ?? base.ms, jitterMs: annotationMs(pod, `${k}-jitter-ms`) ?? base.jitterMs };
}
