import t from 'tap';
import { HistoryQueries, isOfKind } from '../../src/oracles/history-queries.js';
import { HistoryBuilder, HOST, NS, servedRevision } from './history-builder.js';

t.test('condition timeline merges versions with the same status and reads the status at any instant', async (t) => {
  const b = new HistoryBuilder();
  servedRevision(b, { readyMs: 24_000 });
  b.conditions('Revision', 'hello-00001', 100_000, { Ready: ['False', 'ProgressDeadlineExceeded', 'Initial scale was never achieved'] });
  b.conditions('Revision', 'hello-00001', 100_000, { Ready: ['False', 'ProgressDeadlineExceeded', 'again'] });
  b.delete('Revision', 'hello-00001', 200_000);
  const q = new HistoryQueries(b.build());
  const rev = q.timeline('Revision', NS, 'hello-00001');
  t.ok(rev);
  if (rev === undefined) return;
  const segments = HistoryQueries.conditionTimeline(rev, 'Ready');
  t.same(segments.map((s) => [s.fromMs, s.status]), [[15_000, 'Unknown'], [24_000, 'True'], [100_000, 'False'], [200_000, 'absent']]);
  t.equal(segments[2].reason, 'ProgressDeadlineExceeded');
  t.equal(HistoryQueries.conditionAt(rev, 'Ready', 14_999), 'absent', 'before creation');
  t.equal(HistoryQueries.conditionAt(rev, 'Ready', 23_999), 'Unknown');
  t.equal(HistoryQueries.conditionAt(rev, 'Ready', 24_000), 'True', 'a version counts from its own instant');
  t.equal(HistoryQueries.conditionAt(rev, 'Ready', 250_000), 'absent', 'after deletion');
  t.equal(rev.deletedMs, 200_000);
  t.equal(rev.label, 'Revision default/hello-00001');
});

t.test('a bare Service kind means the Knative Service, not a core one of the same name', async (t) => {
  const b = new HistoryBuilder();
  b.service('hello', 1_000);
  b.object('Service', 'hello', 1_000, (o) => { o.apiVersion = 'v1'; o.spec = { clusterIP: '10.0.0.1' }; }, { namespace: 'other' });
  const q = new HistoryQueries(b.build());
  t.same(q.objectsOfKind('Service').map((o) => o.apiVersion), ['serving.knative.dev/v1']);
  t.notOk(isOfKind({ kind: 'Service', apiVersion: 'v1' }, 'Service'));
  t.ok(isOfKind({ kind: 'Pod', apiVersion: 'v1' }, 'Pod'));
});

t.test('scale settings read the annotations with the legacy aliases over config-autoscaler defaults', async (t) => {
  const b = new HistoryBuilder();
  b.revision('a-00001', 0, { annotations: { 'autoscaling.knative.dev/minScale': '2', 'autoscaling.knative.dev/max-scale': '5' } });
  b.revision('b-00001', 0, { annotations: { 'autoscaling.knative.dev/initial-scale': '0' } });
  b.revision('c-00001', 0, { annotations: { 'autoscaling.knative.dev/min-scale': '3', 'autoscaling.knative.dev/minScale': '1' } });
  b.configMap('config-autoscaler', 10_000, { 'allow-zero-initial-scale': 'true', 'max-scale': '10' });
  const q = new HistoryQueries(b.build());
  t.same(q.scaleSettingsAt(NS, 'a-00001', 5_000), { minScale: 2, maxScale: 5, initialScale: 1 });
  t.same(q.scaleSettingsAt(NS, 'b-00001', 5_000), { minScale: 0, maxScale: 0, initialScale: 1 }, 'initial-scale 0 needs allow-zero-initial-scale');
  t.same(q.scaleSettingsAt(NS, 'b-00001', 20_000), { minScale: 0, maxScale: 10, initialScale: 0 }, 'the ConfigMap change counts from its time');
  t.equal(q.scaleSettingsAt(NS, 'c-00001', 5_000).minScale, 3, 'the preferred key wins over the alias');
  t.equal(q.deploymentOf(NS, 'a-00001'), 'a-00001-deployment');
});

t.test('a request maps to its recorded revision, else to the revisions its Route sent traffic to on arrival', async (t) => {
  const b = new HistoryBuilder();
  b.revision('hello-00001', 0);
  b.route('hello', 10_000, { 'hello-00001': 100 });
  b.route('hello', 50_000, { 'hello-00001': 50, 'hello-00002': 50 });
  b.request({ arrivalMs: 20_000, revision: 'hello-00001' });
  b.request({ arrivalMs: 30_000, revision: undefined });
  b.request({ arrivalMs: 60_000, revision: undefined });
  b.request({ arrivalMs: 60_000, revision: undefined, host: 'other.default.svc.cluster.local' });
  const history = b.build();
  const q = new HistoryQueries(history);
  t.same(history.requests.map((o) => q.requestRevisions(o).map((r) => r.name)), [['hello-00001'], ['hello-00001'], ['hello-00001', 'hello-00002'], []]);
  t.equal(history.requests[0].host, HOST);
});

t.test('ready pods come from recorded Pods when there are any, else from the samples around the instant', async (t) => {
  const b = new HistoryBuilder();
  b.pod('hello-00001', 'p1', 1_000, { ready: false }).pod('hello-00001', 'p1', 5_300, { ready: true });
  b.pod('hello-00001', 'p2', 1_000, { ready: true }).pod('hello-00001', 'p2', 8_000, { ready: true, terminating: true });
  b.samples('hello-00002', { fromMs: 0, toMs: 10_000 }, (at) => ({ readyPods: at >= 6_000 ? 2 : 0 }));
  const q = new HistoryQueries(b.build());
  t.same([5_299, 5_300, 8_000].map((at) => q.readyPodsAt(NS, 'hello-00001', at).readyPods), [1, 2, 1]);
  t.equal(q.readyPodsAt(NS, 'hello-00001', 0).source, 'pods');
  t.same(q.readyPodsAt(NS, 'hello-00002', 5_500), { readyPods: 2, source: 'series' }, 'the next sample counts');
  t.equal(q.readyPodsAt(NS, 'hello-00002', 5_500, { sampled: 'before' }).readyPods, 0);
  t.equal(q.peakReadyPods(NS, 'hello-00001', 9_000), 2);
});

t.test('faults are active from firing to healing; settling waits for heals but not for self-healing families', async (t) => {
  const healed = new HistoryBuilder().fault('p', 'partition', 10_000, 40_000).fault('c', 'crash', 50_000).build();
  const q = new HistoryQueries(healed);
  t.same([9_999, 10_000, 39_999, 40_000].map((at) => q.faultActiveAt(at)), [false, true, true, false]);
  t.ok(q.faultActiveAt(70_000), 'a fault that never heals stays active');
  t.equal(q.faultsSettledMs(), 50_000, 'a crash is over once it fires');
  t.equal(new HistoryQueries(new HistoryBuilder().fault('p', 'partition', 10_000).build()).faultsSettledMs(), null);
  t.equal(new HistoryQueries(new HistoryBuilder().build()).faultsSettledMs(), 0);
});
