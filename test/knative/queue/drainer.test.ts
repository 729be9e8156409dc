// Ports of knative/pkg network/handlers/drain_test.go against our clock-free Drainer: upstream's
// mock timer becomes explicit virtual times.
import t from 'tap';
import {
  DEFAULT_DRAIN_TIMEOUT_MS, Drainer, QUEUE_PROXY_HEALTH_CHECK_UA_PREFIXES, QUEUE_PROXY_QUIET_PERIOD_MS,
} from '../../../src/knative/queue/drainer.js';

const kubeProbe = { userAgent: 'kube-probe/1.30' };
const plain = {};

t.test('TestDrainMechanics: requests reset the quiet period, probes do not, the deadline holds', async (t) => {
  const timeout = 100;
  const d = new Drainer({ quietPeriodMs: timeout });
  for (let i = 0; i < 3; i++) t.same(d.serve(plain, 0), { handledBy: 'inner' }, 'works before Drain');
  t.equal(d.drainDoneAtMs(), undefined, 'requests before Drain arm nothing');
  t.same(d.serve(kubeProbe, 0), { handledBy: 'drainer', status: 200 });

  d.drainStarted(1000);
  t.equal(d.drainDoneAtMs(), 1100);
  t.same(d.serve(plain, 1099), { handledBy: 'inner' });
  t.equal(d.drainDoneAtMs(), 1199, 'a request just before the deadline restarts it');
  t.same(d.serve(kubeProbe, 1150), { handledBy: 'drainer', status: 503 });
  t.equal(d.drainDoneAtMs(), 1199, 'a probe does not');

  let now = 1099;
  for (let i = 0; i < 3; i++) {
    now += timeout - 1;
    t.notOk(d.isDrained(now), `not yet drained at ${now}`);
    if (i < 2) d.serve(plain, now);
  }
  t.same(d.serve(kubeProbe, now), { handledBy: 'drainer', status: 503 });
  d.drainStarted(now);
  t.equal(d.drainDoneAtMs(), now + 1, 'later Drain callers wait for the same deadline');
  t.ok(d.isDrained(now + 1));
  d.serve(plain, now + 5);
  t.equal(d.drainDoneAtMs(), now + 1, 'a request after the timer fired changes nothing');
  d.drainStarted(now + 10);
  t.ok(d.isDrained(now + 10), 'a Drain after completion returns at once');
});

t.test('TestDrainerKProbe: K-Network-Probe needs a hash header; it never reaches the inner handler', async (t) => {
  const d = new Drainer();
  t.same(d.serve({ networkProbe: 'probe', networkHash: 'hash' }, 0), { handledBy: 'drainer', status: 200 });
  t.same(d.serve({ networkProbe: 'probe' }, 0), { handledBy: 'drainer', status: 400 });
  t.same(d.serve({ networkProbe: 'no matter' }, 0), { handledBy: 'inner' }, 'TestIsKProbe: only the value "probe" counts');
  d.drainStarted(0);
  t.same(d.serve({ networkProbe: 'probe', networkHash: 'hash' }, 1), { handledBy: 'drainer', status: 503 });
});

t.test('TestDefaultQuietPeriod: no quiet period means network.DefaultDrainTimeout (45s)', async (t) => {
  t.equal(new Drainer().quietPeriodMs, DEFAULT_DRAIN_TIMEOUT_MS);
  t.equal(new Drainer({ quietPeriodMs: 0 }).quietPeriodMs, 45_000);
  t.equal(new Drainer({ quietPeriodMs: QUEUE_PROXY_QUIET_PERIOD_MS }).quietPeriodMs, 30_000);
});

t.test('TestHealthCheckWithProbeType / TestIsHealthcheckRequest: kubelet and extra UA prefixes go to the health check', async (t) => {
  const d = new Drainer({ hasHealthCheck: true, healthCheckUserAgentPrefixes: ['extra'] });
  t.same(d.serve(kubeProbe, 0), { handledBy: 'health-check' }, 'with kube-probe header');
  t.same(d.serve({ userAgent: 'extra' }, 0), { handledBy: 'health-check' }, 'with extra probe header');
  t.same(d.serve({ userAgent: 'not-a-probe' }, 0), { handledBy: 'inner' }, 'without probe header');
});

t.test('queue-proxy: activator and autoscaler probes are health checks and fail once draining', async (t) => {
  const d = new Drainer({ quietPeriodMs: QUEUE_PROXY_QUIET_PERIOD_MS, hasHealthCheck: true, healthCheckUserAgentPrefixes: QUEUE_PROXY_HEALTH_CHECK_UA_PREFIXES });
  const activatorProbe = { userAgent: 'Knative-Activator-Probe', networkProbe: 'queue' };
  t.same(d.serve(activatorProbe, 0), { handledBy: 'health-check' });
  d.drainStarted(10);
  t.same(d.serve(activatorProbe, 20), { handledBy: 'drainer', status: 503 });
  t.same(d.serve({ userAgent: 'Knative-Autoscaling-Probe' }, 20), { handledBy: 'drainer', status: 503 });
  t.equal(d.drainDoneAtMs(), 30_010, 'probes did not extend the drain');
});

t.test('TestReset: Reset ends the drain; the next Drain waits a whole quiet period again', async (t) => {
  const d = new Drainer({ quietPeriodMs: 5000 });
  d.drainStarted(0);
  t.ok(d.draining);
  d.reset();
  t.notOk(d.draining);
  t.equal(d.drainDoneAtMs(), undefined);
  d.reset();
  d.drainStarted(7000);
  t.equal(d.drainDoneAtMs(), 12_000);
  t.notOk(d.isDrained(11_999));
  t.ok(d.isDrained(12_000));
  d.reset();
  t.notOk(d.isDrained(20_000));
});

t.test('TestResetWithActiveRequests: requests after Reset do not re-arm the drain', async (t) => {
  const d = new Drainer({ quietPeriodMs: 5000 });
  d.serve(plain, 0);
  d.drainStarted(1);
  d.serve(plain, 2);
  d.reset();
  for (let now = 3; now < 1000; now += 100) d.serve(plain, now);
  t.equal(d.drainDoneAtMs(), undefined);
  t.same(d.serve(kubeProbe, 1000), { handledBy: 'drainer', status: 200 });
});
