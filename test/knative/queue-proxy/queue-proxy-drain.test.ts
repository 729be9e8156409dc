// Revision pod shutdown as upstream does it (pkg/queue/sharedmain/main.go, handlers.go adminHandler,
// resources/deploy.go's preStop), with the real kubelet: deleting the pod runs the user container's
// preStop (/wait-for-drain) and SIGTERMs queue-proxy; health checks fail at once; the drain ends
// 30 s after the last request; in-flight requests finish; queue-proxy exits by itself. And the
// user-container restart of knative/serving#12571: /wait-for-drain without SIGTERM.
import t from 'tap';
import { PODS } from '../../../src/kube/resources.js';
import { firstCommit, isReady, podLog } from '../../kube/node-fixtures.js';
import {
  createRevisionPod, NS, podIp, podUid, queueProxyOf, runUntil, runUntilStarted, runUntilTrace, send, servingCluster, simRequest, type Reply, type ServingCluster,
} from './serving-fixtures.js';

const activatorProbe = { 'K-Network-Probe': 'queue', 'User-Agent': 'Knative-Activator-Probe' };

function readyPod(c: ServingCluster): { ip: string; t0: number } {
  runUntil(c, 1000);
  createRevisionPod(c, 'p1', { appStartMs: 100 });
  const q = runUntilStarted(c, 'p1', 'queue-proxy');
  runUntil(c, q + 2000);
  return { ip: podIp(c, 'p1'), t0: c.cluster.sim.nowMs };
}

t.test('SIGTERM: health 503 at once, requests still served, /wait-for-drain 30 s after the last request, then exit', async (t) => {
  const c = servingCluster();
  const { ip, t0 } = readyPod(c);
  const longRunning = send(c, ip, 8012, { carried: simRequest(c, { serviceTimeMs: 20_000 }) });
  c.cluster.api.delete(PODS, 'p1', { namespace: NS });
  const sigterm = runUntilTrace(c, 'container', { pod: `${NS}/p1`, c: 'queue-proxy', event: 'sigterm' });
  t.ok(sigterm <= t0 + 5, 'queue-proxy has no preStop: SIGTERM right away');
  runUntil(c, sigterm + 1);
  const probe = send(c, ip, 8012, { headers: activatorProbe });
  const kubelet = send(c, ip, 8012, { headers: { 'User-Agent': 'kube-probe/1.30', 'K-Network-Probe': 'queue' } });
  const replies: Reply[] = [];
  for (const delayMs of [5_000, 10_000]) c.cluster.sim.schedule(delayMs, () => void replies.push(send(c, ip, 8012, { carried: simRequest(c, { serviceTimeMs: 100 }) })));
  const userStop = runUntilTrace(c, 'container', { pod: `${NS}/p1`, c: 'user-container', event: 'sigterm' });
  t.match(probe.res, { status: 503, body: 'shutting down' }, "the activator's probe fails while draining");
  t.match(kubelet.res, { status: 503 }, 'so does the kubelet probe');
  t.ok(replies.every((r) => r.res?.status === 200), 'requests during the drain are served');
  t.equal(userStop, sigterm + 1 + 10_000 + 30_000, '/wait-for-drain returned 30 s after the last request: the preStop hook ended');
  const qpExit = runUntilTrace(c, 'container', { pod: `${NS}/p1`, c: 'queue-proxy', event: 'exited' });
  t.match(longRunning.res, { status: 200 }, 'the request in flight at SIGTERM finished');
  t.equal(longRunning.atMs, t0 + 20_000);
  t.equal(qpExit, userStop, 'queue-proxy exits when its drain ends and its servers are idle');
  const exited = c.cluster.sim.trace.lines().find((l) => l.kind === 'container' && l.fields.c === 'queue-proxy' && l.fields.event === 'exited')!;
  t.equal(exited.fields.code, 0, 'exit code 0, not SIGKILL');
  t.notOk(c.http.isListening(ip, 8012) || c.http.isListening(ip, 9090) || c.http.isListening(ip, 8022), 'every listener is gone');
});

t.test('after the drain, queue-proxy exits once its in-flight requests end', async (t) => {
  const c = servingCluster();
  runUntil(c, 1000);
  createRevisionPod(c, 'p1', { appStartMs: 100, annotations: { 'sleeveless.dev/shutdown-ms': '50000' } });
  runUntil(c, runUntilStarted(c, 'p1', 'queue-proxy') + 2000);
  const ip = podIp(c, 'p1');
  c.cluster.api.delete(PODS, 'p1', { namespace: NS });
  const sigterm = runUntilTrace(c, 'container', { pod: `${NS}/p1`, c: 'queue-proxy', event: 'sigterm' });
  let late: Reply = {};
  c.cluster.sim.schedule(29_000, () => {
    late = send(c, ip, 8012, { carried: simRequest(c, { serviceTimeMs: 45_000 }) });
  });
  const qpExit = runUntilTrace(c, 'container', { pod: `${NS}/p1`, c: 'queue-proxy', event: 'exited' });
  t.equal(qpExit, sigterm + 29_000 + 45_000, 'the drain ended at +59 s; the server waited for the request until +74 s');
  runUntil(c, qpExit + 1);
  t.match(late.res, { status: 200 }, 'the request finished (the user app takes 50 s to exit after its SIGTERM)');
});

t.test('a queue-proxy crash restarts it with fresh state; open connections are reset', async (t) => {
  const c = servingCluster();
  const { ip } = readyPod(c);
  const before = queueProxyOf(c, 'p1')!;
  const inFlight = send(c, ip, 8012, { carried: simRequest(c, { serviceTimeMs: 5000 }) });
  runUntil(c, c.cluster.sim.nowMs + 10);
  c.runtime.exitContainer(podUid(c, 'p1'), 'queue-proxy', { exitCode: 2 });
  t.notOk(c.http.isListening(ip, 8012), 'listeners removed with the process');
  runUntil(c, c.cluster.sim.nowMs + 20);
  t.match(inFlight.res, { status: 0, error: 'connection reset' });
  runUntilTrace(c, 'container', { pod: `${NS}/p1`, c: 'queue-proxy', event: 'started', attempt: 1 });
  const after = queueProxyOf(c, 'p1')!;
  t.not(after, before, 'a new queue-proxy instance');
  t.equal(after.stats.reports, 0, 'fresh statistics');
  t.ok(c.http.isListening(ip, 8012), 'listening again');
});

function livenessFault(c: ServingCluster, window: { fromMs: number; toMs: number }): void {
  c.runtime.register({
    name: 'user-liveness-fails',
    matches: (pod) => pod.metadata.name === 'p1',
    probe: (_pod, ctr, kind, nowMs) => (ctr.name === 'user-container' && kind === 'liveness' && nowMs >= window.fromMs && nowMs < window.toMs ? 'failure' : undefined),
  }, { first: true });
}

const liveness = { httpGet: { port: 8080, path: '/' }, initialDelaySeconds: 5, periodSeconds: 1, failureThreshold: 1 };

for (const reset of [true, false]) {
  const name = reset
    ? 'a user-container restart: /wait-for-drain without SIGTERM resets the drain after 1 s; the pod is Ready again (#13229)'
    : 'before #13229 (release 1.6): the restart leaves queue-proxy draining and the pod not Ready (knative/serving#12571)';
  t.test(name, async (t) => {
    const c = servingCluster({ release: reset ? '1.7' : '1.6' });
    const log = podLog(c);
    runUntil(c, 1000);
    createRevisionPod(c, 'p1', { appStartMs: 100, userLivenessProbe: liveness });
    const q = runUntilStarted(c, 'p1', 'queue-proxy');
    runUntil(c, q + 3000);
    const failAt = c.cluster.sim.nowMs;
    livenessFault(c, { fromMs: failAt, toMs: failAt + 1500 });
    const killedAt = runUntilTrace(c, 'probe', { pod: `${NS}/p1`, c: 'user-container', kind: 'liveness', result: 'failure' }, failAt + 100_000);
    const sigtermAt = runUntilTrace(c, 'container', { pod: `${NS}/p1`, c: 'user-container', event: 'sigterm' });
    const restarted = runUntilTrace(c, 'container', { pod: `${NS}/p1`, c: 'user-container', event: 'started', attempt: 1 });
    runUntil(c, restarted + 20_000);
    const qp = queueProxyOf(c, 'p1')!;
    const readyAgain = firstCommit(log.filter((e) => e.atMs > restarted), 'p1', isReady);
    if (reset) {
      t.equal(sigtermAt - killedAt, 1000, 'the preStop hook (/wait-for-drain) returned when the drain was reset, 1 s in');
      t.notOk(qp.drain.draining, 'the drain was reset');
      t.ok(readyAgain !== undefined, 'Ready again after the user container restarted');
    } else {
      t.equal(sigtermAt - killedAt, 30_000, 'the preStop hook waited out the whole drain');
      t.ok(qp.drain.draining, 'still draining');
      t.equal(readyAgain, undefined, 'never Ready again');
      const probe = send(c, podIp(c, 'p1'), 8012, { headers: activatorProbe });
      runUntil(c, c.cluster.sim.nowMs + 1);
      t.match(probe.res, { status: 503, body: 'shutting down' }, 'the activator sees it unhealthy too');
    }
  });
}

t.test('before #12033 (release 1.0): /wait-for-drain only waits for SIGTERM, so a user-container restart leaves health checks passing', async (t) => {
  const c = servingCluster({ release: '1.0' });
  const log = podLog(c);
  runUntil(c, 1000);
  createRevisionPod(c, 'p1', { appStartMs: 100, userLivenessProbe: liveness, terminationGracePeriodSeconds: 20 });
  const q = runUntilStarted(c, 'p1', 'queue-proxy');
  runUntil(c, q + 3000);
  const failAt = c.cluster.sim.nowMs;
  livenessFault(c, { fromMs: failAt, toMs: failAt + 1500 });
  const killedAt = runUntilTrace(c, 'probe', { pod: `${NS}/p1`, c: 'user-container', kind: 'liveness', result: 'failure' }, failAt + 100_000);
  runUntil(c, killedAt + 5000);
  const qp = queueProxyOf(c, 'p1')!;
  t.notOk(qp.drain.draining, 'the hook started no drain');
  const probe = send(c, podIp(c, 'p1'), 8012, { headers: activatorProbe });
  runUntil(c, c.cluster.sim.nowMs + 1);
  t.match(probe.res, { status: 200 }, 'queue-proxy still answers health checks while the hook waits');
  const sigtermAt = runUntilTrace(c, 'container', { pod: `${NS}/p1`, c: 'user-container', event: 'sigterm' });
  t.equal(sigtermAt - killedAt, 20_000, 'the hook held the user container until the grace period ran out');
  const restarted = runUntilTrace(c, 'container', { pod: `${NS}/p1`, c: 'user-container', event: 'started', attempt: 1 });
  runUntil(c, restarted + 20_000);
  const last = log.filter((e) => e.pod.metadata.name === 'p1').at(-1);
  t.ok(last !== undefined && isReady(last.pod), 'Ready after the restart');
});
