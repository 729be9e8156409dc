// The ingress gateway on the real in-memory API server and HttpNetwork: KIngress status as the
// Route reconciler reads it, routing by host and path, percent splits drawn through the chooser,
// the error outcomes, the gateway's lifecycle, and sendThroughIngress's exactly-once recording.
import t from 'tap';
import type { KubeObject } from '../../../src/apiserver/types.js';
import type { Exchange } from '../../../src/dataplane/http-network.js';
import type { RequestOutcome } from '../../../src/dataplane/request.js';
import { ENDPOINTS } from '../../../src/kube/resources.js';
import { KINGRESSES } from '../../../src/knative/apis/resources.js';
import { sendThroughIngress, setupIngressGateway, type IngressGateway, type IngressGatewayOptions } from '../../../src/knative/ingress/index.js';
import { ensureSystemNamespace } from '../activator-component/activator-fixtures.js';
import { NS, runUntil, servingCluster, simRequest, type ServingCluster } from '../queue-proxy/serving-fixtures.js';

const GW_IP = '10.0.8.1';

function startGateway(c: ServingCluster, options: IngressGatewayOptions = {}, name = 'gw-1', ip = GW_IP): { current: () => IngressGateway } {
  const holder: { g?: IngressGateway } = {};
  const pod = { name, namespace: 'knative-serving', uid: `uid-${name}`, ip, nodeName: 'node-1' };
  c.cluster.addComponent({ name: `ingress-gateway/${name}`, setup: (ctx) => void (holder.g = setupIngressGateway(ctx, { system: c.system, pod, profile: c.system.profile }, options)) });
  return { current: () => holder.g! };
}

interface Split { revision: string; percent: number }

function kingress(name: string, host: string, splits: Split[], path?: string): KubeObject {
  return {
    apiVersion: 'networking.internal.knative.dev/v1alpha1', kind: 'Ingress',
    metadata: { name, namespace: NS, annotations: { 'networking.knative.dev/ingress.class': 'kourier.ingress.networking.knative.dev' } },
    spec: {
      rules: [{
        hosts: [host], visibility: 'ExternalIP',
        http: { paths: [{ ...(path ? { path } : {}), splits: splits.map((s) => ({ serviceName: s.revision, serviceNamespace: NS, servicePort: 80, percent: s.percent, appendHeaders: { 'Knative-Serving-Revision': s.revision, 'Knative-Serving-Namespace': NS } })) }] },
      }],
    },
  };
}

/** The revision's public Endpoints and a listener per address standing in for queue-proxy or the activator. */
function upstream(c: ServingCluster, revision: string, ips: string[], onRequest?: (ex: Exchange) => void): Map<string, number> {
  const hits = new Map<string, number>();
  for (const ip of ips) {
    hits.set(ip, 0);
    c.http.listen(ip, 8012, (ex) => {
      hits.set(ip, hits.get(ip)! + 1);
      if (onRequest) return onRequest(ex);
      c.cluster.sim.schedule(ex.request.carried?.serviceTimeMs ?? 0, () => ex.respond({ status: 200, headers: { 'X-Sleeveless-Pod': `${revision}@${ip}`, seen: JSON.stringify(ex.request.headers) }, body: 'ok' }));
    });
  }
  const subsets = ips.length === 0 ? [] : [{ addresses: ips.map((ip) => ({ ip })), ports: [{ name: 'http', port: 8012 }] }];
  c.cluster.api.create(ENDPOINTS, { apiVersion: 'v1', kind: 'Endpoints', metadata: { name: revision, namespace: NS }, subsets });
  return hits;
}

function route(c: ServingCluster, gw: IngressGateway, host: string, serviceTimeMs = 10): { outcome?: RequestOutcome } {
  const out: { outcome?: RequestOutcome } = {};
  gw.routeRequest(simRequest(c, { host, serviceTimeMs }), (o) => void (out.outcome = o));
  return out;
}

const cond = (obj: KubeObject | undefined, type: string): string | undefined => (obj?.status?.conditions as { type: string; status: string }[] | undefined)?.find((x) => x.type === type)?.status;

t.test('a KIngress is marked Ready once its routes are in the gateway, after the propagation delay', async (t) => {
  const c = servingCluster();
  startGateway(c, { configPropagation: { minMs: 300, maxMs: 300 } });
  runUntil(c, 1000);
  const states: { atMs: number; ready?: string; lb?: string; observed?: number }[] = [];
  c.cluster.api.onCommit((ev) => {
    if (ev.resource.plural !== 'ingresses') return;
    states.push({ atMs: c.cluster.sim.nowMs, ready: cond(ev.object, 'Ready'), lb: cond(ev.object, 'LoadBalancerReady'), observed: ev.object.status?.observedGeneration });
  });
  c.cluster.api.create(KINGRESSES, kingress('hello', 'hello.default.example.com', [{ revision: 'hello-00001', percent: 100 }]));
  runUntil(c, 3000);
  const ing = c.cluster.api.get(KINGRESSES, 'hello', { namespace: NS });
  t.equal(cond(ing, 'Ready'), 'True');
  t.equal(cond(ing, 'NetworkConfigured'), 'True');
  t.equal(ing.status.observedGeneration, ing.metadata.generation);
  t.same(ing.status.publicLoadBalancer, { ingress: [{ domainInternal: 'ingress-gateway.knative-serving.svc.cluster.local' }] });
  t.same(ing.status.privateLoadBalancer, ing.status.publicLoadBalancer);
  const notYet = states.find((s) => s.lb === 'Unknown');
  const ready = states.find((s) => s.ready === 'True')!;
  t.ok(notYet !== undefined && notYet.observed === 1, 'first: observed, network configured, load balancer not ready yet');
  t.ok(ready.atMs >= 1300 && ready.atMs <= 1310, `Ready after the 300 ms propagation (${ready.atMs})`);
  c.cluster.api.update(KINGRESSES, { ...ing, spec: kingress('hello', 'hello.default.example.com', [{ revision: 'hello-00002', percent: 100 }]).spec });
  runUntil(c, 3100);
  t.equal(cond(c.cluster.api.get(KINGRESSES, 'hello', { namespace: NS }), 'Ready'), 'Unknown', 'a new generation is not Ready until it propagated');
  runUntil(c, 4000);
  t.equal(cond(c.cluster.api.get(KINGRESSES, 'hello', { namespace: NS }), 'Ready'), 'True');
});

t.test('routing by host: each host reaches its revision with the revision headers; an unknown host is 404', async (t) => {
  const c = servingCluster();
  const gw = startGateway(c);
  upstream(c, 'a-00001', ['10.1.0.1']);
  upstream(c, 'b-00001', ['10.1.0.2']);
  c.cluster.api.create(KINGRESSES, kingress('a', 'a.default.example.com', [{ revision: 'a-00001', percent: 100 }]));
  c.cluster.api.create(KINGRESSES, kingress('b', 'b.default.example.com', [{ revision: 'b-00001', percent: 100 }]));
  runUntil(c, 2000);
  const a = route(c, gw.current(), 'a.default.example.com');
  const b = route(c, gw.current(), 'b.default.example.com:80');
  const none = route(c, gw.current(), 'c.default.example.com');
  runUntil(c, 2100);
  t.match(a.outcome, { status: 200, revision: 'a-00001', pod: 'a-00001@10.1.0.1' });
  t.match(b.outcome, { status: 200, revision: 'b-00001', pod: 'b-00001@10.1.0.2' }, 'the port in the host is ignored');
  t.match(none.outcome, { status: 404 });
  t.same(c.outcomes.map((o) => o.status), [404, 200, 200], 'the gateway recorded each outcome');
});

t.test('percent splits follow the weights over many requests, drawn through the chooser (same seed, same draws)', async (t) => {
  const counts: number[][] = [];
  for (const seed of [11, 11, 12]) {
    const c = servingCluster({ seed });
    const gw = startGateway(c);
    const hitsA = upstream(c, 'hello-00001', ['10.1.0.1']);
    const hitsB = upstream(c, 'hello-00002', ['10.1.0.2']);
    c.cluster.api.create(KINGRESSES, kingress('hello', 'hello.default.example.com', [{ revision: 'hello-00001', percent: 30 }, { revision: 'hello-00002', percent: 70 }]));
    runUntil(c, 2000);
    for (let i = 0; i < 2000; i++) route(c, gw.current(), 'hello.default.example.com', 1);
    runUntil(c, 3000);
    counts.push([hitsA.get('10.1.0.1')!, hitsB.get('10.1.0.2')!]);
  }
  const [first, again, other] = counts;
  t.equal(first[0] + first[1], 2000);
  t.ok(Math.abs(first[0] / 2000 - 0.3) < 0.04, `about 30% to the first split (${first[0]})`);
  t.same(again, first, 'the same seed draws the same splits');
  t.not(other[0], first[0], 'another seed draws differently');
});

t.test('503 "no healthy upstream" with empty endpoints; 502 on a refused connection; 504 on the upstream timeout', async (t) => {
  const c = servingCluster();
  const gw = startGateway(c, { upstreamTimeoutMs: 1000 });
  upstream(c, 'empty-00001', []);
  c.cluster.api.create(ENDPOINTS, { apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'gone-00001', namespace: NS }, subsets: [{ addresses: [{ ip: '10.1.0.9' }], ports: [{ name: 'http', port: 8012 }] }] });
  upstream(c, 'slow-00001', ['10.1.0.3'], () => undefined);
  for (const [name, rev] of [['empty', 'empty-00001'], ['gone', 'gone-00001'], ['slow', 'slow-00001']]) {
    c.cluster.api.create(KINGRESSES, kingress(name, `${name}.default.example.com`, [{ revision: rev, percent: 100 }]));
  }
  runUntil(c, 2000);
  const empty = route(c, gw.current(), 'empty.default.example.com');
  const gone = route(c, gw.current(), 'gone.default.example.com');
  const slow = route(c, gw.current(), 'slow.default.example.com');
  runUntil(c, 4000);
  t.match(empty.outcome, { status: 503, error: 'no healthy upstream', revision: 'empty-00001' });
  t.match(gone.outcome, { status: 502, error: /connection refused/ });
  t.match(slow.outcome, { status: 504, latencyMs: 1000 });
});

t.test('a path rule routes by prefix', async (t) => {
  const c = servingCluster();
  const gw = startGateway(c);
  upstream(c, 'api-00001', ['10.1.0.1']);
  c.cluster.api.create(KINGRESSES, kingress('api', 'x.example.com', [{ revision: 'api-00001', percent: 100 }], '/api'));
  runUntil(c, 2000);
  const out: RequestOutcome[] = [];
  gw.current().routeRequest({ ...simRequest(c, { host: 'x.example.com' }), path: '/api/v1' }, (o) => void out.push(o));
  gw.current().routeRequest({ ...simRequest(c, { host: 'x.example.com' }), path: '/other' }, (o) => void out.push(o));
  runUntil(c, 2100);
  t.same(out.map((o) => o.status).sort(), [200, 404]);
});

function gatewayEndpoints(c: ServingCluster, ips: string[]): void {
  ensureSystemNamespace(c);
  c.cluster.api.create(ENDPOINTS, {
    apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'ingress-gateway', namespace: 'knative-serving' },
    subsets: ips.length === 0 ? [] : [{ addresses: ips.map((ip) => ({ ip })), ports: [{ name: 'http', port: 80 }] }],
  });
}

t.test('sendThroughIngress: 503 without a gateway; through a gateway the outcome is recorded once', async (t) => {
  const c = servingCluster();
  const done: RequestOutcome[] = [];
  sendThroughIngress(c.system, simRequest(c), (o) => void done.push(o));
  t.match(done[0], { status: 503, error: 'no ingress gateway' });
  t.equal(c.outcomes.length, 1, 'recorded');
  startGateway(c);
  gatewayEndpoints(c, [GW_IP]);
  upstream(c, 'hello-00001', ['10.1.0.1']);
  c.cluster.api.create(KINGRESSES, kingress('hello', 'hello.default.example.com', [{ revision: 'hello-00001', percent: 100 }]));
  runUntil(c, 2000);
  sendThroughIngress(c.system, simRequest(c, { serviceTimeMs: 50 }), (o) => void done.push(o));
  runUntil(c, 3000);
  t.match(done[1], { status: 200, revision: 'hello-00001', pod: 'hello-00001@10.1.0.1', latencyMs: 50 });
  t.equal(c.outcomes.length, 2, 'one more record, not two');
  t.same(c.outcomes[1], done[1]);
});

t.test('sendThroughIngress: a client that gives up first sees status 0, recorded once; the upstream is cancelled', async (t) => {
  const c = servingCluster();
  startGateway(c);
  gatewayEndpoints(c, [GW_IP]);
  const abandoned: number[] = [];
  upstream(c, 'hello-00001', ['10.1.0.1'], (ex) => ex.onAbandon(() => void abandoned.push(c.cluster.sim.nowMs)));
  c.cluster.api.create(KINGRESSES, kingress('hello', 'hello.default.example.com', [{ revision: 'hello-00001', percent: 100 }]));
  runUntil(c, 2000);
  const done: RequestOutcome[] = [];
  sendThroughIngress(c.system, simRequest(c, { clientTimeoutMs: 500 }), (o) => void done.push(o));
  runUntil(c, 5000);
  t.match(done, [{ status: 0, error: 'client timeout', latencyMs: 500 }]);
  t.equal(c.outcomes.length, 1);
  t.same(abandoned, [2500], 'the gateway cancelled its upstream request');
});

t.test('a gateway that dies mid-request: the client sees 502, recorded by the client side', async (t) => {
  const c = servingCluster();
  const gwComponentName = 'ingress-gateway/gw-1';
  startGateway(c);
  gatewayEndpoints(c, [GW_IP]);
  upstream(c, 'hello-00001', ['10.1.0.1']);
  c.cluster.api.create(KINGRESSES, kingress('hello', 'hello.default.example.com', [{ revision: 'hello-00001', percent: 100 }]));
  runUntil(c, 2000);
  const done: RequestOutcome[] = [];
  sendThroughIngress(c.system, simRequest(c, { serviceTimeMs: 1000 }), (o) => void done.push(o));
  runUntil(c, 2500);
  c.cluster.component(gwComponentName).crash();
  runUntil(c, 4000);
  t.match(done, [{ status: 502, error: /connection reset/ }]);
  t.equal(c.outcomes.length, 1);
});
