import t from 'tap';
import { checkOracles, prepareOracles, validateOracleSpec } from '../../src/oracles/check-oracles.js';
import { ORACLE_LIBRARY, oracleByName } from '../../src/oracles/library-index.js';
import { OracleParamError } from '../../src/oracles/oracle.js';
import type { OracleSpec } from '../../src/scenario/types.js';
import { HistoryBuilder, servedRevision } from './history-builder.js';

const spec = (id: string, use: string, params: Record<string, unknown> = {}): OracleSpec => ({ id, use, params, source: { file: 'scenario.yaml', path: `oracles[${id}]` } });

t.test('the library has the ten oracles, each with a summary, and the lookup knows the shapes too', async (t) => {
  t.same([...ORACLE_LIBRARY.keys()], [
    'no-failed-requests', 'cold-start-latency', 'replicas-within-scale-bounds', 'scales-to-zero-within', 'ready-implies-pods',
    'eventually-ready', 'no-condition-stuck-unknown', 'sks-mode-flaps-bounded', 'pod-concurrency-within-limit', 'bounded-writes',
  ]);
  for (const d of ORACLE_LIBRARY.values()) t.ok(d.summary.length > 20, `${d.name} has a summary`);
  t.equal(oracleByName('eventually')?.name, 'eventually');
  t.equal(oracleByName('module'), undefined);
});

t.test('checkOracles reports each failing oracle under its id, in spec order, skipping modules', async (t) => {
  const b = new HistoryBuilder({ endMs: 300_000 });
  servedRevision(b);
  b.requests({ fromMs: 60_000, toMs: 70_000, rps: 1 }, (at) => (at === 65_000 ? { status: 502, error: 'no healthy upstream' } : {}));
  const prepared = prepareOracles([
    spec('errors', 'no-failed-requests', { after: '30s' }),
    spec('custom', 'module', { path: '/abs/custom.ts' }),
    spec('services-ready', 'eventually-ready', { within: '1m' }),
    spec('replicas-seen', 'eventually', { series: 'replicas', ge: 1, within: '2m' }),
  ]);
  t.same(prepared.map((p) => p.id), ['errors', 'services-ready', 'replicas-seen']);
  const violations = checkOracles(prepared, b.build());
  t.same(violations.map((v) => [v.oracle, v.atMs]), [['errors', 65_100], ['replicas-seen', 120_000]]);
  t.match(violations[0].reason, /got 502 \(no healthy upstream\)/);
});

t.test('validateOracleSpec names the bad field for the loader, and accepts modules and defaults', async (t) => {
  t.equal(validateOracleSpec(spec('a', 'no-failed-requests')), null);
  t.equal(validateOracleSpec(spec('m', 'module', { path: '/x.ts' })), null);
  t.same(validateOracleSpec(spec('b', 'scales-to-zero-within', { within: 'ninety' })), {
    field: 'within', message: 'within must be a duration such as "30s" or "1m30s": time: invalid duration "ninety"',
  });
  t.same(validateOracleSpec(spec('c', 'bounded-writes', { max: 3, windw: '1m' })), { field: 'windw', message: 'unknown parameter windw' });
  t.match(validateOracleSpec(spec('d', 'no-such-oracle')), { field: 'use', message: /unknown oracle "no-such-oracle"; known: no-failed-requests, .*always, eventually, never, module/ });
  t.throws(() => prepareOracles([spec('e', 'cold-start-latency')]), OracleParamError);
});
