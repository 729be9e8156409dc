// Workload bench: 100 Deployments × 10 pods on the full Kubernetes model (controller manager,
// scheduler, a kubelet per node), created, made available, then rolled to a new template.
// Reports simulated seconds per wall second and the heap after the run.

import { SimCluster } from '../src/client/sim-cluster.js';
import { installKube } from '../src/kube/install-kube.js';
import { defaultNodes } from '../src/kube/install-nodes.js';
import { DEPLOYMENTS } from '../src/kube/resources.js';

export interface RolloutBenchResult {
  deployments: number;
  podsPerDeployment: number;
  simulatedMs: number;
  wallMs: number;
  simSecondsPerWallSecond: number;
  events: number;
  rolledOut: number;
  heapUsedMiB: number;
  traceHash: string;
}

function deployment(i: number, replicas: number, image: string): any {
  const labels = { app: `app-${i}` };
  return {
    apiVersion: 'apps/v1', kind: 'Deployment',
    metadata: { name: `app-${i}`, namespace: 'default' },
    spec: {
      replicas, selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: { containers: [{ name: 'app', image, resources: { requests: { cpu: '10m', memory: '16Mi' } }, readinessProbe: { httpGet: { port: 8080 }, periodSeconds: 5 } }] } },
    },
  };
}

export function benchKubeRollout(options: { deployments: number; podsPerDeployment: number; events: boolean; now: () => number }): RolloutBenchResult {
  const cluster = new SimCluster({ seed: 'bench-rollout' });
  installKube(cluster, { nodes: defaultNodes(15), events: options.events });
  const { sim, api } = cluster;
  for (let i = 0; i < options.deployments; i++) sim.schedule(1000, () => void api.create(DEPLOYMENTS, deployment(i, options.podsPerDeployment, 'app:v1')));
  for (let i = 0; i < options.deployments; i++) {
    sim.schedule(120_000, () => void api.patch(DEPLOYMENTS, `app-${i}`, { spec: { template: { spec: { containers: [{ name: 'app', image: 'app:v2' }] } } } }, { namespace: 'default', patchType: 'strategic' }));
  }
  const start = options.now();
  const untilMs = 300_000;
  sim.run({ untilMs });
  const wallMs = options.now() - start;
  const rolledOut = api.list(DEPLOYMENTS, { namespace: 'default' }).items.filter((d) =>
    d.status?.updatedReplicas === options.podsPerDeployment && d.status?.availableReplicas === options.podsPerDeployment && d.status?.replicas === options.podsPerDeployment && d.status?.observedGeneration === 2).length;
  return {
    deployments: options.deployments,
    podsPerDeployment: options.podsPerDeployment,
    simulatedMs: untilMs,
    wallMs,
    simSecondsPerWallSecond: Math.round((untilMs / 1000) / (wallMs / 1000)),
    events: sim.eventsRun,
    rolledOut,
    heapUsedMiB: Math.round(process.memoryUsage().heapUsed / 1048576),
    traceHash: sim.traceHash(),
  };
}
