import t from 'tap';
import { noFailedRequests } from '../../../src/oracles/library/no-failed-requests.js';
import { HistoryBuilder, servedRevision } from '../history-builder.js';
import { paramErrorOf } from '../param-error.js';

const check = (b: HistoryBuilder, params: Record<string, unknown> = {}) => noFailedRequests.check(b.build(), noFailedRequests.parse(params));

function run(options: { failAtMs?: number; status?: number }): HistoryBuilder {
  const b = new HistoryBuilder();
  servedRevision(b);
  b.requests({ fromMs: 60_000, toMs: 120_000, rps: 10 }, (at) => (at === options.failAtMs ? { status: options.status ?? 503, error: 'queue full', latencyMs: 20 } : {}));
  return b;
}

t.test('fires on a 503 and names the request, the revision and the time', async (t) => {
  const found = check(run({ failAtMs: 75_000 }));
  t.same(found, {
    reason: '1 request failed (5xx: 1); the first: request #150 to hello.default.svc.cluster.local arriving at 1m15s got 503 (queue full) from revision hello-00001 at 1m15.02s',
    atMs: 75_020,
    objects: ['Revision default/hello-00001'],
  });
  t.equal(check(run({})), null, 'the same run with every request served passes');
});

t.test('client timeouts count by default; 4xx only when asked', async (t) => {
  t.match(check(run({ failAtMs: 75_000, status: 0 }))?.reason, /timeout: 1\).*timed out/);
  t.equal(check(run({ failAtMs: 75_000, status: 404 })), null);
  t.match(check(run({ failAtMs: 75_000, status: 404 }), { classes: ['4xx'] })?.reason, /4xx: 1/);
});

t.test('requests arriving before `after` are ignored', async (t) => {
  t.equal(check(run({ failAtMs: 75_000 }), { after: '1m20s' }), null);
  t.not(check(run({ failAtMs: 75_000 }), { after: 70_000 }), null, 'a number is milliseconds');
});

t.test('with allowDuringFaults, requests arriving while a fault is active are ignored, and only those', async (t) => {
  const during = run({ failAtMs: 75_000 }).fault('cut', 'partition', 70_000, 80_000);
  t.equal(check(during, { allowDuringFaults: true }), null);
  const after = run({ failAtMs: 85_000 }).fault('cut', 'partition', 70_000, 80_000);
  t.equal(check(after, { allowDuringFaults: true })?.atMs, 85_020);
  t.not(check(run({ failAtMs: 75_000 }).fault('cut', 'partition', 70_000, 80_000)), null, 'off by default');
});

t.test('host narrows the requests looked at', async (t) => {
  t.equal(check(run({ failAtMs: 75_000 }), { host: 'other.default.svc.cluster.local' }), null);
});

t.test('rejects unknown classes and parameters', async (t) => {
  t.match(paramErrorOf(() => noFailedRequests.parse({ classes: ['3xx'] })), { field: 'classes' });
  t.match(paramErrorOf(() => noFailedRequests.parse({ afterr: '1m' })), { field: 'afterr', message: 'unknown parameter afterr' });
  t.match(paramErrorOf(() => noFailedRequests.parse({ after: 'soon' })), { field: 'after' });
});
