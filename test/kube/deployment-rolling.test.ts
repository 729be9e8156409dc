// Ported tables: k8s.io/kubernetes pkg/controller/deployment/rolling_test.go
// TestDeploymentController_reconcileNewReplicaSet, TestDeploymentController_reconcileOldReplicaSets,
// TestDeploymentController_cleanupUnhealthyReplicas,
// TestDeploymentController_scaleDownOldReplicaSetsForRollingUpdate. Upstream checks the update
// actions a fake client saw; we check the plan the controller would apply.
import t from 'tap';
import { planCleanupUnhealthyReplicas, planNewReplicaSet, planOldReplicaSets, planScaleDownOldReplicaSets } from '../../src/kube/deployment-rolling.js';
import { newDeployment, rs } from './workload-fixtures.js';

t.test('TestDeploymentController_reconcileNewReplicaSet', async (t) => {
  const cases: { name: string; deploymentReplicas: number; maxSurge: number; oldReplicas: number; newReplicas: number; expected?: number }[] = [
    { name: 'should not scale up', deploymentReplicas: 10, maxSurge: 0, oldReplicas: 10, newReplicas: 0 },
    { name: 'scale up by the surge', deploymentReplicas: 10, maxSurge: 2, oldReplicas: 10, newReplicas: 0, expected: 2 },
    { name: 'scale up to total + surge', deploymentReplicas: 10, maxSurge: 2, oldReplicas: 5, newReplicas: 0, expected: 7 },
    { name: 'surge used up', deploymentReplicas: 10, maxSurge: 2, oldReplicas: 10, newReplicas: 2 },
    { name: 'should scale down', deploymentReplicas: 10, maxSurge: 2, oldReplicas: 2, newReplicas: 11, expected: 10 },
  ];
  for (const c of cases) {
    const newRS = rs('foo-v2', c.newReplicas);
    const oldRS = rs('foo-v1', c.oldReplicas);
    const d = newDeployment({ replicas: c.deploymentReplicas, maxSurge: c.maxSurge, maxUnavailable: 0 });
    t.equal(planNewReplicaSet([newRS, oldRS], newRS, d), c.expected, c.name);
  }
});

t.test('TestDeploymentController_reconcileOldReplicaSets', async (t) => {
  const cases: { name: string; deploymentReplicas: number; maxUnavailable: number; oldReplicas: number; newReplicas: number; readyOld: number; readyNew: number; expectedOld?: number }[] = [
    { name: 'maxUnavailable 0: one at a time', deploymentReplicas: 10, maxUnavailable: 0, oldReplicas: 10, newReplicas: 0, readyOld: 10, readyNew: 0, expectedOld: 9 },
    { name: 'maxUnavailable 2', deploymentReplicas: 10, maxUnavailable: 2, oldReplicas: 10, newReplicas: 0, readyOld: 10, readyNew: 0, expectedOld: 8 },
    { name: 'unhealthy replicas from old replica sets cleaned up', deploymentReplicas: 10, maxUnavailable: 2, oldReplicas: 10, newReplicas: 0, readyOld: 8, readyNew: 0, expectedOld: 8 },
    { name: '1 unhealthy replica cleaned up and 1 ready pod scaled down', deploymentReplicas: 10, maxUnavailable: 2, oldReplicas: 10, newReplicas: 0, readyOld: 9, readyNew: 0, expectedOld: 8 },
    { name: 'the unavailable pods from the newRS would not make us scale down old RSs in a further step', deploymentReplicas: 10, maxUnavailable: 2, oldReplicas: 8, newReplicas: 2, readyOld: 8, readyNew: 0 },
  ];
  for (const c of cases) {
    const annotations = { 'deployment.kubernetes.io/desired-replicas': '0' };
    const newRS = rs('foo-new', c.newReplicas, { labels: { foo: 'new' }, annotations, status: { availableReplicas: c.readyNew } });
    const oldRS = rs('foo-old', c.oldReplicas, { labels: { foo: 'old' }, annotations, status: { availableReplicas: c.readyOld } });
    const d = newDeployment({ replicas: c.deploymentReplicas, maxSurge: 0, maxUnavailable: c.maxUnavailable, selector: { foo: 'new' } });
    const plan = planOldReplicaSets([oldRS, newRS], [oldRS], newRS, d);
    const scaled = plan !== undefined && plan.cleanup.scaledDown + plan.scaleDown.scaledDown > 0;
    t.equal(scaled, c.expectedOld !== undefined, `${c.name}: scaled`);
    if (plan === undefined || c.expectedOld === undefined) continue;
    const last = [...plan.cleanup.steps, ...plan.scaleDown.steps].at(-1)!;
    t.equal(last.replicas, c.expectedOld, `${c.name}: old ReplicaSet ends at ${c.expectedOld}`);
    t.ok([...plan.cleanup.steps, ...plan.scaleDown.steps].every((s) => s.rs.metadata.name === 'foo-old'), `${c.name}: only the old ReplicaSet is touched`);
  }
});

t.test('TestDeploymentController_cleanupUnhealthyReplicas', async (t) => {
  const cases: { oldReplicas: number; readyPods: number; maxCleanupCount: number; expected: number }[] = [
    { oldReplicas: 10, readyPods: 8, maxCleanupCount: 1, expected: 1 },
    { oldReplicas: 10, readyPods: 8, maxCleanupCount: 3, expected: 2 },
    { oldReplicas: 10, readyPods: 8, maxCleanupCount: 0, expected: 0 },
    { oldReplicas: 10, readyPods: 10, maxCleanupCount: 3, expected: 0 },
  ];
  for (const c of cases) {
    const oldRS = rs('foo-v2', c.oldReplicas, { status: { availableReplicas: c.readyPods } });
    const plan = planCleanupUnhealthyReplicas([oldRS], c.maxCleanupCount);
    t.equal(plan.scaledDown, c.expected, `${c.oldReplicas} replicas, ${c.readyPods} ready, at most ${c.maxCleanupCount}: ${c.expected} cleaned up`);
    t.same(plan.oldRSs.map((r) => r.spec.replicas), [c.oldReplicas - c.expected], 'the returned old ReplicaSets carry the new size');
  }
  const stale = rs('stale', 2, { status: { availableReplicas: 3 } });
  t.match(planCleanupUnhealthyReplicas([stale], 5).error?.message, /invalid request to scale down default\/stale 2 -> 3/, 'more available than wanted: upstream\'s error');
  const older = rs('older', 3, { createdMs: 0, status: { availableReplicas: 1 } });
  const newer = rs('newer', 3, { createdMs: 60_000, status: { availableReplicas: 0 } });
  t.same(planCleanupUnhealthyReplicas([newer, older], 3).steps.map((s) => [s.rs.metadata.name, s.replicas]), [['older', 1], ['newer', 2]], 'oldest ReplicaSet first');
});

t.test('TestDeploymentController_scaleDownOldReplicaSetsForRollingUpdate', async (t) => {
  const cases: { deploymentReplicas: number; maxUnavailable: number; readyPods: number; oldReplicas: number; expected?: number }[] = [
    { deploymentReplicas: 10, maxUnavailable: 0, readyPods: 10, oldReplicas: 10, expected: 9 },
    { deploymentReplicas: 10, maxUnavailable: 2, readyPods: 10, oldReplicas: 10, expected: 8 },
    { deploymentReplicas: 10, maxUnavailable: 2, readyPods: 8, oldReplicas: 10 },
    { deploymentReplicas: 10, maxUnavailable: 2, readyPods: 10, oldReplicas: 0 },
    { deploymentReplicas: 10, maxUnavailable: 2, readyPods: 1, oldReplicas: 10 },
  ];
  for (const c of cases) {
    const oldRS = rs('foo-v2', c.oldReplicas, { status: { availableReplicas: c.readyPods } });
    const d = newDeployment({ replicas: c.deploymentReplicas, maxSurge: 0, maxUnavailable: c.maxUnavailable, selector: { foo: 'bar' } });
    const plan = planScaleDownOldReplicaSets([oldRS], [oldRS], d);
    const label = `replicas ${c.deploymentReplicas}, maxUnavailable ${c.maxUnavailable}, ready ${c.readyPods}, old ${c.oldReplicas}`;
    if (c.expected === undefined) {
      t.equal(plan.scaledDown, 0, `${label}: no scaling`);
      continue;
    }
    t.same(plan.steps.map((s) => s.replicas), [c.expected], `${label}: one update to ${c.expected}`);
  }
});
