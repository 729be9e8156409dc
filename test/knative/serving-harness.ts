// A whole simulated Knative: Kubernetes models, Knative Serving installed into them, one Knative
// Service, a workload, and a sampler recording the revision's state every 500 ms.
import type { KubeObject } from '../../src/apiserver/types.js';
import { SimCluster } from '../../src/client/sim-cluster.js';
import type { RequestOutcome } from '../../src/dataplane/request.js';
import { startWorkload, type Phase } from '../../src/dataplane/workload.js';
import { KSERVICES, PODAUTOSCALERS, SERVERLESSSERVICES } from '../../src/knative/apis/resources.js';
import { installServing, type InstallServingOptions, type Serving } from '../../src/knative/install/install-serving.js';
import { installKube, type Kube } from '../../src/kube/install-kube.js';
import { isPodReady } from '../../src/kube/pod-status.js';
import { DEPLOYMENTS, PODS } from '../../src/kube/resources.js';

export const HOST = 'hello.default.svc.cluster.local';
export const KSVC_AT_MS = 15_000;

export interface Sample {
  atMs: number;
  readyPods: number;
  pods: number;
  replicas: number;
  desiredScale: number | undefined;
  sksMode: string | undefined;
  paActive: string | undefined;
  /** The PA's ScaleTargetInitialized condition status. */
  paInitialized: string | undefined;
}

export interface ServingWorld {
  cluster: SimCluster;
  kube: Kube;
  serving: Serving;
  outcomes: RequestOutcome[];
  samples: Sample[];
  /** Runs until `untilMs` and returns the world. */
  run(untilMs: number): ServingWorld;
}

export interface WorldOptions {
  seed: number | string;
  serving?: InstallServingOptions;
  annotations?: Record<string, string>;
  containerConcurrency?: number;
  phases: Phase[];
  /** When the workload starts (default 60 s: the service is Ready by then). */
  workloadAtMs?: number;
  /** Keep every trace line (to read the components' decisions). */
  keepTrace?: boolean;
}

function get(cluster: SimCluster, res: Parameters<SimCluster['api']['list']>[0]): KubeObject | undefined {
  return cluster.api.list(res, { namespace: 'default' }).items[0];
}

export function servingWorld(options: WorldOptions): ServingWorld {
  const cluster = new SimCluster({ seed: options.seed, trace: { keepAll: options.keepTrace ?? false } });
  const kube = installKube(cluster, {});
  const outcomes: RequestOutcome[] = [];
  const serving = installServing(cluster, kube, { ...options.serving, onRequestDone: (o) => outcomes.push(o) });
  cluster.sim.schedule(KSVC_AT_MS, () => void cluster.api.create(KSERVICES, {
    apiVersion: 'serving.knative.dev/v1', kind: 'Service', metadata: { name: 'hello', namespace: 'default' },
    spec: { template: {
      metadata: { annotations: options.annotations ?? {} },
      spec: { containerConcurrency: options.containerConcurrency ?? 0, containers: [{ image: 'ghcr.io/knative/helloworld-go:latest' }] },
    } },
  }));
  startWorkload(cluster.sim, { startMs: options.workloadAtMs ?? 60_000, phases: options.phases.map((p) => ({ host: HOST, ...p })), send: serving.send });
  const samples: Sample[] = [];
  const sample = (): void => {
    const pods = cluster.api.list(PODS, { namespace: 'default' }).items;
    const pa = get(cluster, PODAUTOSCALERS);
    samples.push({
      atMs: cluster.sim.nowMs,
      readyPods: pods.filter((p) => isPodReady(p) && !p.metadata.deletionTimestamp).length,
      pods: pods.length,
      replicas: get(cluster, DEPLOYMENTS)?.spec?.replicas ?? 0,
      desiredScale: pa?.status?.desiredScale,
      sksMode: get(cluster, SERVERLESSSERVICES)?.spec?.mode,
      paActive: pa?.status?.conditions?.find((c: { type: string }) => c.type === 'Active')?.status,
      paInitialized: pa?.status?.conditions?.find((c: { type: string }) => c.type === 'ScaleTargetInitialized')?.status,
    });
    cluster.sim.schedule(500, sample, 'sample');
  };
  cluster.sim.schedule(0, sample, 'sample');
  const world: ServingWorld = {
    cluster, kube, serving, outcomes, samples,
    run: (untilMs) => {
      cluster.sim.run({ untilMs });
      return world;
    },
  };
  return world;
}

/** The first sample at or after `fromMs` that satisfies `pred`. */
export function firstSample(samples: readonly Sample[], fromMs: number, pred: (s: Sample) => boolean): Sample | undefined {
  return samples.find((s) => s.atMs >= fromMs && pred(s));
}
