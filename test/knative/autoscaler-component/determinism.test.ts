// A run of the autoscaler is a function of the seed: two autoscalers, load up and down, a scale to
// zero, a poke from zero and a leader crash give the same trace hash twice over.
import t from 'tap';
import { PORTS } from '../../../src/knative/serving-system.js';
import { statBatchRequest } from '../../../src/knative/autoscaler-component/stat-message.js';
import { LEASES } from '../../../src/client/leader-elector.js';
import { KNATIVE_NAMESPACE } from '../../../src/knative/serving-system.js';
import { addAutoscaler, createReadyPod, createRevision, deletePod, newHarness, serveActivator, serveQueueProxyStats } from './harness.js';

function run(seed: number): { hash: string; lines: number } {
  const h = newHarness({ seed });
  serveActivator(h);
  addAutoscaler(h, 'autoscaler-a', '10.2.0.100');
  addAutoscaler(h, 'autoscaler-b', '10.2.0.101');
  createRevision(h, 'rev');
  for (const i of [1, 2, 3]) createReadyPod(h, 'rev', `rev-pod-${i}`, `10.3.0.${i}`);
  let load = 120;
  for (const i of [1, 2, 3]) serveQueueProxyStats(h, `10.3.0.${i}`, () => ({ podName: `rev-pod-${i}`, averageConcurrentRequests: load / 3, averageProxiedConcurrentRequests: 0, requestCount: load, proxiedRequestCount: 0 }));
  const sim = h.cluster.sim;
  sim.schedule(20_000, () => { load = 400; });
  sim.schedule(40_000, () => { load = 0; });
  sim.schedule(150_000, () => { for (const i of [1, 2, 3]) deletePod(h, `rev-pod-${i}`); });
  sim.schedule(230_000, () => {
    h.http.send('10.2.0.101', PORTS.autoscalerStats, statBatchRequest([{ key: 'default/rev', stat: { averageConcurrentRequests: 1, averageProxiedConcurrentRequests: 0, requestCount: 1, proxiedRequestCount: 0 } }]), { fromIp: '10.1.0.10', timeoutMs: 1_000 }, () => undefined);
  });
  sim.schedule(240_000, () => {
    const holder = h.cluster.api.get(LEASES, 'autoscaler-bucket-00-of-01', { namespace: KNATIVE_NAMESPACE }).spec?.holderIdentity as string;
    h.cluster.component(holder.split('_')[0]).crash({ restartAfterMs: 5_000 });
  });
  sim.run({ untilMs: 320_000 });
  return { hash: sim.traceHash(), lines: sim.trace.lines().length };
}

t.test('the same seed gives the same trace hash (two autoscalers, scale up, down to zero, from zero, leader crash)', async (t) => {
  const a = run(11);
  const b = run(11);
  t.ok(a.lines > 500, `a substantial run (${a.lines} trace lines)`);
  t.equal(a.hash, b.hash);
  t.equal(a.lines, b.lines);
  t.not(run(12).hash, a.hash, 'another seed draws other latencies');
});
