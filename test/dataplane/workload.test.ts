import t from 'tap';
import type { RequestOutcome, SimRequest } from '../../src/dataplane/request.js';
import { startWorkload, type Phase } from '../../src/dataplane/workload.js';
import { Simulation } from '../../src/sim/simulation.js';

/** Runs phases against a server that answers each request after its service time; returns arrivals and max in-flight. */
function drive(phases: Phase[], seed: number | string = 1): { arrivals: SimRequest[]; maxInFlight: number; sim: Simulation } {
  const sim = new Simulation({ seed });
  const arrivals: SimRequest[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const end = startWorkload(sim, {
    phases,
    send: (req, done) => {
      arrivals.push(req);
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      sim.schedule(req.serviceTimeMs, () => {
        inFlight--;
        const outcome: RequestOutcome = { id: req.id, host: req.host, arrivalMs: req.arrivalMs, doneMs: sim.nowMs, latencyMs: sim.nowMs - req.arrivalMs, status: 200, phase: req.phase };
        done(outcome);
      });
    },
  });
  sim.run({ untilMs: end + 60_000 });
  return { arrivals, maxInFlight, sim };
}

t.test('a constant rate sends evenly spaced requests for the phase duration, and an idle phase sends none', async (t) => {
  const { arrivals } = drive([
    { name: 'warm', durationMs: 10_000, load: { kind: 'constant', rps: 50 }, host: 'a.example.com' },
    { name: 'quiet', durationMs: 30_000, load: { kind: 'idle' } },
    { name: 'again', durationMs: 1_000, load: { kind: 'constant', rps: 10 }, host: 'a.example.com' },
  ]);
  const warm = arrivals.filter((r) => r.phase === 'warm');
  t.equal(warm.length, 500);
  t.same([...new Set(warm.slice(1).map((r, i) => r.arrivalMs - warm[i].arrivalMs))], [20], '20 ms apart');
  t.equal(arrivals.filter((r) => r.phase === 'quiet').length, 0);
  const again = arrivals.filter((r) => r.phase === 'again');
  t.equal(again.length, 10);
  t.equal(again[0].arrivalMs, 40_000, 'the third phase starts after the idle one');
  t.same(arrivals.map((r) => r.id), arrivals.map((_, i) => i), 'ids in arrival order');
});

t.test('Poisson arrivals average the rate, vary with the seed and repeat with it', async (t) => {
  const phases: Phase[] = [{ name: 'p', durationMs: 100_000, load: { kind: 'poisson', rps: 20 }, host: 'h' }];
  const a = drive(phases, 1).arrivals;
  t.ok(a.length > 1850 && a.length < 2150, `${a.length} arrivals for an expected 2000`);
  const gaps = a.slice(1).map((r, i) => r.arrivalMs - a[i].arrivalMs);
  t.ok(new Set(gaps).size > 20, 'gaps vary');
  t.same(drive(phases, 1).arrivals.map((r) => r.arrivalMs), a.map((r) => r.arrivalMs), 'same seed, same arrivals');
  t.not(drive(phases, 2).arrivals.length, 0);
  t.not(drive(phases, 2).arrivals.map((r) => r.arrivalMs).join(), a.map((r) => r.arrivalMs).join());
});

t.test('steps change the rate at their offsets, including to and from zero', async (t) => {
  const { arrivals } = drive([{ name: 's', durationMs: 30_000, host: 'h', load: { kind: 'steps', steps: [{ afterMs: 10_000, rps: 100 }, { afterMs: 0, rps: 10 }, { afterMs: 20_000, rps: 0 }] } }]);
  const inWindow = (from: number, to: number): number => arrivals.filter((r) => r.arrivalMs >= from && r.arrivalMs < to).length;
  t.equal(inWindow(0, 10_000), 100);
  t.ok(Math.abs(inWindow(10_000, 20_000) - 1000) <= 1, `${inWindow(10_000, 20_000)} in the 100 rps step`);
  t.equal(inWindow(20_000, 30_000), 0);
});

t.test('bursts send `size` requests at once every period', async (t) => {
  const { arrivals, maxInFlight } = drive([{ name: 'b', durationMs: 10_000, host: 'h', load: { kind: 'burst', size: 25, everyMs: 5_000 }, serviceTime: { kind: 'constant', ms: 100 } }]);
  t.equal(arrivals.length, 50);
  t.same([...new Set(arrivals.map((r) => r.arrivalMs))], [0, 5_000]);
  t.equal(maxInFlight, 25);
});

t.test('closed-loop users never have more than one request each in flight and think between requests', async (t) => {
  const { arrivals, maxInFlight } = drive([{ name: 'c', durationMs: 10_000, host: 'h', load: { kind: 'closed', users: 4, thinkTime: { kind: 'constant', ms: 400 } }, serviceTime: { kind: 'constant', ms: 100 } }]);
  t.equal(maxInFlight, 4);
  t.equal(arrivals.length, 4 * 20, 'each user: one request every 500 ms for 10 s');
});

t.test('service times follow the distribution and are logged decisions', async (t) => {
  const { arrivals, sim } = drive([{ name: 'e', durationMs: 100_000, host: 'h', load: { kind: 'constant', rps: 10 }, serviceTime: { kind: 'exponential', meanMs: 200 } }]);
  const mean = arrivals.reduce((s, r) => s + r.serviceTimeMs, 0) / arrivals.length;
  t.ok(mean > 180 && mean < 220, `mean ${mean}`);
  t.ok(sim.chooser.count >= arrivals.length, 'one decision per draw at least');
  const u = drive([{ name: 'u', durationMs: 10_000, host: 'h', load: { kind: 'constant', rps: 10 }, serviceTime: { kind: 'uniform', minMs: 50, maxMs: 60 } }]).arrivals;
  t.ok(u.every((r) => r.serviceTimeMs >= 50 && r.serviceTimeMs <= 60));
  const ln = drive([{ name: 'l', durationMs: 100_000, host: 'h', load: { kind: 'constant', rps: 10 }, serviceTime: { kind: 'lognormal', medianMs: 100, sigma: 0.5 } }]).arrivals;
  const sorted = ln.map((r) => r.serviceTimeMs).sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)];
  t.ok(median > 90 && median < 110, `median ${median}`);
});
