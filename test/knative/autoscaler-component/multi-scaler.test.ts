// The multiscaler's wiring, ported from knative/serving pkg/autoscaler/scaling/multiscaler_test.go:
// a fake UniScaler stands in for the decider, the simulation's clock for the tick provider.
import t from 'tap';
import { Simulation } from '../../../src/sim/simulation.js';
import type { ScaleResult } from '../../../src/knative/autoscaler/decider.js';
import type { DeciderSpec } from '../../../src/knative/autoscaler/decider-spec.js';
import type { IncarnationClock } from '../../../src/knative/autoscaler-component/incarnation-clock.js';
import { MultiScaler, type DeciderRecord, type UniScaler } from '../../../src/knative/autoscaler-component/multi-scaler.js';
import { KnativeProfile } from '../../../src/knative/versions.js';

class FakeUniScaler implements UniScaler {
  result: ScaleResult = { desiredPodCount: 0, excessBurstCapacity: 0, scaleValid: false };
  scaleCalls: number[] = [];
  specs: Readonly<DeciderSpec>[] = [];
  deleted = 0;
  constructor(readonly sim: Simulation) {}
  scale(nowMs: number): ScaleResult {
    this.scaleCalls.push(nowMs);
    return { ...this.result };
  }
  update(spec: Readonly<DeciderSpec>): void {
    this.specs.push(spec);
  }
  onDelete(): void {
    this.deleted++;
  }
}

function spec(overrides: Partial<DeciderSpec> = {}): DeciderSpec {
  return {
    maxScaleUpRate: 1000, maxScaleDownRate: 2, scalingMetric: 'concurrency', targetValue: 1, totalValue: 0, targetBurstCapacity: 0,
    activatorCapacity: 100, panicThreshold: 2, stableWindowMs: 60_000, scaleDownDelayMs: 0, initialScale: 1, reachable: true, activationScale: 0, ...overrides,
  };
}

function decider(overrides: Partial<DeciderSpec> = {}): DeciderRecord {
  return { namespace: 'a-ns', name: 'a-rev', labels: {}, spec: spec(overrides), status: { desiredScale: 0, excessBurstCapacity: 0 } };
}

function setup(): { sim: Simulation; ms: MultiScaler; uni: FakeUniScaler; informed: [number, string][] } {
  const sim = new Simulation({ seed: 1 });
  const clock: IncarnationClock = { get nowMs() { return sim.nowMs; }, schedule: (d, run, label) => sim.schedule(d, run, label), cancel: (timer) => sim.cancel(timer) };
  const uni = new FakeUniScaler(sim);
  const ms = new MultiScaler({ clock, factory: () => uni, profile: new KnativeProfile('latest'), record: () => undefined });
  const informed: [number, string][] = [];
  ms.watch((key) => informed.push([sim.nowMs, key]));
  return { sim, ms, uni, informed };
}

t.test('TestMultiScalerScaling: NotFound before Create, DesiredScale -1 at creation, a changed decision is told, an unchanged one is not, no ticks after Delete', async (t) => {
  const { sim, ms, uni, informed } = setup();
  uni.result = { desiredPodCount: 1, excessBurstCapacity: 1, scaleValid: true };
  t.equal(ms.get('a-ns', 'a-rev'), undefined);
  sim.run({ untilMs: 500 });
  ms.create(decider());
  t.same(ms.get('a-ns', 'a-rev')?.status, { desiredScale: -1, excessBurstCapacity: 0 });
  sim.run({ untilMs: 2_500 });
  t.same(uni.scaleCalls, [2_500], 'the first tick comes 2 s after the creation at 500 ms');
  t.same(informed, [[2_500, 'a-ns/a-rev']]);
  t.same(ms.get('a-ns', 'a-rev')?.status, { desiredScale: 1, excessBurstCapacity: 1 });
  sim.run({ untilMs: 4_500 });
  t.same(uni.scaleCalls, [2_500, 4_500]);
  t.equal(informed.length, 1, 'same decision: no callback');
  ms.delete('a-ns', 'a-rev');
  t.equal(uni.deleted, 1);
  sim.run({ untilMs: 10_000 });
  t.same(uni.scaleCalls, [2_500, 4_500], 'no ticks after Delete');
});

t.test('TestMultiscalerCreateTBC42 / TBCMinus1: the initial EBC is initialScale·total − TBC, or TBC itself when it is -1 or 0', async (t) => {
  const { ms } = setup();
  ms.create(decider({ initialScale: 2, targetBurstCapacity: 42, totalValue: 25 }));
  t.same(ms.get('a-ns', 'a-rev')?.status, { desiredScale: -1, excessBurstCapacity: 50 - 42 });
  ms.delete('a-ns', 'a-rev');
  ms.create(decider({ targetBurstCapacity: -1 }));
  t.same(ms.get('a-ns', 'a-rev')?.status, { desiredScale: -1, excessBurstCapacity: -1 });
});

t.test('TestMultiScalerOnlyCapacityChange: a change of the EBC sign alone is told', async (t) => {
  const { sim, ms, uni, informed } = setup();
  uni.result = { desiredPodCount: 1, excessBurstCapacity: 1, scaleValid: true };
  ms.create(decider());
  sim.run({ untilMs: 2_000 });
  uni.result = { desiredPodCount: 1, excessBurstCapacity: -1, scaleValid: true };
  sim.run({ untilMs: 4_000 });
  t.same(informed.map(([at]) => at), [2_000, 4_000]);
  uni.result = { desiredPodCount: 1, excessBurstCapacity: -5, scaleValid: true };
  sim.run({ untilMs: 6_000 });
  t.equal(informed.length, 2, 'same sign, same scale: not told');
});

t.test('an invalid scale result changes nothing and tells no one', async (t) => {
  const { sim, ms, uni, informed } = setup();
  uni.result = { desiredPodCount: 7, excessBurstCapacity: 3, scaleValid: false };
  ms.create(decider());
  sim.run({ untilMs: 10_000 });
  t.equal(uni.scaleCalls.length, 5);
  t.same(ms.get('a-ns', 'a-rev')?.status, { desiredScale: -1, excessBurstCapacity: 0 });
  t.same(informed, []);
});

t.test('TestMultiScalerScaleFromZero: a poke with concurrency ticks at once when the decider is at 0, and only then', async (t) => {
  const { sim, ms, uni, informed } = setup();
  uni.result = { desiredPodCount: 0, excessBurstCapacity: 10, scaleValid: true };
  ms.create(decider());
  sim.run({ untilMs: 2_000 });
  t.equal(ms.get('a-ns', 'a-rev')?.status.desiredScale, 0);
  sim.run({ untilMs: 2_700 });
  uni.result = { desiredPodCount: 1, excessBurstCapacity: 10, scaleValid: true };
  ms.poke('a-ns/a-rev', { averageConcurrentRequests: 0 });
  t.same(uni.scaleCalls, [2_000], 'no concurrency: no tick');
  ms.poke('a-ns/a-rev', { averageConcurrentRequests: 1 });
  t.same(uni.scaleCalls, [2_000, 2_700], 'ticked on the poke');
  t.same(informed.map(([at]) => at), [2_000, 2_700]);
  ms.poke('a-ns/a-rev', { averageConcurrentRequests: 1 });
  t.equal(uni.scaleCalls.length, 2, 'at 1 now: a poke does nothing');
  ms.poke('a-ns/other', { averageConcurrentRequests: 1 });
  sim.run({ untilMs: 4_000 });
  t.same(uni.scaleCalls, [2_000, 2_700, 4_000], 'the poke did not move the 2 s grid');
});

t.test('TestMultiScalerUpdate: Update hands the new spec to the scaler and Get returns it', async (t) => {
  const { ms, uni } = setup();
  ms.create(decider({ targetValue: 1 }));
  t.equal(ms.get('a-ns', 'a-rev')?.spec.targetValue, 1);
  ms.update(decider({ targetValue: 10 }));
  t.equal(ms.get('a-ns', 'a-rev')?.spec.targetValue, 10);
  t.same(uni.specs.map((s) => s.targetValue), [10]);
  t.equal(ms.update({ ...decider(), name: 'missing' }), undefined, 'NotFound for an unknown decider');
});

t.test('each decider ticks with its own phase, from its own creation', async (t) => {
  const { sim, ms, uni } = setup();
  ms.create(decider());
  sim.run({ untilMs: 700 });
  ms.create({ ...decider(), name: 'b-rev' });
  sim.run({ untilMs: 5_000 });
  t.same(uni.scaleCalls, [2_000, 2_700, 4_000, 4_700]);
  t.same(ms.keys(), ['a-ns/a-rev', 'a-ns/b-rev']);
  t.throws(() => ms.watch(() => undefined), /multiple calls/, 'one watcher only (upstream: Fatal)');
});
