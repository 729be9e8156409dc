// A simulated Knative with several Knative Services that a test creates and updates over time, and
// a sampler that records every Revision's observable state every 250 ms: what `kubectl get` would
// show of the Revision, its PodAutoscaler, ServerlessService, Deployment and pods. The bug tests
// read their symptoms from these samples and from request outcomes, never from the model's switches.
import type { KubeObject } from '../../../src/apiserver/types.js';
import { SimCluster } from '../../../src/client/sim-cluster.js';
import type { RequestOutcome } from '../../../src/dataplane/request.js';
import { startWorkload, type Phase } from '../../../src/dataplane/workload.js';
import { KSERVICES, PODAUTOSCALERS, REVISIONS, SERVERLESSSERVICES } from '../../../src/knative/apis/resources.js';
import { LABELS } from '../../../src/knative/apis/serving-labels.js';
import { installServing, type InstallServingOptions, type Serving } from '../../../src/knative/install/install-serving.js';
import { installKube, type Kube } from '../../../src/kube/install-kube.js';
import { isPodReady } from '../../../src/kube/pod-status.js';
import { DEPLOYMENTS, PODS } from '../../../src/kube/resources.js';

export const NS = 'default';
export const SAMPLE_EVERY_MS = 250;

export interface RevisionSample {
  atMs: number;
  /** Deployment spec.replicas (undefined before the Deployment exists). */
  replicas: number | undefined;
  /** Pods ready and not terminating. */
  readyPods: number;
  /** Pods not terminating. */
  livePods: number;
  /** Pods ever created for the revision so far (by uid). */
  podsCreated: number;
  ready: string | undefined;
  active: string | undefined;
  routingState: string | undefined;
  reachability: string | undefined;
  desiredScale: number | undefined;
  sksMode: string | undefined;
}

export interface ServiceSpec {
  annotations?: Record<string, string>;
  image?: string;
  containerConcurrency?: number;
}

export interface RevisionWorld {
  cluster: SimCluster;
  kube: Kube;
  serving: Serving;
  outcomes: RequestOutcome[];
  /** Samples per revision name, in time order. */
  samples: Map<string, RevisionSample[]>;
  /** Every value the revision's Deployment spec.replicas took, as the API server stored it (a watch, so no change is missed between samples). */
  replicaHistory(revision: string): { atMs: number; replicas: number }[];
  /** Creates a Knative Service at `atMs`. */
  createService(name: string, atMs: number, spec?: ServiceSpec): void;
  /** Replaces a Knative Service's template at `atMs` (a new Revision). */
  updateService(name: string, atMs: number, spec: ServiceSpec): void;
  /** Drives load at the service `name` from `atMs`. */
  load(name: string, atMs: number, phases: Phase[]): void;
  run(untilMs: number): RevisionWorld;
  /** The revision's samples (empty when it never existed). */
  of(revision: string): RevisionSample[];
}

export function hostOf(name: string): string {
  return `${name}.${NS}.svc.cluster.local`;
}

function template(spec: ServiceSpec): KubeObject['spec'] {
  return {
    template: {
      metadata: { annotations: spec.annotations ?? {} },
      spec: { containerConcurrency: spec.containerConcurrency ?? 0, containers: [{ image: spec.image ?? 'ghcr.io/knative/helloworld-go:latest' }] },
    },
  };
}

function condition(obj: KubeObject | undefined, type: string): string | undefined {
  return (obj?.status?.conditions ?? []).find((c: { type: string }) => c.type === type)?.status;
}

export function revisionWorld(options: { seed: number | string; serving?: InstallServingOptions; keepTrace?: boolean }): RevisionWorld {
  const cluster = new SimCluster({ seed: options.seed, trace: { keepAll: options.keepTrace ?? false } });
  const kube = installKube(cluster, {});
  const outcomes: RequestOutcome[] = [];
  const serving = installServing(cluster, kube, { ...options.serving, onRequestDone: (o) => outcomes.push(o) });
  const samples = new Map<string, RevisionSample[]>();
  const seenPods = new Map<string, Set<string>>();

  const sample = (): void => {
    const byName = (res: Parameters<SimCluster['api']['list']>[0]): Map<string, KubeObject> =>
      new Map(cluster.api.list(res, { namespace: NS }).items.map((o) => [o.metadata.name!, o]));
    const pas = byName(PODAUTOSCALERS);
    const skss = byName(SERVERLESSSERVICES);
    const deployments = byName(DEPLOYMENTS);
    const pods = cluster.api.list(PODS, { namespace: NS }).items;
    for (const rev of cluster.api.list(REVISIONS, { namespace: NS }).items) {
      const name = rev.metadata.name!;
      const mine = pods.filter((p) => p.metadata.labels?.[LABELS.revision] === name);
      const seen = seenPods.get(name) ?? new Set<string>();
      for (const p of mine) seen.add(p.metadata.uid!);
      seenPods.set(name, seen);
      const pa = pas.get(name);
      const list = samples.get(name) ?? [];
      list.push({
        atMs: cluster.sim.nowMs,
        replicas: deployments.get(`${name}-deployment`)?.spec?.replicas,
        readyPods: mine.filter((p) => isPodReady(p) && !p.metadata.deletionTimestamp).length,
        livePods: mine.filter((p) => !p.metadata.deletionTimestamp).length,
        podsCreated: seen.size,
        ready: condition(rev, 'Ready'),
        active: condition(rev, 'Active'),
        routingState: rev.metadata.labels?.[LABELS.routingState],
        reachability: pa?.spec?.reachability,
        desiredScale: pa?.status?.desiredScale,
        sksMode: skss.get(name)?.spec?.mode,
      });
      samples.set(name, list);
    }
    cluster.sim.schedule(SAMPLE_EVERY_MS, sample, 'sample');
  };
  cluster.sim.schedule(0, sample, 'sample');
  const replicaChanges = new Map<string, { atMs: number; replicas: number }[]>();
  cluster.api.watch(DEPLOYMENTS, { namespace: NS }, {
    event: (ev) => {
      const d = ev.object as KubeObject;
      const revision = d.metadata.labels?.[LABELS.revision];
      if (revision === undefined || ev.type === 'BOOKMARK') return;
      const list = replicaChanges.get(revision) ?? [];
      const replicas = ev.type === 'DELETED' ? 0 : (d.spec?.replicas ?? 1);
      if (list.at(-1)?.replicas !== replicas) list.push({ atMs: cluster.sim.nowMs, replicas });
      replicaChanges.set(revision, list);
    },
    closed: () => undefined,
  });

  const world: RevisionWorld = {
    cluster, kube, serving, outcomes, samples,
    createService: (name, atMs, spec = {}) => {
      cluster.sim.at(atMs, () => void cluster.api.create(KSERVICES, {
        apiVersion: 'serving.knative.dev/v1', kind: 'Service', metadata: { name, namespace: NS }, spec: template(spec),
      }), `create ksvc ${name}`);
    },
    updateService: (name, atMs, spec) => {
      cluster.sim.at(atMs, () => {
        const current = cluster.api.get(KSERVICES, name, { namespace: NS });
        void cluster.api.update(KSERVICES, { ...current, spec: { ...current.spec, ...template(spec) } });
      }, `update ksvc ${name}`);
    },
    load: (name, atMs, phases) => {
      startWorkload(cluster.sim, { startMs: atMs, phases: phases.map((p) => ({ host: hostOf(name), ...p })), send: serving.send });
    },
    run: (untilMs) => {
      cluster.sim.run({ untilMs });
      return world;
    },
    of: (revision) => samples.get(revision) ?? [],
    replicaHistory: (revision) => replicaChanges.get(revision) ?? [],
  };
  return world;
}
