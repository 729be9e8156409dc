// The Service reconciler alone against the API server; the test plays the Configuration and Route
// reconcilers (their status). Cases follow knative/serving pkg/reconciler/service/service_test.go.
import t from 'tap';
import { deepCopy } from '../../../src/apiserver/deep-copy.js';
import { CONFIGURATIONS, KSERVICES, ROUTES } from '../../../src/knative/apis/resources.js';
import { ANNOTATIONS, LABELS } from '../../../src/knative/apis/serving-labels.js';
import { addReconcilers, cond, ksvc, must, newHarness, NS, patchStatus, run, type ControllerHarness } from './controller-fixtures.js';

function setup(): ControllerHarness {
  const h = newHarness();
  addReconcilers(h, ['service']);
  return h;
}

function configReady(h: ControllerHarness, name: string, rev: string): void {
  patchStatus(h, CONFIGURATIONS, name, { observedGeneration: must(h, CONFIGURATIONS, name).metadata.generation, latestCreatedRevisionName: rev, latestReadyRevisionName: rev, conditions: [{ type: 'Ready', status: 'True' }] });
}

function routeReady(h: ControllerHarness, name: string, rev: string): void {
  patchStatus(h, ROUTES, name, {
    observedGeneration: must(h, ROUTES, name).metadata.generation, url: `http://${name}.default.svc.cluster.local`,
    address: { url: `http://${name}.default.svc.cluster.local` }, traffic: [{ revisionName: rev, latestRevision: true, percent: 100 }],
    conditions: [{ type: 'Ready', status: 'True' }],
  });
}

t.test('a Service makes a Configuration and a Route of its name, owned, with the defaults the webhook would set', async (t) => {
  const h = setup();
  const svc = h.cluster.api.create(KSERVICES, ksvc('svc'));
  run(h, 3_000);
  const config = must(h, CONFIGURATIONS, 'svc');
  const route = must(h, ROUTES, 'svc');
  for (const child of [config, route]) t.match(child.metadata.ownerReferences, [{ kind: 'Service', name: 'svc', uid: svc.metadata.uid, controller: true }]);
  t.match(config.metadata.labels, { [LABELS.service]: 'svc', [LABELS.serviceUID]: svc.metadata.uid });
  t.equal(config.metadata.annotations?.[ANNOTATIONS.routes], 'svc', 'the configuration lists its route from the start');
  t.match(config.spec.template.spec, { timeoutSeconds: 300, containerConcurrency: 0, containers: [{ name: 'user-container', image: 'busybox', readinessProbe: { successThreshold: 1 } }] });
  t.same(route.spec.traffic, [{ percent: 100, latestRevision: true, configurationName: 'svc' }], 'empty traffic is 100% latest');
  t.match(route.metadata.labels, { [LABELS.service]: 'svc' });
  const got = must(h, KSERVICES, 'svc');
  t.match(cond(got, 'ConfigurationsReady'), { status: 'Unknown', reason: 'OutOfDate' });
  t.match(cond(got, 'RoutesReady'), { status: 'Unknown', reason: 'OutOfDate' });
  t.equal(got.status.observedGeneration, 1);
});

t.test('status propagates: Ready with url, address, traffic and revision names once the Configuration and Route are', async (t) => {
  const h = setup();
  h.cluster.api.create(KSERVICES, ksvc('svc'));
  run(h, 3_000);
  configReady(h, 'svc', 'svc-00001');
  routeReady(h, 'svc', 'svc-00001');
  run(h, 2_000);
  const got = must(h, KSERVICES, 'svc');
  t.same(['ConfigurationsReady', 'RoutesReady', 'Ready'].map((c) => cond(got, c)?.status), ['True', 'True', 'True']);
  t.equal(got.status.url, 'http://svc.default.svc.cluster.local');
  t.same(got.status.address, { url: 'http://svc.default.svc.cluster.local' });
  t.equal(got.status.latestReadyRevisionName, 'svc-00001');
  t.equal(got.status.latestCreatedRevisionName, 'svc-00001');
  t.same(got.status.traffic, [{ revisionName: 'svc-00001', latestRevision: true, percent: 100 }]);
});

t.test('a new latest ready revision not yet in the Route\'s status traffic: RoutesReady Unknown TrafficNotMigrated', async (t) => {
  const h = setup();
  h.cluster.api.create(KSERVICES, ksvc('svc'));
  run(h, 3_000);
  configReady(h, 'svc', 'svc-00001');
  routeReady(h, 'svc', 'svc-00001');
  run(h, 2_000);
  configReady(h, 'svc', 'svc-00002');
  run(h, 2_000);
  const got = must(h, KSERVICES, 'svc');
  t.match(cond(got, 'RoutesReady'), { status: 'Unknown', reason: 'TrafficNotMigrated', message: 'Traffic is not yet migrated to the latest revision.' });
  t.equal(cond(got, 'Ready')?.status, 'Unknown');
});

t.test('a changed Service template clobbers the Configuration spec; a changed traffic the Route spec', async (t) => {
  const h = setup();
  h.cluster.api.create(KSERVICES, ksvc('svc'));
  run(h, 3_000);
  const next = deepCopy(must(h, KSERVICES, 'svc'));
  next.spec.template.spec.containers[0].image = 'busybox:2';
  next.spec.traffic = [{ latestRevision: true, percent: 50 }, { revisionName: 'svc-00001', percent: 50 }];
  h.cluster.api.update(KSERVICES, next);
  run(h, 3_000);
  const config = must(h, CONFIGURATIONS, 'svc');
  t.equal(config.spec.template.spec.containers[0].image, 'busybox:2');
  t.equal(config.metadata.generation, 2);
  t.same(must(h, ROUTES, 'svc').spec.traffic, [
    { latestRevision: true, percent: 50, configurationName: 'svc' },
    { revisionName: 'svc-00001', percent: 50, latestRevision: false },
  ]);
  run(h, 3_000);
  t.equal(must(h, CONFIGURATIONS, 'svc').metadata.generation, 2, 'no further writes once equal');
});

t.test('a Configuration of that name owned by someone else: ConfigurationsReady False NotOwned', async (t) => {
  const h = setup();
  h.cluster.api.create(CONFIGURATIONS, { apiVersion: 'serving.knative.dev/v1', kind: 'Configuration', metadata: { name: 'svc', namespace: NS }, spec: { template: { spec: { containers: [{ image: 'x' }] } } } });
  h.cluster.api.create(KSERVICES, ksvc('svc'));
  run(h, 3_000);
  t.match(cond(must(h, KSERVICES, 'svc'), 'ConfigurationsReady'), { status: 'False', reason: 'NotOwned', message: 'There is an existing Configuration "svc" that we do not own.' });
});
