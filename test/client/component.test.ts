import t from 'tap';
import type { KubeObject } from '../../src/apiserver/types.js';
import type { ComponentContext } from '../../src/client/component.js';
import type { Informer } from '../../src/client/informer.js';
import { SimCluster } from '../../src/client/sim-cluster.js';
import { MIRROR_LABEL, MIRRORED_TO, setupMirrorController } from '../../src/examples/mirror-controller.js';
import { sleep } from '../../src/sim/process.js';
import { CONFIGMAPS, NS, SECRETS, configMap, traceLines } from './fixtures.js';

function newCluster(seed: number | string = 31): SimCluster {
  return new SimCluster({ seed, trace: { keepAll: true }, bookmarkIntervalMs: 0 });
}

t.test('crash drops all in-memory state: a counter in the setup closure starts over in the next incarnation', async (t) => {
  const cluster = newCluster();
  const ticks: [number, number, number][] = [];
  const component = cluster.addComponent({
    name: 'counter',
    setup: (ctx) => {
      let count = 0;
      const incarnation = ctx.component.incarnation;
      ctx.spawn('tick', (function* () {
        while (true) {
          yield* sleep(100);
          ticks.push([ctx.sim.nowMs, incarnation, ++count]);
        }
      })());
    },
  });
  t.equal(component.state, 'running');
  t.equal(component.incarnation, 1);
  cluster.sim.schedule(550, () => component.crash({ restartAfterMs: 200 }));
  cluster.sim.run({ untilMs: 520 });
  t.same(ticks.map(([, , c]) => c), [1, 2, 3, 4, 5]);
  cluster.sim.run({ untilMs: 700 });
  t.equal(component.state, 'crashed');
  t.equal(component.context, undefined, 'no context while down');
  cluster.sim.run({ untilMs: 1_080 });
  t.equal(component.state, 'running');
  t.equal(component.incarnation, 2);
  t.same(ticks, [
    [100, 1, 1], [200, 1, 2], [300, 1, 3], [400, 1, 4], [500, 1, 5],
    [850, 2, 1], [950, 2, 2], [1_050, 2, 3],
  ], 'nothing ticks while down; the counter restarts at 1');
  t.same(traceLines(cluster.sim, 'component', { name: 'counter' }).map((l) => [l.atMs, l.fields.event, l.fields.incarnation]), [
    [0, 'start', 1], [550, 'crash', 1], [750, 'start', 2],
  ]);
});

t.test('crash kills processes where they stand, cancels the incarnation timers, and runs its stop hooks', async (t) => {
  const cluster = newCluster();
  const log: string[] = [];
  const component = cluster.addComponent({
    name: 'c',
    setup: (ctx) => {
      ctx.spawn('slow', (function* () {
        try {
          yield* sleep(1_000);
          log.push('slow finished');
        } finally {
          log.push('finally ran');
        }
      })());
      ctx.schedule(1_000, () => log.push('timer fired'));
      ctx.onStop(() => log.push(`stopped at ${ctx.sim.nowMs}`));
    },
  });
  cluster.sim.schedule(500, () => component.crash());
  cluster.sim.run({ untilMs: 5_000 });
  t.same(log, ['stopped at 500'], 'no finally blocks, no timers, only the stop hook');
  t.equal(component.state, 'crashed');
  t.equal(component.incarnation, 1, 'no restart without restartAfterMs');
});

t.test('restart relists: the new incarnation has fresh informers that list again', async (t) => {
  const cluster = newCluster();
  const informers: Informer[] = [];
  const adds: [number, string][] = [];
  const component = cluster.addComponent({
    name: 'c',
    setup: (ctx) => {
      const inf = ctx.informer(CONFIGMAPS, { namespace: NS });
      const incarnation = ctx.component.incarnation;
      inf.addHandler({ add: (o) => adds.push([incarnation, o.metadata.name!]) });
      informers.push(inf);
    },
  });
  cluster.api.create(CONFIGMAPS, configMap('a'));
  cluster.sim.schedule(1_000, () => void cluster.api.create(CONFIGMAPS, configMap('b')));
  cluster.sim.schedule(2_000, () => component.crash({ restartAfterMs: 500 }));
  cluster.sim.schedule(2_200, () => void cluster.api.create(CONFIGMAPS, configMap('c')));
  cluster.sim.run({ untilMs: 2_400 });
  t.equal(traceLines(cluster.sim, 'api', { c: 'c', verb: 'list' }).length, 1, 'one list before the restart');
  cluster.sim.run({ untilMs: 5_000 });
  t.equal(component.incarnation, 2);
  t.equal(informers.length, 2, 'setup ran again');
  t.not(informers[1], informers[0], 'a new informer, not the old cache');
  t.equal(informers[1].lists, 1, 'the new informer listed');
  const lists = traceLines(cluster.sim, 'api', { c: 'c', verb: 'list' });
  t.equal(lists.length, 2, 'a second list request in the trace');
  t.ok(lists[1].atMs >= 2_500, 'after the restart');
  t.same(informers[1].keys(), ['default/a', 'default/b', 'default/c'], 'it sees what happened while it was down');
  t.same(adds, [[1, 'a'], [1, 'b'], [2, 'a'], [2, 'b'], [2, 'c']], 'handlers of the new incarnation see every object as added');
  t.same(informers[0].keys(), ['default/a', 'default/b'], 'the dead cache stopped changing');
});

t.test('a crash closes the watches of the dead incarnation: the server stops feeding them', async (t) => {
  const cluster = newCluster();
  const component = cluster.addComponent({ name: 'c', setup: (ctx) => void ctx.informer(CONFIGMAPS, { namespace: NS }) });
  cluster.sim.run({ untilMs: 100 });
  cluster.sim.schedule(0, () => component.crash());
  cluster.sim.schedule(50, () => void cluster.api.create(CONFIGMAPS, configMap('x')));
  cluster.sim.run({ untilMs: 1_000 });
  t.equal(traceLines(cluster.sim, 'watch', { c: 'c' }).length, 0, 'no event delivered to the dead component');
});

t.test('stop is graceful, recorded as a stop, and cancels a pending restart', async (t) => {
  const cluster = newCluster();
  const component = cluster.addComponent({ name: 'c', setup: () => {} });
  cluster.sim.schedule(100, () => component.crash({ restartAfterMs: 1_000 }));
  cluster.sim.schedule(200, () => component.stop());
  cluster.sim.run({ untilMs: 5_000 });
  t.equal(component.state, 'crashed', 'a crashed component is not running, so stop has nothing to stop');
  t.equal(component.incarnation, 1, 'but the restart was cancelled');
  component.start();
  t.equal(component.incarnation, 2);
  component.stop();
  t.equal(component.state, 'stopped');
  t.same(traceLines(cluster.sim, 'component').map((l) => l.fields.event), ['start', 'crash', 'start', 'stop']);
});

t.test('a component added with start: false does nothing until started', async (t) => {
  const cluster = newCluster();
  let setups = 0;
  const component = cluster.addComponent({ name: 'c', start: false, setup: () => void setups++ });
  cluster.sim.run({ untilMs: 1_000 });
  t.equal(setups, 0);
  t.equal(component.state, 'stopped');
  component.start();
  component.start();
  t.equal(setups, 1, 'start on a running component does nothing');
  t.throws(() => cluster.addComponent({ name: 'c', setup: () => {} }), /already exists/);
  t.equal(cluster.component('c'), component);
  t.throws(() => cluster.component('nope'), /no component named nope/);
});

t.test('stale view survives a restart', async (t) => {
  const cluster = newCluster();
  let informer: Informer | undefined;
  const component = cluster.addComponent({ name: 'c', setup: (ctx) => { informer = ctx.informer(CONFIGMAPS, { namespace: NS }); } });
  component.setStaleView(1);
  cluster.sim.schedule(100, () => component.crash({ restartAfterMs: 100 }));
  cluster.sim.schedule(1_000, () => void cluster.api.create(CONFIGMAPS, configMap('a')));
  cluster.sim.run({ untilMs: 2_000 });
  t.equal(component.incarnation, 2);
  t.equal(informer!.get('default/a'), undefined, 'the new incarnation trails too');
  component.setStaleView(0);
  t.ok(informer!.get('default/a'));
});

/** The mirror controller in component "mirror", with the garbage collector beside it. */
function mirrorCluster(seed: number | string = 31) {
  const cluster = newCluster(seed);
  const mirror = cluster.addComponent({ name: 'mirror', setup: (ctx: ComponentContext) => setupMirrorController(ctx) });
  const labelled = (name: string, data: Record<string, string>): KubeObject => configMap(name, data, { [MIRROR_LABEL]: 'true' });
  return { cluster, mirror, labelled };
}

t.test('a crash between the two writes of one reconcile: the Secret exists, the annotation does not, until the restart finishes the job', async (t) => {
  const { cluster, mirror, labelled } = mirrorCluster();
  let crashedAtMs = -1;
  cluster.onApplied((req) => {
    if (crashedAtMs < 0 && req.info.component === 'mirror' && req.info.verb === 'create' && req.info.resource.resource === 'secrets' && !req.error) {
      crashedAtMs = req.atMs;
      mirror.crash({ restartAfterMs: 2_000 });
    }
  });
  cluster.sim.schedule(1_000, () => void cluster.api.create(CONFIGMAPS, labelled('app', { greeting: 'hello' })));
  cluster.sim.run({ untilMs: 2_000 });
  t.ok(crashedAtMs > 1_000 && crashedAtMs < 1_100, `crashed right after the Secret create landed (${crashedAtMs})`);
  const secrets = (): KubeObject[] => cluster.api.list(SECRETS, { namespace: NS }).items;
  t.same(secrets().map((s) => s.metadata.name), ['app-mirror'], 'the first write landed');
  t.equal(cluster.api.get(CONFIGMAPS, 'app', { namespace: NS }).metadata.annotations?.[MIRRORED_TO], undefined, 'the second write never happened');
  t.equal(traceLines(cluster.sim, 'api', { c: 'mirror', verb: 'patch' }).length, 0);
  cluster.sim.run({ untilMs: crashedAtMs + 2_000 });
  t.equal(cluster.api.get(CONFIGMAPS, 'app', { namespace: NS }).metadata.annotations?.[MIRRORED_TO], undefined, 'still not written before the restart');
  cluster.sim.run({ untilMs: 10_000 });
  t.equal(mirror.incarnation, 2);
  t.equal(cluster.api.get(CONFIGMAPS, 'app', { namespace: NS }).metadata.annotations?.[MIRRORED_TO], 'app-mirror', 'the restarted incarnation wrote the annotation');
  t.same(secrets().map((s) => s.metadata.name), ['app-mirror'], 'exactly one Secret');
  t.equal(Buffer.from(String(secrets()[0].data?.greeting), 'base64').toString('utf8'), 'hello');
  t.equal(traceLines(cluster.sim, 'api', { c: 'mirror', verb: 'create', res: 'secrets' }).length, 1, 'the new incarnation saw the Secret in its fresh cache and did not create it again');
  const patch = traceLines(cluster.sim, 'api', { c: 'mirror', verb: 'patch', res: 'configmaps', code: 200 });
  t.equal(patch.length, 1);
  t.ok(patch[0].atMs >= crashedAtMs + 2_000, 'written after the restart');
});

t.test('without the crash, both writes of the reconcile land within milliseconds', async (t) => {
  const { cluster, labelled } = mirrorCluster();
  cluster.sim.schedule(1_000, () => void cluster.api.create(CONFIGMAPS, labelled('app', { greeting: 'hello' })));
  cluster.sim.run({ untilMs: 1_100 });
  t.equal(cluster.api.get(CONFIGMAPS, 'app', { namespace: NS }).metadata.annotations?.[MIRRORED_TO], 'app-mirror');
  t.equal(cluster.api.list(SECRETS, { namespace: NS }).items.length, 1);
});
