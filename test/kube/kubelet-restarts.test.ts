// Container restarts without pod deletion: CrashLoopBackOff (kuberuntime_manager.go doBackOff with
// flowcontrol.Backoff: a first exit restarts at once, then 10 s doubling to 300 s after each further
// exit, forgotten after 10 min of running), liveness kills, and kubelet restarts that adopt the
// containers still running on the machine.
import t from 'tap';
import { defaultNodes } from '../../src/kube/install-nodes.js';
import { PODS } from '../../src/kube/resources.js';
import { containerStatus, createPod, firstCommit, getPod, isReady, lines, nodesCluster, podLog, NS } from './node-fixtures.js';

/** For each exit of `app`: ms from the exit until the kubelet decided to start it again. */
function restartDelays(c: Parameters<typeof lines>[0], pod: string): number[] {
  const exits = lines(c, 'container', { pod: `${NS}/${pod}`, event: 'exited' }).map((l) => l.atMs);
  const decisions = lines(c, 'kubelet-stage', { pod: `${NS}/${pod}` })
    .filter((l) => l.fields.stage === 'container-restart' || (l.fields.stage === 'crash-loop-backoff' && isImmediate(c, pod, l.atMs)))
    .map((l) => l.atMs);
  return decisions.map((d, i) => d - exits[i]);
}

/** A crash-loop-backoff stage that restarted at once is followed by an image pull at the same ms. */
function isImmediate(c: Parameters<typeof lines>[0], pod: string, atMs: number): boolean {
  return lines(c, 'kubelet-stage', { pod: `${NS}/${pod}`, stage: 'image-pull' }).some((l) => l.atMs === atMs);
}

t.test('CrashLoopBackOff: a container that always crashes restarts at once, then after 10, 20, 40, 80, 160, 300, 300 s', async (t) => {
  const c = nodesCluster({ exact: true, nodes: defaultNodes(1) });
  c.runtime.register({ name: 'crasher', matches: () => true, exitAfterMs: () => 1_000 });
  const log = podLog(c);
  c.cluster.sim.run({ untilMs: 1_000 });
  createPod(c, 'crasher');
  c.cluster.sim.run({ untilMs: 1_100_000 });
  const delays = restartDelays(c, 'crasher');
  t.ok(delays[0] >= 0 && delays[0] < 1_000, `first restart as soon as the PLEG relist notices the exit (${delays[0]} ms)`);
  t.same(delays.slice(1, 8), [10_000, 20_000, 40_000, 80_000, 160_000, 300_000, 300_000], 'then the back-off doubles to its 300 s cap');

  const inBackoff = firstCommit(log, 'crasher', (p) => containerStatus(p, 'app')?.state.waiting?.reason === 'CrashLoopBackOff')!;
  const cs = containerStatus(inBackoff.pod, 'app')!;
  t.match(cs.state.waiting.message, new RegExp(`^back-off 10s restarting failed container=app pod=crasher_default\\(${inBackoff.pod.metadata.uid}\\)$`));
  t.match(cs.lastState.terminated, { exitCode: 1, reason: 'Error' });
  t.equal(cs.restartCount, 1);
  t.equal(inBackoff.pod.status.phase, 'Running', 'restartPolicy Always: Running while crash-looping');
  t.notOk(isReady(inBackoff.pod));
  const later = lines(c, 'event', { name: 'crasher', reason: 'BackOff' });
  t.ok(later.length >= 6, 'BackOff events');
  const final = getPod(c, 'crasher')!;
  t.ok(containerStatus(final, 'app')!.restartCount >= 8);
  const ips = new Set(log.filter((e) => e.pod.metadata.name === 'crasher' && e.pod.status?.podIP).map((e) => e.pod.status.podIP));
  t.equal(ips.size, 1, 'the pod keeps its IP through every restart');
  t.equal(getPod(c, 'crasher')?.metadata.uid, inBackoff.pod.metadata.uid, 'same pod');
  t.ok(lines(c, 'kubelet-stage', { pod: `${NS}/crasher`, stage: 'sandbox-create' }).length === 1, 'one sandbox for all attempts');
});

t.test('the back-off is forgotten once a container ran 10 minutes: the next crash restarts at once, then 10 s again', async (t) => {
  const c = nodesCluster({ exact: true, nodes: defaultNodes(1) });
  c.runtime.register({ name: 'crasher', matches: () => true, exitAfterMs: (_p, ctr) => (ctr.restartCount === 3 ? 660_000 : 1_000) });
  c.cluster.sim.run({ untilMs: 1_000 });
  createPod(c, 'flaky');
  c.cluster.sim.run({ untilMs: 800_000 });
  const delays = restartDelays(c, 'flaky');
  t.same(delays.slice(1, 3), [10_000, 20_000], 'back-off while crashing quickly');
  t.ok(delays[3] < 1_000, `after 11 min of running, restarted at once (${delays[3]} ms)`);
  t.equal(delays[4], 10_000, 'and the back-off starts over at 10 s');
});

t.test('a failed liveness probe kills the container and restarts it in place: same pod, same IP, restartCount 1', async (t) => {
  const c = nodesCluster({ exact: true, nodes: defaultNodes(1) });
  c.runtime.register({
    name: 'hangs', matches: () => true,
    probe: (_p, ctr, kind, nowMs) => (kind === 'liveness' && ctr.restartCount === 0 && nowMs - ctr.startedAtMs! > 20_000 ? 'failure' : undefined),
  });
  const log = podLog(c);
  c.cluster.sim.run({ untilMs: 1_000 });
  createPod(c, 'web', { containers: [{ name: 'app', image: 'example.com/app:v1', livenessProbe: { periodSeconds: 5, failureThreshold: 3 } }], annotations: { 'sleeveless.dev/app-start-ms': '0' } });
  c.cluster.sim.run({ untilMs: 120_000 });
  const before = firstCommit(log, 'web', (p) => containerStatus(p, 'app')?.state.running !== undefined)!;
  const after = getPod(c, 'web')!;
  const killing = lines(c, 'event', { name: 'web', reason: 'Killing' });
  t.equal(killing.length, 1, 'one Killing event');
  const startAt = lines(c, 'container', { pod: `${NS}/web`, event: 'started' })[0].atMs;
  t.equal(killing[0].atMs - startAt, 35_000, 'failures at 25, 30, 35 s: killed at the third (failureThreshold 3)');
  t.equal(lines(c, 'container', { pod: `${NS}/web`, event: 'sigterm' })[0].atMs, killing[0].atMs, 'SIGTERM at once (no preStop)');
  t.equal(containerStatus(after, 'app')?.restartCount, 1);
  t.match(containerStatus(after, 'app')?.lastState.terminated, { reason: 'Completed' });
  t.equal(after.status.podIP, before.pod.status.podIP, 'same IP');
  t.equal(after.metadata.uid, before.pod.metadata.uid, 'same pod');
  t.equal(after.status.phase, 'Running');
  t.ok(isReady(after), 'ready again after the restart');
});

t.test('a kubelet restart adopts the running containers: no container restart, same IP; readiness starts over (upstream #100277)', async (t) => {
  const c = nodesCluster({ exact: true, nodes: defaultNodes(1) });
  const log = podLog(c);
  c.cluster.sim.run({ untilMs: 1_000 });
  createPod(c, 'web', { containers: [{ name: 'app', image: 'example.com/app:v1', readinessProbe: { periodSeconds: 10 } }], annotations: { 'sleeveless.dev/app-start-ms': '0' } });
  c.cluster.sim.run({ untilMs: 30_000 });
  const before = getPod(c, 'web')!;
  t.ok(isReady(before));
  c.cluster.component('kubelet/node-1').crash({ restartAfterMs: 5_000 });
  c.cluster.sim.run({ untilMs: 34_000 });
  t.ok(isReady(getPod(c, 'web')!), 'nothing changes while the kubelet is down');
  c.cluster.sim.run({ untilMs: 60_000 });
  const after = getPod(c, 'web')!;
  t.equal(containerStatus(after, 'app')?.restartCount, 0, 'the container kept running');
  t.equal(containerStatus(after, 'app')?.containerID, containerStatus(before, 'app')?.containerID);
  t.equal(after.status.podIP, before.status.podIP);
  t.equal(lines(c, 'container', { pod: `${NS}/web`, event: 'started' }).length, 1, 'started once');
  const flip = log.filter((e) => e.pod.metadata.name === 'web' && e.atMs > 35_000).map((e) => isReady(e.pod));
  t.same(flip.slice(0, 2), [false, true], 'NotReady until the first probe after the restart, then Ready');
  t.ok(isReady(after));
});

t.test('a pod deleted while its kubelet was down is cleaned up when the kubelet returns (orphaned sandbox)', async (t) => {
  const c = nodesCluster({ exact: true, nodes: defaultNodes(1) });
  c.cluster.sim.run({ untilMs: 1_000 });
  createPod(c, 'web');
  c.cluster.sim.run({ untilMs: 10_000 });
  c.cluster.component('kubelet/node-1').crash({ restartAfterMs: 10_000 });
  c.cluster.api.delete(PODS, 'web', { namespace: NS, gracePeriodSeconds: 0 });
  c.cluster.sim.run({ untilMs: 15_000 });
  t.equal(c.runtime.machine('node-1')!.sandboxes().length, 1, 'the sandbox outlives the kubelet');
  c.cluster.sim.run({ untilMs: 25_000 });
  t.equal(c.runtime.machine('node-1')!.sandboxes().length, 0, 'removed by housekeeping after the restart');
  t.equal(lines(c, 'kubelet-orphan', { pod: `${NS}/web` }).length, 1);
});
