// The labeler alone against the API server; the test plays the Route and Configuration
// reconcilers (their status). Cases follow knative/serving pkg/reconciler/labeler/labeler_test.go
// (TestV2Reconcile): routes annotation and routingState on the Revisions and Configurations a
// Route references, cleanup once the Route is Ready, and the finalizer.
import t from 'tap';
import { deepCopy } from '../../../src/apiserver/deep-copy.js';
import type { KubeObject } from '../../../src/apiserver/types.js';
import { CONFIGURATIONS, REVISIONS, ROUTES } from '../../../src/knative/apis/resources.js';
import { ANNOTATIONS, LABELS } from '../../../src/knative/apis/serving-labels.js';
import { ROUTE_FINALIZER } from '../../../src/knative/controller/labeler-reconciler.js';
import { addReconcilers, find, must, newHarness, NS, patchStatus, run, type ControllerHarness } from './controller-fixtures.js';
import { revision } from './revision-fixtures.js';

type Json = Record<string, any>;

function setup(): ControllerHarness {
  const h = newHarness();
  addReconcilers(h, ['labeler']);
  return h;
}

function config(h: ControllerHarness, name: string, latestCreated: string): void {
  h.cluster.api.create(CONFIGURATIONS, { apiVersion: 'serving.knative.dev/v1', kind: 'Configuration', metadata: { name, namespace: NS }, spec: { template: { spec: { containers: [{ image: 'x' }] } } } });
  patchStatus(h, CONFIGURATIONS, name, { latestCreatedRevisionName: latestCreated });
}

function rev(h: ControllerHarness, name: string, configName = 'cfg'): void {
  const r = revision(name, { routingState: 'pending' });
  r.metadata.ownerReferences = [{ apiVersion: 'serving.knative.dev/v1', kind: 'Configuration', name: configName, uid: 'cfg-uid', controller: true }];
  h.cluster.api.create(REVISIONS, r);
}

function route(h: ControllerHarness, name: string, traffic: Json[]): KubeObject {
  return h.cluster.api.create(ROUTES, { apiVersion: 'serving.knative.dev/v1', kind: 'Route', metadata: { name, namespace: NS }, spec: { traffic } });
}

/** The route reconciler's part: Ready at the current generation with `traffic` as status. */
function routeReady(h: ControllerHarness, name: string, traffic: Json[]): void {
  const r = must(h, ROUTES, name);
  patchStatus(h, ROUTES, name, { observedGeneration: r.metadata.generation, traffic, conditions: [{ type: 'Ready', status: 'True' }] });
}

const state = (h: ControllerHarness, name: string): [string | undefined, string | undefined] => {
  const r = must(h, REVISIONS, name);
  return [r.metadata.labels?.[LABELS.routingState], r.metadata.annotations?.[ANNOTATIONS.routes]];
};

t.test('a latestRevision target marks the configuration\'s latest created revision active and the configuration routed', async (t) => {
  const h = setup();
  rev(h, 'cfg-00001');
  config(h, 'cfg', 'cfg-00001');
  route(h, 'r', [{ configurationName: 'cfg', percent: 100, latestRevision: true }]);
  run(h, 3_000);
  t.same(state(h, 'cfg-00001'), ['active', 'r']);
  t.not(must(h, REVISIONS, 'cfg-00001').metadata.annotations?.[ANNOTATIONS.routingStateModified], '2025-12-31T00:00:00Z', 'routingStateModified restamped');
  t.equal(must(h, CONFIGURATIONS, 'cfg').metadata.annotations?.[ANNOTATIONS.routes], 'r');
  t.same(must(h, ROUTES, 'r').metadata.finalizers, [ROUTE_FINALIZER]);
});

t.test('moving traffic: the old revision stays active until the Route is Ready at the new generation, then goes reserve', async (t) => {
  const h = setup();
  rev(h, 'cfg-00001');
  rev(h, 'cfg-00002');
  config(h, 'cfg', 'cfg-00002');
  route(h, 'r', [{ revisionName: 'cfg-00001', percent: 100, latestRevision: false }]);
  run(h, 3_000);
  routeReady(h, 'r', [{ revisionName: 'cfg-00001', percent: 100 }]);
  run(h, 2_000);
  t.same(state(h, 'cfg-00001'), ['active', 'r']);
  t.same(state(h, 'cfg-00002'), ['pending', undefined]);
  const moved = deepCopy(must(h, ROUTES, 'r'));
  moved.spec.traffic = [{ revisionName: 'cfg-00002', percent: 100, latestRevision: false }];
  h.cluster.api.update(ROUTES, moved);
  run(h, 3_000);
  t.same(state(h, 'cfg-00002'), ['active', 'r'], 'the new target is labelled at once');
  t.same(state(h, 'cfg-00001'), ['active', 'r'], 'the old one is kept while the Route has not observed the change');
  routeReady(h, 'r', [{ revisionName: 'cfg-00002', percent: 100 }]);
  run(h, 3_000);
  t.same(state(h, 'cfg-00001'), ['reserve', undefined]);
  t.same(state(h, 'cfg-00002'), ['active', 'r']);
});

t.test('two routes share a revision: the annotation lists both, sorted; one leaving keeps it active', async (t) => {
  const h = setup();
  rev(h, 'cfg-00001');
  rev(h, 'cfg-00002');
  route(h, 'zeta', [{ revisionName: 'cfg-00001', percent: 100, latestRevision: false }]);
  route(h, 'alpha', [{ revisionName: 'cfg-00001', percent: 100, latestRevision: false }]);
  run(h, 3_000);
  t.same(state(h, 'cfg-00001'), ['active', 'alpha,zeta']);
  const moved = deepCopy(must(h, ROUTES, 'zeta'));
  moved.spec.traffic = [{ revisionName: 'cfg-00002', percent: 100, latestRevision: false }];
  h.cluster.api.update(ROUTES, moved);
  run(h, 1_000);
  routeReady(h, 'zeta', [{ revisionName: 'cfg-00002', percent: 100 }]);
  run(h, 3_000);
  t.same(state(h, 'cfg-00001'), ['active', 'alpha']);
});

t.test('deleting the Route: the finalizer clears it from its revisions (reserve) and configurations, then lets it go', async (t) => {
  const h = setup();
  rev(h, 'cfg-00001');
  config(h, 'cfg', 'cfg-00001');
  route(h, 'r', [{ configurationName: 'cfg', percent: 100, latestRevision: true }]);
  run(h, 3_000);
  t.same(state(h, 'cfg-00001'), ['active', 'r']);
  h.cluster.api.delete(ROUTES, 'r', { namespace: NS });
  run(h, 3_000);
  t.equal(find(h, ROUTES, 'r'), undefined, 'the finalizer was removed');
  t.same(state(h, 'cfg-00001'), ['reserve', undefined]);
  t.equal(must(h, CONFIGURATIONS, 'cfg').metadata.annotations?.[ANNOTATIONS.routes], undefined);
});
