// Ports of knative/serving pkg/activator/net/throttler_test.go where the logic is pure:
// TestThrottlerUpdateCapacity, TestThrottlerCalculateCapacity, TestPodAssignmentFinite,
// TestPodAssignmentInfinite, TestInferIndex, TestPickIndices, TestAssignSlice, TestInfiniteBreaker,
// TestActivatorsIndexUpdate and TestMultipleActivators (their capacity shapes), and the
// destination shapes of TestThrottlerSuccesses.
import t from 'tap';
import { activatorAssignment, healthyAddresses } from '../../../src/knative/activator/activator-assignment.js';
import { InfiniteBreaker } from '../../../src/knative/activator/infinite-breaker.js';
import { firstAvailable, RoundRobinPolicy, type LbPolicy } from '../../../src/knative/activator/lb-policy.js';
import { PodTracker } from '../../../src/knative/activator/pod-tracker.js';
import {
  assignSlice, calculateCapacity, inferIndex, pickIndices, updateCapacity,
} from '../../../src/knative/activator/throttler-capacity.js';
import { sortGoStrings } from '../../../src/knative/hash/go-string-order.js';
import { Breaker, MAX_BREAKER_CAPACITY, type RevisionBreaker } from '../../../src/knative/queue/breaker.js';

const testBreakerParams = { queueDepth: 1, maxConcurrency: MAX_BREAKER_CAPACITY, initialCapacity: 0 };

function makeTrackers(num: number, cc: number): PodTracker[] {
  return Array.from({ length: num }, (_, i) => new PodTracker({ dest: String(i), containerConcurrency: cc }));
}

t.test('TestThrottlerUpdateCapacity table', async (t) => {
  const rows: { name: string; capacity: number; numActivators: number; activatorIndex?: number; cc: number; pods?: number; infinite?: boolean; want: number; allAssigned?: boolean }[] = [
    { name: 'capacity: 1, cc: 10', capacity: 1, numActivators: 0, cc: 10, want: 10 },
    { name: 'capacity: 10, cc: 10', capacity: 10, numActivators: 0, cc: 10, want: 100 },
    { name: 'capacity: 100, cc: 10', capacity: 100, numActivators: 0, cc: 10, want: 1000 },
    { name: 'numActivators: 5, capacity: 10, cc: 10', capacity: 10, numActivators: 5, cc: 10, want: 20 },
    { name: 'numActivators: 200, capacity: 10, cc: 10', capacity: 10, numActivators: 200, cc: 10, want: 1 },
    { name: 'numActivators: 200, capacity: 0, cc: 10', capacity: 0, numActivators: 200, cc: 10, want: 0 },
    { name: 'newInfiniteBreaker, numActivators: 0, capacity: 0, cc: 0', capacity: 0, numActivators: 0, cc: 0, infinite: true, want: 0 },
    { name: 'newInfiniteBreaker, numActivators: 0, capacity: 1, cc: 0', capacity: 1, numActivators: 0, cc: 0, infinite: true, want: 1 },
    { name: 'newInfiniteBreaker, numActivators: 0, capacity: 10, cc: 0', capacity: 10, numActivators: 0, cc: 0, infinite: true, want: 1 },
    { name: 'newInfiniteBreaker, numActivators: 200, capacity: 0, cc: 0', capacity: 0, numActivators: 200, cc: 0, infinite: true, want: 0 },
    { name: 'newInfiniteBreaker, numActivators: 200, capacity: 1, cc: 0', capacity: 1, numActivators: 200, cc: 0, infinite: true, want: 1 },
    { name: 'numActivators: 1, capacity: 0, cc: 10, pods: 1', capacity: 0, numActivators: 1, cc: 10, pods: 1, want: 10 },
    { name: '2 backends. numActivators: 1, capacity: -1, cc: 10, pods: 2', capacity: -1, numActivators: 1, cc: 10, pods: 2, want: 20 },
    { name: '2 activators. numActivators: 2, capacity: -1, cc: 10, pods: 2', capacity: -1, numActivators: 2, cc: 10, pods: 2, want: 10 },
    { name: 'numActivators: 2, index: 0, pods: 3, cc: 10 → 20', capacity: -1, numActivators: 2, cc: 10, pods: 3, want: 20 },
    { name: 'numActivators: 2, index: 1, pods: 3, cc: 10 → 10', capacity: -1, numActivators: 2, activatorIndex: 1, cc: 10, pods: 3, want: 10 },
    { name: 'numActivators: 2, index: 0, pods: 5, cc: 1 → 3', capacity: 5, numActivators: 2, activatorIndex: 0, cc: 1, pods: 5, want: 3 },
    { name: 'numActivators: 2, index: 1, pods: 5, cc: 1 → 2', capacity: 5, numActivators: 2, activatorIndex: 1, cc: 1, pods: 5, want: 2 },
    { name: 'Infinite capacity with podIP trackers.', capacity: 1, numActivators: 2, activatorIndex: 1, cc: 0, pods: 3, infinite: true, want: 1, allAssigned: true },
  ];
  for (const row of rows) {
    const breaker: RevisionBreaker<string> = row.infinite ? new InfiniteBreaker<string>() : new Breaker<string>(testBreakerParams);
    const trackers = makeTrackers(row.pods ?? 0, row.cc);
    const update = updateCapacity({
      containerConcurrency: row.cc, sortedTrackers: trackers, usingClusterIp: false,
      backendCount: row.capacity, activatorIndex: row.activatorIndex ?? 0, numActivators: row.numActivators,
    });
    breaker.updateConcurrency(update.capacity);
    t.equal(breaker.capacity, row.want, row.name);
    if (row.allAssigned) t.equal(update.assigned.length, trackers.length, `${row.name}: every tracker assigned`);
  }
});

t.test('TestThrottlerCalculateCapacity: over revisionMaxConcurrency clamps to MaxInt32', async (t) => {
  const got = calculateCapacity({ containerConcurrency: 0, backendCount: 1, numTrackers: MAX_BREAKER_CAPACITY + 5, activatorCount: 1 });
  t.equal(got, MAX_BREAKER_CAPACITY);
  t.equal(calculateCapacity({ containerConcurrency: 10, backendCount: 1, numTrackers: MAX_BREAKER_CAPACITY, activatorCount: 1 }), MAX_BREAKER_CAPACITY);
  t.equal(calculateCapacity({ containerConcurrency: 0, backendCount: 0, numTrackers: 3, activatorCount: 1 }), 0, 'CC 0 without backends stays closed');
});

t.test('TestPodAssignmentFinite: 6 pods, 4 activators, index 0 → ip0 and ip4, capacity 2·42; then scale to zero', async (t) => {
  const dests = sortGoStrings(['ip4', 'ip3', 'ip5', 'ip2', 'ip1', 'ip0']);
  const trackers = dests.map((dest) => new PodTracker({ dest, containerConcurrency: 42 }));
  const update = updateCapacity({ containerConcurrency: 42, sortedTrackers: trackers, usingClusterIp: false, backendCount: 6, activatorIndex: 0, numActivators: 4 });
  t.same(update.assigned.map((x) => x.dest), ['ip0', 'ip4']);
  t.equal(update.capacity, 84);
  t.same(update.assigned.map((x) => x.capacity), [42, 42]);
  const empty = updateCapacity({ containerConcurrency: 42, sortedTrackers: [], usingClusterIp: false, backendCount: 0, activatorIndex: 0, numActivators: 4 });
  t.same(empty, { assigned: [], capacity: 0 });
});

t.test('TestPodAssignmentInfinite: CC 0 assigns every pod, capacity reads 1; scale to zero closes it', async (t) => {
  const trackers = sortGoStrings(['ip3', 'ip2', 'ip1']).map((dest) => new PodTracker({ dest, containerConcurrency: 0 }));
  const breaker = new InfiniteBreaker<string>();
  const update = updateCapacity({ containerConcurrency: 0, sortedTrackers: trackers, usingClusterIp: false, backendCount: 3, activatorIndex: -1, numActivators: 0 });
  breaker.updateConcurrency(update.capacity);
  t.equal(update.assigned.length, 3);
  t.equal(breaker.capacity, 1);
  t.equal(update.assigned[0].capacity, 1);
  breaker.updateConcurrency(updateCapacity({ containerConcurrency: 0, sortedTrackers: [], usingClusterIp: false, backendCount: 0, activatorIndex: -1, numActivators: 0 }).capacity);
  t.equal(breaker.capacity, 0);
});

t.test('ClusterIP routing: no trackers, CC·backends shared among activators', async (t) => {
  const update = updateCapacity({ containerConcurrency: 10, sortedTrackers: [], usingClusterIp: true, backendCount: 3, activatorIndex: 1, numActivators: 2 });
  t.same(update, { assigned: [], capacity: 15 });
});

t.test('TestInferIndex table', async (t) => {
  const myIp = '10.10.10.3';
  t.equal(inferIndex([], myIp), -1, 'empty');
  t.equal(inferIndex(['11.11.11.11', '11.11.11.12'], myIp), -1, 'missing');
  t.equal(inferIndex(['10.10.10.3', '11.11.11.11'], myIp), 0, 'first');
  t.equal(inferIndex(['10.10.10.1', '10.10.10.2', '10.10.10.3', '11.11.11.11'], myIp), 2, 'middle');
  t.equal(inferIndex(['10.10.10.1', '10.10.10.2', '10.10.10.3'], myIp), 2, 'last');
});

t.test('TestPickIndices table', async (t) => {
  const rows: [string, number, number, number, number, number, number][] = [
    ['1 pod, 1 activator', 1, 1, 0, 0, 1, 0],
    ['1 pod, 2 activators, this is 0', 1, 2, 0, 0, 1, 0],
    ['1 pod, 2 activators, this is 1', 1, 2, 1, 0, 1, 0],
    ['2 pods, 3 activators, this is 1', 2, 3, 1, 1, 2, 0],
    ['2 pods, 3 activators, this is 2', 2, 3, 2, 0, 1, 0],
    ['3 pods, 3 activators, this is 2', 3, 3, 2, 2, 3, 0],
    ['10 pods, 3 activators this is 0', 10, 3, 0, 0, 3, 1],
    ['10 pods, 3 activators this is 1', 10, 3, 1, 3, 6, 1],
    ['10 pods, 3 activators this is 2', 10, 3, 2, 6, 9, 1],
    ['150 pods, 5 activators this is 0', 150, 5, 0, 0, 30, 0],
    ['150 pods, 5 activators this is 1', 150, 5, 1, 30, 60, 0],
    ['150 pods, 5 activators this is 4', 150, 5, 4, 120, 150, 0],
  ];
  for (const [name, pods, acts, idx, begin, end, remnants] of rows) t.same(pickIndices(pods, idx, acts), { begin, end, remnants }, name);
});

t.test('TestAssignSlice cases', async (t) => {
  const trackers = ['1', '2', '3'];
  t.same(assignSlice([], 0, 1), [], 'notrackers');
  t.same(assignSlice(trackers, 1, 1), trackers, 'idx=1, na=1');
  t.same(assignSlice(trackers, -1, 1), trackers, 'idx=-1');
  t.same(assignSlice(trackers, 1, 3), ['2'], 'idx=1 na=3');
  t.same(assignSlice(trackers.slice(0, 1), 1, 3), ['1'], 'len=1');
  const withBreakers = ['1', '2', '3'].map((dest) => ({ dest, breaker: new Breaker(testBreakerParams) }));
  const got = assignSlice(withBreakers, 1, 2);
  t.same(got.map((x) => x.dest), ['2'], 'idx=1, breaker');
  t.equal(got[0].breaker.capacity, 0, 'assignment leaves the tracker capacity alone');
  t.same(assignSlice(['a', 'b', 'c', 'd', 'e'], 0, 2), ['a', 'b', 'e'], 'the remnant goes to index 0');
  t.same(assignSlice(['a', 'b', 'c', 'd', 'e'], 1, 2), ['c', 'd']);
});

t.test('TestInfiniteBreaker: closed at 0, open at 1, closes again, and a waiter goes through on 0 → 1', async (t) => {
  const b = new InfiniteBreaker<string>();
  t.equal(b.capacity, 0);
  t.ok(b.reserve(), 'Reserve always succeeds');
  t.equal(b.tryAcquire('cancelled'), 'queued');
  t.ok(b.cancel('cancelled'), 'a cancelled context fails the request');
  b.updateConcurrency(1);
  t.equal(b.capacity, 1);
  t.equal(b.tryAcquire('x'), 'granted');
  t.equal(b.tryAcquire('y'), 'granted');
  b.updateConcurrency(0);
  t.equal(b.capacity, 0);
  t.equal(b.tryAcquire('w1'), 'queued');
  t.equal(b.tryAcquire('w2'), 'queued');
  t.same(b.updateConcurrency(MAX_BREAKER_CAPACITY), ['w1', 'w2'], 'broadcast releases every waiter');
  t.same(b.updateConcurrency(5), [], 'already open: nothing to release');
  t.equal(b.pending, 0);
});

function epSubset(portName: string, ips: string[]) {
  return [{ addresses: ips.map((ip) => ({ ip })), ports: [{ name: portName, port: 8012 }] }];
}

t.test('TestActivatorsIndexUpdate: index from the public endpoints; 3 pods, CC 1 → capacity 1, then alone → index 0 of 1', async (t) => {
  const self = '130.0.0.2';
  const two = activatorAssignment({ publicSubsets: epSubset('http2', ['130.0.0.1', self]), portName: 'http2', selfIp: self, current: { numActivators: 0, activatorIndex: -1 } })!;
  t.same(two, { numActivators: 2, activatorIndex: 1 });
  const pods = sortGoStrings(['128.0.0.1:1234', '128.0.0.2:1234', '128.0.0.23:1234']).map((dest) => new PodTracker({ dest, containerConcurrency: 1 }));
  const update = updateCapacity({ containerConcurrency: 1, sortedTrackers: pods, usingClusterIp: false, backendCount: 3, ...two });
  t.equal(update.capacity, 1);
  t.equal(update.assigned.length, 1);
  t.same(activatorAssignment({ publicSubsets: epSubset('http2', [self]), portName: 'http2', selfIp: self, current: two }), { numActivators: 1, activatorIndex: 0 });
  t.equal(activatorAssignment({ publicSubsets: epSubset('http2', [self]), portName: 'http2', selfIp: self, current: { numActivators: 1, activatorIndex: 0 } }), undefined, 'unchanged');
  t.equal(activatorAssignment({ publicSubsets: epSubset('http2', ['130.0.0.1']), portName: 'http2', selfIp: self, current: two }), undefined, 'not in path');
  t.same([...healthyAddresses(epSubset('http', [self]), 'http2')], [], 'another port name does not count');
});

t.test('TestMultipleActivators: 2 activators, 3 pods, CC 1 — one request goes through, the second waits', async (t) => {
  const pods = sortGoStrings(['128.0.0.1:1234', '128.0.0.2:1234', '128.0.0.23:1234']).map((dest) => new PodTracker({ dest, containerConcurrency: 1 }));
  const update = updateCapacity({ containerConcurrency: 1, sortedTrackers: pods, usingClusterIp: false, backendCount: 3, activatorIndex: 1, numActivators: 2 });
  const breaker = new Breaker<string>({ queueDepth: 10_000, maxConcurrency: MAX_BREAKER_CAPACITY, initialCapacity: 0 });
  breaker.updateConcurrency(update.capacity);
  t.equal(breaker.tryAcquire('r1'), 'granted');
  t.equal(breaker.tryAcquire('r2'), 'queued', 'the second would time out');
  t.ok(firstAvailable(update.assigned), 'the first gets a pod');
});

t.test('TestThrottlerSuccesses destination shapes (single activator, index 0)', async (t) => {
  const shape = (cc: number, dests: string[], requests: number, policy: LbPolicy): string[] => {
    const trackers = sortGoStrings(dests).map((dest) => new PodTracker({ dest, containerConcurrency: cc }));
    const { assigned } = updateCapacity({ containerConcurrency: cc, sortedTrackers: trackers, usingClusterIp: false, backendCount: dests.length, activatorIndex: 0, numActivators: 1 });
    return sortGoStrings(new Set(Array.from({ length: requests }, () => policy(assigned)!.tracker.dest)));
  };
  t.same(shape(1, ['128.0.0.1:1234', '128.0.0.2:1234'], 2, firstAvailable), ['128.0.0.1:1234', '128.0.0.2:1234'], 'spread podIP load');
  t.same(shape(3, ['128.0.0.1:1234', '128.0.0.2:1234', '128.0.0.2:4236', '128.0.0.2:1233', '128.0.0.2:1230'], 3, firstAvailable), ['128.0.0.1:1234'], 'clumping test');
  t.same(shape(5, ['128.0.0.1:1234', '128.0.0.2:1234', '211.212.213.214'], 3, new RoundRobinPolicy().pick), ['128.0.0.1:1234', '128.0.0.2:1234', '211.212.213.214'], 'roundrobin test');
});
