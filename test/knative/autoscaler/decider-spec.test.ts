// MakeDecider, ported from knative/serving pkg/reconciler/autoscaling/kpa/resources/decider_test.go
// TestMakeDecider (every row).
import t from 'tap';
import { makeDeciderSpec, type DeciderSpec } from '../../../src/knative/autoscaler/decider-spec.js';
import type { PodAutoscalerView } from '../../../src/knative/autoscaler/pa-annotations.js';
import { DEFAULT_AUTOSCALER_CONFIG, type AutoscalerConfig } from '../../../src/knative/config/autoscaler-config.js';

const G = 'autoscaling.knative.dev';
// The test file's config (fields it leaves unset are Go zero values).
const config: AutoscalerConfig = {
  ...DEFAULT_AUTOSCALER_CONFIG,
  enableScaleToZero: true, containerConcurrencyTargetFraction: 1, containerConcurrencyTargetDefault: 100, targetBurstCapacity: 211,
  maxScaleUpRate: 10, maxScaleDownRate: 0, rpsTargetDefault: 100, activatorCapacity: 811, targetUtilization: 1, stableWindowMs: 60_000,
  panicThresholdPercentage: 200, panicWindowPercentage: 10, scaleToZeroGracePeriodMs: 30_000, initialScale: 1, allowZeroInitialScale: false,
  scaleDownDelayMs: 0,
};

function pa(annotations: Record<string, string> = {}, extra: Partial<PodAutoscalerView> = {}): PodAutoscalerView {
  return { annotations: { [`${G}/class`]: 'kpa.autoscaling.knative.dev', [`${G}/metric`]: 'concurrency', ...annotations }, containerConcurrency: 0, ...extra };
}

// decider(): the expected spec with the test's defaults; every row sets the panic threshold to 2.
const decider = (overrides: Partial<DeciderSpec> = {}): DeciderSpec => ({
  maxScaleUpRate: 10, maxScaleDownRate: 0, scalingMetric: 'concurrency', targetValue: 100, totalValue: 100, targetBurstCapacity: 211,
  activatorCapacity: 811, panicThreshold: 2, stableWindowMs: 60_000, scaleDownDelayMs: 0, initialScale: 1, reachable: true, activationScale: 0,
  ...overrides,
});

t.test('TestMakeDecider', async (t) => {
  const rows: [string, PodAutoscalerView, Partial<AutoscalerConfig>, DeciderSpec][] = [
    ['defaults', pa(), {}, decider()],
    ['unreachable', pa({}, { reachability: 'Unreachable' }), {}, decider({ reachable: false })],
    ['explicit reachable', pa({}, { reachability: 'Reachable' }), {}, decider()],
    ['tu < 1', pa(), { containerConcurrencyTargetFraction: 0.8 }, decider({ targetValue: 80 })],
    ['scale up and scale down rates', pa(), { maxScaleUpRate: 19.84, maxScaleDownRate: 19.88 }, decider({ maxScaleUpRate: 19.84, maxScaleDownRate: 19.88 })],
    ['with container concurrency 1', pa({}, { containerConcurrency: 1 }), {}, decider({ targetValue: 1, totalValue: 1 })],
    ['with target annotation 1', pa({ [`${G}/target`]: '1' }), {}, decider({ targetValue: 1, totalValue: 1 })],
    ['with container concurrency and tu < 1', pa({}, { containerConcurrency: 100 }), { containerConcurrencyTargetFraction: 0.8 }, decider({ targetValue: 80 })],
    ['with burst capacity set', pa({}, { containerConcurrency: 120 }), { targetBurstCapacity: 63, containerConcurrencyTargetFraction: 0.8 },
      decider({ targetValue: 96, totalValue: 120, targetBurstCapacity: 63 })],
    ['with activator capacity override', pa(), { activatorCapacity: 420 }, decider({ activatorCapacity: 420 })],
    ['with burst capacity set on the annotation', pa({ [`${G}/target-burst-capacity`]: '211' }, { containerConcurrency: 120 }),
      { targetBurstCapacity: 63, containerConcurrencyTargetFraction: 0.8 }, decider({ targetValue: 96, totalValue: 120, targetBurstCapacity: 211 })],
    ['with container concurrency greater than target annotation (ok)', pa({ [`${G}/target`]: '1' }, { containerConcurrency: 10 }), {},
      decider({ targetValue: 1, totalValue: 1 })],
    ['with target annotation greater than container concurrency (ignore annotation for safety)', pa({ [`${G}/target`]: '10' }, { containerConcurrency: 1 }), {},
      decider({ targetValue: 1, totalValue: 1 })],
    ['with higher panic target', pa({ [`${G}/target`]: '10', [`${G}/panic-threshold-percentage`]: '400' }), {},
      decider({ targetValue: 10, totalValue: 10, panicThreshold: 4 })],
    ['with metric annotation', pa({ [`${G}/metric`]: 'rps' }), {}, decider({ scalingMetric: 'rps' })],
    ['with scale down delay from config', pa(), { scaleDownDelayMs: 300_000 }, decider({ scaleDownDelayMs: 300_000 })],
    ['with scale down delay from annotation', pa({ [`${G}/scale-down-delay`]: '10m' }), { scaleDownDelayMs: 300_000 }, decider({ scaleDownDelayMs: 600_000 })],
    ['with initial scale', pa({ [`${G}/initial-scale`]: '2' }), {}, decider({ initialScale: 2 })],
    ['with activation-scale', pa({ [`${G}/activation-scale`]: '3' }), {}, decider({ activationScale: 3 })],
  ];
  for (const [name, p, cfg, expected] of rows) t.same(makeDeciderSpec(p, { ...config, ...cfg }), expected, name);
});

t.test('the stable window annotation reaches the spec', async (t) => {
  t.equal(makeDeciderSpec(pa({ [`${G}/window`]: '2m' }), config).stableWindowMs, 120_000);
});
