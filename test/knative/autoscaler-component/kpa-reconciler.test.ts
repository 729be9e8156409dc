// The KPA and Metric reconcilers' wiring against the API server, after the cases of knative/serving
// pkg/reconciler/autoscaling/kpa/kpa_test.go and pkg/reconciler/metric/metric_test.go that need
// the controller around ReconcileKind: class filtering, ownership, the SKS prerequisite, decider
// lifetime, decider creation errors, scrape targets and the Metric's status.
import t from 'tap';
import { METRICS, PODAUTOSCALERS, SERVERLESSSERVICES } from '../../../src/knative/apis/resources.js';
import {
  addAutoscaler, condition, createReadyPod, createRevision, newHarness, pa, serveActivator, serveQueueProxyStats, sks, trace,
} from './harness.js';

t.test('PAs of another class, or without the class annotation, are not reconciled', async (t) => {
  const h = newHarness();
  addAutoscaler(h);
  createRevision(h, 'hpa', { annotations: { 'autoscaling.knative.dev/class': 'hpa.autoscaling.knative.dev' } });
  createRevision(h, 'kpa');
  h.cluster.sim.run({ untilMs: 5_000 });
  t.equal(sks(h, 'hpa'), undefined, 'no SKS for the HPA-class PA');
  t.same(pa(h, 'hpa').status ?? {}, {}, 'and no status');
  t.ok(sks(h, 'kpa'), 'the KPA-class PA got its SKS');
  t.same(trace(h, 'autoscaler/decider', { event: 'create' }).map((l) => l.fields.key), ['default/kpa']);
});

t.test('until the SKS reports a private service: SKS created in Proxy with 2 activators and owned by the PA; SKSReady Unknown (No Private Service Name); no decider', async (t) => {
  const h = newHarness({ sksStandIn: false });
  addAutoscaler(h);
  createRevision(h, 'rev');
  h.cluster.sim.run({ untilMs: 5_000 });
  const s = sks(h, 'rev')!;
  t.same([s.spec?.mode, s.spec?.numActivators], ['Proxy', 2]);
  t.same(s.metadata.ownerReferences?.map((r) => [r.kind, r.name, r.uid, r.controller]), [['PodAutoscaler', 'rev', pa(h, 'rev').metadata.uid, true]]);
  t.equal(s.metadata.annotations?.['autoscaling.knative.dev/class'], 'kpa.autoscaling.knative.dev', 'annotations copied (so SKS events pass the class filter)');
  const status = pa(h, 'rev').status!;
  t.same(condition(pa(h, 'rev'), 'SKSReady'), { type: 'SKSReady', status: 'Unknown', severity: '', lastTransitionTime: '2026-01-01T00:00:00Z', reason: 'NotReady', message: 'No Private Service Name' });
  t.equal(condition(pa(h, 'rev'), 'Active')?.reason, 'Queued');
  t.equal(status.desiredScale, -1);
  t.equal(status.observedGeneration, 1);
  t.equal(trace(h, 'autoscaler/decider').length, 0);
  t.equal(h.cluster.api.list(METRICS).items.length, 0, 'no Metric yet either');
});

t.test('an SKS of the same name not controlled by the PA: the PA goes Inactive (NotOwned) and the reconcile fails', async (t) => {
  const h = newHarness({ sksStandIn: false });
  h.cluster.api.create(SERVERLESSSERVICES, { apiVersion: 'networking.internal.knative.dev/v1alpha1', kind: 'ServerlessService', metadata: { name: 'rev', namespace: 'default' }, spec: { mode: 'Serve' } });
  addAutoscaler(h);
  createRevision(h, 'rev');
  h.cluster.sim.run({ untilMs: 5_000 });
  const active = condition(pa(h, 'rev'), 'Active') as { status: string; reason?: string; message?: string };
  t.same([active.status, active.reason, active.message], ['False', 'NotOwned', 'There is an existing ServerlessService "rev" that we do not own.']);
  t.match(String(trace(h, 'reconcile-error', { ctl: 'kpa' })[0]?.fields.error), /error reconciling SKS: PA: rev does not own ServerlessService: rev/);
  t.equal(sks(h, 'rev')?.spec?.mode, 'Serve', 'the foreign SKS is left alone');
});

t.test('TestReconcileDeciderCreatesAndDeletes: the decider comes with the PA and goes when it is deleted', async (t) => {
  const h = newHarness();
  serveActivator(h);
  addAutoscaler(h);
  createRevision(h, 'rev');
  createReadyPod(h, 'rev', 'rev-pod-1', '10.3.0.1');
  h.cluster.sim.run({ untilMs: 5_000 });
  t.equal(condition(pa(h, 'rev'), 'Ready')?.status, 'True');
  h.cluster.api.delete(PODAUTOSCALERS, 'rev', { namespace: 'default' });
  h.cluster.sim.run({ untilMs: 10_000 });
  t.same(trace(h, 'autoscaler/decider', { key: 'default/rev' }).map((l) => l.fields.event).filter((e) => e !== 'tick'), ['create', 'delete']);
  const deletedAt = trace(h, 'autoscaler/decider', { key: 'default/rev', event: 'delete' })[0].atMs;
  t.equal(trace(h, 'autoscaler/decider', { key: 'default/rev', event: 'tick' }).filter((l) => l.atMs > deletedAt).length, 0, 'no tick after the delete');
});

t.test('a PA without its configuration label cannot get a decider: the reconcile fails (and is retried)', async (t) => {
  const h = newHarness();
  addAutoscaler(h);
  createRevision(h, 'rev', { labels: { 'serving.knative.dev/revision': 'rev' } });
  h.cluster.sim.run({ untilMs: 5_000 });
  const errors = trace(h, 'reconcile-error', { ctl: 'kpa', key: 'default/rev' });
  t.ok(errors.length >= 2, 'retried with backoff');
  t.match(String(errors[0].fields.error), /error creating Decider: label "serving\.knative\.dev\/configuration" not found or empty in Decider rev/);
  t.equal(trace(h, 'autoscaler/decider').length, 0);
});

t.test('the Metric: scrape target <rev>-private and Ready while scrapes succeed; CollectionFailed once they fail (the collector re-enqueues it)', async (t) => {
  const h = newHarness();
  serveActivator(h);
  addAutoscaler(h);
  createRevision(h, 'rev');
  createReadyPod(h, 'rev', 'rev-pod-1', '10.3.0.1');
  const stop = serveQueueProxyStats(h, '10.3.0.1', () => ({ averageConcurrentRequests: 1, averageProxiedConcurrentRequests: 0, requestCount: 1, proxiedRequestCount: 0 }));
  h.cluster.sim.run({ untilMs: 5_000 });
  const metric = () => h.cluster.api.get(METRICS, 'rev', { namespace: 'default' });
  t.equal(metric().spec?.scrapeTarget, 'rev-private');
  t.equal(condition(metric(), 'Ready')?.status, 'True');
  t.same(metric().metadata.ownerReferences?.map((r) => r.name), ['rev']);
  stop();
  h.cluster.sim.run({ untilMs: 7_000 });
  const ready = condition(metric(), 'Ready') as { status: string; reason?: string; message?: string };
  t.same([ready.status, ready.reason, ready.message], ['False', 'CollectionFailed', 'Failed to reconcile metric collection: pods exhausted']);
});

t.test('TestResolveScrapeTarget: target-burst-capacity -1 means no scrape target, so nothing is scraped and only activator stats count', async (t) => {
  const h = newHarness();
  serveActivator(h);
  addAutoscaler(h);
  createRevision(h, 'rev', { annotations: { 'autoscaling.knative.dev/target-burst-capacity': '-1' } });
  createReadyPod(h, 'rev', 'rev-pod-1', '10.3.0.1');
  let scraped = 0;
  serveQueueProxyStats(h, '10.3.0.1', () => { scraped++; return { averageConcurrentRequests: 1, averageProxiedConcurrentRequests: 0, requestCount: 1, proxiedRequestCount: 0 }; });
  h.cluster.sim.run({ untilMs: 10_000 });
  t.equal(h.cluster.api.get(METRICS, 'rev', { namespace: 'default' }).spec?.scrapeTarget, '');
  t.equal(scraped, 0);
  t.equal(trace(h, 'autoscaler/decider', { key: 'default/rev', event: 'tick' })[0].fields.desired, 0, 'empty buckets are not ErrNoData without a scrape target: the decider says 0 at once');
  t.equal(pa(h, 'rev').status?.desiredScale, 1, 'and the scaler holds 1 pod for the rest of the stable window');
});
