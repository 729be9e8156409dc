// MakeMetric and StableWindow, ported from knative/serving pkg/reconciler/autoscaling/resources/
// metric_test.go (TestMakeMetric, every row; TestStableWindow), plus Metric.AggregationAlgorithm.
import t from 'tap';
import { aggregationAlgorithm, makeMetricSpec, panicWindowMs, stableWindowMs } from '../../../src/knative/autoscaler/metric-spec.js';
import type { PodAutoscalerView } from '../../../src/knative/autoscaler/pa-annotations.js';

const G = 'autoscaling.knative.dev';
const config = { stableWindowMs: 60_000, panicWindowPercentage: 10 };
const pa = (annotations: Record<string, string> = {}): PodAutoscalerView => ({ annotations: { [`${G}/class`]: 'kpa.autoscaling.knative.dev', ...annotations } });

t.test('TestMakeMetric', async (t) => {
  const rows: [string, PodAutoscalerView, string, number, number][] = [
    ['defaults', pa(), 'ik', 60_000, 6_000],
    ['with too short panic window', pa({ [`${G}/window`]: '10s', [`${G}/panic-window-percentage`]: '10' }), 'wil', 10_000, 1_000],
    ['with longer stable window, no panic window percentage, defaults to 10%', pa({ [`${G}/window`]: '10m' }), 'nu', 600_000, 60_000],
    ['with longer panic window percentage', pa({ [`${G}/panic-window-percentage`]: '50' }), 'dansen', 60_000, 30_000],
    ['with panic window percentage+rounding', pa({ [`${G}/panic-window-percentage`]: '51' }), 'dansen', 60_000, 31_000],
  ];
  for (const [name, p, target, stable, panic] of rows) {
    t.same(makeMetricSpec(p, config, { scrapeTarget: target }), { stableWindowMs: stable, panicWindowMs: panic, scrapeTarget: target, aggregationAlgorithm: '' }, name);
  }
});

t.test('TestStableWindow', async (t) => {
  t.equal(stableWindowMs(pa(), config), 60_000, 'not set on PA: the config');
  t.equal(stableWindowMs(pa({ [`${G}/window`]: '251s' }), config), 251_000, 'the annotation');
});

t.test('panic window rounds half away from zero to whole seconds, at least 1s', async (t) => {
  t.equal(panicWindowMs(45_000, 1), 1_000, '0.45s → 0s → minimum 1s');
  t.equal(panicWindowMs(15_000, 10), 2_000, '1.5s rounds up');
  t.equal(panicWindowMs(25_000, 10), 3_000, '2.5s rounds up');
  t.equal(panicWindowMs(14_000, 10), 1_000, '1.4s rounds down');
  t.equal(panicWindowMs(3_600_000, 100), 3_600_000);
});

t.test('Metric.AggregationAlgorithm normalizes the alternate spelling', async (t) => {
  t.equal(aggregationAlgorithm({ [`${G}/metric-aggregation-algorithm`]: 'weightedExponential' }), 'weighted-exponential');
  t.equal(aggregationAlgorithm({ [`${G}/metricAggregationAlgorithm`]: 'weighted-exponential' }), 'weighted-exponential', 'legacy key');
  t.equal(aggregationAlgorithm({ [`${G}/metric-aggregation-algorithm`]: 'linear' }), 'linear');
  t.equal(aggregationAlgorithm({}), '');
});
