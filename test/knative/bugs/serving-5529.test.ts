// knative/serving #5529 "Crash looping Revisions with minScale are not scaled to zero" (fix #5532,
// v0.9). The KPA gives up an activation that never succeeds only when it wants 0 pods, but min-scale
// raised the desired scale to 1 for a revision whose PA reachability was Unknown (its Active
// condition stays Unknown while it never becomes ready). The fix marks a failed (Ready=False),
// unrouted revision Unreachable, so min-scale no longer applies and the activation times out. The
// trigger is the issue's: deploy a revision with min-scale 1 that crash-loops, then a healthy one.
import t from 'tap';
import { LABELS } from '../../../src/knative/apis/serving-labels.js';
import { crashLoop } from '../../../src/kube/pod-faults.js';
import { revisionWorld } from './revision-world.js';

/** 30 s progress deadline: the activation of the failing revision times out 30 s (+ the KPA's 30 s buffer) after it started. */
const PROGRESS_DEADLINE = '30s';
const UNTIL_MS = 180_000;

function run(release: string, seed: number): { lastReplicas: number | undefined; zeroAtMs: number | undefined; failed: boolean; healthyReady: boolean } {
  const w = revisionWorld({ seed, serving: { release } });
  crashLoop({ cluster: w.cluster, runtime: w.kube.runtime }, { labels: { [LABELS.revision]: 'hello-00001' }, container: 'user-container' }, { atMs: 0, durationMs: UNTIL_MS, crashAfterMs: 500 });
  const annotations = { 'serving.knative.dev/progress-deadline': PROGRESS_DEADLINE };
  w.createService('hello', 15_000, { annotations: { ...annotations, 'autoscaling.knative.dev/minScale': '1' }, image: 'example.com/crashes:1' });
  w.updateService('hello', 30_000, { annotations, image: 'example.com/works:1' });
  w.run(UNTIL_MS);
  const samples = w.of('hello-00001');
  return {
    lastReplicas: samples.at(-1)?.replicas,
    zeroAtMs: w.replicaHistory('hello-00001').find((h) => h.replicas === 0)?.atMs,
    failed: samples.some((s) => s.ready === 'False'),
    healthyReady: w.of('hello-00002').some((s) => s.ready === 'True'),
  };
}

const SEEDS = [1, 2, 3];

t.test('0.8: the crash-looping min-scale revision is never scaled to zero', async (t) => {
  for (const seed of SEEDS) {
    const r = run('0.8', seed);
    t.ok(r.failed && r.healthyReady, `seed ${seed}: the first revision failed and the second became Ready`);
    t.equal(r.zeroAtMs, undefined, `seed ${seed}: its Deployment never went to 0 replicas in ${UNTIL_MS / 1000} s`);
    t.equal(r.lastReplicas, 1, `seed ${seed}: it still wants 1 pod at the end`);
  }
});

t.test('0.9: the failed, unrouted revision is scaled to zero once its activation times out', async (t) => {
  for (const seed of SEEDS) {
    const r = run('0.9', seed);
    t.ok(r.failed && r.healthyReady, `seed ${seed}: the first revision failed and the second became Ready`);
    t.ok(r.zeroAtMs !== undefined && r.zeroAtMs <= 15_000 + 30_000 + 30_000 + 60_000, `seed ${seed}: 0 replicas at ${r.zeroAtMs} ms (creation at 15 s + progress deadline 30 s + 30 s buffer, within a minute more)`);
    t.equal(r.lastReplicas, 0, `seed ${seed}: and it stays at 0`);
  }
});
