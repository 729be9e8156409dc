// The KPA's activator probe through the PA's public service, after knative/serving
// pkg/reconciler/autoscaling/kpa/scaler_test.go TestActivatorProbe, plus the async probe manager's
// polling (1 s period, 45 s timeout, re-enqueue 1 s after it ends).
import t from 'tap';
import { deepCopy } from '../../../src/apiserver/deep-copy.js';
import type { KubeObject } from '../../../src/apiserver/types.js';
import { ENDPOINTS } from '../../../src/kube/resources.js';
import { perform } from '../../../src/sim/process.js';
import { ActivatorProber } from '../../../src/knative/autoscaler-component/activator-prober.js';
import { incarnationClock } from '../../../src/knative/autoscaler-component/incarnation-clock.js';
import { PORTS } from '../../../src/knative/serving-system.js';
import { newHarness, type Harness } from './harness.js';

const PA: KubeObject = { apiVersion: 'autoscaling.internal.knative.dev/v1alpha1', kind: 'PodAutoscaler', metadata: { name: 'rev', namespace: 'default' }, spec: { protocolType: 'http1' }, status: { serviceName: 'rev' } };

interface Rig {
  h: Harness;
  prober: ActivatorProber;
  enqueued: [number, string, number][];
  probe: (pa?: KubeObject) => boolean | undefined;
}

function rig(addresses: string[]): Rig {
  const h = newHarness({ sksStandIn: false });
  h.cluster.api.create(ENDPOINTS, { apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'rev', namespace: 'default' }, subsets: [{ addresses: addresses.map((ip) => ({ ip })), ports: [{ name: 'http', port: PORTS.http1 }] }] } as KubeObject);
  let prober!: ActivatorProber;
  const enqueued: [number, string, number][] = [];
  const component = h.cluster.addComponent({
    name: 'autoscaler-a',
    setup: (ctx) => {
      prober = new ActivatorProber({
        http: h.http, fromIp: '10.2.0.100', endpoints: ctx.informer(ENDPOINTS), choices: ctx.sim.choices('test/probe'), clock: incarnationClock(ctx),
        enqueueAfter: (key, delayMs) => enqueued.push([ctx.sim.nowMs, key, delayMs]), record: () => undefined,
      });
    },
  });
  h.cluster.sim.run({ untilMs: 100 });
  const probe = (pa: KubeObject = PA): boolean | undefined => {
    let answer: boolean | undefined;
    component.context!.spawn('probe', (function* () { answer = yield* perform(prober.probe(pa)); })());
    h.cluster.sim.run({ untilMs: h.cluster.sim.nowMs + 100 });
    return answer;
  };
  return { h, prober, enqueued, probe };
}

function listen(h: Harness, ip: string, answer: { status: number; body?: string }): string[] {
  const seen: string[] = [];
  h.http.listen(ip, PORTS.http1, (ex) => {
    seen.push(`${ex.request.method} ${ex.request.path} ${ex.request.headers['K-Network-Probe']} ${ex.request.headers['User-Agent']}`);
    ex.respond(answer);
  });
  return seen;
}

t.test('TestActivatorProbe: 200 with body "activator" through an address of the public Endpoints is a success; 400 or another body is not', async (t) => {
  const ok = rig(['10.1.0.10']);
  const seen = listen(ok.h, '10.1.0.10', { status: 200, body: 'activator' });
  t.equal(ok.probe(), true);
  t.same(seen, ['GET /healthz activator Knative-Autoscaling-Probe'], 'GET /healthz with the probe headers, at the target port 8012');
  const bad = rig(['10.1.0.10']);
  listen(bad.h, '10.1.0.10', { status: 400, body: 'activator' });
  t.equal(bad.probe(), false, '400');
  const queue = rig(['10.1.0.10']);
  listen(queue.h, '10.1.0.10', { status: 200, body: 'queue' });
  t.equal(queue.probe(), false, 'a queue-proxy behind the service (Serve mode) answers with another body');
});

t.test('no service name, no Endpoints address, or nobody listening: the probe fails without hanging', async (t) => {
  const r = rig([]);
  t.equal(r.probe(), false, 'no ready address');
  t.equal(r.probe({ ...PA, status: { serviceName: '' } }), false, 'no service name: no probe');
  const refused = rig(['10.1.0.99']);
  t.equal(refused.probe(), false, 'connection refused');
});

t.test('the async probe polls every second until the activator answers, then re-enqueues the PA 1 s later; a second offer meanwhile is refused', async (t) => {
  const r = rig(['10.1.0.10']);
  const startMs = r.h.cluster.sim.nowMs;
  t.equal(r.prober.offer(PA, 'default/rev'), true);
  t.equal(r.prober.offer(PA, 'default/rev'), false, 'already polling this target');
  r.h.cluster.sim.schedule(3_500, () => { listen(r.h, '10.1.0.10', { status: 200, body: 'activator' }); });
  r.h.cluster.sim.run({ untilMs: startMs + 10_000 });
  t.same(r.enqueued.map(([, key, delayMs]) => [key, delayMs]), [['default/rev', 1_000]], 'one re-enqueue, after 1 s');
  t.ok(r.enqueued[0][0] >= startMs + 4_000 && r.enqueued[0][0] < startMs + 4_010, 'the attempt at +4 s (the first after the activator came up) succeeded');
  t.equal(r.prober.offer(PA, 'default/rev'), true, 'done: the target can be offered again');
});

t.test('the async probe gives up after 45 s and re-enqueues the PA anyway', async (t) => {
  const r = rig(['10.1.0.10']);
  const wrong = listen(r.h, '10.1.0.10', { status: 200, body: 'queue' });
  const startMs = r.h.cluster.sim.nowMs;
  r.prober.offer(PA, 'default/rev');
  r.h.cluster.sim.run({ untilMs: startMs + 60_000 });
  t.same(r.enqueued.map(([at, key, d]) => [at - startMs, key, d]), [[45_000, 'default/rev', 1_000]]);
  t.equal(wrong.length, 45, 'one attempt a second');
});

t.test('the address is drawn among the ready addresses (kube-proxy): with two activators both get probes', async (t) => {
  const r = rig(['10.1.0.10', '10.1.0.11']);
  const a = listen(r.h, '10.1.0.10', { status: 200, body: 'activator' });
  const b = listen(r.h, '10.1.0.11', { status: 200, body: 'activator' });
  for (let i = 0; i < 20; i++) t.equal(r.probe(), true);
  t.ok(a.length > 0 && b.length > 0 && a.length + b.length === 20);
  const eps = deepCopy(r.h.cluster.api.get(ENDPOINTS, 'rev', { namespace: 'default' }));
  eps.subsets = [];
  r.h.cluster.api.update(ENDPOINTS, eps);
  r.h.cluster.sim.run({ untilMs: r.h.cluster.sim.nowMs + 100 });
  t.equal(r.probe(), false, 'the informer saw the Endpoints emptied');
});
