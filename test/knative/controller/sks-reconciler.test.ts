// The ServerlessService reconciler alone against the API server; the test plays the KPA (the SKS
// objects), the Endpoints controller (private and activator Endpoints) and the revision reconciler
// (the Deployment whose selector the private Service takes). Cases follow knative/serving
// pkg/reconciler/serverlessservice/serverlessservice_test.go.
import t from 'tap';
import { deepCopy } from '../../../src/apiserver/deep-copy.js';
import type { KubeObject } from '../../../src/apiserver/types.js';
import { DEPLOYMENTS, ENDPOINTS, SERVICES } from '../../../src/kube/resources.js';
import { SERVERLESSSERVICES } from '../../../src/knative/apis/resources.js';
import { LABELS } from '../../../src/knative/apis/serving-labels.js';
import { KNATIVE_NAMESPACE } from '../../../src/knative/serving-system.js';
import { addReconcilers, cond, createSks, must, newHarness, NS, run, setEndpoints, type ControllerHarness } from './controller-fixtures.js';

type Json = Record<string, any>;

const ACTIVATORS = ['10.1.0.1', '10.1.0.2', '10.1.0.3'];

function setup(o: { mode: 'Serve' | 'Proxy'; numActivators?: number; pods?: string[]; activators?: string[] }): ControllerHarness {
  const h = newHarness();
  h.cluster.api.create(DEPLOYMENTS, {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'rev-deployment', namespace: NS },
    spec: { replicas: 1, selector: { matchLabels: { [LABELS.revisionUID]: 'rev-uid' } }, template: { metadata: { labels: { [LABELS.revisionUID]: 'rev-uid' } }, spec: { containers: [{ name: 'c', image: 'x' }] } } },
  });
  setEndpoints(h, 'activator-service', o.activators ?? ACTIVATORS, { namespace: KNATIVE_NAMESPACE, ports: [{ name: 'http', port: 8012 }, { name: 'https', port: 8112 }] });
  addReconcilers(h, ['serverlessservice']);
  createSks(h, 'rev', { mode: o.mode, numActivators: o.numActivators });
  run(h, 2_000);
  setEndpoints(h, 'rev-private', o.pods ?? []);
  run(h, 2_000);
  return h;
}

const publicIps = (h: ControllerHarness): string[] => ((must(h, ENDPOINTS, 'rev').subsets ?? []) as Json[]).flatMap((s) => (s.addresses ?? []).map((a: Json) => a.ip));

t.test('serve mode: private and public Services, public Endpoints copy the ready pods on 8012/8112, Ready', async (t) => {
  const h = setup({ mode: 'Serve', pods: ['10.2.0.1', '10.2.0.2'] });
  const sks = must(h, SERVERLESSSERVICES, 'rev');
  const priv = must(h, SERVICES, 'rev-private');
  t.same(priv.spec.selector, { [LABELS.revisionUID]: 'rev-uid' });
  t.same(priv.spec.ports.map((p: Json) => [p.name, p.port, p.targetPort]), [['http', 80, 8012], ['https', 443, 8112], ['http-autometric', 9090, 'http-autometric'], ['http-usermetric', 9091, 'http-usermetric'], ['http-istio', 8012, 8012]]);
  t.match(priv.metadata, { labels: { [LABELS.sks]: 'rev', [LABELS.serviceType]: 'Private' }, ownerReferences: [{ kind: 'ServerlessService', name: 'rev', controller: true }] });
  const pub = must(h, SERVICES, 'rev');
  t.equal(pub.spec.selector, undefined);
  t.same(pub.spec.ports.map((p: Json) => [p.name, p.port, p.targetPort]), [['http', 80, 8012], ['https', 443, 8112]]);
  t.same(publicIps(h), ['10.2.0.1', '10.2.0.2']);
  t.same((must(h, ENDPOINTS, 'rev').subsets as Json[])[0].ports.map((p: Json) => p.port), [8012, 8112], 'metrics port filtered out');
  t.equal(sks.status.serviceName, 'rev');
  t.equal(sks.status.privateServiceName, 'rev-private');
  t.equal(cond(sks, 'EndpointsPopulated')?.status, 'True');
  t.equal(cond(sks, 'Ready')?.status, 'True');
  t.match(cond(sks, 'ActivatorEndpointsPopulated'), { status: 'False', reason: 'ActivatorEndpointsPopulated' });
});

t.test('proxy mode: a ChooseSubset of numActivators activators, ActivatorEndpointsPopulated True', async (t) => {
  const h = setup({ mode: 'Proxy', numActivators: 2, pods: ['10.2.0.1'] });
  const ips = publicIps(h);
  t.equal(ips.length, 2);
  t.ok(ips.every((ip) => ACTIVATORS.includes(ip)));
  t.match(cond(must(h, SERVERLESSSERVICES, 'rev'), 'ActivatorEndpointsPopulated'), { status: 'True', message: 'Revision is backed by Activator' });
  t.equal(cond(must(h, SERVERLESSSERVICES, 'rev'), 'Ready')?.status, 'True');
});

t.test('serve mode with no ready pod is forced to proxy: activators behind, NoHealthyBackends', async (t) => {
  const h = setup({ mode: 'Serve', numActivators: 0, pods: [] });
  t.same(publicIps(h), ACTIVATORS, 'numActivators 0 takes them all');
  const sks = must(h, SERVERLESSSERVICES, 'rev');
  t.match(cond(sks, 'EndpointsPopulated'), { status: 'Unknown', reason: 'NoHealthyBackends', message: 'K8s Service is not ready' });
  t.equal(cond(sks, 'Ready')?.status, 'Unknown');
  t.equal(cond(sks, 'ActivatorEndpointsPopulated')?.status, 'True');
});

t.test('proxy mode with no activator is forced to serve', async (t) => {
  const h = setup({ mode: 'Proxy', pods: ['10.2.0.1'], activators: [] });
  t.same(publicIps(h), ['10.2.0.1']);
});

t.test('a pod becoming ready moves a serving SKS off the activator; a change of activators resyncs proxying SKSes', async (t) => {
  const h = setup({ mode: 'Serve', numActivators: 1, pods: [] });
  t.equal(publicIps(h).length, 1, 'proxied through one activator while no pod is ready');
  const proxyingSince = cond(must(h, SERVERLESSSERVICES, 'rev'), 'ActivatorEndpointsPopulated')?.lastTransitionTime;
  setEndpoints(h, 'rev-private', ['10.2.0.9']);
  run(h, 2_000);
  t.same(publicIps(h), ['10.2.0.9']);
  t.not(cond(must(h, SERVERLESSSERVICES, 'rev'), 'ActivatorEndpointsPopulated')?.lastTransitionTime, proxyingSince, 'ProxyFor restarts');
  const sks = deepCopy(must(h, SERVERLESSSERVICES, 'rev'));
  sks.spec.mode = 'Proxy';
  h.cluster.api.update(SERVERLESSSERVICES, sks);
  run(h, 2_000);
  const before = publicIps(h);
  t.ok(before.length === 1 && ACTIVATORS.includes(before[0]));
  setEndpoints(h, 'activator-service', ['10.1.0.7'], { namespace: KNATIVE_NAMESPACE, ports: [{ name: 'http', port: 8012 }] });
  run(h, 2_000);
  t.same(publicIps(h), ['10.1.0.7'], 'the activator-service change reached the SKS');
});

t.test('a public Service the SKS does not own fails EndpointsPopulated with NotOwned', async (t) => {
  const h = newHarness();
  h.cluster.api.create(SERVICES, { apiVersion: 'v1', kind: 'Service', metadata: { name: 'rev', namespace: NS }, spec: { ports: [{ port: 80 }] } } as KubeObject);
  h.cluster.api.create(DEPLOYMENTS, {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'rev-deployment', namespace: NS },
    spec: { selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'x' }] } } },
  });
  addReconcilers(h, ['serverlessservice']);
  createSks(h, 'rev', { mode: 'Serve' });
  run(h, 3_000);
  t.match(cond(must(h, SERVERLESSSERVICES, 'rev'), 'EndpointsPopulated'), { status: 'False', reason: 'NotOwned', message: 'Resource rev of type Service is not owned by SKS' });
});
