import t from 'tap';
import { ApiError, isNotFound } from '../../src/apiserver/api-error.js';
import type { ComponentContext } from '../../src/client/component.js';
import type { Controller, Reconcile, ReconcileResult } from '../../src/client/controller.js';
import type { NetworkOptions } from '../../src/client/network.js';
import { SimCluster } from '../../src/client/sim-cluster.js';
import { TerminalError } from '../../src/client/terminal-error.js';
import type { Proc } from '../../src/sim/process.js';
import { CONFIGMAPS, NS, configMap, traceLines } from './fixtures.js';

interface Harness {
  cluster: SimCluster;
  /** Reconcile start times. */
  starts: number[];
  controller: () => Controller;
}

type Outcome = ReconcileResult | void;

/** A reconcile body: a generator when it makes requests, a plain function when it returns at once. */
type Body = (ctx: ComponentContext, key: string, attempt: number) => Proc<Outcome> | Outcome;

function isProc(x: Proc<Outcome> | Outcome): x is Proc<Outcome> {
  return typeof x === 'object' && x !== null && typeof (x as Proc<Outcome>).next === 'function';
}

/** One component "ctl" with a controller whose reconcile is built from `body`; `setup` may add informers first. */
function harness(
  body: Body,
  options: { network?: NetworkOptions; setup?: (ctx: ComponentContext) => void; enqueue?: string[]; seed?: number } = {},
): Harness {
  const cluster = new SimCluster({ seed: options.seed ?? 11, trace: { keepAll: true }, bookmarkIntervalMs: 0, network: options.network });
  const starts: number[] = [];
  let controller: Controller | undefined;
  cluster.addComponent({
    name: 'ctl',
    setup: (ctx) => {
      options.setup?.(ctx);
      const reconcile: Reconcile = function* (key) {
        starts.push(ctx.sim.nowMs);
        const out = body(ctx, key, starts.length);
        return isProc(out) ? yield* out : out;
      };
      controller = ctx.controller({ name: 'test', reconcile });
      for (const key of options.enqueue ?? ['default/k']) controller.enqueue(key);
    },
  });
  return { cluster, starts, controller: () => controller! };
}

t.test('a reconcile returning requeueAfterMs runs again after exactly that delay', async (t) => {
  const { cluster, starts, controller } = harness((_ctx, _key, attempt) => (attempt < 4 ? { requeueAfterMs: 1_000 } : undefined));
  cluster.sim.run({ untilMs: 10_000 });
  t.same(starts, [0, 1_000, 2_000, 3_000], 'three requeues, then it stops');
  t.equal(controller().reconciles, 4);
  t.equal(controller().queue.numRequeues('default/k'), 0, 'success forgets the failure count');
});

t.test('requeueAfterMs is measured from the end of the reconcile (after its requests)', async (t) => {
  const { cluster, starts } = harness(function* (ctx, _key, attempt) {
    yield* ctx.client.list(CONFIGMAPS, { namespace: NS });
    return attempt < 3 ? { requeueAfterMs: 500 } : undefined;
  }, { network: { requestLatency: { minMs: 2, maxMs: 2 } } });
  cluster.sim.run({ untilMs: 10_000 });
  t.same(starts, [0, 504, 1_008]);
});

t.test('an ApiError requeues with per-key exponential backoff: 5, 10, 20, 40 ms after each failed reconcile ends', async (t) => {
  const ends: number[] = [];
  const { cluster, starts, controller } = harness(function* (ctx) {
    try {
      yield* ctx.client.get(CONFIGMAPS, 'missing', { namespace: NS });
    } finally {
      ends.push(ctx.sim.nowMs);
    }
  }, { network: { requestLatency: { minMs: 1, maxMs: 3 } } });
  cluster.sim.run({ untilMs: 300 });
  t.ok(starts.length >= 5, `${starts.length} attempts`);
  const backoffs = starts.slice(1).map((s, i) => s - ends[i]);
  t.same(backoffs.slice(0, 5), [5, 10, 20, 40, 80], 'the delay after each failure doubles');
  const rtts = starts.map((s, i) => ends[i] - s).filter((x) => !Number.isNaN(x));
  t.ok(rtts.every((ms) => ms >= 2 && ms <= 6), 'each attempt costs one round trip of 2–6 ms');
  t.ok(starts[1] - starts[0] >= 5 + 2 && starts[1] - starts[0] <= 5 + 6, 'start-to-start = backoff + request latency');
  t.equal(controller().queue.numRequeues('default/k'), starts.length, 'failures are counted per key');
  const errors = traceLines(cluster.sim, 'reconcile-error', { ctl: 'test', key: 'default/k' });
  t.equal(errors.length, starts.length);
  t.match(String(errors[0].fields.error), /configmaps "missing" not found/);
});

t.test('exact retry times with a fixed 1 ms network leg: 0, 7, 19, 41, 83, 165', async (t) => {
  const { cluster, starts } = harness(function* (ctx) {
    yield* ctx.client.get(CONFIGMAPS, 'missing', { namespace: NS });
  }, { network: { requestLatency: { minMs: 1, maxMs: 1 } } });
  cluster.sim.run({ untilMs: 200 });
  t.same(starts, [0, 7, 19, 41, 83, 165]);
});

t.test('a success after failures resets the backoff for the key', async (t) => {
  const { cluster, starts, controller } = harness(function* (ctx, _key, attempt) {
    if (attempt === 4) yield* ctx.client.create(CONFIGMAPS, configMap('target'));
    const cm = yield* ctx.client.get(CONFIGMAPS, 'target', { namespace: NS });
    if (attempt === 4) return { requeueAfterMs: 1_000 };
    yield* ctx.client.delete(CONFIGMAPS, cm.metadata.name!, { namespace: NS });
    throw new ApiError({ apiVersion: 'v1', kind: 'Status', metadata: {}, status: 'Failure', code: 409, reason: 'Conflict', message: 'try again' });
  }, { network: { requestLatency: { minMs: 1, maxMs: 1 } } });
  cluster.sim.run({ untilMs: 2_000 });
  // attempts 1-3 fail on the GET (404): 5, 10, 20 ms; attempt 4 succeeds and requeues after 1 s;
  // attempt 5 fails (409 after the delete) and backs off 5 ms again, not 40.
  t.same(starts.slice(0, 5), [0, 7, 19, 41, 41 + 4 + 1_000]);
  t.equal(starts[5] - starts[4], 4 + 5, 'two requests (4 ms) then a fresh 5 ms backoff');
  t.ok(controller().queue.numRequeues('default/k') >= 1);
});

t.test('a NetworkError is retried like an API error', async (t) => {
  const { cluster, starts } = harness(function* (ctx) {
    yield* ctx.client.list(CONFIGMAPS, { namespace: NS });
  }, { network: { requestTimeoutMs: 100, requestLatency: { minMs: 1, maxMs: 1 } } });
  const remove = cluster.network.addRequestFault({ name: 'lost', match: (r) => r.verb === 'list', fault: { kind: 'drop-request' } });
  cluster.sim.schedule(150, remove);
  cluster.sim.run({ untilMs: 1_000 });
  t.same(starts, [0, 105, 215], 'timed out twice (100 ms each), backed off 5 and 10 ms, then succeeded');
  t.equal(traceLines(cluster.sim, 'reconcile-error').length, 2);
});

t.test('a TerminalError is not retried, and the key can be added again later', async (t) => {
  const { cluster, starts, controller } = harness((_ctx, _key, attempt) => {
    if (attempt === 1) throw new TerminalError('this spec can never work');
  });
  cluster.sim.run({ untilMs: 5_000 });
  t.same(starts, [0], 'one attempt only');
  t.equal(controller().queue.numRequeues('default/k'), 0, 'forgotten');
  const err = traceLines(cluster.sim, 'reconcile-error', { terminal: true });
  t.equal(err.length, 1);
  t.equal(err[0].fields.error, 'this spec can never work');
  cluster.sim.schedule(0, () => controller().enqueue('default/k'));
  cluster.sim.run({ untilMs: 6_000 });
  t.same(starts, [0, 5_000], 'the key is not stuck in processing');
});

t.test('a TypeError thrown by a reconcile (a bug in the model) aborts the run', async (t) => {
  const { cluster } = harness(function* (ctx) {
    yield* ctx.client.list(CONFIGMAPS, { namespace: NS });
    const missing = undefined as unknown as { spec: { replicas: number } };
    return { requeueAfterMs: missing.spec.replicas };
  });
  t.throws(() => cluster.sim.run({ untilMs: 1_000 }), TypeError);
  t.ok(cluster.sim.nowMs < 1_000, 'the run stopped at the failure');
  t.equal(traceLines(cluster.sim, 'reconcile-error').length, 0, 'not treated as a retryable error');
});

t.test('workers wait for informer sync before reconciling', async (t) => {
  let synced: () => boolean = () => false;
  const seenSynced: boolean[] = [];
  const { cluster, starts } = harness((ctx) => void seenSynced.push(ctx.informersSynced()), {
    setup: (ctx) => {
      const inf = ctx.informer(CONFIGMAPS, { namespace: NS });
      synced = () => inf.hasSynced;
    },
  });
  let syncedAtMs = -1;
  const remove = cluster.network.addRequestFault({
    name: 'list-down', match: (r) => r.verb === 'list',
    fault: { kind: 'error', status: { apiVersion: 'v1', kind: 'Status', metadata: {}, status: 'Failure', code: 503, reason: 'ServiceUnavailable', message: 'down' } },
  });
  cluster.sim.schedule(3_000, remove);
  const poll = (): void => {
    if (syncedAtMs < 0 && synced()) syncedAtMs = cluster.sim.nowMs;
    if (cluster.sim.nowMs < 20_000) cluster.sim.schedule(1, poll);
  };
  cluster.sim.schedule(0, poll);
  cluster.sim.run({ untilMs: 2_900 });
  t.same(starts, [], 'nothing reconciled while the informer cannot list');
  cluster.sim.run({ untilMs: 20_000 });
  t.ok(syncedAtMs > 3_000, `synced at ${syncedAtMs}`);
  t.equal(starts.length, 1);
  t.ok(starts[0] >= syncedAtMs && starts[0] <= syncedAtMs + 100, `first reconcile within one poll (100 ms) of the sync: ${starts[0]}`);
  t.same(seenSynced, [true]);
});

t.test('several workers never reconcile the same key at once, but do run different keys in parallel', async (t) => {
  const running = new Set<string>();
  const overlaps: string[] = [];
  let maxParallel = 0;
  const cluster = new SimCluster({ seed: 5, bookmarkIntervalMs: 0 });
  let ctl: Controller | undefined;
  cluster.addComponent({
    name: 'ctl',
    setup: (ctx) => {
      ctl = ctx.controller({
        name: 'par', workers: 3,
        *reconcile(key) {
          if (running.has(key)) overlaps.push(key);
          running.add(key);
          maxParallel = Math.max(maxParallel, running.size);
          yield* ctx.client.list(CONFIGMAPS, { namespace: NS });
          running.delete(key);
        },
      });
    },
  });
  for (let i = 0; i < 20; i++) cluster.sim.schedule(i, () => { ctl!.enqueue('a'); ctl!.enqueue('b'); ctl!.enqueue('c'); });
  cluster.sim.run({ untilMs: 1_000 });
  t.same(overlaps, []);
  t.equal(maxParallel, 3);
  t.ok(ctl!.reconciles < 60, 'adds while a key is processing or queued are deduplicated');
});

t.test('shouldReconcile false drops keys without running the reconcile', async (t) => {
  let allowed = false;
  const cluster = new SimCluster({ seed: 5, bookmarkIntervalMs: 0 });
  const ran: number[] = [];
  let ctl: Controller | undefined;
  cluster.addComponent({
    name: 'ctl',
    setup: (ctx) => {
      ctl = ctx.controller({
        name: 'gated', shouldReconcile: () => allowed,
        *reconcile() {
          ran.push(ctx.sim.nowMs);
          yield* ctx.client.list(CONFIGMAPS, { namespace: NS });
        },
      });
      ctl.enqueue('k');
    },
  });
  cluster.sim.run({ untilMs: 100 });
  t.same(ran, []);
  allowed = true;
  cluster.sim.run({ untilMs: 200 });
  t.same(ran, [], 'the dropped key does not come back by itself');
  cluster.sim.schedule(0, () => ctl!.enqueue('k'));
  cluster.sim.run({ untilMs: 300 });
  t.same(ran, [200]);
});

t.test('a reconcile that swallows NotFound completes and is not requeued', async (t) => {
  const { cluster, starts } = harness(function* (ctx) {
    try {
      yield* ctx.client.get(CONFIGMAPS, 'gone', { namespace: NS });
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  });
  cluster.sim.run({ untilMs: 1_000 });
  t.same(starts, [0]);
});
