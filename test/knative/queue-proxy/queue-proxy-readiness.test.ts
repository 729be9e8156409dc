// queue-proxy's readiness, driven by the real kubelet through the PodRuntime: the kubelet's probe on
// the queue-proxy container and the activator's K-Network-Probe: queue both wait for the user app
// (pkg/queue/readiness/probe.go aggressive probing, pkg/queue/health/handler.go).
import t from 'tap';
import { firstAt } from '../../kube/node-fixtures.js';
import { isReady, podLog, firstCommit } from '../../kube/node-fixtures.js';
import { createRevisionPod, podIp, runUntil, runUntilStarted, send, servingCluster, at, type ServingCluster } from './serving-fixtures.js';

const activatorProbe = { 'K-Network-Probe': 'queue', 'User-Agent': 'Knative-Activator-Probe' };

function startedAt(c: ServingCluster, container: string): number {
  return firstAt(c, 'container', { pod: 'default/p1', c: container, event: 'started' })!;
}

t.test('the pod turns Ready only once the user app listens, at the next kubelet probe', async (t) => {
  const c = servingCluster();
  const log = podLog(c);
  runUntil(c, 1000);
  createRevisionPod(c, 'p1', { appStartMs: 5000, probePeriodSeconds: 1 });
  runUntil(c, 30_000);
  const appUp = startedAt(c, 'user-container') + 5000;
  const qpStart = startedAt(c, 'queue-proxy');
  t.ok(qpStart < appUp, 'queue-proxy runs before the app listens (the probe has something to wait for)');
  const ready = firstCommit(log, 'p1', isReady)!;
  t.ok(ready.atMs >= appUp, `Ready at ${ready.atMs}, not before the app listens at ${appUp}`);
  const firstProbeAfter = qpStart + Math.ceil((appUp - qpStart) / 1000) * 1000;
  t.ok(ready.atMs <= firstProbeAfter + 5, `Ready by the first kubelet probe after that (${firstProbeAfter})`);
});

t.test("the activator's probe blocks on the aggressive prober and answers 200 'queue' once the app listens", async (t) => {
  const c = servingCluster();
  runUntil(c, 1000);
  createRevisionPod(c, 'p1', { appStartMs: 5000 });
  const qpStart = runUntilStarted(c, 'p1', 'queue-proxy');
  const appUp = startedAt(c, 'user-container') + 5000;
  t.ok(qpStart < appUp);
  const replies: ReturnType<typeof send>[] = [];
  at(c, qpStart + 100, () => {
    const ip = podIp(c, 'p1');
    replies.push(send(c, ip, 8012, { path: '/healthz', headers: activatorProbe }));
    replies.push(send(c, ip, 8012, { path: '/healthz', headers: activatorProbe }));
    replies.push(send(c, ip, 8012, { path: '/healthz', headers: { ...activatorProbe, 'K-Network-Probe': 'activator' } }));
    replies.push(send(c, ip, 8012, { path: '/healthz', headers: activatorProbe }, { timeoutMs: 300 }));
  });
  runUntil(c, 40_000);
  const [first, joined, wrong, impatient] = replies;
  t.match(first.res, { status: 200, body: 'queue' });
  t.ok(first.atMs! >= appUp && first.atMs! < appUp + 50, `answered within one 50 ms retry of the app listening (${first.atMs} vs ${appUp})`);
  t.equal(joined.atMs, first.atMs, 'a concurrent caller joins the probe in flight');
  t.match(wrong.res, { status: 400, body: 'unexpected probe header value: activator' });
  t.equal(wrong.atMs, qpStart + 100, 'a wrong probe value is refused at once');
  t.match(impatient.res, { status: 0, error: 'timeout' }, "the activator's 300 ms probe timeout ends its wait");
});

t.test('an aggressive probe gives up after 10 s with 503; a non-aggressive one tries once', async (t) => {
  const c = servingCluster();
  runUntil(c, 1000);
  createRevisionPod(c, 'p1', { appStartMs: 60_000 });
  createRevisionPod(c, 'p2', { appStartMs: 60_000, readinessProbe: JSON.stringify({ tcpSocket: { port: 8080 }, periodSeconds: 5, successThreshold: 1 }) });
  runUntil(c, 12_000);
  const replies = [send(c, podIp(c, 'p1'), 8012, { headers: activatorProbe }), send(c, podIp(c, 'p2'), 8012, { headers: activatorProbe })];
  runUntil(c, 30_000);
  t.match(replies[0].res, { status: 503 });
  t.equal(replies[0].atMs, 12_000 + 10_000, 'PollTimeout: 10 s');
  t.match(replies[1].res, { status: 503 });
  t.equal(replies[1].atMs, 12_000, 'periodSeconds > 0: one try, at once');
});

t.test('an empty SERVING_READINESS_PROBE means no probe: health checks pass before the app listens', async (t) => {
  const c = servingCluster();
  runUntil(c, 1000);
  createRevisionPod(c, 'p1', { appStartMs: 60_000, readinessProbe: '' });
  runUntil(c, 12_000);
  const reply = send(c, podIp(c, 'p1'), 8012, { headers: activatorProbe });
  runUntil(c, 12_001);
  t.match(reply.res, { status: 200, body: 'queue' });
});

t.test('readinessLookahead: the kubelet sees Ready when the app will listen within its probe timeout', async (t) => {
  const strict = servingCluster();
  const eager = servingCluster({ queueProxy: { readinessLookahead: true } });
  const ready: number[] = [];
  for (const c of [strict, eager]) {
    const log = podLog(c);
    runUntil(c, 1000);
    // The app listens 600 ms after queue-proxy starts: inside the kubelet's 1 s probe timeout.
    createRevisionPod(c, 'p1', { appStartMs: 3850, probePeriodSeconds: 10 });
    runUntil(c, 40_000);
    ready.push(firstCommit(log, 'p1', isReady)!.atMs);
  }
  const qpStart = startedAt(strict, 'queue-proxy');
  const appUp = startedAt(strict, 'user-container') + 3850;
  t.equal(appUp - qpStart, 600, 'the scenario: the app comes up 600 ms into the first probe');
  t.ok(ready[0] >= qpStart + 10_000, `strict: Ready at the next period (${ready[0]})`);
  t.ok(ready[1] < appUp, `lookahead: Ready at the first probe (${ready[1]}), ahead of the app`);
});

t.test('a request in the early-ready window waits for the app instead of being refused', async (t) => {
  const c = servingCluster({ queueProxy: { readinessLookahead: true } });
  runUntil(c, 1000);
  createRevisionPod(c, 'p1', { appStartMs: 3850, probePeriodSeconds: 10 });
  const qpStart = runUntilStarted(c, 'p1', 'queue-proxy');
  runUntil(c, qpStart + 5);
  const appUp = startedAt(c, 'user-container') + 3850;
  t.ok(c.cluster.sim.nowMs < appUp, 'between the early Ready and the app listening');
  const reply = send(c, podIp(c, 'p1'), 8012, { carried: { id: 1, host: 'h', path: '/', arrivalMs: 0, serviceTimeMs: 10, clientTimeoutMs: 0, phase: 'p' } });
  runUntil(c, 20_000);
  t.match(reply.res, { status: 200 });
  t.equal(reply.atMs, appUp + 10, 'served as soon as the app listens');
});
