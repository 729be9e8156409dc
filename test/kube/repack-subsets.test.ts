// RepackSubsets, ported from k8s.io/kubernetes pkg/api/v1/endpoints/util_test.go TestPackSubsets
// (the newer table, where subsets without ports keep their addresses). Upstream compares with the
// expectation passed through its own SortSubsets; we do the same with ours.
import t from 'tap';
import { repackSubsets, sortSubsets, type EndpointAddress, type EndpointSubset } from '../../src/kube/repack-subsets.js';

const a = (ip: string, uid?: string): EndpointAddress => (uid === undefined ? { ip } : { ip, targetRef: { uid } });
const named = (ip: string, name: string): EndpointAddress => ({ ip, targetRef: { name } });
const p = (...ports: number[]): { port: number }[] => ports.map((port) => ({ port }));

const cases: [string, EndpointSubset[], EndpointSubset[]][] = [
  ['empty everything', [{ addresses: [], ports: [] }], []],
  ['empty addresses', [{ addresses: [], ports: p(111) }], []],
  ['empty ports', [{ addresses: [a('1.2.3.4')], ports: [] }], [{ addresses: [a('1.2.3.4')] }]],
  ['empty ports, not ready', [{ notReadyAddresses: [a('1.2.3.4')], ports: [] }], [{ notReadyAddresses: [a('1.2.3.4')] }]],
  ['one set, one ip, one port', [{ addresses: [a('1.2.3.4')], ports: p(111) }], [{ addresses: [a('1.2.3.4')], ports: p(111) }]],
  ['one set, one ip, one port (IPv6)', [{ addresses: [a('beef::1:2:3:4')], ports: p(111) }], [{ addresses: [a('beef::1:2:3:4')], ports: p(111) }]],
  ['one set, one notReady ip, one port', [{ notReadyAddresses: [a('1.2.3.4')], ports: p(111) }], [{ notReadyAddresses: [a('1.2.3.4')], ports: p(111) }]],
  ['one set, one ip, one UID, one port', [{ addresses: [a('1.2.3.4', 'uid-1')], ports: p(111) }], [{ addresses: [a('1.2.3.4', 'uid-1')], ports: p(111) }]],
  ['one set, one ip, empty UID, one port', [{ addresses: [a('1.2.3.4', '')], ports: p(111) }], [{ addresses: [a('1.2.3.4', '')], ports: p(111) }]],
  ['one set, two ips, one port', [{ addresses: [a('1.2.3.4'), a('5.6.7.8')], ports: p(111) }], [{ addresses: [a('1.2.3.4'), a('5.6.7.8')], ports: p(111) }]],
  ['one set, two mixed ips, one port', [{ addresses: [a('1.2.3.4')], notReadyAddresses: [a('5.6.7.8')], ports: p(111) }],
    [{ addresses: [a('1.2.3.4')], notReadyAddresses: [a('5.6.7.8')], ports: p(111) }]],
  ['one set, two duplicate ips, one port, notReady is covered by ready', [{ addresses: [a('1.2.3.4')], notReadyAddresses: [a('1.2.3.4')], ports: p(111) }],
    [{ notReadyAddresses: [a('1.2.3.4')], ports: p(111) }]],
  ['one set, one ip, two ports', [{ addresses: [a('1.2.3.4')], ports: p(111, 222) }], [{ addresses: [a('1.2.3.4')], ports: p(111, 222) }]],
  ['one set, dup ips, one port', [{ addresses: [a('1.2.3.4'), a('1.2.3.4')], ports: p(111) }], [{ addresses: [a('1.2.3.4')], ports: p(111) }]],
  ['one set, dup ips, one port (IPv6)', [{ addresses: [a('beef::1'), a('beef::1')], ports: p(111) }], [{ addresses: [a('beef::1')], ports: p(111) }]],
  ['one set, dup ips with target-refs, one port', [{ addresses: [named('1.2.3.4', 'foo'), named('1.2.3.4', 'bar')], ports: p(111) }],
    [{ addresses: [named('1.2.3.4', 'foo')], ports: p(111) }]],
  ['one set, dup mixed ips with target-refs, one port (the first copy is kept, not ready wins)',
    [{ addresses: [named('1.2.3.4', 'foo')], notReadyAddresses: [named('1.2.3.4', 'bar')], ports: p(111) }],
    [{ notReadyAddresses: [named('1.2.3.4', 'foo')], ports: p(111) }]],
  ['one set, one ip, dup ports', [{ addresses: [a('1.2.3.4')], ports: p(111, 111) }], [{ addresses: [a('1.2.3.4')], ports: p(111) }]],
  ['two sets, dup ip, dup port', [{ addresses: [a('1.2.3.4')], ports: p(111) }, { addresses: [a('1.2.3.4')], ports: p(111) }],
    [{ addresses: [a('1.2.3.4')], ports: p(111) }]],
  ['two sets, dup mixed ip, dup port', [{ addresses: [a('1.2.3.4')], ports: p(111) }, { notReadyAddresses: [a('1.2.3.4')], ports: p(111) }],
    [{ notReadyAddresses: [a('1.2.3.4')], ports: p(111) }]],
  ['two sets, dup ip, two ports', [{ addresses: [a('1.2.3.4')], ports: p(111) }, { addresses: [a('1.2.3.4')], ports: p(222) }],
    [{ addresses: [a('1.2.3.4')], ports: p(111, 222) }]],
  ['two sets, dup ip, dup uids, two ports', [{ addresses: [a('1.2.3.4', 'uid-1')], ports: p(111) }, { addresses: [a('1.2.3.4', 'uid-1')], ports: p(222) }],
    [{ addresses: [a('1.2.3.4', 'uid-1')], ports: p(111, 222) }]],
  ['two sets, dup mixed ip, dup uids, two ports', [{ addresses: [a('1.2.3.4', 'uid-1')], ports: p(111) }, { notReadyAddresses: [a('1.2.3.4', 'uid-1')], ports: p(222) }],
    [{ addresses: [a('1.2.3.4', 'uid-1')], ports: p(111) }, { notReadyAddresses: [a('1.2.3.4', 'uid-1')], ports: p(222) }]],
  ['two sets, two ips, dup port', [{ addresses: [a('1.2.3.4')], ports: p(111) }, { addresses: [a('5.6.7.8')], ports: p(111) }],
    [{ addresses: [a('1.2.3.4'), a('5.6.7.8')], ports: p(111) }]],
  ['two set, dup ip, two uids, dup ports', [{ addresses: [a('1.2.3.4', 'uid-1')], ports: p(111) }, { addresses: [a('1.2.3.4', 'uid-2')], ports: p(111) }],
    [{ addresses: [a('1.2.3.4', 'uid-1'), a('1.2.3.4', 'uid-2')], ports: p(111) }]],
  ['two set, dup ip, with and without uid, dup ports', [{ addresses: [a('1.2.3.4')], ports: p(111) }, { addresses: [a('1.2.3.4', 'uid-2')], ports: p(111) }],
    [{ addresses: [a('1.2.3.4'), a('1.2.3.4', 'uid-2')], ports: p(111) }]],
  ['two sets, two ips, two dup ip with uid, dup port, wrong order', [
    { addresses: [a('5.6.7.8')], ports: p(111) }, { addresses: [a('5.6.7.8', 'uid-1')], ports: p(111) },
    { addresses: [a('1.2.3.4', 'uid-1')], ports: p(111) }, { addresses: [a('1.2.3.4')], ports: p(111) },
  ], [{ addresses: [a('1.2.3.4'), a('1.2.3.4', 'uid-1'), a('5.6.7.8'), a('5.6.7.8', 'uid-1')], ports: p(111) }]],
  ['two sets, two mixed ips, two dup ip with uid, dup port, wrong order, ends up with split addresses', [
    { addresses: [a('5.6.7.8')], ports: p(111) }, { notReadyAddresses: [a('5.6.7.8', 'uid-1')], ports: p(111) },
    { notReadyAddresses: [a('1.2.3.4', 'uid-1')], ports: p(111) }, { notReadyAddresses: [a('1.2.3.4')], ports: p(111) },
  ], [{ addresses: [a('5.6.7.8')], notReadyAddresses: [a('1.2.3.4'), a('1.2.3.4', 'uid-1'), a('5.6.7.8', 'uid-1')], ports: p(111) }]],
  ['two sets, two ips, two ports', [{ addresses: [a('1.2.3.4')], ports: p(111) }, { addresses: [a('5.6.7.8')], ports: p(222) }],
    [{ addresses: [a('1.2.3.4')], ports: p(111) }, { addresses: [a('5.6.7.8')], ports: p(222) }]],
  ['four sets, three ips, three ports, jumbled', [
    { addresses: [a('1.2.3.4')], ports: p(111) }, { addresses: [a('1.2.3.5')], ports: p(222) },
    { addresses: [a('1.2.3.6')], ports: p(111) }, { addresses: [a('1.2.3.5')], ports: p(333) },
  ], [{ addresses: [a('1.2.3.4'), a('1.2.3.6')], ports: p(111) }, { addresses: [a('1.2.3.5')], ports: p(222, 333) }]],
  ['four sets, three mixed ips, three ports, jumbled', [
    { addresses: [a('1.2.3.4')], ports: p(111) }, { notReadyAddresses: [a('1.2.3.5')], ports: p(222) },
    { addresses: [a('1.2.3.6')], ports: p(111) }, { notReadyAddresses: [a('1.2.3.5')], ports: p(333) },
  ], [{ addresses: [a('1.2.3.4'), a('1.2.3.6')], ports: p(111) }, { notReadyAddresses: [a('1.2.3.5')], ports: p(222, 333) }]],
];

t.test('TestPackSubsets', async (t) => {
  for (const [name, given, expect] of cases) {
    const givenCopy = JSON.stringify(given);
    t.same(repackSubsets(given), sortSubsets(expect), name);
    t.equal(JSON.stringify(given), givenCopy, `${name}: input untouched`);
  }
});

t.test('repacking is order-independent: any permutation of the input gives the same output', async (t) => {
  const subsets: EndpointSubset[] = [
    { addresses: [a('10.0.0.3', 'c')], ports: p(80, 81) }, { notReadyAddresses: [a('10.0.0.1', 'a')], ports: p(80) },
    { addresses: [a('10.0.0.2', 'b')], ports: p(81) }, { addresses: [a('10.0.0.2', 'b')], ports: p(80) },
  ];
  const want = repackSubsets(subsets);
  t.same(repackSubsets([...subsets].reverse()), want);
  t.same(repackSubsets([subsets[2], subsets[0], subsets[3], subsets[1]]), want);
  t.same(want, [
    { addresses: [a('10.0.0.2', 'b'), a('10.0.0.3', 'c')], notReadyAddresses: [a('10.0.0.1', 'a')], ports: p(80) },
    { addresses: [a('10.0.0.2', 'b'), a('10.0.0.3', 'c')], ports: p(81) },
  ], 'ports grouped by identical address sets (with readiness), sorted');
});
