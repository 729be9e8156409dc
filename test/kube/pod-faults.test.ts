// Each pod fault family changes what the cluster does, observably through the API server, and only
// within its window; each is recorded in the trace.
import t from 'tap';
import { isForbidden } from '../../src/apiserver/api-error.js';
import { defaultNodes } from '../../src/kube/install-nodes.js';
import {
  crashContainer, crashLoop, failImagePull, failPodCreation, flapReadiness, loseNode, stuckTerminating,
} from '../../src/kube/pod-faults.js';
import { PODS } from '../../src/kube/resources.js';
import { runProcess } from '../client/fixtures.js';
import { containerStatus, createPod, getPod, isReady, lines, nodesCluster, podLog, podObject, NS } from './node-fixtures.js';

const readyProbe = [{ name: 'app', image: 'example.com/app:v1', readinessProbe: { periodSeconds: 1 } }];

function runningPod(options: { nodes?: number } = {}): { c: ReturnType<typeof nodesCluster>; log: ReturnType<typeof podLog> } {
  const c = nodesCluster({ nodes: defaultNodes(options.nodes ?? 1) });
  const log = podLog(c);
  c.cluster.sim.run({ untilMs: 1_000 });
  createPod(c, 'web', { containers: readyProbe, labels: { app: 'web' } });
  c.cluster.sim.run({ untilMs: 20_000 });
  return { c, log };
}

/** Ready / NotReady of `web` at fromMs, then each change in the commit log until toMs. */
function readiness(log: ReturnType<typeof podLog>, fromMs: number, toMs = Infinity): boolean[] {
  const out: boolean[] = [];
  for (const e of log) {
    if (e.pod.metadata.name !== 'web' || e.atMs > toMs || e.type === 'DELETED') continue;
    if (e.atMs < fromMs) {
      out[0] = isReady(e.pod);
      continue;
    }
    const r = isReady(e.pod);
    if (out.at(-1) !== r) out.push(r);
  }
  return out;
}

t.test('crashContainer: the container exits, the pod goes NotReady, restarts in place (restartCount 1, same IP) and is Ready again', async (t) => {
  const { c, log } = runningPod();
  const before = getPod(c, 'web')!;
  crashContainer(c, { name: 'web' }, { atMs: 20_000 });
  c.cluster.sim.run({ untilMs: 40_000 });
  const after = getPod(c, 'web')!;
  t.equal(containerStatus(after, 'app')?.restartCount, 1);
  t.match(containerStatus(after, 'app')?.lastState.terminated, { exitCode: 1, reason: 'Error' });
  t.equal(after.status.podIP, before.status.podIP);
  t.equal(after.metadata.uid, before.metadata.uid);
  t.same(readiness(log, 20_000), [true, false, true], 'NotReady while restarting');
  t.equal(lines(c, 'pod-fault', { fault: 'crash', event: 'exit', pod: `${NS}/web` }).length, 1, 'recorded');
});

t.test('crashContainer with oom reports OOMKilled (137)', async (t) => {
  const { c } = runningPod();
  crashContainer(c, { labels: { app: 'web' }, container: 'app' }, { oom: true });
  c.cluster.sim.run({ untilMs: 40_000 });
  t.match(containerStatus(getPod(c, 'web'), 'app')?.lastState.terminated, { exitCode: 137, reason: 'OOMKilled' });
});

t.test('crashLoop: crashes after every start during the window (back-off grows), none after it', async (t) => {
  const { c, log } = runningPod();
  crashLoop(c, { name: 'web' }, { atMs: 20_000, durationMs: 60_000, crashAfterMs: 500 });
  c.cluster.sim.run({ untilMs: 300_000 });
  const exits = lines(c, 'container', { pod: `${NS}/web`, event: 'exited' }).map((l) => l.atMs);
  t.ok(exits.length >= 4, `${exits.length} crashes`);
  t.ok(exits.every((e) => e >= 20_000 && e < 80_000 + 1_000), 'all within the window');
  t.ok(log.some((e) => containerStatus(e.pod, 'app')?.state.waiting?.reason === 'CrashLoopBackOff'), 'CrashLoopBackOff seen');
  const final = getPod(c, 'web')!;
  t.equal(containerStatus(final, 'app')?.restartCount, exits.length);
  t.ok(isReady(final), 'up and Ready after the window');
  t.same(lines(c, 'pod-fault', { fault: 'crash-loop' }).map((l) => l.fields.event).filter((e) => e !== 'exit'), ['start', 'end']);
});

t.test('flapReadiness: alternate flips Ready every period during the window; fail keeps it NotReady; both heal', async (t) => {
  const { c, log } = runningPod();
  flapReadiness(c, { name: 'web' }, { atMs: 20_000, durationMs: 40_000, mode: 'alternate', periodMs: 10_000 });
  flapReadiness(c, { name: 'web' }, { atMs: 100_000, durationMs: 20_000, mode: 'fail' });
  c.cluster.sim.run({ untilMs: 150_000 });
  const flap = readiness(log, 20_000, 65_000);
  t.ok(flap.length >= 4, `flips during the alternate window: ${flap.join(',')}`);
  t.same(readiness(log, 95_000, 125_000), [true, false, true], 'NotReady during the fail window, Ready after it');
  t.ok(isReady(getPod(c, 'web')!), 'Ready after both windows');
  t.equal(containerStatus(getPod(c, 'web'), 'app')?.restartCount, 0, 'readiness failures restart nothing');
});

t.test('stuckTerminating: a pod deleted in the window stays Terminating until the window ends', async (t) => {
  const { c } = runningPod();
  stuckTerminating(c, { name: 'web' }, { atMs: 20_000, durationMs: 120_000 });
  c.cluster.sim.run({ untilMs: 21_000 });
  c.cluster.api.delete(PODS, 'web', { namespace: NS });
  c.cluster.sim.run({ untilMs: 139_000 });
  const stuck = getPod(c, 'web');
  t.ok(stuck?.metadata.deletionTimestamp, 'still there, Terminating, long after its grace period');
  t.ok(lines(c, 'container', { pod: `${NS}/web`, event: 'exited' }).length === 1, 'its container was stopped');
  t.equal(c.runtime.machine('node-1')!.sandboxes().length, 1, 'but the sandbox was not torn down');
  c.cluster.sim.run({ untilMs: 141_000 });
  t.equal(getPod(c, 'web'), undefined, 'finished once the window closed');
});

t.test('loseNode: the kubelet stops and every container is gone at once; with returnAfterMs it comes back', async (t) => {
  const { c } = runningPod();
  const stopped: string[] = [];
  c.runtime.register({ name: 'dataplane', matches: () => true, onContainerStopped: (p, ctr, _exit, now) => void stopped.push(`${p.metadata.name}/${ctr.name}@${now}`) });
  loseNode(c, { node: 'node-1', atMs: 25_000, returnAfterMs: 30_000 });
  c.cluster.sim.run({ untilMs: 26_000 });
  t.equal(c.cluster.component('kubelet/node-1').state, 'stopped');
  t.same(stopped, ['web/app@25000'], 'the data plane learns the container is gone');
  t.ok(isReady(getPod(c, 'web')!), 'the API still says Ready: nobody has noticed yet');
  c.cluster.sim.run({ untilMs: 70_000 });
  t.equal(c.cluster.component('kubelet/node-1').state, 'running');
  t.equal(containerStatus(getPod(c, 'web'), 'app')?.restartCount, 1, 'restarted after the node came back');
  t.ok(isReady(getPod(c, 'web')!));
});

t.test('failPodCreation: creates are refused with 403 Forbidden during the window, accepted after', async (t) => {
  const c = nodesCluster({ nodes: defaultNodes(1) });
  failPodCreation(c, { atMs: 1_000, durationMs: 10_000, namespace: NS });
  const client = c.cluster.client('replicaset-controller');
  c.cluster.sim.run({ untilMs: 2_000 });
  const during = runProcess(c.cluster.sim, client.create(PODS, podObject('during')));
  c.cluster.sim.run({ untilMs: 12_000 });
  const after = runProcess(c.cluster.sim, client.create(PODS, podObject('after')));
  c.cluster.sim.run({ untilMs: 15_000 });
  t.ok(isForbidden(during.error), 'refused');
  t.match((during.error as Error).message, /^pods is forbidden: exceeded quota/);
  t.equal(getPod(c, 'during'), undefined);
  t.ok(after.value, 'accepted after the window');
  t.ok(getPod(c, 'after'));
  t.equal(lines(c, 'fault-hit', { verb: 'create', resource: 'pods' }).length, 1);
});

t.test('failImagePull: ErrImagePull, then ImagePullBackOff; after the window the pull succeeds and the pod runs', async (t) => {
  const c = nodesCluster({ nodes: defaultNodes(1) });
  const log = podLog(c);
  failImagePull(c, { name: 'web' }, { atMs: 0, durationMs: 30_000 });
  c.cluster.sim.run({ untilMs: 1_000 });
  createPod(c, 'web');
  c.cluster.sim.run({ untilMs: 120_000 });
  const reasons = [...new Set(log.map((e) => containerStatus(e.pod, 'app')?.state.waiting?.reason).filter((r) => r !== undefined))];
  t.same(reasons, ['ContainerCreating', 'ErrImagePull', 'ImagePullBackOff']);
  const pod = getPod(c, 'web')!;
  t.equal(pod.status.phase, 'Running');
  t.equal(containerStatus(pod, 'app')?.restartCount, 0, 'image pull failures are not restarts');
  const pulls = lines(c, 'kubelet-stage', { pod: `${NS}/web`, stage: 'image-pull' }).map((l) => l.atMs);
  t.ok(pulls.length >= 3, `${pulls.length} pull attempts (back-off 10 s, 20 s, ...)`);
  t.ok(pulls.at(-1)! >= 30_000, 'the successful one after the window');
});
