// MakeIngress on resolved traffic, cases after knative/serving
// pkg/reconciler/route/resources/ingress_test.go (TestMakeIngressSpec_CorrectRules,
// _CorrectRuleVisibility, TestMakeIngressRule_ZeroPercentTarget, _TwoTargets, the h2c port and
// the rollout and tag-to-host annotations).
import t from 'tap';
import type { KubeObject } from '../../../src/apiserver/types.js';
import { DEFAULT_DOMAIN_CONFIG, parseDomainConfig } from '../../../src/knative/controller/domain-config.js';
import { buildRollout, makeIngress } from '../../../src/knative/controller/ingress-resources.js';
import { DEFAULT_NETWORK_CONFIG, parseNetworkConfig } from '../../../src/knative/controller/network-config.js';
import type { IngressVisibility } from '../../../src/knative/controller/route-domains.js';
import type { RevisionTarget, TrafficConfig } from '../../../src/knative/controller/traffic-config.js';

type Json = Record<string, any>;

const route: KubeObject = { apiVersion: 'serving.knative.dev/v1', kind: 'Route', metadata: { name: 'test-route', namespace: 'test-ns', uid: 'u1', labels: { app: 'x' }, annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{}', keep: 'me' } } };

function target(revisionName: string, percent: number, o: Partial<RevisionTarget> = {}): RevisionTarget {
  return { tag: '', revisionName, percent, latestRevision: false, protocol: 'http1', ...o };
}

function traffic(targets: Record<string, RevisionTarget[]>): TrafficConfig {
  return { targets: new Map(Object.entries(targets)), revisionTargets: [], configurations: new Map(), revisions: new Map(), missing: [] };
}

const external = { domain: parseDomainConfig({ 'example.com': '' }), network: DEFAULT_NETWORK_CONFIG };
const visible = (entries: [string, IngressVisibility][]): Map<string, IngressVisibility> => new Map(entries);

t.test('correct rules: per traffic name a ClusterLocal rule with expanded hosts and one ExternalIP rule per host', async (t) => {
  const ing = makeIngress({
    configs: external, route, ingressClass: 'foo-ingress',
    traffic: traffic({ '': [target('v2', 100)], v1: [target('v1', 100, { tag: 'v1' })] }),
    visibility: visible([['', 'ExternalIP'], ['v1', 'ExternalIP']]),
  });
  t.same((ing.spec.rules as Json[]).map((r) => [r.visibility, r.hosts]), [
    ['ClusterLocal', ['test-route.test-ns', 'test-route.test-ns.svc', 'test-route.test-ns.svc.cluster.local']],
    ['ExternalIP', ['test-route.test-ns.example.com']],
    ['ClusterLocal', ['v1-test-route.test-ns', 'v1-test-route.test-ns.svc', 'v1-test-route.test-ns.svc.cluster.local']],
    ['ExternalIP', ['v1-test-route.test-ns.example.com']],
  ]);
  t.equal(ing.metadata.annotations?.['networking.knative.dev/ingress.class'], 'foo-ingress');
  t.equal(ing.metadata.annotations?.keep, 'me');
  t.equal(ing.metadata.annotations?.['kubectl.kubernetes.io/last-applied-configuration'], undefined, 'last-applied is not propagated');
  t.same(JSON.parse(ing.metadata.annotations?.['networking.internal.knative.dev/tag-to-host'] ?? '{}'), { v1: ['v1-test-route.test-ns.svc.cluster.local', 'v1-test-route.test-ns.example.com'] });
});

t.test('rule visibility: a cluster-local name gets only the ClusterLocal rule', async (t) => {
  const ing = makeIngress({ configs: external, route, ingressClass: 'c', traffic: traffic({ '': [target('v2', 100)] }), visibility: visible([['', 'ClusterLocal']]) });
  t.same((ing.spec.rules as Json[]).map((r) => r.visibility), ['ClusterLocal']);
});

t.test('zero-percent targets get no split; two targets split by percent; h2c goes to port 81', async (t) => {
  const ing = makeIngress({
    configs: { domain: DEFAULT_DOMAIN_CONFIG, network: DEFAULT_NETWORK_CONFIG }, route, ingressClass: 'c',
    traffic: traffic({ '': [target('v1', 0), target('v2', 80), target('v3', 20, { protocol: 'h2c' })] }), visibility: visible([['', 'ClusterLocal']]),
  });
  t.same(ing.spec.rules[0].http.paths[0].splits.map((s: Json) => [s.serviceName, s.percent, s.servicePort]), [['v2', 80, 80], ['v3', 20, 81]]);
  t.same(ing.spec.rules[0].http.paths[0].splits[0].appendHeaders, { 'Knative-Serving-Revision': 'v2', 'Knative-Serving-Namespace': 'test-ns' });
});

t.test('the rollout annotation lists the latestRevision targets, finished, sorted by tag then configuration', async (t) => {
  const rollout = buildRollout(traffic({
    '': [target('b-1', 60, { latestRevision: true, configurationName: 'b' }), target('a-1', 40, { latestRevision: true, configurationName: 'a' }), target('pinned', 0)],
  }));
  t.same(rollout, { configurations: [
    { configurationName: 'a', percent: 40, revisions: [{ revisionName: 'a-1', percent: 40 }], stepParams: {} },
    { configurationName: 'b', percent: 60, revisions: [{ revisionName: 'b-1', percent: 60 }], stepParams: {} },
  ] });
});

t.test('http-protocol Redirected is the httpOption; Disabled sets none', async (t) => {
  for (const [value, want] of [['redirected', 'Redirected'], ['disabled', undefined]] as const) {
    const ing = makeIngress({ configs: { domain: DEFAULT_DOMAIN_CONFIG, network: parseNetworkConfig({ 'http-protocol': value }) }, route, ingressClass: 'c', traffic: traffic({ '': [target('v', 100)] }), visibility: visible([['', 'ClusterLocal']]) });
    t.equal(ing.spec.httpOption, want, value);
  }
});
