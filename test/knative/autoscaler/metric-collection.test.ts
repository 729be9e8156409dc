// One Metric's collection state, ported from the pure parts of knative/serving
// pkg/autoscaler/metrics/collector_test.go: TestMetricCollectorCRUD (bucket types, update),
// TestMetricCollectorScraperMovingTime, TestMetricCollectorScraper (three scrapes in one second
// average to 30), TestMetricCollectorNoScraper, TestMetricCollectorNoDataError,
// TestMetricCollectorRecord and TestMetricCollectorAggregate. A scraper tick is a record() at the
// collector clock's time, which is what upstream's ticker loop does with a non-empty stat.
import t from 'tap';
import { TimedFloat64Buckets, WeightedFloat64Buckets } from '../../../src/knative/autoscaler/buckets.js';
import { MetricCollection } from '../../../src/knative/autoscaler/metric-collection.js';
import type { MetricSpec } from '../../../src/knative/autoscaler/metric-spec.js';
import { isEmptyStat, type Stat } from '../../../src/knative/autoscaler/stat.js';

const NOW = 1_700_000_000_400;
const defaultMetric: MetricSpec = { stableWindowMs: 60_000, panicWindowMs: 6_000, scrapeTarget: 'original-target', aggregationAlgorithm: '' };
const stat = (values: Partial<Stat>): Stat => ({
  podName: 'testPod', averageConcurrentRequests: 0, averageProxiedConcurrentRequests: 0, requestCount: 0, proxiedRequestCount: 0, ...values,
});

t.test('TestMetricCollectorCRUD: bucket types and update', async (t) => {
  const linear = new MetricCollection(defaultMetric);
  t.ok(linear.concurrencyBuckets instanceof TimedFloat64Buckets && !(linear.concurrencyBuckets instanceof WeightedFloat64Buckets), 'linear by default');
  const weighted = new MetricCollection({ ...defaultMetric, aggregationAlgorithm: 'weighted-exponential' });
  t.ok(weighted.concurrencyBuckets instanceof WeightedFloat64Buckets, 'different aggregation');
  t.ok(weighted.rpsPanicBuckets instanceof WeightedFloat64Buckets);
  linear.updateMetric({ ...defaultMetric, scrapeTarget: 'new-target', stableWindowMs: 120_000, panicWindowMs: 12_000 }, NOW);
  t.equal(linear.spec.scrapeTarget, 'new-target');
  t.same([linear.concurrencyBuckets.windowMs, linear.concurrencyPanicBuckets.windowMs, linear.rpsBuckets.windowMs, linear.rpsPanicBuckets.windowMs],
    [120_000, 12_000, 120_000, 12_000], 'windows resized');
});

t.test('TestMetricCollectorScraper: three scrapes in one second average to 30', async (t) => {
  const c = new MetricCollection(defaultMetric);
  const scraped = stat({ averageConcurrentRequests: 10, requestCount: 20 });
  for (let i = 0; i < 3; i += 1) c.record(NOW, scraped);
  t.same(c.stableAndPanicConcurrency(NOW), { stable: 30, panic: 30 });
  t.same(c.stableAndPanicRPS(NOW), { stable: 60, panic: 60 });
  c.record(NOW, scraped);
  c.record(NOW, scraped);
  const later = NOW + defaultMetric.stableWindowMs - 5_000;
  t.equal((c.stableAndPanicConcurrency(later) as { stable: number }).stable, 50, 'five scrapes, read 55s later');
  t.equal((c.stableAndPanicRPS(later) as { stable: number }).stable, 100);
});

t.test('TestMetricCollectorScraperMovingTime', async (t) => {
  const c = new MetricCollection(defaultMetric);
  const scraped = stat({ averageConcurrentRequests: 10, requestCount: 20 });
  for (let i = 0; i < 3; i += 1) c.record(NOW, scraped);
  for (let i = 0; i < 4; i += 1) c.record(NOW + 1_000, scraped);
  t.same(c.stableAndPanicConcurrency(NOW + 1_000), { stable: 35, panic: 35 }, '7 × 10 / 2');
  t.same(c.stableAndPanicRPS(NOW + 1_000), { stable: 70, panic: 70 }, '7 × 20 / 2');
});

t.test('TestMetricCollectorNoScraper: without a scrape target there is no ErrNoData', async (t) => {
  const c = new MetricCollection({ ...defaultMetric, scrapeTarget: '' });
  const now = NOW + 3_000;
  t.same(c.stableAndPanicConcurrency(now), { stable: 0, panic: 0 });
  t.same(c.stableAndPanicRPS(now), { stable: 0, panic: 0 });
  c.record(now, stat({ requestCount: 30, averageConcurrentRequests: 10 }));
  t.equal((c.stableAndPanicConcurrency(now) as { stable: number }).stable, 10, 'Record() from outside (the activator) is used');
  t.equal((c.stableAndPanicRPS(now) as { stable: number }).stable, 30);
});

t.test('TestMetricCollectorNoDataError', async (t) => {
  const c = new MetricCollection(defaultMetric);
  t.same(c.stableAndPanicConcurrency(NOW), { error: 'no-data' });
  t.same(c.stableAndPanicRPS(NOW), { error: 'no-data' });
});

t.test('TestMetricCollectorRecord: proxied requests are subtracted; an outdated stat is dropped', async (t) => {
  const c = new MetricCollection(defaultMetric);
  t.same(c.stableAndPanicConcurrency(NOW), { error: 'no-data' }, 'a fresh collection has no data');
  c.record(NOW - 70_000, stat({ averageConcurrentRequests: 100, requestCount: 100 }));
  c.record(NOW, stat({ averageConcurrentRequests: 20, averageProxiedConcurrentRequests: 10, requestCount: 30, proxiedRequestCount: 20 }));
  t.same(c.stableAndPanicConcurrency(NOW), { stable: 10, panic: 10 });
  t.same(c.stableAndPanicRPS(NOW), { stable: 10, panic: 10 });
});

t.test('TestMetricCollectorAggregate', async (t) => {
  const c = new MetricCollection({ ...defaultMetric, stableWindowMs: 6_000, panicWindowMs: 2_000 });
  for (let i = 0; i < 10; i += 1) c.record(NOW + i * 1_000, stat({ averageConcurrentRequests: i + 5, requestCount: i + 5 }));
  const now = NOW + 9_000;
  t.equal(c.concurrencyBuckets.isEmpty(now), false);
  t.same(c.stableAndPanicConcurrency(now), { stable: 11.5, panic: 13.5 });
});

t.test('ErrNoData only after more than a stable window without samples', async (t) => {
  const c = new MetricCollection(defaultMetric);
  c.record(NOW, stat({ averageConcurrentRequests: 6 }));
  t.same(c.stableAndPanicConcurrency(NOW + 60_000), { stable: 0, panic: 0 }, 'exactly a window later: zeros, not no-data');
  t.same(c.stableAndPanicConcurrency(NOW + 61_000), { error: 'no-data' });
});

t.test('emptyStat: what a zero-pod scrape returns, and nothing is recorded for it', async (t) => {
  t.equal(isEmptyStat({ averageConcurrentRequests: 0, averageProxiedConcurrentRequests: 0, requestCount: 0, proxiedRequestCount: 0 }), true);
  t.equal(isEmptyStat(stat({})), false, 'a named pod reporting zeros is not empty');
  t.equal(isEmptyStat({ podName: '', averageConcurrentRequests: 1, averageProxiedConcurrentRequests: 0, requestCount: 0, proxiedRequestCount: 0 }), false);
});
