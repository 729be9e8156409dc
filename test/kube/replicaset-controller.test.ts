// The ReplicaSet controller against the real in-memory API server, in a SimCluster; the test plays
// the scheduler and kubelet through KubeletStandIn (bind, Ready after a delay, finish deletions).
import t from 'tap';
import { forbidden } from '../../src/apiserver/api-error.js';
import type { KubeObject } from '../../src/apiserver/types.js';
import { SimCluster } from '../../src/client/sim-cluster.js';
import { isPodReady } from '../../src/kube/pod-status.js';
import { setupReplicaSetController } from '../../src/kube/replicaset-controller.js';
import { PODS, REPLICASETS } from '../../src/kube/resources.js';
import { KubeletStandIn, type KubeletStandInOptions } from './kubelet-stand-in.js';

const NS = 'default';
const LABELS = { app: 'web' };

function rsCluster(options: { seed?: number; burstReplicas?: number; standIn?: KubeletStandInOptions } = {}): { cluster: SimCluster; kubelet: KubeletStandIn } {
  const cluster = new SimCluster({ seed: options.seed ?? 7, trace: { keepAll: true }, bookmarkIntervalMs: 0 });
  cluster.addComponent({ name: 'kube-controller-manager', setup: (ctx) => void setupReplicaSetController(ctx, { burstReplicas: options.burstReplicas }) });
  const kubelet = new KubeletStandIn(cluster, options.standIn);
  return { cluster, kubelet };
}

function replicaSet(name: string, replicas: number, extra: { minReadySeconds?: number } = {}): KubeObject {
  return {
    apiVersion: 'apps/v1', kind: 'ReplicaSet',
    metadata: { name, namespace: NS, labels: LABELS },
    spec: { replicas, ...extra, selector: { matchLabels: LABELS }, template: { metadata: { labels: LABELS }, spec: { containers: [{ name: 'c', image: 'nginx:1' }] } } },
  };
}

const at = (cluster: SimCluster, atMs: number, fn: () => void): void => void cluster.sim.schedule(atMs - cluster.sim.nowMs, fn);
const getRs = (cluster: SimCluster, name: string): KubeObject => cluster.api.get(REPLICASETS, name, { namespace: NS });
const livePods = (cluster: SimCluster): KubeObject[] => cluster.api.list(PODS, { namespace: NS }).items.filter((p) => p.metadata.deletionTimestamp === undefined);
const scaleTo = (cluster: SimCluster, name: string, replicas: number): void =>
  void cluster.api.patch(REPLICASETS, name, { spec: { replicas } }, { namespace: NS, patchType: 'merge' });

t.test('ReplicaSet scales 0 → 5 → 2, deleting the not-ready pods first and then a pod from the most crowded node', async (t) => {
  const { cluster, kubelet } = rsCluster({ standIn: { nodes: ['node-a', 'node-b'], readyAfterMs: (_pod, i) => (i >= 3 ? null : 1_000) } });
  cluster.api.create(REPLICASETS, replicaSet('web', 0));
  cluster.sim.run({ untilMs: 1_000 });
  t.equal(livePods(cluster).length, 0, 'no pods for 0 replicas');
  at(cluster, 1_000, () => scaleTo(cluster, 'web', 5));
  cluster.sim.run({ untilMs: 10_000 });
  const five = livePods(cluster);
  t.equal(five.length, 5, 'five pods');
  t.ok(five.every((p) => p.metadata.generateName === 'web-' && p.metadata.name!.startsWith('web-')), 'named from generateName web-');
  t.ok(five.every((p) => p.metadata.ownerReferences?.[0].controller === true && p.metadata.ownerReferences[0].blockOwnerDeletion === true && p.metadata.ownerReferences[0].name === 'web'), 'controller references');
  t.same(getRs(cluster, 'web').status, { replicas: 5, fullyLabeledReplicas: 5, readyReplicas: 3, availableReplicas: 3, observedGeneration: 2 });
  const notReady = kubelet.created.slice(3).map((p) => p.metadata.name);
  at(cluster, 10_000, () => scaleTo(cluster, 'web', 2));
  cluster.sim.run({ untilMs: 20_000 });
  const remaining = livePods(cluster);
  t.equal(remaining.length, 2, 'two pods left');
  t.ok(remaining.every(isPodReady), 'both ready');
  t.notOk(remaining.some((p) => notReady.includes(p.metadata.name)), 'the never-ready pods went first');
  const survivorsOnA = remaining.filter((p) => p.spec.nodeName === 'node-a').length;
  t.equal(survivorsOnA, 1, 'of the ready pods, one on the crowded node-a (3 pods) went: one per node is left');
  t.same(getRs(cluster, 'web').status, { replicas: 2, fullyLabeledReplicas: 2, readyReplicas: 2, availableReplicas: 2, observedGeneration: 3 });
  const deletes = cluster.sim.trace.lines().filter((l) => l.kind === 'api' && l.fields.verb === 'delete' && l.fields.res === 'pods' && l.fields.c === 'kube-controller-manager');
  t.equal(deletes.length, 3, 'exactly three deletions');
});

t.test('pod creates are slow-started in batches of 1, 2, 4 ... capped by burstReplicas, and expectations hold the next batch back', async (t) => {
  const { cluster } = rsCluster({ burstReplicas: 3 });
  cluster.api.create(REPLICASETS, replicaSet('web', 7));
  cluster.sim.run({ untilMs: 5_000 });
  t.equal(livePods(cluster).length, 7, 'all seven created');
  const creates = cluster.sim.trace.lines().filter((l) => l.kind === 'api' && l.fields.verb === 'create' && l.fields.res === 'pods').map((l) => l.atMs);
  t.equal(creates.length, 7, 'no create beyond what was needed');
  const syncs = cluster.sim.trace.lines().filter((l) => l.kind === 'reconcile' && l.fields.key === `${NS}/web`).map((l) => l.atMs);
  // burst 3: the first sync creates 1 + 2, the next 1 + 2 once all three are observed, the last 1.
  const perSync = syncs.map((start, i) => creates.filter((c) => c >= start && (i + 1 >= syncs.length || c < syncs[i + 1])).length).filter((n) => n > 0);
  t.same(perSync, [3, 3, 1], 'three syncs created 3, 3 and 1 pods');
});

t.test('failed pod creates set ReplicaFailure FailedCreate with the error, record FailedCreate events, and clear once creates succeed', async (t) => {
  const { cluster } = rsCluster();
  const quota = forbidden({ group: '', resource: 'pods' }, '', 'exceeded quota: compute-resources');
  const removeFault = cluster.network.addRequestFault({ name: 'quota', match: (r) => r.verb === 'create' && r.resource.resource === 'pods', fault: { kind: 'error', status: quota.status } });
  cluster.api.create(REPLICASETS, replicaSet('web', 3));
  cluster.sim.run({ untilMs: 5_000 });
  const failing = getRs(cluster, 'web');
  t.equal(failing.status.replicas, 0);
  t.match(failing.status.conditions, [{ type: 'ReplicaFailure', status: 'True', reason: 'FailedCreate', message: 'pods is forbidden: exceeded quota: compute-resources' }]);
  const hits = cluster.sim.trace.lines().filter((l) => l.kind === 'fault-hit');
  const firstStatusWrite = cluster.sim.trace.lines().find((l) => l.kind === 'api' && l.fields.res === 'replicasets' && l.fields.sub === 'status')!;
  t.equal(hits.filter((h) => h.atMs <= firstStatusWrite.atMs).length, 1, 'slow start: the first sync stopped after one failed create');
  const events = cluster.api.list({ group: '', version: 'v1', resource: 'events' }, { namespace: NS }).items;
  t.ok(events.some((e) => e.reason === 'FailedCreate' && e.type === 'Warning' && e.involvedObject.name === 'web'), 'FailedCreate event');
  at(cluster, 5_000, () => removeFault());
  cluster.sim.run({ untilMs: 60_000 });
  const healed = getRs(cluster, 'web');
  t.equal(livePods(cluster).length, 3, 'pods created once the fault is gone');
  t.equal(healed.status.conditions, undefined, 'ReplicaFailure removed');
  t.equal(healed.status.availableReplicas, 3);
  t.ok(cluster.api.list({ group: '', version: 'v1', resource: 'events' }, { namespace: NS }).items.some((e) => e.reason === 'SuccessfulCreate'), 'SuccessfulCreate events');
});

t.test('an orphan pod matching the selector is adopted and a pod relabelled out of the selector is released and replaced', async (t) => {
  const { cluster } = rsCluster();
  cluster.api.create(PODS, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'stray', namespace: NS, labels: LABELS }, spec: { containers: [{ name: 'c', image: 'nginx:1' }] } });
  cluster.api.create(REPLICASETS, replicaSet('web', 2));
  cluster.sim.run({ untilMs: 5_000 });
  const rs = getRs(cluster, 'web');
  const stray = cluster.api.get(PODS, 'stray', { namespace: NS });
  t.match(stray.metadata.ownerReferences, [{ kind: 'ReplicaSet', name: 'web', uid: rs.metadata.uid, controller: true, blockOwnerDeletion: true }], 'adopted');
  t.equal(livePods(cluster).length, 2, 'only one pod created next to the adopted one');
  at(cluster, 5_000, () => void cluster.api.patch(PODS, 'stray', { metadata: { labels: { app: 'elsewhere' } } }, { namespace: NS, patchType: 'merge' }));
  cluster.sim.run({ untilMs: 10_000 });
  t.same(cluster.api.get(PODS, 'stray', { namespace: NS }).metadata.ownerReferences ?? [], [], 'released');
  const owned = livePods(cluster).filter((p) => p.metadata.ownerReferences?.some((r) => r.uid === rs.metadata.uid));
  t.equal(owned.length, 2, 'a replacement was created');
});

t.test('minReadySeconds: pods count as available only after being ready that long, found by a requeue', async (t) => {
  const { cluster } = rsCluster({ standIn: { readyAfterMs: () => 1_000 } });
  cluster.api.create(REPLICASETS, replicaSet('web', 2, { minReadySeconds: 10 }));
  let availableAtMs: number | undefined;
  cluster.api.onCommit((ev) => {
    if (availableAtMs === undefined && ev.resource.plural === 'replicasets' && ev.object.status?.availableReplicas === 2) availableAtMs = cluster.sim.nowMs;
  });
  cluster.sim.run({ untilMs: 5_000 });
  t.equal(getRs(cluster, 'web').status.readyReplicas, 2, 'ready after about a second');
  t.equal(getRs(cluster, 'web').status.availableReplicas, undefined, 'not yet available');
  cluster.sim.run({ untilMs: 20_000 });
  t.ok(availableAtMs !== undefined && availableAtMs > 11_000 && availableAtMs < 13_500, `available about 10 s after ready (at ${availableAtMs} ms)`);
});

t.test('same seed, same run: the trace hash repeats', async (t) => {
  const run = (): string => {
    const { cluster } = rsCluster({ seed: 99 });
    cluster.api.create(REPLICASETS, replicaSet('web', 4));
    at(cluster, 5_000, () => scaleTo(cluster, 'web', 1));
    cluster.sim.run({ untilMs: 15_000 });
    return cluster.sim.traceHash();
  };
  t.equal(run(), run());
});
