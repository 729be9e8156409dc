import t from 'tap';
import { podConcurrencyWithinLimit } from '../../../src/oracles/library/pod-concurrency-within-limit.js';
import { HistoryBuilder, servedRevision } from '../history-builder.js';
import { paramErrorOf } from '../param-error.js';

const check = (b: HistoryBuilder, params: Record<string, unknown> = {}) => podConcurrencyWithinLimit.check(b.build(), podConcurrencyWithinLimit.parse(params));

function run(containerConcurrency: number, peak: number): HistoryBuilder {
  const b = new HistoryBuilder();
  servedRevision(b, { containerConcurrency });
  b.samples('hello-00001', { fromMs: 25_000, toMs: 60_000 }, (at) => ({ maxPodConcurrency: at === 40_000 ? peak : 1, readyPods: 1, routed: true }));
  return b;
}

t.test('fires when one pod holds more requests than containerConcurrency (#12887)', async (t) => {
  t.same(check(run(1, 3)), {
    reason: 'a pod of Revision default/hello-00001 served 3 requests at once by 40s, more than its containerConcurrency 1',
    atMs: 40_000,
    objects: ['Revision default/hello-00001'],
  });
  t.equal(check(run(3, 3)), null, 'the same peak within containerConcurrency 3 passes');
});

t.test('containerConcurrency 0 means unlimited', async (t) => {
  t.equal(check(run(0, 500)), null);
  t.match(paramErrorOf(() => podConcurrencyWithinLimit.parse({ max: 1 })), { field: 'max' });
});
