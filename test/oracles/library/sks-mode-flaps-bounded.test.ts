import t from 'tap';
import { sksModeFlapsBounded } from '../../../src/oracles/library/sks-mode-flaps-bounded.js';
import { HistoryBuilder, servedRevision } from '../history-builder.js';
import { paramErrorOf } from '../param-error.js';

const check = (b: HistoryBuilder, params: Record<string, unknown>) => sksModeFlapsBounded.check(b.build(), sksModeFlapsBounded.parse(params));

/** Served (Proxy → Serve at 23.5 s), then the mode flips at each of `flipsAtMs`. */
function run(flipsAtMs: number[]): HistoryBuilder {
  const b = new HistoryBuilder();
  servedRevision(b);
  let mode: 'Serve' | 'Proxy' = 'Serve';
  for (const at of flipsAtMs) b.sksMode('hello-00001', at, (mode = mode === 'Serve' ? 'Proxy' : 'Serve'));
  return b;
}

t.test('fires on the change that exceeds max within the window, listing the changes', async (t) => {
  t.same(check(run([100_000, 110_000, 120_000, 130_000, 300_000]), { max: 3, window: '1m' }), {
    reason: 'ServerlessService default/hello-00001 changed mode 4 times within 1m0s (more than 3) by 2m10s: Serve→Proxy at 1m40s, Proxy→Serve at 1m50s, Serve→Proxy at 2m0s, Proxy→Serve at 2m10s',
    atMs: 130_000,
    objects: ['ServerlessService default/hello-00001', 'Revision default/hello-00001'],
  });
  t.equal(check(run([100_000, 110_000, 120_000, 200_000, 300_000]), { max: 3, window: '1m' }), null, 'the same flips spread out pass');
});

t.test('without a window the whole run counts', async (t) => {
  t.equal(check(run([100_000, 200_000, 300_000, 400_000]), { max: 3 })?.atMs, 300_000);
  t.equal(check(run([100_000, 200_000]), { max: 3 }), null);
});

t.test('without recorded ServerlessServices the series tells the mode', async (t) => {
  const b = new HistoryBuilder();
  b.samples('hello-00002', { fromMs: 0, toMs: 60_000 }, (at) => ({ sksMode: Math.floor(at / 10_000) % 2 === 0 ? 'Serve' : 'Proxy' }));
  t.match(check(b, { max: 2 })?.reason, /ServerlessService default\/hello-00002 changed mode 3 times \(more than 2\) by 30s/);
  t.match(paramErrorOf(() => sksModeFlapsBounded.parse({ max: 2, window: 0 })), { field: 'window' });
  t.match(paramErrorOf(() => sksModeFlapsBounded.parse({})), { field: 'max' });
});
