// The namespace controller against the real API server, after k8s.io/kubernetes
// pkg/controller/namespace/deletion/namespaced_resources_deleter_test.go (content of every kind
// deleted, then the finalizer removed; remaining content and finalizers reported in conditions) and
// the OrderedNamespaceDeletion e2e ("namespace deletion should delete pod first").
import t from 'tap';
import type { KubeObject, ResourceId } from '../../src/apiserver/types.js';
import type { SimCluster } from '../../src/client/sim-cluster.js';
import { setupEndpointsController } from '../../src/kube/endpoints-controller.js';
import { NAMESPACE_DELETION_GRACE_PERIOD_MS, setupNamespaceController } from '../../src/kube/namespace-controller.js';
import { CONFIGMAPS, ENDPOINTS, NAMESPACES, PODS, SECRETS, SERVICES } from '../../src/kube/resources.js';
import { at, createPod, createService, ensureNamespace, find, kcmCluster } from './kcm-fixtures.js';

const REVISIONS: ResourceId = { group: 'serving.knative.dev', version: 'v1', resource: 'revisions' };
const HOLD = 'test.sleeveless.dev/hold';

const cluster = (seed: number | string = 5): SimCluster => kcmCluster((ctx) => setupNamespaceController(ctx), { seed });

function configMap(c: SimCluster, ns: string, name: string, finalizers?: string[]): KubeObject {
  return c.api.create(CONFIGMAPS, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: ns, ...(finalizers ? { finalizers } : {}) }, data: { a: '1' } });
}

function content(c: SimCluster, ns: string): void {
  ensureNamespace(c, ns);
  configMap(c, ns, 'cm');
  c.api.create(SECRETS, { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: ns }, type: 'Opaque' });
  createService(c, ns, 'svc', { selector: { a: 'b' }, ports: [{ port: 80 }] });
  c.api.create(ENDPOINTS, { apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'svc', namespace: ns } });
  createPod(c, ns, 'pod');
  c.api.create(REVISIONS, { apiVersion: 'serving.knative.dev/v1', kind: 'Revision', metadata: { name: 'rev', namespace: ns }, spec: {} });
}

const count = (c: SimCluster, ns: string): number =>
  c.api.registry.list().filter((type) => type.namespaced)
    .reduce((n, type) => n + c.api.list({ group: type.group, version: type.version, resource: type.plural }, { namespace: ns }).items.length, 0);

const conditions = (c: SimCluster, ns: string): Record<string, [string, string, string]> =>
  Object.fromEntries(((find(c, NAMESPACES, '', ns)?.status?.conditions ?? []) as { type: string; status: string; reason: string; message: string }[])
    .map((cond) => [cond.type, [cond.status, cond.reason, cond.message]]));

t.test('deleting a namespace deletes everything in it, every kind, then the namespace itself; other namespaces are untouched', async (t) => {
  const c = cluster();
  content(c, 'doomed');
  content(c, 'kept');
  const before = count(c, 'kept');
  t.ok(count(c, 'doomed') >= 6);
  c.sim.run({ untilMs: 1_000 });
  at(c, 1_000, () => void c.api.delete(NAMESPACES, 'doomed'));
  c.sim.run({ untilMs: 1_000 + NAMESPACE_DELETION_GRACE_PERIOD_MS - 1 });
  t.equal(find(c, NAMESPACES, '', 'doomed')?.status?.phase, 'Terminating', 'Terminating at once');
  t.ok(find(c, CONFIGMAPS, 'doomed', 'cm'), 'nothing deleted during the 5 s grace period');
  c.sim.run({ untilMs: 7_000 });
  t.equal(count(c, 'doomed'), 0, 'content gone');
  t.equal(find(c, NAMESPACES, '', 'doomed'), undefined, 'namespace gone');
  t.equal(count(c, 'kept'), before, 'the other namespace keeps its content');
  t.ok(find(c, NAMESPACES, '', 'kept'));
  const finalize = c.sim.trace.lines().filter((l) => l.kind === 'api' && l.fields.sub === 'finalize' && l.fields.code === 200);
  t.equal(finalize.length, 1, 'removed through /finalize');
});

t.test('objects held by a finalizer keep the namespace Terminating, reported in its conditions, until released', async (t) => {
  const c = cluster();
  ensureNamespace(c, 'ns');
  configMap(c, 'ns', 'held', [HOLD]);
  configMap(c, 'ns', 'free');
  at(c, 100, () => void c.api.delete(NAMESPACES, 'ns'));
  c.sim.run({ untilMs: 20_000 });
  t.ok(find(c, CONFIGMAPS, 'ns', 'held')?.metadata.deletionTimestamp, 'held object is being deleted');
  t.equal(find(c, CONFIGMAPS, 'ns', 'free'), undefined, 'free object gone');
  t.same(find(c, NAMESPACES, '', 'ns')?.spec?.finalizers, ['kubernetes'], 'namespace not finalized');
  t.same(conditions(c, 'ns'), {
    NamespaceDeletionDiscoveryFailure: ['False', 'ResourcesDiscovered', 'All resources successfully discovered'],
    NamespaceDeletionGroupVersionParsingFailure: ['False', 'ParsedGroupVersions', 'All legacy kube types successfully parsed'],
    NamespaceDeletionContentFailure: ['False', 'ContentDeleted', 'All content successfully deleted, may be waiting on finalization'],
    NamespaceContentRemaining: ['True', 'SomeResourcesRemain', 'Some resources are remaining: configmaps. has 1 resource instances'],
    NamespaceFinalizersRemaining: ['True', 'SomeFinalizersRemain', `Some content in the namespace has finalizers remaining: ${HOLD} in 1 resource instances`],
  });
  at(c, 20_000, () => void c.api.patch(CONFIGMAPS, 'held', { metadata: { finalizers: null } }, { namespace: 'ns', patchType: 'merge' }));
  c.sim.run({ untilMs: 30_000 });
  t.equal(find(c, NAMESPACES, '', 'ns'), undefined, 'gone at the next retry (15 s estimate: every 8 s)');
});

t.test('OrderedNamespaceDeletion: pods are deleted first; nothing else is touched while a pod remains', async (t) => {
  const c = cluster();
  ensureNamespace(c, 'ns');
  createPod(c, 'ns', 'pod');
  c.api.patch(PODS, 'pod', { metadata: { finalizers: [HOLD] } }, { namespace: 'ns', patchType: 'merge' });
  configMap(c, 'ns', 'cm');
  at(c, 100, () => void c.api.delete(NAMESPACES, 'ns'));
  c.sim.run({ untilMs: 20_000 });
  t.ok(find(c, PODS, 'ns', 'pod')?.metadata.deletionTimestamp, 'the pod is being deleted');
  const cm = find(c, CONFIGMAPS, 'ns', 'cm');
  t.ok(cm, 'the ConfigMap is still there');
  t.equal(cm?.metadata.deletionTimestamp, undefined, 'and not even marked');
  t.match(conditions(c, 'ns').NamespaceContentRemaining, ['True', 'SomeResourcesRemain', 'Some resources are remaining: pods. has 1 resource instances']);
  at(c, 20_000, () => void c.api.patch(PODS, 'pod', { metadata: { finalizers: null } }, { namespace: 'ns', patchType: 'merge' }));
  c.sim.run({ untilMs: 40_000 });
  t.equal(find(c, CONFIGMAPS, 'ns', 'cm'), undefined, 'then the rest');
  t.equal(find(c, NAMESPACES, '', 'ns'), undefined);
});

t.test('pods in their grace period: the namespace waits about their termination grace, and goes soon after they do', async (t) => {
  const c = cluster();
  ensureNamespace(c, 'ns');
  createPod(c, 'ns', 'pod', { nodeName: 'node-1' });
  at(c, 0, () => void c.api.delete(NAMESPACES, 'ns'));
  c.sim.run({ untilMs: 10_000 });
  const pod = find(c, PODS, 'ns', 'pod');
  t.equal(pod?.metadata.deletionGracePeriodSeconds, 30, 'a graceful pod deletion (a kubelet would finish it)');
  const deletes = (): number => c.sim.trace.lines().filter((l) => l.kind === 'api' && l.fields.c === 'kube-controller-manager' && l.fields.res === 'pods' && l.fields.verb === 'delete').length;
  const early = deletes();
  c.sim.run({ untilMs: 20_000 });
  t.ok(deletes() - early <= 1, 'while the estimate holds, it retries every estimate/2 + 1 s');
  at(c, 20_000, () => void c.api.delete(PODS, 'pod', { namespace: 'ns', gracePeriodSeconds: 0 }));
  c.sim.run({ untilMs: 40_000 });
  t.equal(find(c, NAMESPACES, '', 'ns'), undefined, 'namespace gone after its pod');
});

t.test('other spec finalizers stay: ours is removed, the namespace waits for theirs', async (t) => {
  const c = cluster();
  c.api.create(NAMESPACES, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ns' }, spec: { finalizers: ['example.com/other'] } });
  configMap(c, 'ns', 'cm');
  at(c, 100, () => void c.api.delete(NAMESPACES, 'ns'));
  c.sim.run({ untilMs: 10_000 });
  const ns = find(c, NAMESPACES, '', 'ns');
  t.same(ns?.spec?.finalizers, ['example.com/other']);
  t.equal(ns?.status?.phase, 'Terminating');
  t.equal(find(c, CONFIGMAPS, 'ns', 'cm'), undefined);
});

t.test('a namespace that is not being deleted is never touched', async (t) => {
  const c = cluster();
  content(c, 'live');
  c.api.patch(NAMESPACES, 'live', { metadata: { labels: { x: 'y' } } }, { patchType: 'merge' });
  c.sim.run({ untilMs: 20_000 });
  t.same(c.sim.trace.lines().filter((l) => l.kind === 'api' && l.fields.c === 'kube-controller-manager' && l.fields.verb !== 'list' && l.fields.verb !== 'watch').length, 0);
  t.ok(find(c, SERVICES, 'live', 'svc'));
});

t.test('determinism: the same seed gives the same trace hash', async (t) => {
  const run = (seed: number): string => {
    const c = cluster(seed);
    content(c, 'a');
    content(c, 'b');
    configMap(c, 'a', 'held', [HOLD]);
    at(c, 100, () => void c.api.delete(NAMESPACES, 'a'));
    at(c, 300, () => void c.api.delete(NAMESPACES, 'b'));
    at(c, 12_000, () => void c.api.patch(CONFIGMAPS, 'held', { metadata: { finalizers: null } }, { namespace: 'a', patchType: 'merge' }));
    c.sim.run({ untilMs: 30_000 });
    return c.sim.traceHash();
  };
  t.equal(run(1), run(1));
  t.not(run(1), run(2));
});

t.test('with the Endpoints controller running, a deleted namespace still goes: its creates into the terminating namespace are refused and dropped', async (t) => {
  const c = kcmCluster((ctx) => {
    setupNamespaceController(ctx);
    setupEndpointsController(ctx);
  });
  content(c, 'ns');
  c.api.patch(PODS, 'pod', { metadata: { finalizers: [HOLD] } }, { namespace: 'ns', patchType: 'merge' });
  c.sim.run({ untilMs: 1_000 });
  t.ok(find(c, ENDPOINTS, 'ns', 'svc'), 'the controller keeps the Endpoints');
  at(c, 1_000, () => void c.api.delete(NAMESPACES, 'ns'));
  at(c, 6_500, () => void c.api.delete(ENDPOINTS, 'svc', { namespace: 'ns' }));
  at(c, 8_000, () => void c.api.patch(PODS, 'pod', { metadata: { finalizers: null } }, { namespace: 'ns', patchType: 'merge' }));
  c.sim.run({ untilMs: 40_000 });
  const refused = c.sim.trace.lines().filter((l) => l.kind === 'api' && l.fields.res === 'endpoints' && l.fields.verb === 'create' && l.fields.code === 403);
  t.ok(refused.length >= 1, 'the Endpoints controller tried to recreate and was refused');
  t.notOk(c.sim.trace.lines().some((l) => l.kind === 'reconcile-error' && l.fields.ctl === 'endpoint-controller' && String(l.fields.error).includes('terminated')), 'and dropped the item instead of retrying');
  t.equal(find(c, NAMESPACES, '', 'ns'), undefined, 'the namespace is gone');
});
