// queue-proxy's :9090/metrics: a Stat reported every second from the time-weighted RequestStats
// (pkg/queue/sharedmain/main.go reportingPeriod, protobuf_stats_reporter.go), scraped over the
// real HttpNetwork from a kubelet-started pod.
import t from 'tap';
import { createRevisionPod, podIp, runUntil, runUntilStarted, send, servingCluster, simRequest, type ServingCluster } from './serving-fixtures.js';

function scrape(c: ServingCluster, ip: string, atMs: number): Record<string, unknown> {
  runUntil(c, atMs);
  const reply = send(c, ip, 9090, { path: '/metrics' });
  runUntil(c, atMs + 1);
  return reply.res?.body as Record<string, unknown>;
}

t.test('every second the stat holds the last period: time-weighted concurrency, per-second counts, proxied apart', async (t) => {
  const c = servingCluster();
  runUntil(c, 1000);
  createRevisionPod(c, 'p1', { appStartMs: 100 });
  const q = runUntilStarted(c, 'p1', 'queue-proxy');
  const ip = podIp(c, 'p1');
  t.same(scrape(c, ip, q + 500), {
    podName: 'p1', processUptime: 0, averageConcurrentRequests: 0, averageProxiedConcurrentRequests: 0, requestCount: 0, proxiedRequestCount: 0,
  }, 'before the first report: an empty stat with the pod name');
  runUntil(c, q + 3100);
  send(c, ip, 8012, { carried: simRequest(c, { serviceTimeMs: 500 }) });
  send(c, ip, 8012, { headers: { 'K-Proxy-Request': 'activator' }, carried: simRequest(c, { serviceTimeMs: 500 }) });
  t.same(scrape(c, ip, q + 4000), {
    podName: 'p1', processUptime: 4, averageConcurrentRequests: 1, averageProxiedConcurrentRequests: 0.5, requestCount: 2, proxiedRequestCount: 1,
  }, 'two requests for half a second: concurrency 1, one of them proxied');
  t.match(scrape(c, ip, q + 5000), { processUptime: 5, averageConcurrentRequests: 0, requestCount: 0 }, 'an idle second reports zeros');
  runUntil(c, q + 5500);
  send(c, ip, 8012, { carried: simRequest(c, { serviceTimeMs: 1000 }) });
  t.match(scrape(c, ip, q + 6000), { averageConcurrentRequests: 0.5, requestCount: 1 }, 'a request spanning two periods: half in the first...');
  t.match(scrape(c, ip, q + 7000), { averageConcurrentRequests: 0.5, requestCount: 0 }, '...half in the second, counted once');
  runUntil(c, q + 7250);
  t.match(scrape(c, ip, q + 7250), { processUptime: 7 }, 'a scrape between reports returns the last stored stat');
});

t.test('queued requests count as concurrency (ReqIn before the breaker)', async (t) => {
  const c = servingCluster();
  runUntil(c, 1000);
  createRevisionPod(c, 'p1', { appStartMs: 100, containerConcurrency: 1 });
  const q = runUntilStarted(c, 'p1', 'queue-proxy');
  const ip = podIp(c, 'p1');
  runUntil(c, q + 2000);
  for (let i = 0; i < 4; i++) send(c, ip, 8012, { carried: simRequest(c, { serviceTimeMs: 1000 }) });
  t.match(scrape(c, ip, q + 3000), { averageConcurrentRequests: 4, requestCount: 4 }, 'one executing and three waiting: 4');
  t.match(scrape(c, ip, q + 4000), { averageConcurrentRequests: 3, requestCount: 0 });
});
