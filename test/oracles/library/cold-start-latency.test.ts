import t from 'tap';
import { coldStartLatency } from '../../../src/oracles/library/cold-start-latency.js';
import { HistoryBuilder, servedRevision } from '../history-builder.js';
import { paramErrorOf } from '../param-error.js';

const check = (b: HistoryBuilder, params: Record<string, unknown>) => coldStartLatency.check(b.build(), coldStartLatency.parse(params));

/**
 * Scaled to zero at 3m; a burst at 5m waits for a pod that is ready after `podReadyAfterMs`. With
 * `recordPods` the Pods are in the history (exact); without, only the 1 s samples.
 */
function coldStart(podReadyAfterMs: number, options: { status?: number; recordPods?: boolean } = {}): HistoryBuilder {
  const b = new HistoryBuilder();
  const recordPods = options.recordPods ?? true;
  servedRevision(b, { recordPods });
  const burstMs = 300_000;
  const podUpMs = burstMs + podReadyAfterMs;
  if (recordPods) {
    b.pod('hello-00001', 'hello-00001-deployment-6979d9ccc6-p0', 180_000, { ready: false, terminating: true });
    b.delete('Pod', 'hello-00001-deployment-6979d9ccc6-p0', 210_000);
    b.pod('hello-00001', 'hello-00001-deployment-6979d9ccc6-q0', burstMs + 500, { ready: false });
    b.pod('hello-00001', 'hello-00001-deployment-6979d9ccc6-q0', podUpMs, { ready: true });
  }
  b.samples('hello-00001', { fromMs: 25_000, toMs: 400_000 }, (at) => ({ readyPods: at < 180_000 || at >= podUpMs ? 1 : 0, routed: true }));
  b.request({ arrivalMs: 100_000, latencyMs: 100 });
  for (let i = 0; i < 5; i += 1) b.request({ arrivalMs: burstMs + i * 10, latencyMs: podReadyAfterMs + 150 - i * 10, status: options.status ?? 200 });
  b.request({ arrivalMs: podUpMs + 2_000, latencyMs: 100 });
  return b;
}

t.test('fires when a request arriving at zero pods waits longer than max, naming the slowest', async (t) => {
  t.same(check(coldStart(12_000), { max: '10s' }), {
    reason: '5 of 5 cold-start requests did not succeed within 10s; the slowest, request #1 to hello.default.svc.cluster.local arriving at 5m0s while revision hello-00001 had no ready pod, took 12.15s',
    atMs: 310_000,
    objects: ['Revision default/hello-00001'],
  });
  t.equal(check(coldStart(6_000), { max: '10s' }), null, 'the same cold start with a pod ready in 6s passes');
});

t.test('without recorded Pods the samples tell a cold start', async (t) => {
  t.equal(check(coldStart(12_000, { recordPods: false }), { max: '10s' })?.atMs, 310_000);
  t.equal(check(coldStart(6_000, { recordPods: false }), { max: '10s' }), null);
});

t.test('a cold-start request that fails counts even when fast; warm requests never count', async (t) => {
  t.match(check(coldStart(2_000, { status: 503 }), { max: '10s' })?.reason, /got 503 after 2\.15s/);
  t.equal(check(coldStart(2_000), { max: 1 })?.reason.startsWith('5 of 5 cold-start'), true, 'the 100 ms warm requests are not cold starts');
});

t.test('max is required', async (t) => {
  t.match(paramErrorOf(() => coldStartLatency.parse({})), { field: 'max' });
});
