// A crash of the autoscaler loses everything the incarnation held — deciders, metric buckets,
// panic state — and the restarted process starts again from DesiredScale −1 (kpa.go computeStatus
// keeps the PA's stored DesiredScale meanwhile). Its lease identity is POD_NAME_POD_IP, so a
// restarted container renews its own lease at once, while a replacement pod waits for it to expire.
import t from 'tap';
import { PODAUTOSCALERS } from '../../../src/knative/apis/resources.js';
import { LEADER_ELECTION_DEFAULTS } from '../../../src/knative/autoscaler-component/bucket-elector.js';
import {
  addAutoscaler, createReadyPod, createRevision, newHarness, pa, replicas, serveActivator, serveQueueProxyStats, trace, watchValue,
} from './harness.js';

const POD_IP = '10.3.0.1';

function loadedRevision(): ReturnType<typeof newHarness> {
  const h = newHarness();
  serveActivator(h);
  createRevision(h, 'rev');
  createReadyPod(h, 'rev', 'rev-pod-1', POD_IP);
  serveQueueProxyStats(h, POD_IP, () => ({ podName: 'rev-pod-1', averageConcurrentRequests: 150, averageProxiedConcurrentRequests: 0, requestCount: 150, proxiedRequestCount: 0 }));
  return h;
}

t.test('a crash loses the deciders: after the restart the decider starts at -1 and returns to 3 only with new data, while the PA keeps DesiredScale 3', async (t) => {
  const h = loadedRevision();
  const autoscaler = addAutoscaler(h);
  const desired = watchValue(h, PODAUTOSCALERS, 'rev', (o) => String(o.status?.desiredScale));
  h.cluster.sim.run({ untilMs: 30_000 });
  t.equal(pa(h, 'rev').status?.desiredScale, 3);
  autoscaler.crash({ restartAfterMs: 5_000 });
  h.cluster.sim.run({ untilMs: 34_900 });
  t.equal(autoscaler.state, 'crashed');
  h.cluster.sim.run({ untilMs: 60_000 });
  t.equal(autoscaler.incarnation, 2);
  const creates = trace(h, 'autoscaler/decider', { key: 'default/rev', event: 'create' });
  t.equal(creates.length, 2, 'a second decider was created after the restart');
  const recreated = creates[1];
  t.ok(recreated.atMs > 35_000 && recreated.atMs < 36_000, 'by the first reconcile of the new incarnation');
  t.equal(recreated.fields.desired, -1, 'nothing survived the crash: DesiredScale -1');
  const kpaAfter = trace(h, 'autoscaler/kpa', { pa: 'default/rev' }).filter((l) => l.atMs >= recreated.atMs);
  t.equal(kpaAfter[0].fields.want, -1, 'the KPA reconciles with want -1 until the decider has data');
  const back = trace(h, 'autoscaler/decider', { key: 'default/rev', changed: true }).filter((l) => l.atMs > recreated.atMs)[0];
  t.same([back.fields.desired, back.atMs - recreated.atMs], [3, 2_000], 'the first tick of the new decider, after the first new scrape, decides 3 again');
  t.same(desired.map((c) => c.value), ['-1', '3'], 'want -1 never overwrote the stored DesiredScale 3');
  t.equal(replicas(h, 'rev'), 3, 'the Deployment was not touched by the restart');
});

t.test('the restarted container renews its own lease at once; a replacement pod (new name and IP) waits for the lease to expire', async (t) => {
  const h = loadedRevision();
  const first = addAutoscaler(h, 'autoscaler-a', '10.2.0.100');
  h.cluster.sim.run({ untilMs: 30_000 });
  first.crash({ restartAfterMs: 1_000 });
  h.cluster.sim.run({ untilMs: 40_000 });
  const restarts = trace(h, 'leader', { identity: 'autoscaler-a_10.2.0.100', event: 'started' });
  t.equal(restarts.length, 2);
  t.ok(restarts[1].atMs - 31_000 < 100, 'same identity: leading again right after the restart');
  first.stop();
  const stoppedAtMs = h.cluster.sim.nowMs;
  const lastRenew = Math.max(...trace(h, 'api', { c: 'autoscaler-a', res: 'leases', code: 200 }).map((l) => l.atMs));
  addAutoscaler(h, 'autoscaler-b', '10.2.0.101');
  h.cluster.sim.run({ untilMs: stoppedAtMs + 120_000 });
  const [b] = trace(h, 'leader', { identity: 'autoscaler-b_10.2.0.101', event: 'started' });
  t.ok(b, 'the replacement leads eventually');
  t.ok(b.atMs >= stoppedAtMs + LEADER_ELECTION_DEFAULTS.leaseDurationMs - (stoppedAtMs - lastRenew),
    'not before the lease, last renewed by the old pod, has gone unrenewed for a lease duration (60 s) in its eyes');
  const bDecider = trace(h, 'autoscaler/decider', { as: 'autoscaler-b', key: 'default/rev', event: 'create' });
  t.equal(bDecider.length, 1, 'the new leader builds its own decider');
  t.ok(bDecider[0].atMs >= b.atMs, 'once it leads');
});
