// The Deployment and ReplicaSet controllers together in kube-controller-manager, against the real
// in-memory API server; KubeletStandIn plays scheduler and kubelet (pods of image broken:1 never
// become Ready). Invariants are checked at every pod commit through the API server's commit hook.
import t from 'tap';
import { forbidden } from '../../src/apiserver/api-error.js';
import type { KubeObject } from '../../src/apiserver/types.js';
import { SimCluster } from '../../src/client/sim-cluster.js';
import { setupDeploymentController } from '../../src/kube/deployment-controller.js';
import { computeHash, POD_TEMPLATE_HASH_LABEL } from '../../src/kube/pod-template-hash.js';
import { isPodActive, isPodReady } from '../../src/kube/pod-status.js';
import { setupReplicaSetController } from '../../src/kube/replicaset-controller.js';
import { DEPLOYMENTS, PODS, REPLICASETS } from '../../src/kube/resources.js';
import { resolveFenceposts } from '../../src/kube/rolling-fenceposts.js';
import { parseSimTime } from '../../src/sim/time-format.js';
import { KubeletStandIn, type KubeletStandInOptions } from './kubelet-stand-in.js';

const NS = 'default';
const LABELS = { app: 'web' };
const BROKEN = 'broken:1';

/** Both controllers in kube-controller-manager; the stand-in never readies pods of image `broken:1`. */
function deploymentCluster(options: { seed?: number; standIn?: KubeletStandInOptions } = {}): { cluster: SimCluster; kubelet: KubeletStandIn } {
  const cluster = new SimCluster({ seed: options.seed ?? 11, trace: { keepAll: true }, bookmarkIntervalMs: 0 });
  cluster.addComponent({
    name: 'kube-controller-manager',
    setup: (ctx) => {
      setupReplicaSetController(ctx);
      setupDeploymentController(ctx);
    },
  });
  const readyAfterMs = (pod: KubeObject): number | null => (pod.spec.containers[0].image === BROKEN ? null : 1_000);
  const kubelet = new KubeletStandIn(cluster, { readyAfterMs, ...options.standIn });
  return { cluster, kubelet };
}

interface DeploymentSpec {
  replicas: number;
  image?: string;
  strategy?: Record<string, unknown>;
  progressDeadlineSeconds?: number;
  revisionHistoryLimit?: number;
  paused?: boolean;
}

function deployment(name: string, spec: DeploymentSpec): KubeObject {
  const { replicas, image = 'nginx:1', ...rest } = spec;
  return {
    apiVersion: 'apps/v1', kind: 'Deployment',
    metadata: { name, namespace: NS },
    spec: { replicas, ...rest, selector: { matchLabels: LABELS }, template: { metadata: { labels: LABELS }, spec: { containers: [{ name: 'c', image }] } } },
  };
}

const rolling = (maxSurge: number | string, maxUnavailable: number | string): Record<string, unknown> => ({ type: 'RollingUpdate', rollingUpdate: { maxSurge, maxUnavailable } });
const at = (cluster: SimCluster, atMs: number, fn: () => void): void => void cluster.sim.schedule(atMs - cluster.sim.nowMs, fn);
const getDeployment = (cluster: SimCluster, name = 'web'): KubeObject => cluster.api.get(DEPLOYMENTS, name, { namespace: NS });
const replicaSets = (cluster: SimCluster): KubeObject[] => cluster.api.list(REPLICASETS, { namespace: NS }).items;
const activePods = (cluster: SimCluster): KubeObject[] => cluster.api.list(PODS, { namespace: NS }).items.filter(isPodActive);
const setImage = (cluster: SimCluster, image: string, name = 'web'): void =>
  void cluster.api.patch(DEPLOYMENTS, name, { spec: { template: { spec: { containers: [{ name: 'c', image }] } } } }, { namespace: NS, patchType: 'strategic' });
const condition = (obj: KubeObject, type: string): Record<string, string> | undefined => obj.status?.conditions?.find((c: { type: string }) => c.type === type);
const rsOfImage = (cluster: SimCluster, image: string): KubeObject | undefined => replicaSets(cluster).find((rs) => rs.spec.template.spec.containers[0].image === image);

/** From now on, watches every pod commit and keeps the extremes of active and ready-and-active pods. */
function podExtremes(cluster: SimCluster): { maxActive: number; minReady: number; commits: number } {
  const pods = new Map<string, KubeObject>(cluster.api.list(PODS, { namespace: NS }).items.map((p) => [p.metadata.name!, p]));
  const extremes = { maxActive: 0, minReady: Infinity, commits: 0 };
  cluster.api.onCommit((ev) => {
    if (ev.resource.plural !== 'pods') return;
    if (ev.type === 'DELETED') pods.delete(ev.object.metadata.name!);
    else pods.set(ev.object.metadata.name!, ev.object);
    extremes.commits++;
    const active = [...pods.values()].filter(isPodActive);
    extremes.maxActive = Math.max(extremes.maxActive, active.length);
    extremes.minReady = Math.min(extremes.minReady, active.filter(isPodReady).length);
  });
  return extremes;
}

for (const [maxSurge, maxUnavailable] of [[1, 0], ['25%', '25%'], [0, '50%'], [2, 1]] as const) {
  t.test(`RollingUpdate of 3 → new template with maxSurge ${maxSurge} / maxUnavailable ${maxUnavailable}: pod bounds hold at every commit`, async (t) => {
    const { cluster } = deploymentCluster();
    cluster.api.create(DEPLOYMENTS, deployment('web', { replicas: 3, strategy: rolling(maxSurge, maxUnavailable) }));
    cluster.sim.run({ untilMs: 10_000 });
    t.equal(activePods(cluster).filter(isPodReady).length, 3, 'initial rollout done');
    const extremes = podExtremes(cluster);
    at(cluster, 10_000, () => setImage(cluster, 'nginx:2'));
    cluster.sim.run({ untilMs: 60_000 });
    const { surge, unavailable } = resolveFenceposts(maxSurge, maxUnavailable, 3);
    t.ok(extremes.commits >= 15, `checked at each of ${extremes.commits} pod commits (3 creates, binds, readies; 3 terminations, deletions)`);
    t.ok(extremes.maxActive <= 3 + surge, `active pods never above ${3 + surge} (max ${extremes.maxActive})`);
    t.ok(extremes.minReady >= 3 - unavailable, `ready pods never below ${3 - unavailable} (min ${extremes.minReady})`);
    const pods = activePods(cluster);
    t.equal(pods.length, 3);
    t.ok(pods.every((p) => p.spec.containers[0].image === 'nginx:2' && isPodReady(p)), 'all pods run the new template');
    const d = getDeployment(cluster);
    t.match(condition(d, 'Progressing'), { status: 'True', reason: 'NewReplicaSetAvailable', message: `ReplicaSet "${rsOfImage(cluster, 'nginx:2')!.metadata.name}" has successfully progressed.` });
    t.match(condition(d, 'Available'), { status: 'True', reason: 'MinimumReplicasAvailable' });
    t.match(d.status, { observedGeneration: 2, replicas: 3, updatedReplicas: 3, readyReplicas: 3, availableReplicas: 3 });
    t.equal(d.metadata.annotations!['deployment.kubernetes.io/revision'], '2', 'revision 2');
    const oldRs = rsOfImage(cluster, 'nginx:1')!;
    const newRs = rsOfImage(cluster, 'nginx:2')!;
    t.equal(oldRs.spec.replicas, 0, 'old ReplicaSet scaled to 0');
    t.equal(oldRs.metadata.annotations!['deployment.kubernetes.io/revision'], '1');
    t.equal(newRs.metadata.annotations!['deployment.kubernetes.io/revision'], '2');
    t.equal(newRs.metadata.name, `web-${newRs.metadata.labels![POD_TEMPLATE_HASH_LABEL]}`, 'named <deployment>-<hash>');
    t.equal(newRs.spec.selector.matchLabels[POD_TEMPLATE_HASH_LABEL], newRs.metadata.labels![POD_TEMPLATE_HASH_LABEL], 'hash in the selector');
    t.not(oldRs.metadata.labels![POD_TEMPLATE_HASH_LABEL], newRs.metadata.labels![POD_TEMPLATE_HASH_LABEL], 'templates hash apart');
  });
}

for (const crashAtMs of [10_004, 10_012, 10_600, 11_060]) {
  t.test(`a kube-controller-manager crash at ${crashAtMs} ms, mid-rollout, loses caches, queues and expectations; after restart the rollout completes within bounds`, async (t) => {
    const { cluster } = deploymentCluster();
    cluster.api.create(DEPLOYMENTS, deployment('web', { replicas: 4, strategy: rolling(1, 1) }));
    cluster.sim.run({ untilMs: 10_000 });
    const extremes = podExtremes(cluster);
    at(cluster, 10_000, () => setImage(cluster, 'nginx:2'));
    at(cluster, crashAtMs, () => cluster.component('kube-controller-manager').crash({ restartAfterMs: 2_000 }));
    cluster.sim.run({ untilMs: 60_000 });
    t.equal(cluster.component('kube-controller-manager').incarnation, 2, 'restarted once');
    t.ok(extremes.maxActive <= 5 && extremes.minReady >= 3, `bounds held (max ${extremes.maxActive} active, min ${extremes.minReady} ready)`);
    const pods = activePods(cluster);
    t.equal(pods.length, 4);
    t.ok(pods.every((p) => p.spec.containers[0].image === 'nginx:2' && isPodReady(p)), 'all on the new template');
    t.match(condition(getDeployment(cluster), 'Progressing'), { status: 'True', reason: 'NewReplicaSetAvailable' });
    t.equal(replicaSets(cluster).length, 2, 'no duplicate ReplicaSet after the restart');
  });
}

t.test('Recreate: old pods are all gone before any new pod exists', async (t) => {
  const { cluster } = deploymentCluster();
  cluster.api.create(DEPLOYMENTS, deployment('web', { replicas: 3, strategy: { type: 'Recreate' } }));
  cluster.sim.run({ untilMs: 10_000 });
  const oldHash = rsOfImage(cluster, 'nginx:1')!.metadata.labels![POD_TEMPLATE_HASH_LABEL];
  const pods = new Map<string, KubeObject>(cluster.api.list(PODS, { namespace: NS }).items.map((p) => [p.metadata.name!, p]));
  let overlaps = 0;
  let firstNewAtMs = Infinity;
  let lastOldGoneAtMs = 0;
  cluster.api.onCommit((ev) => {
    if (ev.resource.plural !== 'pods') return;
    if (ev.type === 'DELETED') pods.delete(ev.object.metadata.name!);
    else pods.set(ev.object.metadata.name!, ev.object);
    const hashes = new Set([...pods.values()].map((p) => p.metadata.labels![POD_TEMPLATE_HASH_LABEL]));
    if (hashes.size > 1) overlaps++;
    if (!hashes.has(oldHash) && lastOldGoneAtMs === 0) lastOldGoneAtMs = cluster.sim.nowMs;
    if (ev.type === 'ADDED' && ev.object.metadata.labels![POD_TEMPLATE_HASH_LABEL] !== oldHash) firstNewAtMs = Math.min(firstNewAtMs, cluster.sim.nowMs);
  });
  at(cluster, 10_000, () => setImage(cluster, 'nginx:2'));
  cluster.sim.run({ untilMs: 40_000 });
  t.equal(overlaps, 0, 'never old and new pods at once (terminating ones included)');
  t.ok(lastOldGoneAtMs > 10_500 && firstNewAtMs > lastOldGoneAtMs, `new pods (from ${firstNewAtMs} ms) only after the old ones were gone (${lastOldGoneAtMs} ms)`);
  const live = activePods(cluster);
  t.equal(live.length, 3);
  t.ok(live.every((p) => p.spec.containers[0].image === 'nginx:2' && isPodReady(p)));
  t.match(condition(getDeployment(cluster), 'Progressing'), { status: 'True', reason: 'NewReplicaSetAvailable' });
});

t.test('progress deadline: Progressing goes False with ProgressDeadlineExceeded about progressDeadlineSeconds after the last progress', async (t) => {
  const { cluster } = deploymentCluster();
  cluster.api.create(DEPLOYMENTS, deployment('web', { replicas: 2, progressDeadlineSeconds: 30, strategy: rolling(1, 0) }));
  cluster.sim.run({ untilMs: 10_000 });
  const history: { atMs: number; progressing?: Record<string, string> }[] = [];
  cluster.api.onCommit((ev) => {
    if (ev.resource.plural === 'deployments') history.push({ atMs: cluster.sim.nowMs, progressing: condition(ev.object, 'Progressing') });
  });
  at(cluster, 10_000, () => setImage(cluster, BROKEN));
  cluster.sim.run({ untilMs: 120_000 });
  const timedOut = history.find((h) => h.progressing?.reason === 'ProgressDeadlineExceeded');
  t.ok(timedOut, 'the deadline was reported');
  const before = history.filter((h) => h.atMs < timedOut!.atMs && h.progressing?.status === 'True').at(-1)!;
  const lastProgressMs = parseSimTime(before.progressing!.lastUpdateTime);
  const delayMs = timedOut!.atMs - lastProgressMs;
  t.ok(delayMs > 30_000 && delayMs < 32_500, `reported ${delayMs} ms after the last progress (deadline 30 s, requeue 1 s later)`);
  t.match(timedOut!.progressing, { status: 'False', message: `ReplicaSet "${rsOfImage(cluster, BROKEN)!.metadata.name}" has timed out progressing.` });
  t.equal(timedOut!.progressing!.lastTransitionTime, timedOut!.progressing!.lastUpdateTime);
  t.equal(history.filter((h) => h.progressing?.reason === 'ProgressDeadlineExceeded' && h.atMs > timedOut!.atMs + 5_000).length, 0, 'no rewrites afterwards');
  t.equal(rsOfImage(cluster, BROKEN)!.spec.replicas, 1, 'the broken ReplicaSet stays at the surge');
  t.equal(rsOfImage(cluster, 'nginx:1')!.spec.replicas, 2, 'the old one keeps every replica (maxUnavailable 0)');
  t.match(condition(getDeployment(cluster), 'Available'), { status: 'True' });
});

t.test('scaling mid-rollout through /scale shares the new replicas out in proportion, via the max-replicas annotations', async (t) => {
  const { cluster } = deploymentCluster();
  cluster.api.create(DEPLOYMENTS, deployment('web', { replicas: 10, strategy: rolling(3, 2) }));
  cluster.sim.run({ untilMs: 15_000 });
  at(cluster, 15_000, () => setImage(cluster, BROKEN));
  cluster.sim.run({ untilMs: 30_000 });
  t.equal(rsOfImage(cluster, 'nginx:1')!.spec.replicas, 8, 'rollout stuck: old at 8');
  t.equal(rsOfImage(cluster, BROKEN)!.spec.replicas, 5, 'new at 5 (13 = 10 + maxSurge)');
  at(cluster, 30_000, () => {
    const scale = cluster.api.get(DEPLOYMENTS, 'web', { namespace: NS, subresource: 'scale' });
    cluster.api.update(DEPLOYMENTS, { ...scale, spec: { replicas: 20 } }, { namespace: NS, subresource: 'scale' });
  });
  cluster.sim.run({ untilMs: 60_000 });
  const [oldRs, newRs] = [rsOfImage(cluster, 'nginx:1')!, rsOfImage(cluster, BROKEN)!];
  // 23 = 20 + 3 replicas shared as 8:5 of the old 13: old 8 * 23/13 = 14.2 → 14, new 5 * 23/13 = 8.8 → 9.
  t.equal(oldRs.spec.replicas, 14, 'old ReplicaSet 8 → 14');
  t.equal(newRs.spec.replicas, 9, 'new ReplicaSet 5 → 9');
  for (const rs of [oldRs, newRs]) {
    t.equal(rs.metadata.annotations!['deployment.kubernetes.io/desired-replicas'], '20');
    t.equal(rs.metadata.annotations!['deployment.kubernetes.io/max-replicas'], '23');
  }
  const d = getDeployment(cluster);
  t.equal(d.status.observedGeneration, d.metadata.generation, 'the scale was observed');
  t.equal(d.status.replicas, 23);
  t.equal(activePods(cluster).length, 23);
});

t.test('observedGeneration follows generation through template changes and scaling, never ahead of it', async (t) => {
  const { cluster } = deploymentCluster();
  let ahead = 0;
  cluster.api.onCommit((ev) => {
    if ((ev.object.status?.observedGeneration ?? 0) > (ev.object.metadata.generation ?? 0)) ahead++;
  });
  cluster.api.create(DEPLOYMENTS, deployment('web', { replicas: 2 }));
  cluster.sim.run({ untilMs: 5_000 });
  t.equal(getDeployment(cluster).status.observedGeneration, 1);
  at(cluster, 5_000, () => setImage(cluster, 'nginx:2'));
  at(cluster, 5_500, () => void cluster.api.patch(DEPLOYMENTS, 'web', { spec: { replicas: 4 } }, { namespace: NS, patchType: 'merge' }));
  at(cluster, 6_000, () => setImage(cluster, 'nginx:3'));
  cluster.sim.run({ untilMs: 40_000 });
  const d = getDeployment(cluster);
  t.equal(d.metadata.generation, 4);
  t.equal(d.status.observedGeneration, 4, 'caught up');
  t.equal(ahead, 0, 'no Deployment or ReplicaSet status ever claimed a generation it had not seen');
  t.equal(d.metadata.annotations!['deployment.kubernetes.io/revision'], '3');
  for (const rs of replicaSets(cluster)) t.equal(rs.status.observedGeneration, rs.metadata.generation, `${rs.metadata.name} observed`);
  t.equal(activePods(cluster).filter((p) => p.spec.containers[0].image === 'nginx:3' && isPodReady(p)).length, 4);
});

t.test('ReplicaFailure from failed pod creates shows on the ReplicaSet and the Deployment, and clears on both', async (t) => {
  const { cluster } = deploymentCluster();
  const quota = forbidden({ group: '', resource: 'pods' }, '', 'exceeded quota: compute-resources');
  const removeFault = cluster.network.addRequestFault({ name: 'quota', match: (r) => r.verb === 'create' && r.resource.resource === 'pods', fault: { kind: 'error', status: quota.status } });
  cluster.api.create(DEPLOYMENTS, deployment('web', { replicas: 2 }));
  cluster.sim.run({ untilMs: 5_000 });
  const rs = replicaSets(cluster)[0];
  t.match(condition(rs, 'ReplicaFailure'), { status: 'True', reason: 'FailedCreate', message: quota.status.message });
  t.match(condition(getDeployment(cluster), 'ReplicaFailure'), { status: 'True', reason: 'FailedCreate', message: quota.status.message, lastUpdateTime: condition(rs, 'ReplicaFailure')!.lastTransitionTime });
  t.match(condition(getDeployment(cluster), 'Available'), { status: 'False', reason: 'MinimumReplicasUnavailable' });
  at(cluster, 5_000, () => removeFault());
  cluster.sim.run({ untilMs: 60_000 });
  t.equal(condition(replicaSets(cluster)[0], 'ReplicaFailure'), undefined, 'cleared on the ReplicaSet');
  t.equal(condition(getDeployment(cluster), 'ReplicaFailure'), undefined, 'cleared on the Deployment');
  t.match(condition(getDeployment(cluster), 'Available'), { status: 'True' });
});

t.test('revisionHistoryLimit keeps only that many old ReplicaSets once a rollout completes', async (t) => {
  const { cluster } = deploymentCluster();
  cluster.api.create(DEPLOYMENTS, deployment('web', { replicas: 1, revisionHistoryLimit: 1 }));
  for (const [i, image] of ['nginx:2', 'nginx:3', 'nginx:4'].entries()) at(cluster, 5_000 * (i + 1), () => setImage(cluster, image));
  cluster.sim.run({ untilMs: 40_000 });
  const images = replicaSets(cluster).map((rs) => rs.spec.template.spec.containers[0].image).sort();
  t.same(images, ['nginx:3', 'nginx:4'], 'the new ReplicaSet and one old one');
  t.same(replicaSets(cluster).map((rs) => rs.metadata.annotations!['deployment.kubernetes.io/revision']).sort(), ['3', '4']);
});

t.test('paused: a template change waits; resuming rolls it out, with Progressing Unknown in between', async (t) => {
  const { cluster } = deploymentCluster();
  cluster.api.create(DEPLOYMENTS, deployment('web', { replicas: 2 }));
  cluster.sim.run({ untilMs: 5_000 });
  at(cluster, 5_000, () => void cluster.api.patch(DEPLOYMENTS, 'web', { spec: { paused: true } }, { namespace: NS, patchType: 'merge' }));
  at(cluster, 6_000, () => setImage(cluster, 'nginx:2'));
  cluster.sim.run({ untilMs: 15_000 });
  t.equal(replicaSets(cluster).length, 1, 'no new ReplicaSet while paused');
  t.match(condition(getDeployment(cluster), 'Progressing'), { status: 'Unknown', reason: 'DeploymentPaused', message: 'Deployment is paused' });
  at(cluster, 15_000, () => void cluster.api.patch(DEPLOYMENTS, 'web', { spec: { paused: false } }, { namespace: NS, patchType: 'merge' }));
  cluster.sim.run({ untilMs: 40_000 });
  t.equal(activePods(cluster).filter((p) => p.spec.containers[0].image === 'nginx:2' && isPodReady(p)).length, 2, 'rolled out after resume');
  t.match(condition(getDeployment(cluster), 'Progressing'), { status: 'True', reason: 'NewReplicaSetAvailable' });
});

t.test('a hash collision (the name taken by a foreign ReplicaSet) bumps collisionCount and creates the ReplicaSet under a new hash', async (t) => {
  const { cluster } = deploymentCluster();
  cluster.api.create(DEPLOYMENTS, deployment('web', { replicas: 1, paused: true }));
  const template = getDeployment(cluster).spec.template;
  const hash = computeHash(template);
  const foreign: KubeObject = {
    apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: `web-${hash}`, namespace: NS, labels: { app: 'other' } },
    spec: { replicas: 0, selector: { matchLabels: { app: 'other' } }, template: { metadata: { labels: { app: 'other' } }, spec: { containers: [{ name: 'c', image: 'other:1' }] } } },
  };
  cluster.api.create(REPLICASETS, foreign);
  cluster.sim.run({ untilMs: 2_000 });
  at(cluster, 2_000, () => void cluster.api.patch(DEPLOYMENTS, 'web', { spec: { paused: false } }, { namespace: NS, patchType: 'merge' }));
  cluster.sim.run({ untilMs: 20_000 });
  const d = getDeployment(cluster);
  t.equal(d.status.collisionCount, 1, 'collisionCount bumped once');
  const ours = rsOfImage(cluster, 'nginx:1')!;
  t.equal(ours.metadata.name, `web-${computeHash(template, 1)}`, 'named with the hash salted by the collision count');
  t.equal(cluster.api.get(REPLICASETS, `web-${hash}`, { namespace: NS }).spec.template.spec.containers[0].image, 'other:1', 'the foreign ReplicaSet untouched');
  t.equal(activePods(cluster).filter(isPodReady).length, 1);
});

t.test('a Deployment adopts a matching orphan ReplicaSet with its template instead of creating one', async (t) => {
  const { cluster } = deploymentCluster();
  const orphan: KubeObject = {
    apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'web-orphan', namespace: NS, labels: LABELS },
    spec: { replicas: 2, selector: { matchLabels: LABELS }, template: { metadata: { labels: LABELS }, spec: { containers: [{ name: 'c', image: 'nginx:1' }] } } },
  };
  cluster.api.create(REPLICASETS, orphan);
  cluster.sim.run({ untilMs: 3_000 });
  cluster.api.create(DEPLOYMENTS, deployment('web', { replicas: 2 }));
  cluster.sim.run({ untilMs: 10_000 });
  const all = replicaSets(cluster);
  t.equal(all.length, 1, 'no second ReplicaSet');
  t.match(all[0].metadata.ownerReferences, [{ kind: 'Deployment', name: 'web', controller: true }]);
  t.match(condition(getDeployment(cluster), 'Progressing'), { reason: 'NewReplicaSetAvailable' });
});

t.test('same seed, same rollout: the trace hash repeats; another seed differs', async (t) => {
  const run = (seed: number): string => {
    const { cluster } = deploymentCluster({ seed });
    cluster.api.create(DEPLOYMENTS, deployment('web', { replicas: 3, strategy: rolling('25%', '25%') }));
    at(cluster, 8_000, () => setImage(cluster, 'nginx:2'));
    cluster.sim.run({ untilMs: 30_000 });
    return cluster.sim.traceHash();
  };
  t.equal(run(5), run(5));
  t.not(run(5), run(6));
});
