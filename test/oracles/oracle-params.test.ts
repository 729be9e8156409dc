import t from 'tap';
import { OracleParams, durationParam } from '../../src/oracles/oracle-params.js';
import { paramErrorOf } from './param-error.js';

t.test('durations are Go duration strings or numbers of milliseconds', async (t) => {
  t.equal(durationParam('within', '1m30s'), 90_000);
  t.equal(durationParam('within', '250ms'), 250);
  t.equal(durationParam('within', 1500), 1500);
  t.match(paramErrorOf(() => durationParam('within', '90')), { field: 'within', message: /missing unit/ });
  t.match(paramErrorOf(() => durationParam('within', '-1s')), { field: 'within', message: /not be negative/ });
  t.match(paramErrorOf(() => durationParam('within', -5)), { field: 'within' });
  t.match(paramErrorOf(() => durationParam('within', true)), { field: 'within', message: /got true/ });
});

t.test('readers apply defaults, check types and name nested fields; finish rejects unread names', async (t) => {
  const p = new OracleParams({ max: 3, kinds: 'Revision', on: true, condition: { kind: 'Revision', typo: 1 } });
  t.equal(p.count('max'), 3);
  t.same(p.stringList('kinds'), ['Revision'], 'a single string is a list of one');
  t.equal(p.boolean('on', { default: false }), true);
  t.equal(p.duration('window', { default: 60_000 }), 60_000);
  const nested = p.nested('condition');
  t.equal(nested?.string('kind'), 'Revision');
  t.match(paramErrorOf(() => nested?.finish()), { field: 'condition.typo' });
  t.doesNotThrow(() => p.finish());
  t.match(paramErrorOf(() => new OracleParams({ max: 1.5 }).count('max')), { field: 'max', message: /whole number/ });
  t.match(paramErrorOf(() => new OracleParams({}).count('max')), { field: 'max', message: 'max is required (a whole number ≥ 0)' });
  t.match(paramErrorOf(() => new OracleParams([1, 2])), { field: 'params' });
  t.match(paramErrorOf(() => new OracleParams({ x: 1 }).finish()), { field: 'x', message: 'unknown parameter x' });
});
