// Metric aggregation windows, ported from knative/serving pkg/autoscaler/aggregation/bucketing_test.go:
// TestComputeDecayMultiplier, TestTimedFloat64BucketsSimple, ...ManyReps, ...ManyRepsWithNonMonotonicalOrder,
// ...WeightedAverage, ...WindowAverage, TestDescendingRecord, ...Holes, TestWeightedFloat64BucketsResizeWindow,
// TestTimedFloat64BucketsResizeWindow, ...WindowUpdate3sGranularity, ...WindowUpdateNoOp, TestRoundToNDigits.
// Upstream reads time.Now(); these use a fixed instant a quarter second past a whole second.
import t from 'tap';
import {
  TimedFloat64Buckets, WeightedFloat64Buckets, computeSmoothingCoeff, roundToNDigits,
} from '../../../src/knative/autoscaler/buckets.js';

const NOW = 1_700_000_000_250;
const trunc = (ms: number, granularityMs: number) => Math.floor(ms / granularityMs) * granularityMs;
const sumOf = (b: TimedFloat64Buckets, nowMs: number): number => {
  let sum = 0;
  b.forEachBucket(nowMs, (_, value) => { sum += value; });
  return sum;
};

t.test('TestComputeDecayMultiplier', async (t) => {
  const rows: [number, number][] = [[100, 0.2], [60, 0.2], [40, 0.20567], [6, 0.78456]];
  for (const [buckets, want] of rows) t.ok(Math.abs(computeSmoothingCoeff(buckets) - want) < 1e-5, `nb=${buckets}: ${computeSmoothingCoeff(buckets)}`);
});

t.test('TestTimedFloat64BucketsSimple', async (t) => {
  const trunc1 = trunc(NOW, 1_000);
  const trunc5 = trunc(NOW, 5_000);
  const rows: [string, number, [number, number][], [number, number][]][] = [
    ['granularity = 1s', 1_000,
      [[trunc1, 1], [trunc1 + 100, 10], [trunc1 + 1_000, 1], [trunc1 + 3_000, 1]],
      [[trunc1 + 3_000, 1], [trunc1 + 1_000, 1], [trunc1, 11]]],
    ['granularity = 5s', 5_000,
      [[trunc5, 1], [trunc5 + 3_000, 11], [trunc5 + 6_000, 1]],
      [[trunc5 + 5_000, 1], [trunc5, 12]]],
    ['empty', 1_000, [], []],
  ];
  for (const [name, granularityMs, stats, want] of rows) {
    const buckets = new TimedFloat64Buckets({ windowMs: 120_000, granularityMs });
    t.equal(buckets.isEmpty(trunc1), true, `${name}: empty before any record`);
    for (const [time, value] of stats) buckets.record(time, value);
    const got: [number, number][] = [];
    buckets.forEachBucket(trunc1 + 60_000, (time, value) => { if (value > 0) got.push([time, value]); });
    t.same(got, want, name);
  }
});

t.test('TestTimedFloat64BucketsManyReps', async (t) => {
  let time = trunc(NOW, 1_000);
  const buckets = new TimedFloat64Buckets({ windowMs: 60_000 });
  for (let p = 0; p < 5; p += 1) {
    time += 1_000;
    for (let i = 0; i < 5; i += 1) buckets.record(time, p + i);
  }
  t.equal(sumOf(buckets, time), 100);
  t.equal(sumOf(buckets, time), 100, 'reading twice changes nothing');
});

t.test('TestTimedFloat64BucketsManyRepsWithNonMonotonicalOrder', async (t) => {
  const start = trunc(NOW, 1_000);
  let end = start;
  const buckets = new TimedFloat64Buckets({ windowMs: 60_000 });
  const offsets = [0, 3, 2, 1, 4];
  for (let p = 0; p < 5; p += 1) {
    end = start + offsets[p] * 1_000;
    for (let i = 0; i < 5; i += 1) buckets.record(end, p + i);
  }
  t.equal(sumOf(buckets, end), 100);
  t.equal(sumOf(buckets, end), 100);
});

t.test('TestTimedFloat64BucketsWeightedAverage', async (t) => {
  const buckets = new WeightedFloat64Buckets({ windowMs: 5_000 });
  const m = buckets.smoothingCoeff;
  buckets.record(NOW, 2);
  let want = 2 * m;
  t.equal(buckets.windowAverage(NOW), want);
  want *= 1 - m;
  t.equal(buckets.windowAverage(NOW + 1_000), want, 'a second later, no writes');
  buckets.record(NOW + 1_000, 2);
  want += 2 * m;
  t.equal(buckets.windowAverage(NOW + 1_000), want, 'more data');
  for (let i = 0; i < 5; i += 1) buckets.record(NOW + (2 + i) * 1_000, i + 2);
  want = 6 * m + 5 * m * (1 - m) + 4 * m * (1 - m) * (1 - m) + 3 * m * (1 - m) * (1 - m) * (1 - m) + 2 * m * (1 - m) * (1 - m) * (1 - m) * (1 - m);
  // Upstream compares exactly; its hand-written expression groups the products differently from the
  // running multiplier, and Go's math.Pow may differ from V8's by an ulp, so allow float rounding.
  t.ok(Math.abs(buckets.windowAverage(NOW + 6_000) - want) < 1e-12, 'the whole window filled with [2, 3, 4, 5, 6]');
  t.equal(buckets.windowAverage(NOW + 16_000), 0, 'an empty window');
});

t.test('TestTimedFloat64BucketsWindowAverage', async (t) => {
  let now = NOW;
  const buckets = new TimedFloat64Buckets({ windowMs: 5_000 });
  buckets.record(now, 1);
  t.equal(buckets.windowAverage(now), 1, 'firstWrite is used: not 0.2');
  for (let i = 1; i < 5; i += 1) buckets.record(now + i * 1_000, i + 1);
  t.equal(buckets.windowAverage(now + 4_000), 15 / 5);
  t.equal(buckets.windowAverage(now + 3_600), 15 / 5, 'now lags behind');
  t.equal(buckets.windowAverage(now + 6_000), (15 - 1 - 2) / (5 - 2), 'short hole');
  t.equal(buckets.windowAverage(now + 10_000), 0, 'long hole');
  buckets.record(now + 6_000, 91);
  t.equal(buckets.windowAverage(now + 6_000), (15 - 1 - 2 + 91) / 5, 'write with holes');
  now += 60_000;
  buckets.record(now, 1984);
  t.equal(buckets.windowAverage(now), 1984, 'advance much farther');
  buckets.record(now - 3_000, 4);
  t.equal(buckets.windowAverage(now), (4 + 1984) / 4, 'an earlier time');
  now += 1_000;
  buckets.record(now, 5);
  t.equal(buckets.windowAverage(now), (4 + 1984 + 5) / 5, 'one more second');
  buckets.record(now - 3_000, 10);
  t.equal(buckets.windowAverage(now), (4 + 10 + 1984 + 5) / 5, 'an earlier time again');
  buckets.record(now - 6_000, 10);
  t.equal(buckets.windowAverage(now), (4 + 10 + 1984 + 5) / 5, 'a value too early is ignored');
  buckets.record(now - 5_000, 10);
  t.equal(buckets.windowAverage(now), (4 + 10 + 1984 + 5) / 5, 'a value exactly a window early is ignored');
  buckets.record(now + 5_000, 10);
  t.equal(buckets.windowAverage(now + 5_000), 10, 'no data for exactly a window: cleared');
});

t.test('TestDescendingRecord', async (t) => {
  const buckets = new TimedFloat64Buckets({ windowMs: 5_000 });
  for (let i = 8; i >= 0; i -= 1) buckets.record(NOW + i * 1_000, 5);
  t.equal(buckets.windowAverage(NOW + 5_000), 5);
});

t.test('TestTimedFloat64BucketsHoles', async (t) => {
  const buckets = new TimedFloat64Buckets({ windowMs: 5_000 });
  for (let i = 0; i < 5; i += 1) buckets.record(NOW + i * 1_000, i + 1);
  t.equal(sumOf(buckets, NOW + 4_000), 15);
  t.equal(buckets.windowAverage(NOW + 4_000), 15 / 5);
  buckets.record(NOW + 8_000, 2);
  t.equal(sumOf(buckets, NOW + 8_000), 7, 'seconds 5..7 zeroed; [3] = 2 and [4] = 5 remain');
});

t.test('TestWeightedFloat64BucketsResizeWindow', async (t) => {
  const buckets = new WeightedFloat64Buckets({ windowMs: 5_000 });
  t.equal(buckets.smoothingCoeff, computeSmoothingCoeff(5));
  for (let i = 0; i <= 5; i += 1) buckets.record(NOW + i * 1_000, i + 1);
  const now = NOW + 5_000;
  t.equal(sumOf(buckets, now), 2 + 3 + 4 + 5 + 6);
  t.equal(roundToNDigits(3, buckets.windowAverage(now)), 5.812, 'computed by hand upstream');
  buckets.resizeWindow(10_000, now);
  t.equal(buckets.bucketCount, 10);
  t.equal(buckets.windowMs, 10_000);
  t.equal(buckets.smoothingCoeff, computeSmoothingCoeff(10));
});

t.test('TestTimedFloat64BucketsResizeWindow', async (t) => {
  const buckets = new TimedFloat64Buckets({ windowMs: 5_000 });
  for (let i = 0; i <= 5; i += 1) buckets.record(NOW + i * 1_000, i + 1);
  let now = NOW + 5_000;
  const initial = 2 + 3 + 4 + 5 + 6;
  t.equal(sumOf(buckets, now), initial);
  t.equal(buckets.windowAverage(now), initial / 5);
  buckets.resizeWindow(10_000, now);
  t.equal(buckets.bucketCount, 10);
  t.equal(buckets.windowMs, 10_000);
  t.equal(sumOf(buckets, now), initial, 'values copied');
  t.equal(buckets.windowAverage(now), initial / 5, 'still at most 5 buckets of data');
  now += 1_000;
  buckets.record(now, 7);
  t.equal(sumOf(buckets, now), initial + 7);
  t.equal(buckets.windowAverage(now), roundToNDigits(6, (initial + 7) / 6));
  buckets.resizeWindow(4_000, now);
  t.equal(buckets.bucketCount, 4);
  const shrunk = initial + 7 - 2 - 3;
  t.equal(sumOf(buckets, now), shrunk, 'the newest 4 buckets remain');
  t.equal(buckets.windowAverage(now), shrunk / 4);
  buckets.resizeWindow(4_000, now);
  t.equal(buckets.bucketCount, 4, 'same window: no-op');
  t.equal(sumOf(buckets, now), shrunk);
});

t.test('TestTimedFloat64BucketsWindowUpdate3sGranularity', async (t) => {
  const trunc3 = trunc(NOW, 3_000);
  const buckets = new TimedFloat64Buckets({ windowMs: 5_000, granularityMs: 3_000 });
  t.equal(buckets.bucketCount, 2, 'ceil(5/3) = 2');
  [10, 2, 3, 4, 5, 6, 7].forEach((value, i) => buckets.record(trunc3 + i * 1_000, value));
  let want = 4 + 5 + 6 + 7;
  t.equal(sumOf(buckets, trunc3 + 6_000), want, 'the 7 overwrote the first bucket (10+2+3)');
  buckets.resizeWindow(10_000, trunc3 + 6_000);
  t.equal(buckets.bucketCount, 4);
  t.equal(buckets.windowMs, 10_000);
  t.equal(sumOf(buckets, trunc3 + 6_000), want, 'values copied');
  buckets.record(trunc3 + 9_300, 42);
  want += 42;
  t.equal(sumOf(buckets, trunc3 + 9_000), want);
  buckets.resizeWindow(4_000, trunc3 + 9_300);
  t.equal(buckets.bucketCount, 2);
  t.equal(sumOf(buckets, trunc3 + 9_000), 42 + 7, 'oldest bucket dropped');
});

t.test('TestTimedFloat64BucketsWindowUpdateNoOp: stale data resets firstWrite', async (t) => {
  const start = NOW - 60_000;
  const buckets = new TimedFloat64Buckets({ windowMs: 5_000 });
  buckets.record(start, 19.82);
  t.equal(buckets.firstWriteTimeMs, buckets.lastWriteTimeMs);
  buckets.resizeWindow(10_000, NOW);
  t.equal(buckets.firstWriteTimeMs, null);
});

t.test('TestRoundToNDigits', async (t) => {
  t.equal(roundToNDigits(6, 3.6e-17), 0);
  t.equal(roundToNDigits(3, -3.6e-17), 0);
  t.equal(roundToNDigits(3, 0.0004), 0);
  t.equal(roundToNDigits(3, 1.2345), 1.235);
  t.equal(roundToNDigits(4, 1.2345), 1.2345);
  t.equal(roundToNDigits(6, 12345), 12345);
});

t.test('a tiny positive average rounds to 6 decimals; virtual time 0 is an ordinary instant', async (t) => {
  const buckets = new TimedFloat64Buckets({ windowMs: 60_000 });
  t.equal(buckets.isEmpty(0), true, 'never written: empty even at time 0');
  t.equal(buckets.windowAverage(0), 0);
  buckets.record(0, 1e-7);
  t.equal(buckets.isEmpty(0), false, 'written at time 0');
  t.equal(buckets.windowAverage(0), 0, '1e-7 rounds to 0');
  buckets.record(1_000, 1e-6);
  t.equal(buckets.windowAverage(1_000), 0.000001, '(1e-7 + 1e-6) / 2 = 5.5e-7 rounds to 1e-6');
  t.equal(buckets.isEmpty(61_000), false, 'exactly a window after the last write');
  t.equal(buckets.isEmpty(62_000), true, 'more than a window after the last write');
});
