import t from 'tap';
import { eventuallyReady } from '../../../src/oracles/library/eventually-ready.js';
import { HistoryBuilder, servedRevision } from '../history-builder.js';
import { paramErrorOf } from '../param-error.js';

const check = (b: HistoryBuilder, params: Record<string, unknown> = {}) => eventuallyReady.check(b.build(), eventuallyReady.parse(params));

t.test('fires when a Service is not Ready 2m after creation, with its condition and reason', async (t) => {
  const stuck = new HistoryBuilder({ endMs: 300_000 });
  stuck.service('hello', 15_000);
  stuck.conditions('Service', 'hello', 40_000, { ConfigurationsReady: ['False', 'RevisionFailed', 'Revision "hello-00001" failed with message: Back-off pulling image.'], Ready: ['False', 'RevisionFailed', 'Revision "hello-00001" failed with message: Back-off pulling image.'] });
  t.same(check(stuck), {
    reason: 'Service default/hello was not Ready 2m0s after it was created at 15s: at 2m15s it was Ready=False (RevisionFailed: Revision "hello-00001" failed with message: Back-off pulling image.) since 40s',
    atMs: 135_000,
    objects: ['Service default/hello'],
  });
  const ready = new HistoryBuilder({ endMs: 300_000 });
  servedRevision(ready);
  t.equal(check(ready), null, 'the same Service turning Ready at 25s passes');
});

t.test('the bound restarts when the last fault heals, and nothing is judged while a fault never heals', async (t) => {
  const build = (recoverMs: number): HistoryBuilder => {
    const b = new HistoryBuilder({ endMs: 600_000 }).fault('cut', 'partition', 100_000, 200_000);
    servedRevision(b);
    b.conditions('Revision', 'hello-00001', 150_000, { ResourcesAvailable: ['False', 'ProgressDeadlineExceeded'], Ready: ['False', 'ProgressDeadlineExceeded'] });
    if (recoverMs < Infinity) b.conditions('Revision', 'hello-00001', recoverMs, { ResourcesAvailable: 'True', Ready: 'True' });
    return b;
  };
  t.equal(check(build(300_000), { kind: 'Revision' }), null, 'Ready again 1m40s after the heal');
  t.match(check(build(Infinity), { kind: 'Revision' })?.reason, /Revision default\/hello-00001 was not Ready 2m0s after the last fault healed at 3m20s: at 5m20s it was Ready=False \(ProgressDeadlineExceeded\) since 2m30s/);
  t.equal(check(build(Infinity), { kind: 'Revision' })?.atMs, 320_000);
  t.equal(check(build(Infinity), { kind: 'Revision', within: '7m' }), null, 'the bound ends after the run');
  const forever = new HistoryBuilder({ endMs: 600_000 }).fault('cut', 'partition', 100_000);
  forever.service('hello', 15_000);
  t.equal(check(forever), null);
});

t.test('kind, name and within pick what is judged', async (t) => {
  const b = new HistoryBuilder({ endMs: 300_000 });
  servedRevision(b, { readyMs: 100_000 });
  t.equal(check(b, { kind: 'Revision', within: '1m30s' }), null);
  t.match(check(b, { kind: 'Revision', within: '1m' })?.reason, /^Revision default\/hello-00001 was not Ready 1m0s after it was created at 15s: at 1m15s it was Ready=Unknown \(Deploying\) since 15s$/);
  t.equal(check(b, { kind: 'Revision', within: '1m', name: 'other' }), null);
  t.match(paramErrorOf(() => eventuallyReady.parse({ kind: 'Pod' })), { field: 'kind' });
});
