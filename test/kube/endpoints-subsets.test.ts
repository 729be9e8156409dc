// The pieces of the Endpoints controller's sync that are pure functions, ported from
// k8s.io/kubernetes pkg/controller/endpoint/endpoints_controller_test.go (TestTruncateEndpoints,
// TestEndpointSubsetsEqualIgnoreResourceVersion, TestPodToEndpointAddressForService,
// TestEndpointPortFromServicePort) and trigger_time_tracker_test.go.
import t from 'tap';
import type { KubeObject } from '../../src/apiserver/types.js';
import { desiredSubsets, endpointAddressFor, subsetsEqual, truncateEndpoints } from '../../src/kube/endpoints-subsets.js';
import type { EndpointSubset } from '../../src/kube/repack-subsets.js';
import { formatRfc3339Nano, TriggerTimeTracker } from '../../src/kube/trigger-time-tracker.js';

t.test('TestTruncateEndpoints: ready addresses first, the rest shared in proportion', async (t) => {
  const rows: [string, number[], number[], number[], number[]][] = [
    ['empty', [], [], [], []],
    ['total endpoints < max capacity', [50, 100, 100, 100, 100], [50, 100, 100, 100, 100], [50, 100, 100, 100, 100], [50, 100, 100, 100, 100]],
    ['total endpoints = max capacity', [100, 100, 100, 100, 100], [100, 100, 100, 100, 100], [100, 100, 100, 100, 100], [100, 100, 100, 100, 100]],
    ['total ready endpoints < max capacity, but total endpoints > max capacity', [90, 110, 50, 10, 20], [101, 200, 200, 201, 298], [90, 110, 50, 10, 20], [73, 144, 144, 145, 214]],
    ['total ready endpoints > max capacity', [205, 400, 402, 400, 693], [100, 200, 200, 200, 300], [98, 191, 192, 191, 328], [0, 0, 0, 0, 0]],
  ];
  for (const [name, ready, notReady, wantReady, wantNotReady] of rows) {
    const fill = (n: number): { ip: string }[] => Array.from({ length: n }, (_, i) => ({ ip: `10.0.${Math.floor(i / 250)}.${i % 250}` }));
    const subsets: EndpointSubset[] = ready.map((n, i) => ({ addresses: fill(n), notReadyAddresses: fill(notReady[i]) }));
    const truncated = truncateEndpoints(subsets);
    t.same(subsets.map((s) => s.addresses?.length ?? 0), wantReady, `${name}: ready`);
    t.same(subsets.map((s) => s.notReadyAddresses?.length ?? 0), wantNotReady, `${name}: not ready`);
    t.equal(truncated, ready.reduce((x, y) => x + y, 0) + notReady.reduce((x, y) => x + y, 0) > 1000, `${name}: reported`);
  }
});

t.test('TestEndpointSubsetsEqualIgnoreResourceVersion', async (t) => {
  const es1: EndpointSubset = {
    addresses: [{ ip: '1.1.1.1', targetRef: { kind: 'Pod', name: 'pod1-1', namespace: 'ns', resourceVersion: '1' } }],
    notReadyAddresses: [{ ip: '1.1.1.2', targetRef: { kind: 'Pod', name: 'pod1-2', namespace: 'ns2', resourceVersion: '2' } }],
    ports: [{ port: 8081, protocol: 'TCP' }],
  };
  const es2: EndpointSubset = {
    addresses: [{ ip: '2.2.2.1', targetRef: { kind: 'Pod', name: 'pod2-1', namespace: 'ns', resourceVersion: '3' } }],
    notReadyAddresses: [{ ip: '2.2.2.2', targetRef: { kind: 'Pod', name: 'pod2-2', namespace: 'ns2', resourceVersion: '4' } }],
    ports: [{ port: 8082, protocol: 'TCP' }],
  };
  const mut = (s: EndpointSubset, fn: (x: EndpointSubset) => void): EndpointSubset => {
    const copy = JSON.parse(JSON.stringify(s)) as EndpointSubset;
    fn(copy);
    return copy;
  };
  t.equal(subsetsEqual([es1, es2], [es1]), false, 'Subsets removed');
  t.equal(subsetsEqual([es1, es2], [mut(es1, (s) => { s.addresses![0].ip = '1.1.1.10'; }), es2]), false, 'Ready Pod IP changed');
  t.equal(subsetsEqual([es1, es2], [es1, mut(es2, (s) => { s.notReadyAddresses![0].ip = '2.2.2.10'; })]), false, 'NotReady Pod IP changed');
  t.equal(subsetsEqual([es1, es2], [es1, mut(es2, (s) => { s.addresses![0].targetRef!.resourceVersion = '100'; })]), true, 'Pod ResourceVersion changed');
  t.equal(subsetsEqual([es1, es2], [es1, mut(es2, (s) => { delete s.addresses![0].targetRef!.resourceVersion; })]), true, 'Pod ResourceVersion removed');
  t.equal(subsetsEqual([es1, es2], [es1, mut(es1, (s) => { s.ports![0].port = 8082; })]), false, 'Ports changed');
  t.equal(subsetsEqual(undefined, []), true, 'absent and empty are the same');
  t.equal(subsetsEqual([{ addresses: [{ ip: '1.1.1.1' }] }], [{ addresses: [{ ip: '1.1.1.1' }], notReadyAddresses: [], ports: [] }]), true, 'empty lists in a subset too');
});

function podWithIps(ips: string[]): KubeObject {
  return {
    apiVersion: 'v1', kind: 'Pod', metadata: { name: 'pod0', namespace: 'test', uid: 'uid-0' },
    spec: { nodeName: 'node-1' }, status: { podIP: ips[0], podIPs: ips.map((ip) => ({ ip })) },
  };
}
const svc = (spec: Record<string, unknown>): KubeObject => ({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'svc', namespace: 'test' }, spec });

t.test('TestPodToEndpointAddressForService: the address family follows ipFamilies, else the ClusterIP, else the pod IP', async (t) => {
  const v4 = ['1.2.3.4'];
  const v6 = ['2000::4'];
  const v4v6 = ['1.2.3.4', '2000::4'];
  const v6v4 = ['2000::4', '1.2.3.4'];
  const rows: [string, string[], Record<string, unknown>, string | undefined][] = [
    ['v4 service, in a single stack cluster', v4, { clusterIP: '10.0.0.1' }, '1.2.3.4'],
    ['v4 service, in a dual stack cluster', v4v6, { clusterIP: '10.0.0.1' }, '1.2.3.4'],
    ['v4 service, in a dual stack ipv6-primary cluster', v6v4, { clusterIP: '10.0.0.1' }, '1.2.3.4'],
    ['v4 headless service, in a single stack cluster', v4, { clusterIP: 'None' }, '1.2.3.4'],
    ['v4 headless service, in a dual stack cluster', v4v6, { clusterIP: 'None', ipFamilies: ['IPv4'] }, '1.2.3.4'],
    ['v4 legacy headless service, in a dual stack cluster', v4v6, { clusterIP: 'None' }, '1.2.3.4'],
    ['v4 legacy headless service, in a dual stack ipv6-primary cluster', v6v4, { clusterIP: 'None' }, '2000::4'],
    ['v6 service, in a dual stack cluster', v4v6, { clusterIP: '3000::1' }, '2000::4'],
    ['v6 headless service, in a single stack cluster', v6, { clusterIP: 'None' }, '2000::4'],
    ['v6 headless service, in a dual stack cluster (new api-server)', v4v6, { clusterIP: 'None', ipFamilies: ['IPv6'] }, '2000::4'],
    ['v6 legacy headless service, in a dual stack cluster (old api-server)', v4v6, { clusterIP: 'None' }, '1.2.3.4'],
    ['v6 service, in a v4 only cluster', v4, { clusterIP: '3000::1' }, undefined],
  ];
  for (const [name, ips, spec, want] of rows) {
    const address = endpointAddressFor(svc(spec), podWithIps(ips));
    t.equal(address?.ip, want, name);
    if (address) t.same(address, { ip: want, nodeName: 'node-1', targetRef: { kind: 'Pod', namespace: 'test', name: 'pod0', uid: 'uid-0' } }, `${name}: node and targetRef (no resourceVersion)`);
  }
});

t.test('TestEndpointPortFromServicePort: appProtocol is carried over when set', async (t) => {
  const pod = { ...podWithIps(['1.2.3.4']), status: { podIP: '1.2.3.4', conditions: [{ type: 'Ready', status: 'True' }] } };
  const withApp = desiredSubsets(svc({ selector: { a: 'b' }, ports: [{ name: 'test', port: 80, appProtocol: 'http' }] }), [pod]);
  const without = desiredSubsets(svc({ selector: { a: 'b' }, ports: [{ name: 'test', port: 80 }] }), [pod]);
  t.same(withApp[0].ports, [{ name: 'test', port: 80, protocol: 'TCP', appProtocol: 'http' }], 'http app protocol');
  t.same(without[0].ports, [{ name: 'test', port: 80, protocol: 'TCP' }], 'empty app protocol');
});

t.test('TriggerTimeTracker: the Service creation first, then the earliest trigger that moved, nothing when nothing moved', async (t) => {
  const tracker = new TriggerTimeTracker();
  const service = { ...svc({}), metadata: { name: 'svc', namespace: 'test', creationTimestamp: '2026-01-01T00:00:00Z' } };
  const p = (name: string, transition: string): KubeObject => ({
    apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'test' },
    status: { conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: transition }] },
  });
  t.equal(tracker.compute(service, [p('a', '2026-01-01T00:00:05Z')]), '2026-01-01T00:00:00Z', 'new Service: its creationTimestamp');
  t.equal(tracker.compute(service, [p('a', '2026-01-01T00:00:05Z')]), undefined, 'nothing moved: clear the annotation');
  t.equal(tracker.compute(service, [p('a', '2026-01-01T00:00:09Z'), p('b', '2026-01-01T00:00:07Z')]), '2026-01-01T00:00:07Z', 'the earliest of the moved ones');
  tracker.forget('test', 'svc');
  t.equal(tracker.compute(service, []), '2026-01-01T00:00:00Z', 'forgotten: new again');
  t.equal(formatRfc3339Nano(Date.UTC(2018, 0, 1, 0, 0, 0, 500)), '2018-01-01T00:00:00.5Z', 'RFC3339Nano drops trailing zeros');
  t.equal(formatRfc3339Nano(Date.UTC(2018, 0, 1)), '2018-01-01T00:00:00Z', 'and the fraction when whole');
});
