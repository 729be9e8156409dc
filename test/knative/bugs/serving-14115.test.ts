// knative/serving #14115 "Old unreachable revision is causing new pods to get created when it should
// scale down" (fix #14309, 1.12). Before the fix a PA's reachability followed the Revision's Active
// condition: Unknown while Active is Unknown. When the routed-away revision scales down, the KPA
// changes its SKS; until the SKS reconciler observes the new generation the PA's SKSReady (and so
// Ready) is Unknown, the Revision's Active turns Unknown, its PA becomes reachability Unknown, and
// min-scale applies again: the old revision scales back up and creates pods, over and over. The
// trigger is the issue's: `kn service create --scale 9`, then `kn service update --scale 1`.
import t from 'tap';
import { PODAUTOSCALERS } from '../../../src/knative/apis/resources.js';
import { NS, revisionWorld } from './revision-world.js';

const scale = (n: number): Record<string, string> => ({ 'autoscaling.knative.dev/min-scale': String(n), 'autoscaling.knative.dev/max-scale': String(n) });

/** After the labeler marked the old revision `reserve` (routed away, so Unreachable): how often its replicas went up, and how many pods it created. */
function afterRoutedAway(release: string, seed: number): { increases: number; podsCreated: number; podsBefore: number; paConditions: string[] } | undefined {
  const w = revisionWorld({ seed, serving: { release } });
  w.createService('hello', 15_000, { annotations: scale(9) });
  w.updateService('hello', 45_000, { annotations: scale(1) });
  w.run(100_000);
  const samples = w.of('hello-00001');
  const first = samples.find((s) => s.routingState === 'reserve');
  if (first === undefined) return undefined;
  const history = w.replicaHistory('hello-00001').filter((h) => h.atMs >= first.atMs);
  let increases = 0;
  for (let i = 1; i < history.length; i++) if (history[i].replicas > history[i - 1].replicas) increases++;
  const before = samples.filter((s) => s.atMs < first.atMs).at(-1)?.podsCreated ?? 0;
  const pa = w.cluster.api.get(PODAUTOSCALERS, 'hello-00001', { namespace: NS });
  const paConditions = ((pa.status?.conditions ?? []) as { type: string }[]).map((c) => c.type).sort();
  return { increases, podsCreated: samples.at(-1)!.podsCreated - before, podsBefore: before, paConditions };
}

const SEEDS = [1, 2, 3];

t.test('1.11: the routed-away revision keeps scaling back up to its old min-scale and creating pods', async (t) => {
  for (const seed of SEEDS) {
    const r = afterRoutedAway('1.11', seed);
    t.ok(r, `seed ${seed}: the old revision was routed away`);
    t.ok(r !== undefined && r.increases >= 2, `seed ${seed}: its replicas went up ${r?.increases} times after that`);
    t.ok(r !== undefined && r.podsCreated >= 9, `seed ${seed}: it created ${r?.podsCreated} pods after that (it had ${r?.podsBefore})`);
  }
});

t.test('1.12: once routed away the old revision only scales down and creates no pod', async (t) => {
  for (const seed of SEEDS) {
    const r = afterRoutedAway('1.12', seed);
    t.ok(r, `seed ${seed}: the old revision was routed away`);
    t.equal(r?.increases, 0, `seed ${seed}: replicas never went up`);
    t.equal(r?.podsCreated, 0, `seed ${seed}: no pod created`);
  }
});

// Before v0.17 the PA had no SKSReady (#8809) and a not-ready SKS counted as zero ready pods (until
// #8838); since v0.16 (#8187) "not ready" includes an SKS whose status lags its generation, which
// the KPA sees on the object its own SKS update returned. 0.16 loops through Active Unknown instead.
t.test('0.16: no SKSReady condition, yet the zeroed ready count after each SKS update brings min-scale back', async (t) => {
  for (const seed of SEEDS) {
    const r = afterRoutedAway('0.16', seed);
    t.ok(r, `seed ${seed}: the old revision was routed away`);
    t.same(r?.paConditions, ['Active', 'Ready'], `seed ${seed}: the PA's conditions are Active and Ready only`);
    t.ok(r !== undefined && r.increases >= 1, `seed ${seed}: its replicas went up ${r?.increases} times after that`);
    t.ok(r !== undefined && r.podsCreated >= 1, `seed ${seed}: it created ${r?.podsCreated} pods after that`);
  }
});

t.test('0.14: the KPA reads the SKS Ready condition alone, so a generation change keeps the PA Active and the old revision only scales down', async (t) => {
  for (const seed of SEEDS) {
    const r = afterRoutedAway('0.14', seed);
    t.ok(r, `seed ${seed}: the old revision was routed away`);
    t.same(r?.paConditions, ['Active', 'Ready'], `seed ${seed}: the PA's conditions are Active and Ready only`);
    t.equal(r?.increases, 0, `seed ${seed}: replicas never went up`);
    t.equal(r?.podsCreated, 0, `seed ${seed}: no pod created`);
  }
});
