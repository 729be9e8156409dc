// The pure rules of the multiscaler, ported from knative/serving pkg/autoscaler/scaling/
// multiscaler_test.go: TestMultiScalerScaling (initial status, change detection),
// TestMultiscalerCreateTBC42, TestMultiscalerCreateTBCMinus1, TestMultiScalerOnlyCapacityChange,
// TestMultiScalerScaleToZero, TestMultiScalerScaleFromZero (Poke) and TestSameSign.
import t from 'tap';
import {
  applyScaleResult, initialDeciderStatus, sameSign, shouldTickOnPoke,
} from '../../../src/knative/autoscaler/multiscaler-state.js';

const newDecider = { targetBurstCapacity: 0, initialScale: 0, totalValue: 0 };
const valid = (desiredPodCount: number, excessBurstCapacity: number) => ({ desiredPodCount, excessBurstCapacity, scaleValid: true });

t.test('TestMultiScalerScaling', async (t) => {
  let status = initialDeciderStatus(newDecider);
  t.same(status, { desiredScale: -1, excessBurstCapacity: 0 }, 'created: DesiredScale -1, EBC 0');
  let tick = applyScaleResult(status, valid(1, 1));
  t.same(tick, { status: { desiredScale: 1, excessBurstCapacity: 1 }, changed: true }, 'the first tick informs');
  status = tick.status;
  tick = applyScaleResult(status, valid(1, 1));
  t.equal(tick.changed, false, 'an unchanged desired scale does not inform');
  tick = applyScaleResult(status, { desiredPodCount: 7, excessBurstCapacity: -7, scaleValid: false });
  t.same(tick, { status, changed: false }, 'an invalid result changes nothing');
});

t.test('TestMultiscalerCreateTBC42', async (t) => {
  t.same(initialDeciderStatus({ initialScale: 2, targetBurstCapacity: 42, totalValue: 25 }), { desiredScale: -1, excessBurstCapacity: 50 - 42 });
});

t.test('TestMultiscalerCreateTBCMinus1', async (t) => {
  t.same(initialDeciderStatus({ ...newDecider, targetBurstCapacity: -1 }), { desiredScale: -1, excessBurstCapacity: -1 });
});

t.test('with the defaults a revision starts behind the activator', async (t) => {
  t.same(initialDeciderStatus({ initialScale: 1, targetBurstCapacity: 211, totalValue: 100 }), { desiredScale: -1, excessBurstCapacity: -111 });
  t.equal(initialDeciderStatus({ initialScale: 1, targetBurstCapacity: 0.5, totalValue: 0.2 }).excessBurstCapacity, 0, 'int32 truncates -0.3 toward zero');
});

t.test('TestMultiScalerOnlyCapacityChange: an EBC sign flip informs even at the same scale', async (t) => {
  const first = applyScaleResult(initialDeciderStatus(newDecider), valid(1, 1));
  const flipped = applyScaleResult(first.status, valid(1, -1));
  t.same(flipped, { status: { desiredScale: 1, excessBurstCapacity: -1 }, changed: true });
  const sameSignChange = applyScaleResult(flipped.status, valid(1, -20));
  t.same(sameSignChange, { status: { desiredScale: 1, excessBurstCapacity: -20 }, changed: false }, 'the new EBC is stored without informing');
});

t.test('TestMultiScalerScaleToZero', async (t) => {
  const tick = applyScaleResult(initialDeciderStatus(newDecider), valid(0, 1));
  t.same(tick, { status: { desiredScale: 0, excessBurstCapacity: 1 }, changed: true });
});

t.test('TestMultiScalerScaleFromZero: Poke ticks at once when a scaled-to-zero revision sees concurrency', async (t) => {
  const atZero = applyScaleResult(initialDeciderStatus(newDecider), valid(0, 10)).status;
  t.equal(shouldTickOnPoke(atZero, { averageConcurrentRequests: 1 }), true);
  t.equal(shouldTickOnPoke(atZero, { averageConcurrentRequests: 0 }), false, 'no concurrency: wait for the tick');
  t.equal(shouldTickOnPoke({ desiredScale: 1, excessBurstCapacity: 0 }, { averageConcurrentRequests: 5 }), false, 'not at zero');
  t.equal(shouldTickOnPoke({ desiredScale: -1, excessBurstCapacity: 0 }, { averageConcurrentRequests: 5 }), false, 'never scaled yet');
});

t.test('TestSameSign', async (t) => {
  const rows: [number, number, boolean][] = [[1982, 1984, true], [-1984, -1988, true], [-1988, 2006, false], [-2006, 2009, false], [0, 1, true], [0, -42, false]];
  for (const [a, b, want] of rows) t.equal(sameSign(a, b), want, `${a} <=> ${b}`);
});
