// The Configuration reconciler against the real API server, alone (the test plays the revision
// reconciler by writing Revision status). Cases follow knative/serving
// pkg/reconciler/configuration/configuration_test.go TestReconcile.
import t from 'tap';
import { deepCopy } from '../../../src/apiserver/deep-copy.js';
import type { KubeObject } from '../../../src/apiserver/types.js';
import { CONFIGURATIONS, REVISIONS } from '../../../src/knative/apis/resources.js';
import { LABELS, ANNOTATIONS } from '../../../src/knative/apis/serving-labels.js';
import { addReconcilers, cond, find, must, newHarness, NS, patchStatus, run, type ControllerHarness } from './controller-fixtures.js';

function configuration(name: string, spec: Record<string, unknown> = { containers: [{ image: 'busybox' }] }, meta: Partial<KubeObject['metadata']> = {}): KubeObject {
  return { apiVersion: 'serving.knative.dev/v1', kind: 'Configuration', metadata: { name, namespace: NS, ...meta }, spec: { template: { spec } } };
}

function markRevision(h: ControllerHarness, name: string, status: 'True' | 'False' | 'Unknown', message = ''): void {
  const rev = must(h, REVISIONS, name);
  patchStatus(h, REVISIONS, name, { observedGeneration: rev.metadata.generation, conditions: [{ type: 'Ready', status, reason: status === 'False' ? 'ExitCode1' : undefined, message }] });
}

function setup(): ControllerHarness {
  const h = newHarness();
  addReconcilers(h, ['configuration']);
  return h;
}

t.test('create revision matching generation: <config>-00001, labelled, pending, owned; Ready Unknown', async (t) => {
  const h = setup();
  const config = h.cluster.api.create(CONFIGURATIONS, configuration('no-revisions-yet', undefined, { labels: { [LABELS.service]: 'svc' } }));
  run(h, 3_000);
  const rev = must(h, REVISIONS, 'no-revisions-yet-00001');
  t.match(rev.metadata.labels, {
    [LABELS.configuration]: 'no-revisions-yet', [LABELS.configurationGeneration]: '1', [LABELS.configurationUID]: config.metadata.uid,
    [LABELS.service]: 'svc', [LABELS.routingState]: 'pending',
  });
  t.ok(rev.metadata.annotations?.[ANNOTATIONS.routingStateModified], 'routingStateModified stamped');
  t.match(rev.metadata.ownerReferences, [{ kind: 'Configuration', name: 'no-revisions-yet', uid: config.metadata.uid, controller: true, blockOwnerDeletion: true }]);
  const got = must(h, CONFIGURATIONS, 'no-revisions-yet');
  t.equal(got.status.latestCreatedRevisionName, 'no-revisions-yet-00001');
  t.equal(got.status.latestReadyRevisionName, undefined);
  t.equal(got.status.observedGeneration, 1);
  t.equal(cond(got, 'Ready')?.status, 'Unknown');
});

t.test('the webhook defaults are on the revision: timeout 300, containerConcurrency 0, user-container, TCP readiness probe', async (t) => {
  const h = setup();
  h.cluster.api.create(CONFIGURATIONS, configuration('defaulted'));
  run(h, 3_000);
  const rev = must(h, REVISIONS, 'defaulted-00001');
  t.equal(rev.spec.timeoutSeconds, 300);
  t.equal(rev.spec.containerConcurrency, 0);
  t.equal(rev.spec.responseStartTimeoutSeconds, undefined, 'the response-start default equals the timeout, so it is not set');
  t.same(rev.spec.containers[0].name, 'user-container');
  t.same(rev.spec.containers[0].readinessProbe, { tcpSocket: { port: 0 }, successThreshold: 1 });
});

t.test('a Configuration that lists routes creates its revision active (the #6733 fix)', async (t) => {
  const h = setup();
  h.cluster.api.create(CONFIGURATIONS, configuration('routed', undefined, { annotations: { [ANNOTATIONS.routes]: 'routed' } }));
  run(h, 3_000);
  const rev = must(h, REVISIONS, 'routed-00001');
  t.equal(rev.metadata.labels?.[LABELS.routingState], 'active');
  t.equal(rev.metadata.annotations?.[ANNOTATIONS.routes], 'routed');
});

t.test('latest revision ready: LatestReadyRevisionName set and Ready True', async (t) => {
  const h = setup();
  h.cluster.api.create(CONFIGURATIONS, configuration('become-ready'));
  run(h, 3_000);
  markRevision(h, 'become-ready-00001', 'True');
  run(h, 2_000);
  const got = must(h, CONFIGURATIONS, 'become-ready');
  t.equal(got.status.latestReadyRevisionName, 'become-ready-00001');
  t.equal(cond(got, 'Ready')?.status, 'True');
});

t.test('a new generation creates -00002; latest ready stays -00001 and Ready is Unknown until -00002 is ready', async (t) => {
  const h = setup();
  h.cluster.api.create(CONFIGURATIONS, configuration('rollout'));
  run(h, 3_000);
  markRevision(h, 'rollout-00001', 'True');
  run(h, 2_000);
  const next = deepCopy(must(h, CONFIGURATIONS, 'rollout'));
  next.spec.template.spec.containers[0].image = 'busybox:2';
  h.cluster.api.update(CONFIGURATIONS, next);
  run(h, 2_000);
  let got = must(h, CONFIGURATIONS, 'rollout');
  t.equal(got.status.latestCreatedRevisionName, 'rollout-00002');
  t.equal(got.status.latestReadyRevisionName, 'rollout-00001');
  t.equal(cond(got, 'Ready')?.status, 'Unknown');
  t.equal(must(h, REVISIONS, 'rollout-00002').spec.containers[0].image, 'busybox:2');
  markRevision(h, 'rollout-00002', 'True');
  run(h, 2_000);
  got = must(h, CONFIGURATIONS, 'rollout');
  t.equal(got.status.latestReadyRevisionName, 'rollout-00002');
  t.equal(cond(got, 'Ready')?.status, 'True');
});

t.test('latest created revision failed: Ready False RevisionFailed, latest ready unchanged', async (t) => {
  const h = setup();
  h.cluster.api.create(CONFIGURATIONS, configuration('fails'));
  run(h, 3_000);
  markRevision(h, 'fails-00001', 'False', 'boom');
  run(h, 2_000);
  const got = must(h, CONFIGURATIONS, 'fails');
  t.match(cond(got, 'Ready'), { status: 'False', reason: 'RevisionFailed', message: 'Revision "fails-00001" failed with message: boom.' });
  t.equal(got.status.latestReadyRevisionName, undefined);
});

t.test('a BYO revision name is used; one taken by another Configuration fails Ready with RevisionFailed', async (t) => {
  const h = setup();
  const byo = configuration('byo');
  byo.spec.template.metadata = { name: 'byo-custom' };
  h.cluster.api.create(CONFIGURATIONS, byo);
  run(h, 3_000);
  t.ok(find(h, REVISIONS, 'byo-custom'), 'the revision has the template name');
  t.equal(must(h, CONFIGURATIONS, 'byo').status.latestCreatedRevisionName, 'byo-custom');
  const thief = configuration('thief');
  thief.spec.template.metadata = { name: 'byo-custom' };
  h.cluster.api.create(CONFIGURATIONS, thief);
  run(h, 3_000);
  t.match(cond(must(h, CONFIGURATIONS, 'thief'), 'Ready'), { status: 'False', reason: 'RevisionFailed' });
});
