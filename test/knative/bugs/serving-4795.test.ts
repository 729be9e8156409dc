// knative/serving PR #4795 "Start autoscaler in panic mode" (b52b0202ae, first released in v0.8):
// "When autoscaler restarts it has no memory of the previous stats and immediately scales the
// deployment down" (7 → 1 → 2 → 6 → 7 pods under load). The fix creates a decider in panic mode
// holding the ready pod count when more than one pod is ready, so nothing scales down until a
// stable window of fresh data exists. Trigger here: steady Poisson load on a revision at ~8 pods
// with the activator out of the path (target-burst-capacity 0, as 0.7 had no burst capacity), then
// the autoscaler container crashes and the kubelet restarts it. The restarted decider sees only a
// few seconds of scrapes, and their noise (no 60 s average to smooth it) turns into a scale-down.
// Symptom: replicas drop below the pre-restart count within a stable window of the restart.
import t from 'tap';
import { crashContainer } from '../../../src/kube/pod-faults.js';
import { KNATIVE_NAMESPACE } from '../../../src/knative/serving-system.js';
import { servingWorld } from '../serving-harness.js';

const LOAD_AT_MS = 40_000;
const CRASH_AT_MS = 130_000;
const STABLE_WINDOW_MS = 60_000;
const SEEDS = [1, 2, 3, 4, 5, 6];

/** Lowest replicas in the 20 s before the crash and in the stable window after it. */
function run(release: string, seed: number): { before: number; after: number; failed: number } {
  const w = servingWorld({
    seed,
    serving: { release },
    annotations: { 'autoscaling.knative.dev/target': '2', 'autoscaling.knative.dev/target-burst-capacity': '0' },
    phases: [{ name: 'steady', durationMs: CRASH_AT_MS + STABLE_WINDOW_MS - LOAD_AT_MS, load: { kind: 'poisson', rps: 100 }, serviceTime: { kind: 'constant', ms: 100 } }],
    workloadAtMs: LOAD_AT_MS,
  });
  crashContainer({ cluster: w.cluster, runtime: w.kube.runtime },
    { namespace: KNATIVE_NAMESPACE, labels: { app: 'autoscaler' }, container: 'autoscaler' }, { atMs: CRASH_AT_MS });
  w.run(CRASH_AT_MS + STABLE_WINDOW_MS);
  const within = (fromMs: number, toMs: number): number =>
    Math.min(...w.samples.filter((s) => s.atMs > fromMs && s.atMs <= toMs).map((s) => s.replicas));
  return { before: within(CRASH_AT_MS - 20_000, CRASH_AT_MS), after: within(CRASH_AT_MS, CRASH_AT_MS + STABLE_WINDOW_MS), failed: w.outcomes.filter((o) => o.status !== 200).length };
}

t.test('0.7: an autoscaler restart under steady load scales the revision down within a stable window', async (t) => {
  let reproduced = 0;
  for (const seed of SEEDS) {
    const r = run('0.7', seed);
    t.ok(r.before >= 6, `seed ${seed}: ${r.before} replicas held before the crash`);
    if (r.after < r.before) reproduced += 1;
    t.comment(`seed ${seed}: ${r.before} → min ${r.after} after the restart`);
  }
  // A race between the restart and the scrape noise: found by seeds, not scripted (2 to 3 of 6 seeds
  // across recent model changes), so the check is "reproduces within these seeds".
  t.ok(reproduced >= 1, `scaled below the pre-restart count in ${reproduced}/${SEEDS.length} seeds`);
});

t.test('0.8: the restarted decider starts in panic and holds the pre-restart count', async (t) => {
  for (const seed of SEEDS) {
    const r = run('0.8', seed);
    t.ok(r.before >= 6, `seed ${seed}: ${r.before} replicas held before the crash`);
    t.ok(r.after >= r.before, `seed ${seed}: never below ${r.before} after the restart (min ${r.after})`);
    t.equal(r.failed, 0, `seed ${seed}: no request failed`);
  }
});
