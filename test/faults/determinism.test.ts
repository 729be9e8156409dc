// A run with faults is a function of its seed: the victims the chooser picks, which requests an
// error hits, and so the whole trace.
import t from 'tap';
import { servingWorld } from '../knative/serving-harness.js';
import { faultSpec, inject } from './fault-harness.js';

function run(seed: number): { hash: string; details: string[] } {
  const w = servingWorld({
    seed, serving: { replicas: { autoscaler: 2, controller: 2 } }, annotations: { 'autoscaling.knative.dev/min-scale': '3' },
    phases: [{ name: 'load', durationMs: 30_000, load: { kind: 'poisson', rps: 20 } }], workloadAtMs: 60_000,
  });
  const injections = [
    inject(w, faultSpec({ family: 'crash', component: 'autoscaler' }, { id: 'crash' }), 65_000),
    inject(w, faultSpec({ family: 'kill-leader', component: 'controller' }, { id: 'kill' }), 70_000),
    inject(w, faultSpec({ family: 'pod-crash', pods: { namespace: 'default', revision: 'hello-00001' } }, { id: 'pods' }), 75_000),
    inject(w, faultSpec({ family: 'api-errors', component: 'autoscaler', verbs: ['update', 'patch'], kinds: ['podautoscalers', 'deployments'], code: 503, probability: 0.5 }, { id: 'errors', durationMs: 20_000 }), 80_000),
    inject(w, faultSpec({ family: 'drop-watch', component: 'activator', kinds: ['Endpoints'] }, { id: 'drop', durationMs: 10_000 }), 85_000),
  ];
  w.run(150_000);
  return { hash: w.cluster.sim.traceHash(), details: injections.flatMap((i) => [i.fired?.detail ?? '', i.healed?.detail ?? '']) };
}

t.test('same seed and faults: the same victims, the same trace hash; another seed: another hash', async (t) => {
  const a = run(41);
  t.same(run(41), a, 'replayed exactly');
  t.ok(a.details.every((d, i) => i % 2 === 1 || d.length > 0), 'every fault fired');
  t.not(run(42).hash, a.hash);
});
