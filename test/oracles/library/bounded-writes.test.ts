import t from 'tap';
import { boundedWrites } from '../../../src/oracles/library/bounded-writes.js';
import { HistoryBuilder } from '../history-builder.js';
import { paramErrorOf } from '../param-error.js';

const check = (b: HistoryBuilder, params: Record<string, unknown>) => boundedWrites.check(b.build(), boundedWrites.parse(params));

/** The controller and the autoscaler each write the PodAutoscaler every `everyMs` for a minute from 1m. */
function storm(everyMs: number): HistoryBuilder {
  const b = new HistoryBuilder();
  for (let i = 0; 60_000 + i * everyMs < 120_000; i += 1) {
    const at = 60_000 + i * everyMs;
    b.write({ atMs: at, component: 'controller', verb: 'update', kind: 'PodAutoscaler', name: 'hello-00001' });
    b.write({ atMs: at + 1, component: 'autoscaler', verb: 'update', kind: 'PodAutoscaler', name: 'hello-00001', subresource: 'status', code: i % 2 === 0 ? 200 : 409 });
  }
  b.write({ atMs: 30_000, component: 'controller', verb: 'create', kind: 'Revision', name: 'hello-00001', code: 201 });
  return b;
}

t.test('fires when an object receives more than max writes in a window, naming the writers', async (t) => {
  t.same(check(storm(2_000), { max: 20 }), {
    reason: 'PodAutoscaler default/hello-00001 received 21 writes between 1m0s and 1m20s (more than 20 within 1m0s; controller: 11, autoscaler: 10; 5 refused)',
    atMs: 80_000,
    objects: ['PodAutoscaler default/hello-00001'],
  });
  t.equal(check(storm(10_000), { max: 20 }), null, 'the same two writers every 10 s pass');
});

t.test('refused writes count and are reported; component, kinds and verbs narrow the count', async (t) => {
  t.match(check(storm(2_000), { max: 20 })?.reason, /\(more than 20 within 1m0s; controller: 11, autoscaler: 10; 5 refused\)/);
  t.equal(check(storm(2_000), { max: 30, component: 'autoscaler' }), null);
  t.not(check(storm(2_000), { max: 30 }), null);
  t.equal(check(storm(2_000), { max: 20, kinds: ['Revision'] }), null);
  t.equal(check(storm(2_000), { max: 20, verbs: ['create'] }), null);
  t.equal(check(storm(2_000), { max: 20, window: '15s' }), null);
  t.match(paramErrorOf(() => boundedWrites.parse({ max: 0 })), { field: 'max' });
  t.match(paramErrorOf(() => boundedWrites.parse({ max: 5, verbs: ['get'] })), { field: 'verbs' });
});
