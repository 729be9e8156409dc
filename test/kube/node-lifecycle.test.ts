// A lost node, end to end: the kubelet stops renewing its Lease; the node lifecycle controller marks
// the node Ready=Unknown once nodeMonitorGracePeriod (50 s) has passed without a renewal, marks its
// pods NotReady, taints it unreachable (NoSchedule, then NoExecute on the next pass), and taint
// eviction deletes the pods when their default 300 s toleration runs out. When the node comes back
// the taints go and its kubelet finishes the pods left Terminating.
import t from 'tap';
import type { KubeObject } from '../../src/apiserver/types.js';
import { defaultNodes } from '../../src/kube/install-nodes.js';
import { loseNode } from '../../src/kube/pod-faults.js';
import { NODES } from '../../src/kube/resources.js';
import { createPod, firstAt, getPod, isReady, lines, nodesCluster, NS } from './node-fixtures.js';

const LOSS_AT = 60_000;
const onNode1 = { nodeSelector: { 'kubernetes.io/hostname': 'node-1' } };

function lostNodeCluster(options: { returnAfterMs?: number } = {}): ReturnType<typeof nodesCluster> {
  const c = nodesCluster({ nodes: defaultNodes(2), controllerManager: true });
  c.cluster.sim.run({ untilMs: 1_000 });
  createPod(c, 'a', { spec: onNode1 });
  createPod(c, 'b', { spec: onNode1 });
  createPod(c, 'tolerant', { spec: { ...onNode1, tolerations: [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 30 }] } });
  createPod(c, 'forever', { spec: { ...onNode1, tolerations: [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' }] } });
  loseNode(c, { node: 'node-1', atMs: LOSS_AT, returnAfterMs: options.returnAfterMs });
  return c;
}

const taintOf = (node: KubeObject, effect: string): Record<string, any> | undefined =>
  (node.spec.taints as any[] | undefined)?.find((x) => x.key === 'node.kubernetes.io/unreachable' && x.effect === effect);

t.test('node loss: Ready Unknown after the 50 s grace, pods NotReady, unreachable taints, eviction after 300 s', async (t) => {
  const c = lostNodeCluster();
  c.cluster.sim.run({ untilMs: LOSS_AT });
  t.ok(['a', 'b'].every((n) => isReady(getPod(c, n)!)), 'pods ready before the loss');
  c.cluster.sim.run({ untilMs: 500_000 });

  const renewals = lines(c, 'api', { c: 'kubelet/node-1', res: 'leases', code: 200 }).map((l) => l.atMs);
  const lastRenewal = renewals.at(-1)!;
  t.ok(lastRenewal < LOSS_AT, 'no renewal after the loss');
  const unknownAt = firstAt(c, 'node-health', { node: 'node-1', ready: 'Unknown' })!;
  t.ok(unknownAt - lastRenewal > 50_000 && unknownAt - lastRenewal <= 55_100, `Unknown ${unknownAt - lastRenewal} ms after the last renewal (grace 50 s, monitor every 5 s)`);
  const node = c.cluster.api.get(NODES, 'node-1');
  const ready = (node.status.conditions as any[]).find((x) => x.type === 'Ready');
  t.match(ready, { status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.' });
  t.ok((node.status.conditions as any[]).filter((x) => x.type !== 'Ready').every((x) => x.status === 'Unknown'), 'pressure conditions Unknown too');

  const marked = lines(c, 'mark-pod-not-ready', { node: 'node-1' });
  t.same(marked.map((l) => l.fields.pod).sort(), ['default/a', 'default/b', 'default/forever', 'default/tolerant']);
  t.ok(marked.every((l) => l.atMs - unknownAt < 100), 'right after the transition');

  t.ok(taintOf(node, 'NoSchedule'), 'unreachable:NoSchedule');
  const noExecute = taintOf(node, 'NoExecute');
  t.ok(noExecute?.timeAdded, 'unreachable:NoExecute with timeAdded');
  const taintedAt = lines(c, 'node-taints', { node: 'node-1' }).find((l) => String(l.fields.taints).includes('NoExecute'))!.atMs;
  t.ok(taintedAt - unknownAt >= 5_000 && taintedAt - unknownAt < 5_100, 'NoExecute one monitor pass after the Unknown');

  const evictions = new Map(lines(c, 'taint-evict').map((l) => [String(l.fields.pod), l.atMs]));
  t.ok(Math.abs(evictions.get('default/tolerant')! - taintedAt - 30_000) < 100, 'tolerationSeconds 30: evicted 30 s after the taint');
  for (const name of ['a', 'b']) {
    const evictedAt = evictions.get(`${NS}/${name}`)!;
    t.ok(Math.abs(evictedAt - taintedAt - 300_000) < 100, `${name}: default toleration, evicted 300 s after the taint (${evictedAt - taintedAt} ms)`);
    const pod = getPod(c, name)!;
    t.ok(pod.metadata.deletionTimestamp, `${name} is Terminating (its kubelet is gone, nobody finishes it)`);
    t.match((pod.status.conditions as any[]).find((x) => x.type === 'DisruptionTarget'), { status: 'True', reason: 'DeletionByTaintManager' });
    t.notOk(isReady(pod));
  }
  t.notOk(evictions.has('default/forever'), 'a toleration without seconds stays forever');
  t.notOk(getPod(c, 'forever')?.metadata.deletionTimestamp);
  createPod(c, 'newcomer');
  c.cluster.sim.run({ untilMs: 505_000 });
  t.equal(getPod(c, 'newcomer')?.spec.nodeName, 'node-2', 'new pods avoid the unreachable node');
});

t.test('the node comes back: Ready again, taints removed, the kubelet finishes the Terminating pods', async (t) => {
  const c = lostNodeCluster({ returnAfterMs: 400_000 });
  c.cluster.sim.run({ untilMs: LOSS_AT + 399_000 });
  t.ok(getPod(c, 'a')?.metadata.deletionTimestamp, 'evicted while away');
  c.cluster.sim.run({ untilMs: LOSS_AT + 430_000 });
  const node = c.cluster.api.get(NODES, 'node-1');
  t.match((node.status.conditions as any[]).find((x) => x.type === 'Ready'), { status: 'True', reason: 'KubeletReady' });
  t.notOk(taintOf(node, 'NoExecute') ?? taintOf(node, 'NoSchedule'), 'taints removed');
  t.equal(getPod(c, 'a'), undefined, 'the returning kubelet deleted the evicted pods');
  t.equal(getPod(c, 'b'), undefined);
  const forever = getPod(c, 'forever')!;
  t.equal(forever.status.phase, 'Running', 'the pod that tolerated the outage runs again (containers restarted on the rebooted machine)');
  t.ok(isReady(forever));
  t.equal((forever.status.containerStatuses as any[])[0].restartCount, 1, 'its container counts one restart');
});
