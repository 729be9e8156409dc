import t from 'tap';
import { noConditionStuckUnknown } from '../../../src/oracles/library/no-condition-stuck-unknown.js';
import { HistoryBuilder, servedRevision } from '../history-builder.js';

const check = (b: HistoryBuilder, params: Record<string, unknown> = {}) => noConditionStuckUnknown.check(b.build(), noConditionStuckUnknown.parse(params));

/** A revision that turns Ready at `readyMs` (Infinity: never); the run ends at 10m. */
function run(readyMs: number): HistoryBuilder {
  const b = new HistoryBuilder({ endMs: 600_000 });
  b.service('hello', 15_000);
  b.revision('hello-00001', 15_000);
  if (readyMs < Infinity) b.conditions('Revision', 'hello-00001', readyMs, { ContainerHealthy: 'True', ResourcesAvailable: 'True', Ready: 'True' });
  b.conditions('Service', 'hello', 20_000, { ConfigurationsReady: 'True', RoutesReady: 'True', Ready: 'True' });
  return b;
}

t.test('fires on a Revision condition Unknown from creation to the end of the run (#8922)', async (t) => {
  t.same(check(run(Infinity)), {
    reason: 'Revision default/hello-00001 condition ContainerHealthy was Unknown (Deploying) from 15s still at the end of the run, longer than 5m0s',
    atMs: 315_000,
    objects: ['Revision default/hello-00001'],
  });
  t.equal(check(run(200_000)), null, 'the same revision resolving after 3m5s passes');
});

t.test('an Unknown stretch that ends after max still fires; types narrows the conditions', async (t) => {
  t.match(check(run(400_000))?.reason, /from 15s until 6m40s, longer than 5m0s/);
  t.equal(check(run(400_000), { max: '7m' }), null);
  t.match(check(run(Infinity), { types: ['Ready'] })?.reason, /condition Ready was Unknown/);
});

t.test('internal kinds are judged only when named: a scaled-to-zero SKS stays Unknown upstream too', async (t) => {
  const b = new HistoryBuilder({ endMs: 600_000 });
  servedRevision(b);
  b.conditions('ServerlessService', 'hello-00001', 150_000, { EndpointsPopulated: ['Unknown', 'NoHealthyBackends', 'K8s Service is not ready'], Ready: ['Unknown', 'NoHealthyBackends', 'K8s Service is not ready'] });
  t.equal(check(b), null);
  t.match(check(b, { kinds: ['ServerlessService'] })?.reason, /ServerlessService default\/hello-00001 condition EndpointsPopulated was Unknown \(NoHealthyBackends: K8s Service is not ready\) from 2m30s/);
});

t.test('deletion ends an Unknown stretch', async (t) => {
  const b = run(Infinity);
  b.delete('Revision', 'hello-00001', 200_000);
  t.equal(check(b), null);
});
