import t from 'tap';
import type { KubeObject, OwnerReference, ResourceId } from '../../src/apiserver/types.js';
import { SimCluster } from '../../src/client/sim-cluster.js';
import { FOREGROUND_FINALIZER, ORPHAN_FINALIZER, setupGarbageCollector } from '../../src/kube/garbage-collector.js';

const NS = 'default';
const CONFIGMAPS: ResourceId = { group: '', version: 'v1', resource: 'configmaps' };
const SECRETS: ResourceId = { group: '', version: 'v1', resource: 'secrets' };
const DEPLOYMENTS: ResourceId = { group: 'apps', version: 'v1', resource: 'deployments' };
const REPLICASETS: ResourceId = { group: 'apps', version: 'v1', resource: 'replicasets' };
const HOLD = 'test.sleeveless.dev/hold';

/** A cluster with the collector in "kube-controller-manager". */
function gcCluster(seed: number | string = 41): SimCluster {
  const cluster = new SimCluster({ seed, trace: { keepAll: true }, bookmarkIntervalMs: 0 });
  cluster.addComponent({ name: 'kube-controller-manager', setup: (ctx) => setupGarbageCollector(ctx) });
  return cluster;
}

function ref(owner: KubeObject, extra: Partial<OwnerReference> = {}): OwnerReference {
  return { apiVersion: owner.apiVersion, kind: owner.kind, name: owner.metadata.name!, uid: owner.metadata.uid!, ...extra };
}

function owner(cluster: SimCluster, name: string): KubeObject {
  return cluster.api.create(CONFIGMAPS, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: NS } });
}

function dependent(cluster: SimCluster, name: string, refs: OwnerReference[], finalizers?: string[]): KubeObject {
  const metadata: KubeObject['metadata'] = { name, namespace: NS, ownerReferences: refs };
  if (finalizers) metadata.finalizers = finalizers;
  return cluster.api.create(SECRETS, { apiVersion: 'v1', kind: 'Secret', metadata, type: 'Opaque' });
}

const find = (cluster: SimCluster, res: ResourceId, name: string): KubeObject | undefined =>
  cluster.api.list(res, { namespace: NS }).items.find((o) => o.metadata.name === name);

/** Runs `fn` at `atMs` of virtual time. */
const at = (cluster: SimCluster, atMs: number, fn: () => void): void => void cluster.sim.schedule(atMs - cluster.sim.nowMs, fn);

t.test('background deletion: deleting the owner removes its dependents afterwards', async (t) => {
  const cluster = gcCluster();
  const o = owner(cluster, 'owner');
  dependent(cluster, 'dep-1', [ref(o, { controller: true, blockOwnerDeletion: true })]);
  dependent(cluster, 'dep-2', [ref(o)]);
  const bystander = owner(cluster, 'other');
  dependent(cluster, 'unrelated', [ref(bystander)]);
  cluster.sim.run({ untilMs: 1_000 });
  t.ok(find(cluster, SECRETS, 'dep-1') && find(cluster, SECRETS, 'dep-2'), 'dependents of a live owner stay');
  at(cluster, 1_000, () => void cluster.api.delete(CONFIGMAPS, 'owner', { namespace: NS, propagationPolicy: 'Background' }));
  cluster.sim.run({ untilMs: 1_000 });
  t.equal(find(cluster, CONFIGMAPS, 'owner'), undefined, 'the owner goes at once');
  t.ok(find(cluster, SECRETS, 'dep-1'), 'its dependents are still there at that instant');
  cluster.sim.run({ untilMs: 3_000 });
  t.equal(find(cluster, SECRETS, 'dep-1'), undefined, 'dependents collected');
  t.equal(find(cluster, SECRETS, 'dep-2'), undefined);
  t.ok(find(cluster, SECRETS, 'unrelated'), 'other owners\' dependents untouched');
  const deletes = cluster.sim.trace.lines().filter((l) => l.kind === 'gc-delete');
  t.same(deletes.map((l) => [l.fields.name, l.fields.policy]).sort(), [['dep-1', 'Background'], ['dep-2', 'Background']]);
  t.ok(deletes.every((l) => l.atMs > 1_000 && l.atMs < 1_100), 'within milliseconds of the owner\'s deletion');
});

t.test('background deletion cascades through two levels: Deployment → ReplicaSet → ReplicaSet-owned Secret', async (t) => {
  const cluster = gcCluster();
  const labels = { app: 'web' };
  const podTemplate = { metadata: { labels }, spec: { containers: [{ name: 'c', image: 'nginx' }] } };
  const deploy = cluster.api.create(DEPLOYMENTS, { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: NS }, spec: { replicas: 1, selector: { matchLabels: labels }, template: podTemplate } });
  const rs = cluster.api.create(REPLICASETS, {
    apiVersion: 'apps/v1', kind: 'ReplicaSet',
    metadata: { name: 'web-1', namespace: NS, labels, ownerReferences: [ref(deploy, { controller: true, blockOwnerDeletion: true })] },
    spec: { replicas: 1, selector: { matchLabels: labels }, template: podTemplate },
  });
  dependent(cluster, 'web-1-token', [ref(rs, { controller: true, blockOwnerDeletion: true })]);
  cluster.sim.run({ untilMs: 1_000 });
  at(cluster, 1_000, () => void cluster.api.delete(DEPLOYMENTS, 'web', { namespace: NS }));
  cluster.sim.run({ untilMs: 5_000 });
  t.equal(find(cluster, DEPLOYMENTS, 'web'), undefined);
  t.equal(find(cluster, REPLICASETS, 'web-1'), undefined, 'the ReplicaSet followed its Deployment');
  t.equal(find(cluster, SECRETS, 'web-1-token'), undefined, 'and the Secret its ReplicaSet');
});

t.test('foreground deletion keeps the owner (deletionTimestamp + foregroundDeletion) until blocking dependents are gone', async (t) => {
  const cluster = gcCluster();
  const o = owner(cluster, 'owner');
  // A finalizer on the dependent holds it (and so the owner) until the test releases it.
  dependent(cluster, 'blocker', [ref(o, { blockOwnerDeletion: true })], [HOLD]);
  dependent(cluster, 'plain', [ref(o, { blockOwnerDeletion: true })]);
  cluster.sim.run({ untilMs: 1_000 });
  at(cluster, 1_000, () => void cluster.api.delete(CONFIGMAPS, 'owner', { namespace: NS, propagationPolicy: 'Foreground' }));
  cluster.sim.run({ untilMs: 1_000 });
  const marked = find(cluster, CONFIGMAPS, 'owner');
  t.ok(marked?.metadata.deletionTimestamp, 'owner marked for deletion');
  t.same(marked?.metadata.finalizers, [FOREGROUND_FINALIZER]);
  cluster.sim.run({ untilMs: 5_000 });
  t.equal(find(cluster, SECRETS, 'plain'), undefined, 'a dependent without finalizers is deleted');
  const blocker = find(cluster, SECRETS, 'blocker');
  t.ok(blocker?.metadata.deletionTimestamp, 'the held dependent is being deleted');
  const still = find(cluster, CONFIGMAPS, 'owner');
  t.ok(still, 'the owner waits for it');
  t.same(still?.metadata.finalizers, [FOREGROUND_FINALIZER]);
  t.equal(still?.metadata.uid, o.metadata.uid);
  at(cluster, 5_000, () => void cluster.api.patch(SECRETS, 'blocker', { metadata: { finalizers: null } }, { namespace: NS, patchType: 'merge' }));
  cluster.sim.run({ untilMs: 5_000 });
  t.equal(find(cluster, SECRETS, 'blocker'), undefined, 'released dependent gone');
  t.ok(find(cluster, CONFIGMAPS, 'owner'), 'the owner outlives its last dependent for an instant');
  cluster.sim.run({ untilMs: 8_000 });
  t.equal(find(cluster, CONFIGMAPS, 'owner'), undefined, 'then the collector removes the finalizer and the owner disappears');
  const finalizerPatch = cluster.sim.trace.lines().filter((l) => l.kind === 'api' && l.fields.verb === 'patch' && l.fields.res === 'configmaps' && l.fields.c === 'kube-controller-manager');
  t.ok(finalizerPatch.some((l) => l.atMs > 5_000), 'the finalizer removal came after the release');
});

t.test('foreground deletion does not wait for dependents without blockOwnerDeletion', async (t) => {
  const cluster = gcCluster();
  const o = owner(cluster, 'owner');
  dependent(cluster, 'non-blocking', [ref(o)], [HOLD]);
  cluster.sim.run({ untilMs: 1_000 });
  at(cluster, 1_000, () => void cluster.api.delete(CONFIGMAPS, 'owner', { namespace: NS, propagationPolicy: 'Foreground' }));
  cluster.sim.run({ untilMs: 5_000 });
  t.equal(find(cluster, CONFIGMAPS, 'owner'), undefined, 'owner gone');
  t.ok(find(cluster, SECRETS, 'non-blocking')?.metadata.deletionTimestamp, 'the dependent is still deleted (it waits on its own finalizer)');
});

t.test('orphan deletion strips the ownerReference from dependents and removes the owner; dependents survive', async (t) => {
  const cluster = gcCluster();
  const o = owner(cluster, 'owner');
  const keep = owner(cluster, 'keeper');
  dependent(cluster, 'dep-1', [ref(o, { controller: true, blockOwnerDeletion: true })]);
  dependent(cluster, 'dep-2', [ref(keep), ref(o)]);
  cluster.sim.run({ untilMs: 1_000 });
  at(cluster, 1_000, () => void cluster.api.delete(CONFIGMAPS, 'owner', { namespace: NS, propagationPolicy: 'Orphan' }));
  cluster.sim.run({ untilMs: 1_000 });
  t.same(find(cluster, CONFIGMAPS, 'owner')?.metadata.finalizers, [ORPHAN_FINALIZER], 'the owner waits with the orphan finalizer');
  cluster.sim.run({ untilMs: 5_000 });
  t.equal(find(cluster, CONFIGMAPS, 'owner'), undefined, 'owner removed');
  t.same(find(cluster, SECRETS, 'dep-1')?.metadata.ownerReferences ?? [], [], 'dep-1 survives with no owner');
  t.same(find(cluster, SECRETS, 'dep-2')?.metadata.ownerReferences?.map((r) => r.name), ['keeper'], 'dep-2 keeps its other owner');
  cluster.sim.run({ untilMs: 10_000 });
  t.ok(find(cluster, SECRETS, 'dep-1'), 'and is not collected later');
  t.equal(cluster.sim.trace.lines().filter((l) => l.kind === 'gc-delete').length, 0, 'the collector deleted nothing');
});

t.test('a dependent with two owners survives the deletion of one and loses only the dangling reference', async (t) => {
  const cluster = gcCluster();
  const a = owner(cluster, 'owner-a');
  const b = owner(cluster, 'owner-b');
  dependent(cluster, 'shared', [ref(a), ref(b, { controller: true })]);
  cluster.sim.run({ untilMs: 1_000 });
  at(cluster, 1_000, () => void cluster.api.delete(CONFIGMAPS, 'owner-a', { namespace: NS }));
  cluster.sim.run({ untilMs: 5_000 });
  const shared = find(cluster, SECRETS, 'shared');
  t.ok(shared, 'survives');
  t.same(shared?.metadata.ownerReferences, [ref(b, { controller: true })], 'only the reference to the deleted owner is gone');
  at(cluster, 5_000, () => void cluster.api.delete(CONFIGMAPS, 'owner-b', { namespace: NS }));
  cluster.sim.run({ untilMs: 9_000 });
  t.equal(find(cluster, SECRETS, 'shared'), undefined, 'collected once its last owner goes');
});

t.test('a dependent whose owner uid never existed is collected', async (t) => {
  const cluster = gcCluster();
  dependent(cluster, 'ghost-child', [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'ghost', uid: '00000000-0000-0000-0000-000000000000' }]);
  cluster.sim.run({ untilMs: 3_000 });
  t.equal(find(cluster, SECRETS, 'ghost-child'), undefined);
  t.ok(cluster.sim.trace.lines().some((l) => l.kind === 'api' && l.fields.verb === 'get' && l.fields.name === 'ghost' && l.fields.code === 404), 'it asked the server (live GET) before deciding');
});

t.test('a dependent whose owner name exists with a different uid (recreated) is collected', async (t) => {
  const cluster = gcCluster();
  const first = owner(cluster, 'reborn');
  cluster.api.delete(CONFIGMAPS, 'reborn', { namespace: NS });
  owner(cluster, 'reborn');
  dependent(cluster, 'orphaned', [ref(first)]);
  cluster.sim.run({ untilMs: 3_000 });
  t.equal(find(cluster, SECRETS, 'orphaned'), undefined);
  t.ok(find(cluster, CONFIGMAPS, 'reborn'), 'the new owner with the same name is left alone');
});

t.test('a dependent whose owner kind is unknown is treated as dangling and collected', async (t) => {
  const cluster = gcCluster();
  dependent(cluster, 'alien-child', [{ apiVersion: 'example.com/v1', kind: 'Alien', name: 'x', uid: 'u-1' }]);
  cluster.sim.run({ untilMs: 3_000 });
  t.equal(find(cluster, SECRETS, 'alien-child'), undefined);
});

t.test('an owner being deleted with foreground propagation stops being solid: its other dependents wait, then go', async (t) => {
  const cluster = gcCluster();
  const o = owner(cluster, 'owner');
  const mid = dependent(cluster, 'mid', [ref(o, { blockOwnerDeletion: true })]);
  // A grandchild owned by the Secret "mid", blocking it: a two-level foreground chain.
  cluster.api.create(CONFIGMAPS, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'leaf', namespace: NS, ownerReferences: [ref(mid, { blockOwnerDeletion: true })], finalizers: [HOLD] } });
  cluster.sim.run({ untilMs: 1_000 });
  at(cluster, 1_000, () => void cluster.api.delete(CONFIGMAPS, 'owner', { namespace: NS, propagationPolicy: 'Foreground' }));
  cluster.sim.run({ untilMs: 5_000 });
  t.ok(find(cluster, CONFIGMAPS, 'owner'), 'owner waits');
  t.same(find(cluster, SECRETS, 'mid')?.metadata.finalizers, [FOREGROUND_FINALIZER], 'the middle object is deleted in the foreground too (its owner waits on it and it has dependents)');
  t.ok(find(cluster, CONFIGMAPS, 'leaf')?.metadata.deletionTimestamp, 'the leaf is being deleted');
  at(cluster, 5_000, () => void cluster.api.patch(CONFIGMAPS, 'leaf', { metadata: { finalizers: null } }, { namespace: NS, patchType: 'merge' }));
  cluster.sim.run({ untilMs: 10_000 });
  t.equal(find(cluster, CONFIGMAPS, 'leaf'), undefined);
  t.equal(find(cluster, SECRETS, 'mid'), undefined);
  t.equal(find(cluster, CONFIGMAPS, 'owner'), undefined, 'the whole chain is gone, bottom up');
});

t.test('the collector catches up after a crash: dependents of an owner deleted while it was down are collected after restart', async (t) => {
  const cluster = gcCluster();
  const o = owner(cluster, 'owner');
  dependent(cluster, 'dep', [ref(o)]);
  cluster.sim.run({ untilMs: 1_000 });
  at(cluster, 1_000, () => cluster.component('kube-controller-manager').crash({ restartAfterMs: 3_000 }));
  at(cluster, 1_500, () => void cluster.api.delete(CONFIGMAPS, 'owner', { namespace: NS }));
  cluster.sim.run({ untilMs: 3_900 });
  t.ok(find(cluster, SECRETS, 'dep'), 'nothing happens while the collector is down');
  cluster.sim.run({ untilMs: 8_000 });
  t.equal(find(cluster, SECRETS, 'dep'), undefined, 'collected from the relisted state');
});

t.test('updates of a dependent whose owners are all known queue nothing (graph_builder queues only on owner absence, reference changes and deletion transitions)', async (t) => {
  const cluster = gcCluster();
  const o = owner(cluster, 'owner');
  const d = dependent(cluster, 'dep', [ref(o, { controller: true, blockOwnerDeletion: true })]);
  cluster.sim.run({ untilMs: 1_000 });
  const reconciles = (): number => cluster.sim.trace.lines().filter((l) => l.kind === 'reconcile' && l.fields.ctl === 'garbage-collector').length;
  const before = reconciles();
  for (let i = 0; i < 5; i++) {
    at(cluster, 1_000 + 100 * i, () => {
      const cur = cluster.api.get(SECRETS, 'dep', { namespace: NS });
      void cluster.api.update(SECRETS, { ...cur, metadata: { ...cur.metadata, labels: { round: String(i) } } });
    });
  }
  cluster.sim.run({ untilMs: 2_000 });
  t.equal(reconciles(), before, 'five label updates of the dependent: no collector reconcile');
  t.ok(find(cluster, SECRETS, 'dep'), 'the dependent stays');
  const stranger: OwnerReference = { apiVersion: 'v1', kind: 'ConfigMap', name: 'never-created', uid: 'uid-never-created' };
  at(cluster, 2_000, () => {
    const cur = cluster.api.get(SECRETS, 'dep', { namespace: NS });
    void cluster.api.update(SECRETS, { ...cur, metadata: { ...cur.metadata, ownerReferences: [...cur.metadata.ownerReferences!, stranger] } });
  });
  cluster.sim.run({ untilMs: 3_000 });
  t.ok(reconciles() > before, 'an added reference to an owner the collector has not seen queues it');
  t.same(find(cluster, SECRETS, 'dep')?.metadata.ownerReferences?.map((r) => r.uid), [d.metadata.ownerReferences![0].uid], 'the dangling reference is removed, the solid one kept');
});
