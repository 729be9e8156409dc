// knative/serving #8878 "Setting initial-scale more than 1 never scale down", fixed by #8883
// (7a4632e305, first released in v0.17): scaler.go raised min to the initial scale on every
// reconcile, not only until the PodAutoscaler reported ScaleTargetInitialized. The trigger is the
// issue's: a Knative Service with initial-scale 3 and no traffic. Symptom: the revision stays at 3
// replicas long after stable window + scale-to-zero grace, although its min-scale is 0.
import t from 'tap';
import { firstSample, KSVC_AT_MS, servingWorld, type ServingWorld } from '../serving-harness.js';

// Ready by ~30 s; stable window 60 s of no traffic, grace 30 s, queue-proxy drain 30 s.
const RUN_MS = 150_000;
const SEEDS = [1, 2, 3, 4, 5];

function run(release: string, seed: number): ServingWorld {
  return servingWorld({
    seed,
    serving: { release },
    annotations: { 'autoscaling.knative.dev/initial-scale': '3' },
    phases: [{ name: 'idle', durationMs: RUN_MS, load: { kind: 'idle' } }],
  }).run(RUN_MS);
}

t.test('0.17-dev (main between #8403 and #8883): a revision started at initial-scale 3 with no traffic stays at 3 replicas', async (t) => {
  let reproduced = 0;
  for (const seed of SEEDS) {
    const w = run('0.17-dev', seed);
    const initialised = firstSample(w.samples, KSVC_AT_MS, (s) => s.paInitialized === 'True');
    t.ok(initialised, `seed ${seed}: the PA reports ScaleTargetInitialized (at ${initialised?.atMs} ms)`);
    const last = w.samples.at(-1)!;
    t.equal(last.desiredScale, 3, `seed ${seed}: the PA still wants 3 at ${last.atMs} ms`);
    if (Math.min(...w.samples.filter((s) => s.atMs >= initialised!.atMs).map((s) => s.replicas)) === 3 && last.readyPods === 3) reproduced += 1;
  }
  t.equal(reproduced, SEEDS.length, `replicas never left 3 in ${reproduced}/${SEEDS.length} seeds`);
});

t.test('0.17: the same revision scales to zero once initialised and idle for stable window + grace', async (t) => {
  for (const seed of SEEDS) {
    const w = run('0.17', seed);
    const initialised = firstSample(w.samples, KSVC_AT_MS, (s) => s.paInitialized === 'True')!;
    t.ok(initialised, `seed ${seed}: the PA reports ScaleTargetInitialized (three pods were ready) at ${initialised?.atMs} ms`);
    const zero = firstSample(w.samples, initialised.atMs, (s) => s.replicas === 0);
    t.ok(zero && zero.atMs <= initialised.atMs + 60_000 + 30_000 + 10_000, `seed ${seed}: replicas 0 at ${zero?.atMs} ms`);
    t.equal(w.samples.at(-1)!.pods, 0, `seed ${seed}: no pod left at the end`);
  }
});

t.test('0.16 (before the KPA knew initial scale): the Deployment starts at 3 but the KPA does not hold it, and the idle revision scales to zero', async (t) => {
  const w = run('0.16', 1);
  t.ok(w.samples.some((s) => s.replicas === 3), 'the revision Deployment starts at the initial scale (#8355, v0.16)');
  t.equal(w.samples.at(-1)!.pods, 0, 'scaled to zero');
  t.equal(w.samples.at(-1)!.desiredScale, 0);
});
