// The Route reconciler alone against the API server; the test plays the Configuration and
// Revision reconcilers (their status) and the ingress gateway (the KIngress status). Cases follow
// knative/serving pkg/reconciler/route/route_test.go and table_test.go.
import t from 'tap';
import { deepCopy } from '../../../src/apiserver/deep-copy.js';
import type { KubeObject } from '../../../src/apiserver/types.js';
import { CONFIGURATIONS, KINGRESSES, REVISIONS, ROUTES } from '../../../src/knative/apis/resources.js';
import { LABELS } from '../../../src/knative/apis/serving-labels.js';
import { addReconcilers, cond, find, markIngressReady, must, newHarness, NS, patchStatus, run, setConfig, type ControllerHarness } from './controller-fixtures.js';
import { revision } from './revision-fixtures.js';

type Json = Record<string, any>;

function readyRevision(h: ControllerHarness, name: string, config = 'cfg'): void {
  const rev = h.cluster.api.create(REVISIONS, revision(name, { labels: { [LABELS.configuration]: config } }));
  patchStatus(h, REVISIONS, name, { observedGeneration: rev.metadata.generation, conditions: [{ type: 'Ready', status: 'True' }] });
}

function configuration(h: ControllerHarness, name: string, latestReady?: string): void {
  if (find(h, CONFIGURATIONS, name) === undefined) {
    h.cluster.api.create(CONFIGURATIONS, { apiVersion: 'serving.knative.dev/v1', kind: 'Configuration', metadata: { name, namespace: NS }, spec: { template: { spec: { containers: [{ image: 'busybox' }] } } } });
  }
  const status: Json = { observedGeneration: 1, latestCreatedRevisionName: latestReady, conditions: [{ type: 'Ready', status: latestReady ? 'True' : 'Unknown' }] };
  if (latestReady) status.latestReadyRevisionName = latestReady;
  patchStatus(h, CONFIGURATIONS, name, status);
}

function route(h: ControllerHarness, name: string, traffic: Json[], labels?: Record<string, string>): KubeObject {
  return h.cluster.api.create(ROUTES, { apiVersion: 'serving.knative.dev/v1', kind: 'Route', metadata: { name, namespace: NS, labels }, spec: { traffic } });
}

function setup(config?: Record<string, Record<string, string>>): ControllerHarness {
  const h = newHarness({ config });
  addReconcilers(h, ['route']);
  return h;
}

const headers = (rev: string): Json => ({ 'Knative-Serving-Revision': rev, 'Knative-Serving-Namespace': NS });

t.test('a configuration target goes to its latest ready revision; the default domain makes a cluster-local KIngress', async (t) => {
  const h = setup();
  readyRevision(h, 'cfg-00001');
  configuration(h, 'cfg', 'cfg-00001');
  const r = route(h, 'r', [{ configurationName: 'cfg', percent: 100 }]);
  run(h, 3_000);
  const ing = must(h, KINGRESSES, 'r');
  t.match(ing.metadata.ownerReferences, [{ kind: 'Route', name: 'r', uid: r.metadata.uid, controller: true }]);
  t.match(ing.metadata.labels, { [LABELS.route]: 'r', 'serving.knative.dev/routeNamespace': NS });
  t.equal(ing.metadata.annotations?.['networking.knative.dev/ingress.class'], 'istio.ingress.networking.knative.dev');
  t.same(ing.spec.rules, [{
    hosts: ['r.default', 'r.default.svc', 'r.default.svc.cluster.local'], visibility: 'ClusterLocal',
    http: { paths: [{ splits: [{ serviceNamespace: NS, serviceName: 'cfg-00001', servicePort: 80, percent: 100, appendHeaders: headers('cfg-00001') }] }] },
  }]);
  t.equal(ing.spec.httpOption, 'Enabled');
  const got = must(h, ROUTES, 'r');
  t.equal(got.status.url, 'http://r.default.svc.cluster.local');
  t.same(got.status.address, { url: 'http://r.default.svc.cluster.local' });
  t.same(got.status.traffic, [{ revisionName: 'cfg-00001', latestRevision: true, percent: 100 }]);
  t.equal(cond(got, 'AllTrafficAssigned')?.status, 'True');
  t.match(cond(got, 'CertificateProvisioned'), { status: 'True', reason: 'TLSNotEnabled' });
  t.match(cond(got, 'IngressReady'), { status: 'Unknown', reason: 'IngressNotConfigured' });
  t.equal(cond(got, 'Ready')?.status, 'Unknown');
  markIngressReady(h, 'r');
  run(h, 2_000);
  t.equal(cond(must(h, ROUTES, 'r'), 'Ready')?.status, 'True', 'IngressReady follows the KIngress');
});

t.test('with a config-domain domain, an ExternalIP rule for r.default.example.com besides the cluster-local one', async (t) => {
  const h = setup({ 'config-domain': { 'example.com': '' } });
  readyRevision(h, 'cfg-00001');
  configuration(h, 'cfg', 'cfg-00001');
  route(h, 'r', [{ configurationName: 'cfg', percent: 100 }]);
  run(h, 3_000);
  const rules = must(h, KINGRESSES, 'r').spec.rules as Json[];
  t.same(rules.map((r) => [r.visibility, r.hosts]), [
    ['ClusterLocal', ['r.default', 'r.default.svc', 'r.default.svc.cluster.local']],
    ['ExternalIP', ['r.default.example.com']],
  ]);
  t.equal(must(h, ROUTES, 'r').status.url, 'http://r.default.example.com');
});

t.test('split traffic with a tag: the default rule splits 90/10, the tag rule sends 100% to its revision', async (t) => {
  const h = setup();
  readyRevision(h, 'cfg-00001');
  readyRevision(h, 'cfg-00002');
  configuration(h, 'cfg', 'cfg-00002');
  route(h, 'r', [{ revisionName: 'cfg-00001', percent: 90 }, { revisionName: 'cfg-00002', percent: 10, tag: 'canary' }]);
  run(h, 3_000);
  const rules = must(h, KINGRESSES, 'r').spec.rules as Json[];
  t.same(rules[0].http.paths[0].splits.map((s: Json) => [s.serviceName, s.percent]), [['cfg-00001', 90], ['cfg-00002', 10]]);
  t.same(rules[1].hosts, ['canary-r.default', 'canary-r.default.svc', 'canary-r.default.svc.cluster.local']);
  t.same(rules[1].http.paths[0].splits.map((s: Json) => [s.serviceName, s.percent]), [['cfg-00002', 100]]);
  t.same(must(h, ROUTES, 'r').status.traffic, [
    { revisionName: 'cfg-00001', latestRevision: false, percent: 90 },
    { tag: 'canary', revisionName: 'cfg-00002', latestRevision: false, percent: 10, url: 'http://canary-r.default.svc.cluster.local' },
  ]);
});

t.test('a configuration with no ready revision: AllTrafficAssigned Unknown (RevisionMissing) and no KIngress', async (t) => {
  const h = setup();
  configuration(h, 'cfg');
  route(h, 'r', [{ configurationName: 'cfg', percent: 100 }]);
  run(h, 3_000);
  t.match(cond(must(h, ROUTES, 'r'), 'AllTrafficAssigned'), { status: 'Unknown', reason: 'RevisionMissing', message: 'Configuration "cfg" is waiting for a Revision to become ready.' });
  t.equal(find(h, KINGRESSES, 'r'), undefined);
});

t.test('a missing configuration fails AllTrafficAssigned; its appearance is tracked and assigns the traffic', async (t) => {
  const h = setup();
  route(h, 'r', [{ configurationName: 'later', percent: 100 }]);
  run(h, 3_000);
  t.match(cond(must(h, ROUTES, 'r'), 'AllTrafficAssigned'), { status: 'False', reason: 'ConfigurationMissing' });
  readyRevision(h, 'later-00001', 'later');
  configuration(h, 'later', 'later-00001');
  run(h, 3_000);
  t.equal(cond(must(h, ROUTES, 'r'), 'AllTrafficAssigned')?.status, 'True');
  t.ok(find(h, KINGRESSES, 'r'));
});

t.test('a new latest ready revision moves the KIngress split; the KIngress generation resets IngressReady until observed', async (t) => {
  const h = setup();
  readyRevision(h, 'cfg-00001');
  configuration(h, 'cfg', 'cfg-00001');
  route(h, 'r', [{ configurationName: 'cfg', percent: 100 }]);
  run(h, 3_000);
  markIngressReady(h, 'r');
  run(h, 2_000);
  readyRevision(h, 'cfg-00002');
  configuration(h, 'cfg', 'cfg-00002');
  run(h, 3_000);
  const ing = must(h, KINGRESSES, 'r');
  t.equal(ing.spec.rules[0].http.paths[0].splits[0].serviceName, 'cfg-00002');
  t.equal(ing.metadata.generation, 2);
  t.match(cond(must(h, ROUTES, 'r'), 'IngressReady'), { status: 'Unknown', reason: 'IngressNotConfigured' });
});

t.test('a config-domain change resyncs every Route: URL and rules follow', async (t) => {
  const h = setup({ 'config-domain': {} });
  readyRevision(h, 'cfg-00001');
  configuration(h, 'cfg', 'cfg-00001');
  route(h, 'r', [{ configurationName: 'cfg', percent: 100 }]);
  run(h, 3_000);
  t.equal(must(h, ROUTES, 'r').status.url, 'http://r.default.svc.cluster.local');
  setConfig(h, 'config-domain', { 'knative.test': '' });
  run(h, 3_000);
  t.equal(must(h, ROUTES, 'r').status.url, 'http://r.default.knative.test');
  t.equal((must(h, KINGRESSES, 'r').spec.rules as Json[]).length, 2);
});

t.test('a Route labelled cluster-local stays cluster-local under an external domain', async (t) => {
  const h = setup({ 'config-domain': { 'example.com': '' } });
  readyRevision(h, 'cfg-00001');
  configuration(h, 'cfg', 'cfg-00001');
  route(h, 'r', [{ configurationName: 'cfg', percent: 100 }], { [LABELS.visibility]: 'cluster-local' });
  run(h, 3_000);
  t.equal((must(h, KINGRESSES, 'r').spec.rules as Json[]).length, 1);
  t.equal(must(h, ROUTES, 'r').status.url, 'http://r.default.svc.cluster.local');
  const updated = deepCopy(must(h, ROUTES, 'r'));
  delete updated.metadata.labels![LABELS.visibility];
  h.cluster.api.update(ROUTES, updated);
  run(h, 3_000);
  t.equal(must(h, ROUTES, 'r').status.url, 'http://r.default.example.com');
});
