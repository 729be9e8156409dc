// The activator's revisionThrottler in event form. Ports of knative/serving
// pkg/activator/net/throttler_test.go: TestThrottlerSuccesses (pod-addressed cases; the ClusterIP
// ones have no counterpart here), TestActivatorsIndexUpdate, TestMultipleActivators-style slicing,
// TestThrottlerErrorOneTimesOut (a cancelled waiter leaves the queue), plus buffering at zero.
import t from 'tap';
import { RevisionThrottler, type ThrottleTicket } from '../../../src/knative/activator-component/revision-throttler.js';
import { Simulation } from '../../../src/sim/simulation.js';

const SELF = '130.0.0.2';

function throttler(cc: number, portName = 'http'): { rt: RevisionThrottler; sim: Simulation } {
  const sim = new Simulation({ seed: 7 });
  const lb = sim.choices('test/lb');
  const rt = new RevisionThrottler({
    key: 'ns/rev', containerConcurrency: cc, portName, choose: (n) => lb.int(n),
    schedule: (ms, run, label) => sim.schedule(ms, run, label), cancel: (timer) => sim.cancel(timer),
  });
  return { rt, sim };
}

function publicSubsets(ips: string[], portName = 'http'): { addresses: { ip: string }[]; ports: { name: string; port: number }[] }[] {
  return [{ addresses: ips.map((ip) => ({ ip })), ports: [{ name: portName, port: 8012 }] }];
}

interface Held {
  dest: string;
  done: () => void;
}

/** `n` requests that keep their capacity until released; returns what each got. */
function hold(rt: RevisionThrottler, n: number): { held: Held[]; rejected: number; tickets: ThrottleTicket[] } {
  const out = { held: [] as Held[], rejected: 0, tickets: [] as ThrottleTicket[] };
  for (let i = 0; i < n; i++) {
    out.tickets.push(rt.try({ proceed: (dest, slot) => void out.held.push({ dest, done: () => slot.release() }), reject: () => void out.rejected++ }));
  }
  return out;
}

const destsOf = (held: Held[]): string[] => [...new Set(held.map((h) => h.dest))].sort();

t.test('TestThrottlerSuccesses (pod addressing)', async (t) => {
  const cases: { name: string; cc: number; updates: string[][]; requests: number; want: string[] }[] = [
    { name: 'single healthy podIP', cc: 1, updates: [['128.0.0.1:1234'], ['128.0.0.1:1234']], requests: 1, want: ['128.0.0.1:1234'] },
    { name: 'single healthy podIP, infinite cc', cc: 0, updates: [['128.0.0.2:1234', '128.0.0.32:1212'], ['128.0.0.1:1234']], requests: 1, want: ['128.0.0.1:1234'] },
    { name: 'spread podIP load', cc: 1, updates: [['128.0.0.3:1234'], ['128.0.0.1:1234', '128.0.0.2:1234']], requests: 2, want: ['128.0.0.1:1234', '128.0.0.2:1234'] },
    { name: 'clumping test', cc: 3, updates: [['128.0.0.1:1234', '128.0.0.2:1234', '128.0.0.2:4236', '128.0.0.2:1233', '128.0.0.2:1230']], requests: 3, want: ['128.0.0.1:1234'] },
    { name: 'roundrobin test', cc: 5, updates: [['128.0.0.1:1234', '128.0.0.2:1234', '211.212.213.214']], requests: 3, want: ['128.0.0.1:1234', '128.0.0.2:1234', '211.212.213.214'] },
  ];
  for (const tc of cases) {
    const { rt } = throttler(tc.cc);
    rt.handlePubEpsUpdate(publicSubsets([SELF]), SELF);
    for (const u of tc.updates) rt.handleUpdate(u);
    t.equal(rt.activatorIndex, 0, `${tc.name}: this activator is threaded in`);
    const { held } = hold(rt, tc.requests);
    t.equal(held.length, tc.requests, `${tc.name}: every request got capacity at once`);
    t.same(destsOf(held), tc.want, `${tc.name}: dests`);
  }
});

t.test('capacity is CC × healthy pods; beyond it requests wait and go as capacity frees up', async (t) => {
  const { rt } = throttler(2);
  rt.handleUpdate(['10.0.0.1:8012', '10.0.0.2:8012', '10.0.0.3:8012']);
  t.equal(rt.capacity, 6);
  const { held } = hold(rt, 8);
  t.equal(held.length, 6, 'six run');
  t.equal(rt.breaker.pending, 2, 'two wait');
  const perPod = new Map<string, number>();
  for (const h of held) perPod.set(h.dest, (perPod.get(h.dest) ?? 0) + 1);
  t.same([...perPod.values()], [2, 2, 2], 'no pod gets more than CC from this activator');
  held[0].done();
  t.equal(held.length, 7, 'a finished request lets the next one go');
  t.equal(held[6].dest, held[0].dest, '...to the pod that freed a slot');
  rt.handleUpdate(['10.0.0.1:8012', '10.0.0.2:8012', '10.0.0.3:8012', '10.0.0.4:8012']);
  t.equal(rt.capacity, 8);
  t.equal(held.length, 8, 'a new pod releases the last waiter');
  t.equal(held[7].dest, '10.0.0.4:8012');
});

t.test('with no healthy pods requests buffer; the first healthy pod releases them (CC=0 and CC=1)', async (t) => {
  for (const cc of [0, 1]) {
    const { rt } = throttler(cc);
    const { held } = hold(rt, 3);
    t.equal(held.length, 0, `cc=${cc}: buffered`);
    t.equal(rt.capacity, 0);
    rt.handleUpdate(['10.0.0.9:8012']);
    t.equal(held.length, cc === 0 ? 3 : 1, `cc=${cc}: ${cc === 0 ? 'all go at once (infinite breaker)' : 'one at a time'}`);
    if (cc === 1) {
      held[0].done();
      held[1].done();
      t.equal(held.length, 3, 'the rest follow as slots free');
    }
    rt.handleUpdate([]);
    t.equal(rt.capacity, 0, 'all pods gone: capacity 0 again');
  }
});

t.test('TestThrottlerErrorOneTimesOut: a waiter whose context ends leaves the queue', async (t) => {
  const { rt } = throttler(1);
  rt.handleUpdate(['128.0.0.1:1234']);
  const { held, tickets } = hold(rt, 2);
  t.equal(held.length, 1);
  tickets[1].cancel();
  t.equal(rt.breaker.pending, 0, 'gone from the queue');
  held[0].done();
  t.equal(held.length, 1, 'the cancelled request never runs');
  const again = hold(rt, 1);
  t.equal(again.held.length, 1, 'capacity is whole again');
});

t.test('TestActivatorsIndexUpdate: the public endpoints give this activator its index and slice', async (t) => {
  const { rt } = throttler(1, 'http2');
  rt.handleUpdate(['128.0.0.1:1234', '128.0.0.2:1234', '128.0.0.23:1234']);
  rt.handlePubEpsUpdate(publicSubsets(['130.0.0.1', SELF], 'http2'), SELF);
  t.equal(rt.numActivators, 2);
  t.equal(rt.activatorIndex, 1);
  t.equal(rt.assigned.length, 1);
  t.equal(rt.capacity, 1);
  rt.handlePubEpsUpdate(publicSubsets([SELF], 'http2'), SELF);
  t.equal(rt.numActivators, 1);
  t.equal(rt.activatorIndex, 0);
  t.equal(rt.capacity, 3, 'alone again: every pod');
  rt.handlePubEpsUpdate(publicSubsets(['130.0.0.1'], 'http2'), SELF);
  t.equal(rt.activatorIndex, 0, 'an update without this activator changes nothing');
  rt.handlePubEpsUpdate(publicSubsets(['130.0.0.1', SELF]), SELF);
  t.equal(rt.numActivators, 1, 'endpoints on another port name do not count');
});

t.test('two activators split the pods by assignSlice: 3 pods, CC=2 → 2 and 1 pods', async (t) => {
  const pods = ['10.0.0.1:8012', '10.0.0.2:8012', '10.0.0.3:8012'];
  const activators = ['130.0.0.1', '130.0.0.2'];
  const got = activators.map((self) => {
    const { rt } = throttler(2);
    rt.handleUpdate(pods);
    t.equal(rt.activatorIndex, -1, 'before it is threaded in, an activator uses every pod');
    t.equal(rt.capacity, 6);
    rt.handlePubEpsUpdate(publicSubsets(activators), self);
    return { assigned: rt.assigned.map((p) => p.dest), capacity: rt.capacity };
  });
  t.same(got[0], { assigned: ['10.0.0.1:8012', '10.0.0.3:8012'], capacity: 4 }, 'index 0: its slice plus the remnant');
  t.same(got[1], { assigned: ['10.0.0.2:8012'], capacity: 2 }, 'index 1: its slice');
});

t.test('a request that gets a slot but no pod retries after 1 ms (reenqueue)', async (t) => {
  const { rt, sim } = throttler(1);
  rt.handleUpdate(['10.0.0.1:8012']);
  const first = hold(rt, 1);
  // The pod's own breaker is full while the revision breaker grows: capacity and trackers race.
  rt.breaker.updateConcurrency(2);
  const second = hold(rt, 1);
  t.equal(second.held.length, 0, 'no pod could take it');
  first.held[0].done();
  sim.run({ untilMs: 1 });
  t.equal(second.held.length, 1, 'it went on the retry');
});
