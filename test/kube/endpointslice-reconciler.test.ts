// The EndpointSlice reconciler's plans, ported from k8s.io/endpointslice reconciler_test.go
// (TestReconcileEmpty, TestReconcile1Pod, TestReconcileManyPods, TestReconcileEndpointSlicesSomePreexisting,
// TestReconcileEndpointSlicesReplaceDeprecated, placeholder cases) and utils_test.go (podToEndpoint
// conditions, getEndpointPorts, setEndpointSliceLabels).
import t from 'tap';
import type { KubeObject } from '../../src/apiserver/types.js';
import { endpointFor, endpointPortsFor, sliceLabelsFor, type SliceEndpoint } from '../../src/kube/endpointslice-endpoints.js';
import { planEndpointSlices, type SlicePlanInput } from '../../src/kube/endpointslice-reconciler.js';

const CTL = 'endpointslice-controller.k8s.io';

function service(extra: Record<string, unknown> = {}, labels?: Record<string, string>): KubeObject {
  return {
    apiVersion: 'v1', kind: 'Service', metadata: { name: 'foo', namespace: 'test', uid: 'svc-uid', ...(labels ? { labels } : {}) },
    spec: { selector: { foo: 'bar' }, clusterIP: '10.96.1.1', ipFamilies: ['IPv4'], ports: [{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }], ...extra },
  };
}

function pod(i: number, options: { ready?: boolean; terminating?: boolean; node?: string; ports?: unknown[] } = {}): KubeObject {
  const metadata: KubeObject['metadata'] = { name: `pod${String(i).padStart(3, '0')}`, namespace: 'test', uid: `uid-${i}`, labels: { foo: 'bar' } };
  if (options.terminating) metadata.deletionTimestamp = '2026-01-01T00:00:00Z';
  return {
    apiVersion: 'v1', kind: 'Pod', metadata,
    spec: { nodeName: options.node ?? 'node-1', containers: [{ name: 'c', ports: options.ports ?? [{ name: 'http', containerPort: 8080 }] }] },
    status: { phase: 'Running', podIP: `10.${Math.floor(i / 250)}.${i % 250}.1`, conditions: [{ type: 'Ready', status: options.ready === false ? 'False' : 'True' }] },
  };
}

const nodes: Record<string, KubeObject> = { 'node-1': { apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-1', labels: { 'topology.kubernetes.io/zone': 'us-central1-a' } } } };

const input = (over: Partial<SlicePlanInput>): SlicePlanInput => ({
  service: service(), pods: [], existing: [], node: (n) => nodes[n], maxEndpointsPerSlice: 100, controllerName: CTL, ...over,
});

/** Applies a plan the way the API server would (names for creates), to chain syncs. */
function applied(existing: KubeObject[], plan: ReturnType<typeof planEndpointSlices>, counter: { n: number }): KubeObject[] {
  const byName = new Map(existing.map((s) => [s.metadata.name!, s]));
  for (const s of plan.delete) byName.delete(s.metadata.name!);
  for (const s of plan.update) byName.set(s.metadata.name!, s);
  for (const s of plan.create) {
    const name = `${s.metadata.generateName}${String(counter.n++).padStart(3, '0')}`;
    byName.set(name, { ...s, metadata: { ...s.metadata, name } });
  }
  return [...byName.values()].sort((a, b) => (a.metadata.name! < b.metadata.name! ? -1 : 1));
}

const sizes = (slices: KubeObject[]): number[] => slices.map((s) => (s.endpoints as unknown[]).length);

t.test('TestReconcileEmpty: no pods, one placeholder slice with no ports and no endpoints', async (t) => {
  const plan = planEndpointSlices(input({}));
  t.equal(plan.create.length, 1);
  const slice = plan.create[0];
  t.equal(slice.metadata.generateName, 'foo-');
  t.same(slice.metadata.labels, { 'kubernetes.io/service-name': 'foo', 'endpointslice.kubernetes.io/managed-by': CTL });
  t.same(slice.metadata.ownerReferences, [{ apiVersion: 'v1', kind: 'Service', name: 'foo', uid: 'svc-uid', controller: true, blockOwnerDeletion: true }]);
  t.same([slice.addressType, slice.ports, slice.endpoints], ['IPv4', [], []]);
  const again = planEndpointSlices(input({ existing: [{ ...slice, metadata: { ...slice.metadata, name: 'foo-abc' } }] }));
  t.same([again.create, again.update, again.delete], [[], [], []], 'an existing placeholder is kept as it is');
});

t.test('TestReconcile1Pod: one endpoint with conditions, node, zone, hostname and targetRef', async (t) => {
  const p = pod(1);
  p.spec.hostname = 'example-hostname';
  p.spec.subdomain = 'foo';
  const plan = planEndpointSlices(input({ pods: [p], service: service({}, { foo: 'bar', 'kubernetes.io/service-name': 'bad', 'endpointslice.kubernetes.io/managed-by': 'actor', 'service.kubernetes.io/headless': 'invalid' }) }));
  t.equal(plan.create.length, 1);
  const slice = plan.create[0];
  t.same(slice.ports, [{ name: 'http', port: 8080, protocol: 'TCP' }]);
  t.same(slice.endpoints, [{
    addresses: ['10.0.1.1'], conditions: { ready: true, serving: true, terminating: false }, hostname: 'example-hostname',
    targetRef: { kind: 'Pod', namespace: 'test', name: 'pod001', uid: 'uid-1' }, nodeName: 'node-1', zone: 'us-central1-a',
  }]);
  t.same(slice.metadata.labels, { foo: 'bar', 'kubernetes.io/service-name': 'foo', 'endpointslice.kubernetes.io/managed-by': CTL }, 'Service labels copied, its reserved ones ignored');
});

t.test('endpoint conditions: terminating pods stay listed, not ready; serving follows readiness; publishNotReadyAddresses makes all ready', async (t) => {
  const rows: [string, { ready: boolean; terminating: boolean }, boolean, SliceEndpoint['conditions']][] = [
    ['ready', { ready: true, terminating: false }, false, { ready: true, serving: true, terminating: false }],
    ['not ready', { ready: false, terminating: false }, false, { ready: false, serving: false, terminating: false }],
    ['ready and terminating', { ready: true, terminating: true }, false, { ready: false, serving: true, terminating: true }],
    ['not ready and terminating', { ready: false, terminating: true }, false, { ready: false, serving: false, terminating: true }],
    ['publishNotReadyAddresses, not ready', { ready: false, terminating: false }, true, { ready: true, serving: false, terminating: false }],
    ['publishNotReadyAddresses, terminating', { ready: true, terminating: true }, true, { ready: true, serving: true, terminating: true }],
  ];
  for (const [name, state, publish, conditions] of rows) {
    const svc = service({ publishNotReadyAddresses: publish });
    t.same(endpointFor(pod(1, state), nodes['node-1'], svc, 'IPv4').conditions, conditions, name);
    const plan = planEndpointSlices(input({ service: svc, pods: [pod(1, state)] }));
    t.equal((plan.create[0].endpoints as unknown[]).length, 1, `${name}: listed in the slice`);
  }
});

t.test('getEndpointPorts: the Service ports the pod serves (named lookups), none for a headless Service without ports', async (t) => {
  const svc = service({ ports: [{ name: 'http', port: 80, targetPort: 'http' }, { name: 'metrics', port: 9090, targetPort: 'metrics' }] });
  t.same(endpointPortsFor(svc, pod(1)), [{ name: 'http', port: 8080, protocol: 'TCP' }], 'metrics not exposed by the pod');
  t.same(endpointPortsFor(service({ clusterIP: 'None', ports: [] }), pod(1)), []);
});

t.test('TestReconcileManyPods: 250 pods make 100-endpoint slices (100, 100, 50)', async (t) => {
  const pods = Array.from({ length: 250 }, (_, i) => pod(i));
  const plan = planEndpointSlices(input({ pods }));
  t.same(sizes(plan.create), [100, 100, 50]);
  t.same([plan.update.length, plan.delete.length], [0, 0]);
  const small = planEndpointSlices(input({ pods: pods.slice(0, 25), maxEndpointsPerSlice: 10 }));
  t.same(sizes(small.create), [10, 10, 5], 'maxEndpointsPerSlice honoured');
});

t.test('minimal churn: new pods go into the slice they fill best, removed pods leave their slice in place, no-op syncs write nothing', async (t) => {
  const counter = { n: 0 };
  const pods = Array.from({ length: 250 }, (_, i) => pod(i));
  let slices = applied([], planEndpointSlices(input({ pods })), counter);
  t.same(planEndpointSlices(input({ pods, existing: slices })), { create: [], update: [], delete: [], errors: [] }, 'nothing to do');
  const more = [...pods, ...Array.from({ length: 10 }, (_, i) => pod(250 + i))];
  const grow = planEndpointSlices(input({ pods: more, existing: slices }));
  t.same([grow.create.length, grow.update.length, grow.delete.length], [0, 1, 0], 'one slice updated');
  t.same(sizes(grow.update), [60], 'the half-full slice took them');
  slices = applied(slices, grow, counter);
  const fewer = more.filter((_, i) => i % 100 !== 7);
  const shrink = planEndpointSlices(input({ pods: fewer, existing: slices }));
  t.same([shrink.create.length, shrink.delete.length], [0, 0]);
  t.same(sizes(shrink.update).sort(), [59, 99, 99], 'each slice lost its pod, in place');
  t.same(planEndpointSlices(input({ pods: more.slice(0, 0), existing: applied(slices, shrink, counter) })).update.length, 1, 'all gone: the last slice is recycled as the placeholder');
});

t.test('a readiness change updates the endpoint in its slice, without moving it', async (t) => {
  const counter = { n: 0 };
  const pods = [pod(1), pod(2)];
  const slices = applied([], planEndpointSlices(input({ pods })), counter);
  const plan = planEndpointSlices(input({ pods: [pod(1), pod(2, { ready: false })], existing: slices }));
  t.equal(plan.update.length, 1);
  t.equal(plan.update[0].metadata.name, slices[0].metadata.name);
  t.same((plan.update[0].endpoints as SliceEndpoint[]).map((e) => e.conditions.ready), [true, false]);
});

t.test('placeholder recycling: the first pod turns the placeholder into its slice (a renamed update, no delete and create)', async (t) => {
  const counter = { n: 0 };
  const slices = applied([], planEndpointSlices(input({})), counter);
  const plan = planEndpointSlices(input({ pods: [pod(1)], existing: slices }));
  t.same([plan.create.length, plan.delete.length], [0, 0]);
  t.equal(plan.update.length, 1);
  t.equal(plan.update[0].metadata.name, slices[0].metadata.name, 'same name');
  t.same(plan.update[0].ports, [{ name: 'http', port: 8080, protocol: 'TCP' }]);
});

t.test('pods with different port sets get separate slices; slices of another owner or address type are deleted', async (t) => {
  const pods = [pod(1), pod(2, { ports: [{ name: 'other', containerPort: 9090 }] })];
  const svc = service({ ports: [{ name: 'http', port: 80, targetPort: 'http' }] });
  const plan = planEndpointSlices(input({ service: svc, pods }));
  t.same(plan.create.map((s) => s.ports), [[{ name: 'http', port: 8080, protocol: 'TCP' }], []], 'one slice per port set (pod2 serves none)');
  const foreign = { ...plan.create[0], metadata: { ...plan.create[0].metadata, name: 'foo-old', ownerReferences: [{ apiVersion: 'v1', kind: 'Service', name: 'foo', uid: 'old-uid' }] } };
  const v6 = { ...plan.create[0], addressType: 'IPv6', metadata: { ...plan.create[0].metadata, name: 'foo-v6' } };
  const next = planEndpointSlices(input({ service: svc, pods, existing: [foreign, v6] }));
  t.same(next.delete.map((s) => s.metadata.name), ['foo-old', 'foo-v6'], 'both deleted');
  t.equal(next.create.length, 2, 'the desired slices are created (neither doomed slice can be reused: other owner, other type)');
});

t.test('a pod on an unknown node is skipped with an error, unless the Service publishes not-ready addresses', async (t) => {
  const pods = [pod(1), pod(2, { node: 'gone' })];
  const plan = planEndpointSlices(input({ pods }));
  t.equal((plan.create[0].endpoints as unknown[]).length, 1);
  t.match(plan.errors, [/skipping Pod pod002 for Service test\/foo: Node gone Not Found/]);
  const published = planEndpointSlices(input({ pods, service: service({ publishNotReadyAddresses: true }) }));
  t.same([(published.create[0].endpoints as unknown[]).length, published.errors], [2, []]);
});

t.test('setEndpointSliceLabels: labels follow the Service; the headless label marks Services without a ClusterIP', async (t) => {
  const slice = planEndpointSlices(input({})).create[0];
  t.same(sliceLabelsFor(slice, service({}, { a: 'b' }), CTL), { labels: { a: 'b', 'kubernetes.io/service-name': 'foo', 'endpointslice.kubernetes.io/managed-by': CTL }, changed: true });
  t.same(sliceLabelsFor(slice, service({ clusterIP: 'None' }), CTL).labels['service.kubernetes.io/headless'], '');
  t.equal(sliceLabelsFor(slice, service(), CTL).changed, false);
});
