// partition, delay-watch, drop-watch, stale-view and api-errors on Knative's controller, in a whole
// simulated Knative whose Service is created at 15 s: each changes when (or whether) the controller
// acts, and the world recovers after the heal.
import t from 'tap';
import { servingWorld } from '../knative/serving-harness.js';
import { faultSpec, inject, recordWrites, serviceReadyAt } from './fault-harness.js';

/** When the Service became Ready in the same world without faults. */
function baselineReadyMs(seed: number): number {
  const w = servingWorld({ seed, phases: [] });
  const ready = serviceReadyAt(w);
  w.run(60_000);
  return ready.atMs!;
}

t.test('partition controller: no controller write reaches the server during the partition; after the heal the Service gets Ready', async (t) => {
  const w = servingWorld({ seed: 11, phases: [] });
  const writes = recordWrites(w);
  const ready = serviceReadyAt(w);
  const injected = inject(w, faultSpec({ family: 'partition', component: 'controller' }, { durationMs: 40_000 }), 10_000);
  w.run(120_000);
  t.match(injected.fired?.detail, /^partitioned controller processes controller\/controller-\S+ from the API server and pod IPs 10\.244\.\d+\.\d+ from their peers$/);
  const byController = writes.filter((x) => x.component.startsWith('controller/'));
  t.ok(byController.some((x) => x.atMs < 10_000), 'the controller wrote before (its leases)');
  t.notOk(byController.some((x) => x.atMs > 10_010 && x.atMs < 50_000), 'nothing during the partition: the Service created at 15 s waits');
  t.ok(byController.some((x) => x.atMs >= 50_000 && x.resource === 'revisions' && x.verb === 'create'), 'after the heal it creates the Revision');
  t.ok(ready.atMs !== undefined && ready.atMs > 50_000, `the Service is Ready at ${ready.atMs} ms, after the heal`);
});

t.test('drop-watch Revision to controller: the controller never sees its Revision until the heal, so the Service gets Ready only then', async (t) => {
  const base = baselineReadyMs(12);
  const w = servingWorld({ seed: 12, phases: [] });
  const ready = serviceReadyAt(w);
  const injected = inject(w, faultSpec({ family: 'drop-watch', component: 'controller', kinds: ['Revision'] }, { durationMs: 60_000 }), 5_000);
  w.run(120_000);
  t.equal(injected.fired?.detail, 'watch events of revisions.serving.knative.dev are withheld from controller');
  t.ok(base < 40_000, `without the fault: Ready at ${base} ms`);
  t.ok(ready.atMs !== undefined && ready.atMs >= 65_000 && ready.atMs < 80_000, `with it: Ready at ${ready.atMs} ms, soon after the heal at 65 s`);
});

t.test('delay-watch Revision and PodAutoscaler to controller by 20 s: the Service gets Ready about 20 s later', async (t) => {
  const base = baselineReadyMs(13);
  const w = servingWorld({ seed: 13, phases: [] });
  const ready = serviceReadyAt(w);
  inject(w, faultSpec({ family: 'delay-watch', component: 'controller', kinds: ['Revision', 'podautoscalers'], delayMs: 20_000 }, { durationMs: 200_000 }), 5_000);
  w.run(120_000);
  t.ok(ready.atMs !== undefined && ready.atMs - base >= 20_000, `Ready at ${ready.atMs} ms, ${ready.atMs! - base} ms after the baseline's ${base} ms`);
});

t.test('stale-view controller 5 s: its informers trail by 5 s, so its writes from stale objects conflict and the Service gets Ready later', async (t) => {
  const conflicts = (writes: { component: string; code: number }[]): number => writes.filter((x) => x.component.startsWith('controller/') && x.code === 409).length;
  const bw = servingWorld({ seed: 14, phases: [] });
  const baseWrites = recordWrites(bw);
  const base = serviceReadyAt(bw);
  bw.run(120_000);
  const w = servingWorld({ seed: 14, phases: [] });
  const writes = recordWrites(w);
  const ready = serviceReadyAt(w);
  const injected = inject(w, faultSpec({ family: 'stale-view', component: 'controller', lagMs: 5_000 }, { durationMs: 200_000 }), 5_000);
  w.run(120_000);
  t.equal(injected.fired?.detail, 'controller\'s informers trail the API server by 5000 ms');
  t.ok(ready.atMs !== undefined && ready.atMs - base.atMs! >= 5_000, `Ready at ${ready.atMs} ms, ${ready.atMs! - base.atMs!} ms after the baseline's ${base.atMs} ms`);
  t.ok(conflicts(writes) > conflicts(baseWrites) + 20, `${conflicts(writes)} conflicts (409) against ${conflicts(baseWrites)} without the fault`);
});

t.test('api-errors create Deployment for controller: every create is refused with 500 until the heal, then the Deployment is created', async (t) => {
  const w = servingWorld({ seed: 15, phases: [] });
  const writes = recordWrites(w);
  const ready = serviceReadyAt(w);
  const injected = inject(w, faultSpec({ family: 'api-errors', component: 'controller', verbs: ['create'], kinds: ['Deployment'], code: 500, probability: 1 }, { durationMs: 30_000 }), 5_000);
  w.run(120_000);
  t.equal(injected.fired?.detail, 'the API server answers create deployments.apps by controller with 500');
  const creates = writes.filter((x) => x.component.startsWith('controller/') && x.resource === 'deployments' && x.verb === 'create');
  const refused = creates.filter((x) => x.code === 500);
  t.ok(refused.length >= 2, `${refused.length} refused creates, retried with back-off`);
  t.ok(refused.every((x) => x.injected && x.atMs < 35_000), 'all injected, all during the fault');
  const created = creates.find((x) => x.code === 201);
  t.ok(created !== undefined && created.atMs >= 35_000, `created at ${created?.atMs} ms, after the heal`);
  t.ok(ready.atMs !== undefined && ready.atMs > created!.atMs, 'and the Service gets Ready');
});

t.test('api-errors with probability 0.5 and 409: some matching writes are refused, chosen by the chooser', async (t) => {
  const run = (seed: number): string => {
    const w = servingWorld({ seed, phases: [] });
    const writes = recordWrites(w);
    inject(w, faultSpec({ family: 'api-errors', component: 'controller', verbs: ['update', 'patch'], kinds: ['leases'], code: 409, probability: 0.5 }, { durationMs: 60_000 }), 5_000);
    w.run(60_000);
    return writes.filter((x) => x.resource === 'leases' && x.component.startsWith('controller/')).map((x) => `${x.atMs}:${x.code}`).join(',');
  };
  const a = run(16);
  t.match(a, /:409/, 'some renewals refused with 409');
  t.match(a, /:200/, 'some pass');
  t.equal(run(16), a, 'same seed: the same writes refused');
});
