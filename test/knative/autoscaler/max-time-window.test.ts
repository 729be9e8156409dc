// The sliding maximum behind scale-down-delay, ported from knative/serving
// pkg/autoscaler/aggregation/max/window_test.go TestWindowMax and timewindow_test.go
// TestTimedWindowMax (every row).
import t from 'tap';
import { MaxTimeWindow, MaxWindow } from '../../../src/knative/autoscaler/max-time-window.js';

t.test('TestWindowMax (window of 5)', async (t) => {
  const gaps = (i: number) => (i >= 3 ? i + 3 : i);
  const rows: [string, number[], number[], ((i: number) => number)?][] = [
    ['single value', [1], [1]],
    ['ascending values', [1, 2], [1, 2]],
    ['descending values', [2, 1], [2, 2]],
    ['up, down, up', [1, 2, 1], [1, 2, 2]],
    ['windowing out', [5, 6, 5, 5, 5, 5, 5], [5, 6, 6, 6, 6, 6, 5]],
    ['windowing out with gaps', [6, 5, 2, 1], [6, 6, 6, 2], gaps],
    ['windowing out 2', [5, 6, 5, 7, 5, 5, 1], [5, 6, 6, 7, 7, 7, 7]],
    ['windowing out 3', [5, 8, 5, 7, 5, 5], [5, 8, 8, 8, 8, 8]],
    ['windowing out 4', [5, 8, 5, 7, 5, 5, 1], [5, 8, 8, 8, 8, 8, 7]],
    ['windowing out 5', [5, 8, 5, 7, 5, 5, 1, 4, 4, 4], [5, 8, 8, 8, 8, 8, 7, 7, 5, 5]],
    ['windowing out 6', [5, 8, 5, 7, 5, 5, 1, 4, 4, 4, 4], [5, 8, 8, 8, 8, 8, 7, 7, 5, 5, 4]],
    ['windowing out 7', [5, 8, 5, 7, 5, 5, 1, 4, 4, 4, 4, 9], [5, 8, 8, 8, 8, 8, 7, 7, 5, 5, 4, 9]],
    ['windowing out 8', [5, 8, 5, 7, 5, 5, 1, 4, 4, 4, 4, 9, 3, 4, 2, 1, 0], [5, 8, 8, 8, 8, 8, 7, 7, 5, 5, 4, 9, 9, 9, 9, 9, 4]],
    ['multiple with same index, ascending', [1, 2, 3, 4, 5, 6, 7], [1, 2, 3, 4, 5, 6, 7], () => 1],
    ['multiple with same index, descending', [7, 6, 5, 4, 3, 2, 1], [7, 7, 7, 7, 7, 7, 7], () => 1],
  ];
  for (const [name, values, expect, indexOf = (i: number) => i] of rows) {
    const window = new MaxWindow(5);
    const current = values.map((value, i) => {
      window.record(indexOf(i), value);
      return window.current();
    });
    t.same(current, expect, name);
  }
});

t.test('TestTimedWindowMax (5s window, 1s granularity)', async (t) => {
  const now = 1_700_000_000_000;
  const rows: [string, [number, number][], number][] = [
    ['single value', [[now, 5]], 5],
    ['two values in same second', [[now, 6], [now + 500, 5]], 6],
    ['two values', [[now, 5], [now + 1_000, 8]], 8],
    ['time gap', [[now, 5], [now + 6_000, 4]], 4],
  ];
  for (const [name, entries, expect] of rows) {
    const window = new MaxTimeWindow({ durationMs: 5_000, granularityMs: 1_000 });
    for (const [time, value] of entries) window.record(time, value);
    t.equal(window.current(), expect, name);
  }
});

t.test('2s granularity (the decider tick): buckets are whole Unix seconds / 2', async (t) => {
  const window = new MaxTimeWindow({ durationMs: 4_000, granularityMs: 2_000 });
  window.record(0, 7);
  window.record(3_999, 1);
  t.equal(window.current(), 7, 'seconds 0..3 are buckets 0 and 1 of a 2-bucket window');
  window.record(4_000, 1);
  t.equal(window.current(), 1, 'second 4 is bucket 2: bucket 0 slides out');
  t.throws(() => new MaxWindow(0), RangeError);
});
