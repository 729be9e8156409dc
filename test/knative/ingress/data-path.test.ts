// The whole data path with every piece real but the controllers: workload → sendThroughIngress →
// gateway → activator (the revision's public Endpoints point at it: SKS proxy mode) → queue-proxy
// (kubelet-started pod) → user app; Endpoints are written by hand where the SKS reconciler and the
// endpoints controller would. And determinism: same seed, same trace hash and outcomes.
import t from 'tap';
import type { KubeObject } from '../../../src/apiserver/types.js';
import type { RequestOutcome } from '../../../src/dataplane/request.js';
import { startWorkload } from '../../../src/dataplane/workload.js';
import { ENDPOINTS, PODS } from '../../../src/kube/resources.js';
import { KINGRESSES } from '../../../src/knative/apis/resources.js';
import { sendThroughIngress, setupIngressGateway } from '../../../src/knative/ingress/index.js';
import { isReady } from '../../kube/node-fixtures.js';
import {
  autoscalerStandIn, createRevision, ensureSystemNamespace, setPrivateEndpoints, setPublicEndpoints, startActivator,
} from '../activator-component/activator-fixtures.js';
import { createRevisionPod, NS, podIp, podOf, runUntil, servingCluster, type ServingCluster } from '../queue-proxy/serving-fixtures.js';

const REV = 'hello-00001';
const HOST = 'hello.default.example.com';

function stack(seed: number): ServingCluster {
  const c = servingCluster({ seed, exact: false });
  autoscalerStandIn(c);
  ensureSystemNamespace(c);
  createRevision(c, REV, { containerConcurrency: 2 });
  startActivator(c, 'act-1', '10.0.9.1');
  const pod = { name: 'gw-1', namespace: 'knative-serving', uid: 'uid-gw-1', ip: '10.0.8.1', nodeName: 'node-1' };
  c.cluster.addComponent({ name: 'ingress-gateway/gw-1', setup: (ctx) => void setupIngressGateway(ctx, { system: c.system, pod, profile: c.system.profile }) });
  c.cluster.api.create(ENDPOINTS, { apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'ingress-gateway', namespace: 'knative-serving' }, subsets: [{ addresses: [{ ip: '10.0.8.1' }], ports: [{ name: 'http', port: 80 }] }] });
  c.cluster.api.create(KINGRESSES, {
    apiVersion: 'networking.internal.knative.dev/v1alpha1', kind: 'Ingress', metadata: { name: 'hello', namespace: NS },
    spec: { rules: [{ hosts: [HOST], visibility: 'ExternalIP', http: { paths: [{ splits: [{ serviceName: REV, serviceNamespace: NS, servicePort: 80, percent: 100, appendHeaders: { 'Knative-Serving-Revision': REV, 'Knative-Serving-Namespace': NS } }] }] } }] },
  });
  setPublicEndpoints(c, REV, ['10.0.9.1']);
  createRevisionPod(c, 'p1', { revision: REV, containerConcurrency: 2, appStartMs: 1500 });
  c.cluster.api.onCommit((ev) => {
    if (ev.resource.plural !== 'pods' || ev.object.metadata.name !== 'p1' || ev.type === 'DELETED') return;
    const ip = c.runtime.sandbox(ev.object.metadata.uid!)?.sandbox.ip;
    if (ip !== undefined) c.cluster.sim.schedule(0, () => setPrivateEndpoints(c, REV, isReady(ev.object as KubeObject) ? [ip] : [], isReady(ev.object as KubeObject) ? [] : [ip]));
  });
  startWorkload(c.cluster.sim, {
    startMs: 2000,
    phases: [{ name: 'load', durationMs: 20_000, load: { kind: 'poisson', rps: 4 }, host: HOST, serviceTime: { kind: 'exponential', meanMs: 200 } }],
    send: (req, done) => sendThroughIngress(c.system, req, done),
  });
  return c;
}

t.test('requests arriving before the pod is up are buffered by the activator and all end 200', async (t) => {
  const c = stack(5);
  runUntil(c, 40_000);
  const outcomes = c.outcomes;
  t.ok(outcomes.length > 50, `${outcomes.length} requests`);
  t.ok(outcomes.every((o) => o.status === 200), `all 200 (${[...new Set(outcomes.map((o) => o.status))]})`);
  t.ok(outcomes.every((o) => o.pod === 'p1' && o.activator === 'act-1' && o.revision === REV), 'via the activator to the pod');
  const first = outcomes.reduce((a, b) => (a.arrivalMs < b.arrivalMs ? a : b));
  t.ok(first.latencyMs > 2000, `the first request waited for the cold start (${first.latencyMs} ms)`);
  t.equal(new Set(outcomes.map((o) => o.id)).size, outcomes.length, 'each recorded once');
  t.ok(isReady(podOf(c, 'p1')!), 'the pod is Ready');
  t.ok(c.cluster.api.list(PODS).items.length === 1 && podIp(c, 'p1') !== '');
});

function run(seed: number): { hash: string; outcomes: RequestOutcome[] } {
  const c = stack(seed);
  runUntil(c, 30_000);
  return { hash: c.cluster.sim.traceHash(), outcomes: c.outcomes };
}

t.test('determinism: the same seed gives the same trace hash and outcomes; another seed does not', async (t) => {
  const a = run(21);
  const b = run(21);
  const other = run(22);
  t.equal(a.hash, b.hash);
  t.same(a.outcomes, b.outcomes);
  t.not(other.hash, a.hash);
});
