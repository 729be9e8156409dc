import t from 'tap';
import type { KubeObject } from '../../src/apiserver/types.js';
import { LEASES, type LeaderElector } from '../../src/client/leader-elector.js';
import type { NetworkOptions } from '../../src/client/network.js';
import { SimCluster } from '../../src/client/sim-cluster.js';
import { traceLines } from './fixtures.js';

type TapTest = Parameters<Parameters<typeof t.test>[0]>[0];

const LEASE = 'test-lease';
const IDS = ['cand-a', 'cand-b'] as const;
type Id = (typeof IDS)[number];

interface Election {
  cluster: SimCluster;
  /** The current incarnation's elector of each candidate (undefined while it is down). */
  electors: Map<Id, LeaderElector | undefined>;
  /** Leaders seen at each 100 ms sample: [atMs, identities]. */
  samples: [number, Id[]][];
  /** started/stopped callbacks, in order. */
  events: [number, Id, 'started' | 'stopped'][];
  leaders(): Id[];
  lease(): KubeObject;
}

/** Two candidates in components named after their identities, sampled every 100 ms for `untilMs`. */
function election(options: { seed?: number | string; network?: NetworkOptions; untilMs: number; optimisticRenew?: boolean }): Election {
  const cluster = new SimCluster({ seed: options.seed ?? 21, trace: { keepAll: true }, bookmarkIntervalMs: 0, network: options.network });
  const electors = new Map<Id, LeaderElector | undefined>();
  const events: [number, Id, 'started' | 'stopped'][] = [];
  for (const id of IDS) {
    cluster.addComponent({
      name: id,
      setup: (ctx) => {
        electors.set(id, ctx.leaderElector({
          name: LEASE, namespace: 'kube-system', identity: id, optimisticRenew: options.optimisticRenew,
          onStartedLeading: () => events.push([ctx.sim.nowMs, id, 'started']),
          onStoppedLeading: () => events.push([ctx.sim.nowMs, id, 'stopped']),
        }));
        ctx.onStop(() => electors.set(id, undefined));
      },
    });
  }
  const leaders = (): Id[] => IDS.filter((id) => electors.get(id)?.isLeader);
  const samples: [number, Id[]][] = [];
  for (let at = 0; at <= options.untilMs; at += 100) cluster.sim.schedule(at, () => samples.push([cluster.sim.nowMs, leaders()]), 'sample');
  return { cluster, electors, samples, events, leaders, lease: () => cluster.api.get(LEASES, LEASE, { namespace: 'kube-system' }) };
}

/** The candidate holding the lease: the identity without the incarnation suffix the component adds. */
function holder(lease: KubeObject): string {
  return String(lease.spec?.holderIdentity).replace(/_\d+$/, '');
}

/** Samples that saw two leaders, and whether a candidate started leading while another was. */
function doubleLeadership(e: Election): { doubles: [number, Id[]][]; overlapping: boolean } {
  const leading = new Set<Id>();
  let overlapping = false;
  for (const [, id, what] of e.events) {
    if (what === 'started') {
      if (leading.size > 0 && !leading.has(id)) overlapping = true;
      leading.add(id);
    } else leading.delete(id);
  }
  return { doubles: e.samples.filter(([, ls]) => ls.length > 1), overlapping };
}

t.test('two candidates: exactly one leads at a time once the lease is taken', async (t) => {
  const e = election({ untilMs: 60_000 });
  e.cluster.sim.run({ untilMs: 60_000 });
  t.same(doubleLeadership(e), { doubles: [], overlapping: false }, 'never two leaders');
  const after = e.samples.filter(([at]) => at >= 100);
  t.ok(after.every(([, ls]) => ls.length === 1), 'one leader at every sample after the first acquisition');
  const first = e.events[0];
  t.equal(e.events.filter(([, , w]) => w === 'started').length, 1, 'leadership never changes hands without a fault');
  t.equal(holder(e.lease()), first[1], 'the lease names the leader');
  t.equal(e.lease().spec?.leaseTransitions, 0);
  t.equal(e.lease().spec?.leaseDurationSeconds, 15);
  const renewals = traceLines(e.cluster.sim, 'api', { c: first[1], verb: 'update', res: 'leases', code: 200 });
  t.ok(renewals.length >= 28 && renewals.length <= 30, `the leader renews every 2 s: ${renewals.length} renewals in 60 s`);
});

t.test('crash the leader (no restart): the other takes over 15–20 s later, after the lease expires by its own observation', async (t) => {
  for (const seed of [21, 1, 2, 3, 4, 5]) await t.test(`seed ${seed}`, async (t) => crashLeaderRun(t, seed));
  for (const seed of [21, 1, 2]) await t.test(`seed ${seed}, optimistic renewal`, async (t) => crashLeaderRun(t, seed, true));
});

function crashLeaderRun(t: TapTest, seed: number, optimisticRenew = false): void {
  const e = election({ seed, untilMs: 40_000, optimisticRenew });
  let crashedAtMs = -1;
  let crashed: Id | undefined;
  // Crash the leader right as one of its renewals lands after 5 s, so the lease is fresh.
  e.cluster.onApplied((req) => {
    if (crashedAtMs >= 0 || req.atMs < 5_000 || req.info.resource.resource !== 'leases' || req.info.verb !== 'update' || req.error) return;
    crashed = req.info.component as Id;
    crashedAtMs = req.atMs;
    e.cluster.component(crashed).crash();
  });
  e.cluster.sim.run({ untilMs: 40_000 });
  t.ok(crashed, 'a leader crashed');
  const other = IDS.find((id) => id !== crashed)!;
  const takeover = e.events.find(([, id, w]) => id === other && w === 'started');
  t.ok(takeover, 'the other took over');
  const delay = takeover![0] - crashedAtMs;
  t.ok(delay >= 15_000 && delay <= 20_000, `takeover ${delay} ms after the crash`);
  t.equal(e.cluster.component(crashed!).state, 'crashed');
  t.same(e.leaders(), [other]);
  t.equal(holder(e.lease()), other);
  t.equal(e.lease().spec?.leaseTransitions, 1, 'one transition');
  t.ok(e.samples.filter(([at]) => at > crashedAtMs && at < takeover![0]).every(([, ls]) => ls.length === 0), 'nobody leads in between');
  t.same(e.samples.filter(([, ls]) => ls.length > 1), []);
}

t.test('partition the leader: it stops leading after renewDeadline, and the other acquires only after the lease expires', async (t) => {
  for (const seed of [21, 1, 2, 3, 4, 5]) await t.test(`seed ${seed}`, async (t) => partitionLeaderRun(t, seed));
  for (const seed of [21, 1, 2]) await t.test(`seed ${seed}, optimistic renewal`, async (t) => partitionLeaderRun(t, seed, true));
});

function partitionLeaderRun(t: TapTest, seed: number, optimisticRenew = false): void {
  const e = election({ seed, untilMs: 60_000, optimisticRenew });
  let partitionedAtMs = -1;
  let victim: Id | undefined;
  e.cluster.sim.schedule(10_000, () => {
    victim = e.leaders()[0];
    partitionedAtMs = e.cluster.sim.nowMs;
    e.cluster.network.setPartitioned(victim, true);
  });
  e.cluster.sim.run({ untilMs: 60_000 });
  t.ok(victim);
  const other = IDS.find((id) => id !== victim)!;
  const lastRenewal = traceLines(e.cluster.sim, 'api', { c: victim!, verb: 'update', res: 'leases', code: 200 }).filter((l) => l.atMs <= partitionedAtMs).at(-1)!;
  const stopped = e.events.find(([at, id, w]) => id === victim && w === 'stopped' && at > partitionedAtMs);
  const started = e.events.find(([at, id, w]) => id === other && w === 'started' && at > partitionedAtMs);
  t.ok(stopped, 'the partitioned leader stepped down');
  t.ok(started, 'the other took over');
  // It last renewed at R (the answer ~1–3 ms later); its next tries hang, and the one in flight is
  // cut off at the renew deadline, 10 s after that answer.
  const sinceRenewal = stopped![0] - lastRenewal.atMs;
  t.ok(sinceRenewal >= 10_000 && sinceRenewal <= 10_010, `stepped down ${sinceRenewal} ms after its last renewal`);
  const takeoverAfterRenewal = started![0] - lastRenewal.atMs;
  t.ok(takeoverAfterRenewal >= 15_000 && takeoverAfterRenewal <= 20_000, `the other acquired ${takeoverAfterRenewal} ms after the last renewal (lease duration 15 s)`);
  t.ok(started![0] > stopped![0], 'the old leader had stopped before the new one started');
  t.same(doubleLeadership(e), { doubles: [], overlapping: false }, 'never two leaders');
  t.equal(holder(e.lease()), other);
  t.equal(e.lease().spec?.leaseTransitions, 1);
}

t.test('a healed partition: the old leader campaigns again but stays a follower while the new leader renews', async (t) => {
  const e = election({ untilMs: 80_000 });
  let victim: Id | undefined;
  e.cluster.sim.schedule(10_000, () => {
    victim = e.leaders()[0];
    e.cluster.network.setPartitioned(victim, true);
  });
  e.cluster.sim.schedule(40_000, () => e.cluster.network.setPartitioned(victim!, false));
  e.cluster.sim.run({ untilMs: 80_000 });
  const other = IDS.find((id) => id !== victim)!;
  t.same(e.leaders(), [other]);
  t.ok(e.samples.filter(([at]) => at >= 40_000).every(([, ls]) => ls.length === 1 && ls[0] === other), 'the new leader keeps the lease');
  t.ok(traceLines(e.cluster.sim, 'api', { c: victim!, verb: 'get', res: 'leases' }).some((l) => l.atMs > 40_000), 'the old leader polls the lease again');
  t.same(doubleLeadership(e), { doubles: [], overlapping: false }, 'never two leaders');
});

t.test('leaseTransitions counts takeovers: leader a → b → a', async (t) => {
  const e = election({ untilMs: 100_000 });
  // Each crashed leader comes back after 25 s, when the other holds the lease: it returns as a follower.
  const crashLeader = (): void => e.cluster.component(e.leaders()[0]).crash({ restartAfterMs: 25_000 });
  const holders: string[] = [];
  const transitions: unknown[] = [];
  const look = (): void => {
    holders.push(holder(e.lease()));
    transitions.push(e.lease().spec?.leaseTransitions);
  };
  e.cluster.sim.schedule(5_000, () => { look(); crashLeader(); });
  e.cluster.sim.schedule(35_000, () => { look(); crashLeader(); });
  e.cluster.sim.schedule(70_000, look);
  e.cluster.sim.run({ untilMs: 100_000 });
  t.equal(holders.length, 3);
  t.not(holders[0], holders[1], 'first takeover');
  t.equal(holders[2], holders[0], 'and back');
  t.same(transitions, [0, 1, 2]);
  t.equal(e.lease().spec?.leaseTransitions, 2, 'still 2 at the end: renewals are not transitions');
  t.not(e.lease().spec?.acquireTime, e.lease().spec?.renewTime, 'renewTime moves on; acquireTime stays at the takeover');
  t.same(doubleLeadership(e).doubles, [], 'never two leaders');
  t.same(e.leaders(), [holders[0]]);
  for (const id of IDS) t.equal(e.cluster.component(id).incarnation, 2, `${id} crashed once and came back`);
});

t.test('a restarted leader is a new candidate: nobody leads until its old lease expires, then a takeover is counted', async (t) => {
  const e = election({ untilMs: 30_000 });
  let crashed: Id | undefined;
  e.cluster.sim.schedule(5_000, () => {
    crashed = e.leaders()[0];
    e.cluster.component(crashed).crash({ restartAfterMs: 100 });
  });
  e.cluster.sim.run({ untilMs: 30_000 });
  const after = e.events.filter(([at, , w]) => w === 'started' && at > 5_000);
  t.equal(after.length, 1, 'one new leader');
  t.ok(after[0][0] >= 5_000 + 13_000, `leading again only at ${after[0][0]}, once the old incarnation's lease expired`);
  t.same(e.samples.filter(([at, ls]) => at > 5_000 && at < 5_000 + 13_000 && ls.length > 0), [], 'nobody leads meanwhile');
  t.equal(e.lease().spec?.leaseTransitions, 1, 'the new incarnation taking the lease is a transition');
});

t.test('a conflicting write loses the race: candidates start together and only one wins', async (t) => {
  for (const seed of [1, 2, 3, 4, 5, 6]) {
    const e = election({ seed, untilMs: 10_000, network: { requestLatency: { minMs: 1, maxMs: 20 } } });
    e.cluster.sim.run({ untilMs: 10_000 });
    t.equal(e.events.filter(([, , w]) => w === 'started').length, 1, `seed ${seed}: one leader`);
    t.same(e.samples.filter(([, ls]) => ls.length > 1), []);
  }
});

t.test('a leader whose renewal hangs steps down at renewDeadline even when the request timeout is longer (no two leaders)', async (t) => {
  // client-go bounds each renewal round with RenewDeadline (renew: PollUntilContextTimeout with the
  // deadline in the request's context), so a hung request cannot keep a partitioned leader leading.
  const e = election({ untilMs: 60_000, network: { requestTimeoutMs: 30_000 } });
  let victim: Id | undefined;
  let partitionedAtMs = -1;
  e.cluster.sim.schedule(10_000, () => {
    victim = e.leaders()[0];
    partitionedAtMs = e.cluster.sim.nowMs;
    e.cluster.network.setPartitioned(victim, true);
  });
  e.cluster.sim.run({ untilMs: 60_000 });
  const other = IDS.find((id) => id !== victim)!;
  const lastRenewal = traceLines(e.cluster.sim, 'api', { c: victim!, verb: 'update', res: 'leases', code: 200 }).filter((l) => l.atMs <= partitionedAtMs).at(-1)!;
  const stopped = e.events.find(([at, id, w]) => id === victim && w === 'stopped' && at > partitionedAtMs);
  const started = e.events.find(([at, id, w]) => id === other && w === 'started' && at > partitionedAtMs);
  t.ok(stopped && started);
  const sinceRenewal = stopped![0] - lastRenewal.atMs;
  t.ok(sinceRenewal >= 10_000 && sinceRenewal <= 10_010, `stepped down ${sinceRenewal} ms after its last renewal`);
  t.ok(started![0] > stopped![0], 'before the other started');
  t.same(doubleLeadership(e), { doubles: [], overlapping: false }, 'never two leaders');
});

t.test('optimistic renewal (client-go v0.30+, kubernetes#122069): the leader renews with one UPDATE and no GET, the follower keeps reading', async (t) => {
  const e = election({ untilMs: 60_000, optimisticRenew: true });
  e.cluster.sim.run({ untilMs: 60_000 });
  t.same(doubleLeadership(e), { doubles: [], overlapping: false }, 'never two leaders');
  const leader = e.events[0][1];
  const follower = IDS.find((id) => id !== leader)!;
  const startedAtMs = e.events[0][0];
  const renewals = traceLines(e.cluster.sim, 'api', { c: leader, verb: 'update', res: 'leases', code: 200 });
  t.ok(renewals.length >= 28 && renewals.length <= 30, `the leader renews every 2 s: ${renewals.length} renewals in 60 s`);
  t.same(traceLines(e.cluster.sim, 'api', { c: leader, verb: 'get', res: 'leases' }).filter((l) => l.atMs > startedAtMs), [], 'no GET by the leader once it leads');
  t.ok(traceLines(e.cluster.sim, 'api', { c: follower, verb: 'get', res: 'leases' }).length >= 25, 'the follower reads the lease every retry period');
  t.equal(e.lease().spec?.leaseTransitions, 0);
  t.ok(Date.parse(String(e.lease().spec?.acquireTime)) < Date.parse(String(e.lease().spec?.renewTime)) - 50_000, 'acquireTime kept from the acquisition, renewTime moves');
});

t.test('optimistic renewal falls back to GET and UPDATE when the lease changed under the leader (409 on the fast path)', async (t) => {
  const e = election({ untilMs: 30_000, optimisticRenew: true });
  e.cluster.sim.schedule(10_000, () => {
    const lease = e.lease();
    e.cluster.api.update(LEASES, { ...lease, metadata: { ...lease.metadata, labels: { touched: 'yes' } } });
  });
  e.cluster.sim.run({ untilMs: 30_000 });
  const leader = e.events[0][1];
  const conflicts = traceLines(e.cluster.sim, 'api', { c: leader, verb: 'update', res: 'leases', code: 409 });
  t.equal(conflicts.length, 1, 'one optimistic update lost to the foreign write');
  const after = e.cluster.sim.trace.lines().filter((l) => l.kind === 'api' && l.fields.c === leader && l.fields.res === 'leases' && l.atMs >= conflicts[0].atMs);
  t.same(after.slice(0, 3).map((l) => [l.fields.verb, l.fields.code]), [['update', 409], ['get', 200], ['update', 200]], 'then the slow path: GET, UPDATE');
  t.same(e.events.map(([, id, w]) => [id, w]), [[leader, 'started']], 'leadership kept throughout');
  t.equal(e.lease().metadata.labels?.touched, 'yes', 'the foreign change survives the renewal');
});
