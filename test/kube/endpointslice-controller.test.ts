// The EndpointSlice controller against the real API server (with the garbage collector alongside,
// as in kube-controller-manager), after k8s.io/kubernetes
// pkg/controller/endpointslice/endpointslice_controller_test.go: slices for selector Services only,
// placeholder slices, 100 endpoints per slice, terminating pods listed not ready, the controller's own
// writes not echoed back into syncs, foreign changes repaired, pods on unknown nodes retried.
import t from 'tap';
import type { KubeObject } from '../../src/apiserver/types.js';
import type { SimCluster } from '../../src/client/sim-cluster.js';
import { ENDPOINTSLICE_CONTROLLER_NAME, setupEndpointSliceController, type EndpointSliceControllerOptions } from '../../src/kube/endpointslice-controller.js';
import type { SliceEndpoint } from '../../src/kube/endpointslice-endpoints.js';
import { setupGarbageCollector } from '../../src/kube/garbage-collector.js';
import { ENDPOINTSLICES, PODS, SERVICES } from '../../src/kube/resources.js';
import { at, createPod, createService, ensureNode, kcmCluster, setPodStatus, writesBy } from './kcm-fixtures.js';

function cluster(options: EndpointSliceControllerOptions = {}, seed: number | string = 7): SimCluster {
  const c = kcmCluster((ctx) => {
    setupEndpointSliceController(ctx, options);
    setupGarbageCollector(ctx);
  }, { seed });
  ensureNode(c, 'node-1', { 'topology.kubernetes.io/zone': 'zone-a' });
  return c;
}

const slicesOf = (c: SimCluster, ns: string, svc: string): KubeObject[] =>
  c.api.list(ENDPOINTSLICES, { namespace: ns, labelSelector: `kubernetes.io/service-name=${svc}` }).items;
const endpointsOf = (c: SimCluster, ns: string, svc: string): SliceEndpoint[] =>
  slicesOf(c, ns, svc).flatMap((s) => s.endpoints as SliceEndpoint[]).sort((a, b) => (a.targetRef.name! < b.targetRef.name! ? -1 : 1));
const podOnNode = (c: SimCluster, ns: string, name: string, ip: string, ready = true, node = 'node-1'): KubeObject =>
  createPod(c, ns, name, { nodeName: node, ports: [{ name: 'http', containerPort: 8080 }], status: { ready, ip } });
const settle = (c: SimCluster, untilMs = 3_000): void => void c.sim.run({ untilMs });

t.test('a Service with a selector gets a slice, labelled, owned by the Service, named <service>-…; one without selector gets none', async (t) => {
  const c = cluster();
  const pod = podOnNode(c, 'ns', 'a', '10.0.0.1');
  const svc = createService(c, 'ns', 'web', { selector: { foo: 'bar' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] }, { app: 'web' });
  createService(c, 'ns', 'manual', { ports: [{ port: 80 }] });
  settle(c);
  const slices = slicesOf(c, 'ns', 'web');
  t.equal(slices.length, 1);
  const slice = slices[0];
  t.match(slice.metadata.name, /^web-[a-z0-9]{5}$/);
  t.same(slice.metadata.labels, { app: 'web', 'kubernetes.io/service-name': 'web', 'endpointslice.kubernetes.io/managed-by': ENDPOINTSLICE_CONTROLLER_NAME });
  t.same(slice.metadata.ownerReferences, [{ apiVersion: 'v1', kind: 'Service', name: 'web', uid: svc.metadata.uid, controller: true, blockOwnerDeletion: true }]);
  t.equal(slice.metadata.generation, 1, 'generation starts at 1');
  t.same([slice.addressType, slice.ports], ['IPv4', [{ name: 'http', port: 8080, protocol: 'TCP' }]]);
  t.same(slice.endpoints, [{
    addresses: ['10.0.0.1'], conditions: { ready: true, serving: true, terminating: false },
    targetRef: { kind: 'Pod', namespace: 'ns', name: 'a', uid: pod.metadata.uid }, nodeName: 'node-1', zone: 'zone-a',
  }]);
  t.equal(slice.metadata.annotations?.['endpoints.kubernetes.io/last-change-trigger-time'], svc.metadata.creationTimestamp);
  t.same(slicesOf(c, 'ns', 'manual'), [], 'selector-less Service: no slices');
  t.same(writesBy(c, ENDPOINTSLICES).map((w) => w.verb), ['create'], 'one write; its own ADD event did not trigger another');
});

t.test('a Service without pods keeps one placeholder slice; the first pod reuses it', async (t) => {
  const c = cluster();
  createService(c, 'ns', 'web', { selector: { foo: 'bar' }, ports: [{ port: 80, targetPort: 8080 }] });
  settle(c, 1_000);
  const [placeholder] = slicesOf(c, 'ns', 'web');
  t.same([placeholder?.ports, placeholder?.endpoints], [[], []]);
  at(c, 1_000, () => void podOnNode(c, 'ns', 'a', '10.0.0.1'));
  settle(c, 3_000);
  const slices = slicesOf(c, 'ns', 'web');
  t.same(slices.map((s) => s.metadata.name), [placeholder.metadata.name], 'same slice');
  t.equal((slices[0].endpoints as unknown[]).length, 1);
  t.same(writesBy(c, ENDPOINTSLICES).map((w) => w.verb), ['create', 'update']);
});

t.test('terminating pods stay in the slice, not ready, serving by readiness, until they are gone', async (t) => {
  const c = cluster();
  podOnNode(c, 'ns', 'a', '10.0.0.1');
  podOnNode(c, 'ns', 'b', '10.0.0.2');
  c.api.patch(PODS, 'b', { metadata: { finalizers: ['test/hold'] } }, { namespace: 'ns', patchType: 'merge' });
  createService(c, 'ns', 'web', { selector: { foo: 'bar' }, ports: [{ port: 80, targetPort: 8080 }] });
  settle(c, 1_000);
  at(c, 1_000, () => void c.api.delete(PODS, 'b', { namespace: 'ns', gracePeriodSeconds: 30 }));
  settle(c, 2_000);
  t.same(endpointsOf(c, 'ns', 'web').map((e) => [e.targetRef.name, e.conditions]), [
    ['a', { ready: true, serving: true, terminating: false }],
    ['b', { ready: false, serving: true, terminating: true }],
  ]);
  at(c, 2_000, () => void setPodStatus(c, 'ns', 'b', { ready: false, ip: '10.0.0.2' }));
  settle(c, 3_000);
  t.same(endpointsOf(c, 'ns', 'web')[1].conditions, { ready: false, serving: false, terminating: true }, 'serving follows readiness');
  at(c, 3_000, () => void c.api.patch(PODS, 'b', { metadata: { finalizers: null } }, { namespace: 'ns', patchType: 'merge' }));
  at(c, 3_001, () => void c.api.delete(PODS, 'b', { namespace: 'ns', gracePeriodSeconds: 0 }));
  settle(c, 4_000);
  t.same(endpointsOf(c, 'ns', 'web').map((e) => e.targetRef.name), ['a'], 'removed once deleted');
});

t.test('250 pods: at most 100 endpoints per slice (100, 100, 50); a new pod joins the half-full slice', async (t) => {
  const c = cluster();
  for (let i = 0; i < 250; i++) podOnNode(c, 'ns', `p${String(i).padStart(3, '0')}`, `10.0.${Math.floor(i / 200)}.${i % 200}`);
  createService(c, 'ns', 'web', { selector: { foo: 'bar' }, ports: [{ port: 80, targetPort: 8080 }] });
  settle(c, 1_000);
  const sizes = (): number[] => slicesOf(c, 'ns', 'web').map((s) => (s.endpoints as unknown[]).length).sort((a, b) => b - a);
  t.same(sizes(), [100, 100, 50]);
  const writes = writesBy(c, ENDPOINTSLICES).length;
  at(c, 1_000, () => void podOnNode(c, 'ns', 'p250', '10.0.1.250'));
  settle(c, 3_000);
  t.same(sizes(), [100, 100, 51]);
  t.same(writesBy(c, ENDPOINTSLICES).slice(writes).map((w) => w.verb), ['update'], 'one update, no new slice');
});

t.test('maxEndpointsPerSlice is an option', async (t) => {
  const c = cluster({ maxEndpointsPerSlice: 2 });
  for (let i = 0; i < 5; i++) podOnNode(c, 'ns', `p${i}`, `10.0.0.${i + 1}`);
  createService(c, 'ns', 'web', { selector: { foo: 'bar' }, ports: [{ port: 80, targetPort: 8080 }] });
  settle(c);
  t.same(slicesOf(c, 'ns', 'web').map((s) => (s.endpoints as unknown[]).length).sort(), [1, 2, 2]);
});

t.test('a slice deleted or edited by someone else is repaired (after the 1 s minimum sync delay)', async (t) => {
  const c = cluster();
  podOnNode(c, 'ns', 'a', '10.0.0.1');
  createService(c, 'ns', 'web', { selector: { foo: 'bar' }, ports: [{ port: 80, targetPort: 8080 }] });
  settle(c, 1_000);
  const [slice] = slicesOf(c, 'ns', 'web');
  at(c, 1_000, () => void c.api.patch(ENDPOINTSLICES, slice.metadata.name!, { endpoints: [] }, { namespace: 'ns', patchType: 'merge' }));
  settle(c, 1_900);
  t.same(slicesOf(c, 'ns', 'web')[0].endpoints, [], 'not repaired before the delay');
  settle(c, 3_000);
  t.equal((slicesOf(c, 'ns', 'web')[0].endpoints as unknown[]).length, 1, 'edit repaired');
  at(c, 3_000, () => void c.api.delete(ENDPOINTSLICES, slice.metadata.name!, { namespace: 'ns' }));
  settle(c, 5_000);
  const after = slicesOf(c, 'ns', 'web');
  t.equal(after.length, 1, 'deleted slice recreated');
  t.not(after[0].metadata.name, slice.metadata.name, 'under a new name');
});

t.test('a pod on a node the controller does not know is skipped and retried until the node appears', async (t) => {
  const c = cluster();
  podOnNode(c, 'ns', 'a', '10.0.0.1');
  podOnNode(c, 'ns', 'b', '10.0.0.2', true, 'node-2');
  createService(c, 'ns', 'web', { selector: { foo: 'bar' }, ports: [{ port: 80, targetPort: 8080 }] });
  settle(c, 3_000);
  t.same(endpointsOf(c, 'ns', 'web').map((e) => e.targetRef.name), ['a']);
  t.ok(c.sim.trace.lines().some((l) => l.kind === 'reconcile-error' && String(l.fields.error).includes('Node node-2 Not Found')), 'the sync failed and is retried');
  at(c, 3_000, () => ensureNode(c, 'node-2'));
  settle(c, 20_000);
  t.same(endpointsOf(c, 'ns', 'web').map((e) => e.targetRef.name), ['a', 'b'], 'added after a retry');
});

t.test('Service labels changes relabel the slices; deleting the Service removes them (garbage collector)', async (t) => {
  const c = cluster();
  podOnNode(c, 'ns', 'a', '10.0.0.1');
  createService(c, 'ns', 'web', { selector: { foo: 'bar' }, ports: [{ port: 80, targetPort: 8080 }] });
  settle(c, 1_000);
  at(c, 1_000, () => void c.api.patch(SERVICES, 'web', { metadata: { labels: { tier: 'front' } } }, { namespace: 'ns', patchType: 'merge' }));
  settle(c, 2_000);
  t.equal(slicesOf(c, 'ns', 'web')[0].metadata.labels?.tier, 'front');
  t.equal(slicesOf(c, 'ns', 'web')[0].metadata.generation, 2, 'a label change bumps the slice generation');
  at(c, 2_000, () => void c.api.delete(SERVICES, 'web', { namespace: 'ns' }));
  settle(c, 4_000);
  t.same(slicesOf(c, 'ns', 'web'), [], 'collected with their owner');
});

t.test('readiness flips show in the slice conditions within milliseconds', async (t) => {
  const c = cluster();
  podOnNode(c, 'ns', 'a', '10.0.0.1');
  createService(c, 'ns', 'web', { selector: { foo: 'bar' }, ports: [{ port: 80, targetPort: 8080 }] });
  settle(c, 1_000);
  const changes: { atMs: number; ready: boolean }[] = [];
  c.api.onCommit((ev) => {
    if (ev.resource.plural === 'endpointslices' && ev.type === 'MODIFIED') changes.push({ atMs: c.sim.nowMs, ready: (ev.object.endpoints as SliceEndpoint[])[0]?.conditions.ready });
  });
  for (let k = 0; k < 4; k++) at(c, 1_000 + 500 * k, () => void setPodStatus(c, 'ns', 'a', { ready: k % 2 === 1, ip: '10.0.0.1' }));
  settle(c, 4_000);
  t.same(changes.map((ch) => ch.ready), [false, true, false, true]);
  t.ok(changes.every((ch, k) => ch.atMs - (1_000 + 500 * k) <= 20), `lags ${changes.map((ch, k) => ch.atMs - (1_000 + 500 * k)).join(', ')} ms`);
});

t.test('determinism: the same seed gives the same trace hash', async (t) => {
  const run = (seed: number): string => {
    const c = cluster({}, seed);
    for (let i = 0; i < 5; i++) podOnNode(c, 'ns', `p${i}`, `10.0.0.${i + 1}`, i % 2 === 0);
    createService(c, 'ns', 'web', { selector: { foo: 'bar' }, ports: [{ port: 80, targetPort: 8080 }] });
    for (let k = 0; k < 6; k++) at(c, 500 + 131 * k, () => void setPodStatus(c, 'ns', `p${k % 5}`, { ready: k % 2 === 0, ip: `10.0.0.${(k % 5) + 1}` }));
    c.sim.run({ untilMs: 4_000 });
    return c.sim.traceHash();
  };
  t.equal(run(3), run(3));
  t.not(run(3), run(4));
});
