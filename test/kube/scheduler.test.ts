// kube-scheduler against real nodes (kubelets) and the real API server: resource fit (cpu, memory,
// pod count), taints, nodeSelector and node affinity, the Unschedulable condition and upstream's
// FitError message, the back-off, and requeueing on cluster events (node added, pod deleted).
import t from 'tap';
import type { KubeObject } from '../../src/apiserver/types.js';
import { defaultNodes, type NodeConfig } from '../../src/kube/install-nodes.js';
import { setupKubelet } from '../../src/kube/kubelet.js';
import { NODES, PODS } from '../../src/kube/resources.js';
import { at, createPod, firstAt, getPod, lines, nodesCluster, NS } from './node-fixtures.js';

const req = (cpu?: string, memory?: string): Record<string, unknown>[] => [{ name: 'app', image: 'example.com/app:v1', resources: { requests: { ...(cpu ? { cpu } : {}), ...(memory ? { memory } : {}) } } }];
const scheduledCondition = (pod: KubeObject | undefined): Record<string, any> | undefined => (pod?.status?.conditions as any[] | undefined)?.find((x) => x.type === 'PodScheduled');
const nodeOf = (pod: KubeObject | undefined): string | undefined => pod?.spec?.nodeName;

t.test('cpu: 1.5-CPU pods fill two 4-CPU nodes two at a time; the fifth is Unschedulable with upstream\'s message', async (t) => {
  const c = nodesCluster({ nodes: defaultNodes(2) });
  c.cluster.sim.run({ untilMs: 1_000 });
  for (let i = 1; i <= 5; i++) createPod(c, `p${i}`, { containers: req('1500m') });
  c.cluster.sim.run({ untilMs: 10_000 });
  const bound = [1, 2, 3, 4, 5].map((i) => nodeOf(getPod(c, `p${i}`)));
  t.equal(bound.filter((n) => n === 'node-1').length, 2);
  t.equal(bound.filter((n) => n === 'node-2').length, 2);
  const waiting = [1, 2, 3, 4, 5].map((i) => getPod(c, `p${i}`)!).filter((p) => !p.spec.nodeName);
  t.equal(waiting.length, 1);
  const message = '0/2 nodes are available: 2 Insufficient cpu. preemption: 0/2 nodes are available: 2 No preemption victims found for incoming pod.';
  t.match(scheduledCondition(waiting[0]), { status: 'False', reason: 'Unschedulable', message });
  t.equal(waiting[0].status.phase, 'Pending');
  const failed = lines(c, 'event', { name: waiting[0].metadata.name!, reason: 'FailedScheduling' });
  t.ok(failed.length >= 1, 'FailedScheduling event');
  t.equal(lines(c, 'bind').length, 4, 'a bind trace line per binding');
});

t.test('memory, pod count and taints each reject a node; the message counts reasons per node', async (t) => {
  const nodes: NodeConfig[] = [
    { name: 'small-mem', cpu: 8, memory: '1Gi', pods: 110 },
    { name: 'few-pods', cpu: 8, memory: '16Gi', pods: 1 },
    { name: 'gpu', cpu: 8, memory: '16Gi', pods: 110, taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] },
  ];
  const c = nodesCluster({ nodes });
  c.cluster.sim.run({ untilMs: 1_000 });
  createPod(c, 'filler', { containers: req('100m', '100Mi'), spec: { nodeSelector: { 'kubernetes.io/hostname': 'few-pods' } } });
  c.cluster.sim.run({ untilMs: 3_000 });
  t.equal(nodeOf(getPod(c, 'filler')), 'few-pods');
  createPod(c, 'big', { containers: req('100m', '2Gi') });
  c.cluster.sim.run({ untilMs: 8_000 });
  t.equal(nodeOf(getPod(c, 'big')), undefined);
  t.equal(scheduledCondition(getPod(c, 'big'))?.message,
    '0/3 nodes are available: 1 Insufficient memory, 1 Too many pods, 1 node(s) had untolerated taint {dedicated: gpu}. '
    + 'preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.');
  createPod(c, 'tolerant', { containers: req('100m', '2Gi'), spec: { tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' }] } });
  c.cluster.sim.run({ untilMs: 12_000 });
  t.equal(nodeOf(getPod(c, 'tolerant')), 'gpu', 'a toleration opens the tainted node');
});

t.test('nodeSelector and required node affinity pick nodes by label', async (t) => {
  const nodes: NodeConfig[] = [
    { name: 'a', cpu: 4, memory: '16Gi', pods: 110, labels: { 'topology.kubernetes.io/zone': 'z1', tier: '1' } },
    { name: 'b', cpu: 4, memory: '16Gi', pods: 110, labels: { 'topology.kubernetes.io/zone': 'z2', tier: '5' } },
  ];
  const c = nodesCluster({ nodes });
  c.cluster.sim.run({ untilMs: 1_000 });
  createPod(c, 'sel', { spec: { nodeSelector: { 'topology.kubernetes.io/zone': 'z2' } } });
  const affinity = (expr: Record<string, unknown>): Record<string, unknown> => ({ affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [expr] }] } } } });
  createPod(c, 'notin', { spec: affinity({ key: 'topology.kubernetes.io/zone', operator: 'NotIn', values: ['z2'] }) });
  createPod(c, 'gt', { spec: affinity({ key: 'tier', operator: 'Gt', values: ['3'] }) });
  createPod(c, 'nowhere', { spec: affinity({ key: 'gpu', operator: 'Exists' }) });
  c.cluster.sim.run({ untilMs: 6_000 });
  t.equal(nodeOf(getPod(c, 'sel')), 'b');
  t.equal(nodeOf(getPod(c, 'notin')), 'a');
  t.equal(nodeOf(getPod(c, 'gt')), 'b');
  t.equal(scheduledCondition(getPod(c, 'nowhere'))?.message,
    "0/2 nodes are available: 2 node(s) didn't match Pod's node affinity/selector. preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.");
});

t.test('an unschedulable pod is bound soon after a node that fits is added (NodeAdd moves it back)', async (t) => {
  const c = nodesCluster({ nodes: [{ name: 'node-1', cpu: 1, memory: '4Gi', pods: 110 }] });
  c.cluster.sim.run({ untilMs: 1_000 });
  createPod(c, 'wide', { containers: req('2') });
  c.cluster.sim.run({ untilMs: 20_000 });
  t.equal(nodeOf(getPod(c, 'wide')), undefined);
  t.same(lines(c, 'schedule-failed', { pod: `${NS}/wide` }).map((l) => l.fields.attempts), [1], 'one attempt, then it waits for an event (no polling)');
  at(c, 20_000, () => void c.cluster.addComponent({ name: 'kubelet/node-2', setup: (ctx) => void setupKubelet(ctx, { nodeName: 'node-2', runtime: c.runtime, cpu: 4, nodeIndex: 2 }) }));
  c.cluster.sim.run({ untilMs: 25_000 });
  const registered = firstAt(c, 'node-registered', { node: 'node-2' })!;
  const bound = firstAt(c, 'bind', { pod: `${NS}/wide` })!;
  t.equal(nodeOf(getPod(c, 'wide')), 'node-2');
  t.ok(bound - registered < 20, `bound ${bound - registered} ms after the node registered`);
  t.match(scheduledCondition(getPod(c, 'wide')), { status: 'True' });
  t.notOk(scheduledCondition(getPod(c, 'wide'))?.reason, 'the Unschedulable reason is cleared by the binding');
});

t.test('deleting a bound pod frees its room: the waiting pod is scheduled (AssignedPodDelete)', async (t) => {
  const c = nodesCluster({ nodes: [{ name: 'node-1', cpu: 2, memory: '4Gi', pods: 110 }] });
  c.cluster.sim.run({ untilMs: 1_000 });
  createPod(c, 'first', { containers: req('1500m'), spec: { terminationGracePeriodSeconds: 0 } });
  c.cluster.sim.run({ untilMs: 5_000 });
  createPod(c, 'second', { containers: req('1500m') });
  c.cluster.sim.run({ untilMs: 30_000 });
  t.equal(nodeOf(getPod(c, 'second')), undefined);
  c.cluster.api.delete(PODS, 'first', { namespace: NS });
  c.cluster.sim.run({ untilMs: 35_000 });
  t.equal(nodeOf(getPod(c, 'second')), 'node-1');
  t.ok(lines(c, 'scheduler-move', { event: 'AssignedPodDelete' }).length >= 1);
});

t.test('retries back off 1 s, 2 s, 4 s, 8 s, then 10 s, however often nodes change', async (t) => {
  const c = nodesCluster({ exact: true, nodes: defaultNodes(1) });
  c.cluster.sim.run({ untilMs: 1_000 });
  createPod(c, 'picky', { spec: { nodeSelector: { disk: 'ssd' } } });
  for (let ms = 1_500; ms < 40_000; ms += 250) {
    at(c, ms, () => void c.cluster.api.patch(NODES, 'node-1', { metadata: { labels: { churn: String(ms) } } }, { patchType: 'merge' }));
  }
  c.cluster.sim.run({ untilMs: 40_000 });
  const attempts = lines(c, 'schedule-failed', { pod: `${NS}/picky` }).map((l) => l.atMs);
  const gaps = attempts.slice(1).map((a, i) => a - attempts[i]);
  const backoffs = [1_000, 2_000, 4_000, 8_000, 10_000, 10_000];
  t.ok(gaps.length >= backoffs.length, `${gaps.length} retries`);
  backoffs.forEach((b, i) => t.ok(gaps[i] >= b && gaps[i] < b + 300, `retry ${i + 1} after ${gaps[i]} ms (back-off ${b})`));
});

t.test('equal scores are broken through the chooser: the first pod\'s node depends on the seed; the next goes to the emptier node', async (t) => {
  const chosen = new Set<string>();
  for (let seed = 1; seed <= 12; seed++) {
    const c = nodesCluster({ seed, nodes: defaultNodes(2) });
    c.cluster.sim.run({ untilMs: 1_000 });
    createPod(c, 'one', { containers: req('1', '1Gi') });
    c.cluster.sim.run({ untilMs: 2_000 });
    createPod(c, 'two', { containers: req('1', '1Gi') });
    c.cluster.sim.run({ untilMs: 4_000 });
    const first = nodeOf(getPod(c, 'one'))!;
    chosen.add(first);
    t.not(nodeOf(getPod(c, 'two')), first, `seed ${seed}: least-allocated sends the second pod elsewhere`);
    t.equal(lines(c, 'schedule', { pod: `${NS}/one` })[0].fields.ties, 2);
  }
  t.same([...chosen].sort(), ['node-1', 'node-2'], 'both nodes won a tie for some seed');
});

t.test('a cordoned node and a node whose Ready condition is not True take no pods', async (t) => {
  const c = nodesCluster({ nodes: defaultNodes(2) });
  c.cluster.sim.run({ untilMs: 1_000 });
  c.cluster.api.patch(NODES, 'node-1', { spec: { unschedulable: true } }, { patchType: 'merge' });
  c.cluster.component('kubelet/node-2').stop();
  const node2 = c.cluster.api.get(NODES, 'node-2');
  const conditions = (node2.status.conditions as any[]).map((x) => (x.type === 'Ready' ? { ...x, status: 'Unknown', reason: 'NodeStatusUnknown' } : x));
  c.cluster.api.update(NODES, { ...node2, status: { ...node2.status, conditions } }, { subresource: 'status' });
  createPod(c, 'web');
  c.cluster.sim.run({ untilMs: 5_000 });
  t.equal(scheduledCondition(getPod(c, 'web'))?.message,
    '0/2 nodes are available: 1 node(s) had untolerated taint {node.kubernetes.io/unreachable: }, 1 node(s) were unschedulable. '
    + 'preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.');
  c.cluster.api.patch(NODES, 'node-1', { spec: { unschedulable: false } }, { patchType: 'merge' });
  c.cluster.sim.run({ untilMs: 10_000 });
  t.equal(nodeOf(getPod(c, 'web')), 'node-1', 'uncordoning (a node update) lets it in');
});
