// The reference Knative scenario: one Knative Service on the full simulated stack, 10 simulated
// minutes of 50 requests/s with two idle gaps long enough to scale to zero (so it cold-starts twice).
// Reports simulated seconds per wall second and memory.

import { SimCluster } from '../src/client/sim-cluster.js';
import type { RequestOutcome } from '../src/dataplane/request.js';
import { startWorkload } from '../src/dataplane/workload.js';
import { KSERVICES } from '../src/knative/apis/resources.js';
import { installServing } from '../src/knative/install/install-serving.js';
import { installKube } from '../src/kube/install-kube.js';

export interface KnativeBenchResult {
  simulatedMs: number;
  wallMs: number;
  simSecondsPerWallSecond: number;
  requests: number;
  ok: number;
  events: number;
  heapUsedMiB: number;
  traceHash: string;
}

export function benchKnativeReference(options: { now: () => number; seed?: string }): KnativeBenchResult {
  const cluster = new SimCluster({ seed: options.seed ?? 'bench-knative' });
  const kube = installKube(cluster, {});
  const outcomes: RequestOutcome[] = [];
  const serving = installServing(cluster, kube, { onRequestDone: (o) => outcomes.push(o) });
  cluster.sim.schedule(15_000, () => void cluster.api.create(KSERVICES, {
    apiVersion: 'serving.knative.dev/v1', kind: 'Service', metadata: { name: 'hello', namespace: 'default' },
    spec: { template: { spec: { containers: [{ image: 'ghcr.io/knative/helloworld-go:latest' }] } } },
  }));
  const host = 'hello.default.svc.cluster.local';
  const load = { kind: 'constant' as const, rps: 50 };
  const end = startWorkload(cluster.sim, {
    startMs: 60_000,
    send: serving.send,
    phases: [
      { name: 'load-1', durationMs: 120_000, load, host },
      { name: 'idle-1', durationMs: 150_000, load: { kind: 'idle' } },
      { name: 'load-2', durationMs: 90_000, load, host },
      { name: 'idle-2', durationMs: 150_000, load: { kind: 'idle' } },
      { name: 'load-3', durationMs: 90_000, load, host },
    ],
  });
  const start = options.now();
  cluster.sim.run({ untilMs: end });
  const wallMs = options.now() - start;
  return {
    simulatedMs: end,
    wallMs,
    simSecondsPerWallSecond: Math.round(end / wallMs),
    requests: outcomes.length,
    ok: outcomes.filter((o) => o.status === 200).length,
    events: cluster.sim.eventsRun,
    heapUsedMiB: Math.round(process.memoryUsage().heapUsed / 1048576),
    traceHash: cluster.sim.traceHash(),
  };
}
