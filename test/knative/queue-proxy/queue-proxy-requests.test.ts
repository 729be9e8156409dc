// queue-proxy's request path on a real revision pod (kubelet-driven): breaker limits per
// containerConcurrency (pkg/queue/sharedmain/main.go buildBreaker), the ProxyHandler's stats and
// errors, and the revision timeout. Ports of pkg/queue/handler_test.go: TestHandlerBreakerQueueFull
// (with CC=1, so the queue is 10 deep), TestHandlerBreakerTimeout (the timeout here is the
// revision's, answered by the TimeoutHandler with 504), TestHandlerReqEvent.
import t from 'tap';
import { createRevisionPod, podIp, queueProxyOf, runUntil, runUntilStarted, send, servingCluster, simRequest, type Reply, type ServingCluster } from './serving-fixtures.js';

/** A pod whose app listens; returns its IP and the time it is ready to serve. */
function readyPod(c: ServingCluster, o: Parameters<typeof createRevisionPod>[2] = {}): { ip: string; t0: number } {
  runUntil(c, 1000);
  createRevisionPod(c, 'p1', { appStartMs: 100, ...o });
  const qpStart = runUntilStarted(c, 'p1', 'queue-proxy');
  runUntil(c, qpStart + 1000);
  return { ip: podIp(c, 'p1'), t0: c.cluster.sim.nowMs };
}

function request(c: ServingCluster, ip: string, serviceTimeMs: number, headers: Record<string, string> = {}): Reply {
  return send(c, ip, 8012, { headers, carried: simRequest(c, { serviceTimeMs }) });
}

t.test('CC=1: one request runs, ten queue behind it in order, the twelfth is turned away with 503', async (t) => {
  const c = servingCluster();
  const { ip, t0 } = readyPod(c, { containerConcurrency: 1 });
  const replies = Array.from({ length: 12 }, () => request(c, ip, 1000));
  runUntil(c, t0 + 1);
  t.match(replies[11].res, { status: 503, body: 'pending request queue full' }, 'TestHandlerBreakerQueueFull: 11·CC admitted, the rest refused at once');
  t.equal(replies[11].atMs, t0);
  const qp = queueProxyOf(c, 'p1')!;
  t.equal(qp.handler.breaker?.inFlight, 1, 'one executing');
  t.equal(qp.handler.breaker?.pending, 10, 'ten waiting');
  runUntil(c, t0 + 20_000);
  for (let i = 0; i < 11; i++) {
    t.match(replies[i].res, { status: 200, headers: { 'X-Sleeveless-Pod': 'p1' } });
    t.equal(replies[i].atMs, t0 + (i + 1) * 1000, `request ${i} served after the ${i} before it`);
  }
});

t.test('CC=0: no breaker, every request runs at once', async (t) => {
  const c = servingCluster();
  const { ip, t0 } = readyPod(c, { containerConcurrency: 0 });
  const replies = Array.from({ length: 50 }, () => request(c, ip, 1000));
  runUntil(c, t0 + 5000);
  t.ok(replies.every((r) => r.res?.status === 200 && r.atMs === t0 + 1000), 'all 50 served concurrently');
  const qp = queueProxyOf(c, 'p1')!;
  t.equal(qp.handler.breaker, undefined);
});

t.test('the revision timeout answers 504 and takes queued requests out of the breaker (TestHandlerBreakerTimeout)', async (t) => {
  const c = servingCluster();
  const { ip, t0 } = readyPod(c, { containerConcurrency: 1, timeoutSeconds: 2 });
  const a = request(c, ip, 1500);
  const b = request(c, ip, 1000);
  const d = request(c, ip, 1000);
  let late: Reply = {};
  c.cluster.sim.schedule(2100, () => {
    late = request(c, ip, 1000);
  });
  runUntil(c, t0 + 10_000);
  t.match(a.res, { status: 200 });
  t.equal(a.atMs, t0 + 1500);
  t.match(b.res, { status: 504, body: 'request timeout' }, 'started at 1.5 s, would end at 2.5 s: cut at 2 s');
  t.equal(b.atMs, t0 + 2000);
  t.match(d.res, { status: 504 }, 'timed out while still queued');
  t.equal(d.atMs, t0 + 2000);
  t.match(late.res, { status: 200 }, 'the slots were freed: a later request runs at once');
  t.equal(late.atMs, t0 + 3100);
  const qp = queueProxyOf(c, 'p1')!;
  t.equal(qp.handler.breaker?.slotsTaken, 0, 'nothing left in the breaker');
  t.equal(qp.stats.concurrency, 0, 'every ReqIn has its ReqOut');
});

t.test('a client that gives up frees its breaker slot (context cancellation)', async (t) => {
  const c = servingCluster();
  const { ip, t0 } = readyPod(c, { containerConcurrency: 1 });
  const a = send(c, ip, 8012, { carried: simRequest(c, { serviceTimeMs: 5000 }) }, { timeoutMs: 1000 });
  const b = request(c, ip, 100);
  runUntil(c, t0 + 10_000);
  t.match(a.res, { status: 0, error: 'timeout' });
  t.equal(b.atMs, t0 + 1100, 'the queued request ran as soon as the first client left');
});

t.test('TestHandlerReqEvent: K-Proxy-Request: activator counts as proxied', async (t) => {
  const c = servingCluster();
  const { ip, t0 } = readyPod(c, { containerConcurrency: 10 });
  const qpStart = c.cluster.sim.trace.lines().find((l) => l.kind === 'container' && l.fields.c === 'queue-proxy')!.atMs;
  const nextReport = qpStart + Math.ceil((t0 - qpStart + 1) / 1000) * 1000;
  c.cluster.sim.schedule(nextReport - t0 + 100, () => void request(c, ip, 10, { 'K-Proxy-Request': 'activator' }));
  runUntil(c, nextReport + 1001);
  const m = send(c, ip, 9090, { path: '/metrics' });
  runUntil(c, nextReport + 1002);
  t.match(m.res?.body, { proxiedRequestCount: 1, requestCount: 1 });
});

t.test('502 when the user app is not listening; 404 on unknown admin and metrics paths', async (t) => {
  const c = servingCluster();
  runUntil(c, 1000);
  createRevisionPod(c, 'p1', { appStartMs: 60_000 });
  const qpStart = runUntilStarted(c, 'p1', 'queue-proxy');
  const ip = podIp(c, 'p1');
  const r = request(c, ip, 10);
  const admin = send(c, ip, 8022, { path: '/nope' });
  const metrics = send(c, ip, 9090, { path: '/nope' });
  runUntil(c, qpStart + 10);
  t.match(r.res, { status: 502, body: /connection refused/ });
  t.match(admin.res, { status: 404 });
  t.match(metrics.res, { status: 404 });
});
