import t from 'tap';
import { replicasWithinScaleBounds } from '../../../src/oracles/library/replicas-within-scale-bounds.js';
import { HistoryBuilder, servedRevision } from '../history-builder.js';
import { paramErrorOf } from '../param-error.js';

const check = (b: HistoryBuilder, params: Record<string, unknown> = {}) => replicasWithinScaleBounds.check(b.build(), replicasWithinScaleBounds.parse(params));
const MIN3 = { 'autoscaling.knative.dev/min-scale': '3', 'autoscaling.knative.dev/max-scale': '5' };

/** A min-scale 3 revision, Ready at 24 s and routed from 25 s; replicas dip to `dipTo` over [60 s, 63 s). */
function run(dipTo: number, options: { routedFromMs?: number; annotations?: Record<string, string> } = {}): HistoryBuilder {
  const b = new HistoryBuilder();
  servedRevision(b, { annotations: options.annotations ?? MIN3, readyPods: 3 });
  b.samples('hello-00001', { fromMs: 15_000, toMs: 120_000 }, (at) => ({
    replicas: at >= 60_000 && at < 63_000 ? dipTo : 3,
    readyPods: at >= 23_000 ? 3 : 0,
    routed: at >= (options.routedFromMs ?? 25_000),
  }));
  return b;
}

t.test('fires when a routed, Ready revision drops below min-scale, naming the Revision and its Deployment', async (t) => {
  t.same(check(run(1)), {
    reason: 'Revision default/hello-00001 had 1 replicas at 1m0s while routed and Ready, below min-scale 3',
    atMs: 60_000,
    objects: ['Revision default/hello-00001', 'Deployment default/hello-00001-deployment'],
  });
  t.equal(check(run(3)), null, 'the same run holding 3 replicas passes');
});

t.test('fires above max-scale; the legacy minScale/maxScale keys count too', async (t) => {
  t.match(check(run(6))?.reason, /6 replicas at 1m0s .* above max-scale 5/);
  t.match(check(run(1, { annotations: { 'autoscaling.knative.dev/minScale': '2' } }))?.reason, /below min-scale 2/);
  t.equal(check(run(2, { annotations: { 'autoscaling.knative.dev/minScale': '2' } })), null);
});

t.test('samples while the revision is not routed, or within the grace period, are not judged', async (t) => {
  t.equal(check(run(1, { routedFromMs: 70_000 })), null, 'not routed during the dip');
  t.equal(check(run(1), { grace: '40s' }), null, 'the dip is within 40s of first Ready at 24s');
  t.not(check(run(1), { grace: '30s' }), null);
});

t.test('of: readyPods judges ready pods instead of replicas', async (t) => {
  t.equal(check(run(1), { of: 'readyPods' }), null);
  t.match(paramErrorOf(() => replicasWithinScaleBounds.parse({ of: 'pods' })), { field: 'of' });
});
