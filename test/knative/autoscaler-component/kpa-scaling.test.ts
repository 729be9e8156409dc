// The autoscaler component end to end against the in-memory API server: scraping a queue-proxy,
// ticking the decider, patching the Deployment, and the scale-to-zero and scale-from-zero sequences
// of research/knative-mechanics.md §4.3 and §4.4, with their times.
import t from 'tap';
import { KUBE_PROXY_MIN_SYNC_PERIOD_MS } from '../../../src/knative/autoscaler-component/kube-proxy-view.js';
import { ASYNC_PROBE_PERIOD_MS } from '../../../src/knative/kpa/scale-decision.js';
import { PODAUTOSCALERS, SERVERLESSSERVICES } from '../../../src/knative/apis/resources.js';
import { DEPLOYMENTS } from '../../../src/kube/resources.js';
import { statBatchRequest } from '../../../src/knative/autoscaler-component/stat-message.js';
import type { Stat } from '../../../src/knative/autoscaler/stat.js';
import { PORTS } from '../../../src/knative/serving-system.js';
import {
  addAutoscaler, condition, createReadyPod, createRevision, deletePod, newHarness, pa, replicas, serveActivator, serveQueueProxyStats,
  sks, trace, watchValue, type Harness,
} from './harness.js';

const AUTOSCALER_IP = '10.2.0.100';
const POD_IP = '10.3.0.1';

function stat(concurrency: number): Stat {
  return { podName: 'rev-pod-1', averageConcurrentRequests: concurrency, averageProxiedConcurrentRequests: 0, requestCount: concurrency, proxiedRequestCount: 0 };
}

/** One autoscaler, an activator, revision `rev` with one ready pod whose queue-proxy reports `load()`. */
function revisionUnderLoad(load: () => number, autoscalerConfig?: Record<string, string>): Harness & { probes: number[] } {
  const h = newHarness({ autoscalerConfig });
  addAutoscaler(h, 'autoscaler-a', AUTOSCALER_IP);
  const { probes } = serveActivator(h);
  createRevision(h, 'rev');
  createReadyPod(h, 'rev', 'rev-pod-1', POD_IP);
  serveQueueProxyStats(h, POD_IP, () => stat(load()));
  return { ...h, probes };
}

t.test('the decider ticks every 2 s from its own creation and DesiredScale follows the load: concurrency 150 against target 70 gives 3, patched into the Deployment', async (t) => {
  const h = revisionUnderLoad(() => 150);
  h.cluster.sim.run({ untilMs: 20_000 });
  const [created] = trace(h, 'autoscaler/decider', { key: 'default/rev', event: 'create' });
  t.ok(created, 'the decider was created by the first reconcile with a private service');
  t.equal(created.fields.desired, -1, 'a new decider starts at DesiredScale -1');
  const ticks = trace(h, 'autoscaler/decider', { key: 'default/rev', event: 'tick' }).map((l) => l.atMs - created.atMs);
  t.same(ticks, [2_000, 4_000, 6_000, 8_000, 10_000, 12_000, 14_000, 16_000, 18_000].filter((d) => d + created.atMs <= 20_000), 'ticks on a 2 s grid phased at creation');
  const first = trace(h, 'autoscaler/decider', { key: 'default/rev', event: 'tick' })[0];
  t.same([first.fields.desired, first.fields.changed], [3, true], 'ceil(150 / 70) = 3 at the first tick after the first scrape');
  t.equal(pa(h, 'rev').status?.desiredScale, 3);
  t.equal(pa(h, 'rev').status?.actualScale, 1, 'ActualScale counts the ready pods');
  t.equal(replicas(h, 'rev'), 3, 'the Deployment was patched to 3');
  const [scaled] = trace(h, 'autoscaler/scale', { pa: 'default/rev' });
  t.same([scaled.fields.from, scaled.fields.to], [1, 3]);
  t.ok(scaled.atMs - first.atMs < 20, 'the decision reached the Deployment within one reconcile');
  const patches = trace(h, 'api', { verb: 'patch', res: 'deployments' });
  t.same(patches.map((l) => l.fields.sub), ['scale'], 'one PATCH, on the scale subresource');
  t.equal(condition(pa(h, 'rev'), 'Ready')?.status, 'True', 'Active, ScaleTargetInitialized and SKSReady make the PA Ready');
  t.equal(sks(h, 'rev')?.spec?.mode, 'Proxy', 'EBC = 1·100 − 211 − 150 < 0 keeps the activator in the path');
  t.equal(pa(h, 'rev').status?.metricsServiceName, 'rev-private');
  t.equal(h.cluster.api.get(PODAUTOSCALERS, 'rev', { namespace: 'default' }).status?.serviceName, 'rev');
});

t.test('stats drop to zero with the defaults (TBC 211): DesiredScale 0 one stable window after the last busy second, PA Inactive, activator probe, replicas 0 at once (the ProxyFor fast path)', async (t) => {
  let load = 50;
  const h = revisionUnderLoad(() => load);
  h.cluster.sim.schedule(10_000, () => { load = 0; });
  const reps = watchValue(h, DEPLOYMENTS, 'rev-deployment', (o) => String(o.spec?.replicas));
  const active = watchValue(h, PODAUTOSCALERS, 'rev', (o) => `${condition(o, 'Active')?.status}:${condition(o, 'Active')?.reason ?? ''}`);
  h.cluster.sim.run({ untilMs: 120_000 });
  const lastBusyMs = Math.max(...trace(h, 'autoscaler/scrape', { key: 'default/rev', ok: true }).filter((l) => (l.fields.concurrency as number) > 0).map((l) => l.atMs));
  const lastBusySecondMs = Math.floor(lastBusyMs / 1000) * 1000;
  const zero = trace(h, 'autoscaler/decider', { key: 'default/rev', desired: 0, changed: true })[0];
  t.ok(zero.atMs >= lastBusySecondMs + 60_000 && zero.atMs < lastBusySecondMs + 63_000, `DesiredScale 0 at ${zero.atMs} ms: the first tick once the last busy second (${lastBusySecondMs} ms) left the 60 s window`);
  const inactive = active.find((c) => c.value === 'False:NoTraffic')!;
  t.ok(inactive.atMs - zero.atMs < 20, 'Active for ≥ the stable window: the PA goes Inactive (NoTraffic) in the reconcile the decider triggered');
  t.equal(sks(h, 'rev')?.spec?.mode, 'Proxy');
  t.ok(h.probes.some((p) => p >= inactive.atMs && p - inactive.atMs < 50), 'the next reconcile probes the activator through the public service');
  t.same(reps.map((c) => c.value), ['0'], 'the only change to the Deployment: replicas 0');
  t.ok(reps[0].atMs - inactive.atMs < 50, 'the SKS has proxied for longer than the grace period: no wait');
  t.equal(pa(h, 'rev').status?.desiredScale, 0);
});

t.test('stats drop to zero with TBC 0 (SKS in Serve): PA Inactive and SKS to Proxy together, then replicas 0 one grace period (30 s) after Inactive', async (t) => {
  let load = 50;
  const h = revisionUnderLoad(() => load, { 'target-burst-capacity': '0' });
  h.cluster.sim.schedule(10_000, () => { load = 0; });
  const reps = watchValue(h, DEPLOYMENTS, 'rev-deployment', (o) => String(o.spec?.replicas));
  const modes = watchValue(h, SERVERLESSSERVICES, 'rev', (o) => String(o.spec?.mode));
  const active = watchValue(h, PODAUTOSCALERS, 'rev', (o) => `${condition(o, 'Active')?.status}`);
  h.cluster.sim.run({ untilMs: 150_000 });
  t.same(modes.map((c) => c.value), ['Proxy', 'Serve', 'Proxy'], 'Proxy until the first decision, Serve under load (EBC 0), Proxy for zero');
  const inactive = active.find((c) => c.value === 'False')!;
  const toProxy = modes[2];
  t.ok(Math.abs(toProxy.atMs - inactive.atMs) < 20, 'the reconcile that marks the PA Inactive switches the SKS to Proxy');
  const firstProbe = h.probes.find((p) => p >= inactive.atMs)!;
  // The probe goes through kube-proxy, which routes to the new (activator) endpoints within one
  // sync period; a probe that still reaches the pods fails and the async prober retries every second.
  t.ok(firstProbe - inactive.atMs < KUBE_PROXY_MIN_SYNC_PERIOD_MS + ASYNC_PROBE_PERIOD_MS + 100, `the activator answers a probe once kube-proxy routes the public service to it (${firstProbe - inactive.atMs} ms after Inactive)`);
  t.same(reps.map((c) => c.value), ['0']);
  const inactiveSecondMs = Math.floor(inactive.atMs / 1000) * 1000;
  t.ok(reps[0].atMs >= inactiveSecondMs + 30_000 && reps[0].atMs < inactive.atMs + 30_100,
    `replicas 0 at ${reps[0].atMs} ms: InactiveFor (from the second-precision transition time ${inactiveSecondMs} ms) reached the 30 s grace`);
});

t.test('an activator stat POSTed to the stat server at zero pokes an immediate tick: the PA is scaled from zero before the next 2 s tick', async (t) => {
  let load = 50;
  const h = revisionUnderLoad(() => load);
  h.cluster.sim.schedule(10_000, () => { load = 0; });
  h.cluster.sim.run({ untilMs: 100_000 });
  t.equal(replicas(h, 'rev'), 0, 'scaled to zero first');
  deletePod(h, 'rev-pod-1');
  h.cluster.sim.run({ untilMs: 180_500 });
  t.equal(pa(h, 'rev').status?.desiredScale, 0, 'no data for a stable window: the decider holds 0');
  const postAtMs = 180_700;
  const answers: number[] = [];
  h.cluster.sim.at(postAtMs, () => {
    h.http.send(AUTOSCALER_IP, PORTS.autoscalerStats, statBatchRequest([{ key: 'default/rev', stat: { averageConcurrentRequests: 1, averageProxiedConcurrentRequests: 0, requestCount: 1, proxiedRequestCount: 0 } }]),
      { fromIp: '10.1.0.10', timeoutMs: 1_000 }, (res) => answers.push(res.status));
  });
  h.cluster.sim.run({ untilMs: 181_000 });
  t.same(answers, [200]);
  const [received] = trace(h, 'autoscaler/stat', { key: 'default/rev' });
  t.equal(received.fields.at, Math.floor((1767225600000 + received.atMs) / 1000), 'stamped with the receipt time truncated to the second');
  const poke = trace(h, 'autoscaler/decider', { key: 'default/rev', event: 'poke' });
  t.equal(poke.length, 1, 'one poked tick');
  t.same([poke[0].fields.desired, poke[0].fields.changed], [1, true]);
  t.ok(poke[0].atMs - postAtMs < 5, 'the tick ran on receipt, not on the 2 s grid');
  t.equal(replicas(h, 'rev'), 1, 'the Deployment was patched back to 1 within the same half second');
  t.equal(condition(pa(h, 'rev'), 'Active')?.reason, 'Queued', 'want 1 with no ready pod: Activating');
});

t.test('max-scale bounds what is patched, and DesiredScale records the bounded value', async (t) => {
  const h = newHarness();
  addAutoscaler(h, 'autoscaler-a', AUTOSCALER_IP);
  serveActivator(h);
  createRevision(h, 'rev', { annotations: { 'autoscaling.knative.dev/max-scale': '2' } });
  createReadyPod(h, 'rev', 'rev-pod-1', POD_IP);
  serveQueueProxyStats(h, POD_IP, () => stat(700));
  h.cluster.sim.run({ untilMs: 10_000 });
  t.equal(trace(h, 'autoscaler/decider', { key: 'default/rev', event: 'tick' })[0].fields.desired, 10, 'the decider wants ceil(700 / 70) = 10');
  t.equal(replicas(h, 'rev'), 2);
  t.equal(pa(h, 'rev').status?.desiredScale, 2);
});
