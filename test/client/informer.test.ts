import t from 'tap';
import type { KubeObject } from '../../src/apiserver/types.js';
import type { Informer, InformerOptions } from '../../src/client/informer.js';
import { SimCluster } from '../../src/client/sim-cluster.js';
import { CONFIGMAPS, NS, configMap, traceLines } from './fixtures.js';

interface HandlerCall {
  atMs: number;
  type: 'add' | 'update' | 'delete';
  name: string;
  rv: string;
  /** For updates: the old object's resourceVersion, and whether old and new are the same object. */
  oldRv?: string;
  same?: boolean;
}

/** A cluster with one component "watcher" holding a ConfigMap informer whose handlers log every call. */
function setup(options: Omit<InformerOptions, 'resource'> = {}, seed: number | string = 1) {
  const cluster = new SimCluster({ seed, trace: { keepAll: true }, bookmarkIntervalMs: 0 });
  const calls: HandlerCall[] = [];
  let informer: Informer | undefined;
  const component = cluster.addComponent({
    name: 'watcher',
    setup: (ctx) => {
      informer = ctx.informer(CONFIGMAPS, { namespace: NS, ...options });
      const rv = (o: KubeObject): string => o.metadata.resourceVersion!;
      informer.addHandler({
        add: (o) => calls.push({ atMs: cluster.sim.nowMs, type: 'add', name: o.metadata.name!, rv: rv(o) }),
        update: (old, o) => calls.push({ atMs: cluster.sim.nowMs, type: 'update', name: o.metadata.name!, rv: rv(o), oldRv: rv(old), same: old === o }),
        delete: (o) => calls.push({ atMs: cluster.sim.nowMs, type: 'delete', name: o.metadata.name!, rv: rv(o) }),
      });
    },
  });
  const at = (ms: number, fn: () => void): void => void cluster.sim.schedule(ms - cluster.sim.nowMs, fn);
  return { cluster, component, calls, informer: () => informer!, at };
}

/** name → resourceVersion of what the server holds and of what the informer caches. */
function serverView(cluster: SimCluster): Record<string, string> {
  return Object.fromEntries(cluster.api.list(CONFIGMAPS, { namespace: NS }).items.map((o) => [o.metadata.name!, o.metadata.resourceVersion!]));
}
function cacheView(informer: Informer): Record<string, string> {
  return Object.fromEntries(informer.list().map((o) => [o.metadata.name!, o.metadata.resourceVersion!]));
}

const patchData = (cluster: SimCluster, name: string, data: Record<string, string>): KubeObject =>
  cluster.api.patch(CONFIGMAPS, name, { data }, { namespace: NS, patchType: 'merge' });

t.test('initial list fills the cache, fires add for every object and sets hasSynced', async (t) => {
  const { cluster, calls, informer } = setup();
  for (const name of ['c', 'a', 'b']) cluster.api.create(CONFIGMAPS, configMap(name, { v: name }));
  t.equal(informer().hasSynced, false, 'not synced before the list answer arrives');
  t.equal(informer().lists, 0);
  cluster.sim.run({ untilMs: 50 });
  t.equal(informer().hasSynced, true);
  t.equal(informer().lists, 1);
  t.same(calls.map((c) => [c.type, c.name]), [['add', 'a'], ['add', 'b'], ['add', 'c']], 'adds in list (key) order');
  t.same(informer().keys(), ['default/a', 'default/b', 'default/c']);
  t.equal(informer().get('default/b')?.data?.v, 'b');
  t.equal(informer().lastResourceVersion, String(cluster.api.resourceVersion), 'at the list resourceVersion');
  t.equal(traceLines(cluster.sim, 'api', { c: 'watcher', verb: 'list', res: 'configmaps' }).length, 1, 'one list request in the trace');
});

t.test('a handler added after sync sees adds for the cached objects', async (t) => {
  const { cluster, informer } = setup();
  cluster.api.create(CONFIGMAPS, configMap('a'));
  cluster.sim.run({ untilMs: 50 });
  const late: string[] = [];
  informer().addHandler({ add: (o) => late.push(o.metadata.name!) });
  t.same(late, ['a']);
});

t.test('watch events update the cache and fire add, update and delete with old and new objects', async (t) => {
  const { cluster, calls, informer, at } = setup();
  cluster.api.create(CONFIGMAPS, configMap('a', { v: '1' }));
  cluster.sim.run({ untilMs: 100 });
  calls.length = 0;
  let rvB = '';
  let rvA2 = '';
  at(200, () => { rvB = cluster.api.create(CONFIGMAPS, configMap('b', { v: '1' })).metadata.resourceVersion!; });
  at(300, () => { rvA2 = patchData(cluster, 'a', { v: '2' }).metadata.resourceVersion!; });
  cluster.sim.run({ untilMs: 350 });
  t.equal(informer().get('default/a')?.data?.v, '2', 'cache holds the update');
  t.equal(informer().get('default/b')?.data?.v, '1', 'cache holds the new object');
  at(400, () => void cluster.api.delete(CONFIGMAPS, 'b', { namespace: NS }));
  cluster.sim.run({ untilMs: 450 });
  t.equal(informer().get('default/b'), undefined, 'deleted object leaves the cache');
  t.same(calls.map((c) => [c.type, c.name]), [['add', 'b'], ['update', 'a'], ['delete', 'b']]);
  t.equal(calls[0].rv, rvB);
  t.equal(calls[1].rv, rvA2, 'update carries the new object');
  t.not(calls[1].oldRv, rvA2, 'and the old one');
  t.equal(calls[1].same, false);
  for (const c of calls) t.ok(c.atMs > 200 && c.atMs < 200 + 250, 'delivered after the write, with watch latency');
  t.same(cacheView(informer()), serverView(cluster));
  t.equal(informer().lists, 1, 'no relist');
});

t.test('an object deleted and created again under the same name is cached, updated and deleted again (its key is kept only while cached)', async (t) => {
  const { cluster, calls, informer, at } = setup();
  cluster.api.create(CONFIGMAPS, configMap('a', { v: '1' }));
  cluster.sim.run({ untilMs: 100 });
  at(200, () => void cluster.api.delete(CONFIGMAPS, 'a', { namespace: NS }));
  at(300, () => void cluster.api.create(CONFIGMAPS, configMap('a', { v: '2' })));
  at(400, () => void patchData(cluster, 'a', { v: '3' }));
  cluster.sim.run({ untilMs: 450 });
  t.same(calls.map((c) => [c.type, c.name]), [['add', 'a'], ['delete', 'a'], ['add', 'a'], ['update', 'a']]);
  t.equal(informer().get('default/a')?.data?.v, '3');
  t.same(informer().keys(), ['default/a']);
  at(500, () => void cluster.api.delete(CONFIGMAPS, 'a', { namespace: NS }));
  cluster.sim.run({ untilMs: 550 });
  t.same(informer().keys(), [], 'deleted again');
  t.same(cacheView(informer()), serverView(cluster));
});

t.test('indexes stay right across adds, updates that move an object between values, and deletes', async (t) => {
  const { cluster, informer, at } = setup();
  const app = (name: string, value: string): KubeObject => ({ ...configMap(name), metadata: { name, namespace: NS, labels: { app: value } } });
  cluster.api.create(CONFIGMAPS, app('a', 'x'));
  cluster.api.create(CONFIGMAPS, app('b', 'y'));
  cluster.sim.run({ untilMs: 50 });
  informer().addIndexer('by-app', (o) => (o.metadata.labels?.app ? [o.metadata.labels.app] : []));
  const names = (v: string): string[] => informer().byIndex('by-app', v).map((o) => o.metadata.name!);
  t.same(names('x'), ['a'], 'an index added after sync covers the cached objects');
  t.same(names('y'), ['b']);
  at(100, () => void cluster.api.create(CONFIGMAPS, app('c', 'x')));
  cluster.sim.run({ untilMs: 150 });
  t.same(names('x'), ['a', 'c'], 'added object indexed');
  at(200, () => void cluster.api.patch(CONFIGMAPS, 'a', { metadata: { labels: { app: 'y' } } }, { namespace: NS, patchType: 'merge' }));
  cluster.sim.run({ untilMs: 250 });
  t.same(names('x'), ['c'], 'updated object leaves its old value');
  t.same(names('y'), ['a', 'b'], 'and joins its new one');
  t.equal(informer().byIndex('by-app', 'y')[0].metadata.labels?.app, 'y', 'index returns the current object');
  at(300, () => void cluster.api.patch(CONFIGMAPS, 'c', { metadata: { labels: { app: null } } }, { namespace: NS, patchType: 'merge' }));
  at(310, () => void cluster.api.delete(CONFIGMAPS, 'b', { namespace: NS }));
  cluster.sim.run({ untilMs: 400 });
  t.same(names('x'), [], 'object whose index value is removed is unindexed');
  t.same(names('y'), ['a'], 'deleted object unindexed');
  t.same(names('nothing'), []);
  t.throws(() => informer().byIndex('no-such-index', 'x'), /no index no-such-index/);
});

t.test('informer relists after 410 when the watch history is compacted while its watch is broken', async (t) => {
  const { cluster, calls, informer, at } = setup();
  for (const name of ['a', 'b', 'c']) cluster.api.create(CONFIGMAPS, configMap(name, { v: '1' }));
  cluster.sim.run({ untilMs: 100 });
  t.equal(informer().lists, 1);
  calls.length = 0;
  at(1_000, () => cluster.network.setPartitioned('watcher', true));
  at(1_100, () => {
    patchData(cluster, 'a', { v: '2' });
    cluster.api.delete(CONFIGMAPS, 'b', { namespace: NS });
    cluster.api.create(CONFIGMAPS, configMap('d', { v: '1' }));
  });
  at(1_200, () => cluster.api.compact(0));
  at(3_000, () => cluster.network.setPartitioned('watcher', false));
  cluster.sim.run({ untilMs: 10_000 });
  t.equal(informer().lists, 1, 'the broken watch is noticed only after the request timeout (10 s)');
  t.same(informer().keys(), ['default/a', 'default/b', 'default/c'], 'cache still shows the old world');
  t.equal(informer().get('default/a')?.data?.v, '1');
  t.equal(calls.length, 0);
  cluster.sim.run({ untilMs: 20_000 });
  t.equal(informer().lists, 2, 'relisted once');
  t.equal(traceLines(cluster.sim, 'api', { c: 'watcher', verb: 'list' }).length, 2, 'two list requests in the trace');
  t.same(cacheView(informer()), serverView(cluster), 'cache converged: no missing and no phantom objects');
  t.same(informer().keys(), ['default/a', 'default/c', 'default/d']);
  t.same(calls.map((c) => [c.type, c.name]).sort(), [['add', 'd'], ['delete', 'b'], ['update', 'a'], ['update', 'c']].sort(),
    'the relist shows handlers the difference (client-go Replace: updates for survivors)');
  const updA = calls.find((c) => c.type === 'update' && c.name === 'a')!;
  t.not(updA.oldRv, updA.rv, 'a: old and new differ');
  t.ok(calls.every((c) => c.atMs >= 11_000), 'all of it after the relist');
});

t.test('a re-watch after a broken connection resumes from the last resourceVersion without relisting', async (t) => {
  const { cluster, calls, informer, at } = setup();
  for (const name of ['a', 'b']) cluster.api.create(CONFIGMAPS, configMap(name, { v: '1' }));
  cluster.sim.run({ untilMs: 100 });
  calls.length = 0;
  at(1_000, () => cluster.network.setPartitioned('watcher', true));
  at(1_100, () => {
    patchData(cluster, 'a', { v: '2' });
    cluster.api.delete(CONFIGMAPS, 'b', { namespace: NS });
    cluster.api.create(CONFIGMAPS, configMap('c'));
  });
  at(3_000, () => cluster.network.setPartitioned('watcher', false));
  cluster.sim.run({ untilMs: 20_000 });
  t.equal(informer().lists, 1, 'no relist');
  t.equal(traceLines(cluster.sim, 'api', { c: 'watcher', verb: 'list' }).length, 1);
  t.same(cacheView(informer()), serverView(cluster), 'cache converged from the replayed events');
  t.same(calls.map((c) => [c.type, c.name]), [['update', 'a'], ['delete', 'b'], ['add', 'c']], 'events replayed in commit order');
  const replayed = traceLines(cluster.sim, 'watch', { c: 'watcher' }).filter((l) => l.atMs > 1_000);
  t.equal(replayed.length, 3, 'the three changes arrive as watch events');
  t.ok(replayed.every((l) => l.atMs > 11_000), 'after the broken stream times out and the informer re-watches');
});

t.test('resync replays every cached object to update handlers with old === new', async (t) => {
  const { cluster, calls, informer } = setup({ resyncPeriodMs: 1_000 });
  for (const name of ['a', 'b']) cluster.api.create(CONFIGMAPS, configMap(name));
  cluster.sim.run({ untilMs: 3_500 });
  const updates = calls.filter((c) => c.type === 'update');
  t.equal(updates.length, 6, 'two objects at 1 s, 2 s and 3 s');
  t.ok(updates.every((c) => c.same && c.oldRv === c.rv), 'old and new are the same object');
  t.same(updates.map((c) => c.atMs), [1_000, 1_000, 2_000, 2_000, 3_000, 3_000]);
  t.equal(informer().lists, 1, 'resync does not list');
  t.equal(traceLines(cluster.sim, 'api', { c: 'watcher' }).length, 1, 'nor make any request');
});

t.test('no resync without a period', async (t) => {
  const { cluster, calls } = setup();
  cluster.api.create(CONFIGMAPS, configMap('a'));
  cluster.sim.run({ untilMs: 5_000 });
  t.same(calls.map((c) => c.type), ['add']);
});

t.test('stale view: setStaleView(2) makes the cache trail by two events, setStaleView(0) catches up', async (t) => {
  const { cluster, component, calls, informer, at } = setup();
  cluster.api.create(CONFIGMAPS, configMap('a', { v: '0' }));
  cluster.sim.run({ untilMs: 100 });
  calls.length = 0;
  at(500, () => component.setStaleView(2));
  const rvs: string[] = [];
  for (let i = 1; i <= 4; i++) at(1_000 * i, () => void rvs.push(patchData(cluster, 'a', { v: String(i) }).metadata.resourceVersion!));
  cluster.sim.run({ untilMs: 1_500 });
  t.equal(informer().get('default/a')?.data?.v, '0', 'one event: held back');
  cluster.sim.run({ untilMs: 2_500 });
  t.equal(informer().get('default/a')?.data?.v, '0', 'two events: both held back');
  t.equal(calls.length, 0, 'handlers saw nothing');
  cluster.sim.run({ untilMs: 3_500 });
  t.equal(informer().get('default/a')?.data?.v, '1', 'three events: the cache is two behind the server (v3)');
  t.equal(informer().lastResourceVersion, rvs[0], 'and so is its resourceVersion');
  cluster.sim.run({ untilMs: 4_500 });
  t.equal(informer().get('default/a')?.data?.v, '2');
  t.equal(cluster.api.get(CONFIGMAPS, 'a', { namespace: NS }).data?.v, '4');
  at(5_000, () => component.setStaleView(0));
  cluster.sim.run({ untilMs: 5_000 });
  t.equal(informer().get('default/a')?.data?.v, '4', 'lifting the lag applies what was held at once');
  t.equal(informer().lastResourceVersion, rvs[3]);
  t.same(calls.map((c) => [c.type, c.rv]), rvs.map((rv) => ['update', rv]), 'every event reached the handlers, in order');
  t.ok(calls[0].atMs > 3_000 && calls[0].atMs < 3_100, 'v1 applied when the third event arrived');
  t.ok(calls[1].atMs > 4_000 && calls[1].atMs < 4_100, 'v2 when the fourth did');
  t.same(calls.slice(2).map((c) => c.atMs), [5_000, 5_000], 'v3 and v4 when the lag was lifted');
});

t.test('stale view survives a broken watch without replaying held events twice (the cache never goes back)', async (t) => {
  const { cluster, component, calls, informer, at } = setup();
  cluster.api.create(CONFIGMAPS, configMap('a', { v: '0' }));
  cluster.sim.run({ untilMs: 100 });
  calls.length = 0;
  component.setStaleView(2);
  for (let i = 1; i <= 3; i++) at(200 * i, () => void patchData(cluster, 'a', { v: String(i) }));
  at(1_000, () => cluster.network.setPartitioned('watcher', true));
  at(1_100, () => cluster.network.setPartitioned('watcher', false));
  for (let i = 4; i <= 6; i++) at(12_000 + 200 * i, () => void patchData(cluster, 'a', { v: String(i) }));
  cluster.sim.run({ untilMs: 15_000 });
  const versions = calls.map((c) => Number(c.rv));
  t.ok(versions.every((v, i) => i === 0 || v > versions[i - 1]), `handlers see resourceVersions only go up: ${versions.join(',')}`);
  t.ok(calls.every((c) => c.type === 'update' && Number(c.oldRv) < Number(c.rv)), 'every update moves forward');
  t.equal(informer().get('default/a')?.data?.v, '4', 'two behind the server');
  component.setStaleView(0);
  t.same(cacheView(informer()), serverView(cluster), 'caught up');
});

t.test('a stale view set before the component starts applies to informers made later', async (t) => {
  const cluster = new SimCluster({ seed: 3, bookmarkIntervalMs: 0 });
  let informer: Informer | undefined;
  const component = cluster.addComponent({ name: 'late', start: false, setup: (ctx) => { informer = ctx.informer(CONFIGMAPS, { namespace: NS }); } });
  component.setStaleView(1);
  component.start();
  cluster.sim.run({ untilMs: 100 });
  cluster.sim.schedule(0, () => void cluster.api.create(CONFIGMAPS, configMap('a')));
  cluster.sim.run({ untilMs: 200 });
  t.equal(informer!.get('default/a'), undefined, 'held back');
  component.setStaleView(0);
  t.ok(informer!.get('default/a'), 'released');
});

t.test('a failed list backs off (800 ms doubling, jittered) and the informer syncs once the server answers', async (t) => {
  const { cluster, informer } = setup();
  const remove = cluster.network.addRequestFault({ name: 'list-503', match: (r) => r.verb === 'list', fault: { kind: 'error', status: { apiVersion: 'v1', kind: 'Status', metadata: {}, status: 'Failure', code: 503, reason: 'ServiceUnavailable', message: 'down' } } });
  cluster.sim.run({ untilMs: 4_000 });
  t.equal(informer().hasSynced, false);
  const attempts = traceLines(cluster.sim, 'fault-hit', { rule: 'list-503' }).map((l) => l.atMs);
  t.ok(attempts.length >= 3 && attempts.length <= 4, `three or four attempts in 4 s: ${attempts.join(',')}`);
  const gaps = attempts.slice(1).map((a, i) => a - attempts[i]);
  t.ok(gaps[0] >= 800 + 2 && gaps[0] <= 1_000 + 6, `first backoff 800–1000 ms plus the failed round trip: ${gaps[0]}`);
  t.ok(gaps[1] >= 1_600 + 2 && gaps[1] <= 2_000 + 6, `second 1600–2000 ms: ${gaps[1]}`);
  remove();
  cluster.sim.run({ untilMs: 20_000 });
  t.equal(informer().hasSynced, true);
  t.equal(informer().lists, 1);
});

t.test('the re-watch backoff resets after two minutes without failures (client-go ExponentialBackoffManager)', async (t) => {
  const { cluster, informer, at } = setup();
  cluster.sim.run({ untilMs: 100 });
  // Three short partitions, minutes apart; after each, an object created 2 s after the cut shows how
  // long the informer took to watch again once the broken stream timed out (10 s after the cut).
  for (const [i, cutMs] of [200_000, 400_000, 600_000].entries()) {
    at(cutMs, () => cluster.network.setPartitioned('watcher', true));
    at(cutMs + 1_000, () => cluster.network.setPartitioned('watcher', false));
    at(cutMs + 2_000, () => void cluster.api.create(CONFIGMAPS, configMap(`after-${i}`)));
  }
  const seen = new Map<string, number>();
  informer().addHandler({ add: (o) => void seen.set(o.metadata.name!, cluster.sim.nowMs) });
  cluster.sim.run({ untilMs: 700_000 });
  const delays = [0, 1, 2].map((i) => seen.get(`after-${i}`)! - ([200_000, 400_000, 600_000][i] + 10_000));
  t.ok(delays.every((d) => d >= 800 && d <= 1_000 + 10), `each recovery waits the initial 0.8–1 s backoff: ${delays.join(', ')} ms`);
  t.equal(informer().lists, 1);
});
