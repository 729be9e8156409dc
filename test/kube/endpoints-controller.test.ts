// The Endpoints controller against the real API server, ported from k8s.io/kubernetes
// pkg/controller/endpoint/endpoints_controller_test.go: where upstream calls syncService on
// hand-filled listers and counts the HTTP requests, these tests create the objects, let the
// controller list and sync, and count the writes it made.
import t from 'tap';
import type { KubeObject } from '../../src/apiserver/types.js';
import type { SimCluster } from '../../src/client/sim-cluster.js';
import { HEADLESS_SERVICE_LABEL, setupEndpointsController, type EndpointsControllerOptions } from '../../src/kube/endpoints-controller.js';
import { ENDPOINTS, PODS, SERVICES } from '../../src/kube/resources.js';
import { LAST_CHANGE_TRIGGER_TIME } from '../../src/kube/trigger-time-tracker.js';
import { at, createPod, createService, ensureNamespace, find, kcmCluster, setPodStatus, testPod, writesBy } from './kcm-fixtures.js';

const cluster = (options: EndpointsControllerOptions = {}, seed: number | string = 7): SimCluster =>
  kcmCluster((ctx) => setupEndpointsController(ctx, options), { seed });

function existingEndpoints(c: SimCluster, ns: string, name: string, subsets: unknown[], meta: Partial<KubeObject['metadata']> = {}): KubeObject {
  ensureNamespace(c, ns);
  const obj: KubeObject = { apiVersion: 'v1', kind: 'Endpoints', metadata: { name, namespace: ns, ...meta } };
  if (subsets.length > 0) obj.subsets = subsets;
  return c.api.create(ENDPOINTS, obj);
}

const oldSubsets = (protocol?: string): unknown[] => [{ addresses: [{ ip: '6.7.8.9', nodeName: '' }], ports: [{ port: 1000, ...(protocol ? { protocol } : {}) }] }];
const ref = (pod: KubeObject): Record<string, unknown> => ({ kind: 'Pod', namespace: pod.metadata.namespace, name: pod.metadata.name, uid: pod.metadata.uid });
const addr = (pod: KubeObject): Record<string, unknown> => ({ ip: pod.status.podIP, nodeName: '', targetRef: ref(pod) });
const settle = (c: SimCluster, untilMs = 2_000): void => void c.sim.run({ untilMs });

t.test('TestSyncEndpointsItemsPreserveNoSelector: Endpoints of a Service without selector are left alone', async (t) => {
  const c = cluster();
  const before = existingEndpoints(c, 'default', 'foo', oldSubsets());
  createService(c, 'default', 'foo', { ports: [{ port: 80 }] });
  testPod(c, 'default', 0, 1, true);
  settle(c);
  t.same(writesBy(c, ENDPOINTS), [], 'no writes');
  t.same(find(c, ENDPOINTS, 'default', 'foo')?.subsets, before.subsets, 'user subsets kept');
});

t.test('a selector with no keys counts as none (upstream storage drops the empty map), so such a Service is left alone too', async (t) => {
  const c = cluster();
  existingEndpoints(c, 'default', 'foo', oldSubsets());
  createService(c, 'default', 'foo', { selector: {}, ports: [{ port: 80, targetPort: 8080 }] });
  testPod(c, 'default', 0, 1, true);
  settle(c);
  t.same(writesBy(c, ENDPOINTS), [], 'no writes');
});

t.test('TestSyncEndpointsExistingNilSubsets / ExistingEmptySubsets: nothing to add and nothing written', async (t) => {
  const c = cluster();
  existingEndpoints(c, 'default', 'foo', []);
  createService(c, 'default', 'foo', { selector: { foo: 'bar' }, ports: [{ port: 80 }] });
  settle(c);
  t.same(writesBy(c, ENDPOINTS), []);
});

t.test('TestSyncEndpointsWithPodResourceVersionUpdateOnly: a targetRef resourceVersion difference alone writes nothing', async (t) => {
  const c = cluster();
  const pod0 = testPod(c, 'default', 0, 1, true);
  const pod1 = testPod(c, 'default', 1, 1, false);
  existingEndpoints(c, 'default', 'foo', [{
    addresses: [{ ...addr(pod0), targetRef: { ...ref(pod0), resourceVersion: '1' } }],
    notReadyAddresses: [{ ...addr(pod1), targetRef: { ...ref(pod1), resourceVersion: '2' } }],
    ports: [{ port: 8080, protocol: 'TCP' }],
  }]);
  createService(c, 'default', 'foo', { selector: { foo: 'bar' }, ports: [{ port: 80, protocol: 'TCP', targetPort: 8080 }] });
  settle(c);
  t.same(writesBy(c, ENDPOINTS), []);
});

t.test('TestSyncEndpointsNewNoSubsets: a new Service gets an empty Endpoints of its name', async (t) => {
  const c = cluster();
  const svc = createService(c, 'default', 'foo', { selector: { foo: 'bar' }, ports: [{ port: 80 }] });
  settle(c);
  t.same(writesBy(c, ENDPOINTS).map((w) => w.verb), ['create']);
  const ep = find(c, ENDPOINTS, 'default', 'foo');
  t.equal(ep?.subsets, undefined, 'no subsets (omitted when empty)');
  t.equal(ep?.metadata.annotations?.[LAST_CHANGE_TRIGGER_TIME], svc.metadata.creationTimestamp, 'first sync: trigger time is the Service creationTimestamp');
});

t.test('TestCheckLeftoverEndpoints: at start an Endpoints without Service is deleted; leader-election records are not', async (t) => {
  const c = cluster();
  existingEndpoints(c, 'default', 'foo', oldSubsets());
  existingEndpoints(c, 'kube-system', 'lock', [], { annotations: { 'control-plane.alpha.kubernetes.io/leader': '{}' } });
  settle(c);
  t.same(writesBy(c, ENDPOINTS).map((w) => [w.verb, w.name]), [['delete', 'foo']]);
  t.ok(find(c, ENDPOINTS, 'kube-system', 'lock'), 'leader record kept');
});

for (const protocol of ['TCP', 'UDP', 'SCTP']) {
  t.test(`TestSyncEndpointsProtocol${protocol}: the endpoint port carries the Service port's protocol`, async (t) => {
    const c = cluster();
    existingEndpoints(c, 'other', 'foo', oldSubsets(protocol));
    const pod0 = testPod(c, 'other', 0, 1, true);
    createService(c, 'other', 'foo', { selector: { foo: 'bar' }, ports: [{ port: 80, targetPort: 8080, protocol }] });
    settle(c);
    t.same(writesBy(c, ENDPOINTS).map((w) => w.verb), ['update']);
    t.same(find(c, ENDPOINTS, 'other', 'foo')?.subsets, [{ addresses: [addr(pod0)], ports: [{ port: 8080, protocol }] }]);
  });
}

t.test('TestSyncEndpointsItemsEmptySelectorSelectsAllNotReady / Mixed: ready and not-ready pods share a subset', async (t) => {
  const c = cluster();
  existingEndpoints(c, 'other', 'foo', []);
  const pod0 = testPod(c, 'other', 0, 1, true);
  const pod1 = testPod(c, 'other', 1, 1, false);
  createService(c, 'other', 'foo', { selector: { foo: 'bar' }, ports: [{ port: 80, protocol: 'TCP', targetPort: 8080 }] });
  settle(c);
  t.same(find(c, ENDPOINTS, 'other', 'foo')?.subsets, [{ addresses: [addr(pod0)], notReadyAddresses: [addr(pod1)], ports: [{ port: 8080, protocol: 'TCP' }] }]);
});

t.test('TestSyncEndpointsItemsPreexisting / PreexistingIdentical: replaced when different, untouched when equal', async (t) => {
  const c = cluster();
  existingEndpoints(c, 'bar', 'foo', oldSubsets());
  const pod0 = testPod(c, 'bar', 0, 1, true);
  const want = [{ addresses: [addr(pod0)], ports: [{ port: 8080, protocol: 'TCP' }] }];
  existingEndpoints(c, 'bar', 'same', want);
  createService(c, 'bar', 'foo', { selector: { foo: 'bar' }, ports: [{ port: 80, protocol: 'TCP', targetPort: 8080 }] });
  createService(c, 'bar', 'same', { selector: { foo: 'bar' }, ports: [{ port: 80, protocol: 'TCP', targetPort: 8080 }] });
  settle(c);
  t.same(writesBy(c, ENDPOINTS).map((w) => [w.verb, w.name]), [['update', 'foo']]);
  t.same(find(c, ENDPOINTS, 'bar', 'foo')?.subsets, want);
});

t.test('TestSyncEndpointsItems: named Service ports, several pods, pods of other namespaces ignored', async (t) => {
  const c = cluster();
  const pods = [0, 1, 2].map((i) => testPod(c, 'other', i, 2, true));
  for (let i = 0; i < 5; i++) testPod(c, 'blah', i, 2, true);
  createService(c, 'other', 'foo', { selector: { foo: 'bar' }, ports: [
    { name: 'port0', port: 80, protocol: 'TCP', targetPort: 8080 },
    { name: 'port1', port: 88, protocol: 'TCP', targetPort: 8088 },
  ] });
  settle(c);
  t.same(writesBy(c, ENDPOINTS).map((w) => w.verb), ['create']);
  t.same(find(c, ENDPOINTS, 'other', 'foo')?.subsets, [{
    addresses: pods.map(addr),
    ports: [{ name: 'port0', port: 8080, protocol: 'TCP' }, { name: 'port1', port: 8088, protocol: 'TCP' }],
  }]);
});

t.test('TestSyncEndpointsItemsWithLabels / PreexistingLabelsChange: the Endpoints carry the Service labels', async (t) => {
  const c = cluster();
  existingEndpoints(c, 'bar', 'old', oldSubsets(), { labels: { foo: 'bar' } });
  testPod(c, 'bar', 0, 1, true);
  createService(c, 'bar', 'new', { selector: { foo: 'bar' }, ports: [{ port: 80, targetPort: 8080 }] }, { foo: 'bar' });
  createService(c, 'bar', 'old', { selector: { foo: 'bar' }, ports: [{ port: 80, targetPort: 8080 }] }, { baz: 'blah' });
  settle(c);
  t.same(find(c, ENDPOINTS, 'bar', 'new')?.metadata.labels, { foo: 'bar' }, 'copied on create');
  t.same(find(c, ENDPOINTS, 'bar', 'old')?.metadata.labels, { baz: 'blah' }, 'replaced on update');
});

t.test('TestSyncEndpointsHeadlessService / HeadlessWithoutPort: a headless Service without ports gets its addresses, no ports, the headless label', async (t) => {
  const c = cluster();
  const pod0 = testPod(c, 'headless', 0, 1, true);
  createService(c, 'headless', 'foo', { selector: { foo: 'bar' }, clusterIP: 'None', ports: [] }, { a: 'b' });
  createService(c, 'headless', 'headful', { selector: { foo: 'bar' }, ports: [] });
  settle(c);
  const ep = find(c, ENDPOINTS, 'headless', 'foo');
  t.same(ep?.subsets, [{ addresses: [addr(pod0)] }]);
  t.same(ep?.metadata.labels, { a: 'b', [HEADLESS_SERVICE_LABEL]: '' });
  t.equal(find(c, ENDPOINTS, 'headless', 'headful')?.subsets, undefined, 'a Service with a ClusterIP and no ports lists nobody');
});

t.test('TestSyncEndpointsItemsExcludeNotReadyPodsWith...PhaseFailed / Succeeded: terminal pods are left out', async (t) => {
  const c = cluster();
  existingEndpoints(c, 'other', 'foo', oldSubsets(), { labels: { foo: 'bar' } });
  createPod(c, 'other', 'failed', { ports: [{ name: 'port0', containerPort: 8080 }], status: { ip: '1.2.3.4', phase: 'Failed' } });
  createPod(c, 'other', 'done', { ports: [{ name: 'port0', containerPort: 8080 }], status: { ip: '1.2.3.5', phase: 'Succeeded' } });
  createService(c, 'other', 'foo', { selector: { foo: 'bar' }, ports: [{ port: 80, protocol: 'TCP', targetPort: 8080 }] });
  settle(c);
  t.same(writesBy(c, ENDPOINTS).map((w) => w.verb), ['update'], 'labels and subsets rewritten');
  t.equal(find(c, ENDPOINTS, 'other', 'foo')?.subsets, undefined, 'no subsets left');
});

t.test('FindPort cases: named targetPorts resolve per pod, by name and protocol, sidecar ports included; pods without the name are skipped', async (t) => {
  const c = cluster();
  const a = createPod(c, 'ns', 'a', { ports: [{ name: 'http', containerPort: 8080 }, { name: 'dns', containerPort: 53, protocol: 'UDP' }], status: { ready: true, ip: '10.0.0.1' } });
  const b = createPod(c, 'ns', 'b', { ports: [{ name: 'http', containerPort: 9090 }], status: { ready: true, ip: '10.0.0.2' } });
  createPod(c, 'ns', 'c', { ports: [{ name: 'other', containerPort: 7070 }], status: { ready: true, ip: '10.0.0.3' } });
  createService(c, 'ns', 'web', { selector: { foo: 'bar' }, ports: [{ name: 'web', port: 80, targetPort: 'http' }, { name: 'dns', port: 53, protocol: 'UDP', targetPort: 'dns' }] });
  settle(c);
  t.same(find(c, ENDPOINTS, 'ns', 'web')?.subsets, [
    { addresses: [addr(a)], ports: [{ name: 'dns', port: 53, protocol: 'UDP' }, { name: 'web', port: 8080, protocol: 'TCP' }] },
    { addresses: [addr(b)], ports: [{ name: 'web', port: 9090, protocol: 'TCP' }] },
  ], 'one subset per distinct port set; pod c exposes neither name');
});

t.test('FindPort: a named port on a sidecar (init container with restartPolicy Always) counts, on a plain init container it does not', async (t) => {
  const c = cluster();
  ensureNamespace(c, 'ns');
  const mk = (name: string, restartPolicy?: string): KubeObject => c.api.create(PODS, {
    apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'ns', labels: { foo: 'bar' } },
    spec: { containers: [{ name: 'app', image: 'app' }], initContainers: [{ name: 'proxy', image: 'proxy', ...(restartPolicy ? { restartPolicy } : {}), ports: [{ name: 'proxy', containerPort: 15001 }] }] },
  });
  mk('sidecar', 'Always');
  mk('init');
  const sidecar = setPodStatus(c, 'ns', 'sidecar', { ready: true, ip: '10.0.0.1' });
  setPodStatus(c, 'ns', 'init', { ready: true, ip: '10.0.0.2' });
  createService(c, 'ns', 'mesh', { selector: { foo: 'bar' }, ports: [{ port: 80, targetPort: 'proxy' }] });
  settle(c);
  t.same(find(c, ENDPOINTS, 'ns', 'mesh')?.subsets, [{ addresses: [addr(sidecar)], ports: [{ port: 15001, protocol: 'TCP' }] }]);
});

interface AddressCase { name: string; phase: string; ready: boolean; terminating: boolean; publish: boolean; ready_: number; unready: number }
const addressCases: AddressCase[] = [
  { name: 'pod running phase', phase: 'Running', ready: true, terminating: false, publish: false, ready_: 1, unready: 0 },
  { name: 'pod running phase being deleted', phase: 'Running', ready: true, terminating: true, publish: false, ready_: 0, unready: 0 },
  { name: 'pod unknown phase container ready', phase: 'Unknown', ready: true, terminating: false, publish: false, ready_: 1, unready: 0 },
  { name: 'pod unknown phase container ready being deleted', phase: 'Unknown', ready: true, terminating: true, publish: false, ready_: 0, unready: 0 },
  { name: 'pod pending phase container ready', phase: 'Pending', ready: true, terminating: false, publish: false, ready_: 1, unready: 0 },
  { name: 'pod pending phase container ready being deleted', phase: 'Pending', ready: true, terminating: true, publish: false, ready_: 0, unready: 0 },
  { name: 'pod unknown phase container not ready', phase: 'Unknown', ready: false, terminating: false, publish: false, ready_: 0, unready: 1 },
  { name: 'pod pending phase container not ready', phase: 'Pending', ready: false, terminating: false, publish: false, ready_: 0, unready: 1 },
  { name: 'pod failed phase', phase: 'Failed', ready: false, terminating: false, publish: false, ready_: 0, unready: 0 },
  { name: 'pod succeeded phase', phase: 'Succeeded', ready: false, terminating: false, publish: false, ready_: 0, unready: 0 },
  { name: 'pod running phase and tolerate unready', phase: 'Running', ready: false, terminating: false, publish: true, ready_: 1, unready: 0 },
  { name: 'pod running phase and tolerate unready being deleted', phase: 'Running', ready: false, terminating: true, publish: true, ready_: 1, unready: 0 },
  { name: 'pod unknown phase and tolerate unready', phase: 'Unknown', ready: false, terminating: false, publish: true, ready_: 1, unready: 0 },
  { name: 'pod unknown phase and tolerate unready being deleted', phase: 'Unknown', ready: false, terminating: true, publish: true, ready_: 1, unready: 0 },
  { name: 'pod pending phase and tolerate unready', phase: 'Pending', ready: false, terminating: false, publish: true, ready_: 1, unready: 0 },
  { name: 'pod pending phase and tolerate unready being deleted', phase: 'Pending', ready: false, terminating: true, publish: true, ready_: 1, unready: 0 },
  { name: 'pod failed phase and tolerate unready', phase: 'Failed', ready: false, terminating: false, publish: true, ready_: 0, unready: 0 },
  { name: 'pod succeeded phase and tolerate unready endpoints', phase: 'Succeeded', ready: false, terminating: false, publish: true, ready_: 0, unready: 0 },
];

t.test('TestSyncServiceAddresses: phase × readiness × deletion × publishNotReadyAddresses', async (t) => {
  for (const tc of addressCases) {
    const c = cluster();
    createPod(c, 'ns', 'fakepod', { ports: [{ name: 'port1', containerPort: 8080 }], status: { ready: tc.ready, ip: '10.1.1.1', phase: tc.phase } });
    // A finalizer keeps the pod visible while it is being deleted (it has no node, so no grace period).
    if (tc.terminating) {
      c.api.patch(PODS, 'fakepod', { metadata: { finalizers: ['test/hold'] } }, { namespace: 'ns', patchType: 'merge' });
      c.api.delete(PODS, 'fakepod', { namespace: 'ns' });
    }
    createService(c, 'ns', 'foo', { selector: { foo: 'bar' }, publishNotReadyAddresses: tc.publish, ports: [{ port: 80 }] });
    settle(c);
    const subsets = (find(c, ENDPOINTS, 'ns', 'foo')?.subsets ?? []) as { addresses?: unknown[]; notReadyAddresses?: unknown[] }[];
    const count = (f: 'addresses' | 'notReadyAddresses'): number => subsets.reduce((n, s) => n + (s[f]?.length ?? 0), 0);
    t.same([count('addresses'), count('notReadyAddresses')], [tc.ready_, tc.unready], tc.name);
  }
});

t.test('TestSyncEndpointsServiceNotFound / service deletion: the controller deletes the Endpoints of a deleted Service', async (t) => {
  const c = cluster();
  testPod(c, 'default', 0, 1, true);
  createService(c, 'default', 'foo', { selector: { foo: 'bar' }, ports: [{ port: 80, targetPort: 8080 }] });
  settle(c, 1_000);
  t.ok(find(c, ENDPOINTS, 'default', 'foo'), 'created');
  at(c, 1_000, () => void c.api.delete(SERVICES, 'foo', { namespace: 'default' }));
  settle(c, 2_000);
  t.equal(find(c, ENDPOINTS, 'default', 'foo'), undefined, 'deleted with its Service');
  const del = writesBy(c, ENDPOINTS).filter((w) => w.verb === 'delete');
  t.equal(del.length, 1);
  t.ok(del[0].atMs - 1_000 < 20, `within milliseconds (${del[0].atMs - 1_000} ms)`);
});

t.test('TestEndpointsDeletionEvents: an Endpoints deleted by someone else is recreated', async (t) => {
  const c = cluster();
  const pod0 = testPod(c, 'default', 0, 1, true);
  createService(c, 'default', 'foo', { selector: { foo: 'bar' }, ports: [{ port: 80, targetPort: 8080 }] });
  settle(c, 1_000);
  at(c, 1_000, () => void c.api.delete(ENDPOINTS, 'foo', { namespace: 'default' }));
  settle(c, 2_000);
  t.same(find(c, ENDPOINTS, 'default', 'foo')?.subsets, [{ addresses: [addr(pod0)], ports: [{ port: 8080, protocol: 'TCP' }] }]);
  t.same(writesBy(c, ENDPOINTS).map((w) => w.verb), ['create', 'create']);
});

t.test('TestLastTriggerChangeTimeAnnotation / AnnotationOverridden: the annotation moves to the latest pod Ready transition', async (t) => {
  const c = cluster();
  existingEndpoints(c, 'other', 'foo', oldSubsets(), { annotations: { [LAST_CHANGE_TRIGGER_TIME]: '2017-12-31T23:00:00Z' } });
  testPod(c, 'other', 0, 1, true);
  const svc = createService(c, 'other', 'foo', { selector: { foo: 'bar' }, ports: [{ port: 80, targetPort: 8080 }] });
  settle(c, 1_000);
  t.equal(find(c, ENDPOINTS, 'other', 'foo')?.metadata.annotations?.[LAST_CHANGE_TRIGGER_TIME], svc.metadata.creationTimestamp, 'first sync: Service creation');
  at(c, 3_500, () => void setPodStatus(c, 'other', 'pod0', { ready: false, ip: '1.2.3.4' }));
  settle(c, 5_000);
  t.equal(find(c, ENDPOINTS, 'other', 'foo')?.metadata.annotations?.[LAST_CHANGE_TRIGGER_TIME], '2026-01-01T00:00:03Z', 'the pod transition (seconds precision, as our timestamps)');
});

t.test('TestPodUpdatesBatching: with a 1 s batch period three pod changes in 200 ms make one write, without one write each', async (t) => {
  for (const [batchMs, writes] of [[0, 3], [1_000, 1]] as const) {
    const c = cluster({ updatesBatchPeriodMs: batchMs });
    for (let i = 0; i < 3; i++) testPod(c, 'other', i, 1, true);
    createService(c, 'other', 'foo', { selector: { foo: 'bar' }, ports: [{ port: 80 }] });
    settle(c, 3_000);
    const before = writesBy(c, ENDPOINTS).length;
    for (let i = 0; i < 3; i++) at(c, 3_000 + 100 * i, () => void setPodStatus(c, 'other', `pod${i}`, { ready: true, ip: `10.0.0.${i}` }));
    settle(c, 6_000);
    t.equal(writesBy(c, ENDPOINTS).length - before, writes, `batch ${batchMs} ms`);
  }
});

t.test('a pod update that changes nothing endpoints care about (annotations, nodeName) triggers no sync', async (t) => {
  const c = cluster();
  testPod(c, 'default', 0, 1, true);
  createService(c, 'default', 'foo', { selector: { foo: 'bar' }, ports: [{ port: 80 }] });
  settle(c, 1_000);
  const reconciles = (): number => c.sim.trace.lines().filter((l) => l.kind === 'reconcile' && l.fields.key === 'default/foo').length;
  const before = reconciles();
  at(c, 1_000, () => void c.api.patch(PODS, 'pod0', { metadata: { annotations: { note: 'x' } } }, { namespace: 'default', patchType: 'merge' }));
  settle(c, 2_000);
  t.equal(reconciles(), before, 'no reconcile for an annotation change');
  at(c, 2_000, () => void setPodStatus(c, 'default', 'pod0', { ready: false }));
  settle(c, 3_000);
  t.equal(reconciles(), before + 1, 'one for a readiness change');
});

t.test('pods that change labels move between Services: both are synced', async (t) => {
  const c = cluster();
  const pod = testPod(c, 'default', 0, 1, true);
  createService(c, 'default', 'blue', { selector: { color: 'blue' }, ports: [{ port: 80 }] });
  createService(c, 'default', 'green', { selector: { color: 'green' }, ports: [{ port: 80 }] });
  c.api.patch(PODS, 'pod0', { metadata: { labels: { color: 'blue' } } }, { namespace: 'default', patchType: 'merge' });
  settle(c, 1_000);
  t.equal(find(c, ENDPOINTS, 'default', 'blue')?.subsets?.[0]?.addresses?.[0]?.ip, pod.status.podIP, 'in blue');
  at(c, 1_000, () => void c.api.patch(PODS, 'pod0', { metadata: { labels: { color: 'green' } } }, { namespace: 'default', patchType: 'merge' }));
  settle(c, 2_000);
  t.equal(find(c, ENDPOINTS, 'default', 'blue')?.subsets, undefined, 'gone from blue');
  t.equal(find(c, ENDPOINTS, 'default', 'green')?.subsets?.[0]?.addresses?.[0]?.ip, pod.status.podIP, 'in green');
});

t.test('TestMultiplePodChanges: with Endpoints deliveries held back, a sync does not write from the Endpoints it already replaced', async (t) => {
  const c = cluster();
  testPod(c, 'default', 0, 1, true);
  createService(c, 'default', 'foo', { selector: { foo: 'bar' }, ports: [{ port: 80, targetPort: 8080 }] });
  settle(c, 1_000);
  c.network.addDeliveryFault({ name: 'slow-endpoints', match: (d) => d.component === 'kube-controller-manager' && d.resource.resource === 'endpoints', fault: { kind: 'delay', extraMs: 500 } });
  at(c, 1_000, () => void setPodStatus(c, 'default', 'pod0', { ready: false }));
  at(c, 1_050, () => void setPodStatus(c, 'default', 'pod0', { ready: true }));
  settle(c, 5_000);
  const conflicts = c.sim.trace.lines().filter((l) => l.kind === 'api' && l.fields.res === 'endpoints' && l.fields.code === 409);
  t.equal(conflicts.length, 0, 'never wrote with a stale resourceVersion');
  t.ok(c.sim.trace.lines().some((l) => l.kind === 'reconcile-error' && String(l.fields.error).includes('out of date')), 'the second sync waited for the cache');
  const ep = find(c, ENDPOINTS, 'default', 'foo');
  t.equal(ep?.subsets?.[0]?.addresses?.length, 1, 'ends ready');
  t.same(writesBy(c, ENDPOINTS).map((w) => w.verb), ['create', 'update', 'update']);
});

t.test('end to end: pods flip ready and not ready; Endpoints follow within milliseconds and never list a pod that was not ready throughout', async (t) => {
  const c = cluster();
  const names = ['a', 'b', 'c'];
  names.forEach((n, i) => createPod(c, 'ns', n, { ports: [{ name: 'http', containerPort: 8080 }], status: { ready: true, ip: `10.0.0.${i + 1}` } }));
  createService(c, 'ns', 'web', { selector: { foo: 'bar' }, ports: [{ port: 80, targetPort: 'http' }] });
  // Readiness timeline the test drives: [atMs, pod, ready].
  const flips: [number, string, boolean][] = [];
  const current = new Map(names.map((n) => [n, true]));
  for (let k = 0; k < 12; k++) {
    const pod = names[(k * 2) % 3];
    current.set(pod, !current.get(pod));
    flips.push([1_000 + 150 * k, pod, current.get(pod)!]);
  }
  const readyAt = (pod: string, ms: number): boolean => {
    let ready = true;
    for (const [when, p, r] of flips) if (p === pod && when <= ms) ready = r;
    return ready;
  };
  const commits: { atMs: number; ready: string[]; notReady: string[] }[] = [];
  c.api.onCommit((ev) => {
    if (ev.resource.plural !== 'endpoints' || ev.type === 'DELETED') return;
    const names_ = (f: string): string[] => ((ev.object.subsets ?? []) as Record<string, { targetRef: { name: string } }[]>[]).flatMap((s) => (s[f] ?? []).map((a) => a.targetRef.name));
    commits.push({ atMs: c.sim.nowMs, ready: names_('addresses'), notReady: names_('notReadyAddresses') });
  });
  for (const [when, pod, ready] of flips) at(c, when, () => void setPodStatus(c, 'ns', pod, { ready }));
  settle(c, 5_000);
  const lagMs = 20;
  for (const commit of commits) {
    for (const pod of commit.ready) {
      const wasReady = Array.from({ length: lagMs + 1 }, (_, d) => readyAt(pod, commit.atMs - d)).some(Boolean);
      t.ok(wasReady, `at ${commit.atMs} ms ${pod} listed ready; it was ready within the last ${lagMs} ms`);
    }
  }
  for (const [when, pod, ready] of flips) {
    const next = commits.find((cm) => cm.atMs >= when && (ready ? cm.ready : cm.notReady).includes(pod));
    t.ok(next !== undefined && next.atMs - when <= lagMs, `${pod} ${ready ? 'ready' : 'not ready'} at ${when} ms shows after ${next ? next.atMs - when : '∞'} ms`);
  }
});

t.test('determinism: the same seed gives the same trace hash, another seed another', async (t) => {
  const run = (seed: number): string => {
    const c = cluster({}, seed);
    for (let i = 0; i < 4; i++) testPod(c, 'ns', i, 1, i % 2 === 0);
    createService(c, 'ns', 'svc', { selector: { foo: 'bar' }, ports: [{ port: 80, targetPort: 'port0' }] });
    for (let k = 0; k < 8; k++) at(c, 500 + 97 * k, () => void setPodStatus(c, 'ns', `pod${k % 4}`, { ready: k % 3 === 0, ip: `1.2.3.${4 + (k % 4)}` }));
    c.sim.run({ untilMs: 3_000 });
    return c.sim.traceHash();
  };
  t.equal(run(11), run(11));
  t.not(run(11), run(12));
});

t.test('a crash loses nothing that matters: after a restart the controller lists again and catches up with changes made while it was down', async (t) => {
  const c = cluster();
  const pod0 = testPod(c, 'default', 0, 1, true);
  createService(c, 'default', 'foo', { selector: { foo: 'bar' }, ports: [{ port: 80, targetPort: 8080 }] });
  settle(c, 1_000);
  at(c, 1_000, () => c.component('kube-controller-manager').crash({ restartAfterMs: 2_000 }));
  at(c, 1_500, () => void setPodStatus(c, 'default', 'pod0', { ready: false }));
  settle(c, 2_900);
  t.same(find(c, ENDPOINTS, 'default', 'foo')?.subsets, [{ addresses: [addr(pod0)], ports: [{ port: 8080, protocol: 'TCP' }] }], 'stale while down');
  settle(c, 5_000);
  t.same(find(c, ENDPOINTS, 'default', 'foo')?.subsets, [{ notReadyAddresses: [addr(pod0)], ports: [{ port: 8080, protocol: 'TCP' }] }], 'caught up after the restart');
});
