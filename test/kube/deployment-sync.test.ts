// Ported tables: k8s.io/kubernetes pkg/controller/deployment/sync_test.go TestScale and
// TestDeploymentController_cleanupDeployment; progress_test.go TestRequeueStuckDeployment and
// TestSyncRolloutStatus. Upstream runs these through a fake client; we check the pure decisions.
import t from 'tap';
import type { KubeObject } from '../../src/apiserver/types.js';
import { setReplicasAnnotations } from '../../src/kube/deployment-annotations.js';
import type { DeploymentCondition } from '../../src/kube/deployment-conditions.js';
import { computeRolloutStatus, requeueStuckDeploymentMs } from '../../src/kube/deployment-progress.js';
import { planScale } from '../../src/kube/deployment-scale.js';
import { getReplicaSetFraction, MAX_INT32, replicaSetsToCleanUp } from '../../src/kube/deployment-util.js';
import { maxSurge } from '../../src/kube/rolling-fenceposts.js';
import { formatSimTime } from '../../src/sim/time-format.js';
import { newDeployment, rs } from './workload-fixtures.js';

const HOUR_MS = 3_600_000;
const [NEW_MS, OLD_MS, OLDER_MS] = [2 * HOUR_MS, HOUR_MS, 0];

interface ScaleCase {
  name: string;
  deployment: KubeObject;
  oldDeployment: KubeObject;
  newRS?: KubeObject;
  oldRSs: KubeObject[];
  expectedNew?: number;
  expectedOld: number[];
  desiredReplicasAnnotations?: Record<string, number>;
}

t.test('TestScale', async (t) => {
  const d = (replicas: number, surge?: number, unavailable?: number): KubeObject => newDeployment({ replicas, maxSurge: surge, maxUnavailable: unavailable });
  const updatedTemplate = (replicas: number): KubeObject => {
    const dep = newDeployment({ replicas, selector: { foo: 'bar' } });
    dep.spec.template.metadata.labels = { foo: 'bar', another: 'label' };
    return dep;
  };
  const at = (name: string, replicas: number, createdMs: number): KubeObject => rs(name, replicas, { createdMs });
  const cases: ScaleCase[] = [
    { name: 'normal scaling event: 10 -> 12', deployment: d(12), oldDeployment: d(10), newRS: at('foo-v1', 10, NEW_MS), oldRSs: [], expectedNew: 12, expectedOld: [] },
    { name: 'normal scaling event: 10 -> 5', deployment: d(5), oldDeployment: d(10), newRS: at('foo-v1', 10, NEW_MS), oldRSs: [], expectedNew: 5, expectedOld: [] },
    { name: 'proportional scaling: 5 -> 10', deployment: d(10), oldDeployment: d(5), newRS: at('foo-v2', 2, NEW_MS), oldRSs: [at('foo-v1', 3, OLD_MS)], expectedNew: 4, expectedOld: [6] },
    { name: 'proportional scaling: 5 -> 3', deployment: d(3), oldDeployment: d(5), newRS: at('foo-v2', 2, NEW_MS), oldRSs: [at('foo-v1', 3, OLD_MS)], expectedNew: 1, expectedOld: [2] },
    { name: 'proportional scaling: 9 -> 4', deployment: d(4), oldDeployment: d(9), newRS: at('foo-v2', 8, NEW_MS), oldRSs: [at('foo-v1', 1, OLD_MS)], expectedNew: 4, expectedOld: [0] },
    {
      name: 'proportional scaling: 7 -> 10', deployment: d(10), oldDeployment: d(7), newRS: at('foo-v3', 2, NEW_MS),
      oldRSs: [at('foo-v2', 3, OLD_MS), at('foo-v1', 2, OLDER_MS)], expectedNew: 3, expectedOld: [4, 3],
    },
    {
      name: 'proportional scaling: 13 -> 8', deployment: d(8), oldDeployment: d(13), newRS: at('foo-v3', 2, NEW_MS),
      oldRSs: [at('foo-v2', 8, OLD_MS), at('foo-v1', 3, OLDER_MS)], expectedNew: 1, expectedOld: [5, 2],
    },
    {
      name: 'leftover distribution: 3 -> 4 (scales up the new replica set)', deployment: d(4), oldDeployment: d(3), newRS: at('foo-v3', 1, NEW_MS),
      oldRSs: [at('foo-v2', 1, OLD_MS), at('foo-v1', 1, OLDER_MS)], expectedNew: 2, expectedOld: [1, 1],
    },
    {
      name: 'leftover distribution: 3 -> 2 (scales down the older replica set)', deployment: d(2), oldDeployment: d(3), newRS: at('foo-v3', 1, NEW_MS),
      oldRSs: [at('foo-v2', 1, OLD_MS), at('foo-v1', 1, OLDER_MS)], expectedNew: 1, expectedOld: [1, 0],
    },
    {
      name: 'proportional scaling (no new rs): 4 -> 5 (scales up the latest replica set first)', deployment: d(5), oldDeployment: d(4),
      oldRSs: [at('foo-v2', 2, OLD_MS), at('foo-v1', 2, OLDER_MS)], expectedOld: [3, 2],
    },
    {
      name: 'proportional scaling: 6 -> 0', deployment: d(0), oldDeployment: d(6), newRS: at('foo-v3', 3, NEW_MS),
      oldRSs: [at('foo-v2', 2, OLD_MS), at('foo-v1', 1, OLDER_MS)], expectedNew: 0, expectedOld: [0, 0],
    },
    {
      name: 'proportional scaling: 0 -> 6 (scales up from zero)', deployment: d(6), oldDeployment: d(6), newRS: at('foo-v3', 0, NEW_MS),
      oldRSs: [at('foo-v2', 0, OLD_MS), at('foo-v1', 0, OLDER_MS)], expectedNew: 6, expectedOld: [0, 0],
    },
    {
      name: 'failed rs update (foo-v2 last scaled for 3)', deployment: d(5), oldDeployment: d(5), newRS: at('foo-v3', 2, NEW_MS),
      oldRSs: [at('foo-v2', 1, OLD_MS), at('foo-v1', 1, OLDER_MS)], expectedNew: 2, expectedOld: [2, 1], desiredReplicasAnnotations: { 'foo-v2': 3 },
    },
    { name: 'deployment with surge pods', deployment: d(20, 2), oldDeployment: d(10, 2), newRS: at('foo-v2', 6, NEW_MS), oldRSs: [at('foo-v1', 6, OLD_MS)], expectedNew: 11, expectedOld: [11] },
    { name: 'change both surge and size', deployment: d(50, 6), oldDeployment: d(10, 3), newRS: at('foo-v2', 5, NEW_MS), oldRSs: [at('foo-v1', 8, OLD_MS)], expectedNew: 22, expectedOld: [34] },
    {
      name: 'change both size and template', deployment: updatedTemplate(14), oldDeployment: d(10),
      oldRSs: [at('foo-v2', 7, NEW_MS), at('foo-v1', 3, OLD_MS)], expectedOld: [10, 4],
    },
    {
      name: 'saturated but broken new replica set does not affect old pods', deployment: d(2, 1, 1), oldDeployment: d(2, 1, 1),
      newRS: rs('foo-v2', 2, { createdMs: NEW_MS, status: { availableReplicas: 0 } }), oldRSs: [at('foo-v1', 1, OLD_MS)], expectedNew: 2, expectedOld: [1],
    },
  ];
  for (const c of cases) {
    for (const r of [c.newRS, ...c.oldRSs]) {
      if (r === undefined) continue;
      const desired = c.desiredReplicasAnnotations?.[r.metadata.name!] ?? c.oldDeployment.spec.replicas;
      setReplicasAnnotations(r, desired, desired + maxSurge(c.oldDeployment));
    }
    const sizes = new Map<string, number>([c.newRS, ...c.oldRSs].filter((r) => r !== undefined).map((r) => [r!.metadata.name!, r!.spec.replicas]));
    const oldNames = c.oldRSs.map((r) => r.metadata.name!);
    for (const step of planScale(c.deployment, c.newRS, [...c.oldRSs])) sizes.set(step.rs.metadata.name!, step.replicas);
    if (c.newRS) t.equal(sizes.get(c.newRS.metadata.name!), c.expectedNew, `${c.name}: new`);
    t.same(oldNames.map((n) => sizes.get(n)), c.expectedOld, `${c.name}: old`);
  }
});

t.test('getReplicaSetFraction: the share of replicas + maxSurge against max-replicas, or the whole size when scaling to 0', async (t) => {
  const r = rs('foo', 8, { annotations: { 'deployment.kubernetes.io/max-replicas': '13' } });
  t.equal(getReplicaSetFraction(r, newDeployment({ replicas: 20, maxSurge: 3 })), 6, '8 * 23 / 13 = 14.15 → 14: +6');
  t.equal(getReplicaSetFraction(r, newDeployment({ replicas: 0 })), -8);
  const noAnnotation = rs('foo', 5);
  t.equal(getReplicaSetFraction(noAnnotation, newDeployment({ replicas: 20, status: { replicas: 10 } })), 5, 'falls back to status.replicas: 5 * 20 / 10 - 5');
});

t.test('TestDeploymentController_cleanupDeployment', async (t) => {
  const withStatus = (name: string, spec: number, status: number): KubeObject => rs(name, spec, { labels: { foo: 'bar' }, status: { replicas: status } });
  const alreadyDeleted = withStatus('foo-1', 0, 0);
  alreadyDeleted.metadata.deletionTimestamp = formatSimTime(0);
  const cases: [KubeObject[], number, number][] = [
    [[withStatus('foo-1', 0, 0), withStatus('foo-2', 0, 0), withStatus('foo-3', 0, 0)], 1, 2],
    [[withStatus('foo-1', 0, 0), withStatus('foo-2', 0, 1), withStatus('foo-3', 1, 0), withStatus('foo-4', 1, 1)], 0, 1],
    [[withStatus('foo-1', 0, 0), withStatus('foo-2', 0, 0)], 0, 2],
    [[withStatus('foo-1', 1, 1), withStatus('foo-2', 1, 1)], 0, 0],
    [[alreadyDeleted], 0, 0],
    [[withStatus('foo-1', 0, 0), withStatus('foo-2', 0, 0), withStatus('foo-3', 0, 0)], MAX_INT32, 0],
  ];
  for (const [i, [oldRSs, limit, deletions]] of cases.entries()) {
    t.equal(replicaSetsToCleanUp(oldRSs, newDeployment({ revisionHistoryLimit: limit })).length, deletions, `scenario ${i}: ${deletions} deletions`);
  }
  const unobserved = rs('foo-1', 0, { generation: 2, status: { replicas: 0, observedGeneration: 1 } });
  t.same(replicaSetsToCleanUp([unobserved], newDeployment({ revisionHistoryLimit: 0 })), [], 'a spec change the ReplicaSet controller has not seen blocks deletion');
  const revisions = ['3', '1', '2'].map((rev) => rs(`rev-${rev}`, 0, { annotations: { 'deployment.kubernetes.io/revision': rev } }));
  t.same(replicaSetsToCleanUp(revisions, newDeployment({ revisionHistoryLimit: 1 })).map((r) => r.metadata.name), ['rev-1', 'rev-2'], 'lowest revisions first');
});

const T0_MS = 1_000 * 1_000;
const currentDeployment = (pds: number | undefined, replicas: number, statusReplicas: number, updated: number, available: number, conditions?: DeploymentCondition[]): KubeObject => {
  const d = newDeployment({ name: 'progress-test', replicas, strategy: 'Recreate', progressDeadlineSeconds: pds });
  d.status = { replicas: statusReplicas, updatedReplicas: updated, availableReplicas: available, ...(conditions ? { conditions } : {}) };
  return d;
};

t.test('TestRequeueStuckDeployment', async (t) => {
  const failed: DeploymentCondition[] = [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded' }];
  const stuck: DeploymentCondition[] = [{ type: 'Progressing', status: 'True', lastUpdateTime: formatSimTime(T0_MS) }];
  const status = (replicas: number, updatedReplicas: number, availableReplicas: number): Record<string, number> => ({ replicas, updatedReplicas, availableReplicas });
  const cases: [string, KubeObject, Record<string, number>, number, number][] = [
    ['nil progressDeadlineSeconds specified', currentDeployment(undefined, 4, 3, 3, 2), status(3, 3, 2), T0_MS, -1],
    ['infinite progressDeadlineSeconds specified', currentDeployment(MAX_INT32, 4, 3, 3, 2), status(3, 3, 2), T0_MS, -1],
    ['no progressing condition found', currentDeployment(60, 4, 3, 3, 2), status(3, 3, 2), T0_MS, -1],
    ['complete deployment does not need to be requeued', currentDeployment(60, 3, 3, 3, 3), status(3, 3, 3), T0_MS, -1],
    ['already failed deployment does not need to be requeued', currentDeployment(60, 3, 3, 3, 0, failed), status(3, 3, 0), T0_MS, -1],
    ['stuck deployment - 30s', currentDeployment(60, 3, 3, 3, 1, stuck), status(3, 3, 1), T0_MS + 30_000, 30_000],
    ['stuck deployment - 1s', currentDeployment(60, 3, 3, 3, 1, stuck), status(3, 3, 1), T0_MS + 59_000, 1_000],
    ['failed deployment - less than a second => now', currentDeployment(60, 3, 3, 3, 1, stuck), status(3, 3, 1), T0_MS + 59_001, 0],
    ['failed deployment - now', currentDeployment(60, 3, 3, 3, 1, stuck), status(3, 3, 1), T0_MS + 60_000, 0],
    ['failed deployment - 1s after deadline', currentDeployment(60, 3, 3, 3, 1, stuck), status(3, 3, 1), T0_MS + 61_000, 0],
    ['failed deployment - 60s after deadline', currentDeployment(60, 3, 3, 3, 1, stuck), status(3, 3, 1), T0_MS + 120_000, 0],
  ];
  for (const [name, d, newStatus, nowMs, expected] of cases) t.equal(requeueStuckDeploymentMs(d, newStatus, nowMs), expected, name);
});

t.test('TestSyncRolloutStatus', async (t) => {
  const testTime = formatSimTime(T0_MS);
  const nowMs = T0_MS + 120_000;
  const now = formatSimTime(nowMs);
  const failedTimedOut: DeploymentCondition = { type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded' };
  const newRSAvailable: DeploymentCondition = { type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable', lastUpdateTime: testTime, lastTransitionTime: testTime };
  const replicaSetUpdated: DeploymentCondition = { type: 'Progressing', status: 'True', reason: 'ReplicaSetUpdated', lastUpdateTime: testTime, lastTransitionTime: testTime };
  const withAvailable = (name: string, spec: number, statusReplicas: number, available: number): KubeObject =>
    rs(name, spec, { status: { replicas: statusReplicas, availableReplicas: available } });
  type Case = [string, KubeObject, KubeObject[], KubeObject | undefined, Partial<DeploymentCondition> | undefined];
  const cases: Case[] = [
    ['General: remove Progressing condition and do not estimate progress if deployment has no Progress Deadline',
      currentDeployment(undefined, 3, 2, 2, 2, [replicaSetUpdated]), [withAvailable('bar', 0, 1, 1)], withAvailable('foo', 3, 2, 2), undefined],
    ['General: do not estimate progress of deployment with only one active ReplicaSet',
      currentDeployment(60, 3, 3, 3, 3, [newRSAvailable]), [withAvailable('bar', 3, 3, 3)], undefined,
      { status: 'True', reason: 'NewReplicaSetAvailable', lastUpdateTime: testTime, lastTransitionTime: testTime }],
    ['DeploymentProgressing: dont update lastTransitionTime if deployment already has Progressing=True',
      currentDeployment(60, 3, 2, 2, 2, [replicaSetUpdated]), [withAvailable('bar', 0, 1, 1)], withAvailable('foo', 3, 2, 2),
      { status: 'True', reason: 'ReplicaSetUpdated', lastUpdateTime: now, lastTransitionTime: testTime }],
    ['DeploymentProgressing: update everything if deployment has Progressing=False',
      currentDeployment(60, 3, 2, 2, 2, [failedTimedOut]), [withAvailable('bar', 0, 1, 1)], withAvailable('foo', 3, 2, 2),
      { status: 'True', reason: 'ReplicaSetUpdated', lastUpdateTime: now, lastTransitionTime: now }],
    ['DeploymentProgressing: create Progressing condition if it does not exist',
      currentDeployment(60, 3, 2, 2, 2, []), [withAvailable('bar', 0, 1, 1)], withAvailable('foo', 3, 2, 2), { status: 'True', reason: 'ReplicaSetUpdated' }],
    ['DeploymentComplete: dont update lastTransitionTime if deployment already has Progressing=True',
      currentDeployment(60, 3, 3, 3, 3, [replicaSetUpdated]), [], withAvailable('foo', 3, 3, 3),
      { status: 'True', reason: 'NewReplicaSetAvailable', lastTransitionTime: testTime }],
    ['DeploymentComplete: update everything if deployment has Progressing=False',
      currentDeployment(60, 3, 3, 3, 3, [failedTimedOut]), [], withAvailable('foo', 3, 3, 3), { status: 'True', reason: 'NewReplicaSetAvailable', lastTransitionTime: now }],
    ['DeploymentComplete: create Progressing condition if it does not exist',
      currentDeployment(60, 3, 3, 3, 3, []), [], withAvailable('foo', 3, 3, 3), { status: 'True', reason: 'NewReplicaSetAvailable' }],
    ['DeploymentComplete: defend against NPE when newRS=nil',
      currentDeployment(60, 0, 3, 3, 3, [replicaSetUpdated]), [withAvailable('foo', 0, 0, 0)], undefined,
      { status: 'True', reason: 'NewReplicaSetAvailable', message: 'Deployment "progress-test" has successfully progressed.' }],
    ['DeploymentTimedOut: update status if rollout exceeds Progress Deadline',
      currentDeployment(60, 3, 2, 2, 2, [replicaSetUpdated]), [], withAvailable('foo', 3, 2, 2),
      { status: 'False', reason: 'ProgressDeadlineExceeded', message: 'ReplicaSet "foo" has timed out progressing.' }],
    ['DeploymentTimedOut: do not update status if deployment has existing timedOut condition',
      currentDeployment(60, 3, 2, 2, 2, [{ ...failedTimedOut, lastUpdateTime: testTime, lastTransitionTime: testTime }]), [], withAvailable('foo', 3, 2, 2),
      { status: 'False', reason: 'ProgressDeadlineExceeded', lastUpdateTime: testTime, lastTransitionTime: testTime }],
  ];
  for (const [name, d, allRSs, newRS, want] of cases) {
    const status = computeRolloutStatus(newRS ? [...allRSs, newRS] : allRSs, newRS, d, nowMs);
    const got = status.conditions?.find((c) => c.type === 'Progressing');
    if (want === undefined) t.equal(got, undefined, name);
    else t.match(got, want, name);
  }
});

t.test('the rollout status copies the new ReplicaSet\'s ReplicaFailure and sets Available by maxUnavailable', async (t) => {
  const d = newDeployment({ replicas: 4, maxSurge: 1, maxUnavailable: 1, progressDeadlineSeconds: 600, generation: 3 });
  const failure = { type: 'ReplicaFailure', status: 'True', reason: 'FailedCreate', message: 'quota', lastTransitionTime: formatSimTime(T0_MS) };
  const newRS = rs('new', 2, { status: { replicas: 1, readyReplicas: 1, availableReplicas: 1, conditions: [failure] } });
  const oldRS = rs('old', 2, { status: { replicas: 2, readyReplicas: 2, availableReplicas: 2 } });
  const status = computeRolloutStatus([oldRS, newRS], newRS, d, T0_MS);
  t.match(status, { observedGeneration: 3, replicas: 3, updatedReplicas: 1, readyReplicas: 3, availableReplicas: 3, unavailableReplicas: 1 });
  t.match(status.conditions, [
    { type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable' },
    { type: 'Progressing', status: 'True', reason: 'ReplicaSetUpdated', message: 'ReplicaSet "new" is progressing.' },
    { type: 'ReplicaFailure', status: 'True', reason: 'FailedCreate', message: 'quota', lastUpdateTime: failure.lastTransitionTime },
  ]);
  const healed = computeRolloutStatus([oldRS, rs('new', 2, { status: { replicas: 2, availableReplicas: 0 } })], newRS, { ...d, status }, T0_MS);
  t.equal(healed.conditions?.find((c) => c.type === 'ReplicaFailure')?.reason, 'FailedCreate', 'still there while the new ReplicaSet reports it');
  const cleared = computeRolloutStatus([oldRS], rs('new', 2, { status: { replicas: 2 } }), { ...d, status }, T0_MS);
  t.equal(cleared.conditions?.find((c) => c.type === 'ReplicaFailure'), undefined, 'removed once no ReplicaSet reports one');
  t.match(cleared.conditions?.find((c) => c.type === 'Available'), { status: 'False', reason: 'MinimumReplicasUnavailable' }, '2 available < 4 - 1');
});
