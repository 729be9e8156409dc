import t from 'tap';
import { runSimulated } from '../../src/backends/sim/sim-backend.js';
import { codeScenario } from './scenario-fixture.js';

t.test('sim backend records objects, writes, requests, component events and per-revision series of a scale-to-zero run', async (t) => {
  const out = runSimulated(codeScenario(), { seed: 1, knative: 'latest' });
  const h = out.history;
  t.equal(h.endMs, 240_000);
  t.equal(h.knative, '1.20');
  t.ok(h.objects.some((o) => o.kind === 'Revision' && o.name === 'hello-00001'), 'the revision is in the object history');
  t.notOk(h.objects.some((o) => o.kind === 'Lease'), 'leases are left out');
  t.ok(h.writes.some((w) => w.component === 'user' && w.kind === 'Service' && w.verb === 'create'), 'the user created the Service');
  t.ok(h.writes.some((w) => w.component.startsWith('controller/') && w.kind === 'Revision'), 'the controller wrote the revision');
  t.ok(h.components.some((c) => c.component.startsWith('autoscaler/') && c.event === 'started'));
  t.ok(h.components.some((c) => c.event === 'leader'), 'leadership is recorded');
  t.equal(h.requests.length, 500, 'every request has an outcome (30 s + 20 s at 10 rps)');
  t.ok(h.requests.every((r) => r.status === 200), 'all served');
  const rev = h.series.filter((s) => s.revision === 'hello-00001');
  t.ok(rev.length > 200, 'sampled every second once the revision exists');
  t.ok(rev.some((s) => s.readyPods >= 1 && s.routed), 'ready and routed while warm');
  t.ok(rev.some((s) => s.atMs > 100_000 && s.atMs < 210_000 && s.pods === 0 && s.replicas === 0), 'scaled to zero in the idle gap');
  t.ok(rev.every((s) => s.sksMode === undefined || s.sksMode === 'Proxy') && rev.some((s) => s.sksMode === 'Proxy'), 'SKS stays in Proxy: at 10 rps one pod never covers the default burst capacity of 200');
  t.ok(rev.some((s) => s.inFlight > 0 || s.maxPodConcurrency > 0), 'in-flight requests sampled');
  t.ok(rev.some((s) => s.activatorQueue > 0), 'the cold start queued requests in the activator');
});

t.test('sim backend: the same seed gives the same trace hash and history; another seed another hash', async (t) => {
  const a = runSimulated(codeScenario(), { seed: 5, knative: 'latest' });
  const b = runSimulated(codeScenario(), { seed: 5, knative: 'latest' });
  const c = runSimulated(codeScenario(), { seed: 6, knative: 'latest' });
  t.equal(a.traceHash, b.traceHash);
  t.same(JSON.stringify(a.history.series), JSON.stringify(b.history.series));
  t.equal(a.history.objects.length, b.history.objects.length);
  t.not(a.traceHash, c.traceHash);
});

t.test('sim backend fires a user action when its trigger predicate holds', async (t) => {
  const scenario = codeScenario({
    durationMs: 90_000, workload: [],
    actions: [{
      id: 'label-when-ready', source: { file: '<code>', path: 'actions[0]' },
      trigger: { when: { kind: 'condition', objectKind: 'Revision', name: 'hello-00001', type: 'Ready', status: 'True' }, afterMs: 5_000 },
      apply: [{ source: { file: '<code>', path: 'actions[0].apply[0]' }, object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'marker', namespace: 'default' }, data: { a: 'b' } } }],
    }],
  });
  const h = runSimulated(scenario, { seed: 2, knative: 'latest' }).history;
  const ready = h.objects.find((o) => o.kind === 'Revision' && (o.object.status?.conditions ?? []).some((c: { type: string; status: string }) => c.type === 'Ready' && c.status === 'True'));
  const marker = h.objects.find((o) => o.kind === 'ConfigMap' && o.name === 'marker');
  t.ok(ready && marker, 'both happened');
  t.equal(marker!.atMs - ready!.atMs, 5_000, 'the action ran 5 s after the revision first became Ready');
});
