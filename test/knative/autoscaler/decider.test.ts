// The KPA decider, ported from knative/serving pkg/autoscaler/scaling/autoscaler_test.go: every
// TestAutoscaler* test and TestAutoscalerScale row, TestCantCountPods, TestStartInPanicMode and
// TestNewFail. The fake pod counter and metric client become the observation passed to scale();
// upstream's metric-instrument assertions become assertions on the panic state.
import t from 'tap';
import type { DeciderSpec } from '../../../src/knative/autoscaler/decider-spec.js';
import {
  Decider, INVALID_SCALE_RESULT, deciderMetric, newDecider, type ScaleResult,
} from '../../../src/knative/autoscaler/decider.js';

const STABLE_WINDOW_MS = 60_000;
const TARGET_UTILIZATION = 0.75;
const START_MS = 1_700_000_000_000;

/** The fake metric client and pod counter of autoscaler_test.go. */
class Fakes {
  readyCount = 1;
  stableConcurrency = 0;
  panicConcurrency = 0;
  stableRps = 0;
  panicRps = 0;
  error: 'no-data' | 'other' | null = null;

  constructor(values: Partial<Pick<Fakes, 'stableConcurrency' | 'panicConcurrency' | 'stableRps' | 'panicRps'>> = {}) {
    Object.assign(this, values);
  }

  setConcurrency(stable: number, panic: number): void {
    this.stableConcurrency = stable;
    this.panicConcurrency = panic;
  }

  /** What the autoscaler would fetch for this decider. */
  observe(decider: Decider) {
    if (this.error !== null) return { error: this.error };
    const rps = deciderMetric(decider.spec) === 'rps';
    return {
      readyPods: this.readyCount,
      stable: rps ? this.stableRps : this.stableConcurrency,
      panic: rps ? this.panicRps : this.panicConcurrency,
    };
  }
}

function spec(overrides: Partial<DeciderSpec>): DeciderSpec {
  return {
    maxScaleUpRate: 10, maxScaleDownRate: 10, scalingMetric: 'concurrency', targetValue: 10, totalValue: 10 / TARGET_UTILIZATION,
    targetBurstCapacity: 0, activatorCapacity: 150, panicThreshold: 2, stableWindowMs: STABLE_WINDOW_MS, scaleDownDelayMs: 0,
    initialScale: 0, reachable: true, activationScale: 0, ...overrides,
  };
}

/** newTestAutoscalerWithScalingMetric: TotalValue = target / 75%; one ready pod (two to start in panic); no delay window. */
function testDecider(targetValue: number, tbc: number, fakes: Fakes, options: { metric?: string; startInPanic?: boolean } = {}): Decider {
  fakes.readyCount = options.startInPanic === true ? 2 : 1;
  return newDecider(spec({ targetValue, totalValue: targetValue / TARGET_UTILIZATION, targetBurstCapacity: tbc, scalingMetric: options.metric ?? 'concurrency' }),
    { readyPods: fakes.readyCount, nowMs: START_MS });
}

/** expectedEBC(totCap, targetBC, recordedConcurrency, numPods). */
const ebc = (totCap: number, tbc: number, recorded: number, pods: number): number => Math.floor(totCap / TARGET_UTILIZATION * pods - tbc - recorded);

const result = (desiredPodCount: number, excessBurstCapacity: number): ScaleResult => ({ desiredPodCount, excessBurstCapacity, scaleValid: true });

type TapTest = Parameters<Parameters<typeof t.test>[0]>[0];
function expectScale(t: TapTest, decider: Decider, fakes: Fakes, nowMs: number, want: ScaleResult, message = 'scale result'): void {
  t.same(decider.scale(fakes.observe(decider), nowMs), want, message);
}

t.test('TestAutoscalerScaleDownDelay', async (t) => {
  const fakes = new Fakes();
  fakes.readyCount = 0;
  const delaySpec = spec({ targetValue: 10, panicThreshold: 100, scaleDownDelayMs: 300_000, totalValue: 0 });
  const decider = newDecider(delaySpec, { readyPods: 0, nowMs: 0 });
  t.ok(decider.delayWindow !== null, 'New() makes a delay window when scale-down-delay > 0');

  t.test('simple', async (t) => {
    fakes.setConcurrency(40, 40);
    expectScale(t, decider, fakes, 2_000, result(4, 0), 'scale up');
    fakes.setConcurrency(0, 0);
    expectScale(t, decider, fakes, 300_000, result(4, 0), 'five minutes at reduced concurrency: not yet');
    expectScale(t, decider, fakes, 302_000, result(0, 0), 'five minutes and two seconds: scale down');
  });
  t.test('gradual', async (t) => {
    fakes.setConcurrency(40, 40);
    expectScale(t, decider, fakes, 9 * 60_000, result(4, 0));
    fakes.setConcurrency(30, 30);
    expectScale(t, decider, fakes, 10 * 60_000, result(4, 0), '4 still dominates');
    fakes.setConcurrency(0, 0);
    expectScale(t, decider, fakes, 11 * 60_000, result(4, 0), 'still at 4');
    expectScale(t, decider, fakes, 14 * 60_000, result(3, 0), '4 scrolls out, drop to 3');
    expectScale(t, decider, fakes, 15 * 60_000, result(0, 0), 'everything scrolled out, drop to 0');
  });
});

t.test('TestAutoscalerScaleDownDelayNotReachable', async (t) => {
  const fakes = new Fakes();
  fakes.readyCount = 0;
  const reachable = spec({ panicThreshold: 100, scaleDownDelayMs: 300_000, totalValue: 0 });
  const decider = newDecider(reachable, { readyPods: 0, nowMs: 0 });
  fakes.setConcurrency(40, 40);
  expectScale(t, decider, fakes, 2_000, result(4, 0));
  fakes.setConcurrency(0, 0);
  expectScale(t, decider, fakes, 60_000, result(4, 0), 'one minute at reduced concurrency: delayed');
  decider.update({ ...reachable, reachable: false });
  expectScale(t, decider, fakes, 2_000, result(0, 0), 'unreachable: no delay');
});

t.test('TestAutoscalerScaleDownDelayZero', async (t) => {
  const fakes = new Fakes();
  fakes.readyCount = 0;
  const decider = newDecider(spec({ panicThreshold: 100, reachable: false, totalValue: 0 }), { readyPods: 0, nowMs: 0 });
  t.equal(decider.delayWindow, null, 'no delay window without a delay');
  fakes.setConcurrency(40, 40);
  expectScale(t, decider, fakes, 0, result(4, 0));
  fakes.setConcurrency(20, 20);
  expectScale(t, decider, fakes, 500, result(2, 0), 'zero delay scales down at once, even within one bucket');
});

t.test('TestAutoscalerNoDataNoAutoscale', async (t) => {
  const fakes = new Fakes();
  const decider = testDecider(10, 100, fakes);
  fakes.error = 'other';
  expectScale(t, decider, fakes, START_MS, { desiredPodCount: 0, excessBurstCapacity: 0, scaleValid: false });
  fakes.error = 'no-data';
  t.same(decider.scale(fakes.observe(decider), START_MS), INVALID_SCALE_RESULT, 'ErrNoData is invalid too');
});

t.test('TestAutoscalerStartMetrics: created with two ready pods, the decider starts in panic', async (t) => {
  const fakes = new Fakes({ stableConcurrency: 50, panicConcurrency: 50 });
  const decider = testDecider(10, 100, fakes, { startInPanic: true });
  t.equal(decider.inPanic, true);
  t.equal(decider.panicTimeMs, START_MS);
});

t.test('TestAutoscalerMetrics', async (t) => {
  const fakes = new Fakes({ stableConcurrency: 50, panicConcurrency: 50 });
  const decider = testDecider(10, 100, fakes);
  t.equal(decider.inPanic, false, 'non-panic created autoscaler');
  expectScale(t, decider, fakes, START_MS, result(5, ebc(10, 100, 50, 1)));
  t.equal(decider.inPanic, true, 'panic pods 5 / 1 ready pod >= 2');
});

t.test('TestAutoscalerMetricsWithRPS', async (t) => {
  const fakes = new Fakes({ panicRps: 99, stableRps: 100 });
  const decider = testDecider(10, 100, fakes, { metric: 'rps' });
  expectScale(t, decider, fakes, START_MS + 61_000, result(10, ebc(10, 100, 99, 1)));
  t.equal(decider.inPanic, true);
});

t.test('TestAutoscalerStableModeIncreaseWithConcurrencyDefault', async (t) => {
  const fakes = new Fakes({ stableConcurrency: 50, panicConcurrency: 10 });
  const decider = testDecider(10, 101, fakes);
  expectScale(t, decider, fakes, START_MS, result(5, ebc(10, 101, 10, 1)));
  fakes.stableConcurrency = 100;
  expectScale(t, decider, fakes, START_MS, result(10, ebc(10, 101, 10, 1)));
});

t.test('TestAutoscalerStableModeIncreaseWithRPS', async (t) => {
  const fakes = new Fakes({ stableRps: 50, panicRps: 50 });
  const decider = testDecider(10, 101, fakes, { metric: 'rps' });
  expectScale(t, decider, fakes, START_MS, result(5, ebc(10, 101, 50, 1)));
  fakes.stableRps = 100;
  fakes.panicRps = 99;
  expectScale(t, decider, fakes, START_MS, result(10, ebc(10, 101, 99, 1)));
});

t.test('TestAutoscalerUnpanicAfterSlowIncrease', async (t) => {
  const fakes = new Fakes({ stableConcurrency: 11, panicConcurrency: 25 });
  const decider = testDecider(1, 98, fakes);
  fakes.readyCount = 10;
  let tm = START_MS;
  expectScale(t, decider, fakes, tm, result(25, ebc(1, 98, 25, 10)), 'initial jump from 10 to 25 pods');
  t.equal(decider.panicTimeMs, tm);
  fakes.readyCount = 25 + 15;
  fakes.setConcurrency(30, 41);
  tm += STABLE_WINDOW_MS / 2;
  expectScale(t, decider, fakes, tm, result(41, ebc(1, 98, 41, 40)), 'half a window later, +1 pod per cycle');
  t.equal(decider.panicTimeMs, START_MS, 'panic time did not move');
  fakes.readyCount = 25 + 30;
  fakes.setConcurrency(50, 56);
  tm += STABLE_WINDOW_MS / 2 + 2_000;
  expectScale(t, decider, fakes, tm, result(50, ebc(1, 98, 56, 55)), 'no longer in panic');
  t.equal(decider.panicTimeMs, null);
});

t.test('TestAutoscalerExtendPanicWindow', async (t) => {
  const fakes = new Fakes({ stableConcurrency: 11, panicConcurrency: 25 });
  const decider = testDecider(1, 98, fakes);
  fakes.readyCount = 10;
  let tm = START_MS;
  expectScale(t, decider, fakes, tm, result(25, ebc(1, 98, 25, 10)));
  t.equal(decider.panicTimeMs, tm);
  fakes.readyCount = 25 + 15;
  fakes.setConcurrency(30, 80);
  tm += STABLE_WINDOW_MS / 2;
  expectScale(t, decider, fakes, tm, result(80, ebc(1, 98, 80, 40)));
  t.equal(decider.panicTimeMs, tm, 'still surging: panic extended');
});

t.test('TestAutoscalerStableModeDecrease', async (t) => {
  const fakes = new Fakes({ stableConcurrency: 100, panicConcurrency: 100 });
  const decider = testDecider(10, 98, fakes);
  fakes.readyCount = 8;
  expectScale(t, decider, fakes, START_MS, result(10, ebc(10, 98, 100, 8)));
  fakes.setConcurrency(50, 50);
  expectScale(t, decider, fakes, START_MS, result(5, ebc(10, 98, 50, 8)));
});

t.test('TestAutoscalerStableModeNoTrafficScaleToZero', async (t) => {
  const fakes = new Fakes({ stableConcurrency: 1, panicConcurrency: 0 });
  const decider = testDecider(10, 75, fakes);
  expectScale(t, decider, fakes, START_MS, result(1, ebc(10, 75, 0, 1)));
  fakes.stableConcurrency = 0;
  expectScale(t, decider, fakes, START_MS, result(0, ebc(10, 75, 0, 1)));
});

t.test('TestAutoscalerActivationScale', async (t) => {
  const fakes = new Fakes();
  const decider = testDecider(10, 75, fakes);
  decider.update({ ...decider.spec, activationScale: 2 });
  expectScale(t, decider, fakes, START_MS, result(0, ebc(10, 75, 0, 1)), 'no traffic: still zero');
  fakes.stableConcurrency = 1;
  expectScale(t, decider, fakes, START_MS, result(2, ebc(10, 75, 0, 1)), 'any traffic: at least activation-scale');
});

t.test('TestAutoscalerPanicModeExponentialTrackAndStabilize', async (t) => {
  const fakes = new Fakes({ stableConcurrency: 6, panicConcurrency: 6 });
  const decider = testDecider(1, 101, fakes);
  expectScale(t, decider, fakes, START_MS, result(6, ebc(1, 101, 6, 1)));
  let tm = START_MS + 500;
  fakes.readyCount = 6;
  fakes.setConcurrency(36, 36);
  expectScale(t, decider, fakes, tm, result(36, ebc(1, 101, 36, 6)));
  t.equal(decider.panicTimeMs, tm);
  fakes.readyCount = 36;
  fakes.setConcurrency(216, 216);
  tm += 1_000;
  expectScale(t, decider, fakes, tm, result(216, ebc(1, 101, 216, 36)));
  t.equal(decider.panicTimeMs, tm);
  fakes.readyCount = 216;
  fakes.setConcurrency(1296, 1296);
  expectScale(t, decider, fakes, tm, result(1296, ebc(1, 101, 1296, 216)));
  t.equal(decider.panicTimeMs, tm);
  fakes.readyCount = 1296;
  tm += 1_000;
  expectScale(t, decider, fakes, tm, result(1296, ebc(1, 101, 1296, 1296)), 'traffic stabilized');
});

t.test('TestAutoscalerScale', async (t) => {
  interface Row {
    label: string; target: number; tbc: number; fakes: Fakes; baseScale: number; want: [number, number];
    prep?: (d: Decider) => void;
  }
  const inPanic = (d: Decider) => { d.panicTimeMs = START_MS - 5_000; d.maxPanicPods = 5; };
  const rows: Row[] = [
    { label: 'AutoscalerNoDataAtZeroNoAutoscale', target: 10, tbc: 100, fakes: new Fakes(), baseScale: 1, want: [0, ebc(10, 100, 0, 1)] },
    { label: 'AutoscalerNoDataAtZeroNoAutoscaleWithExplicitEPs', target: 10, tbc: 100, fakes: new Fakes(), baseScale: 1, want: [0, ebc(10, 100, 0, 1)] },
    { label: 'AutoscalerStableModeUnlimitedTBC', target: 181, tbc: -1, fakes: new Fakes({ stableConcurrency: 21, panicConcurrency: 26 }), baseScale: 1, want: [1, -1] },
    { label: 'Autoscaler0TBC', target: 10, tbc: 0, fakes: new Fakes({ stableConcurrency: 50, panicConcurrency: 49 }), baseScale: 1, want: [5, 0] },
    { label: 'AutoscalerStableModeNoChange', target: 10, tbc: 100, fakes: new Fakes({ stableConcurrency: 50, panicConcurrency: 50 }), baseScale: 1, want: [5, ebc(10, 100, 50, 1)] },
    { label: 'AutoscalerPanicStableLargerThanPanic', target: 1, tbc: 100, fakes: new Fakes({ stableConcurrency: 50, panicConcurrency: 30 }), baseScale: 5,
      prep: inPanic, want: [50, ebc(1, 100, 30, 5)] },
    { label: 'AutoscalerPanicStableLessThanPanic', target: 1, tbc: 100, fakes: new Fakes({ stableConcurrency: 20, panicConcurrency: 30 }), baseScale: 5,
      prep: inPanic, want: [30, ebc(1, 100, 30, 5)] },
    { label: 'AutoscalerStableModeNoChangeAlreadyScaled', target: 10, tbc: 100, fakes: new Fakes({ stableConcurrency: 50, panicConcurrency: 50 }), baseScale: 5,
      want: [5, ebc(10, 100, 50, 5)] },
    { label: 'AutoscalerStableModeIncreaseWithSmallScaleUpRate', target: 1, tbc: 1982, fakes: new Fakes({ stableConcurrency: 3, panicConcurrency: 3.1 }), baseScale: 2,
      prep: (d) => d.update({ ...d.spec, maxScaleUpRate: 1.1 }), want: [3, ebc(1, 1982, 3.1, 2)] },
    { label: 'AutoscalerStableModeDecreaseWithSmallScaleDownRate', target: 10, tbc: 1982, fakes: new Fakes({ stableConcurrency: 1, panicConcurrency: 1 }), baseScale: 100,
      prep: (d) => d.update({ ...d.spec, maxScaleDownRate: 1.1 }), want: [90, ebc(10, 1982, 1, 100)] },
    { label: 'AutoscalerStableModeDecreaseNonReachable', target: 10, tbc: 1982, fakes: new Fakes({ stableConcurrency: 1, panicConcurrency: 1 }), baseScale: 100,
      prep: (d) => d.update({ ...d.spec, maxScaleDownRate: 1.1, reachable: false }), want: [1, ebc(10, 1982, 1, 100)] },
    { label: 'AutoscalerPanicModeDoublePodCount', target: 10, tbc: 84, fakes: new Fakes({ stableConcurrency: 50, panicConcurrency: 100 }), baseScale: 1,
      want: [10, ebc(10, 84, 100, 1)] },
  ];
  for (const row of rows) {
    const decider = testDecider(row.target, row.tbc, row.fakes);
    row.fakes.readyCount = row.baseScale;
    row.prep?.(decider);
    expectScale(t, decider, row.fakes, START_MS, result(...row.want), row.label);
  }
});

t.test('TestAutoscalerPanicThenUnPanicScaleDown', async (t) => {
  const fakes = new Fakes({ stableConcurrency: 100, panicConcurrency: 100 });
  const decider = testDecider(10, 93, fakes);
  expectScale(t, decider, fakes, START_MS, result(10, ebc(10, 93, 100, 1)));
  fakes.readyCount = 10;
  const panicTime = START_MS + 100;
  fakes.panicConcurrency = 1000;
  expectScale(t, decider, fakes, panicTime, result(100, ebc(10, 93, 1000, 10)));
  fakes.setConcurrency(1, 1);
  expectScale(t, decider, fakes, panicTime + 30_000, result(100, ebc(10, 93, 1, 10)), 'traffic dropped off, scale stays: still in panic');
  expectScale(t, decider, fakes, panicTime + 61_000, result(1, ebc(10, 93, 1, 10)), 'scale down after the stable window');
});

t.test('TestAutoscalerRateLimitScaleUp', async (t) => {
  const fakes = new Fakes({ stableConcurrency: 1000, panicConcurrency: 1001 });
  const decider = testDecider(10, 61, fakes);
  expectScale(t, decider, fakes, START_MS, result(10, ebc(10, 61, 1001, 1)), 'need 100 pods but only scale x10');
  fakes.readyCount = 10;
  expectScale(t, decider, fakes, START_MS, result(100, ebc(10, 61, 1001, 10)), 'scale x10 again');
});

t.test('TestAutoscalerRateLimitScaleDown', async (t) => {
  const fakes = new Fakes({ stableConcurrency: 1, panicConcurrency: 1 });
  const decider = testDecider(10, 61, fakes);
  fakes.readyCount = 100;
  expectScale(t, decider, fakes, START_MS, result(10, ebc(10, 61, 1, 100)), 'need 1 pod but can only scale down ten times');
  fakes.readyCount = 10;
  expectScale(t, decider, fakes, START_MS, result(1, ebc(10, 61, 1, 10)), 'scale ÷10 again');
});

t.test('TestCantCountPods', async (t) => {
  const fakes = new Fakes({ stableConcurrency: 1000, panicConcurrency: 888 });
  const decider = testDecider(10, 81, fakes);
  t.same(decider.scale({ error: 'other' }, START_MS), INVALID_SCALE_RESULT);
});

t.test('TestAutoscalerUseOnePodAsMinimumIfEndpointsNotFound', async (t) => {
  const fakes = new Fakes({ stableConcurrency: 1000, panicConcurrency: 888 });
  const decider = testDecider(10, 81, fakes);
  fakes.readyCount = 0;
  expectScale(t, decider, fakes, START_MS, result(10, ebc(10, 81, 888, 0)));
});

t.test('TestAutoscalerUpdateTarget', async (t) => {
  const fakes = new Fakes({ stableConcurrency: 100, panicConcurrency: 101 });
  const decider = testDecider(10, 77, fakes);
  expectScale(t, decider, fakes, START_MS, result(10, ebc(10, 77, 101, 1)));
  fakes.readyCount = 10;
  decider.update({
    maxScaleUpRate: 10, maxScaleDownRate: 10, scalingMetric: '', targetValue: 1, totalValue: 1 / TARGET_UTILIZATION,
    targetBurstCapacity: 71, activatorCapacity: 21, panicThreshold: 2, stableWindowMs: STABLE_WINDOW_MS, scaleDownDelayMs: 0,
    initialScale: 0, reachable: false, activationScale: 0,
  });
  expectScale(t, decider, fakes, START_MS, result(100, ebc(1, 71, 101, 10)));
});

t.test('TestStartInPanicMode', async (t) => {
  const startSpec = spec({ targetValue: 100, totalValue: 120, targetBurstCapacity: 11, panicThreshold: 220 });
  for (const ready of [0, 1]) {
    const decider = newDecider(startSpec, { readyPods: ready, nowMs: START_MS });
    t.equal(decider.panicTimeMs, null, `created at scale ${ready}: not in panic`);
    t.equal(decider.maxPanicPods, ready, `created at scale ${ready}: maxPanicPods`);
  }
  const decider = newDecider(startSpec, { readyPods: 2, nowMs: START_MS });
  t.equal(decider.panicTimeMs, START_MS, 'created at scale 2: in panic');
  t.equal(decider.maxPanicPods, 2);
});

t.test('TestNewFail: a failed pod count starts with maxPanicPods 0', async (t) => {
  const decider = newDecider(spec({ targetValue: 100, totalValue: 120 }), { readyPods: 0, nowMs: START_MS });
  t.equal(decider.maxPanicPods, 0);
});

t.test('start-in-panic holds the current scale while metrics are still empty', async (t) => {
  const fakes = new Fakes();
  fakes.readyCount = 5;
  const decider = newDecider(spec({ targetValue: 10 }), { readyPods: 5, nowMs: START_MS });
  expectScale(t, decider, fakes, START_MS + 2_000, result(5, 0), 'no load, yet 5 pods kept');
  t.equal(decider.panicTimeMs, START_MS, 'panic not extended: 0 panic pods is under the threshold');
  expectScale(t, decider, fakes, START_MS + STABLE_WINDOW_MS, result(5, 0), 'exactly a stable window later: still panicking (strictly after)');
  expectScale(t, decider, fakes, START_MS + STABLE_WINDOW_MS + 1, result(0, 0), 'then panic ends: floor(5 / 10) = 0 allows zero');
  t.equal(decider.maxPanicPods, 0, 'leaving panic resets maxPanicPods');
});

t.test('update() neither adds nor resizes the delay window', async (t) => {
  const decider = newDecider(spec({}), { readyPods: 0, nowMs: 0 });
  decider.update({ ...decider.spec, scaleDownDelayMs: 60_000 });
  t.equal(decider.delayWindow, null);
});
