import t from 'tap';
import { always, eventually, never } from '../../src/oracles/shapes.js';
import type { OracleDefinition } from '../../src/oracles/oracle.js';
import { HistoryBuilder, servedRevision } from './history-builder.js';
import { paramErrorOf } from './param-error.js';

const check = (shape: OracleDefinition<any>, b: HistoryBuilder, params: Record<string, unknown>) => shape.check(b.build(), shape.parse(params));

/** Replicas 3 from 30 s, except `dipTo` over [2m, 2m5s); SKS Serve from 23.5 s. */
function run(dipTo: number): HistoryBuilder {
  const b = new HistoryBuilder({ endMs: 360_000 });
  servedRevision(b, { readyPods: 3 });
  b.samples('hello-00001', { fromMs: 15_000, toMs: 360_000 }, (at) => ({ replicas: at < 30_000 ? 1 : at >= 120_000 && at < 125_000 ? dipTo : 3, sksMode: at < 23_500 ? 'Proxy' : 'Serve', routed: true }));
  return b;
}

t.test('always over a series fires at the first sample that breaks the comparison inside [from, to]', async (t) => {
  const params = { series: 'replicas', revision: 'hello-00001', ge: 3, from: '1m', to: '5m' };
  t.same(check(always, run(1), params), {
    reason: 'replicas of Revision default/hello-00001 was 1 at 2m0s; always expected >= 3 between 1m0s and 5m0s',
    atMs: 120_000,
    objects: ['Revision default/hello-00001'],
  });
  t.equal(check(always, run(3), params), null, 'the same run without the dip passes');
  t.equal(check(always, run(1), { ...params, from: '2m10s' }), null, 'the dip lies before from');
});

t.test('never over a series fires at the first sample that matches; sksMode compares strings', async (t) => {
  t.match(check(never, run(0), { series: 'replicas', eq: 0, from: 60_000 }), { atMs: 120_000, reason: /replicas of Revision default\/hello-00001 was 0 at 2m0s; never expected == 0/ });
  t.equal(check(never, run(1), { series: 'replicas', eq: 0, from: 60_000 }), null);
  t.match(check(never, run(3), { series: 'sksMode', eq: 'Proxy', from: '30s' }), null);
  t.match(check(never, run(3), { series: 'sksMode', eq: 'Proxy' }), { atMs: 15_000 });
});

t.test('eventually over a series holds once any sample matches by the deadline, and is not judged past the run', async (t) => {
  t.equal(check(eventually, run(0), { series: 'replicas', eq: 0, within: '3m' }), null);
  t.same(check(eventually, run(1), { series: 'replicas', eq: 0, within: '3m' }), {
    reason: 'replicas of any revision was never == 0 between 0s and 3m0s',
    atMs: 180_000,
    objects: ['Revision default/hello-00001'],
  });
  t.equal(check(eventually, run(1), { series: 'replicas', eq: 0, within: '10m' }), null, 'the deadline lies after the run');
});

t.test('condition shapes read the object timelines', async (t) => {
  const b = (failAtMs?: number): HistoryBuilder => {
    const h = new HistoryBuilder({ endMs: 360_000 });
    servedRevision(h);
    if (failAtMs !== undefined) h.conditions('Revision', 'hello-00001', failAtMs, { Ready: ['False', 'ExitCode1'] });
    return h;
  };
  const ready = { kind: 'Revision', name: 'hello-00001', type: 'Ready', status: 'True' };
  t.same(check(eventually, b(), { within: '1m', condition: ready }), null);
  t.same(check(eventually, b(), { within: '20s', condition: ready }), {
    reason: 'Revision default/hello-00001 never had Ready=True between 0s and 20s',
    atMs: 20_000,
    objects: ['Revision default/hello-00001'],
  });
  t.same(check(always, b(200_000), { from: '1m', condition: ready }), {
    reason: 'Revision default/hello-00001 had Ready=False at 3m20s; always expected Ready=True between 1m0s and 6m0s',
    atMs: 200_000,
    objects: ['Revision default/hello-00001'],
  });
  t.equal(check(always, b(), { from: '1m', condition: ready }), null);
  t.match(check(never, b(200_000), { condition: { kind: 'Revision', type: 'Ready', status: false } }), { atMs: 200_000 }, 'an unquoted YAML False is the status False');
  t.equal(check(never, b(), { condition: { kind: 'Revision', type: 'Ready', status: 'False' } }), null);
});

t.test('shape parameters are validated with the field named', async (t) => {
  t.match(paramErrorOf(() => always.parse({ series: 'replicas' })), { field: 'eq' });
  t.match(paramErrorOf(() => always.parse({ series: 'replicas', ge: 1, le: 3 })), { field: 'ge', message: /exactly one of eq, ne, lt, le, gt, ge, got le and ge/ });
  t.match(paramErrorOf(() => always.parse({ series: 'replicaz', ge: 1 })), { field: 'series' });
  t.match(paramErrorOf(() => always.parse({ series: 'sksMode', gt: 'Serve' })), { field: 'gt' });
  t.match(paramErrorOf(() => always.parse({ series: 'replicas', ge: 'three' })), { field: 'ge' });
  t.match(paramErrorOf(() => always.parse({ series: 'replicas', ge: 1, within: '1m' })), { field: 'within', message: 'unknown parameter within' });
  t.match(paramErrorOf(() => never.parse({ condition: { kind: 'Revision', type: 'Ready', status: 'Maybe' } })), { field: 'condition.status' });
  t.match(paramErrorOf(() => never.parse({ condition: { kind: 'Revision', type: 'Ready', status: 'True', colour: 1 } })), { field: 'condition.colour' });
  t.match(paramErrorOf(() => eventually.parse({ series: 'replicas', eq: 1, condition: { kind: 'Revision', type: 'Ready', status: 'True' } })), { field: 'condition' });
  t.match(paramErrorOf(() => eventually.parse({ series: 'replicas', eq: 1, from: '2m', to: '1m' })), { field: 'to' });
});
