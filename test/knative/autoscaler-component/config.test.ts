// config-autoscaler and config-deployment in the autoscaler: a stored change resyncs every KPA PA
// (deciders and Metrics follow), an invalid change keeps the last good config, and a missing or
// invalid config at startup is fatal (knative.dev/pkg configmap store: Fatalf on the first load).
import t from 'tap';
import { METRICS } from '../../../src/knative/apis/resources.js';
import { CONFIGMAPS } from '../../../src/kube/resources.js';
import { KNATIVE_NAMESPACE } from '../../../src/knative/serving-system.js';
import {
  addAutoscaler, createReadyPod, createRevision, newHarness, pa, serveActivator, serveQueueProxyStats, setConfig, trace, type Harness,
} from './harness.js';

/** Three ready pods reporting 50 each: 150 in all, no panic (ceil(150/70) = 3 pods for 3 ready). */
function threePods(): Harness {
  const h = newHarness();
  serveActivator(h);
  addAutoscaler(h);
  createRevision(h, 'rev', { replicas: 3 });
  for (const i of [1, 2, 3]) {
    createReadyPod(h, 'rev', `rev-pod-${i}`, `10.3.0.${i}`);
    serveQueueProxyStats(h, `10.3.0.${i}`, () => ({ podName: `rev-pod-${i}`, averageConcurrentRequests: 50, averageProxiedConcurrentRequests: 0, requestCount: 50, proxiedRequestCount: 0 }));
  }
  return h;
}

function metricSpec(h: Harness): Record<string, unknown> {
  return h.cluster.api.get(METRICS, 'rev', { namespace: 'default' }).spec as Record<string, unknown>;
}

t.test('a config-autoscaler change resyncs every KPA PA: the decider takes the new target and the Metric the new windows (TestGlobalResyncOnUpdateAutoscalerConfigMap)', async (t) => {
  const h = threePods();
  h.cluster.sim.run({ untilMs: 90_000 });
  t.equal(pa(h, 'rev').status?.desiredScale, 3);
  t.same(metricSpec(h), { stableWindow: 60e9, panicWindow: 6e9, scrapeTarget: 'rev-private' }, 'windows in nanoseconds, as time.Duration marshals');
  setConfig(h, 'config-autoscaler', { 'container-concurrency-target-default': '200', 'stable-window': '120s' });
  const changedAtMs = h.cluster.sim.nowMs;
  h.cluster.sim.run({ untilMs: 100_000 });
  t.equal(trace(h, 'autoscaler/config', { name: 'config-autoscaler', event: 'stored' }).length, 2, 'the new version was stored');
  t.same(metricSpec(h), { stableWindow: 120e9, panicWindow: 12e9, scrapeTarget: 'rev-private' }, 'the Metric follows the new stable window');
  const [after] = trace(h, 'autoscaler/decider', { key: 'default/rev', changed: true }).filter((l) => l.atMs > changedAtMs);
  t.ok(after && after.atMs - changedAtMs <= 2_000, 'the next tick uses the updated decider spec');
  t.equal(after.fields.desired, 2, 'ceil(150 / (200 × 0.7)) = 2');
  t.equal(pa(h, 'rev').status?.desiredScale, 2);
});

t.test('an invalid config-autoscaler keeps the last good config, with a trace line saying so', async (t) => {
  const h = threePods();
  h.cluster.sim.run({ untilMs: 90_000 });
  setConfig(h, 'config-autoscaler', { 'container-concurrency-target-default': '200', 'stable-window': 'a minute' });
  h.cluster.sim.run({ untilMs: 100_000 });
  const [rejected] = trace(h, 'autoscaler/config', { name: 'config-autoscaler', event: 'rejected' });
  t.ok(rejected, 'rejected');
  t.match(String(rejected.fields.error), /stable-window/);
  t.same(metricSpec(h), { stableWindow: 60e9, panicWindow: 6e9, scrapeTarget: 'rev-private' }, 'windows unchanged');
  t.equal(pa(h, 'rev').status?.desiredScale, 3, 'the target is unchanged too (the valid key of the rejected version is not applied)');
  t.equal(h.cluster.component('autoscaler-a').state, 'running');
});

t.test('a missing config-deployment at startup is fatal: the autoscaler process exits before reconciling anything', async (t) => {
  const h = newHarness();
  h.cluster.api.delete(CONFIGMAPS, 'config-deployment', { namespace: KNATIVE_NAMESPACE });
  createRevision(h, 'rev');
  const autoscaler = addAutoscaler(h);
  h.cluster.sim.run({ untilMs: 5_000 });
  const [fatal] = trace(h, 'autoscaler/fatal');
  t.match(String(fatal?.fields.reason), /configmap "config-deployment" not found/);
  t.equal(autoscaler.state, 'crashed', 'no pod runtime container to exit in this harness: the component itself is crashed');
  t.equal(trace(h, 'autoscaler/kpa').length, 0);
});

t.test('an invalid config-autoscaler at startup is fatal', async (t) => {
  const h = newHarness({ autoscalerConfig: { 'max-scale-up-rate': '0.5' } });
  const autoscaler = addAutoscaler(h);
  h.cluster.sim.run({ untilMs: 5_000 });
  t.same(trace(h, 'autoscaler/config', { name: 'config-autoscaler' }).map((l) => l.fields.event), ['invalid-initial']);
  t.equal(trace(h, 'autoscaler/fatal').length, 1);
  t.equal(autoscaler.state, 'crashed');
});
