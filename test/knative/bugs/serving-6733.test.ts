// knative/serving #6733 "Autoscaler with minScale specified momentarily scaled below minScale" and
// #6935 "minScale causes pods to be killed during deploy" (fixes #7110 and #7214, v0.14). The KPA
// ignores min-scale for an Unreachable PA; before v0.17 a Revision's PA is Unreachable as soon as the
// Revision is active but not labelled as routed, and before the fixes the labeler labelled only the
// revisions in the Route's status.traffic, which names a new revision only once it is Ready. So a
// brand-new service (#6935) and a new revision of an existing one (#6733) briefly drop below
// min-scale just after their pods come up. The trigger is plain: create a service with min-scale 5,
// then update it to a new image; no traffic. Whether the KPA acts inside the gap is a race (the
// decider needs metrics from the new pods by then), so it is found by seeds. The symptom is read from the Deployment and the pods.
import t from 'tap';
import { revisionWorld, type RevisionSample } from './revision-world.js';

const MIN_SCALE = 5;
const annotations = (generation: string): Record<string, string> => ({ 'autoscaling.knative.dev/minScale': String(MIN_SCALE), 'example.com/generation': generation });

interface Dip {
  /** The lowest spec.replicas the Deployment took after first reaching min-scale. */
  lowestReplicas: number;
  /** Pods ever created for the revision. */
  podsCreated: number;
}

/** The symptom for one revision, from every stored value of its Deployment's replicas and its pods. */
function dipOf(history: readonly { atMs: number; replicas: number }[], samples: readonly RevisionSample[]): Dip | undefined {
  const reached = history.findIndex((h) => h.replicas >= MIN_SCALE);
  if (reached < 0 || samples.length === 0) return undefined;
  return { lowestReplicas: Math.min(...history.slice(reached).map((h) => h.replicas)), podsCreated: samples.at(-1)!.podsCreated };
}

function run(release: string, seed: number): { created: Dip | undefined; updated: Dip | undefined } {
  const w = revisionWorld({ seed, serving: { release } });
  w.createService('hello', 15_000, { annotations: annotations('1') });
  w.updateService('hello', 45_000, { annotations: annotations('2'), image: 'ghcr.io/knative/helloworld-go:v2' });
  w.run(75_000);
  const before = (h: { atMs: number }): boolean => h.atMs < 45_000;
  return {
    created: dipOf(w.replicaHistory('hello-00001').filter(before), w.of('hello-00001').filter(before)),
    updated: dipOf(w.replicaHistory('hello-00002'), w.of('hello-00002')),
  };
}

const SEEDS = [1, 2, 3, 4, 5, 6];

t.test('0.13: a new service with min-scale 5 drops below 5 right after its pods come up (#6935), and so does the next revision (#6733)', async (t) => {
  let created = 0;
  let updated = 0;
  for (const seed of SEEDS) {
    const r = run('0.13', seed);
    t.ok(r.created && r.updated, `seed ${seed}: both revisions came up`);
    if (r.created && r.created.lowestReplicas < MIN_SCALE && r.created.podsCreated > MIN_SCALE) created++;
    if (r.updated && r.updated.lowestReplicas < MIN_SCALE && r.updated.podsCreated > MIN_SCALE) updated++;
    t.comment(`seed ${seed}: first revision lowest replicas ${r.created?.lowestReplicas}, ${r.created?.podsCreated} pods; second ${r.updated?.lowestReplicas}, ${r.updated?.podsCreated} pods`);
  }
  t.ok(created >= 2, `the new service dipped below min-scale and recreated pods on ${created} of ${SEEDS.length} seeds`);
  t.ok(updated >= 2, `the new revision dipped below min-scale and recreated pods on ${updated} of ${SEEDS.length} seeds`);
});

t.test('0.14: with the labeler marking the latest created revision from spec.traffic, neither revision drops below min-scale', async (t) => {
  for (const seed of SEEDS) {
    const r = run('0.14', seed);
    t.equal(r.created?.lowestReplicas, MIN_SCALE, `seed ${seed}: first revision never below ${MIN_SCALE}`);
    t.equal(r.created?.podsCreated, MIN_SCALE, `seed ${seed}: first revision created exactly ${MIN_SCALE} pods`);
    t.equal(r.updated?.lowestReplicas, MIN_SCALE, `seed ${seed}: second revision never below ${MIN_SCALE}`);
    t.equal(r.updated?.podsCreated, MIN_SCALE, `seed ${seed}: second revision created exactly ${MIN_SCALE} pods`);
  }
});
