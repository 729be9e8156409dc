// Two autoscaler replicas share one bucket Lease (autoscaler-bucket-00-of-01): only its holder runs
// the KPA and Metric reconcilers and owns the stats; the other forwards the stats it receives to
// the holder, and takes over when the holder's lease expires.
import t from 'tap';
import type { AppliedRequest } from '../../../src/client/sim-client.js';
import { LEASES } from '../../../src/client/leader-elector.js';
import { KNATIVE_NAMESPACE, PORTS } from '../../../src/knative/serving-system.js';
import { statBatchRequest } from '../../../src/knative/autoscaler-component/stat-message.js';
import {
  addAutoscaler, createReadyPod, createRevision, deletePod, newHarness, replicas, serveActivator, serveQueueProxyStats, trace, type Harness,
} from './harness.js';

const A = { name: 'autoscaler-a', ip: '10.2.0.100' };
const B = { name: 'autoscaler-b', ip: '10.2.0.101' };
const WATCHED = new Set(['podautoscalers', 'serverlessservices', 'metrics', 'deployments']);

function twoAutoscalers(load: () => number): { h: Harness; writers: Map<string, number> } {
  const h = newHarness();
  serveActivator(h);
  const writers = new Map<string, number>();
  h.cluster.onApplied((req: AppliedRequest) => {
    if (req.error || req.info.verb === 'get' || req.info.verb === 'list' || req.info.verb === 'watch') return;
    if (!WATCHED.has(req.info.resource.resource) || !req.info.component.startsWith('autoscaler-')) return;
    writers.set(req.info.component, (writers.get(req.info.component) ?? 0) + 1);
  });
  addAutoscaler(h, A.name, A.ip);
  addAutoscaler(h, B.name, B.ip);
  createRevision(h, 'rev');
  createReadyPod(h, 'rev', 'rev-pod-1', '10.3.0.1');
  serveQueueProxyStats(h, '10.3.0.1', () => ({ podName: 'rev-pod-1', averageConcurrentRequests: load(), averageProxiedConcurrentRequests: 0, requestCount: 0, proxiedRequestCount: 0 }));
  return { h, writers };
}

function holder(h: Harness): string {
  return h.cluster.api.get(LEASES, 'autoscaler-bucket-00-of-01', { namespace: KNATIVE_NAMESPACE }).spec?.holderIdentity as string;
}

/** The lease holder and the other replica (which one wins the first race is the seed's business). */
function roles(h: Harness): [typeof A, typeof A] {
  return holder(h) === `${A.name}_${A.ip}` ? [A, B] : [B, A];
}

t.test('with two autoscalers only the lease holder reconciles: every autoscaler write to PAs, SKSs, Metrics and Deployments is its, and only it has deciders and scrapes', async (t) => {
  const { h, writers } = twoAutoscalers(() => 150);
  h.cluster.sim.run({ untilMs: 30_000 });
  const [leader, follower] = roles(h);
  t.equal(trace(h, 'leader', { event: 'started' }).length, 1, 'one of them took the lease, and kept it');
  t.same([...writers.keys()], [leader.name], 'writes come from the leader only');
  t.ok((writers.get(leader.name) ?? 0) >= 4, 'it created the SKS and Metric and wrote statuses and the scale');
  t.ok(trace(h, 'autoscaler/decider', { as: leader.name }).length > 0, 'the leader holds the decider');
  t.equal(trace(h, 'autoscaler/decider', { as: follower.name }).length, 0, 'the follower holds none');
  t.equal(trace(h, 'autoscaler/scrape', { as: follower.name }).length, 0, 'and scrapes nothing');
  t.equal(replicas(h, 'rev'), 3);
  t.same(trace(h, 'autoscaler/bucket-owner', { as: follower.name }).map((l) => [l.fields.holder, l.fields.local]), [[`${leader.name}_${leader.ip}`, false]], 'the follower knows the owner from the Lease');
});

t.test('a stat posted to the follower is forwarded to the bucket owner, which records it and pokes its decider (scale from zero)', async (t) => {
  let load = 50;
  const { h } = twoAutoscalers(() => load);
  h.cluster.sim.schedule(10_000, () => { load = 0; });
  h.cluster.sim.run({ untilMs: 100_000 });
  t.equal(replicas(h, 'rev'), 0);
  deletePod(h, 'rev-pod-1');
  h.cluster.sim.run({ untilMs: 170_300 });
  const [leader, follower] = roles(h);
  h.http.send(follower.ip, PORTS.autoscalerStats, statBatchRequest([{ key: 'default/rev', stat: { averageConcurrentRequests: 2, averageProxiedConcurrentRequests: 0, requestCount: 2, proxiedRequestCount: 0 } }]),
    { fromIp: '10.1.0.10', timeoutMs: 1_000 }, () => undefined);
  h.cluster.sim.run({ untilMs: 170_600 });
  const accepted = trace(h, 'autoscaler/stat', { key: 'default/rev' });
  t.same(accepted.map((l) => l.fields.as), [leader.name], 'accepted by the owner only');
  t.equal(accepted[0].fields.at, Math.floor((1767225600000 + 170_300) / 1000), 'the follower stamped it on receipt; the owner kept that stamp');
  const [poke] = trace(h, 'autoscaler/decider', { as: leader.name, event: 'poke' });
  t.ok(poke && poke.atMs < 170_310, 'the owner ticked at once');
  t.equal(replicas(h, 'rev'), 1);
});

t.test('when the leader crashes the follower takes over once the lease expires, and builds its own deciders from -1', async (t) => {
  let load = 150;
  const { h, writers } = twoAutoscalers(() => load);
  h.cluster.sim.run({ untilMs: 30_000 });
  const [leader, follower] = roles(h);
  h.cluster.component(leader.name).crash();
  h.cluster.sim.schedule(100_000, () => { load = 300; });
  writers.clear();
  h.cluster.sim.run({ untilMs: 150_000 });
  const [took] = trace(h, 'leader', { identity: `${follower.name}_${follower.ip}`, event: 'started' });
  t.ok(took && took.atMs >= 30_000 + 40_000, `the follower leads from ${took?.atMs} ms, after the lease went unrenewed`);
  t.equal(holder(h), `${follower.name}_${follower.ip}`);
  const [created] = trace(h, 'autoscaler/decider', { as: follower.name, event: 'create' });
  t.ok(created && created.atMs >= took.atMs && created.fields.desired === -1, 'promotion enqueues the PAs; the first reconcile creates a decider at -1');
  const [decided] = trace(h, 'autoscaler/decider', { as: follower.name, changed: true });
  t.equal(decided.fields.desired, 3, 'and it decides 3 again from its own scrapes');
  t.ok(trace(h, 'autoscaler/kpa', { as: follower.name }).some((l) => l.atMs < 100_000), 'it reconciles the PA before the load changes');
  t.same([...writers.keys()], [follower.name], 'and only it writes once the load doubles');
  t.equal(replicas(h, 'rev'), 5, 'ceil(300 / 70) = 5');
});
