// The activator component end to end over the real HttpNetwork and the in-memory API server:
// buffering at zero and the cold start against a kubelet-started revision pod, stat reporting,
// capacity and slicing, timeouts, endpoint changes, proxy errors, probes and the SIGTERM drain.
// Ports of knative/serving pkg/activator/handler/handler_test.go (TestActivationHandler: "active
// endpoint", "no active endpoint" → 504 here (the revision timeout, queued time included), "request
// error" → 502; TestActivationHandlerProxyHeader: K-Proxy-Request and no revision headers upstream),
// context_handler_test.go (unknown revision: 404), probe_handler_test.go, healthz_handler_test.go,
// concurrency_reporter_test.go (the immediate first stat and its correction).
import t from 'tap';
import {
  autoscalerStandIn, createRevision, fakeQueueProxy, revisionHeaders, setPrivateEndpoints, setPublicEndpoints, startActivator, viaActivator,
} from './activator-fixtures.js';
import { createRevisionPod, podIp, runUntil, runUntilTrace, send, servingCluster, NS } from '../queue-proxy/serving-fixtures.js';

const REV = 'hello-00001';
const ACT = '10.0.9.1';

t.test('cold start: a request with no healthy pod waits, and is served once the new pod passes the probe', async (t) => {
  const c = servingCluster();
  const stats = autoscalerStandIn(c);
  createRevision(c, REV);
  const act = startActivator(c, 'act-1', ACT);
  runUntil(c, 1500);
  const reply = viaActivator(c, ACT, REV, 100);
  createRevisionPod(c, 'p1', { revision: REV, appStartMs: 5000 });
  runUntilTrace(c, 'sandbox', { pod: `${NS}/p1`, event: 'created' });
  setPrivateEndpoints(c, REV, [], [podIp(c, 'p1')]);
  const userStart = runUntilTrace(c, 'container', { pod: `${NS}/p1`, c: 'user-container', event: 'started' });
  const qpStart = runUntilTrace(c, 'container', { pod: `${NS}/p1`, c: 'queue-proxy', event: 'started' });
  runUntil(c, 30_000);
  const appUp = userStart + 5000;
  t.ok(qpStart < appUp, 'queue-proxy is up first: the probes wait on its aggressive prober');
  t.match(reply.res, { status: 200, headers: { 'X-Sleeveless-Pod': 'p1', 'X-Sleeveless-Activator': 'act-1' } });
  t.ok(reply.atMs! >= appUp + 100 && reply.atMs! < appUp + 100 + 50, `served within one 50 ms retry of the app listening (${reply.atMs} vs ${appUp})`);
  t.same([...act.current().backends.watcher(`${NS}/${REV}`)!.healthy], [`${podIp(c, 'p1')}:8012`], 'healthy by probe while Kubernetes still says notReady');
  const first = stats.batches[0];
  t.equal(first.atMs, 1500, 'the first request sent a stat at once');
  t.same(first.body, [{ key: `${NS}/${REV}`, stat: { podName: 'act-1', averageConcurrentRequests: 1, averageProxiedConcurrentRequests: 0, requestCount: 1, proxiedRequestCount: 0 } }]);
  t.equal(first.from, ACT);
  const next = stats.batches[1];
  t.equal(next.atMs, 2000, 'then every second');
  t.match(next.body[0].stat, { averageConcurrentRequests: 0, requestCount: 0 }, 'the tick subtracts the request already reported (0.5 s at concurrency 1, minus 1)');
  t.match(stats.batches[2].body[0].stat, { averageConcurrentRequests: 1, requestCount: 0 }, 'a buffered request counts as concurrency');
});

t.test('the revision timeout counts queued time: 504 with no pods, and 504 when queueing plus service exceed it', async (t) => {
  const c = servingCluster();
  autoscalerStandIn(c);
  createRevision(c, REV, { timeoutSeconds: 2 });
  const act = startActivator(c, 'act-1', ACT);
  runUntil(c, 1000);
  const noPods = viaActivator(c, ACT, REV, 100);
  const late = viaActivator(c, ACT, REV, 1000);
  const pod = fakeQueueProxy(c, '10.1.0.1');
  c.cluster.sim.schedule(1500, () => setPrivateEndpoints(c, REV, ['10.1.0.1']));
  runUntil(c, 10_000);
  t.match(noPods.res, { status: 200 }, 'the first one fit in: pod at 1.5 s, 100 ms of service');
  t.match(late.res, { status: 504, body: 'activator request timeout' });
  t.equal(late.atMs, 3000, '2 s after it arrived, though it spent only 0.5 s on the pod');
  t.equal(pod.inFlight, 0, 'the pod saw the request abandoned');
  t.same(act.current().reporter.state.trackedKeys, [], 'every ReqIn got its ReqOut: the revision went idle and was dropped');
  createRevision(c, 'other-00001', { timeoutSeconds: 1 });
  runUntil(c, 10_100);
  const nothing = viaActivator(c, ACT, 'other-00001', 100);
  runUntil(c, 12_000);
  t.match(nothing.res, { status: 504 });
  t.equal(nothing.atMs, 11_100, 'no pods ever: 504 at the timeout');
});

t.test('capacity follows CC × healthy pods; no pod gets more than CC at once', async (t) => {
  const c = servingCluster();
  autoscalerStandIn(c);
  createRevision(c, REV, { containerConcurrency: 1 });
  const act = startActivator(c, 'act-1', ACT);
  const pods = [fakeQueueProxy(c, '10.1.0.1'), fakeQueueProxy(c, '10.1.0.2')];
  setPrivateEndpoints(c, REV, ['10.1.0.1', '10.1.0.2']);
  runUntil(c, 1000);
  const rt = act.current().throttler.get(`${NS}/${REV}`)!;
  t.equal(rt.capacity, 2);
  const replies = Array.from({ length: 5 }, () => viaActivator(c, ACT, REV, 1000));
  runUntil(c, 10_000);
  t.same(replies.map((r) => r.atMs).sort(), [2000, 2000, 3000, 3000, 4000], 'two at a time');
  t.same(pods.map((p) => p.maxInFlight), [1, 1]);
  fakeQueueProxy(c, '10.1.0.3');
  setPrivateEndpoints(c, REV, ['10.1.0.1', '10.1.0.2', '10.1.0.3']);
  runUntil(c, 11_000);
  t.equal(rt.capacity, 3, 'a third healthy pod adds CC');
});

t.test('two activators: each sends only to its assigned slice of the pods (assignSlice)', async (t) => {
  const c = servingCluster();
  autoscalerStandIn(c);
  createRevision(c, REV, { containerConcurrency: 1 });
  const acts = [startActivator(c, 'act-1', '10.0.9.1'), startActivator(c, 'act-2', '10.0.9.2')];
  const pods = ['10.1.0.1', '10.1.0.2', '10.1.0.3'].map((ip) => fakeQueueProxy(c, ip));
  setPrivateEndpoints(c, REV, pods.map((p) => p.ip));
  setPublicEndpoints(c, REV, ['10.0.9.1', '10.0.9.2']);
  runUntil(c, 1000);
  const rts = acts.map((a) => a.current().throttler.get(`${NS}/${REV}`)!);
  t.same(rts.map((rt) => [rt.activatorIndex, rt.numActivators, rt.capacity]), [[0, 2, 2], [1, 2, 1]]);
  for (let i = 0; i < 3; i++) viaActivator(c, '10.0.9.2', REV, 1000);
  runUntil(c, 5000);
  t.same(pods.map((p) => p.served), [0, 3, 0], 'activator 2 used only the middle pod, one request at a time');
  for (let i = 0; i < 4; i++) viaActivator(c, '10.0.9.1', REV, 1000);
  runUntil(c, 10_000);
  t.same(pods.map((p) => p.served), [2, 3, 2], 'activator 1 used the first and the last');
});

t.test('a pod that leaves the private endpoints is no longer used', async (t) => {
  const c = servingCluster();
  autoscalerStandIn(c);
  createRevision(c, REV);
  startActivator(c, 'act-1', ACT);
  const pods = [fakeQueueProxy(c, '10.1.0.1'), fakeQueueProxy(c, '10.1.0.2')];
  setPrivateEndpoints(c, REV, ['10.1.0.1', '10.1.0.2']);
  runUntil(c, 1000);
  for (let i = 0; i < 20; i++) viaActivator(c, ACT, REV, 10);
  runUntil(c, 2000);
  t.ok(pods.every((p) => p.served > 0), `both used (${pods.map((p) => p.served)})`);
  setPrivateEndpoints(c, REV, ['10.1.0.1']);
  runUntil(c, 3000);
  const before = pods[1].served;
  for (let i = 0; i < 20; i++) viaActivator(c, ACT, REV, 10);
  runUntil(c, 4000);
  t.equal(pods[1].served, before, 'the removed pod got nothing more, though it still answers');
  t.equal(pods[0].served + pods[1].served, 40);
});

t.test('502 when the pod refuses the connection; 404 for an unknown revision', async (t) => {
  const c = servingCluster();
  autoscalerStandIn(c);
  createRevision(c, REV);
  startActivator(c, 'act-1', ACT);
  const pod = fakeQueueProxy(c, '10.1.0.1');
  setPrivateEndpoints(c, REV, ['10.1.0.1']);
  runUntil(c, 1000);
  pod.stop();
  const refused = viaActivator(c, ACT, REV);
  const unknown = viaActivator(c, ACT, 'nope-00001');
  runUntil(c, 2000);
  t.match(refused.res, { status: 502, body: /connection refused/, headers: { 'X-Sleeveless-Activator': 'act-1' } });
  t.match(unknown.res, { status: 404, body: /"nope-00001" not found/ });
});

t.test('the proxied request carries K-Proxy-Request: activator and no revision headers', async (t) => {
  const c = servingCluster();
  autoscalerStandIn(c);
  createRevision(c, REV);
  startActivator(c, 'act-1', ACT);
  const seen: Record<string, string>[] = [];
  c.http.listen('10.1.0.1', 8012, (ex) => {
    if (ex.request.headers['K-Network-Probe'] === 'queue') return ex.respond({ status: 200, body: 'queue' });
    seen.push({ ...ex.request.headers });
    ex.respond({ status: 200 });
  });
  setPrivateEndpoints(c, REV, ['10.1.0.1']);
  runUntil(c, 1000);
  send(c, ACT, 8012, { headers: { ...revisionHeaders(REV), 'X-Custom': 'kept' } });
  runUntil(c, 1100);
  t.same(seen, [{ 'X-Custom': 'kept', 'K-Proxy-Request': 'activator' }]);
});

t.test('probes: the KPA activator probe, network probes, and the kubelet health check (autoscaler reachable)', async (t) => {
  const c = servingCluster();
  startActivator(c, 'act-1', ACT);
  runUntil(c, 500);
  const replies = [
    send(c, ACT, 8012, { headers: { 'K-Network-Probe': 'activator' } }),
    send(c, ACT, 8012, { headers: { 'K-Network-Probe': 'queue' } }),
    send(c, ACT, 8012, { headers: { 'K-Network-Probe': 'probe', 'K-Network-Hash': 'abc' } }),
    send(c, ACT, 8012, { headers: { 'K-Network-Probe': 'probe' } }),
    send(c, ACT, 8012, { headers: { 'User-Agent': 'kube-probe/1.30' } }),
  ];
  runUntil(c, 600);
  t.match(replies[0].res, { status: 200, body: 'activator' });
  t.match(replies[1].res, { status: 400 });
  t.match(replies[2].res, { status: 200, headers: { 'K-Network-Hash': 'abc' } });
  t.match(replies[3].res, { status: 400 });
  t.match(replies[4].res, { status: 500, body: /autoscaler/ }, 'not healthy while no autoscaler can be reached');
  autoscalerStandIn(c);
  runUntil(c, 1000);
  const healthy = send(c, ACT, 8012, { headers: { 'User-Agent': 'kube-probe/1.30' } });
  runUntil(c, 1001);
  t.match(healthy.res, { status: 200 });
});

t.test('SIGTERM: health fails at once, requests are still served, the server closes 45 s later', async (t) => {
  const c = servingCluster();
  autoscalerStandIn(c);
  createRevision(c, REV);
  const act = startActivator(c, 'act-1', ACT);
  fakeQueueProxy(c, '10.1.0.1');
  setPrivateEndpoints(c, REV, ['10.1.0.1']);
  runUntil(c, 1000);
  const behaviour = c.runtime.behaviours().find((b) => b.name === 'activator-process/act-1')!;
  const fakePod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'act-1', namespace: 'knative-serving', uid: 'uid-act-1' } };
  const ref = { name: 'activator', image: 'activator', spec: {}, restartCount: 0, nodeName: 'node-1' };
  t.equal(behaviour.probe?.(fakePod, ref, 'readiness', 1000), 'success');
  t.equal(behaviour.shutdownMs?.(fakePod, ref), Infinity, 'it exits by itself');
  behaviour.onContainerStopping?.(fakePod, ref, 1000);
  t.equal(behaviour.probe?.(fakePod, ref, 'readiness', 1000), 'failure');
  const during = viaActivator(c, ACT, REV, 100);
  runUntil(c, 45_999);
  t.match(during.res, { status: 200 });
  t.ok(act.current().server.listening);
  runUntil(c, 46_001);
  t.notOk(c.http.isListening(ACT, 8012), 'closed after network.DefaultDrainTimeout');
  act.component.crash();
  t.equal(c.runtime.behaviours().find((b) => b.name === 'activator-process/act-1'), undefined, 'the incarnation took its behaviour with it');
});

t.test('a crashed activator resets its open connections; its restart starts empty', async (t) => {
  const c = servingCluster();
  autoscalerStandIn(c);
  createRevision(c, REV);
  const act = startActivator(c, 'act-1', ACT);
  runUntil(c, 1000);
  const buffered = viaActivator(c, ACT, REV, 100);
  runUntil(c, 1100);
  act.component.crash({ restartAfterMs: 1000 });
  runUntil(c, 1101);
  t.match(buffered.res, { status: 0, error: 'connection reset' });
  runUntil(c, 3000);
  t.equal(act.current().throttler.get(`${NS}/${REV}`)?.capacity, 0, 'a fresh throttler (rebuilt from the informers)');
});
