// Pod predicates shared by the Endpoints and EndpointSlice controllers, ported from
// k8s.io/endpointslice util/controller_utils_test.go (TestShouldPodBeInEndpoints, Test_podChanged,
// TestDetermineNeededServiceUpdates, TestShouldSetHostname, TestGetPodServicesToUpdate) and
// utils_test.go / pod util_test.go (FindPort).
import t from 'tap';
import type { KubeObject } from '../../src/apiserver/types.js';
import type { Informer } from '../../src/client/informer.js';
import {
  determineNeededServiceUpdates, findPort, podEndpointsChanged, podIPs, servicesSelecting, servicesToUpdateOnPodChange,
  shouldPodBeInEndpoints, shouldSetHostname,
} from '../../src/kube/endpoint-pods.js';
import { SERVICES } from '../../src/kube/resources.js';
import { createService, kcmCluster } from './kcm-fixtures.js';

function pod(spec: Record<string, unknown> = {}, status: Record<string, unknown> = {}, meta: Partial<KubeObject['metadata']> = {}): KubeObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'pod', namespace: 'test', labels: { foo: 'bar' }, ...meta }, spec, status };
}

t.test('TestShouldPodBeInEndpoints', async (t) => {
  const deleting = { deletionTimestamp: '2026-01-01T00:00:00Z' };
  const rows: [string, KubeObject, boolean, boolean][] = [
    ['Failed pod with Never RestartPolicy', pod({ restartPolicy: 'Never' }, { phase: 'Failed', podIP: '1.2.3.4' }), false, false],
    ['Succeeded pod with Never RestartPolicy', pod({ restartPolicy: 'Never' }, { phase: 'Succeeded', podIP: '1.2.3.4' }), false, false],
    ['Succeeded pod with OnFailure RestartPolicy', pod({ restartPolicy: 'OnFailure' }, { phase: 'Succeeded', podIP: '1.2.3.4' }), false, false],
    ['Empty Pod IPs, Running pod', pod({ restartPolicy: 'Never' }, { phase: 'Running', podIP: '', podIPs: [] }), false, false],
    ['Terminating Pod with includeTerminating=false', pod({}, { phase: 'Running', podIP: '1.2.3.4' }, deleting), false, false],
    ['Failed pod with Always RestartPolicy', pod({ restartPolicy: 'Always' }, { phase: 'Failed', podIP: '1.2.3.4' }), false, false],
    ['Pending pod with Never RestartPolicy', pod({ restartPolicy: 'Never' }, { phase: 'Pending', podIP: '1.2.3.4' }), false, true],
    ['Unknown pod with OnFailure RestartPolicy', pod({ restartPolicy: 'OnFailure' }, { phase: 'Unknown', podIP: '1.2.3.4' }), false, true],
    ['Running pod with Never RestartPolicy', pod({ restartPolicy: 'Never' }, { phase: 'Running', podIP: '1.2.3.4' }), false, true],
    ['Multiple Pod IPs, Running pod', pod({}, { phase: 'Running', podIPs: [{ ip: '1.2.3.4' }, { ip: '1234::5678:0000:0000:9abc:def0' }] }), false, true],
    ['Terminating Pod with includeTerminating=true', pod({}, { phase: 'Running', podIP: '1.2.3.4' }, deleting), true, true],
  ];
  for (const [name, p, includeTerminating, expected] of rows) t.equal(shouldPodBeInEndpoints(p, includeTerminating), expected, name);
});

t.test('podIPs: status.podIPs, or status.podIP alone (the API server keeps them in step; ours does not)', async (t) => {
  t.same(podIPs(pod({}, { podIP: '1.2.3.4' })), ['1.2.3.4']);
  t.same(podIPs(pod({}, { podIP: '1.2.3.4', podIPs: [{ ip: '1.2.3.4' }, { ip: 'fd00::1' }] })), ['1.2.3.4', 'fd00::1']);
  t.same(podIPs(pod()), []);
});

t.test('Test_podChanged', async (t) => {
  const base = (): KubeObject => pod({}, { conditions: [{ type: 'Ready', status: 'False' }] }, { labels: { foo: 'bar' }, resourceVersion: '1' });
  type Mod = (old: KubeObject, cur: KubeObject) => void;
  const rows: [string, Mod, boolean, boolean][] = [
    ['no changes', () => undefined, false, false],
    ['change NodeName (set before the pod has an IP, so ignored)', (_o, n) => { n.spec.nodeName = 'changed'; }, false, false],
    ['change ResourceVersion', (_o, n) => { n.metadata.resourceVersion = 'changed'; }, false, false],
    ['add primary IPv4', (_o, n) => { n.status.podIP = '1.2.3.4'; n.status.podIPs = [{ ip: '1.2.3.4' }]; }, true, false],
    ['modify primary IPv4', (o, n) => { o.status.podIP = '1.2.3.4'; o.status.podIPs = [{ ip: '1.2.3.4' }]; n.status.podIP = '2.3.4.5'; n.status.podIPs = [{ ip: '2.3.4.5' }]; }, true, false],
    ['add primary IPv6', (_o, n) => { n.status.podIP = 'fd00:10:96::1'; n.status.podIPs = [{ ip: 'fd00:10:96::1' }]; }, true, false],
    ['modify primary IPv6', (o, n) => { o.status.podIPs = [{ ip: 'fd00:10:96::1' }]; n.status.podIPs = [{ ip: 'fd00:10:96::2' }]; }, true, false],
    ['add secondary IP', (o, n) => { o.status.podIPs = [{ ip: '1.2.3.4' }]; n.status.podIPs = [{ ip: '1.2.3.4' }, { ip: 'fd00:10:96::1' }]; }, true, false],
    ['modify secondary IP', (o, n) => { o.status.podIPs = [{ ip: '1.2.3.4' }, { ip: 'fd00:10:96::1' }]; n.status.podIPs = [{ ip: '1.2.3.4' }, { ip: 'fd00:10:96::2' }]; }, true, false],
    ['remove secondary IP', (o, n) => { o.status.podIPs = [{ ip: '1.2.3.4' }, { ip: 'fd00:10:96::1' }]; n.status.podIPs = [{ ip: '1.2.3.4' }]; }, true, false],
    ['change readiness', (_o, n) => { n.status.conditions[0].status = 'True'; }, true, false],
    ['mark for deletion', (_o, n) => { n.metadata.deletionTimestamp = '2026-01-01T00:00:00Z'; }, true, false],
    ['add label', (_o, n) => { n.metadata.labels!.label = 'new'; }, false, true],
    ['modify label', (o, n) => { o.metadata.labels!.label = 'old'; n.metadata.labels!.label = 'new'; }, false, true],
    ['remove label', (o) => { o.metadata.labels!.label = 'old'; }, false, true],
    ['change hostname', (_o, n) => { n.spec.hostname = 'h'; }, false, true],
  ];
  for (const [name, modify, podChanged, labelsChanged] of rows) {
    const old = base();
    const cur = base();
    modify(old, cur);
    t.same(podEndpointsChanged(old, cur), { podChanged, labelsChanged }, name);
  }
});

t.test('TestDetermineNeededServiceUpdates: the union when the pod changed, else only the Services it joined or left', async (t) => {
  const rows: [string, string[], string[], string[], string[]][] = [
    ['no services changed', ['a', 'b', 'c'], ['a', 'b', 'c'], [], ['a', 'b', 'c']],
    ['all old services removed, new services added', ['a', 'b', 'c'], ['d', 'e', 'f'], ['a', 'b', 'c', 'd', 'e', 'f'], ['a', 'b', 'c', 'd', 'e', 'f']],
    ['all old services removed, no new services added', ['a', 'b', 'c'], [], ['a', 'b', 'c'], ['a', 'b', 'c']],
    ['no old services, but new services added', [], ['a', 'b', 'c'], ['a', 'b', 'c'], ['a', 'b', 'c']],
    ['one service removed, one service added, two unchanged', ['a', 'b', 'c'], ['b', 'c', 'd'], ['a', 'd'], ['a', 'b', 'c', 'd']],
    ['no services', [], [], [], []],
  ];
  for (const [name, a, b, xor, union] of rows) {
    t.same(determineNeededServiceUpdates(a, b, false), xor, `${name} (podChanged=false)`);
    t.same(determineNeededServiceUpdates(a, b, true), union, `${name} (podChanged=true)`);
  }
});

t.test('TestShouldSetHostname', async (t) => {
  const svc = (ns: string, name: string): KubeObject => ({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: ns } });
  const p = (ns: string, hostname: string, subdomain: string): KubeObject => pod({ hostname, subdomain }, {}, { namespace: ns });
  t.equal(shouldSetHostname(p('ns', 'foo', 'svc-name'), svc('ns', 'svc-name')), true, 'all matching');
  t.equal(shouldSetHostname(p('ns', '', 'svc-name'), svc('ns', 'svc-name')), false, 'all matching, hostname not set');
  t.equal(shouldSetHostname(p('ns', 'hostname', 'subdomain'), svc('ns', 'name')), false, 'all set, different name/subdomain');
  t.equal(shouldSetHostname(p('ns1', 'hostname', 'svc-name'), svc('ns2', 'svc-name')), false, 'all set, different namespace');
});

t.test('FindPort: numbers as they are; names by name and protocol (TCP by default), containers then sidecars', async (t) => {
  const p = pod({
    containers: [{ name: 'a', ports: [{ name: 'http', containerPort: 8080 }, { name: 'dns', containerPort: 53, protocol: 'UDP' }] }],
    initContainers: [{ name: 'side', restartPolicy: 'Always', ports: [{ name: 'proxy', containerPort: 15001 }] }, { name: 'init', ports: [{ name: 'setup', containerPort: 9000 }] }],
  });
  t.equal(findPort(p, { port: 80, targetPort: 8088 }), 8088, 'a number is used even if no container exposes it');
  t.equal(findPort(p, { port: 80 }), 80, 'no targetPort: the port');
  t.equal(findPort(p, { port: 80, targetPort: 'http' }), 8080, 'by name');
  t.equal(findPort(p, { port: 80, targetPort: 'http', protocol: 'UDP' }), undefined, 'name with another protocol');
  t.equal(findPort(p, { port: 53, targetPort: 'dns', protocol: 'UDP' }), 53, 'UDP by name');
  t.equal(findPort(p, { port: 80, targetPort: 'proxy' }), 15001, 'sidecar port');
  t.equal(findPort(p, { port: 80, targetPort: 'setup' }), undefined, 'plain init container port');
  t.equal(findPort(p, { port: 80, targetPort: 'missing' }), undefined, 'no such name');
});

t.test('TestGetPodServicesToUpdate: pods map to the Services of their namespace that select them; updates by what changed', async (t) => {
  let services: Informer | undefined;
  const c = kcmCluster((ctx) => { services = ctx.informer(SERVICES); });
  for (let i = 0; i < 3; i++) createService(c, 'test', `service-${i}`, { selector: { app: `test-${i}` }, ports: [{ port: 80 }] });
  createService(c, 'test', 'no-selector', { ports: [{ port: 80 }] });
  createService(c, 'other', 'service-0', { selector: { app: 'test-0' }, ports: [{ port: 80 }] });
  c.sim.run({ untilMs: 100 });
  const p = (i: number, rv = '1', labels?: Record<string, string>): KubeObject => pod({}, {}, { name: `test-pod-${i}`, labels: labels ?? { app: `test-${i}`, label: `label-${i}` }, resourceVersion: rv });
  for (let i = 0; i < 5; i++) t.same(servicesSelecting(services!, 'test', p(i).metadata.labels), i < 3 ? [`test/service-${i}`] : [], `pod-${i}`);
  t.same(servicesToUpdateOnPodChange(services!, p(0), p(0)), [], 'a resync (same resourceVersion) enqueues nothing');
  t.same(servicesToUpdateOnPodChange(services!, p(0), p(0, '2', { app: 'test-1' })), ['test/service-0', 'test/service-1'], 'moved between Services: both');
  const ready = p(0, '3');
  ready.status.conditions = [{ type: 'Ready', status: 'True' }];
  t.same(servicesToUpdateOnPodChange(services!, p(0), ready), ['test/service-0'], 'readiness change: the Services selecting it');
});
