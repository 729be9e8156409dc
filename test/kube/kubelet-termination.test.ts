// Pod termination as kuberuntime_container.go killContainer does it, checked with exact timings:
// the kubelet sees deletionTimestamp, runs each container's preStop hook (within the grace period),
// sends SIGTERM, and SIGKILLs what still runs at the deadline (never sooner than 2 s after SIGTERM);
// once every container stopped it removes the sandbox, writes the terminal status and deletes the
// pod with gracePeriodSeconds 0.
import t from 'tap';
import type { KubeObject } from '../../src/apiserver/types.js';
import { defaultNodes } from '../../src/kube/install-nodes.js';
import { DEFAULT_KUBELET_TIMINGS } from '../../src/kube/kubelet-timings.js';
import type { PodBehaviour } from '../../src/kube/pod-runtime.js';
import { PODS } from '../../src/kube/resources.js';
import { containerStatus, createPod, firstAt, getPod, lines, nodesCluster, podLog, NS } from './node-fixtures.js';

const preStopExec = { preStop: { exec: { command: ['/bin/sleep', '5'] } } };

function setup(behaviour: Omit<PodBehaviour, 'name' | 'matches'>, podSpec: { containers: Record<string, unknown>[]; spec?: Record<string, unknown> }): { c: ReturnType<typeof nodesCluster>; deleteAt: number; log: ReturnType<typeof podLog> } {
  const c = nodesCluster({ exact: true, nodes: defaultNodes(1) });
  c.runtime.register({ name: 'app', matches: () => true, ...behaviour });
  const log = podLog(c);
  c.cluster.sim.run({ untilMs: 1_000 });
  createPod(c, 'web', { containers: podSpec.containers, spec: podSpec.spec });
  c.cluster.sim.run({ untilMs: 20_000 });
  c.cluster.api.delete(PODS, 'web', { namespace: NS });
  return { c, deleteAt: 20_000, log };
}

const lastBeforeDeletion = (log: ReturnType<typeof podLog>): KubeObject => log.filter((e) => e.pod.metadata.name === 'web' && e.type === 'MODIFIED').at(-1)!.pod;

t.test('preStop → SIGTERM → exit → sandbox removed → terminal status → DELETE(grace 0), each at its time', async (t) => {
  const seen: string[] = [];
  const { c, deleteAt, log } = setup({
    preStopMs: () => 5_000,
    shutdownMs: () => 3_000,
    onPodTerminating: (_p, now) => void seen.push(`terminating@${now}`),
    onContainerStopping: (_p, ctr, now) => void seen.push(`sigterm ${ctr.name}@${now}`),
    onContainerStopped: (_p, ctr, exit, now) => void seen.push(`stopped ${ctr.name} ${exit.exitCode}@${now}`),
    onPodDeleted: (_p, now) => void seen.push(`deleted@${now}`),
  }, { containers: [{ name: 'app', image: 'example.com/app:v1', lifecycle: preStopExec }] });
  c.cluster.sim.run({ untilMs: 60_000 });
  const seenAt = deleteAt + 1;
  t.equal(firstAt(c, 'kubelet-terminating', { pod: `${NS}/web` }), seenAt, 'the kubelet sees deletionTimestamp 1 ms later (watch)');
  t.equal(firstAt(c, 'kubelet-stage', { pod: `${NS}/web`, stage: 'prestop' }), seenAt + 5_000, 'preStop takes its 5 s');
  t.equal(firstAt(c, 'container', { pod: `${NS}/web`, event: 'sigterm' }), seenAt + 5_000, 'SIGTERM right after the hook');
  t.equal(firstAt(c, 'container', { pod: `${NS}/web`, event: 'exited' }), seenAt + 8_000, 'the app exits 3 s after SIGTERM');
  const removedAt = firstAt(c, 'sandbox', { pod: `${NS}/web`, event: 'removed' })!;
  t.equal(removedAt, seenAt + 8_000 + DEFAULT_KUBELET_TIMINGS.podCleanup.ms, 'sandbox (and IP) released after the cleanup delay');
  const deletedAt = log.find((e) => e.pod.metadata.name === 'web' && e.type === 'DELETED')!.atMs;
  t.ok(deletedAt > removedAt && deletedAt <= removedAt + 5, `pod removed from the API right after (${deletedAt - removedAt} ms)`);
  const final = lastBeforeDeletion(log);
  t.equal(final.status.phase, 'Succeeded', 'every container exited 0: terminal phase Succeeded');
  t.match(containerStatus(final, 'app')?.state.terminated, { exitCode: 0, reason: 'Completed' });
  t.match((final.status.conditions as any[]).find((x) => x.type === 'Ready'), { status: 'False', reason: 'PodCompleted' });
  t.same(seen, [`terminating@${seenAt}`, `sigterm app@${seenAt + 5_000}`, `stopped app 0@${seenAt + 8_000}`, `deleted@${removedAt}`], 'PodRuntime notifications in order');
  const del = lines(c, 'api', { c: 'kubelet/node-1', verb: 'delete', res: 'pods' });
  t.equal(del.length, 1, 'the kubelet deletes the pod once');
});

t.test('an app that ignores SIGTERM is SIGKILLed at the end of the grace period; the pod ends Failed', async (t) => {
  const { c, deleteAt, log } = setup({ shutdownMs: () => Infinity }, { containers: [{ name: 'app', image: 'example.com/app:v1' }], spec: { terminationGracePeriodSeconds: 10 } });
  c.cluster.sim.run({ untilMs: 60_000 });
  const seenAt = deleteAt + 1;
  t.equal(firstAt(c, 'container', { pod: `${NS}/web`, event: 'sigterm' }), seenAt, 'no preStop: SIGTERM at once');
  const exited = lines(c, 'container', { pod: `${NS}/web`, event: 'exited' })[0];
  t.equal(exited.atMs, seenAt + 10_000, 'SIGKILL when the 10 s grace runs out');
  t.match(exited.fields, { code: 137, signal: 'SIGKILL' });
  const final = lastBeforeDeletion(log);
  t.equal(final.status.phase, 'Failed');
  t.match(containerStatus(final, 'app')?.state.terminated, { exitCode: 137, reason: 'Error' });
  t.equal(getPod(c, 'web'), undefined, 'deleted');
});

t.test('a preStop hook longer than the grace period is cut at the deadline; SIGTERM still gets the 2 s minimum', async (t) => {
  const { c, deleteAt } = setup({ preStopMs: () => 60_000, shutdownMs: () => Infinity }, { containers: [{ name: 'app', image: 'example.com/app:v1', lifecycle: preStopExec }], spec: { terminationGracePeriodSeconds: 10 } });
  c.cluster.sim.run({ untilMs: 60_000 });
  const seenAt = deleteAt + 1;
  t.equal(firstAt(c, 'container', { pod: `${NS}/web`, event: 'sigterm' }), seenAt + 10_000, 'the hook is abandoned when the grace period ends');
  t.equal(firstAt(c, 'container', { pod: `${NS}/web`, event: 'exited' }), seenAt + 12_000, 'SIGKILL after minimumGracePeriodInSeconds (2 s)');
});

t.test('a preStop sleep action lasts its seconds', async (t) => {
  const { c, deleteAt } = setup({}, { containers: [{ name: 'app', image: 'example.com/app:v1', lifecycle: { preStop: { sleep: { seconds: 7 } } } }] });
  c.cluster.sim.run({ untilMs: 60_000 });
  t.equal(firstAt(c, 'container', { pod: `${NS}/web`, event: 'sigterm' }), deleteAt + 1 + 7_000);
});

t.test("an open-ended preStop (Infinity) ends when the model calls finishPreStop: Knative's wait-for-drain shape", async (t) => {
  const drainMs = 30_000;
  const holder: { c?: ReturnType<typeof nodesCluster> } = {};
  const { c, deleteAt } = setup({
    preStopMs: (_p, ctr) => (ctr.name === 'user-container' ? Infinity : undefined),
    shutdownMs: (_p, ctr) => (ctr.name === 'queue-proxy' ? Infinity : undefined),
    onContainerStopping: (pod, ctr) => {
      if (ctr.name !== 'queue-proxy') return;
      const { cluster, runtime } = holder.c!;
      cluster.sim.schedule(drainMs, () => {
        runtime.finishPreStop(pod.metadata.uid!, 'user-container');
        runtime.exitContainer(pod.metadata.uid!, 'queue-proxy', { exitCode: 0 });
      });
    },
  }, {
    containers: [
      { name: 'user-container', image: 'example.com/user:v1', lifecycle: { preStop: { httpGet: { path: '/wait-for-drain', port: 8022 } } } },
      { name: 'queue-proxy', image: 'example.com/queue:v1' },
    ],
    spec: { terminationGracePeriodSeconds: 300 },
  });
  holder.c = c;
  c.cluster.sim.run({ untilMs: 120_000 });
  const seenAt = deleteAt + 1;
  t.equal(firstAt(c, 'container', { pod: `${NS}/web`, c: 'queue-proxy', event: 'sigterm' }), seenAt, 'queue-proxy (no preStop) gets SIGTERM at once and drains');
  t.equal(firstAt(c, 'container', { pod: `${NS}/web`, c: 'user-container', event: 'sigterm' }), seenAt + 30_000, 'the user container waits in its preStop until the drain ends');
  t.equal(firstAt(c, 'container', { pod: `${NS}/web`, c: 'queue-proxy', event: 'exited' }), seenAt + 30_000);
  t.equal(getPod(c, 'web'), undefined, 'then the pod goes');
});

t.test('a second delete with a shorter grace period moves the SIGKILL in', async (t) => {
  const { c, deleteAt } = setup({ shutdownMs: () => Infinity }, { containers: [{ name: 'app', image: 'example.com/app:v1' }] });
  c.cluster.sim.run({ untilMs: deleteAt + 5_000 });
  c.cluster.api.delete(PODS, 'web', { namespace: NS, gracePeriodSeconds: 2 });
  c.cluster.sim.run({ untilMs: 60_000 });
  const exited = lines(c, 'container', { pod: `${NS}/web`, event: 'exited' })[0];
  // The API server counts the new grace from the first delete; that deadline (+2 s) has passed, so
  // it stores deletionGracePeriodSeconds 1 (rest.BeforeDelete) and the kubelet kills 1 s after seeing it.
  t.equal(exited.atMs, deleteAt + 5_000 + 1 + 1_000, 'killed 1 s after the kubelet saw the shorter grace (not at 30 s)');
  t.equal(getPod(c, 'web'), undefined);
});
