// The whole controller deployment (setupServingController) on the in-memory API server, with the
// test playing the Deployment controller and kubelet, the KPA, the Endpoints controller and the
// ingress gateway: a Knative Service goes Ready end to end; leader election gives every reconciler
// its own Lease, a second replica reconciles nothing until the leader dies; and a run is a pure
// function of its seed.
import t from 'tap';
import { deepCopy } from '../../../src/apiserver/deep-copy.js';
import { ENDPOINTS, LEASES } from '../../../src/kube/resources.js';
import { CONFIGURATIONS, KINGRESSES, KSERVICES, PODAUTOSCALERS, REVISIONS, ROUTES, SERVERLESSSERVICES } from '../../../src/knative/apis/resources.js';
import { ANNOTATIONS, LABELS } from '../../../src/knative/apis/serving-labels.js';
import { KNATIVE_NAMESPACE } from '../../../src/knative/serving-system.js';
import {
  addController, cond, createSks, find, ksvc, markIngressReady, must, newHarness, run, setDeploymentStatus, setEndpoints, setPaStatus, trace,
  type ControllerHarness,
} from './controller-fixtures.js';

const RECONCILERS = ['configuration', 'gc', 'labeler', 'revision', 'route', 'serverlessservice', 'service'];

/** The autoscaler, Deployment controller and kubelet bring a revision up: one ready pod, PA Ready. */
function bringUp(h: ControllerHarness, rev: string): void {
  if (find(h, SERVERLESSSERVICES, rev) === undefined) createSks(h, rev, { mode: 'Proxy', numActivators: 2 });
  run(h, 1_000);
  setDeploymentStatus(h, `${rev}-deployment`, { replicas: 1, ready: 1 });
  setEndpoints(h, `${rev}-private`, ['10.2.0.1']);
  setPaStatus(h, rev, { ready: 'True', initialized: true, serviceName: rev, desired: 1, actual: 1 });
  run(h, 2_000);
}

function cluster(seed: number | string = 11): ControllerHarness {
  const h = newHarness({ seed });
  setEndpoints(h, 'activator-service', ['10.1.0.1', '10.1.0.2', '10.1.0.3'], { namespace: KNATIVE_NAMESPACE, ports: [{ name: 'http', port: 8012 }] });
  return h;
}

/** The scenario the determinism test repeats: a Service up, then a second revision rolled out. */
function scenario(h: ControllerHarness): void {
  h.cluster.api.create(KSERVICES, ksvc('hello'));
  run(h, 5_000);
  bringUp(h, 'hello-00001');
  markIngressReady(h, 'hello');
  run(h, 3_000);
  const next = deepCopy(must(h, KSERVICES, 'hello'));
  next.spec.template.spec.containers[0].image = 'busybox:2';
  h.cluster.api.update(KSERVICES, next);
  run(h, 5_000);
  bringUp(h, 'hello-00002');
  markIngressReady(h, 'hello');
  run(h, 5_000);
}

t.test('a Knative Service goes Ready end to end: revision active, deployment, PA, SKS endpoints, KIngress, URL', async (t) => {
  const h = cluster();
  addController(h);
  h.cluster.api.create(KSERVICES, ksvc('hello'));
  run(h, 5_000);
  const rev = must(h, REVISIONS, 'hello-00001');
  t.equal(rev.metadata.labels?.[LABELS.routingState], 'active', 'created active: its Configuration already lists the route');
  t.equal(rev.metadata.annotations?.[ANNOTATIONS.routes], 'hello');
  t.equal(must(h, PODAUTOSCALERS, 'hello-00001').spec.reachability, 'Reachable');
  t.equal(find(h, KINGRESSES, 'hello'), undefined, 'no KIngress before a revision is ready');
  bringUp(h, 'hello-00001');
  t.equal(cond(must(h, REVISIONS, 'hello-00001'), 'Ready')?.status, 'True');
  t.equal(must(h, CONFIGURATIONS, 'hello').status.latestReadyRevisionName, 'hello-00001');
  t.ok(find(h, KINGRESSES, 'hello'), 'the route programs the ingress once the revision is ready');
  t.ok((must(h, ENDPOINTS, 'hello-00001').subsets ?? []).length > 0, 'the SKS reconciler wrote the public endpoints');
  markIngressReady(h, 'hello');
  run(h, 3_000);
  const svc = must(h, KSERVICES, 'hello');
  t.equal(cond(svc, 'Ready')?.status, 'True');
  t.equal(svc.status.url, 'http://hello.default.svc.cluster.local');
  t.same(svc.status.traffic, [{ revisionName: 'hello-00001', latestRevision: true, percent: 100 }]);
  t.equal(cond(must(h, ROUTES, 'hello'), 'Ready')?.status, 'True');
});

t.test('a rollout: the new revision takes the traffic once ready, the old one goes reserve and its PA Unreachable', async (t) => {
  const h = cluster();
  addController(h);
  scenario(h);
  const ing = must(h, KINGRESSES, 'hello');
  t.same(ing.spec.rules[0].http.paths[0].splits.map((s: { serviceName: string; percent: number }) => [s.serviceName, s.percent]), [['hello-00002', 100]]);
  t.equal(must(h, REVISIONS, 'hello-00001').metadata.labels?.[LABELS.routingState], 'reserve');
  t.equal(must(h, PODAUTOSCALERS, 'hello-00001').spec.reachability, 'Unreachable');
  t.equal(must(h, REVISIONS, 'hello-00002').metadata.labels?.[LABELS.routingState], 'active');
  const svc = must(h, KSERVICES, 'hello');
  t.equal(cond(svc, 'Ready')?.status, 'True');
  t.equal(svc.status.latestReadyRevisionName, 'hello-00002');
});

t.test('every reconciler holds its own knative/pkg Lease in knative-serving, with the 60s lease duration', async (t) => {
  const h = cluster();
  addController(h);
  run(h, 2_000);
  const leases = h.cluster.api.list(LEASES, { namespace: KNATIVE_NAMESPACE }).items;
  t.same(leases.map((l) => l.metadata.name).sort(), RECONCILERS.map((r) => `controller.knative.dev.serving.pkg.reconciler.${r}.reconciler.00-of-01`));
  for (const lease of leases) {
    t.equal(lease.spec.holderIdentity, 'controller-a_1');
    t.equal(lease.spec.leaseDurationSeconds, 60);
  }
});

t.test('a second replica reconciles nothing while the leader lives, and takes over every lease when it dies', async (t) => {
  const h = cluster();
  const a = addController(h, 'controller-a');
  run(h, 2_000);
  addController(h, 'controller-b');
  h.cluster.api.create(KSERVICES, ksvc('hello'));
  run(h, 10_000);
  const writesBy = (c: string) => trace(h, 'api', { c }).filter((l) => l.fields.verb !== 'get' && l.fields.verb !== 'list' && l.fields.res !== 'leases');
  t.ok(writesBy('controller-a').length > 0, 'the leader works');
  t.equal(writesBy('controller-b').length, 0, 'the follower only keeps its caches warm');
  a.crash();
  run(h, 90_000);
  const holders = h.cluster.api.list(LEASES, { namespace: KNATIVE_NAMESPACE }).items.map((l) => l.spec.holderIdentity);
  t.same([...new Set(holders)], ['controller-b_1'], 'after the lease duration the follower holds them all');
  const next = deepCopy(must(h, KSERVICES, 'hello'));
  next.spec.template.spec.containers[0].image = 'busybox:2';
  h.cluster.api.update(KSERVICES, next);
  run(h, 5_000);
  t.ok(find(h, REVISIONS, 'hello-00002'), 'the new leader creates the next revision');
  t.ok(trace(h, 'api', { c: 'controller-b', verb: 'create', res: 'revisions' }).length > 0);
});

t.test('the same seed gives the same trace hash; another seed may schedule differently but ends the same', async (t) => {
  const hashes: string[] = [];
  const finals: unknown[] = [];
  for (const seed of [5, 5, 6]) {
    const h = cluster(seed);
    addController(h);
    scenario(h);
    hashes.push(h.cluster.sim.traceHash());
    const svc = must(h, KSERVICES, 'hello');
    finals.push([cond(svc, 'Ready')?.status, svc.status.latestReadyRevisionName, svc.status.traffic]);
  }
  t.equal(hashes[0], hashes[1]);
  t.same(finals[2], finals[0]);
});
