// The registry of kinds and the built-in set: lookups by resource, kind and kubectl-style names,
// the Knative kinds as their CRDs declare them (knative/serving config/core/300-resources), and the
// namespaces every cluster starts with.
import t from 'tap';
import { INITIAL_NAMESPACES } from '../../src/apiserver/api-server.js';
import { builtinKinds, registerBuiltinKinds } from '../../src/apiserver/builtin-kinds.js';
import { Registry, apiVersionOf, parseApiVersion, resourceIdOf } from '../../src/apiserver/registry.js';
import { NAMESPACES, newServer } from './fixtures.js';

t.test('lookup by resource id, by apiVersion and kind, and by plural, singular, kind or short name', (t) => {
  const registry = registerBuiltinKinds();
  const cases: [string, string, string][] = [
    ['ksvc', 'serving.knative.dev', 'Service'],
    ['kservice', 'serving.knative.dev', 'Service'],
    ['svc', '', 'Service'],
    ['services', '', 'Service'],
    ['services.serving.knative.dev', 'serving.knative.dev', 'Service'],
    ['rev', 'serving.knative.dev', 'Revision'],
    ['kpa', 'autoscaling.internal.knative.dev', 'PodAutoscaler'],
    ['pa', 'autoscaling.internal.knative.dev', 'PodAutoscaler'],
    ['sks', 'networking.internal.knative.dev', 'ServerlessService'],
    ['kingress', 'networking.internal.knative.dev', 'Ingress'],
    ['deploy', 'apps', 'Deployment'],
    ['Deployment', 'apps', 'Deployment'],
    ['cm', '', 'ConfigMap'],
    ['lease', 'coordination.k8s.io', 'Lease'],
  ];
  for (const [name, group, kind] of cases) t.match(registry.byName(name), { group, kind }, name);
  t.equal(registry.byName('nothing'), undefined, 'unknown name');
  const ksvc = registry.byKind('serving.knative.dev/v1', 'Service');
  t.equal(ksvc?.plural, 'services', 'byKind');
  t.equal(registry.lookup(resourceIdOf(ksvc!)), ksvc, 'lookup by resource id');
  t.throws(() => registry.register(ksvc!), /already registered/, 'duplicates are refused');
  t.same(parseApiVersion('apps/v1'), { group: 'apps', version: 'v1' }, 'parseApiVersion with a group');
  t.same(parseApiVersion('v1'), { group: '', version: 'v1' }, 'parseApiVersion for core');
  t.equal(apiVersionOf({ group: '', version: 'v1' }), 'v1', 'apiVersionOf core');
  t.end();
});

t.test('built-in kinds follow their upstream strategies and CRDs', (t) => {
  const byKind = new Map(builtinKinds().map((k) => [`${k.group}/${k.kind}`, k]));
  t.match(byKind.get('apps/Deployment'), { generation: 'specAndAnnotations', allowUnconditionalUpdate: true, strategicMerge: true, subresources: { status: true, scale: { specReplicasPath: '.spec.replicas' } } }, 'Deployment');
  t.match(byKind.get('apps/ReplicaSet'), { generation: 'spec', subresources: { scale: { statusReplicasPath: '.status.replicas' } } }, 'ReplicaSet');
  t.match(byKind.get('/Pod'), { generation: 'none', gracefulDelete: true, returnDeletedObject: true }, 'Pod');
  t.match(byKind.get('/Namespace'), { namespaced: false, nameRule: 'dns1123Label' }, 'Namespace');
  for (const kind of ['Service', 'Configuration', 'Route', 'Revision']) {
    t.match(byKind.get(`serving.knative.dev/${kind}`), { version: 'v1', generation: 'nonMetadata', allowUnconditionalUpdate: false, strategicMerge: false, subresources: { status: true }, categories: ['all', 'knative', 'serving'] }, `Knative ${kind}`);
  }
  const pa = byKind.get('autoscaling.internal.knative.dev/PodAutoscaler');
  t.match(pa, { version: 'v1alpha1', shortNames: ['kpa', 'pa'], categories: ['knative-internal', 'autoscaling'] }, 'PodAutoscaler');
  t.equal(pa?.subresources.scale, undefined, 'PodAutoscaler CRD declares no scale subresource');
  t.ok(byKind.has('autoscaling.internal.knative.dev/Metric') && byKind.has('networking.internal.knative.dev/Ingress'), 'Metric and Ingress registered');
  t.end();
});

t.test('a new server has the default namespaces and nothing else', (t) => {
  const { server } = newServer();
  const names = server.list(NAMESPACES).items.map((ns) => ns.metadata.name);
  t.same(names, [...INITIAL_NAMESPACES].sort(), 'default namespaces');
  t.equal(server.resourceVersion, INITIAL_NAMESPACES.length, 'one RV per namespace');
  t.ok(new Registry().list().length === 0, 'an empty registry can be built for custom setups');
  t.end();
});
