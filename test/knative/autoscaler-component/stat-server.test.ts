// The stat server on <autoscaler pod IP>:8080: batches of activator stats (one HTTP POST per
// websocket message), stamped on receipt, accepted by the bucket owner; it lives and dies with
// the incarnation.
import t from 'tap';
import type { HttpRequest } from '../../../src/dataplane/http-network.js';
import { PORTS } from '../../../src/knative/serving-system.js';
import { statBatchRequest, type StatMessage } from '../../../src/knative/autoscaler-component/stat-message.js';
import { addAutoscaler, createReadyPod, createRevision, newHarness, serveActivator, trace, type Harness } from './harness.js';

const AUTOSCALER_IP = '10.2.0.100';
const EPOCH_S = 1767225600;

function post(h: Harness, request: HttpRequest): number[] {
  const answers: number[] = [];
  h.http.send(AUTOSCALER_IP, PORTS.autoscalerStats, request, { fromIp: '10.1.0.10', timeoutMs: 1_000 }, (res) => answers.push(res.status || -1));
  h.cluster.sim.run({ untilMs: h.cluster.sim.nowMs + 50 });
  return answers;
}

function message(key: string, concurrency: number, timestamp?: number): StatMessage {
  return { key, stat: { averageConcurrentRequests: concurrency, averageProxiedConcurrentRequests: 0, requestCount: concurrency, proxiedRequestCount: 0, timestamp } };
}

function running(): Harness {
  const h = newHarness();
  serveActivator(h);
  addAutoscaler(h, 'autoscaler-a', AUTOSCALER_IP);
  createRevision(h, 'rev');
  createReadyPod(h, 'rev', 'rev-pod-1', '10.3.0.1');
  h.cluster.sim.run({ untilMs: 5_400 });
  return h;
}

t.test('every stat of a batch is stamped with the receipt time truncated to the second, unless it carries its own timestamp, and accepted', async (t) => {
  const h = running();
  t.same(post(h, statBatchRequest([message('default/rev', 3), message('default/other', 1), message('default/rev', 2, EPOCH_S + 4)])), [200]);
  const accepted = trace(h, 'autoscaler/stat').map((l) => [l.fields.key, l.fields.at, l.fields.concurrency]);
  t.same(accepted, [['default/rev', EPOCH_S + 5, 3], ['default/other', EPOCH_S + 5, 1], ['default/rev', EPOCH_S + 4, 2]]);
});

t.test('kubelet probes are answered 200, other GETs 400; a body that is not a batch is dropped', async (t) => {
  const h = running();
  t.same(post(h, { method: 'GET', path: '/', headers: { 'User-Agent': 'kube-probe/1.30' } }), [200]);
  t.same(post(h, { method: 'GET', path: '/', headers: {} }), [400]);
  t.same(post(h, { method: 'POST', path: '/', headers: {}, body: { not: 'a batch' } }), [200]);
  t.equal(trace(h, 'autoscaler/stat-server', { event: 'undecodable' }).length, 1);
  t.equal(trace(h, 'autoscaler/stat').length, 0);
});

t.test('a sender mutating its message after the POST cannot reach into the autoscaler', async (t) => {
  const h = running();
  const request = statBatchRequest([message('default/rev', 5)]);
  const answers: number[] = [];
  h.http.send(AUTOSCALER_IP, PORTS.autoscalerStats, request, { fromIp: '10.1.0.10', timeoutMs: 1_000 }, (res) => answers.push(res.status));
  ((request.body as StatMessage[])[0].stat).averageConcurrentRequests = 500;
  h.cluster.sim.run({ untilMs: h.cluster.sim.nowMs + 50 });
  t.same(answers, [200]);
  t.equal(trace(h, 'autoscaler/stat')[0].fields.concurrency, 500, 'the body travels by reference until the server decodes it');
  ((request.body as StatMessage[])[0].stat).averageConcurrentRequests = 9_999;
  t.equal(trace(h, 'autoscaler/stat').length, 1, 'but after decoding it is the autoscaler\'s own copy');
});

t.test('the stat server goes with the incarnation: refused while the autoscaler is down, served again after the restart', async (t) => {
  const h = running();
  const autoscaler = h.cluster.component('autoscaler-a');
  autoscaler.crash({ restartAfterMs: 1_000 });
  t.same(post(h, statBatchRequest([message('default/rev', 1)])), [-1], 'connection refused');
  h.cluster.sim.run({ untilMs: h.cluster.sim.nowMs + 2_000 });
  t.same(post(h, statBatchRequest([message('default/rev', 1)])), [200]);
});
