// pod-crash, pod-flap, pod-fail-create and node-loss on a Knative revision's pods, and
// configmap-change on Knative's configuration, in a whole simulated Knative whose Service (created at
// 15 s) keeps one pod with min-scale 1.
import t from 'tap';
import type { KubeObject } from '../../src/apiserver/types.js';
import { LABELS } from '../../src/knative/apis/serving-labels.js';
import { EVENTS, NODES, PODS, REPLICASETS } from '../../src/kube/resources.js';
import { isPodReady } from '../../src/kube/pod-status.js';
import { servingWorld, type ServingWorld } from '../knative/serving-harness.js';
import { conditionOf, faultSpec, inject, recordWrites } from './fault-harness.js';

const MIN_SCALE_1 = { 'autoscaling.knative.dev/min-scale': '1' };
const REVISION = 'hello-00001';

function revisionPods(w: ServingWorld): KubeObject[] {
  return w.cluster.api.list(PODS, { namespace: 'default', labelSelector: `${LABELS.revision}=${REVISION}` }).items;
}

function userRestarts(pod: KubeObject): number {
  return pod.status?.containerStatuses?.find((c: { name: string }) => c.name === 'user-container')?.restartCount ?? 0;
}

t.test('pod-crash: the user container of the revision pod exits, the kubelet restarts it in place (restartCount 1) and it gets Ready again', async (t) => {
  const w = servingWorld({ seed: 21, annotations: MIN_SCALE_1, phases: [] });
  const injected = inject(w, faultSpec({ family: 'pod-crash', pods: { namespace: 'default', revision: REVISION } }), 60_000);
  w.run(59_000);
  const [pod] = revisionPods(w);
  t.equal(userRestarts(pod), 0);
  t.ok(isPodReady(pod), 'Ready before');
  w.run(61_000);
  t.match(injected.fired?.detail, new RegExp(`^crashed ${pod.metadata.name}/user-container on node-\\d \\(restart 0\\)$`));
  w.run(90_000);
  t.ok(w.samples.some((s) => s.atMs > 60_000 && s.atMs < 70_000 && s.readyPods === 0), 'NotReady for a while');
  const [after] = revisionPods(w);
  t.equal(after.metadata.uid, pod.metadata.uid, 'the same pod');
  t.equal(userRestarts(after), 1, 'restartCount 1');
  t.ok(isPodReady(after), 'Ready again');
});

t.test('pod-crash with count 2 picks two of three pods through the chooser', async (t) => {
  const picks = (seed: number): string => {
    const w = servingWorld({ seed, annotations: { 'autoscaling.knative.dev/min-scale': '3' }, phases: [] });
    const injected = inject(w, faultSpec({ family: 'pod-crash', pods: { namespace: 'default', labels: { [LABELS.service]: 'hello' }, count: 2 } }), 60_000);
    w.run(70_000);
    t.equal(revisionPods(w).filter((p) => userRestarts(p) === 1).length, 2, 'two pods restarted once');
    return injected.fired!.detail;
  };
  const a = picks(22);
  t.equal(picks(22), a, 'the same seed picks the same pods');
});

t.test('pod-flap: the revision pod\'s readiness flips with the period until the heal, then stays Ready', async (t) => {
  // queue-proxy's kubelet probe runs every 10 s with failureThreshold 3: a 40 s failing half-period
  // makes the pod NotReady after its third failure, the passing half Ready again at the first success.
  const w = servingWorld({ seed: 23, annotations: MIN_SCALE_1, phases: [] });
  inject(w, faultSpec({ family: 'pod-flap', pods: { namespace: 'default', revision: REVISION }, periodMs: 40_000 }, { durationMs: 200_000 }), 60_000);
  w.run(330_000);
  const during = w.samples.filter((s) => s.atMs >= 60_000 && s.atMs < 270_000);
  const flips = during.filter((s, i) => i > 0 && s.readyPods !== during[i - 1].readyPods).length;
  t.ok(flips >= 4, `${flips} Ready changes in the 200 s window`);
  t.ok(w.samples.filter((s) => s.atMs >= 60_000 && s.atMs < 85_000).every((s) => s.readyPods === 1), 'Ready until the third failed probe');
  const after = w.samples.filter((s) => s.atMs >= 290_000);
  t.ok(after.length > 0 && after.every((s) => s.readyPods === 1), 'Ready for good after the heal');
});

t.test('pod-fail-create: the ReplicaSet cannot create the revision pod (FailedCreate, ReplicaFailure) until the heal', async (t) => {
  const w = servingWorld({ seed: 24, phases: [] });
  const writes = recordWrites(w);
  inject(w, faultSpec({ family: 'pod-fail-create', namespace: 'default', message: 'connection refused' }, { durationMs: 40_000 }), 5_000);
  w.run(40_000);
  const refused = writes.filter((x) => x.resource === 'pods' && x.verb === 'create' && x.code === 500);
  t.ok(refused.length > 0 && refused.every((x) => x.component === 'kube-controller-manager'), `${refused.length} pod creates refused with 500`);
  const [rs] = w.cluster.api.list(REPLICASETS, { namespace: 'default' }).items;
  t.equal(conditionOf(rs, 'ReplicaFailure'), 'True', 'the ReplicaSet reports ReplicaFailure');
  const failed = w.cluster.api.list(EVENTS, { namespace: 'default' }).items.find((e) => e.reason === 'FailedCreate');
  t.match(failed?.message, 'Error creating: Internal error occurred: failed calling webhook "pod-fail-create.faults.sleeveless.dev": connection refused');
  w.run(90_000);
  t.ok(revisionPods(w).some((p) => isPodReady(p)), 'after the heal the pod is created and Ready');
});

t.test('node-loss: the node goes NotReady, its pods are evicted after their toleration and recreated elsewhere', async (t) => {
  const w = servingWorld({ seed: 25, annotations: MIN_SCALE_1, phases: [] });
  w.run(60_000);
  const [pod] = revisionPods(w);
  const node = pod.spec!.nodeName as string;
  const injected = inject(w, faultSpec({ family: 'node-loss', node }), 60_000);
  w.run(130_000);
  t.match(injected.fired?.detail, new RegExp(`^node ${node} powered off \\(kubelet stopped, \\d+ pod sandbox\\(es\\) gone\\)$`));
  const nodeObj = w.cluster.api.list(NODES, {}).items.find((n) => n.metadata.name === node);
  t.equal(conditionOf(nodeObj, 'Ready'), 'Unknown', 'the node is NotReady (Unknown) after its grace period');
  w.run(480_000);
  const gone = w.cluster.api.list(PODS, { namespace: 'default' }).items.find((p) => p.metadata.uid === pod.metadata.uid);
  t.ok(gone === undefined || gone.metadata.deletionTimestamp !== undefined, 'the lost pod was evicted');
  t.ok(revisionPods(w).some((p) => p.spec?.nodeName !== node && isPodReady(p)), 'a replacement runs on another node');
});

t.test('configmap-change: the user turns scale-to-zero off, the autoscaler keeps the idle revision up, and the heal lets it scale to zero', async (t) => {
  const base = servingWorld({ seed: 26, phases: [{ name: 'one', durationMs: 1, load: { kind: 'burst', size: 1, everyMs: 0 } }], workloadAtMs: 40_000 }).run(229_000);
  t.ok(base.samples.some((s) => s.atMs > 60_000 && s.pods === 0), 'without the fault the idle revision scales to zero before 229 s');
  const w = servingWorld({ seed: 26, phases: [{ name: 'one', durationMs: 1, load: { kind: 'burst', size: 1, everyMs: 0 } }], workloadAtMs: 40_000 });
  const writes = recordWrites(w);
  const injected = inject(w, faultSpec({ family: 'configmap-change', namespace: 'knative-serving', name: 'config-autoscaler', data: { 'enable-scale-to-zero': 'false' } }, { durationMs: 200_000 }), 30_000);
  w.run(229_000);
  t.equal(injected.fired?.detail, 'user edits ConfigMap knative-serving/config-autoscaler: enable-scale-to-zero="false"');
  t.same(writes.filter((x) => x.component === 'user').map((x) => `${x.atMs >= 30_000 ? 'at' : 'before'} ${x.verb} ${x.name} ${x.code}`), ['at patch config-autoscaler 200'], 'one patch by the user');
  t.ok(w.samples.filter((s) => s.atMs >= 60_000).every((s) => s.pods >= 1), 'the revision keeps its pod while scale-to-zero is off');
  w.run(400_000);
  t.equal(writes.filter((x) => x.component === 'user').length, 2, 'the heal patched it back');
  t.ok(w.samples.some((s) => s.atMs > 230_000 && s.pods === 0), 'after the heal it scales to zero');
});
