// End-to-end runs of the simulated Knative Serving on the simulated Kubernetes, with upstream's
// default settings: cold start, scale to zero, panic scale-up, the activator leaving and rejoining
// the request path, min-scale and max-scale.
import t from 'tap';
import { firstSample, servingWorld } from './serving-harness.js';

t.test('cold start: the first request at zero is buffered by the activator and succeeds once a pod is ready', async (t) => {
  const w = servingWorld({
    seed: 1,
    phases: [{ name: 'cold', durationMs: 1, load: { kind: 'burst', size: 1, everyMs: 0 } }],
    workloadAtMs: 200_000,
  }).run(260_000);
  t.equal(firstSample(w.samples, 199_000, () => true)?.pods, 0, 'the revision was at zero when the request came');
  t.equal(w.outcomes.length, 1);
  const [o] = w.outcomes;
  t.equal(o.status, 200, `served (${o.error ?? 'ok'})`);
  t.ok(o.activator, 'through an activator');
  t.ok(o.pod, 'by a revision pod');
  t.ok(o.latencyMs > 1_000 && o.latencyMs < 15_000, `cold-start latency ${o.latencyMs} ms covers scheduling, start-up and readiness`);
  const created = firstSample(w.samples, 200_000, (s) => s.pods > 0)!;
  t.ok(created.atMs >= o.arrivalMs, 'the pod was created for this request');
  const kubeletReady = firstSample(w.samples, 200_000, (s) => s.readyPods > 0)!;
  t.ok(o.doneMs <= kubeletReady.atMs + 500, `answered at ${o.doneMs} ms, no later than the kubelet's Ready (${kubeletReady.atMs} ms): the activator's own probe admits the pod`);
});

t.test('scale to zero after traffic stops: within stable window + grace + drain after the last request, not before the stable window', async (t) => {
  const w = servingWorld({ seed: 2, phases: [{ name: 'load', durationMs: 60_000, load: { kind: 'constant', rps: 5 } }] }).run(400_000);
  const lastMs = Math.max(...w.outcomes.map((o) => o.arrivalMs));
  t.ok(w.outcomes.every((o) => o.status === 200), 'every request served');
  const zeroDesired = firstSample(w.samples, lastMs, (s) => s.desiredScale === 0)!;
  t.ok(zeroDesired.atMs >= lastMs + 60_000, `desired 0 at ${zeroDesired.atMs} ms, after the 60 s stable window from ${lastMs}`);
  t.ok(zeroDesired.atMs <= lastMs + 66_000, 'and within a tick or two of it');
  const zeroReplicas = firstSample(w.samples, lastMs, (s) => s.replicas === 0)!;
  t.ok(zeroReplicas.atMs <= lastMs + 60_000 + 30_000 + 5_000, `replicas 0 at ${zeroReplicas.atMs} ms: within the 30 s grace`);
  const gone = firstSample(w.samples, zeroReplicas.atMs, (s) => s.pods === 0)!;
  t.ok(gone, `the pod is gone at ${gone?.atMs} ms (after queue-proxy's drain)`);
  t.ok(gone.atMs - zeroReplicas.atMs >= 30_000 - 1_000, 'the drain waits its 30 s quiet period');
  t.equal(gone.sksMode, 'Proxy', 'the activator is in the path at zero');
});

t.test('a step of load engages panic mode and scales up within seconds', async (t) => {
  const w = servingWorld({
    seed: 3,
    phases: [
      { name: 'low', durationMs: 30_000, load: { kind: 'constant', rps: 10 }, serviceTime: { kind: 'constant', ms: 1_000 } },
      { name: 'step', durationMs: 60_000, load: { kind: 'constant', rps: 400 }, serviceTime: { kind: 'constant', ms: 1_000 } },
    ],
    keepTrace: true,
  }).run(160_000);
  const stepAt = 60_000 + 30_000;
  const panicAt = w.cluster.sim.trace.lines().find((l) => l.kind === 'autoscaler/decider' && l.fields.panic === true && l.atMs >= stepAt)?.atMs;
  t.ok(panicAt !== undefined && panicAt - stepAt <= 6_000, `the decider entered panic mode ${panicAt === undefined ? 'never' : `${panicAt - stepAt} ms after the step`}`);
  t.notOk(w.cluster.sim.trace.lines().some((l) => l.kind === 'autoscaler/decider' && l.fields.panic === true && l.atMs < stepAt && l.atMs > 70_000), 'and not before it');
  const before = firstSample(w.samples, stepAt - 1_000, () => true)!;
  const scaled = firstSample(w.samples, stepAt, (s) => (s.desiredScale ?? 0) >= 5)!;
  t.ok(before.desiredScale !== undefined && before.desiredScale <= 1, `desired ${before.desiredScale} before the step`);
  t.ok(scaled && scaled.atMs - stepAt <= 10_000, `desired ≥ 5 ${scaled ? scaled.atMs - stepAt : '∞'} ms after the step (panic window 6 s, not the 60 s stable window)`);
  const peak = Math.max(...w.samples.filter((s) => s.atMs > stepAt).map((s) => s.desiredScale ?? 0));
  t.ok(peak >= 5, `peak desired ${peak} for ~400 concurrent requests at target 70`);
  const failed = w.outcomes.filter((o) => o.status !== 200);
  t.ok(failed.length < w.outcomes.length * 0.01, `${failed.length} of ${w.outcomes.length} failed`);
});

t.test('the activator leaves the path once excess burst capacity allows and comes back when a burst eats it', async (t) => {
  // min-scale 3 with the defaults (CC 0, total 100, TBC 211): EBC = 3·100 − 211 − panic ≥ 0 → Serve.
  const w = servingWorld({
    seed: 4,
    annotations: { 'autoscaling.knative.dev/min-scale': '3' },
    phases: [
      { name: 'quiet', durationMs: 30_000, load: { kind: 'constant', rps: 1 } },
      { name: 'burst', durationMs: 40_000, load: { kind: 'constant', rps: 300 }, serviceTime: { kind: 'constant', ms: 1_000 } },
      { name: 'after', durationMs: 120_000, load: { kind: 'constant', rps: 1 } },
    ],
  }).run(60_000 + 190_000);
  const burstAt = 90_000;
  const serveBefore = firstSample(w.samples, 60_000, (s) => s.sksMode === 'Serve');
  t.ok(serveBefore && serveBefore.atMs < burstAt, `Serve at ${serveBefore?.atMs} ms with 3 ready pods and no load`);
  const proxy = firstSample(w.samples, burstAt, (s) => s.sksMode === 'Proxy');
  t.ok(proxy && proxy.atMs < burstAt + 10_000, `back to Proxy ${proxy ? proxy.atMs - burstAt : '∞'} ms into the burst (EBC < 0)`);
  const serveAgain = proxy && firstSample(w.samples, proxy.atMs, (s) => s.sksMode === 'Serve');
  t.ok(serveAgain, `Serve again at ${serveAgain?.atMs} ms once enough pods absorb the burst`);
  const failed = w.outcomes.filter((o) => o.status !== 200).length;
  t.equal(failed, 0, 'no request failed across the mode switches');
  t.ok(w.outcomes.some((o) => o.activator) && w.outcomes.some((o) => !o.activator), 'requests went both through the activator and straight to pods');
});

t.test('min-scale and max-scale are respected: never fewer than min once initialised, never more than max under heavy load', async (t) => {
  const w = servingWorld({
    seed: 5,
    annotations: { 'autoscaling.knative.dev/min-scale': '2', 'autoscaling.knative.dev/max-scale': '4' },
    phases: [
      { name: 'heavy', durationMs: 60_000, load: { kind: 'constant', rps: 500 }, serviceTime: { kind: 'constant', ms: 1_000 } },
      { name: 'idle', durationMs: 200_000, load: { kind: 'idle' } },
    ],
  }).run(60_000 + 260_000);
  const initialised = firstSample(w.samples, 0, (s) => s.readyPods >= 2)!;
  t.ok(initialised, `two ready pods at ${initialised?.atMs} ms`);
  const after = w.samples.filter((s) => s.atMs > initialised.atMs);
  t.equal(Math.min(...after.map((s) => s.replicas)), 2, 'replicas never below min-scale, even after 200 s idle');
  t.equal(Math.max(...w.samples.map((s) => s.replicas)), 4, 'replicas reach max-scale under load and never exceed it');
  t.ok(Math.max(...w.samples.map((s) => s.desiredScale ?? 0)) <= 4, 'the PA never wants more than max-scale');
});

t.test('the whole stack is deterministic: same seed, same trace hash and outcomes; another seed differs', async (t) => {
  const run = (seed: number): { hash: string; latencies: string } => {
    const w = servingWorld({ seed, phases: [{ name: 'p', durationMs: 20_000, load: { kind: 'poisson', rps: 20 } }] }).run(100_000);
    return { hash: w.cluster.sim.traceHash(), latencies: w.outcomes.map((o) => `${o.id}:${o.status}:${o.latencyMs}`).join(',') };
  };
  const a = run(8);
  t.same(run(8), a);
  t.not(run(9).hash, a.hash);
});
