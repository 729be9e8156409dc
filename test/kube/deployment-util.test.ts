// Ported tables: k8s.io/kubernetes pkg/controller/deployment/util/deployment_util_test.go
// (TestEqualIgnoreHash, TestFindNewReplicaSet, TestFindOldReplicaSets,
// TestGetReplicaCountForReplicaSets, TestResolveFenceposts, TestNewRSNewReplicas, TestGetCondition,
// TestSetCondition, TestRemoveCondition, TestDeploymentComplete, TestDeploymentProgressing,
// TestDeploymentTimedOut, TestMaxUnavailable, TestMinAvailable, TestAnnotationUtils,
// TestReplicasAnnotationsNeedUpdate, TestGetDeploymentsForReplicaSet).
import t from 'tap';
import { deepCopy } from '../../src/apiserver/deep-copy.js';
import type { KubeObject } from '../../src/apiserver/types.js';
import {
  DESIRED_REPLICAS_ANNOTATION, MAX_REPLICAS_ANNOTATION, REVISION_ANNOTATION, REVISION_HISTORY_ANNOTATION, replicasAnnotationsNeedUpdate,
  setNewReplicaSetAnnotations, setReplicasAnnotations,
} from '../../src/kube/deployment-annotations.js';
import { getDeploymentCondition, removeDeploymentCondition, setDeploymentCondition, type DeploymentCondition, type DeploymentStatus } from '../../src/kube/deployment-conditions.js';
import {
  deploymentComplete, deploymentProgressing, deploymentTimedOut, equalIgnoreHash, findNewReplicaSet, findOldReplicaSets, getActualReplicaCountForReplicaSets,
  getDeploymentsForReplicaSet, getReplicaCountForReplicaSets, isSaturated, MAX_INT32, newRSNewReplicas,
} from '../../src/kube/deployment-util.js';
import { POD_TEMPLATE_HASH_LABEL } from '../../src/kube/pod-template-hash.js';
import { maxUnavailable, minAvailable, resolveFenceposts } from '../../src/kube/rolling-fenceposts.js';
import { formatSimTime } from '../../src/sim/time-format.js';

/** generateDeployment(image). */
function generateDeployment(image: string): KubeObject {
  const labels = { name: image };
  return {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: image, namespace: 'default', uid: `uid-${image}`, annotations: {} },
    spec: {
      replicas: 1, selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          containers: [{ name: image, image, imagePullPolicy: 'Always', terminationMessagePath: '/dev/termination-log' }],
          dnsPolicy: 'ClusterFirst', terminationGracePeriodSeconds: 30, restartPolicy: 'Always', securityContext: {}, enableServiceLinks: true,
        },
      },
    },
  };
}

let uidSeq = 0;
/** generateRS(deployment): the Deployment's template, optionally with a hash label on labels and template. */
function generateRS(d: KubeObject, options: { hash?: string; createdMs?: number; replicas?: number } = {}): KubeObject {
  const template = deepCopy(d.spec.template);
  if (options.hash !== undefined) template.metadata.labels[POD_TEMPLATE_HASH_LABEL] = options.hash;
  const metadata: KubeObject['metadata'] = {
    name: `replicaset${++uidSeq}`, namespace: 'default', uid: `rs-uid-${uidSeq}`, labels: { ...template.metadata.labels },
    ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: d.metadata.name!, uid: d.metadata.uid!, controller: true }],
  };
  if (options.createdMs !== undefined) metadata.creationTimestamp = formatSimTime(options.createdMs);
  return { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata, spec: { replicas: options.replicas ?? 0, template, selector: { matchLabels: { ...template.metadata.labels } } }, status: {} };
}

const podTemplate = (name: string, nodeName: string, annotations: Record<string, string>, labels: Record<string, string>): unknown =>
  ({ metadata: { name, annotations, labels }, spec: { nodeName } });

t.test('TestEqualIgnoreHash', async (t) => {
  const H = POD_TEMPLATE_HASH_LABEL;
  const cases: [string, unknown, unknown, boolean][] = [
    ['Same spec, same labels', podTemplate('foo', 'foo-node', {}, { [H]: 'value-1', something: 'else' }), podTemplate('foo', 'foo-node', {}, { [H]: 'value-1', something: 'else' }), true],
    ['Same spec, only pod-template-hash label value is different', podTemplate('foo', 'foo-node', {}, { [H]: 'value-1', something: 'else' }), podTemplate('foo', 'foo-node', {}, { [H]: 'value-2', something: 'else' }), true],
    ['Same spec, the former doesn\'t have pod-template-hash label', podTemplate('foo', 'foo-node', {}, { something: 'else' }), podTemplate('foo', 'foo-node', {}, { [H]: 'value-2', something: 'else' }), true],
    ['Same spec, the label is different, the former doesn\'t have pod-template-hash label, same number of labels', podTemplate('foo', 'foo-node', {}, { something: 'else' }), podTemplate('foo', 'foo-node', {}, { [H]: 'value-2' }), false],
    ['Same spec, the label is different, the latter doesn\'t have pod-template-hash label, same number of labels', podTemplate('foo', 'foo-node', {}, { [H]: 'value-1' }), podTemplate('foo', 'foo-node', {}, { something: 'else' }), false],
    ['Same spec, the label is different, and the pod-template-hash label value is the same', podTemplate('foo', 'foo-node', {}, { [H]: 'value-1' }), podTemplate('foo', 'foo-node', {}, { [H]: 'value-1', something: 'else' }), false],
    ['Different spec, same labels', podTemplate('foo', 'foo-node', { former: 'value' }, { [H]: 'value-1', something: 'else' }), podTemplate('foo', 'foo-node', { latter: 'value' }, { [H]: 'value-1', something: 'else' }), false],
    ['Different spec, different pod-template-hash label value', podTemplate('foo-1', 'foo-node', {}, { [H]: 'value-1', something: 'else' }), podTemplate('foo-2', 'foo-node', {}, { [H]: 'value-2', something: 'else' }), false],
    ['Different spec, the former doesn\'t have pod-template-hash label', podTemplate('foo-1', 'foo-node-1', {}, { something: 'else' }), podTemplate('foo-2', 'foo-node-2', {}, { [H]: 'value-2', something: 'else' }), false],
    ['Different spec, different labels', podTemplate('foo', 'foo-node-1', {}, { something: 'else' }), podTemplate('foo', 'foo-node-2', {}, { nothing: 'else' }), false],
    ['Metadata holding only the pod-template-hash label, no metadata at all', { metadata: { labels: { [H]: 'value-1' } }, spec: { nodeName: 'n' } }, { spec: { nodeName: 'n' } }, true],
    ['An empty label map, no label map (Semantic.DeepEqual: empty equals nil)', { metadata: { name: 'foo', labels: {} }, spec: {} }, { metadata: { name: 'foo' }, spec: {} }, true],
    ['Same labels, one more template field', { metadata: { labels: { [H]: 'value-1' } }, spec: {} }, { metadata: { labels: { [H]: 'value-2' } }, spec: {}, extra: 1 }, false],
    ['Same labels, one more metadata field', podTemplate('foo', 'foo-node', {}, { [H]: 'value-1' }), { metadata: { name: 'foo', annotations: {}, labels: { [H]: 'value-1' }, generateName: 'x' }, spec: { nodeName: 'foo-node' } }, false],
  ];
  for (const [name, former, latter, expected] of cases) {
    const [a, b] = [deepCopy(former), deepCopy(latter)];
    t.equal(equalIgnoreHash(a, b), expected, name);
    t.equal(equalIgnoreHash(b, a), expected, `${name} (reverse order)`);
    t.same([a, b], [former, latter], `${name}: inputs untouched`);
  }
});

t.test('TestFindNewReplicaSet and TestFindOldReplicaSets', async (t) => {
  const d = generateDeployment('nginx');
  const newRS = generateRS(d, { hash: 'hash', createdMs: 60_000, replicas: 1 });
  const newRSDup = generateRS(d, { hash: 'different-hash', createdMs: 0 });
  const oldDeployment = generateDeployment('nginx');
  oldDeployment.spec.template.spec.containers[0].name = 'nginx-old-1';
  const oldRS = generateRS(oldDeployment, { createdMs: -60_000 });
  t.equal(findNewReplicaSet(d, [newRS, oldRS]), newRS, 'same template as the Deployment, different pod-template-hash value');
  t.equal(findNewReplicaSet(d, [newRS, oldRS, newRSDup]), newRSDup, 'the oldest of two new ReplicaSets');
  t.equal(findNewReplicaSet(d, [oldRS]), undefined, 'none');
  const names = (rss: KubeObject[]): string[] => rss.map((r) => r.metadata.name!).sort();
  const cases: [string, KubeObject[], KubeObject[], KubeObject[]][] = [
    ['Get old ReplicaSets', [newRS, oldRS], [oldRS], []],
    ['Get old ReplicaSets with no new ReplicaSet', [oldRS], [oldRS], []],
    ['Get old ReplicaSets with two new ReplicaSets, only the oldest new ReplicaSet is seen as new ReplicaSet', [oldRS, newRS, newRSDup], [oldRS, newRS], [newRS]],
    ['Get empty old ReplicaSets', [newRS], [], []],
  ];
  for (const [name, list, all, required] of cases) {
    const got = findOldReplicaSets(d, list);
    t.same(names(got.all), names(all), `${name}: all`);
    t.same(names(got.required), names(required), `${name}: required (spec.replicas > 0)`);
  }
});

t.test('TestGetReplicaCountForReplicaSets', async (t) => {
  const rs1 = generateRS(generateDeployment('foo'), { replicas: 1 });
  rs1.status = { replicas: 2 };
  const rs2 = generateRS(generateDeployment('bar'), { replicas: 2 });
  rs2.status = { replicas: 3 };
  t.same([getReplicaCountForReplicaSets([rs1]), getActualReplicaCountForReplicaSets([rs1])], [1, 2], '1:2 Replicas');
  t.same([getReplicaCountForReplicaSets([rs1, rs2]), getActualReplicaCountForReplicaSets([rs1, rs2])], [3, 5], '3:5 Replicas');
});

t.test('TestResolveFenceposts', async (t) => {
  const cases: [string | undefined, string | undefined, number, number, number, boolean][] = [
    ['0%', '0%', 0, 0, 1, false],
    ['39%', '39%', 10, 4, 3, false],
    ['oops', '39%', 10, 0, 0, true],
    ['55%', 'urg', 10, 0, 0, true],
    [undefined, '39%', 10, 0, 3, false],
    ['39%', undefined, 10, 4, 0, false],
    [undefined, undefined, 10, 0, 1, false],
  ];
  for (const [surge, unavailable, desired, wantSurge, wantUnavailable, wantError] of cases) {
    const label = `surge ${surge} unavailable ${unavailable} desired ${desired}`;
    if (wantError) {
      t.throws(() => resolveFenceposts(surge, unavailable, desired), label);
      continue;
    }
    t.same(resolveFenceposts(surge, unavailable, desired), { surge: wantSurge, unavailable: wantUnavailable }, label);
  }
  t.same(resolveFenceposts('25%', '25%', 3), { surge: 1, unavailable: 0 }, 'surge rounds up, unavailable down');
});

t.test('TestNewRSNewReplicas', async (t) => {
  const cases: [string, 'RollingUpdate' | 'Recreate', number, number, number, number][] = [
    ['can not scale up - to newRSReplicas', 'RollingUpdate', 1, 5, 1, 5],
    ['scale up - to depReplicas', 'RollingUpdate', 6, 2, 10, 6],
    ['recreate - to depReplicas', 'Recreate', 3, 1, 1, 3],
  ];
  const d = generateDeployment('nginx');
  const newRC = generateRS(d);
  const rs5 = generateRS(d, { replicas: 5 });
  for (const [name, type, depReplicas, newRSReplicas, surge, expected] of cases) {
    d.spec.replicas = depReplicas;
    d.spec.strategy = { type, rollingUpdate: { maxUnavailable: 1, maxSurge: surge } };
    newRC.spec.replicas = newRSReplicas;
    t.equal(newRSNewReplicas(d, [rs5], newRC), expected, name);
  }
});

const condProgressing = (): DeploymentCondition => ({ type: 'Progressing', status: 'False', reason: 'ForSomeReason' });
const condProgressing2 = (): DeploymentCondition => ({ type: 'Progressing', status: 'True', reason: 'BecauseItIs' });
const condAvailable = (): DeploymentCondition => ({ type: 'Available', status: 'True', reason: 'AwesomeController' });

t.test('TestGetCondition, TestSetCondition, TestRemoveCondition', async (t) => {
  const example: DeploymentStatus = { conditions: [condProgressing(), condAvailable()] };
  t.ok(getDeploymentCondition(example, 'Available'), 'condition exists');
  t.equal(getDeploymentCondition(example, 'ReplicaFailure'), undefined, 'condition does not exist');
  const sets: [string, DeploymentStatus, DeploymentCondition, DeploymentStatus][] = [
    ['set for the first time', {}, condAvailable(), { conditions: [condAvailable()] }],
    ['simple set', { conditions: [condProgressing()] }, condAvailable(), { conditions: [condProgressing(), condAvailable()] }],
    ['overwrite', { conditions: [condProgressing()] }, condProgressing2(), { conditions: [condProgressing2()] }],
  ];
  for (const [name, status, cond, expected] of sets) {
    setDeploymentCondition(status, cond);
    t.same(status, expected, name);
  }
  const removes: [string, DeploymentStatus, string, DeploymentStatus][] = [
    ['remove from empty status', {}, 'Progressing', {}],
    ['simple remove', { conditions: [condProgressing()] }, 'Progressing', {}],
    ['doesn\'t remove anything', { conditions: [condProgressing(), condAvailable()] }, 'ReplicaFailure', { conditions: [condProgressing(), condAvailable()] }],
  ];
  for (const [name, status, type, expected] of removes) {
    removeDeploymentCondition(status, type);
    t.same(status, expected, name);
  }
  const kept: DeploymentStatus = { conditions: [{ type: 'Progressing', status: 'True', reason: 'A', lastTransitionTime: 'then', lastUpdateTime: 'then' }] };
  setDeploymentCondition(kept, { type: 'Progressing', status: 'True', reason: 'B', lastTransitionTime: 'now', lastUpdateTime: 'now' });
  t.match(kept.conditions, [{ reason: 'B', lastTransitionTime: 'then', lastUpdateTime: 'now' }], 'same status: lastTransitionTime kept');
});

t.test('TestDeploymentComplete', async (t) => {
  const deployment = (desired: number, current: number, updated: number, available: number, unavailable: number, surge: number): KubeObject => ({
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: {},
    spec: { replicas: desired, strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: unavailable, maxSurge: surge } } },
    status: { replicas: current, updatedReplicas: updated, availableReplicas: available },
  });
  const cases: [string, KubeObject, boolean][] = [
    ['not complete: min but not all pods become available', deployment(5, 5, 5, 4, 1, 0), false],
    ['not complete: min availability is not honored', deployment(5, 5, 5, 3, 1, 0), false],
    ['complete', deployment(5, 5, 5, 5, 0, 0), true],
    ['not complete: all pods are available but not updated', deployment(5, 5, 4, 5, 0, 0), false],
    ['not complete: still running old pods', deployment(1, 2, 1, 1, 0, 1), false],
    ['not complete: one replica deployment never comes up', deployment(1, 1, 1, 0, 1, 1), false],
  ];
  for (const [name, d, expected] of cases) t.equal(deploymentComplete(d, d.status), expected, name);
});

t.test('TestDeploymentProgressing', async (t) => {
  const status = (replicas: number, updatedReplicas: number, readyReplicas: number, availableReplicas: number): DeploymentStatus =>
    ({ replicas, updatedReplicas, readyReplicas, availableReplicas });
  const d = (s: DeploymentStatus): KubeObject => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: {}, spec: {}, status: s });
  const cases: [string, DeploymentStatus, DeploymentStatus, boolean][] = [
    ['progressing: updated pods', status(10, 4, 4, 4), status(10, 6, 4, 4), true],
    ['not progressing', status(10, 4, 4, 4), status(10, 4, 4, 4), false],
    ['progressing: old pods removed', status(10, 4, 6, 6), status(8, 4, 6, 6), true],
    ['not progressing: less new pods', status(10, 7, 3, 3), status(10, 6, 3, 3), false],
    ['progressing: less overall but more new pods', status(10, 4, 7, 7), status(8, 8, 5, 5), true],
    ['progressing: more ready pods', status(10, 10, 9, 8), status(10, 10, 10, 8), true],
    ['progressing: more available pods', status(10, 10, 10, 9), status(10, 10, 10, 10), true],
  ];
  for (const [name, old, next, expected] of cases) t.equal(deploymentProgressing(d(old), next), expected, name);
});

t.test('TestDeploymentTimedOut', async (t) => {
  const time = (min: number, sec: number): number => (min * 60 + sec) * 1000;
  const deployment = (reason: string, pds: number | undefined, fromMs: number | undefined): KubeObject => ({
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: {}, spec: pds === undefined ? {} : { progressDeadlineSeconds: pds },
    status: { conditions: [{ type: 'Progressing', status: 'True', reason, ...(fromMs === undefined ? {} : { lastUpdateTime: formatSimTime(fromMs) }) }] },
  });
  const cases: [string, KubeObject, number, boolean][] = [
    ['nil progressDeadlineSeconds specified - no timeout', deployment('', undefined, time(1, 9)), time(1, 20), false],
    ['infinite progressDeadlineSeconds specified - no timeout', deployment('', MAX_INT32, time(1, 9)), time(1, 20), false],
    ['progressDeadlineSeconds: 10s, now - started => 00:01:20 - 00:01:09 => 11s', deployment('', 10, time(1, 9)), time(1, 20), true],
    ['progressDeadlineSeconds: 10s, now - started => 00:01:20 - 00:01:11 => 9s', deployment('', 10, time(1, 11)), time(1, 20), false],
    ['previous status was a complete deployment', deployment('NewReplicaSetAvailable', undefined, undefined), 0, false],
  ];
  for (const [name, d, nowMs, expected] of cases) t.equal(deploymentTimedOut(d, d.status, nowMs), expected, name);
  const edge = deployment('', 10, time(1, 10));
  t.equal(deploymentTimedOut(edge, edge.status, time(1, 20)), false, 'exactly at the deadline: not yet (Before is strict)');
});

t.test('TestMaxUnavailable and TestMinAvailable', async (t) => {
  const d = (replicas: number, unavailable: number | string): KubeObject => ({
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: {},
    spec: { replicas, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: unavailable } } },
  });
  const recreate: KubeObject = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: {}, spec: { replicas: 10, strategy: { type: 'Recreate' } } };
  const maxCases: [string, KubeObject, number][] = [
    ['maxUnavailable less than replicas', d(10, 5), 5],
    ['maxUnavailable equal replicas', d(10, 10), 10],
    ['maxUnavailable greater than replicas', d(5, 10), 5],
    ['maxUnavailable with replicas is 0', d(0, 10), 0],
    ['maxUnavailable with Recreate deployment strategy', recreate, 0],
    ['maxUnavailable less than replicas with percents', d(10, '50%'), 5],
    ['maxUnavailable equal replicas with percents', d(10, '100%'), 10],
    ['maxUnavailable greater than replicas with percents', d(5, '100%'), 5],
  ];
  for (const [name, deployment, expected] of maxCases) t.equal(maxUnavailable(deployment), expected, name);
  const minCases: [string, KubeObject, number][] = [
    ['replicas greater than maxUnavailable', d(10, 5), 5],
    ['replicas equal maxUnavailable', d(10, 10), 0],
    ['replicas less than maxUnavailable', d(5, 10), 0],
    ['replicas is 0', d(0, 10), 0],
    ['minAvailable with Recreate deployment strategy', recreate, 0],
    ['replicas greater than maxUnavailable with percents', d(10, '60%'), 4],
    ['replicas equal maxUnavailable with percents', d(10, '100%'), 0],
    ['replicas less than maxUnavailable with percents', d(5, '100%'), 0],
  ];
  for (const [name, deployment, expected] of minCases) t.equal(minAvailable(deployment), expected, name);
});

t.test('TestAnnotationUtils', async (t) => {
  const d = generateDeployment('nginx');
  const rs = generateRS(d);
  d.metadata.annotations![REVISION_ANNOTATION] = '1';
  for (let i = 10; i < 20; i++) {
    const next = String(i + 1);
    setNewReplicaSetAnnotations(d, rs, next, true, 5);
    if (i >= 12) t.equal(rs.metadata.annotations![REVISION_HISTORY_ANNOTATION], `${i - 1},${i}`, `history at revision ${next}`);
    t.equal(rs.metadata.annotations![REVISION_ANNOTATION], next, `revision ${next}`);
  }
  t.ok(setReplicasAnnotations(rs, 10, 11), 'SetReplicasAnnotations reports a change');
  t.equal(rs.metadata.annotations![DESIRED_REPLICAS_ANNOTATION], '10');
  t.equal(rs.metadata.annotations![MAX_REPLICAS_ANNOTATION], '11');
  t.notOk(setReplicasAnnotations(rs, 10, 11), 'and none the second time');
  rs.metadata.annotations![DESIRED_REPLICAS_ANNOTATION] = '1';
  rs.status = { availableReplicas: 1 };
  rs.spec.replicas = 1;
  t.ok(isSaturated(d, rs), 'IsSaturated');
  rs.status = { availableReplicas: 0 };
  t.notOk(isSaturated(d, rs), 'not saturated while its pods are unavailable');
  t.notOk(setNewReplicaSetAnnotations(d, rs, '5', true), 'a lower revision is not written back');
});

t.test('TestReplicasAnnotationsNeedUpdate', async (t) => {
  const withAnnotations = (annotations?: Record<string, string>): KubeObject =>
    ({ apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'hello', namespace: 'test', ...(annotations ? { annotations } : {}) }, spec: {} });
  const cases: [string, KubeObject, boolean][] = [
    ['test Annotations nil', withAnnotations(), true],
    ['test desiredReplicas update', withAnnotations({ [DESIRED_REPLICAS_ANNOTATION]: '8', [MAX_REPLICAS_ANNOTATION]: '20' }), true],
    ['test maxReplicas update', withAnnotations({ [DESIRED_REPLICAS_ANNOTATION]: '10', [MAX_REPLICAS_ANNOTATION]: '16' }), true],
    ['test needn\'t update', withAnnotations({ [DESIRED_REPLICAS_ANNOTATION]: '10', [MAX_REPLICAS_ANNOTATION]: '20' }), false],
  ];
  for (const [name, rs, expected] of cases) t.equal(replicasAnnotationsNeedUpdate(rs, 10, 20), expected, name);
});

t.test('TestGetDeploymentsForReplicaSet', async (t) => {
  const deployments = [0, 1, 2].map((i): KubeObject => ({
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: `deployment-${i}`, namespace: 'test' }, spec: { selector: { matchLabels: { app: `test-${i}` } } },
  }));
  const rss = [0, 1, 2, 3, 4].map((i): KubeObject => ({
    apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: `test-replicaSet-${i}`, namespace: 'test', labels: { app: `test-${i}`, label: `label-${i}` } }, spec: {},
  }));
  for (const i of [0, 1, 2]) t.same(getDeploymentsForReplicaSet(deployments, rss[i]).map((d) => d.metadata.name), [`deployment-${i}`], `rs-${i}`);
  for (const i of [3, 4]) t.same(getDeploymentsForReplicaSet(deployments, rss[i]), [], `rs-${i}: none`);
  const everything: KubeObject = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'all', namespace: 'test' }, spec: { selector: {} } };
  t.same(getDeploymentsForReplicaSet([everything], rss[0]), [], 'an empty selector matches nothing');
});
