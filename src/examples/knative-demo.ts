// The Knative demonstration run: Knative Serving installed on the simulated Kubernetes, one Knative
// Service, and a workload with an idle gap long enough to scale to zero, so the second burst of
// traffic cold-starts through the activator. It reports what a person would watch with kubectl and
// a load generator: when the Service became Ready, every scale and SKS mode change, and per-phase
// request statistics.

import type { KubeObject } from '../apiserver/types.js';
import { SimCluster } from '../client/sim-cluster.js';
import type { RequestOutcome } from '../dataplane/request.js';
import { startWorkload, type Phase } from '../dataplane/workload.js';
import { KSERVICES, PODAUTOSCALERS, SERVERLESSSERVICES } from '../knative/apis/resources.js';
import { installServing } from '../knative/install/install-serving.js';
import { installKube } from '../kube/install-kube.js';
import { isPodReady } from '../kube/pod-status.js';
import { PODS } from '../kube/resources.js';

export interface KnativeDemoEvent {
  atMs: number;
  what: string;
}

export interface PhaseStats {
  phase: string;
  requests: number;
  byStatus: Record<string, number>;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  viaActivator: number;
}

export interface KnativeDemoResult {
  seed: string;
  release: string;
  traceHash: string;
  events: number;
  timeline: KnativeDemoEvent[];
  phases: PhaseStats[];
}

const HOST = 'hello.default.svc.cluster.local';

function percentile(sorted: number[], p: number): number {
  return sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
}

function stats(phase: string, outcomes: RequestOutcome[]): PhaseStats {
  const latencies = outcomes.map((o) => o.latencyMs).sort((a, b) => a - b);
  const byStatus: Record<string, number> = {};
  for (const o of outcomes) byStatus[String(o.status)] = (byStatus[String(o.status)] ?? 0) + 1;
  return {
    phase, requests: outcomes.length, byStatus,
    p50Ms: percentile(latencies, 0.5), p99Ms: percentile(latencies, 0.99), maxMs: latencies.at(-1) ?? 0,
    viaActivator: outcomes.filter((o) => o.activator).length,
  };
}

export function runKnativeDemo(options: { seed: string; release: string }): KnativeDemoResult {
  const cluster = new SimCluster({ seed: options.seed });
  const kube = installKube(cluster, {});
  const outcomes: RequestOutcome[] = [];
  const serving = installServing(cluster, kube, { release: options.release, onRequestDone: (o) => outcomes.push(o) });
  const { sim, api } = cluster;
  const timeline: KnativeDemoEvent[] = [];
  const note = (what: string): void => void timeline.push({ atMs: sim.nowMs, what });
  sim.schedule(15_000, () => {
    api.create(KSERVICES, {
      apiVersion: 'serving.knative.dev/v1', kind: 'Service', metadata: { name: 'hello', namespace: 'default' },
      spec: { template: { spec: { containers: [{ image: 'ghcr.io/knative/helloworld-go:latest' }] } } },
    });
    note('kubectl apply: Knative Service hello');
  });
  const phases: Phase[] = [
    { name: 'steady 20 rps', durationMs: 60_000, load: { kind: 'constant', rps: 20 }, host: HOST },
    { name: 'idle', durationMs: 180_000, load: { kind: 'idle' } },
    { name: 'cold burst 50 rps', durationMs: 30_000, load: { kind: 'constant', rps: 50 }, host: HOST },
  ];
  const end = startWorkload(sim, { startMs: 60_000, phases, send: serving.send });
  watchChanges(cluster, note);
  sim.run({ untilMs: end + 30_000 });
  return {
    seed: options.seed,
    release: serving.system.profile.release.name,
    traceHash: sim.traceHash(),
    events: sim.eventsRun,
    timeline,
    phases: phases.filter((p) => p.load.kind !== 'idle').map((p) => stats(p.name, outcomes.filter((o) => o.phase === p.name))),
  };
}

/** Samples the objects every 250 ms and notes each change a person would notice. */
function watchChanges(cluster: SimCluster, note: (what: string) => void): void {
  const last = new Map<string, string>();
  const change = (key: string, value: string | undefined, say: (v: string) => string): void => {
    if (value === undefined || last.get(key) === value) return;
    last.set(key, value);
    note(say(value));
  };
  const first = (items: KubeObject[]): KubeObject | undefined => items[0];
  const tick = (): void => {
    const { api } = cluster;
    const ksvc = first(api.list(KSERVICES, { namespace: 'default' }).items);
    change('ready', ksvc?.status?.conditions?.find((c: { type: string }) => c.type === 'Ready')?.status, (v) => `Knative Service Ready=${v}`);
    const pa = first(api.list(PODAUTOSCALERS, { namespace: 'default' }).items);
    change('desired', pa?.status?.desiredScale === undefined ? undefined : String(pa.status.desiredScale), (v) => `PodAutoscaler desiredScale=${v}`);
    change('sks', first(api.list(SERVERLESSSERVICES, { namespace: 'default' }).items)?.spec?.mode, (v) => `ServerlessService mode=${v}${v === 'Proxy' ? ' (activator in the path)' : ''}`);
    const pods = api.list(PODS, { namespace: 'default' }).items;
    change('pods', `${pods.filter((p) => isPodReady(p) && !p.metadata.deletionTimestamp).length}/${pods.length}`, (v) => `revision pods ready/total=${v}`);
    cluster.sim.schedule(250, tick, 'demo-watch');
  };
  cluster.sim.schedule(0, tick, 'demo-watch');
}
