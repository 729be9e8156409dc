// knative/serving #13447 "Autoscaler runs two leadership elector goroutines", fixed by #13585
// (b989439cb2, first released in 1.9): controller.StartAll gave the KPA and the Metric controller
// each an elector with the same config, so one autoscaler pod ran two electors with one identity
// on the same bucket Lease. This checks the mechanism only (see the report): on 1.8 the pod's
// identity takes the bucket lease twice and the twin electors' writes conflict; on 1.9 one elector.
// The symptom, a 409 on every renewal (~10 s), needs client-go's renew-with-cached-lease
// path, which the model's elector (always GET before UPDATE) does not have.
import t from 'tap';
import { servingWorld } from '../serving-harness.js';

function leaseActivity(release: string, seed: number): { starts: number; conflicts: number } {
  const w = servingWorld({ seed, serving: { release, replicas: { autoscaler: 2 } }, keepTrace: true, phases: [{ name: 'idle', durationMs: 1, load: { kind: 'idle' } }] }).run(45_000);
  const lines = w.cluster.sim.trace.lines();
  const starts = lines.filter((l) => l.kind === 'leader' && l.fields.event === 'started' && String(l.fields.lease).startsWith('autoscaler-bucket'));
  const holders = new Set(starts.map((l) => l.fields.identity));
  t.equal(holders.size, 1, `${release} seed ${seed}: one autoscaler pod holds the bucket`);
  const conflicts = lines.filter((l) => l.kind === 'api' && l.fields.res === 'leases' && l.fields.code === 409 && String(l.fields.c).startsWith('autoscaler'));
  return { starts: starts.length, conflicts: conflicts.length };
}

t.test('1.8: two electors of one pod identity lead the same bucket lease and their writes conflict; 1.9: one elector', async (t) => {
  for (const seed of [1, 2, 3]) {
    const old = leaseActivity('1.8', seed);
    t.equal(old.starts, 2, `1.8 seed ${seed}: the KPA's and the Metric controller's electors both lead`);
    t.ok(old.conflicts >= 1, `1.8 seed ${seed}: ${old.conflicts} conflicting lease write(s)`);
    const fixed = leaseActivity('1.9', seed);
    t.same(fixed, { starts: 1, conflicts: 0 }, `1.9 seed ${seed}: one shared elector, no conflict`);
  }
});
