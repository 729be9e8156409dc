// A cluster with nodes is a function of its seed: the same seed (or the same choice log, replayed)
// gives the same trace hash through scheduling, pod lifecycles, probes, crashes, a lost node and its
// eviction; another seed gives another run.
import t from 'tap';
import { defaultNodes } from '../../src/kube/install-nodes.js';
import { crashContainer, flapReadiness, loseNode } from '../../src/kube/pod-faults.js';
import { createPod, nodesCluster } from './node-fixtures.js';

function scenario(seed: number, replay?: readonly number[]): { hash: string; log: number[]; bound: string } {
  const c = nodesCluster({ seed, replay, nodes: defaultNodes(3), controllerManager: true });
  c.cluster.sim.run({ untilMs: 1_000 });
  for (let i = 0; i < 6; i++) {
    createPod(c, `web-${i}`, {
      labels: { app: 'web' },
      containers: [{ name: 'app', image: 'example.com/app:v1', resources: { requests: { cpu: '500m' } }, readinessProbe: { periodSeconds: 2 } }],
    });
  }
  crashContainer(c, { name: 'web-0' }, { atMs: 30_000 });
  flapReadiness(c, { name: 'web-1' }, { atMs: 40_000, durationMs: 20_000 });
  loseNode(c, { node: 'node-2', atMs: 60_000, returnAfterMs: 400_000 });
  c.cluster.sim.run({ untilMs: 500_000 });
  const bound = c.cluster.api.list({ group: '', version: 'v1', resource: 'pods' }).items.map((p) => `${p.metadata.name}@${p.spec.nodeName}`).join(',');
  return { hash: c.cluster.sim.traceHash(), log: c.cluster.sim.chooser.log(), bound };
}

t.test('same seed, same trace hash; the choice log replays it exactly; another seed differs', async (t) => {
  const a = scenario(11);
  const b = scenario(11);
  t.equal(a.hash, b.hash, 'same seed');
  t.equal(a.bound, b.bound);
  t.ok(a.log.length > 100, `${a.log.length / 2} decisions logged`);
  t.equal(scenario(11, a.log).hash, a.hash, 'replayed from the choice log');
  const c = scenario(12);
  t.not(c.hash, a.hash, 'different seed, different run');
});
