// knative/pkg network/handlers/drain_test.go cases that need a clock, run in virtual time against
// the DrainGate (the Drainer plus its QuietPeriod timer): TestDrainMechanics, TestReset,
// TestResetWithActiveRequests.
import t from 'tap';
import { DrainGate } from '../../../src/knative/queue-proxy/drain-gate.js';
import { TimerGroup } from '../../../src/knative/runtime/timer-group.js';
import { Simulation } from '../../../src/sim/simulation.js';

const kubeProbe = { userAgent: 'kube-probe/1.30' };
const plain = {};

function gate(quietPeriodMs: number): { sim: Simulation; gate: DrainGate; timers: TimerGroup } {
  const sim = new Simulation({ seed: 1 });
  const timers = new TimerGroup(sim);
  return { sim, timers, gate: new DrainGate({ timers, quietPeriodMs, healthCheckUserAgentPrefixes: [], hasHealthCheck: false }) };
}

t.test('TestDrainMechanics: Drain returns a quiet period after the last request; probes do not count; all callers wait', async (t) => {
  const { sim, gate: d } = gate(100);
  t.same(d.serve(plain), { handledBy: 'inner' }, 'requests pass before Drain');
  t.same(d.serve(kubeProbe), { handledBy: 'drainer', status: 200 });
  sim.run({ untilMs: 1000 });
  const returned: number[] = [];
  d.drain(() => void returned.push(sim.nowMs));
  sim.run({ untilMs: 1099 });
  t.same(d.serve(plain), { handledBy: 'inner' }, 'a request 1 ms before the deadline');
  t.same(d.serve(kubeProbe), { handledBy: 'drainer', status: 503 }, 'probes fail while draining');
  sim.run({ untilMs: 1198 });
  d.serve(plain);
  sim.run({ untilMs: 1297 });
  d.serve(plain);
  sim.run({ untilMs: 1396 });
  t.same(returned, [], 'each request restarted the quiet period');
  d.serve(kubeProbe);
  d.drain(() => void returned.push(sim.nowMs));
  d.drain(() => void returned.push(sim.nowMs));
  sim.run({ untilMs: 2000 });
  t.same(returned, [1397, 1397, 1397], 'the three Drain callers return together, 100 ms after the last request');
  t.same(d.serve(kubeProbe), { handledBy: 'drainer', status: 503 }, 'still failing health checks after the drain');
  d.drain(() => void returned.push(sim.nowMs));
  t.equal(returned.at(-1), 2000, 'a Drain after completion returns at once');
});

t.test('TestReset: Reset releases every Drain caller; a later Drain waits a whole quiet period again', async (t) => {
  const { sim, gate: d } = gate(5000);
  const returned: string[] = [];
  d.drain(() => void returned.push(`first@${sim.nowMs}`));
  d.drain(() => void returned.push(`second@${sim.nowMs}`));
  sim.run({ untilMs: 50 });
  d.reset();
  t.same(returned, ['first@50', 'second@50']);
  t.notOk(d.draining, 'no longer draining');
  t.same(d.serve(kubeProbe), { handledBy: 'drainer', status: 200 }, 'health checks pass again');
  d.reset();
  d.drain(() => void returned.push(`third@${sim.nowMs}`));
  sim.run({ untilMs: 20_000 });
  t.equal(returned.at(-1), 'third@5050', 'the full quiet period after the reset');
  d.reset();
  t.notOk(d.draining, 'reset after a completed drain');
});

t.test('TestResetWithActiveRequests: Reset during traffic leaves no timer behind', async (t) => {
  const { sim, gate: d, timers } = gate(5000);
  const returned: number[] = [];
  for (let i = 0; i < 10; i++) sim.schedule(i * 10, () => void d.serve(plain));
  sim.schedule(25, () => d.drain(() => void returned.push(sim.nowMs)));
  sim.schedule(55, () => d.reset());
  sim.run({ untilMs: 20_000 });
  t.same(returned, [55], 'the reset released the drain');
  t.equal(timers.size, 0, 'no quiet-period timer left armed');
});
