import t from 'tap';
import { CHART_LAYOUT, TimeAxis } from '../../src/report/time-axis.js';
import { YScale } from '../../src/report/y-scale.js';

t.test('TimeAxis ticks land on round durations, at most ten, from 0 to the end', async (t) => {
  t.same(new TimeAxis(300_000).ticks().map((k) => k.label), ['0s', '30s', '1m0s', '1m30s', '2m0s', '2m30s', '3m0s', '3m30s', '4m0s', '4m30s', '5m0s']);
  t.same(new TimeAxis(3 * 3600_000).ticks().map((k) => k.label), ['0s', '30m0s', '1h0m0s', '1h30m0s', '2h0m0s', '2h30m0s', '3h0m0s']);
  t.same(new TimeAxis(4 * 24 * 3600_000).ticks().map((k) => k.atMs / 3600_000), [0, 12, 24, 36, 48, 60, 72, 84, 96]);
  t.same(new TimeAxis(20 * 24 * 3600_000).ticks().map((k) => k.atMs / 3600_000), [0, 48, 96, 144, 192, 240, 288, 336, 384, 432, 480], 'past the table, whole hours');
  t.same(new TimeAxis(0).ticks().map((k) => k.label), ['0s', '1ms'], 'an empty run still has an axis');
  const axis = new TimeAxis(1000);
  t.equal(axis.x(0), CHART_LAYOUT.leftPx);
  t.equal(axis.x(1000), CHART_LAYOUT.leftPx + CHART_LAYOUT.plotWidthPx);
  t.equal(axis.x(5000), axis.x(1000), 'clamped to the plot');
});

t.test('YScale rounds its top up to a 1-2-5 step and keeps count ticks whole', async (t) => {
  t.same(new YScale(7, 100, 0, { integer: true }).ticks(), [0, 2, 4, 6, 8]);
  t.same(new YScale(2, 100, 0, { integer: true }).ticks(), [0, 1, 2]);
  t.same(new YScale(0.3, 100, 0).ticks(), [0, 0.1, 0.2, 0.3]);
  t.same(new YScale(0, 100, 0, { integer: true }).ticks(), [0, 1], 'all-zero data still gets a scale');
  const s = new YScale(10, 100, 0);
  t.same([s.y(0), s.y(10), s.y(20)], [100, 0, 0]);
});
