import t from 'tap';
import { ApiError, internalError } from '../../src/apiserver/api-error.js';
import type { KubeObject, Status, WatchEvent } from '../../src/apiserver/types.js';
import type { NetworkOptions } from '../../src/client/network.js';
import { NetworkError } from '../../src/client/network-error.js';
import { SimCluster } from '../../src/client/sim-cluster.js';
import type { Proc } from '../../src/sim/process.js';
import { CONFIGMAPS, NS, configMap, runProcess, traceLines } from './fixtures.js';

function newCluster(network: NetworkOptions = {}, seed: number | string = 7, breakTies = false): SimCluster {
  return new SimCluster({ seed, trace: { keepAll: true }, bookmarkIntervalMs: 0, network, breakTies });
}

const names = (cluster: SimCluster): string[] => cluster.api.list(CONFIGMAPS, { namespace: NS }).items.map((o) => o.metadata.name!);

t.test('request latency: each leg within the configured range, and every applied request is in the trace', async (t) => {
  const cluster = newCluster({ requestLatency: { minMs: 5, maxMs: 10 } });
  cluster.api.create(CONFIGMAPS, configMap('a'));
  const client = cluster.client('tester');
  const rounds: { sentMs: number; doneMs: number }[] = [];
  const run = runProcess(cluster.sim, (function* (): Proc<void> {
    for (let i = 0; i < 40; i++) {
      const sentMs = cluster.sim.nowMs;
      const got = yield* client.get(CONFIGMAPS, 'a', { namespace: NS });
      if (got.metadata.name !== 'a') throw new Error('wrong object');
      rounds.push({ sentMs, doneMs: cluster.sim.nowMs });
    }
  })());
  cluster.sim.run({ untilMs: 10_000 });
  t.equal(run.error, undefined);
  t.equal(rounds.length, 40);
  const rtts = rounds.map((r) => r.doneMs - r.sentMs);
  t.ok(rtts.every((ms) => ms >= 10 && ms <= 20), `round trips within 2×[5, 10] ms: ${rtts.join(',')}`);
  t.ok(new Set(rtts).size > 3, 'latencies vary (drawn by the chooser)');
  const applied = traceLines(cluster.sim, 'api', { c: 'tester', verb: 'get', res: 'configmaps', name: 'a', code: 200 });
  t.equal(applied.length, 40, 'one trace line per request');
  applied.forEach((line, i) => {
    const toServer = line.atMs - rounds[i].sentMs;
    t.ok(toServer >= 5 && toServer <= 10, `applied at the server after the request leg (${toServer} ms)`);
  });
});

t.test('an injected API error with probability 1 fails the call with ApiError and the server is unchanged', async (t) => {
  const cluster = newCluster();
  const status: Status = internalError('injected').status;
  cluster.network.addRequestFault({ name: 'create-500', match: (r) => r.verb === 'create' && r.resource.resource === 'configmaps', fault: { kind: 'error', status } });
  const rvBefore = cluster.api.resourceVersion;
  const client = cluster.client('tester');
  const run = runProcess(cluster.sim, client.create(CONFIGMAPS, configMap('a')));
  const other = runProcess(cluster.sim, client.list(CONFIGMAPS, { namespace: NS }), 'list');
  cluster.sim.run({ untilMs: 1_000 });
  t.type(run.error, ApiError);
  t.equal((run.error as ApiError).code, 500);
  t.equal((run.error as ApiError).status, status, 'the injected Status itself');
  t.ok(run.doneAtMs! >= 2 && run.doneAtMs! <= 6, 'after a round trip');
  t.same(names(cluster), [], 'nothing created');
  t.equal(cluster.api.resourceVersion, rvBefore, 'no write reached the server');
  t.equal(traceLines(cluster.sim, 'api', { verb: 'create' }).length, 0, 'the server never saw it');
  t.equal(traceLines(cluster.sim, 'fault-hit', { rule: 'create-500', verb: 'create' }).length, 1, 'the hit is traced');
  t.equal(other.error, undefined, 'requests the rule does not match go through');
});

t.test('an injected error with probability 0.5 hits some requests and not others, decided by the chooser', async (t) => {
  const run = (seed: number) => {
    const cluster = newCluster({}, seed);
    cluster.network.addRequestFault({ name: 'flaky', match: (r) => r.verb === 'create', probability: 0.5, fault: { kind: 'error', status: internalError('flaky').status } });
    const client = cluster.client('tester');
    const outcomes: string[] = [];
    runProcess(cluster.sim, (function* (): Proc<void> {
      for (let i = 0; i < 40; i++) {
        try {
          yield* client.create(CONFIGMAPS, configMap(`cm-${i}`));
          outcomes.push('ok');
        } catch (e) {
          if (!(e instanceof ApiError)) throw e;
          outcomes.push('500');
        }
      }
    })());
    cluster.sim.run({ untilMs: 10_000 });
    return { outcomes, created: names(cluster).length };
  };
  const a = run(1);
  const failed = a.outcomes.filter((o) => o === '500').length;
  t.ok(failed > 5 && failed < 35, `about half fail: ${failed}/40`);
  t.equal(a.created, 40 - failed, 'exactly the successful ones exist');
  t.same(run(1).outcomes, a.outcomes, 'same seed, same hits');
  t.notSame(run(2).outcomes, a.outcomes, 'another seed, other hits');
});

t.test('drop-request: NetworkError after requestTimeoutMs and no write', async (t) => {
  const cluster = newCluster({ requestTimeoutMs: 1_000 });
  cluster.network.addRequestFault({ name: 'lose', match: (r) => r.verb === 'create', fault: { kind: 'drop-request' } });
  const run = runProcess(cluster.sim, cluster.client('tester').create(CONFIGMAPS, configMap('a')));
  cluster.sim.run({ untilMs: 5_000 });
  t.type(run.error, NetworkError);
  t.equal((run.error as NetworkError).reason, 'timeout');
  t.equal(run.doneAtMs, 1_000, 'exactly the request timeout');
  t.same(names(cluster), []);
  t.equal(traceLines(cluster.sim, 'api', { verb: 'create' }).length, 0);
});

t.test('drop-response: the write IS applied but the caller gets NetworkError after the timeout', async (t) => {
  const cluster = newCluster({ requestTimeoutMs: 1_000 });
  cluster.network.addRequestFault({ name: 'lose-answer', match: (r) => r.verb === 'create', fault: { kind: 'drop-response' } });
  const run = runProcess(cluster.sim, cluster.client('tester').create(CONFIGMAPS, configMap('a', { k: 'v' })));
  cluster.sim.run({ untilMs: 100 });
  t.same(names(cluster), ['a'], 'applied at the server right away');
  t.equal(run.outcome, undefined, 'the caller is still waiting');
  cluster.sim.run({ untilMs: 5_000 });
  t.type(run.error, NetworkError);
  t.equal((run.error as NetworkError).reason, 'timeout');
  t.equal(run.doneAtMs, 1_000);
  t.equal(cluster.api.get(CONFIGMAPS, 'a', { namespace: NS }).data?.k, 'v');
  t.equal(traceLines(cluster.sim, 'api', { verb: 'create', code: 200 }).length, 1, 'the server applied it once');
});

t.test('a retried create after a lost response meets AlreadyExists (the write had landed)', async (t) => {
  const cluster = newCluster({ requestTimeoutMs: 500 });
  const remove = cluster.network.addRequestFault({ name: 'lose-answer', match: (r) => r.verb === 'create', fault: { kind: 'drop-response' } });
  const client = cluster.client('tester');
  const errors: string[] = [];
  runProcess(cluster.sim, (function* (): Proc<void> {
    for (let i = 0; i < 2; i++) {
      try {
        yield* client.create(CONFIGMAPS, configMap('a'));
      } catch (e) {
        errors.push(e instanceof ApiError ? e.reason : (e as Error).name);
        remove();
      }
    }
  })());
  cluster.sim.run({ untilMs: 5_000 });
  t.same(errors, ['NetworkError', 'AlreadyExists']);
});

t.test('delay adds latency to the request leg', async (t) => {
  const cluster = newCluster({ requestLatency: { minMs: 1, maxMs: 3 } });
  cluster.api.create(CONFIGMAPS, configMap('a'));
  cluster.network.addRequestFault({ name: 'slow', match: (r) => r.verb === 'get', fault: { kind: 'delay', extraMs: 500 } });
  const client = cluster.client('tester');
  const slow = runProcess(cluster.sim, client.get(CONFIGMAPS, 'a', { namespace: NS }));
  const fast = runProcess(cluster.sim, client.list(CONFIGMAPS, { namespace: NS }), 'list');
  cluster.sim.run({ untilMs: 5_000 });
  t.equal(slow.value?.metadata.name, 'a', 'still answered');
  t.ok(slow.doneAtMs! >= 502 && slow.doneAtMs! <= 506, `500 ms + two legs of 1–3 ms: ${slow.doneAtMs}`);
  const applied = traceLines(cluster.sim, 'api', { verb: 'get' })[0];
  t.ok(applied.atMs >= 501 && applied.atMs <= 503, 'the delay is on the way to the server');
  t.ok(fast.doneAtMs! <= 6, 'unmatched requests are not delayed');
});

t.test('partition: calls fail with NetworkError(partitioned) after the timeout, the server sees nothing, healing restores them', async (t) => {
  const cluster = newCluster({ requestTimeoutMs: 2_000 });
  const client = cluster.client('tester');
  cluster.network.setPartitioned('tester', true);
  t.equal(cluster.network.isPartitioned('tester'), true);
  const cut = runProcess(cluster.sim, client.create(CONFIGMAPS, configMap('a')));
  const bystander = runProcess(cluster.sim, cluster.client('other').create(CONFIGMAPS, configMap('b')), 'other');
  cluster.sim.run({ untilMs: 3_000 });
  t.type(cut.error, NetworkError);
  t.equal((cut.error as NetworkError).reason, 'partitioned');
  t.equal(cut.doneAtMs, 2_000);
  t.equal(bystander.error, undefined, 'other components are not cut off');
  t.same(names(cluster), ['b']);
  cluster.network.setPartitioned('tester', false);
  const healed = runProcess(cluster.sim, client.create(CONFIGMAPS, configMap('a')));
  cluster.sim.run({ untilMs: 4_000 });
  t.equal(healed.error, undefined);
  t.same(names(cluster), ['a', 'b']);
  t.same(traceLines(cluster.sim, 'partition').length + traceLines(cluster.sim, 'heal-partition').length, 2, 'partition and heal traced');
});

t.test('partition while a request is in flight: the write lands but the answer is lost', async (t) => {
  const cluster = newCluster({ requestLatency: { minMs: 10, maxMs: 10 }, requestTimeoutMs: 1_000 });
  const run = runProcess(cluster.sim, cluster.client('tester').create(CONFIGMAPS, configMap('a')));
  cluster.sim.schedule(15, () => cluster.network.setPartitioned('tester', true));
  cluster.sim.run({ untilMs: 2_000 });
  t.same(names(cluster), ['a'], 'applied at 10 ms');
  t.type(run.error, NetworkError);
  t.equal((run.error as NetworkError).reason, 'partitioned');
  t.equal(run.doneAtMs, 1_000, 'the caller gives up at the timeout');
});

t.test('partition closes an open watch with NetworkError after the timeout, and events after the cut are not delivered', async (t) => {
  const cluster = newCluster({ requestTimeoutMs: 2_000 });
  const seen: string[] = [];
  let closed: { atMs: number; reason?: Status | NetworkError } | undefined;
  cluster.client('tester').watch(CONFIGMAPS, { namespace: NS, resourceVersion: String(cluster.api.resourceVersion) }, {
    event: (ev) => seen.push(`${ev.type} ${(ev.object as KubeObject).metadata.name}`),
    closed: (reason) => { closed = { atMs: cluster.sim.nowMs, reason }; },
  });
  cluster.sim.schedule(100, () => void cluster.api.create(CONFIGMAPS, configMap('before')));
  cluster.sim.schedule(500, () => cluster.network.setPartitioned('tester', true));
  cluster.sim.schedule(600, () => void cluster.api.create(CONFIGMAPS, configMap('after')));
  cluster.sim.run({ untilMs: 10_000 });
  t.same(seen, ['ADDED before']);
  t.ok(closed, 'closed');
  t.equal(closed!.atMs, 2_500);
  t.type(closed!.reason, NetworkError);
  t.equal((closed!.reason as NetworkError).reason, 'partitioned');
});

t.test('a watch opened while partitioned fails with NetworkError after the timeout', async (t) => {
  const cluster = newCluster({ requestTimeoutMs: 1_000 });
  cluster.network.setPartitioned('tester', true);
  let closed: { atMs: number; reason?: Status | NetworkError } | undefined;
  cluster.client('tester').watch(CONFIGMAPS, { namespace: NS }, { event: () => t.fail('no events'), closed: (reason) => { closed = { atMs: cluster.sim.nowMs, reason }; } });
  cluster.sim.run({ untilMs: 5_000 });
  t.equal(closed?.atMs, 1_000);
  t.type(closed?.reason, NetworkError);
});

t.test('a watch from a compacted resourceVersion closes with a 410 Expired Status', async (t) => {
  const cluster = newCluster();
  const rv = String(cluster.api.resourceVersion);
  cluster.api.create(CONFIGMAPS, configMap('a'));
  cluster.api.create(CONFIGMAPS, configMap('b'));
  cluster.api.compact(0);
  const types: string[] = [];
  let reason: Status | NetworkError | undefined;
  cluster.client('tester').watch(CONFIGMAPS, { namespace: NS, resourceVersion: rv }, { event: (ev) => types.push(ev.type), closed: (r) => { reason = r; } });
  cluster.sim.run({ untilMs: 100 });
  t.same(types, ['ERROR']);
  t.equal((reason as Status).code, 410);
  t.equal((reason as Status).reason, 'Expired');
});

function watchOrder(seed: number) {
  const cluster = newCluster({ watchLatency: { minMs: 1, maxMs: 50 } }, seed, true);
  const byWatch: number[][] = [[], [], []];
  for (let w = 0; w < 3; w++) {
    cluster.client(`w${w}`).watch(CONFIGMAPS, { namespace: NS, resourceVersion: String(cluster.api.resourceVersion) }, {
      event: (ev: WatchEvent) => byWatch[w].push(Number((ev.object as KubeObject).metadata.resourceVersion)),
      closed: () => t.fail('watch closed'),
    });
  }
  const committed: number[] = [];
  const commit = (): void => void committed.push(cluster.api.resourceVersion);
  for (let burst = 0; burst < 10; burst++) {
    cluster.sim.schedule(10 + burst * 7, () => {
      for (let i = 0; i < 5; i++) {
        cluster.api.create(CONFIGMAPS, configMap(`cm-${burst}-${i}`));
        commit();
      }
      cluster.api.patch(CONFIGMAPS, `cm-${burst}-0`, { data: { x: 'y' } }, { namespace: NS, patchType: 'merge' });
      commit();
      if (burst > 0) {
        cluster.api.delete(CONFIGMAPS, `cm-${burst - 1}-1`, { namespace: NS });
        commit();
      }
    });
  }
  cluster.sim.run({ untilMs: 2_000 });
  return { committed, byWatch, decisions: cluster.sim.chooser.count };
}

t.test('watch deliveries stay in commit order under random latency and breakTies', async (t) => {
  for (const seed of [1, 2, 3, 4]) {
    const { committed, byWatch, decisions } = watchOrder(seed);
    t.equal(committed.length, 69);
    t.ok(decisions > 69, 'latencies and ties were decided by the chooser');
    for (const got of byWatch) t.same(got, committed, `seed ${seed}: every event delivered, in commit order`);
  }
});

t.test('a delivery fault "drop" loses only the matching events', async (t) => {
  const cluster = newCluster();
  cluster.network.addDeliveryFault({ name: 'drop-b', match: (d) => d.component === 'tester' && d.name === 'b', fault: { kind: 'drop' } });
  const seen = { tester: [] as string[], other: [] as string[] };
  for (const c of ['tester', 'other'] as const) {
    cluster.client(c).watch(CONFIGMAPS, { namespace: NS, resourceVersion: String(cluster.api.resourceVersion) }, {
      event: (ev) => seen[c].push(`${ev.type} ${(ev.object as KubeObject).metadata.name}`),
      closed: () => t.fail('closed'),
    });
  }
  cluster.sim.schedule(10, () => {
    for (const n of ['a', 'b', 'c']) cluster.api.create(CONFIGMAPS, configMap(n));
    cluster.api.patch(CONFIGMAPS, 'b', { data: { x: '1' } }, { namespace: NS, patchType: 'merge' });
    cluster.api.delete(CONFIGMAPS, 'a', { namespace: NS });
  });
  cluster.sim.run({ untilMs: 500 });
  t.same(seen.tester, ['ADDED a', 'ADDED c', 'DELETED a'], 'both events of b lost, the rest in order');
  t.same(seen.other, ['ADDED a', 'ADDED b', 'ADDED c', 'MODIFIED b', 'DELETED a'], 'another component sees everything');
  t.equal(traceLines(cluster.sim, 'fault-hit', { rule: 'drop-b' }).length, 2);
});

t.test('lifting a drop rule delivers what it withheld: only each object\'s latest state, in commit order', async (t) => {
  const cluster = newCluster();
  const lift = cluster.network.addDeliveryFault({ name: 'drop-b', match: (d) => d.name === 'b' || d.name === 'c', fault: { kind: 'drop' } });
  const seen: string[] = [];
  cluster.client('tester').watch(CONFIGMAPS, { namespace: NS, resourceVersion: String(cluster.api.resourceVersion) }, {
    event: (ev) => seen.push(`${ev.type} ${(ev.object as KubeObject).metadata.name} ${JSON.stringify((ev.object as KubeObject).data ?? {})}`),
    closed: () => t.fail('closed'),
  });
  cluster.sim.schedule(10, () => {
    for (const n of ['a', 'b', 'c']) cluster.api.create(CONFIGMAPS, configMap(n));
    cluster.api.patch(CONFIGMAPS, 'c', { data: { x: '1' } }, { namespace: NS, patchType: 'merge' });
    cluster.api.patch(CONFIGMAPS, 'b', { data: { x: '2' } }, { namespace: NS, patchType: 'merge' });
  });
  cluster.sim.schedule(200, lift);
  cluster.sim.run({ untilMs: 500 });
  t.same(seen, ['ADDED a {}', 'MODIFIED c {"x":"1"}', 'MODIFIED b {"x":"2"}'], 'intermediate states of b and c never seen; their latest arrive after the lift');
  t.equal(traceLines(cluster.sim, 'watch-withheld').length, 4);
});

t.test('a delivery fault "delay" holds back the matching event and everything behind it on the stream', async (t) => {
  const cluster = newCluster({ watchLatency: { minMs: 1, maxMs: 1 } });
  cluster.network.addDeliveryFault({ name: 'slow-b', match: (d) => d.name === 'b', fault: { kind: 'delay', extraMs: 1_000 } });
  const seen: [number, string][] = [];
  cluster.client('tester').watch(CONFIGMAPS, { namespace: NS, resourceVersion: String(cluster.api.resourceVersion) }, {
    event: (ev) => seen.push([cluster.sim.nowMs, (ev.object as KubeObject).metadata.name!]),
    closed: () => t.fail('closed'),
  });
  cluster.sim.schedule(10, () => { for (const n of ['a', 'b', 'c']) cluster.api.create(CONFIGMAPS, configMap(n)); });
  cluster.sim.run({ untilMs: 2_000 });
  t.same(seen, [[11, 'a'], [1_011, 'b'], [1_011, 'c']]);
});

t.test('a stopped watch delivers nothing more', async (t) => {
  const cluster = newCluster();
  const seen: string[] = [];
  const w = cluster.client('tester').watch(CONFIGMAPS, { namespace: NS, resourceVersion: String(cluster.api.resourceVersion) }, {
    event: (ev) => seen.push((ev.object as KubeObject).metadata.name!),
    closed: () => t.fail('stop does not call closed'),
  });
  cluster.sim.schedule(10, () => { cluster.api.create(CONFIGMAPS, configMap('a')); w.stop(); });
  cluster.sim.schedule(20, () => void cluster.api.create(CONFIGMAPS, configMap('b')));
  cluster.sim.run({ untilMs: 200 });
  t.same(seen, [], 'even an event already in flight is discarded');
});

t.test('a watch cut off before its request reaches the server never opens: no events while partitioned', async (t) => {
  const cluster = newCluster({ requestLatency: { minMs: 5, maxMs: 5 }, requestTimeoutMs: 1_000 });
  const seen: string[] = [];
  let closed: { atMs: number; reason?: Status | NetworkError } | undefined;
  cluster.client('tester').watch(CONFIGMAPS, { namespace: NS, resourceVersion: String(cluster.api.resourceVersion) }, {
    event: (ev) => seen.push(`${cluster.sim.nowMs} ${ev.type} ${(ev.object as KubeObject).metadata.name}`),
    closed: (reason) => { closed = { atMs: cluster.sim.nowMs, reason }; },
  });
  cluster.sim.schedule(2, () => cluster.network.setPartitioned('tester', true));
  cluster.sim.schedule(100, () => void cluster.api.create(CONFIGMAPS, configMap('during')));
  cluster.sim.run({ untilMs: 5_000 });
  t.same(seen, [], 'a partitioned component receives nothing');
  t.equal(closed?.atMs, 1_002);
  t.type(closed?.reason, NetworkError);
});
