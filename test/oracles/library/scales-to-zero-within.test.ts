import t from 'tap';
import { scalesToZeroWithin } from '../../../src/oracles/library/scales-to-zero-within.js';
import { HistoryBuilder, servedRevision } from '../history-builder.js';

const check = (b: HistoryBuilder, params: Record<string, unknown> = {}) => scalesToZeroWithin.check(b.build(), scalesToZeroWithin.parse(params));

/** Traffic from 60 s to 120 s (the last request done at 1m59.9s), then idle; replicas reach 0 at `zeroAtMs`; a request at `wakeMs` brings one up for 60 s. */
function run(zeroAtMs: number, options: { annotations?: Record<string, string>; wakeMs?: number } = {}): HistoryBuilder {
  const b = new HistoryBuilder({ endMs: 400_000 });
  servedRevision(b, { annotations: options.annotations });
  const wakeMs = options.wakeMs ?? Infinity;
  b.requests({ fromMs: 60_000, toMs: 120_000, rps: 5 });
  if (wakeMs !== Infinity) b.request({ arrivalMs: wakeMs, latencyMs: 3_000, revision: 'hello-00001' });
  b.samples('hello-00001', { fromMs: 15_000, toMs: 400_000 }, (at) => {
    const up = at < zeroAtMs || (at >= wakeMs && at < wakeMs + 60_000);
    return { replicas: up ? 1 : 0, readyPods: up && at >= 23_000 ? 1 : 0, pods: up ? 1 : 0, routed: true };
  });
  return b;
}

t.test('fires when replicas are still up 90s after the last request, naming the idle start and the replicas', async (t) => {
  t.same(check(run(250_000)), {
    reason: 'Revision default/hello-00001 was idle from 1m59.9s (no request in flight or arriving) but still had 1 replicas at 3m29.9s, 1m30s later, and never reached 0 in between',
    atMs: 209_900,
    objects: ['Revision default/hello-00001', 'Deployment default/hello-00001-deployment'],
  });
  t.equal(check(run(185_000)), null, 'the same run reaching 0 at 3m5s passes');
});

t.test('an idle gap shorter than `within` is not judged', async (t) => {
  t.equal(check(run(250_000, { wakeMs: 200_000 })), null, 'a request at 3m20s ends the idle period before the 3m30s deadline');
  t.not(check(run(250_000), { within: '2m' }), null, 'still up at 4m');
  t.equal(check(run(230_000), { within: '2m' }), null);
});

t.test('a revision with min-scale above 0 is not expected to scale to zero', async (t) => {
  t.equal(check(run(Infinity, { annotations: { 'autoscaling.knative.dev/min-scale': '1' } })), null);
  t.not(check(run(Infinity)), null);
});

t.test('a revision that never receives a request is idle from when it became Ready', async (t) => {
  const b = new HistoryBuilder({ endMs: 200_000 });
  servedRevision(b);
  b.samples('hello-00001', { fromMs: 15_000, toMs: 200_000 }, (at) => ({ replicas: at < 150_000 ? 1 : 0 }));
  t.match(check(b)?.reason, /idle from 24s .* at 1m54s/);
});
