// Ports of knative/serving pkg/reconciler/serverlessservice/serverlessservice_test.go (TestReconcile
// rows decided by the endpoints logic; TestSubsetEndpoints) and resources/services_test.go
// (TestFilterSubsetPorts; TestMakeEndpoints' subsets) against decidePublicEndpoints and helpers.
import t from 'tap';
import type { EndpointSubset } from '../../../src/knative/kpa/endpoints-types.js';
import type { SksMode } from '../../../src/knative/kpa/pa-types.js';
import {
  BACKEND_HTTPS_PORT, decidePublicEndpoints, effectiveSksMode, filterSubsetPorts, readyAddressCount, sksIsReady, subsetEndpoints,
  type ProtocolType,
} from '../../../src/knative/kpa/sks-endpoints.js';

/** functional.go WithSubsets. */
const withSubsets = (): EndpointSubset[] => [{ addresses: [{ ip: '127.0.0.1' }], ports: [{ port: 8012 }, { port: 8013 }] }];
/** serverlessservice_test.go withOtherSubsets. */
const withOtherSubsets = (): EndpointSubset[] => [{ addresses: [{ ip: '127.0.0.2' }], ports: [{ port: 8013 }, { port: 8012 }] }];
/** serverlessservice_test.go withNSubsets. */
function withNSubsets(numSubsets: number, numAddresses: number): EndpointSubset[] {
  return Array.from({ length: numSubsets }, (_, i) => ({
    ports: [{ port: 8012 }, { port: 8013 }],
    addresses: Array.from({ length: numAddresses }, (_, j) => ({ ip: `10.1.${i + 1}.${j + 1}` })),
  }));
}
const only = (ip: string, port: number): EndpointSubset[] => [{ addresses: [{ ip }], ports: [{ port }] }];

interface Row {
  name: string;
  sksName?: string;
  specMode: SksMode;
  numActivators?: number;
  protocol?: ProtocolType;
  privateSubsets?: EndpointSubset[];
  activatorSubsets?: EndpointSubset[];
  want: { mode: SksMode; subsets: EndpointSubset[] | undefined; endpoints: 'True' | 'Unknown'; activator: 'True' | 'False' };
}

const rows: Row[] = [
  { name: 'steady state', specMode: 'Serve', privateSubsets: withSubsets(), activatorSubsets: withSubsets(), want: { mode: 'Serve', subsets: only('127.0.0.1', 8012), endpoints: 'True', activator: 'False' } },
  { name: 'force proxy mode, no endpoints', specMode: 'Serve', activatorSubsets: withSubsets(), want: { mode: 'Proxy', subsets: only('127.0.0.1', 8012), endpoints: 'Unknown', activator: 'True' } },
  { name: 'force serve mode, no endpoints', specMode: 'Proxy', privateSubsets: withOtherSubsets(), want: { mode: 'Serve', subsets: only('127.0.0.2', 8012), endpoints: 'True', activator: 'True' } },
  { name: 'steady switch to proxy mode, with retry', specMode: 'Proxy', activatorSubsets: withSubsets(), want: { mode: 'Proxy', subsets: only('127.0.0.1', 8012), endpoints: 'Unknown', activator: 'True' } },
  { name: 'steady switch to proxy mode, subset all', sksName: 'to-proxy-with-subset', specMode: 'Proxy', numActivators: 8, activatorSubsets: withNSubsets(2, 4), want: { mode: 'Proxy', subsets: filterSubsetPorts(8012, withNSubsets(2, 4)), endpoints: 'Unknown', activator: 'True' } },
  { name: 'steady switch to proxy mode with endpoints', specMode: 'Proxy', privateSubsets: withOtherSubsets(), activatorSubsets: withSubsets(), want: { mode: 'Proxy', subsets: only('127.0.0.1', 8012), endpoints: 'True', activator: 'True' } },
  { name: 'pod change', specMode: 'Serve', privateSubsets: withOtherSubsets(), activatorSubsets: withSubsets(), want: { mode: 'Serve', subsets: only('127.0.0.2', 8012), endpoints: 'True', activator: 'False' } },
  { name: 'proxy mode; pod change - activator', specMode: 'Serve', protocol: 'h2c', activatorSubsets: withOtherSubsets(), want: { mode: 'Proxy', subsets: only('127.0.0.2', 8013), endpoints: 'Unknown', activator: 'True' } },
  { name: 'serving mode; serving pod comes online', specMode: 'Serve', privateSubsets: withSubsets(), activatorSubsets: withOtherSubsets(), want: { mode: 'Serve', subsets: only('127.0.0.1', 8012), endpoints: 'True', activator: 'False' } },
  { name: 'serving mode; no backend endpoints', specMode: 'Serve', protocol: 'h2c', activatorSubsets: withOtherSubsets(), want: { mode: 'Proxy', subsets: only('127.0.0.2', 8013), endpoints: 'Unknown', activator: 'True' } },
  { name: 'OnCreate-no-eps', specMode: 'Serve', activatorSubsets: withSubsets(), want: { mode: 'Proxy', subsets: only('127.0.0.1', 8012), endpoints: 'Unknown', activator: 'True' } },
  { name: 'OnCreate-no-activator-eps-service', specMode: 'Serve', privateSubsets: withSubsets(), activatorSubsets: [], want: { mode: 'Serve', subsets: only('127.0.0.1', 8012), endpoints: 'True', activator: 'False' } },
  { name: 'OnCreate-no-activator-eps-proxy', specMode: 'Proxy', want: { mode: 'Serve', subsets: undefined, endpoints: 'Unknown', activator: 'True' } },
];

t.test('TestReconcile (serverlessservice) endpoints rows', async (t) => {
  for (const row of rows) {
    const d = decidePublicEndpoints({
      sksName: row.sksName ?? 'state', specMode: row.specMode, numActivators: row.numActivators ?? 0, protocol: row.protocol ?? 'http1',
      privateSubsets: row.privateSubsets, activatorSubsets: row.activatorSubsets,
    });
    t.equal(d.effectiveMode, row.want.mode, `${row.name}: mode`);
    t.equal(d.source, row.want.mode === 'Serve' ? 'private' : 'activator', `${row.name}: source`);
    t.same(d.subsets, row.want.subsets, `${row.name}: public subsets`);
    t.equal(d.endpointsPopulated.status, row.want.endpoints, `${row.name}: EndpointsPopulated`);
    t.equal(d.activatorEndpointsPopulated.status, row.want.activator, `${row.name}: ActivatorEndpointsPopulated`);
  }
});

t.test('markNoEndpoints / markHappy condition values', async (t) => {
  const none = decidePublicEndpoints({ sksName: 'x', specMode: 'Serve', numActivators: 0, protocol: 'http1', privateSubsets: [], activatorSubsets: withSubsets() });
  t.same(none.endpointsPopulated, { status: 'Unknown', reason: 'NoHealthyBackends', message: 'K8s Service is not ready' });
  t.same(none.activatorEndpointsPopulated, { status: 'True', reason: 'ActivatorEndpointsPopulated', message: 'Revision is backed by Activator' });
});

t.test('TestReconcile "steady switch to proxy mode, subset": 5 of 8 activators, chosen consistently for the SKS name', async (t) => {
  const d = decidePublicEndpoints({ sksName: 'to-proxy-with-subset', specMode: 'Proxy', numActivators: 5, protocol: 'http1', activatorSubsets: withNSubsets(2, 4) });
  t.equal(readyAddressCount(d.subsets), 5);
  t.ok(d.subsets!.every((s) => s.ports!.length === 1 && s.ports![0].port === 8012));
  const again = decidePublicEndpoints({ sksName: 'to-proxy-with-subset', specMode: 'Proxy', numActivators: 5, protocol: 'http1', activatorSubsets: withNSubsets(2, 4) });
  t.same(again.subsets, d.subsets, 'consistent');
  const ips = d.subsets!.flatMap((s) => s.addresses!.map((a) => a.ip));
  t.same(ips, [...ips].sort(), 'original order kept');
});

t.test('TestSubsetEndpoints / empty: the input itself comes back', async (t) => {
  const none: EndpointSubset[] = [];
  t.equal(subsetEndpoints(none, 'rev', 1), none);
  const emptySubset = withNSubsets(1, 0);
  t.equal(subsetEndpoints(emptySubset, 'rev', 1), emptySubset);
});

t.test('TestSubsetEndpoints / over-requested or all', async (t) => {
  for (const [name, nss, naddr, req] of [['1x1', 1, 1, 1], ['1x2', 1, 2, 2], ['2x1', 2, 1, 3], ['20x10', 20, 10, 212], ['20x10 all', 20, 10, 0]] as const) {
    const eps = withNSubsets(nss, naddr);
    t.equal(subsetEndpoints(eps, 'rev', req), eps, name);
  }
});

t.test('TestSubsetEndpoints / actual subset: exactly n distinct addresses, no empty subsets', async (t) => {
  for (const [name, nss, naddr, req] of [['1x2 - 1', 1, 2, 1], ['2x1 - 1', 2, 1, 1], ['5x5 - 1', 5, 5, 1], ['5x5 - 12', 5, 5, 12], ['5x5 - 24', 5, 5, 24]] as const) {
    const subset = subsetEndpoints(withNSubsets(nss, naddr), 'target', req);
    t.equal(readyAddressCount(subset), req, `${name}: count`);
    t.ok(subset.every((s) => (s.addresses?.length ?? 0) > 0), `${name}: no empty subset`);
    const ips = subset.flatMap((s) => s.addresses!.map((a) => a.ip));
    t.equal(new Set(ips).size, ips.length, `${name}: distinct`);
  }
});

t.test('TestFilterSubsetPorts table', async (t) => {
  const http = (port: number) => ({ name: 'http', port, protocol: 'TCP' });
  t.equal(filterSubsetPorts(1982, undefined), undefined, 'nil');
  t.same(filterSubsetPorts(1984, [{ ports: [http(1984)] }]), [{ ports: [http(1984)] }], 'one port');
  t.same(filterSubsetPorts(1988, [{ ports: [http(1988), http(1983)] }]), [{ ports: [http(1988)] }], 'two ports, keep first');
  t.same(filterSubsetPorts(2006, [{ ports: [http(2009), http(2006), http(2019)] }]), [{ ports: [http(2006)] }], 'three ports, keep middle');
  const https = { name: 'https', port: BACKEND_HTTPS_PORT, protocol: 'TCP' };
  t.same(filterSubsetPorts(2006, [{ ports: [http(2009), http(2006), http(2019), https] }]), [{ ports: [http(2006), https] }], 'keep target and https port');
});

t.test('TestMakeEndpoints subsets: empty source gives none; many ports keep only 8012', async (t) => {
  t.equal(filterSubsetPorts(8012, []), undefined, 'empty source');
  const src: EndpointSubset[] = [{
    addresses: [{ ip: '192.168.1.1' }, { ip: '10.5.6.21' }],
    ports: [{ name: 'http', port: 8022, protocol: 'TCP' }, { name: 'http', port: 8012, protocol: 'TCP' }, { name: 'https', port: 8043, protocol: 'TCP' }],
  }];
  t.same(filterSubsetPorts(8012, src), [{ addresses: [{ ip: '192.168.1.1' }, { ip: '10.5.6.21' }], ports: [{ name: 'http', port: 8012, protocol: 'TCP' }] }]);
  t.equal(src[0].ports!.length, 3, 'the source is not modified');
});

t.test('effective mode: no private endpoints force Proxy, no activators force Serve (which wins)', async (t) => {
  t.equal(effectiveSksMode('Serve', 0, 3), 'Proxy');
  t.equal(effectiveSksMode('Proxy', 2, 0), 'Serve');
  t.equal(effectiveSksMode('Proxy', 0, 0), 'Serve');
  t.equal(effectiveSksMode('Proxy', 2, 3), 'Proxy');
});

t.test('SKS IsReady needs the observed generation as well as Ready', async (t) => {
  t.ok(sksIsReady({ generation: 2, observedGeneration: 2, ready: 'True' }));
  t.notOk(sksIsReady({ generation: 3, observedGeneration: 2, ready: 'True' }), 'a mode change not yet observed');
  t.notOk(sksIsReady({ generation: 2, observedGeneration: 2, ready: 'Unknown' }));
});
