// The demonstration: the mirror controller (ConfigMap → Secret, two writes per reconcile) with the
// garbage collector beside it in kube-controller-manager, under one fault of each family. For each
// family a test shows (a) that the fault changes what is observable against the fault-free run
// (when the Secret follows the ConfigMap's edit, how many requests it took, the final state), and
// (b) that a run is a function of its seed: the same seed and fault give the same trace hash, a
// different seed a different one.
import t from 'tap';
import { internalError } from '../../src/apiserver/api-error.js';
import type { KubeObject } from '../../src/apiserver/types.js';
import { LEASES } from '../../src/client/leader-elector.js';
import { SimCluster } from '../../src/client/sim-cluster.js';
import { MIRROR_LABEL, MIRRORED_TO, setupMirrorController } from '../../src/examples/mirror-controller.js';
import { setupGarbageCollector } from '../../src/kube/garbage-collector.js';
import { CONFIGMAPS, NS, SECRETS, configMap } from './fixtures.js';

const CREATE_AT_MS = 1_000;
const EDIT_AT_MS = 5_000;
const DELETE_AT_MS = 25_000;
const END_MS = 30_000;

interface Scenario {
  /** Two mirror replicas under leader election instead of one. */
  replicas?: 1 | 2;
  resyncPeriodMs?: number;
  /** Installs the fault (schedules it, adds network rules). */
  fault?: (cluster: SimCluster) => void;
}

interface Observed {
  hash: string;
  /** When a write first gave the Secret each version of the data (null: never). */
  secretV1AtMs: number | null;
  secretV2AtMs: number | null;
  /** The same for every greeting seen. */
  secretAtMs: Readonly<Record<string, number>>;
  /** The Secret's data and the ConfigMap's annotation just before the ConfigMap is deleted. */
  greetingBeforeDelete: string | null;
  annotatedBeforeDelete: boolean;
  /** Requests the mirror replicas sent (applied, refused, or failed by an injected fault). */
  mirrorRequests: number;
  reconciles: number;
  /** Secrets left at the end (the garbage collector should leave none). */
  secretsLeft: number;
  cluster: SimCluster;
}

const greetingOf = (secret: KubeObject | undefined): string | null =>
  secret?.data?.greeting ? Buffer.from(String(secret.data.greeting), 'base64').toString('utf8') : null;

function run(seed: number | string, scenario: Scenario = {}): Observed {
  const cluster = new SimCluster({ seed, trace: { keepAll: true } });
  const { sim, api } = cluster;
  const replicas = scenario.replicas ?? 1;
  for (let i = 0; i < replicas; i++) {
    const name = `mirror-${i}`;
    cluster.addComponent({
      name,
      setup: (ctx) => setupMirrorController(ctx, { resyncPeriodMs: scenario.resyncPeriodMs, leaderElection: replicas > 1 ? { identity: name } : undefined }),
    });
  }
  cluster.addComponent({ name: 'kube-controller-manager', setup: (ctx) => setupGarbageCollector(ctx) });

  const seenAt: Record<string, number> = {};
  cluster.onApplied((req) => {
    if (req.info.resource.resource !== 'secrets' || req.error || (req.info.verb !== 'create' && req.info.verb !== 'update')) return;
    const greeting = greetingOf(req.result as KubeObject);
    if (greeting !== null && seenAt[greeting] === undefined) seenAt[greeting] = req.atMs;
  });
  sim.schedule(CREATE_AT_MS, () => void api.create(CONFIGMAPS, configMap('app', { greeting: 'v1' }, { [MIRROR_LABEL]: 'true' })));
  sim.schedule(EDIT_AT_MS, () => void api.patch(CONFIGMAPS, 'app', { data: { greeting: 'v2' } }, { namespace: NS, patchType: 'merge' }));
  let greetingBeforeDelete: string | null = null;
  let annotatedBeforeDelete = false;
  sim.schedule(DELETE_AT_MS, () => {
    greetingBeforeDelete = greetingOf(api.list(SECRETS, { namespace: NS }).items.find((s) => s.metadata.name === 'app-mirror'));
    annotatedBeforeDelete = api.get(CONFIGMAPS, 'app', { namespace: NS }).metadata.annotations?.[MIRRORED_TO] === 'app-mirror';
    api.delete(CONFIGMAPS, 'app', { namespace: NS });
  });
  scenario.fault?.(cluster);
  sim.run({ untilMs: END_MS });

  const lines = sim.trace.lines();
  const fromMirror = (l: { fields: Readonly<Record<string, unknown>> }): boolean => String(l.fields.c ?? l.fields.component).startsWith('mirror');
  return {
    hash: sim.traceHash(),
    secretV1AtMs: seenAt.v1 ?? null,
    secretV2AtMs: seenAt.v2 ?? null,
    secretAtMs: seenAt,
    greetingBeforeDelete,
    annotatedBeforeDelete,
    mirrorRequests: lines.filter((l) => (l.kind === 'api' || (l.kind === 'fault-hit' && l.fields.verb !== undefined)) && fromMirror(l)).length,
    reconciles: lines.filter((l) => l.kind === 'reconcile' && l.fields.ctl === 'mirror').length,
    secretsLeft: api.list(SECRETS, { namespace: NS }).items.length,
    cluster,
  };
}

/** Same seed and fault: same hash; another seed: another hash. */
function checkDeterminism(t: Tap, scenario: Scenario, first: Observed): void {
  t.equal(run(1, scenario).hash, first.hash, 'same seed and fault: same trace hash');
  t.not(run(2, scenario).hash, first.hash, 'another seed: another trace hash');
}
type Tap = Parameters<Parameters<typeof t.test>[0]>[0];

const baseline = run(1);
const baselineHA = run(1, { replicas: 2 });

t.test('fault-free run: the Secret follows the ConfigMap within milliseconds and the GC removes it with its owner', async (t) => {
  for (const b of [baseline, baselineHA]) {
    t.ok(b.secretV1AtMs! > CREATE_AT_MS && b.secretV1AtMs! < CREATE_AT_MS + 50, `created at ${b.secretV1AtMs}`);
    t.ok(b.secretV2AtMs! > EDIT_AT_MS && b.secretV2AtMs! < EDIT_AT_MS + 50, `updated at ${b.secretV2AtMs}`);
    t.equal(b.greetingBeforeDelete, 'v2');
    t.equal(b.annotatedBeforeDelete, true);
    t.equal(b.secretsLeft, 0, 'garbage collected after the ConfigMap is deleted');
  }
  checkDeterminism(t, {}, baseline);
});

t.test('crash/restart: the edit made while the mirror is down reaches the Secret only after the restart and a relist', async (t) => {
  const scenario: Scenario = { fault: (c) => void c.sim.schedule(4_000, () => c.component('mirror-0').crash({ restartAfterMs: 3_000 })) };
  const r = run(1, scenario);
  t.ok(r.secretV2AtMs! > 7_000 && r.secretV2AtMs! < 7_500, `updated at ${r.secretV2AtMs} (baseline ${baseline.secretV2AtMs})`);
  const lists = (o: Observed): number => o.cluster.sim.trace.lines().filter((l) => l.kind === 'api' && l.fields.c === 'mirror-0' && l.fields.verb === 'list').length;
  t.equal(lists(baseline), 2, 'baseline: one list per informer');
  t.equal(lists(r), 4, 'with the crash: both informers list again');
  t.equal(r.greetingBeforeDelete, 'v2', 'it converges');
  t.equal(r.secretsLeft, 0);
  t.not(r.hash, baseline.hash);
  checkDeterminism(t, scenario, r);
});

t.test('kill the leader (two replicas, leader election): the edit waits for the other replica to take the lease', async (t) => {
  let killed = '';
  const scenario: Scenario = {
    replicas: 2,
    fault: (c) => void c.sim.schedule(4_000, () => {
      const leader = ['mirror-0', 'mirror-1'].find((n) => c.component(n).context?.leaderElectors().some((e) => e.isLeader));
      killed = leader!;
      c.component(leader!).crash();
    }),
  };
  const r = run(1, scenario);
  t.ok(killed, 'a leader was killed');
  t.ok(r.secretV2AtMs! > 4_000 + 13_000 && r.secretV2AtMs! < 4_000 + 20_000, `updated at ${r.secretV2AtMs}, after the lease expired (baseline ${baselineHA.secretV2AtMs})`);
  const lease = r.cluster.api.get(LEASES, 'mirror-controller', { namespace: 'kube-system' });
  t.not(String(lease.spec?.holderIdentity).replace(/_\d+$/, ''), killed, 'the other replica holds the lease');
  t.equal(lease.spec?.leaseTransitions, 1);
  t.equal(r.greetingBeforeDelete, 'v2');
  t.equal(r.secretsLeft, 0);
  t.not(r.hash, baselineHA.hash);
  checkDeterminism(t, scenario, r);
});

t.test('partition: the mirror misses the edit until its broken watch times out and resumes after the heal', async (t) => {
  const scenario: Scenario = {
    fault: (c) => {
      c.sim.schedule(4_000, () => c.network.setPartitioned('mirror-0', true));
      c.sim.schedule(9_000, () => c.network.setPartitioned('mirror-0', false));
    },
  };
  const r = run(1, scenario);
  // The stream broke at 4 s; the client notices at the 10 s timeout (14 s), backs off 0.8–1 s and re-watches.
  t.ok(r.secretV2AtMs! > 14_800 && r.secretV2AtMs! < 15_100, `updated at ${r.secretV2AtMs} (baseline ${baseline.secretV2AtMs})`);
  t.equal(r.greetingBeforeDelete, 'v2');
  t.equal(r.secretsLeft, 0);
  t.not(r.hash, baseline.hash);
  checkDeterminism(t, scenario, r);
});

t.test('stale view: the mirror acts on the edit only when the lag is lifted', async (t) => {
  const scenario: Scenario = {
    fault: (c) => {
      c.sim.schedule(4_000, () => c.component('mirror-0').setStaleView(1));
      c.sim.schedule(9_000, () => c.component('mirror-0').setStaleView(0));
    },
  };
  const r = run(1, scenario);
  t.ok(r.secretV2AtMs! >= 9_000 && r.secretV2AtMs! < 9_050, `updated at ${r.secretV2AtMs} (baseline ${baseline.secretV2AtMs})`);
  t.equal(r.greetingBeforeDelete, 'v2');
  t.not(r.hash, baseline.hash);
  checkDeterminism(t, scenario, r);
});

t.test('watch-delivery delay: the ConfigMap edit reaches the mirror 3 s late, and so does the Secret update', async (t) => {
  const scenario: Scenario = {
    fault: (c) => {
      const remove = c.network.addDeliveryFault({ name: 'slow-configmaps', match: (d) => d.component === 'mirror-0' && d.resource.resource === 'configmaps', fault: { kind: 'delay', extraMs: 3_000 } });
      c.sim.schedule(10_000, remove);
    },
  };
  const r = run(1, scenario);
  t.ok(r.secretV1AtMs! > CREATE_AT_MS + 3_000, `created at ${r.secretV1AtMs}`);
  t.ok(r.secretV2AtMs! > EDIT_AT_MS + 3_000 && r.secretV2AtMs! < EDIT_AT_MS + 3_050, `updated at ${r.secretV2AtMs} (baseline ${baseline.secretV2AtMs})`);
  t.equal(r.greetingBeforeDelete, 'v2');
  t.not(r.hash, baseline.hash);
  checkDeterminism(t, scenario, r);
});

t.test('watch-delivery delay of the Secret\'s own ADDED event: an edit made meanwhile still reaches the Secret', async (t) => {
  // The mirror's Secret cache is behind: a reconcile for the edit tries to create the Secret again,
  // gets AlreadyExists, and must be run once more when the Secret finally shows up in its cache.
  const scenario: Scenario = {
    fault: (c) => {
      const remove = c.network.addDeliveryFault({ name: 'slow-secrets', match: (d) => d.component === 'mirror-0' && d.resource.resource === 'secrets', fault: { kind: 'delay', extraMs: 3_000 } });
      c.sim.schedule(1_500, () => void c.api.patch(CONFIGMAPS, 'app', { data: { greeting: 'v1.5' } }, { namespace: NS, patchType: 'merge' }));
      c.sim.schedule(10_000, remove);
    },
  };
  const r = run(1, scenario);
  const alreadyExists = r.cluster.sim.trace.lines().filter((l) => l.kind === 'api' && l.fields.c === 'mirror-0' && l.fields.verb === 'create' && l.fields.reason === 'AlreadyExists');
  t.ok(alreadyExists.some((l) => l.atMs > 1_500 && l.atMs < 1_600), 'the edit\'s reconcile ran into the Secret it could not see');
  const addedAt = r.cluster.sim.trace.lines().find((l) => l.kind === 'watch' && l.fields.c === 'mirror-0' && l.fields.res === 'secrets' && l.fields.type === 'ADDED')!.atMs;
  t.ok(addedAt > 4_000, `the Secret reached the mirror's cache at ${addedAt}`);
  const v15 = r.secretAtMs['v1.5'];
  t.ok(v15 >= addedAt && v15 < addedAt + 50, `the Secret got the edit as soon as it appeared in the cache (${v15}), not only with the next edit at ${EDIT_AT_MS}`);
  t.equal(r.greetingBeforeDelete, 'v2');
  t.equal(r.secretsLeft, 0);
  t.not(r.hash, baseline.hash);
  checkDeterminism(t, scenario, r);
});

t.test('watch-delivery drop: a lost ConfigMap event leaves the Secret stale; resync replays the stale cache and cannot heal it', async (t) => {
  const drop = (resyncPeriodMs?: number): Scenario => ({
    resyncPeriodMs,
    // From 4 s, after the mirror has seen its own annotation: only the user's edit is lost.
    fault: (c) => void c.sim.schedule(4_000, () => void c.network.addDeliveryFault({ name: 'drop-edits', match: (d) => d.component === 'mirror-0' && d.resource.resource === 'configmaps' && d.eventType === 'MODIFIED', fault: { kind: 'drop' } })),
  });
  const withoutResync = run(1, drop());
  const withResync = run(1, drop(2_000));
  for (const r of [withoutResync, withResync]) {
    t.equal(r.secretV2AtMs, null, 'the Secret never gets the edit');
    t.equal(r.greetingBeforeDelete, 'v1', 'and is still stale 20 s later');
    t.equal(r.secretsLeft, 0, 'the DELETED event is not dropped: the garbage collector still cleans up');
  }
  t.ok(withResync.reconciles >= withoutResync.reconciles + 10, `resync reruns the reconcile (${withResync.reconciles} vs ${withoutResync.reconciles} reconciles)`);
  t.equal(withResync.mirrorRequests, withoutResync.mirrorRequests, 'but from a cache that never saw the edit, so it writes nothing');
  const resyncedBaseline = run(1, { resyncPeriodMs: 2_000 });
  t.equal(resyncedBaseline.greetingBeforeDelete, 'v2', 'resync alone changes nothing in the outcome');
  t.not(withoutResync.hash, baseline.hash);
  t.not(withResync.hash, resyncedBaseline.hash);
  checkDeterminism(t, drop(), withoutResync);
  checkDeterminism(t, drop(2_000), withResync);
});

t.test('API errors on a verb: Secret updates fail with 500 for 2 s, the reconcile backs off and retries until they pass', async (t) => {
  const scenario: Scenario = {
    fault: (c) => {
      const remove = c.network.addRequestFault({ name: 'secret-update-500', match: (r) => r.component === 'mirror-0' && r.resource.resource === 'secrets' && r.verb === 'update', fault: { kind: 'error', status: internalError('injected').status } });
      c.sim.schedule(7_000, remove);
    },
  };
  const r = run(1, scenario);
  const hits = r.cluster.sim.trace.lines().filter((l) => l.kind === 'fault-hit' && l.fields.rule === 'secret-update-500');
  t.ok(hits.length >= 8 && hits.length <= 10, `${hits.length} failed updates: 5, 10, 20 ... ms apart`);
  t.ok(r.secretV2AtMs! > 7_000 && r.secretV2AtMs! < 8_000, `updated at ${r.secretV2AtMs}, on the first retry after the errors stop (baseline ${baseline.secretV2AtMs})`);
  t.equal(r.mirrorRequests, baseline.mirrorRequests + hits.length, 'one extra request per failure');
  t.equal(r.reconciles, baseline.reconciles + hits.length, 'one extra reconcile per failure');
  t.equal(r.greetingBeforeDelete, 'v2');
  t.not(r.hash, baseline.hash);
  checkDeterminism(t, scenario, r);
});

t.test('API errors with probability 0.5: which requests fail is the chooser\'s decision, replayed by the seed', async (t) => {
  const scenario: Scenario = {
    fault: (c) => void c.network.addRequestFault({ name: 'flaky-writes', probability: 0.5, match: (r) => r.component === 'mirror-0' && r.verb !== 'get' && r.verb !== 'list' && r.verb !== 'watch', fault: { kind: 'error', status: internalError('flaky').status } }),
  };
  const r = run(1, scenario);
  const hits = (o: Observed): number[] => o.cluster.sim.trace.lines().filter((l) => l.kind === 'fault-hit').map((l) => l.atMs);
  t.ok(hits(r).length > 0, 'some writes failed');
  t.equal(r.greetingBeforeDelete, 'v2', 'the retries get through');
  t.same(hits(run(1, scenario)), hits(r), 'same seed: the same requests fail at the same times');
  checkDeterminism(t, scenario, r);
});
